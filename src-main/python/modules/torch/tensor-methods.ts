// Tensor attributes (grad, requires_grad, shape, dtype, T, ...) and the core methods (item,
// size, stride, backward, clone, to, numpy, fill_, ...); the math and shape methods live in
// tensor-math.ts and tensor-shape.ts and join them in TENSOR_METHODS.
import { isFloating, Tensor, TENSOR_TYPE_NAME, torch as engine, TYPE_NAME, type DType, type NestedArray } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { kwarg, toFloat } from '../../args';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { Builtin, objectAddress, PyTuple, type MethodImpl } from '../../values';
import { generatorArg } from './generator';
import { NdArray } from './numpy';
import { MATH_METHODS } from './tensor-math';
import { SHAPE_METHODS } from './tensor-shape';
import { STATISTICS_METHODS } from './tensor-statistics';
import { EXTRA_METHODS } from './tensor-extras';
import { INDEXED_METHODS } from './tensor-indexed';
import { TENSOR_ATTRIBUTE_NAMES } from './torch-names';
import {
  asTensor,
  bindArgs,
  creationOpts,
  dataArg,
  shapeArgs,
  boolArg,
  CPU,
  DTYPE_OBJECTS,
  dtypeArg,
  elementValue,
  gradFnOf,
  intArg,
  notSupported,
  scalarArg,
  sizeOf,
  toPyList,
  TorchDevice,
  TorchDType,
} from './values';

function backward(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context): Value {
  const k = kwarg('backward', kwargs, ['gradient', 'retain_graph', 'create_graph', 'inputs']);
  if (k.create_graph !== undefined && k.create_graph !== false) throw notSupported(cx, 'backward(create_graph=True)');
  if (k.inputs !== undefined) throw notSupported(cx, 'backward(inputs=...)');
  const g = args.length > 0 ? args[0] : k.gradient;
  const retain = args.length > 1 ? args[1] : k.retain_graph;
  if (g !== undefined && g !== null && !(g instanceof Tensor)) {
    throw typeError(`backward(): argument 'gradient' must be Tensor, not ${typeName(cx, g)}`);
  }
  t.backward(g instanceof Tensor ? g : undefined, { retainGraph: retain === undefined || retain === null ? false : boolArg(cx, retain, false) });
  return null;
}

function noArgs(name: string, f: (t: Tensor, cx: Context) => Value): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    if (args.length > 0 || (kwargs && kwargs.size > 0)) throw typeError(`${name}() takes no arguments`);
    return f(t, cx);
  };
}

/** t.to(dtype) / t.to(device) / t.to(other) / t.to(device, dtype): a copy only when the dtype changes. */
function to(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context): Tensor {
  const k = kwarg('to', kwargs, ['dtype', 'device', 'non_blocking', 'copy', 'memory_format']);
  let dtype: DType | undefined = dtypeArg(cx, k.dtype);
  for (const a of args) {
    if (a instanceof TorchDType) dtype = a.dtype;
    else if (a instanceof Tensor) dtype = a.dtype;
    else if (a instanceof TorchDevice || a === 'cpu') continue;
    else if (typeof a === 'string') throw notSupported(cx, `tensors on the device '${a}' (GradLab runs on the CPU)`);
    else throw typeError(`to() received an invalid combination of arguments - got (${typeName(cx, a)})`);
  }
  if (k.device !== undefined && k.device !== 'cpu' && k.device !== CPU) throw notSupported(cx, 'tensors on another device (GradLab runs on the CPU)');
  const out = dtype === undefined ? t : ops.to(t, dtype);
  return k.copy === true && out === t ? t.clone() : out;
}

function conversion(dtype: DType): MethodImpl {
  return (t: Tensor, args, kwargs) => {
    bindArgs('to', args, kwargs, ['memory_format']);
    return ops.to(t, dtype);
  };
}

/** t.numpy(): an ndarray of the values, refused (as PyTorch does) while t requires grad. */
function numpy(t: Tensor): NdArray {
  if (t.requiresGrad) throw new PyException('RuntimeError', "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  return new NdArray(Array.from(ops.numbers(t.contiguous())), t.shape.slice(), t.dtype);
}

/** torch.equal(a, b): same shape and the same values. */
export function tensorsEqual(a: Tensor, b: Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  return ops.anyAll(ops.compare('ne', a, b), 'any', null, false).item() === 0;
}

/** torch.allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False): |a - b| <= atol + rtol * |b| everywhere. */
export function allClose(cx: Context, a: Tensor, b: Tensor, args: Value[], kwargs: Kwargs): boolean {
  const k = bindArgs('allclose', args, kwargs, ['rtol', 'atol', 'equal_nan']);
  const rtol = k.rtol === undefined ? 1e-5 : toFloat(cx, k.rtol);
  const atol = k.atol === undefined ? 1e-8 : toFloat(cx, k.atol);
  const equalNan = boolArg(cx, k.equal_nan, false);
  if (a.dtype !== b.dtype) throw new PyException('RuntimeError', `${TYPE_NAME[a.dtype]} did not match ${TYPE_NAME[b.dtype]}`);
  const shape = ops.broadcastShapes(a.shape, b.shape);
  const x = ops.floats(ops.toDType(ops.expand(a, shape), 'float64'));
  const y = ops.floats(ops.toDType(ops.expand(b, shape), 'float64'));
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i] || y[i] !== y[i]) {
      if (equalNan && x[i] !== x[i] && y[i] !== y[i]) continue;
      return false;
    }
    if (x[i] === y[i]) continue;
    if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]))) return false;
  }
  return true;
}

