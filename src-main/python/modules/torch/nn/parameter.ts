// nn.Parameter: a tensor that a module registers as one of its parameters. It is an engine Tensor
// like any other (every tensor operation takes it); only its type differs: its name, its repr
// ("Parameter containing:" before the tensor) and isinstance(p, nn.Parameter).
import { Tensor, torch as engine } from '../../../../engine/index';
import { checkArgs, kwarg } from '../../../args';
import type { NativeType, Value } from '../../../context';
import { typeError } from '../../../errors';
import { truthy, typeName } from '../../../objects';
import { PyType } from '../../../values';
import { TENSOR_TYPE } from '../objects';
import { tensorClass } from '../values';

/** The tensors made by nn.Parameter (identity only: a WeakSet keeps nothing alive). */
const parameters = new WeakSet<Tensor>();

export function isParameter(v: Value): v is Tensor {
  return v instanceof Tensor && parameters.has(v);
}

/**
 * nn.Parameter(data, requires_grad=True): shares data's storage (as PyTorch's
 * Tensor._make_subclass does), is a leaf, and requires grad unless told otherwise.
 */
export function makeParameter(data: Tensor, requiresGrad = true): Tensor {
  const p = data.detach();
  if (requiresGrad) p.requiresGrad_(true);
  parameters.add(p);
  return p;
}

export const parameterClass = new PyType(
  'Parameter',
  (args, kwargs, cx) => {
    const k = kwarg('Parameter', kwargs, ['data', 'requires_grad']);
    checkArgs('Parameter', args, 0, 2);
    const data = args.length > 0 ? args[0] : k.data;
    const requiresGrad = args.length > 1 ? args[1] : k.requires_grad;
    if (data === undefined || data === null) return makeParameter(engine.tensor([]), requiresGrad === undefined || truthy(cx, requiresGrad));
    if (!(data instanceof Tensor)) throw typeError(`Parameter(): argument 'data' must be Tensor, not ${typeName(cx, data)}`);
    return makeParameter(data, requiresGrad === undefined || truthy(cx, requiresGrad));
  },
  'torch.nn.parameter',
  [tensorClass],
);

/** nn.Parameter's native type: everything of a tensor, with its own name and repr (asked before Tensor's). */
export const PARAMETER_TYPE: NativeType = {
  ...TENSOR_TYPE,
  name: 'Parameter',
  pyType: parameterClass,
  base: TENSOR_TYPE,
  is: (v) => isParameter(v),
  repr: (v) => `Parameter containing:\n${(v as Tensor).toString()}`,
};
