// Walking strided layouts: copies between any two layouts of one shape (gathering a view into
// a contiguous array, writing values into a view, broadcasting with zero strides), and the
// memory layout TensorIterator gives the result of an elementwise op.
import { allocStorage, castValue } from './dtype';
import type { DType, Storage } from './dtype';
import type { Tensor } from './tensor';
import { contiguousStrides, numelOf } from './shape';

/** Converts a value when stored in another dtype, where a typed-array store alone would be wrong. */
export function castFor(from: DType, to: DType): ((v: number) => number) | null {
  if (from === to) return null;
  if (to === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if (to === 'int64' || ((to === 'int32' || to === 'uint8') && (from === 'float32' || from === 'float64'))) return (v) => castValue(to, v);
  // float32 stores round, float64 and wider integers hold every value of a narrower one
  return null;
}

/**
 * dst[dstOffset + i·dstStrides] = cast(src[srcOffset + i·srcStrides]) for every index i of
 * `shape` (a zero stride repeats an element: broadcasting).
 */
export function stridedCopy(
  src: Storage,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Storage,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
  cast: ((v: number) => number) | null,
): void {
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

/** Writes row-major `values` into t's elements (wherever its strides put them). */
export function scatterInto(t: Tensor, values: ArrayLike<number>): void {
  const src = values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array ? values : Float64Array.from(values);
  stridedCopy(src, 0, contiguousStrides(t.shape), t._storageData(), t._offset, t.strides(), t.shape, null);
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
