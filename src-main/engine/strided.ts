// Walking strided layouts: copies between any two layouts of one shape (gathering a view into
// a contiguous array, writing values into a view, broadcasting with zero strides), and the
// memory layout TensorIterator gives the result of an elementwise op.
import { allocStorage, castValue, int64ToFloat32, toInt64 } from './dtype';
import type { DType, Storage } from './dtype';
import type { Tensor } from './tensor';
import { contiguousStrides, numelOf } from './shape';

/** One element of a storage: a bigint in an int64 one, else a number. */
export type Element = number | bigint;
/** Converts an element for storing in another dtype (its kind included: int64 stores bigints). */
export type ElementCast = (v: Element) => Element;
/** Any storage indexed element by element (the caller keeps each element's kind right for it). */
type Elements = { [index: number]: Element; readonly length: number };

/**
 * Converts an element when stored in another dtype, where a typed-array store alone would be
 * wrong: into and out of int64 (bigints), to bool, and floats into integers (C's truncation,
 * x86's out-of-range result). Integer-to-integer stores wrap around by themselves, as C's do.
 */
export function castFor(from: DType, to: DType): ElementCast | null {
  if (from === to) return null;
  if (from === 'int64') return INT64_CASTS[to];
  if (to === 'int64') return (v) => toInt64(v as number);
  if (to === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if ((to === 'int32' || to === 'int16' || to === 'int8' || to === 'uint8') && (from === 'float32' || from === 'float64')) return (v) => castValue(to, v as number);
  // float32 stores round, float64 and wider integers hold every value of a narrower one
  return null;
}
const INT64_CASTS: Record<DType, ElementCast | null> = {
  int64: null,
  float32: (v) => int64ToFloat32(v as bigint),
  float64: (v) => Number(v),
  int32: (v) => Number(BigInt.asIntN(32, v as bigint)),
  int16: (v) => Number(BigInt.asIntN(16, v as bigint)),
  int8: (v) => Number(BigInt.asIntN(8, v as bigint)),
  uint8: (v) => Number(BigInt.asUintN(8, v as bigint)),
  bool: (v) => (v !== 0n ? 1 : 0),
};

/**
 * dst[dstOffset + i·dstStrides] = cast(src[srcOffset + i·srcStrides]) for every index i of
 * `shape` (a zero stride repeats an element: broadcasting).
 */
export function stridedCopy(
  source: Storage,
  srcOffset: number,
  srcStrides: readonly number[],
  target: Storage,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
  cast: ElementCast | null,
): void {
  const src = source as Elements;
  const dst = target as Elements;
  const nd = shape.length;
  const n = numelOf(shape);
  if (n === 0) return;
  if (nd === 0) {
    dst[dstOffset] = cast ? cast(src[srcOffset]) : src[srcOffset];
    return;
  }
  const inner = shape[nd - 1];
  const ss = srcStrides[nd - 1];
  const ds = dstStrides[nd - 1];
  const rows = n / inner;
  const idx = new Array<number>(nd).fill(0);
  let so = srcOffset;
  let dOff = dstOffset;
  for (let r = 0; r < rows; r++) {
    if (cast) for (let j = 0; j < inner; j++) dst[dOff + j * ds] = cast(src[so + j * ss]);
    else if (ss === 1 && ds === 1) for (let j = 0; j < inner; j++) dst[dOff + j] = src[so + j];
    else for (let j = 0; j < inner; j++) dst[dOff + j * ds] = src[so + j * ss];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      so += srcStrides[d];
      dOff += dstStrides[d];
      if (idx[d] < shape[d]) break;
      so -= srcStrides[d] * shape[d];
      dOff -= dstStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** t's elements in row-major order in a new array of `dtype` (converted as PyTorch casts). */
export function gatherContiguous(t: Tensor, dtype: DType): Storage {
  const out = allocStorage(dtype, t.numel());
  stridedCopy(t._storageData(), t._offset, t.strides(), out, 0, contiguousStrides(t.shape), t.shape, castFor(t.dtype, dtype));
  return out;
}

/** Writes row-major `values` (of t's dtype) into t's elements (wherever its strides put them). */
export function scatterInto(t: Tensor, values: Storage | ArrayLike<number>): void {
  const src = ArrayBuffer.isView(values) ? (values as Storage) : Float64Array.from(values);
  const cast = (src instanceof BigInt64Array) === (t.dtype === 'int64') ? null : castFor(src instanceof BigInt64Array ? 'int64' : 'float64', t.dtype);
  stridedCopy(src, 0, contiguousStrides(t.shape), t._storageData(), t._offset, t.strides(), t.shape, cast);
}

/**
 * The order TensorIterator lays out the result of an elementwise op over `operands` (already
 * broadcast to `shape`): a permutation `perm` of the dimensions, innermost first, as
 * reorder_dimensions sorts them by the operands' strides. The result is contiguous in
 * perm's order; null means plain row-major (every input contiguous, or the sort changed nothing).
 */
export function iteratorPermutation(shape: readonly number[], operands: readonly { shape: readonly number[]; strides: readonly number[] }[]): number[] | null {
  const nd = shape.length;
  if (nd <= 1) return null;
  // stride_bytes of each operand over the broadcast shape (0 where it is broadcast)
  const strides = operands.map((o) => {
    const out = new Array<number>(nd).fill(0);
    const lead = nd - o.shape.length;
    for (let i = 0; i < o.shape.length; i++) out[lead + i] = o.shape[i] === 1 && shape[lead + i] !== 1 ? 0 : o.strides[i];
    return out;
  });
  const shouldSwap = (dim0: number, dim1: number): number => {
    for (const s of strides) {
      const s0 = s[dim0];
      const s1 = s[dim1];
      if (s0 === 0 || s1 === 0) continue;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[dim0] > shape[dim1]) return 1;
    }
    return 0;
  };
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i);
  for (let i = 1; i < nd; i++) {
    let dim1 = i;
    for (let dim0 = i - 1; dim0 >= 0; dim0--) {
      const c = shouldSwap(perm[dim0], perm[dim1]);
      if (c > 0) {
        const tmp = perm[dim0];
        perm[dim0] = perm[dim1];
        perm[dim1] = tmp;
        dim1 = dim0;
      } else if (c < 0) break;
    }
  }
  for (let i = 0; i < nd; i++) if (perm[i] !== nd - 1 - i) return perm;
  return null;
}

/** Strides of a result laid out contiguously in `perm`'s order (innermost first). */
export function permutedStrides(shape: readonly number[], perm: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (const d of perm) {
    strides[d] = s;
    s *= Math.max(shape[d], 1);
  }
  return strides;
}
