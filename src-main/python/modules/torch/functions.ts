// The torch.* functional forms: torch.sum(x, 0) is x.sum(0), torch.max(a, b), torch.where,
// torch.cat / torch.stack, torch.allclose / torch.equal, torch.addmm, ...
import { Tensor } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { callMethod } from '../../attributes';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { toFloat } from '../../args';
import { iterableToArray } from '../../ops';
import { typeName } from '../../objects';
import { Builtin, PyTuple, type NativeFn } from '../../values';
import { allClose, tensorsEqual } from './tensor-methods';
import { asTensor, bindArgs, intArg, notSupported, operand } from './values';

/** torch.NAME(input, *args, **kwargs) is input.NAME(*args, **kwargs). */
function functional(name: string, method = name): Builtin {
  return new Builtin(name, (args, kwargs, cx) => {
    const input = args.length > 0 ? args[0] : kwargs?.get('input');
    if (input === undefined) throw typeError(`${name}() missing 1 required positional arguments: "input"`);
    const rest = args.length > 0 ? args.slice(1) : args;
    const restKwargs = kwargs && kwargs.has('input') ? new Map([...kwargs].filter(([k]) => k !== 'input')) : kwargs;
    return callMethod(cx, asTensor(cx, input, name), method, rest, restKwargs);
  });
}

/** The tensors of a list or tuple argument (cat, stack). */
function tensorList(cx: Context, v: Value | undefined, name: string): Tensor[] {
  if (v === undefined) throw typeError(`${name}() missing required argument 'tensors'`);
  if (v instanceof Tensor) throw typeError(`${name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor`);
  return iterableToArray(cx, v).map((t, i) => {
    if (!(t instanceof Tensor)) throw typeError(`expected Tensor as element ${i} in argument 0, but got ${typeName(cx, t)}`);
    return t;
  });
}

function catLike(name: string, f: (tensors: Tensor[], dim: number) => Tensor): NativeFn {
  return (args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['tensors', 'dim', 'out']);
    return f(tensorList(cx, a.tensors, name), a.dim === undefined ? 0 : intArg(cx, a.dim, `${name}(): argument 'dim'`));
  };
}

function where(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const a = bindArgs('where', args, kwargs, ['condition', 'input', 'other']);
  const condition = asTensor(cx, a.condition, 'where', 'condition');
  if (a.input === undefined) return new PyTuple(ops.nonzero(condition));
  const x = operand(a.input);
  const y = operand(a.other);
  if (x === undefined) throw typeError(`where(): argument 'input' must be Tensor, not ${typeName(cx, a.input)}`);
  if (y === undefined) throw typeError(`where(): argument 'other' must be Tensor, not ${typeName(cx, a.other)}`);
  return ops.where(condition, x, y);
}

const FUNCTIONAL_NAMES = [
  'sum', 'mean', 'prod', 'max', 'min', 'argmax', 'argmin', 'any', 'all', 'sort', 'topk', 'exp', 'log', 'sqrt', 'abs',
  'neg', 'negative', 'reciprocal', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'square', 'sign', 'round', 'floor', 'ceil',
  'clamp', 'clip', 'clamp_min', 'clamp_max', 'pow', 'matmul', 'mm', 'dot', 'add', 'sub', 'subtract', 'mul', 'multiply',
  'div', 'divide', 'true_divide', 'floor_divide', 'remainder', 'maximum', 'minimum', 'isnan', 'isinf', 'isfinite',
  'logical_not', 'logical_and', 'logical_or', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'reshape', 'flatten', 'squeeze',
  'unsqueeze', 'transpose', 'swapaxes', 'permute', 'narrow', 'select', 'unbind', 't', 'clone', 'detach', 'numel',
  'is_floating_point', 'exp_', 'relu_', 'sigmoid_', 'tanh_', 'clamp_', 'var', 'std', 'cumsum', 'softmax', 'log_softmax',
  'logsumexp', 'norm', 'argsort', 'count_nonzero', 'amax', 'amin', 'tan', 'log2', 'log10', 'log1p', 'expm1', 'rsqrt',
  'trunc', 'fix', 'fmod', 'split', 'chunk', 'movedim', 'unflatten', 'tile', 'flip', 'roll', 'tril', 'triu', 'diag',
  'index_select', 'gather', 'masked_fill', 'nonzero', 'median', 'unique',
];

