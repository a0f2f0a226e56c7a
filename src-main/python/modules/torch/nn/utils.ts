// torch.nn.utils: clip_grad_norm_ and clip_grad_value_ (written as PyTorch 1.13's clip_grad.py
// composes them from tensor ops, so the total norm and the scaled gradients are PyTorch's to the
// bit), parameters_to_vector and vector_to_parameters.
import { Tensor, torch as engine } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { toFloat } from '../../../args';
import type { Context, Value } from '../../../context';
import { PyException, typeError } from '../../../errors';
import { truthy, typeName } from '../../../objects';
import { iterableToArray } from '../../../ops';
import { Builtin, type NativeFn } from '../../../values';
import { bind } from './functional';
import { torchTypename } from './module';

/** `parameters`: one tensor or an iterable of them (a generator is consumed once, as in PyTorch). */
function tensorsOf(cx: Context, parameters: Value): Tensor[] {
  const items = parameters instanceof Tensor ? [parameters] : iterableToArray(cx, parameters);
  return items.map((p) => {
    if (p instanceof Tensor) return p;
    throw new PyException('AttributeError', `'${typeName(cx, p)}' object has no attribute 'grad'`);
  });
}

/**
 * clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False): the norm of
 * the per-gradient norms, then every gradient times clamp(max_norm / (total + 1e-6), max=1).
 */
function clipGradNorm(cx: Context, parameters: Value, maxNormArg: Value, normTypeArg: Value, errorIfNonfinite: boolean): Tensor {
  const grads = tensorsOf(cx, parameters)
    .map((p) => p.grad)
    .filter((g): g is Tensor => g !== null);
  const maxNorm = toFloat(cx, maxNormArg);
  const normType = toFloat(cx, normTypeArg);
  if (grads.length === 0) return engine.zeros([]);
  return engine.noGrad(() => {
    let total: Tensor;
    if (normType === Infinity) {
      const norms = grads.map((g) => ops.max(ops.abs(g.detach())));
      total = norms.length === 1 ? norms[0] : ops.max(ops.stack(norms));
    } else {
      total = ops.norm(ops.stack(grads.map((g) => ops.norm(g.detach(), normType, null, false))), normType, null, false);
    }
    const value = total.item() as number;
    if (errorIfNonfinite && !Number.isFinite(value)) {
      throw new PyException(
        'RuntimeError',
        `The total norm of order ${pyFloatText(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
      );
    }
    const coefficient = ops.rdiv(ops.add(total, 1e-6), maxNorm);
    const clamped = ops.clamp(coefficient, null, 1.0);
    for (const g of grads) ops.inplaceBinary(g, clamped, 'mul');
    return total;
  });
}

/** How Python prints a float in an f-string: 2.0, inf. */
function pyFloatText(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** clip_grad_value_(parameters, clip_value): every gradient clamped to [-clip_value, clip_value] in place. */
function clipGradValue(cx: Context, parameters: Value, clipValueArg: Value): null {
  const clip = toFloat(cx, clipValueArg);
  engine.noGrad(() => {
    for (const p of tensorsOf(cx, parameters)) {
      if (p.grad !== null) ops.inplaceFrom(p.grad, (g) => ops.clamp(g, -clip, clip));
    }
  });
  return null;
}

/** parameters_to_vector: every parameter flattened, joined in one 1-d tensor. */
function parametersToVector(cx: Context, parameters: Value): Tensor {
  const tensors = tensorsOf(cx, parameters);
  return ops.cat(tensors.map((p) => ops.view(p, [-1])));
}

/** vector_to_parameters(vec, parameters): slices of vec copied into each parameter's data, in order. */
function vectorToParameters(cx: Context, vec: Value, parameters: Value): null {
  if (!(vec instanceof Tensor)) throw typeError(`expected torch.Tensor, but got: ${torchTypename(cx, vec)}`);
  let offset = 0;
  engine.noGrad(() => {
    for (const p of tensorsOf(cx, parameters)) {
      const n = p.numel();
      ops.copyInPlace(p, ops.view(ops.slice(vec, 0, offset, offset + n, 1), [...p.shape]));
      offset += n;
    }
  });
  return null;
}

export function utilsAttributes(): Record<string, Value> {
  const fns: Record<string, NativeFn> = {
    clip_grad_norm_: (args, kwargs, cx) => {
      const k = bind('clip_grad_norm_', args, kwargs, ['parameters', 'max_norm', 'norm_type', 'error_if_nonfinite'], 2);
      return clipGradNorm(cx, k.parameters!, k.max_norm!, k.norm_type ?? 2.0, k.error_if_nonfinite !== undefined && truthy(cx, k.error_if_nonfinite));
    },
    clip_grad_value_: (args, kwargs, cx) => {
      const k = bind('clip_grad_value_', args, kwargs, ['parameters', 'clip_value'], 2);
      return clipGradValue(cx, k.parameters!, k.clip_value!);
    },
    parameters_to_vector: (args, kwargs, cx) => parametersToVector(cx, bind('parameters_to_vector', args, kwargs, ['parameters'], 1).parameters!),
    vector_to_parameters: (args, kwargs, cx) => {
      const k = bind('vector_to_parameters', args, kwargs, ['vec', 'parameters'], 2);
      return vectorToParameters(cx, k.vec!, k.parameters!);
    },
  };
  const out: Record<string, Value> = {};
  for (const [name, f] of Object.entries(fns)) out[name] = new Builtin(name, f);
  return out;
}

/** Real torch.nn.utils names GradLab does not have yet. */
export const UNSUPPORTED_UTILS = ['clip_grad_norm', 'weight_norm', 'remove_weight_norm', 'spectral_norm', 'remove_spectral_norm', 'rnn', 'prune', 'parametrize', 'parametrizations', 'stateless', 'skip_init', 'fuse_conv_bn_eval'];
