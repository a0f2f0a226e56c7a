// Sums and means (PyTorch's cascade order, so float sums match bit for bit) over all elements
// or several dims, and sum_to, the reverse of broadcasting (how every backward reduces a
// broadcast gradient).
import { runtimeError } from '../errors';
import { isFloating, TYPE_NAME } from '../dtype';
import type { DType } from '../dtype';
import { FLOAT32_SUMS, float64Sums } from '../reduce';
import type { CascadeSums } from '../reduce';
import { normalizeDim, numelOf, sameShape } from '../shape';
import { BinaryOp } from '../kernels';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { contiguous, copyOf, expandTo, makeTensor, scalarTensor, toDType } from './common';
import { to } from './elementwise';
import { arith } from './elementwise-raw';

interface SumAttrs {
  /** reduced dims, sorted; null: all */
  dims: readonly number[] | null;
  keepdim: boolean;
}

/** The cascade sums of a float dtype, null for integers (summed exactly in any order). */
function sumsOf(dtype: DType): CascadeSums | null {
  return dtype === 'float32' ? FLOAT32_SUMS : dtype === 'float64' ? float64Sums() : null;
}

/** The dtype sum gives: floats keep theirs, integers and bool sum into int64. */
export function sumDType(d: DType): DType {
  return isFloating(d) ? d : 'int64';
}

/** Sum over dims [from, to) of a contiguous tensor, keeping them as size 1. */
function sumRange(t: Tensor, from: number, to: number): Tensor {
  const shape = t.shape;
  let outer = 1;
  let reduced = 1;
  let inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < from) outer *= shape[i];
    else if (i < to) reduced *= shape[i];
    else inner *= shape[i];
  }
  const outShape = shape.map((s, i) => (i >= from && i < to ? 1 : s));
  const outDType = sumDType(t.dtype);
  const out = makeTensor(outDType, outShape);
  const sums = sumsOf(outDType);
  const src = toDType(t, outDType).data;
  if (sums) {
    sums.sumAxis(src as Float32Array, outer, reduced, inner, out.data as Float32Array);
  } else {
    // integers sum in int64, exactly, wrapping around as C's int64_t (the store keeps 64 bits)
    const dst = out.data as BigInt64Array;
    const from64 = src as BigInt64Array;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < reduced; r++) {
        const base = (o * reduced + r) * inner;
        for (let k = 0; k < inner; k++) dst[o * inner + k] += from64[base + k];
      }
    }
  }
  return out;
}

function sumAll(t: Tensor): Tensor {
  const outDType = sumDType(t.dtype);
  const out = makeTensor(outDType, []);
  const src = toDType(t, outDType).data;
  const sums = sumsOf(outDType);
  if (sums) out.data[0] = sums.sumContiguous(src as Float32Array, 0, src.length);
  else {
    const from64 = src as BigInt64Array;
    let s = 0n;
    for (let i = 0; i < from64.length; i++) s += from64[i];
    (out.data as BigInt64Array)[0] = s;
  }
  return out;
}

function isContiguousRun(dims: readonly number[]): boolean {
  for (let i = 1; i < dims.length; i++) if (dims[i] !== dims[i - 1] + 1) return false;
  return dims.length > 0;
}

/**
 * The dense tensor t as a contiguous permutation of itself (no copy) when its strides allow
 * it: PyTorch's reductions walk memory in order, so summing that permutation over the mapped
 * dims adds the same numbers in the same order. Null when t is not dense (slices with gaps, expand).
 */
function memoryOrder(t: Tensor): { view: Tensor; perm: number[] } | null {
  const strides = t.strides();
  const perm = t.shape.map((_, i) => i).sort((x, y) => strides[y] - strides[x] || x - y);
  const shape = perm.map((d) => t.shape[d]);
  const view = Tensor._view(t, shape, perm.map((d) => strides[d]), t._offset);
  return view.isContiguous() ? { view, perm } : null;
}

/** Sums t over `dims` (sorted, non-negative) keeping them as size 1; a contiguous result. */
function sumKeepingDims(t: Tensor, dims: readonly number[]): Tensor {
  if (!t.isContiguous()) {
    const ordered = memoryOrder(t);
    if (ordered === null) return sumKeepingDims(contiguous(t), dims);
    const { view, perm } = ordered;
    const mapped = dims.map((d) => perm.indexOf(d)).sort((x, y) => x - y);
    const r = sumKeepingDims(view, mapped);
    // back to t's dimension order, as a contiguous tensor
    const inverse = perm.map((_, i) => perm.indexOf(i));
    const rStrides = r.strides();
    return contiguous(Tensor._view(r, inverse.map((p) => r.shape[p]), inverse.map((p) => rStrides[p]), 0));
  }
  if (dims.length === 0) return copyAs(t, sumDType(t.dtype));
  if (dims.length === t.shape.length) {
    const all = sumAll(t);
    return new Tensor(all.data, t.shape.map(() => 1), all.dtype, all._version);
  }
  if (isContiguousRun(dims)) return sumRange(t, dims[0], dims[dims.length - 1] + 1);
  // Non-adjacent dims: reduce one block at a time (rounding may differ from PyTorch in the last bit).
  let r = t;
  for (let k = dims.length - 1; k >= 0; k--) r = sumRange(r, dims[k], dims[k] + 1);
  return r;
}

