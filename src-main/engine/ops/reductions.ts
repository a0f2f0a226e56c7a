// Reductions: sum and mean (PyTorch's cascade order, so float sums match bit for bit), max/min
// with and without a dimension, argmax/argmin, and sum_to (the reverse of broadcasting).
import { runtimeError, indexError } from '../errors';
import { isFloating, TYPE_NAME } from '../dtype';
import type { DType, Storage } from '../dtype';
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
    const dst = out.data;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < reduced; r++) {
        const base = (o * reduced + r) * inner;
        for (let k = 0; k < inner; k++) dst[o * inner + k] += src[base + k];
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
    let s = 0;
    for (let i = 0; i < src.length; i++) s += src[i];
    out.data[0] = s;
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

interface MaxAttrs {
  min: boolean;
}
interface MaxDimAttrs {
  min: boolean;
  /** the grad_fn of another value-selecting reduction (MedianBackward1, KthvalueBackward0, ModeBackward0) */
  name?: string;
  dim: number;
  keepdim: boolean;
  /** what the wrapper found (extremeAlong): values and int64 indices, keepdim shapes */
  picked: { values: Tensor; indices: Tensor };
}

/** max(a, b) as PyTorch's reductions compare: NaN wins, the first of equal values is kept. */
function better(candidate: number, best: number, min: boolean): boolean {
  if (best !== best) return false;
  if (candidate !== candidate) return true;
  return min ? candidate < best : candidate > best;
}

/** The index of the max (or min) of t's elements in row-major order (first one on ties). */
function argExtreme(values: Storage, min: boolean): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (better(values[i], values[best], min)) best = i;
  return best;
}

/** Values and indices of max/min along `dim`, keeping it as size 1. */
function extremeAlong(t: Tensor, dim: number, min: boolean): { values: Tensor; indices: Tensor } {
  return pickAlong(t, dim, (lane) => {
    let best = 0;
    for (let r = 1; r < lane.length; r++) if (better(lane[r], lane[best], min)) best = r;
    return best;
  });
}

/** For every lane along dim: the element `pick` chooses (its position in the lane), as keepdim values and int64 indices. */
function pickAlong(t: Tensor, dim: number, pick: (lane: number[]) => number): { values: Tensor; indices: Tensor } {
  const src = contiguous(t).data;
  const shape = t.shape;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const keptShape = shape.map((s, i) => (i === dim ? 1 : s));
  const values = makeTensor(t.dtype, keptShape);
  const indices = makeTensor('int64', keptShape);
  const v = values.data;
  const ix = indices.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * size * inner + k;
      const lane: number[] = [];
      for (let r = 0; r < size; r++) lane.push(src[base + r * inner]);
      const best = pick(lane);
      v[o * inner + k] = src[base + best * inner];
      ix[o * inner + k] = best;
    }
  }
  return { values, indices };
}

