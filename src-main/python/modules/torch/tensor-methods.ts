// Tensor attributes (grad, requires_grad, shape, dtype, ...) and methods (item, backward, sum,
// mean, pow, reshape, ...), and which real Tensor attributes GradLab does not have yet.
import { Tensor } from '../../../engine/index';
import { checkArgs, kwarg } from '../../args';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { Builtin, type MethodImpl } from '../../values';
import { asTensor, boolArg, CPU, dimArgs, DTYPE_OBJECTS, elementValue, gradFnOf, intArg, notSupported, operand, shapeFromArgs, sizeOf, toPyList, type Operand } from './values';

function backward(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context): Value {
  const k = kwarg('backward', kwargs, ['gradient', 'retain_graph', 'create_graph', 'inputs']);
  if (k.create_graph !== undefined && k.create_graph !== false) throw notSupported(cx, 'backward(create_graph=True)');
  if (k.inputs !== undefined) throw notSupported(cx, 'backward(inputs=...)');
  const g = args.length > 0 ? args[0] : k.gradient;
  const retain = args.length > 1 ? args[1] : k.retain_graph;
  if (g !== undefined && g !== null && !(g instanceof Tensor)) {
    throw typeError(`backward(cx, ): argument 'gradient' must be Tensor, not ${typeName(cx, g)}`);
  }
  t.backward(g instanceof Tensor ? g : undefined, { retainGraph: retain === undefined || retain === null ? false : boolArg(cx, retain, false) });
  return null;
}

function binaryMethod(name: string, f: (t: Tensor, o: Operand) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const k = kwarg(name, kwargs, ['other', 'alpha']);
    if (k.alpha !== undefined) throw notSupported(cx, `${name}(alpha=...)`);
    const o = args.length > 0 ? args[0] : k.other;
    checkArgs(name, args, k.other !== undefined ? 0 : 1, 1);
    const x = operand(o);
    if (x === undefined) throw typeError(`${name}(): argument 'other' (position 1) must be Tensor, not ${typeName(cx, o)}`);
    return f(t, x);
  };
}

function noArgs(name: string, f: (t: Tensor, cx: Context) => Value): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    if (args.length > 0 || (kwargs && kwargs.size > 0)) throw typeError(`${name}() takes no arguments`);
    return f(t, cx);
  };
}

export const TENSOR_METHODS: Record<string, MethodImpl> = {
  item: noArgs('item', (t) => elementValue(t.item(), t.dtype)),
  tolist: noArgs('tolist', (t) => toPyList(t.tolist(), t.dtype)),
  numel: noArgs('numel', (t) => BigInt(t.numel())),
  dim: noArgs('dim', (t) => BigInt(t.dim())),
  size: (t: Tensor, args, kwargs, cx) => {
    const k = kwarg('size', kwargs, ['dim']);
    const d = args.length > 0 ? args[0] : k.dim;
    if (d === undefined || d === null) return sizeOf(t);
    const n = intArg(cx, d, "size(): argument 'dim'");
    const nd = t.dim();
    if (nd === 0 ? n < -1 || n > 0 : n < -nd || n >= nd) {
      throw new PyException('IndexError', `Dimension out of range (expected to be in range of [${nd === 0 ? -1 : -nd}, ${nd === 0 ? 0 : nd - 1}], but got ${n})`);
    }
    return BigInt(t.size(n) as number);
  },
  backward,
  zero_: noArgs('zero_', (t) => t.zero_()),
  requires_grad_: (t: Tensor, args, kwargs, cx) => {
    const k = kwarg('requires_grad_', kwargs, ['requires_grad']);
    return t.requiresGrad_(boolArg(cx, args.length > 0 ? args[0] : k.requires_grad, true));
  },
  detach: noArgs('detach', (t) => t.detach()),
  clone: noArgs('clone', (t) => t.clone()),
  sum: (t: Tensor, args, kwargs, cx) => {
    const [d, keep] = dimArgs(cx, 'sum', t, args, kwargs);
    return t.sum(d, keep);
  },
  mean: (t: Tensor, args, kwargs, cx) => {
    const [d, keep] = dimArgs(cx, 'mean', t, args, kwargs);
    return t.mean(d, keep);
  },
  pow: binaryMethod('pow', (t, o) => t.pow(o)),
  add: binaryMethod('add', (t, o) => t.add(o)),
  sub: binaryMethod('sub', (t, o) => t.sub(o)),
  mul: binaryMethod('mul', (t, o) => t.mul(o)),
  div: binaryMethod('div', (t, o) => t.div(o)),
  add_: binaryMethod('add_', (t, o) => t.add_(o)),
  sub_: binaryMethod('sub_', (t, o) => t.sub_(o)),
  mul_: binaryMethod('mul_', (t, o) => t.mul_(o)),
  div_: binaryMethod('div_', (t, o) => t.div_(o)),
  matmul: (t: Tensor, args, _kw, cx) => {
    checkArgs('matmul', args, 1, 1);
    return t.matmul(asTensor(cx, args[0], 'matmul', 'other'));
  },
  exp: noArgs('exp', (t) => t.exp()),
  log: noArgs('log', (t) => t.log()),
  sqrt: noArgs('sqrt', (t) => t.sqrt()),
  abs: noArgs('abs', (t) => t.abs()),
  neg: noArgs('neg', (t) => t.neg()),
  reciprocal: noArgs('reciprocal', (t) => t.reciprocal()),
  reshape: (t: Tensor, args, _kw, cx) => t.reshape(shapeFromArgs(cx, 'reshape', args)),
  view: (t: Tensor, args, _kw, cx) => t.view(shapeFromArgs(cx, 'view', args)),
  float: noArgs('float', (t, cx) => {
    if (t.dtype === 'float32') return t;
    throw notSupported(cx, 'converting tensor dtypes with .float()');
  }),
  __len__: noArgs('__len__', (t) => BigInt(tensorLen(t))),
};