/** A contiguous copy of t in dtype (never t itself). */
function copyAs(t: Tensor, dtype: DType): Tensor {
  const converted = toDType(t, dtype);
  return converted === t ? copyOf(t) : converted;
}

function reduceSum(a: Tensor, dims: readonly number[] | null, keepdim: boolean): Tensor {
  if (dims === null) {
    const all = a.isContiguous() ? sumAll(a) : sumKeepingDims(a, a.shape.map((_, i) => i));
    return all.shape.length === 0 ? all : new Tensor(all.data, [], all.dtype, all._version);
  }
  if (a.shape.length === 0) return copyAs(a, sumDType(a.dtype));
  const r = sumKeepingDims(a, dims);
  if (keepdim) return r;
  return new Tensor(r.data, a.shape.filter((_, i) => !dims.includes(i)), r.dtype, r._version);
}

/** For sum/mean backward over dims without keepdim: put the reduced dims back as size 1. */
function unsqueezeFor(g: Tensor, inputShape: readonly number[], dims: readonly number[] | null, keepdim: boolean): Tensor {
  if (dims === null || keepdim || inputShape.length === 0) return g;
  const shape = inputShape.map((s, i) => (dims.includes(i) ? 1 : s));
  return new Tensor(contiguous(g).data, shape, g.dtype, g._version);
}

/** Sums g down to `shape` (the reverse of broadcasting), like at::sum_to. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const reduce: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) reduce.push(i);
  }
  // the gradient of a 0-d or one-element input (b in w * x + b): one cascade sum
  const r = reduce.length === g.shape.length && g.isContiguous() ? sumAll(g) : reduce.length === 0 ? contiguous(g) : sumKeepingDims(g, reduce);
  return new Tensor(r.data, shape.slice(), r.dtype, r._version);
}

export const SUM_OPS = {
  sum: defineOp<SumAttrs>({
    gradFn: (a) => (a.dims === null ? 'SumBackward0' : 'SumBackward1'),
    forward: ([a], { dims, keepdim }) => reduceSum(a, dims, keepdim),
    backward: (g, { inputMeta: [m], attrs: { dims, keepdim } }) => [expandTo(unsqueezeFor(g, m.shape, dims, keepdim), m.shape)],
  }),
  mean: defineOp<SumAttrs>({
    gradFn: (a) => (a.dims === null ? 'MeanBackward0' : 'MeanBackward1'),
    forward: ([a], { dims, keepdim }) => {
      const s = reduceSum(a, dims, keepdim);
      const count = a.numel() / Math.max(s.numel(), 1);
      return arith(BinaryOp.Div, s, scalarTensor(count), s.dtype, s);
    },
    // grad.expand(self.sizes()) / (number of elements reduced)
    backward: (g, { inputMeta: [m], attrs: { dims, keepdim } }) => {
      if (g.numel() === 1 && g.dtype === 'float32') {
        // every element of grad.expand(shape) / n is the same float32 quotient
        const count = Math.fround(numelOf(m.shape));
        return [Tensor.uniform(m.shape, Math.fround((g.data as Float32Array)[0] / count))];
      }
      const expanded = expandTo(unsqueezeFor(g, m.shape, dims, keepdim), m.shape);
      const count = numelOf(m.shape) / Math.max(g.numel(), 1);
      return [arith(BinaryOp.Div, expanded, scalarTensor(count), g.dtype, expanded === g ? undefined : expanded)];
    },
  }),
};

function normalizeDims(dims: number | readonly number[] | null, ndim: number): number[] | null {
  if (dims === null) return null;
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(d, ndim));
  for (let i = 0; i < out.length; i++) {
    if (out.indexOf(out[i]) !== i) throw runtimeError(`dim ${out[i]} appears multiple times in the list of dims`);
  }
  return out.sort((x, y) => x - y);
}

/** t.sum(dim, keepdim, dtype=...): dim may be one dim or several; integers and bool sum to int64. */
export function sum(a: Tensor, dim: number | readonly number[] | null, keepdim: boolean, dtype?: DType): Tensor {
  const x = dtype && dtype !== a.dtype ? to(a, dtype) : a;
  const r = apply(SUM_OPS.sum, [x], { dims: normalizeDims(dim, a.shape.length), keepdim });
  // an integer dtype= keeps the sum in it (summed in int64, then wrapped: the same low bits); float sums have it already
  return dtype && r.dtype !== dtype ? toDType(r, dtype) : r;
}
export function mean(a: Tensor, dim: number | readonly number[] | null, keepdim: boolean, dtype?: DType): Tensor {
  const target = dtype ?? a.dtype;
  if (!isFloating(target)) {
    throw runtimeError(
      `mean(): could not infer output dtype. ${dtype ? 'Optional' : 'Input'} dtype must be either a floating point or complex dtype. Got: ${TYPE_NAME[target]}`,
    );
  }
  const x = dtype && dtype !== a.dtype ? to(a, dtype) : a;
  return apply(SUM_OPS.mean, [x], { dims: normalizeDims(dim, a.shape.length), keepdim });
}