export const REDUCTION_OPS = {
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
        return [Tensor.uniform(m.shape, Math.fround(g.data[0] / count))];
      }
      const expanded = expandTo(unsqueezeFor(g, m.shape, dims, keepdim), m.shape);
      const count = numelOf(m.shape) / Math.max(g.numel(), 1);
      return [arith(BinaryOp.Div, expanded, scalarTensor(count), g.dtype, expanded === g ? undefined : expanded)];
    },
  }),
  /** max() / min() of all elements */
  max: defineOp<MaxAttrs>({
    gradFn: (a) => (a.min ? 'MinBackward1' : 'MaxBackward1'),
    forward: ([a], { min }) => {
      const values = contiguous(a).data;
      const out = makeTensor(a.dtype, []);
      out.data[0] = values[argExtreme(values, min)];
      return out;
    },
    save: () => ({ inputs: [true], output: true }),
    // evenly_distribute_backward: grad / count on every element equal to the result
    backward: (g, { inputs: [a], output }) => {
      const value = output!.data[0];
      const src = contiguous(a!).data;
      const matches = (x: number): boolean => (value !== value ? x !== x : x === value);
      let count = 0;
      for (let i = 0; i < src.length; i++) if (matches(src[i])) count++;
      const share = arith(BinaryOp.Div, g, scalarTensor(count), g.dtype).data[0];
      const out = makeTensor(g.dtype, a!.shape);
      for (let i = 0; i < src.length; i++) if (matches(src[i])) out.data[i] = share;
      return [out];
    },
  }),
  /** values of max(dim) / min(dim); the indices are kept in attrs for backward */
  maxDim: defineOp<MaxDimAttrs>({
    gradFn: (a) => a.name ?? (a.min ? 'MinBackward0' : 'MaxBackward0'),
    forward: ([a], { dim, keepdim, picked: { values } }) =>
      keepdim ? values : new Tensor(values.data, a.shape.filter((_, i) => i !== dim), values.dtype, values._version),
    // value_selecting_reduction_backward: grad scattered to the picked indices
    backward: (g, { inputMeta: [m], attrs: { dim, keepdim, picked } }) => [
      scatterAlong(keepdim ? g : unsqueezeAt(g, dim), picked.indices, dim, m.shape),
    ],
  }),
  /** prod() (ProdBackward0) and prod(dim) (ProdBackward1) */
  prod: defineOp<{ dim: number | null; keepdim: boolean }>({
    gradFn: (a) => (a.dim === null ? 'ProdBackward0' : 'ProdBackward1'),
    forward: ([a], { dim, keepdim }) => prodRaw(a, dim, keepdim),
    save: () => ({ inputs: [true] }),
    // the product of every other element of its group (exact with zeros, unlike result / x)
    backward: (g, { inputs: [a], attrs: { dim, keepdim } }) => {
      const x = contiguous(a!);
      const shape = x.shape;
      const d = dim ?? 0;
      const flat = dim === null;
      const size = flat ? x.numel() : shape[d];
      let inner = 1;
      if (!flat) for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
      const outer = flat ? 1 : x.numel() / Math.max(size * inner, 1);
      const gv = contiguous(flat || keepdim ? g : unsqueezeAt(g, d)).data;
      const xv = x.data;
      const out = makeTensor(g.dtype, shape);
      const round = g.dtype === 'float32' ? Math.fround : (v: number): number => v;
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < inner; k++) {
          const base = o * size * inner + k;
          for (let r = 0; r < size; r++) {
            let p = 1;
            for (let q = 0; q < size; q++) if (q !== r) p = round(p * xv[base + q * inner]);
            out.data[base + r * inner] = round(gv[flat ? 0 : o * inner + k] * p);
          }
        }
      }
      return [out];
    },
  }),
  /** sort / topk values (the wrapper found the order; attrs carry the indices) */
  sortValues: defineOp<{ dim: number; indices: Tensor; name: 'SortBackward0' | 'TopkBackward0' }>({
    gradFn: (a) => a.name,
    forward: ([a], { dim, indices }) => gatherAlong(a, indices, dim),
    backward: (g, { inputMeta: [m], attrs: { dim, indices } }) => [scatterAlong(g, indices, dim, m.shape)],
  }),
};

/** g with a size-1 dim put back at `dim`. */
function unsqueezeAt(g: Tensor, dim: number): Tensor {
  const shape = g.shape.slice();
  shape.splice(dim, 0, 1);
  return new Tensor(contiguous(g).data, shape, g.dtype, g._version);
}

/** out[..., indices[..., j, ...], ...] += g[..., j, ...] along dim, into zeros of `shape`. */
function scatterAlong(g: Tensor, indices: Tensor, dim: number, shape: readonly number[]): Tensor {
  const gv = contiguous(g).data;
  const ix = indices.data;
  const out = makeTensor(g.dtype, shape);
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const picked = indices.shape.length === 0 ? 1 : indices.shape[dim];
  for (let j = 0; j < ix.length; j++) {
    const k = j % inner;
    const o = Math.floor(j / (inner * picked));
    out.data[o * size * inner + ix[j] * inner + k] += gv[j];
  }
  return out;
}

/** a's elements at `indices` along dim (torch.gather). */
function gatherAlong(a: Tensor, indices: Tensor, dim: number): Tensor {
  const av = contiguous(a).data;
  const ix = indices.data;
  const out = makeTensor(a.dtype, indices.shape);
  const shape = a.shape;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape.length === 0 ? 1 : shape[dim];
  const picked = indices.shape.length === 0 ? 1 : indices.shape[dim];
  for (let j = 0; j < ix.length; j++) {
    const k = j % inner;
    const o = Math.floor(j / (inner * picked));
    out.data[j] = av[o * size * inner + ix[j] * inner + k];
  }
  return out;
}

/** The product over all elements or along dim: float products round each step; integers multiply exactly. */
function prodRaw(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  const dtype = sumDType(a.dtype);
  const x = toDType(a, dtype);
  const round = dtype === 'float32' ? Math.fround : (v: number): number => v;
  if (dim === null) {
    const out = makeTensor(dtype, []);
    let p = 1;
    for (const v of x.data) p = round(p * v);
    out.data[0] = p;
    return out;
  }
  const shape = a.shape;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const outer = a.numel() / Math.max(size * inner, 1);
  const outShape = keepdim ? shape.map((s, i) => (i === dim ? 1 : s)) : shape.filter((_, i) => i !== dim);
  const out = makeTensor(dtype, outShape);
  const xv = x.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let p = 1;
      for (let r = 0; r < size; r++) p = round(p * xv[o * size * inner + r * inner + k]);
      out.data[o * inner + k] = p;
    }
  }
  return out;
}