function fill(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context): Tensor {
  const a = bindArgs('fill_', args, kwargs, ['value']);
  if (a.value instanceof Tensor) {
    if (a.value.dim() !== 0) throw new PyException('RuntimeError', `fill_ only supports 0-dimension value tensor but got tensor with ${a.value.dim()} dimensions.`);
    return ops.copyInPlace(t, a.value);
  }
  const v = scalarArg(a.value);
  if (v === undefined) throw typeError(`fill_(): argument 'value' must be Number, not ${typeName(cx, a.value)}`);
  return ops.fillInPlace(t, v);
}

/** t.new_zeros(size) and friends: a new tensor in t's dtype unless dtype= is given. */
function newTensor(name: string, make: (shape: number[], opts: { requiresGrad?: boolean; dtype?: DType }, fill: Value | undefined) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const { opts, rest } = creationOpts(cx, name, kwargs, ['size', 'fill_value', 'layout', 'pin_memory']);
    const positional = name === 'new_full' ? args.slice(0, 1) : args;
    const fill = name === 'new_full' ? (args[1] ?? rest.fill_value) : undefined;
    const shape = rest.size !== undefined ? shapeArgs(cx, name, [rest.size]) : shapeArgs(cx, name, positional);
    return make(shape, { ...opts, dtype: opts.dtype ?? t.dtype }, fill);
  };
}

const CORE_METHODS: Record<string, MethodImpl> = {
  new_zeros: newTensor('new_zeros', (shape, opts) => engine.zeros(shape, opts)),
  new_ones: newTensor('new_ones', (shape, opts) => engine.ones(shape, opts)),
  new_empty: newTensor('new_empty', (shape, opts) => engine.zeros(shape, opts)),
  new_full: (t: Tensor, args, kwargs, cx) =>
    newTensor('new_full', (shape, opts, fill) => {
      const value = fill === undefined ? undefined : scalarArg(fill);
      if (value === undefined) throw typeError(`new_full(): argument 'fill_value' must be Number, not ${typeName(cx, fill)}`);
      return engine.full(shape, value, opts);
    })(t, args, kwargs, cx),
  new_tensor: (t: Tensor, args, kwargs, cx) => {
    const { opts } = creationOpts(cx, 'new_tensor', kwargs, ['data']);
    const data = args[0] ?? kwargs?.get('data');
    if (data instanceof Tensor) return ops.to(data.detach().clone(), opts.dtype ?? t.dtype);
    return engine.tensor(dataArg(cx, data as Value, 'new_tensor') as NestedArray, { ...opts, dtype: opts.dtype ?? t.dtype });
  },
  item: noArgs('item', (t) => elementValue(t.itemExact(), t.dtype)),
  tolist: noArgs('tolist', (t) => toPyList(t.tolist(), t.dtype)),
  numel: noArgs('numel', (t) => BigInt(t.numel())),
  nelement: noArgs('nelement', (t) => BigInt(t.numel())),
  dim: noArgs('dim', (t) => BigInt(t.dim())),
  ndimension: noArgs('ndimension', (t) => BigInt(t.dim())),
  size: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('size', args, kwargs, ['dim']);
    if (a.dim === undefined || a.dim === null) return sizeOf(t);
    return BigInt(t.size(intArg(cx, a.dim, "size(): argument 'dim'")));
  },
  stride: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('stride', args, kwargs, ['dim']);
    const strides = t.strides();
    if (a.dim === undefined || a.dim === null) return tupleOf(strides);
    return BigInt(strides[ops.normalizeDim(intArg(cx, a.dim, "stride(): argument 'dim'"), t.dim())]);
  },
  storage_offset: noArgs('storage_offset', (t) => BigInt(t.storageOffset())),
  is_contiguous: (t: Tensor, args, kwargs) => {
    bindArgs('is_contiguous', args, kwargs, ['memory_format']);
    return t.isContiguous();
  },
  is_floating_point: noArgs('is_floating_point', (t) => isFloating(t.dtype)),
  is_signed: noArgs('is_signed', (t) => t.dtype !== 'uint8' && t.dtype !== 'bool'),
  element_size: noArgs('element_size', (t) => BigInt(ops.ELEMENT_SIZE[t.dtype])),
  data_ptr: noArgs('data_ptr', (t) => BigInt(objectAddress(t._storage)) + BigInt(t.storageOffset() * ops.ELEMENT_SIZE[t.dtype])),
  type: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('type', args, kwargs, ['dtype', 'non_blocking']);
    if (a.dtype === undefined || a.dtype === null) return TENSOR_TYPE_NAME[t.dtype];
    return ops.to(t, dtypeArg(cx, a.dtype)!);
  },
  backward,
  retain_grad: noArgs('retain_grad', (t) => {
    t.retainGrad();
    return null;
  }),
  zero_: noArgs('zero_', (t) => t.zero_()),
  fill_: (t: Tensor, args, kwargs, cx) => fill(t, args, kwargs, cx),
  copy_: (t: Tensor, args, kwargs, cx) => ops.copyInPlace(t, asTensor(cx, bindArgs('copy_', args, kwargs, ['src', 'non_blocking']).src, 'copy_', 'src')),
  uniform_: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('uniform_', args, kwargs, ['from', 'to', 'generator']);
    const g = generatorArg(cx, a.generator, 'uniform_');
    return engine.randomFillInPlace(t, 'uniform', a.from === undefined ? 0 : toFloat(cx, a.from), a.to === undefined ? 1 : toFloat(cx, a.to), g);
  },
  normal_: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('normal_', args, kwargs, ['mean', 'std', 'generator']);
    const g = generatorArg(cx, a.generator, 'normal_');
    return engine.randomFillInPlace(t, 'normal', a.mean === undefined ? 0 : toFloat(cx, a.mean), a.std === undefined ? 1 : toFloat(cx, a.std), g);
  },
  requires_grad_: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('requires_grad_', args, kwargs, ['requires_grad']);
    return t.requiresGrad_(boolArg(cx, a.requires_grad, true));
  },
  detach: noArgs('detach', (t) => t.detach()),
  clone: (t: Tensor, args, kwargs) => {
    bindArgs('clone', args, kwargs, ['memory_format']);
    return t.clone();
  },
  numpy: (t: Tensor, args, kwargs) => {
    bindArgs('numpy', args, kwargs, ['force']);
    return numpy(t);
  },
  cpu: noArgs('cpu', (t) => t),
  cuda: noArgs('cuda', (_t, cx) => {
    throw notSupported(cx, 'CUDA tensors (GradLab runs on the CPU)');
  }),
  to,
  float: conversion('float32'),
  double: conversion('float64'),
  long: conversion('int64'),
  int: conversion('int32'),
  short: conversion('int16'),
  char: conversion('int8'),
  bool: conversion('bool'),
  byte: conversion('uint8'),
  equal: (t: Tensor, args, kwargs, cx) => tensorsEqual(t, asTensor(cx, bindArgs('equal', args, kwargs, ['other']).other, 'equal', 'other')),
  allclose: (t: Tensor, args, kwargs, cx) => allClose(cx, t, asTensor(cx, args[0] ?? kwargs?.get('other'), 'allclose', 'other'), args.slice(1), withoutOther(kwargs)),
  __len__: noArgs('__len__', (t) => BigInt(tensorLen(t))),
};