/** torch.hstack / torch.vstack: cat along dim 1 (dim 0 for 1-d tensors) / dim 0 of the tensors as at least 2-d. */
function stackAlong(name: 'hstack' | 'vstack'): NativeFn {
  return (args, kwargs, cx) => {
    const tensors = tensorList(cx, bindArgs(name, args, kwargs, ['tensors', 'out']).tensors, name);
    if (name === 'vstack') return ops.cat(tensors.map((t) => (t.dim() >= 2 ? t : t.reshape([1, t.numel()]))), 0);
    const atLeast1d = tensors.map((t) => (t.dim() === 0 ? t.reshape([1]) : t));
    return ops.cat(atLeast1d, atLeast1d[0]?.dim() === 1 ? 0 : 1);
  };
}

/** torch.isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False): elementwise |a - b| <= atol + rtol * |b|. */
function isclose(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const a = bindArgs('isclose', args, kwargs, ['input', 'other', 'rtol', 'atol', 'equal_nan']);
  const x = asTensor(cx, a.input, 'isclose');
  const y = asTensor(cx, a.other, 'isclose', 'other');
  return ops.isClose(x, y, a.rtol === undefined ? 1e-5 : toFloat(cx, a.rtol), a.atol === undefined ? 1e-8 : toFloat(cx, a.atol), a.equal_nan === true);
}

export const TORCH_FUNCTIONS: Record<string, Value> = {
  ...Object.fromEntries(FUNCTIONAL_NAMES.map((n) => [n, functional(n)])),
  where: new Builtin('where', where),
  cat: new Builtin('cat', catLike('cat', (ts, d) => ops.cat(ts, d))),
  concat: new Builtin('concat', catLike('concat', (ts, d) => ops.cat(ts, d))),
  stack: new Builtin('stack', catLike('stack', (ts, d) => ops.stack(ts, d))),
  equal: new Builtin('equal', (args, kwargs, cx) => {
    const a = bindArgs('equal', args, kwargs, ['input', 'other']);
    return tensorsEqual(asTensor(cx, a.input, 'equal'), asTensor(cx, a.other, 'equal', 'other'));
  }),
  allclose: new Builtin('allclose', (args, kwargs, cx) => {
    const input = asTensor(cx, args[0] ?? kwargs?.get('input'), 'allclose');
    const other = asTensor(cx, args[1] ?? kwargs?.get('other'), 'allclose', 'other');
    const restKwargs = kwargs ? new Map([...kwargs].filter(([k]) => k !== 'input' && k !== 'other')) : kwargs;
    return allClose(cx, input, other, args.slice(2), restKwargs);
  }),
  addmm: new Builtin('addmm', (args, kwargs, cx) => {
    const a = bindArgs('addmm', args, kwargs, ['input', 'mat1', 'mat2', 'beta', 'alpha']);
    if ((a.beta !== undefined && a.beta !== 1n) || (a.alpha !== undefined && a.alpha !== 1n)) throw notSupported(cx, 'torch.addmm with beta or alpha other than 1');
    return ops.addmm(asTensor(cx, a.input, 'addmm'), asTensor(cx, a.mat1, 'addmm', 'mat1'), asTensor(cx, a.mat2, 'addmm', 'mat2'));
  }),
  is_tensor: new Builtin('is_tensor', (args) => args[0] instanceof Tensor),
  hstack: new Builtin('hstack', stackAlong('hstack')),
  vstack: new Builtin('vstack', stackAlong('vstack')),
  isclose: new Builtin('isclose', isclose),
  outer: new Builtin('outer', (args, kwargs, cx) => {
    // PyTorch's outer is self.reshape(-1, 1) * vec2 (grad_fn MulBackward0)
    const a = bindArgs('outer', args, kwargs, ['input', 'vec2']);
    const x = asTensor(cx, a.input, 'outer');
    const y = asTensor(cx, a.vec2, 'outer', 'vec2');
    if (x.dim() !== 1 || y.dim() !== 1) throw new PyException('RuntimeError', `outer: Expected 1-D argument self, but got ${x.dim()}-D`);
    return x.reshape([-1, 1]).mul(y);
  }),
};