// ---------------------------------------------------------------------------------------------
// Public wrappers

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
  return apply(REDUCTION_OPS.sum, [x], { dims: normalizeDims(dim, a.shape.length), keepdim });
}
export function mean(a: Tensor, dim: number | readonly number[] | null, keepdim: boolean, dtype?: DType): Tensor {
  const target = dtype ?? a.dtype;
  if (!isFloating(target)) {
    throw runtimeError(
      `mean(): could not infer output dtype. ${dtype ? 'Optional' : 'Input'} dtype must be either a floating point or complex dtype. Got: ${TYPE_NAME[target]}`,
    );
  }
  const x = dtype && dtype !== a.dtype ? to(a, dtype) : a;
  return apply(REDUCTION_OPS.mean, [x], { dims: normalizeDims(dim, a.shape.length), keepdim });
}


function checkNotEmpty(a: Tensor, name: string): void {
  if (a.numel() === 0) {
    throw runtimeError(
      `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
}

/** t.max() / t.min(): the largest (smallest) element; NaN if there is one. */
export function max(a: Tensor, min = false): Tensor {
  checkNotEmpty(a, min ? 'min' : 'max');
  return apply(REDUCTION_OPS.max, [a], { min });
}

/** t.max(dim) / t.min(dim): values (with a gradient) and int64 indices. */
export function maxDim(a: Tensor, dim: number, keepdim: boolean, min = false): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, a.shape.length);
  const name = min ? 'min' : 'max';
  const x = a.shape.length === 0 ? a.reshape([1]) : a;
  if (x.shape[d] === 0) throw indexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  const picked = extremeAlong(x, d, min);
  const values = apply(REDUCTION_OPS.maxDim, [x], { min, dim: d, keepdim: keepdim && a.shape.length > 0, picked });
  const idx = picked.indices;
  const indices = keepdim && a.shape.length > 0 ? idx : new Tensor(idx.data, values.shape, 'int64', idx._version);
  return { values, indices };
}

/** t.argmax(dim=None, keepdim=False) / argmin: int64 indices (of the flattened tensor without dim). */
export function argmax(a: Tensor, dim: number | null, keepdim: boolean, min = false): Tensor {
  const name = min ? 'argmin' : 'argmax';
  if (dim === null) {
    if (a.numel() === 0) throw runtimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const out = makeTensor('int64', keepdim ? a.shape.map(() => 1) : []);
    out.data[0] = argExtreme(contiguous(a).data, min);
    return out;
  }
  const d = normalizeDim(dim, a.shape.length);
  if (a.shape.length === 0) return makeTensor('int64', []);
  if (a.shape[d] === 0) throw indexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  const { indices } = extremeAlong(a, d, min);
  return keepdim ? indices : new Tensor(indices.data, a.shape.filter((_, i) => i !== d), 'int64', indices._version);
}

/** t.prod(dim=None, keepdim=False): integers and bool multiply into int64. */
export function prod(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  return apply(REDUCTION_OPS.prod, [a], { dim: dim === null ? null : normalizeDim(dim, a.shape.length), keepdim });
}

/** t.any() / t.all(), whole or along dim: a bool tensor. */
export function anyAll(a: Tensor, kind: 'any' | 'all', dim: number | null, keepdim: boolean): Tensor {
  const values = contiguous(a).data;
  const test = kind === 'any' ? (v: number): boolean => v !== 0 : (v: number): boolean => v === 0;
  if (dim === null) {
    const out = makeTensor('bool', []);
    let hit = false;
    for (let i = 0; i < values.length && !hit; i++) hit = test(values[i]);
    out.data[0] = kind === 'any' ? (hit ? 1 : 0) : hit ? 0 : 1;
    return out;
  }
  const d = normalizeDim(dim, a.shape.length);
  const shape = a.shape;
  let inner = 1;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[d];
  const outer = a.numel() / Math.max(size * inner, 1);
  const out = makeTensor('bool', keepdim ? shape.map((s, i) => (i === d ? 1 : s)) : shape.filter((_, i) => i !== d));
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let hit = false;
      for (let r = 0; r < size && !hit; r++) hit = test(values[o * size * inner + r * inner + k]);
      out.data[o * inner + k] = kind === 'any' ? (hit ? 1 : 0) : hit ? 0 : 1;
    }
  }
  return out;
}

/** Orders `values` (a list of [value, index]) as PyTorch's sort: NaN last, ties by position. */
function orderOf(values: number[], descending: boolean): number[] {
  const idx = values.map((_, i) => i);
  const key = (v: number): number => (v !== v ? (descending ? Infinity : Infinity) : v);
  idx.sort((i, j) => {
    const a = values[i];
    const b = values[j];
    if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0) || i - j;
    const c = descending ? key(b) - key(a) : key(a) - key(b);
    return c !== 0 ? c : i - j;
  });
  return idx;
}

/** Indices ordering each row along dim (int64, the first k of each if k is given). */
function orderAlong(a: Tensor, dim: number, descending: boolean, k: number | null): Tensor {
  const x = contiguous(a).data;
  const shape = a.shape;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape.length === 0 ? 1 : shape[dim];
  const outer = a.numel() / Math.max(size * inner, 1);
  const take = k ?? size;
  const outShape = shape.length === 0 ? [] : shape.map((s, i) => (i === dim ? take : s));
  const out = makeTensor('int64', outShape);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const row: number[] = [];
      for (let r = 0; r < size; r++) row.push(x[o * size * inner + r * inner + j]);
      const order = orderOf(row, descending);
      for (let r = 0; r < take; r++) out.data[o * take * inner + r * inner + j] = order[r];
    }
  }
  return out;
}

/** torch.sort: values (SortBackward0) and int64 indices; ties keep their order. */
export function sort(a: Tensor, dim = -1, descending = false): { values: Tensor; indices: Tensor } {
  const d = a.shape.length === 0 ? 0 : normalizeDim(dim, a.shape.length);
  const indices = orderAlong(a, d, descending, null);
  return { values: apply(REDUCTION_OPS.sortValues, [a], { dim: d, indices, name: 'SortBackward0' }), indices };
}

/** torch.topk: the k largest (or smallest) along dim, sorted (TopkBackward0). */
export function topk(a: Tensor, k: number, dim = -1, largest = true): { values: Tensor; indices: Tensor } {
  const d = a.shape.length === 0 ? 0 : normalizeDim(dim, a.shape.length);
  const size = a.shape.length === 0 ? 1 : a.shape[d];
  if (k < 0 || k > size) throw runtimeError('selected index k out of range');
  const indices = orderAlong(a, d, largest, k);
  return { values: apply(REDUCTION_OPS.sortValues, [a], { dim: d, indices, name: 'TopkBackward0' }), indices };
}

/** Lane positions in ascending value order (NaN last; equal values keep their order). */
function ascending(lane: number[]): number[] {
  return lane
    .map((_, i) => i)
    .sort((i, j) => {
      const a = lane[i];
      const b = lane[j];
      if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0);
      return a - b || i - j;
    });
}

type Picker = (lane: number[]) => number;

function selectAlong(a: Tensor, dim: number, keepdim: boolean, name: string, what: string, pick: Picker): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, Math.max(a.shape.length, 1));
  const x = a.shape.length === 0 ? a.reshape([1]) : a;
  if (x.shape[d] === 0) throw indexError(`${what}(): Expected reduction dim ${d} to have non-zero size.`);
  const picked = pickAlong(x, d, pick);
  const values = apply(REDUCTION_OPS.maxDim, [x], { min: false, name, dim: d, keepdim: keepdim && a.shape.length > 0, picked });
  const idx = picked.indices;
  const indices = keepdim && a.shape.length > 0 ? idx : new Tensor(idx.data, values.shape, 'int64', idx._version);
  return { values, indices };
}

/** t.median(dim): the lower middle value of each lane and where it is (MedianBackward1). */
export function medianDim(a: Tensor, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  return selectAlong(a, dim, keepdim, 'MedianBackward1', 'median', (lane) => {
    const order = ascending(lane);
    const nan = order.find((i) => lane[i] !== lane[i]);
    return nan ?? order[(lane.length - 1) >> 1];
  });
}

/** t.kthvalue(k, dim): the k-th smallest value of each lane (1-based) and where it is. */
export function kthvalue(a: Tensor, k: number, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, Math.max(a.shape.length, 1));
  const size = a.shape.length === 0 ? 1 : a.shape[d];
  if (k < 1 || k > size) throw runtimeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  return selectAlong(a, dim, keepdim, 'KthvalueBackward0', 'kthvalue', (lane) => ascending(lane)[k - 1]);
}

/** t.mode(dim): the most frequent value of each lane (the smallest of equally frequent ones) and its last position. */
export function mode(a: Tensor, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  return selectAlong(a, dim, keepdim, 'ModeBackward0', 'mode', (lane) => {
    const order = ascending(lane);
    let best = order[0];
    let bestCount = 0;
    let count = 0;
    for (let i = 0; i < order.length; i++) {
      count = i > 0 && lane[order[i]] === lane[order[i - 1]] ? count + 1 : 1;
      if (count > bestCount) {
        bestCount = count;
        best = order[i];
      }
    }
    return best;
  });
}