export function tensorLen(t: Tensor): number {
  if (t.dim() === 0) throw typeError('len() of a 0-d tensor');
  return t.shape[0];
}

const UNSUPPORTED_TENSOR_ATTRS = new Set([
  'T', 'mT', 't', 'transpose', 'permute', 'squeeze', 'unsqueeze', 'flatten', 'max', 'min', 'argmax', 'argmin', 'sigmoid',
  'relu', 'tanh', 'softmax', 'numpy', 'to', 'cuda', 'cpu', 'double', 'long', 'int', 'half', 'retain_grad', 'register_hook',
  'fill_', 'copy_', 'normal_', 'uniform_', 'clamp', 'clamp_', 'std', 'var', 'norm', 'expand', 'repeat', 'sin', 'cos',
  'square', 'pow_', 'exp_', 'sqrt_', 'abs_', 'neg_', 'type', 'contiguous', 'is_contiguous', 'stride', 'storage', 'sort',
  'round', 'floor', 'ceil', 'detach_', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'all', 'any', 'prod', 'cumsum', 'dot', 'mm',
]);

export function tensorAttr(cx: Context, t: Tensor, name: string): Value | undefined {
  switch (name) {
    case 'grad':
      return t.grad;
    case 'requires_grad':
      return t.requiresGrad;
    case 'is_leaf':
      return t.isLeaf;
    case 'grad_fn':
      return gradFnOf(t);
    case 'shape':
      return sizeOf(t);
    case 'data':
      return t.detach();
    case 'dtype':
      return DTYPE_OBJECTS[t.dtype];
    case 'ndim':
      return BigInt(t.dim());
    case 'device':
      return CPU;
    case 'is_cuda':
      return false;
  }
  const m = TENSOR_METHODS[name];
  if (m) return new Builtin(name, (args, kwargs, cx) => m(t, args, kwargs, cx), 'Tensor', t);
  if (UNSUPPORTED_TENSOR_ATTRS.has(name)) throw notSupported(cx, `Tensor.${name}`);
  return undefined;
}

export function setTensorAttr(cx: Context, t: Tensor, name: string, value: Value): boolean {
  switch (name) {
    case 'requires_grad':
      t.requiresGrad = boolArg(cx, value, false);
      return true;
    case 'grad':
      if (value !== null && !(value instanceof Tensor)) {
        throw typeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeName(cx, value)}`);
      }
      if (value instanceof Tensor && (value.shape.length !== t.shape.length || value.shape.some((s, i) => s !== t.shape[i]))) {
        throw new PyException('RuntimeError', 'assigned grad has data of a different size');
      }
      t.grad = value;
      return true;
    case 'data':
      if (!(value instanceof Tensor)) throw typeError(`Variable data has to be a tensor, but got ${typeName(cx, value)}`);
      if (value.dtype !== t.dtype || value.numel() !== t.numel() || value.shape.length !== t.shape.length || value.shape.some((s, i) => s !== t.shape[i])) {
        throw notSupported(cx, 'assigning .data a tensor of a different shape or dtype');
      }
      t.data.set(value.data as Float32Array);
      return true;
    case 'shape':
    case 'is_leaf':
    case 'grad_fn':
    case 'dtype':
    case 'ndim':
      throw new PyException('AttributeError', `attribute '${name}' of 'torch._C._TensorBase' objects is not writable`);
  }
  throw new PyException('AttributeError', `'Tensor' object has no attribute '${name}'`);
}