function withoutOther(kwargs: Kwargs): Kwargs {
  return kwargs && kwargs.has('other') ? new Map([...kwargs].filter(([k]) => k !== 'other')) : kwargs;
}

function tupleOf(values: readonly number[]): PyTuple {
  return new PyTuple(values.map((v) => BigInt(v)));
}

/** Every Tensor method by name (a Map: looked up on each call, some of them every epoch). */
export const TENSOR_METHODS: ReadonlyMap<string, MethodImpl> = new Map([...Object.entries(CORE_METHODS), ...Object.entries(MATH_METHODS), ...Object.entries(SHAPE_METHODS), ...Object.entries(STATISTICS_METHODS), ...Object.entries(EXTRA_METHODS), ...Object.entries(INDEXED_METHODS)]);

export function tensorLen(t: Tensor): number {
  if (t.dim() === 0) throw typeError('len() of a 0-d tensor');
  return t.shape[0];
}

/** Real Tensor attributes GradLab does not have yet (every public name of torch.Tensor): using one says so plainly. */
const UNSUPPORTED_TENSOR_ATTRS: ReadonlySet<string> = new Set(TENSOR_ATTRIBUTE_NAMES);

export function tensorAttr(cx: Context, t: Tensor, name: string): Value | undefined {
  switch (name) {
    case 'grad':
      return t.grad;
    case 'requires_grad':
      return t.requiresGrad;
    case 'is_leaf':
      return t.isLeaf;
    case 'retains_grad':
      return t.retainsGrad;
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
    case 'T':
      return ops.reverseDims(t);
    case 'mT':
      return ops.matrixTranspose(t);
    case '_version':
      return BigInt(t._version.value);
    case '_base':
      return t._base;
    case 'layout':
      return undefined;
  }
  const m = TENSOR_METHODS.get(name);
  if (m) return new Builtin(name, (args, kwargs, callCx) => m(t, args, kwargs, callCx), 'Tensor', t);
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
      ops.copyInto(t, value);
      return true;
    case 'shape':
    case 'is_leaf':
    case 'grad_fn':
    case 'dtype':
    case 'ndim':
    case 'T':
      throw new PyException('AttributeError', `attribute '${name}' of 'torch._C._TensorBase' objects is not writable`);
  }
  throw new PyException('AttributeError', `'Tensor' object has no attribute '${name}'`);
}
