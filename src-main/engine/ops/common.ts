// Helpers every op family uses: new tensors, Python scalars as wrapped 0-d tensors, dtype
// conversion, contiguous copies, broadcasting copies and TensorIterator's output layout.
import { asNumbers, castElement, fillStorage, pyFloat, resultType, scalarDType, scalarKind, scalarValue } from '../dtype';
import type { DType, FloatStorage, NumericStorage, PromotionOperand, ScalarLike, Storage } from '../dtype';
import { broadcastCopy } from '../kernels';
import { broadcastStrides, contiguousStrides, sameShape } from '../shape';
import { castFor, iteratorPermutation, permutedStrides, stridedCopy } from '../strided';
import { Tensor } from '../tensor';

/** The elements of a floating-point tensor (gradients, float-only ops: the caller knows the dtype). */
export function floats(t: Tensor): FloatStorage {
  return t.data as FloatStorage;
}

/** The elements as numbers: an int64 tensor's converted (exact up to 2^53: indices, counts, sizes). */
export function numbers(t: Tensor): NumericStorage {
  return asNumbers(t.data);
}

/** -1, 0 or 1 as a < b, a == b, a > b (both numbers or both bigints; NaN compares equal here). */
export function compareElements(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function makeTensor(dtype: DType, shape: readonly number[], data?: Storage): Tensor {
  return data ? new Tensor(data, shape, dtype) : Tensor.alloc(dtype, shape);
}

/** For outputs whose every element the caller writes (elementwise kernels, copies). */
export function outputTensor(dtype: DType, shape: readonly number[]): Tensor {
  return Tensor.alloc(dtype, shape, true);
}

/**
 * A Python scalar as a wrapped 0-d tensor, as PyTorch wraps it: bool, int64, or for a float
 * its full double value (float64 storage) that promotes like the default dtype float32.
 */
export function scalarTensor(s: ScalarLike): Tensor {
  // an integral JS number beyond int64 (the engine's own callers; Python ints arrive as bigints,
  // checked by the binding) is kept as the double it is, which promotes float tensors the same way
  if (typeof s === 'number' && Number.isInteger(s) && !(Math.abs(s) < 2 ** 63)) return scalarTensor(pyFloat(s));
  const kind = scalarKind(s);
  const dtype: DType = kind === 'float' ? 'float64' : scalarDType(s);
  const t = makeTensor(dtype, []);
  // a Python int arrives as a bigint (exact); the Python binding rejects ints beyond int64 first
  const v = typeof s === 'bigint' ? s : scalarValue(s);
  const storage = t.data;
  if (storage instanceof BigInt64Array) storage[0] = castElement('int64', v) as bigint;
  else storage[0] = castElement(dtype, v) as number;
  t._wrappedNumber = true;
  return t;
}

export function asTensor(o: Tensor | ScalarLike): Tensor {
  return o instanceof Tensor ? o : scalarTensor(o);
}

/** The operand as result_type sees it (dimensioned, 0-d, or a wrapped Python scalar). */
export function promotionOf(t: Tensor): PromotionOperand {
  return { dtype: t.dtype, priority: t._wrappedNumber ? 'wrapped' : t.shape.length === 0 ? 'zero' : 'dim' };
}

/** torch.result_type(a, b). */
export function resultTypeOf(a: Tensor, b: Tensor): DType {
  // the common case needs no bookkeeping: same dtype and neither is a wrapped scalar
  if (a.dtype === b.dtype && !a._wrappedNumber && !b._wrappedNumber) return a.dtype;
  return resultType([promotionOf(a), promotionOf(b)]);
}

/** Contiguous copy of t converted to dtype (float32 rounds, integers truncate, bool tests != 0); t itself when nothing changes. */
export function toDType(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return contiguous(t);
  const out = makeTensor(dtype, t.shape);
  if (t.isContiguous()) {
    const src = t.data;
    const dst = out.data;
    const cast = castFor(t.dtype, dtype);
    if (cast === null) (dst as Float64Array).set(src as Float64Array);
    else {
      const d = dst as { [index: number]: number | bigint };
      for (let i = 0; i < src.length; i++) d[i] = cast(src[i]);
    }
  } else {
    stridedCopy(t._storageData(), t._offset, t.strides(), out.data, 0, contiguousStrides(t.shape), t.shape, castFor(t.dtype, dtype));
  }
  return out;
}

/** A new contiguous tensor with t's values (its storage is t's no more). */
export function copyOf(t: Tensor): Tensor {
  const out = outputTensor(t.dtype, t.shape);
  if (t.isContiguous()) (out.data as Float32Array).set(t.data as Float32Array);
  else stridedCopy(t._storageData(), t._offset, t.strides(), out.data, 0, contiguousStrides(t.shape), t.shape, null);
  return out;
}

/** t when its elements are already one row-major range, else a contiguous copy (no graph). */
export function contiguous(t: Tensor): Tensor {
  return t.isContiguous() ? t : copyOf(t);
}

export function fullLike(shape: readonly number[], dtype: DType, value: number | bigint): Tensor {
  const t = makeTensor(dtype, shape);
  if (value !== 0 && value !== 0n) fillStorage(t.data, dtype, value);
  return t;
}

/** t broadcast to shape as a fresh contiguous tensor (expand + contiguous). */
export function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(t.shape, shape)) return contiguous(t);
  const out = makeTensor(t.dtype, shape);
  if (t.isContiguous()) broadcastCopy(t.data, t.shape, out.data, shape);
  else stridedCopy(t._storageData(), t._offset, broadcastStrides(t.shape, shape, t.strides()), out.data, 0, contiguousStrides(shape), shape, null);
  return out;
}

/**
 * The layout TensorIterator gives an elementwise op's result over these inputs: null (row-major)
 * when every input is contiguous, else the dimension order to lay the result out in.
 */
export function resultLayout(inputs: readonly Tensor[], shape: readonly number[]): number[] | null {
  let allContiguous = true;
  for (const t of inputs) if (!t.isContiguous()) allContiguous = false;
  if (allContiguous) return null;
  return iteratorPermutation(
    shape,
    inputs.map((t) => ({ shape: t.shape, strides: t.strides() })),
  );
}

/** A row-major result re-laid out in `perm`'s order (see resultLayout); the result itself for null. */
export function inLayout(result: Tensor, perm: readonly number[] | null): Tensor {
  if (perm === null) return result;
  const strides = permutedStrides(result.shape, perm);
  const storage = makeTensor(result.dtype, [result.numel()]).data;
  stridedCopy(result.data, 0, contiguousStrides(result.shape), storage, 0, strides, result.shape, null);
  return new Tensor(storage, result.shape, result.dtype, undefined, 0, strides);
}

/** dst.copy_(src) with broadcasting: values converted to dst's dtype, written through dst's strides. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const strides = broadcastStrides(src.shape, dst.shape, src.strides());
  stridedCopy(src._storageData(), src._offset, strides, dst._storageData(), dst._offset, dst.strides(), dst.shape, castFor(src.dtype, dst.dtype));
}

/** A stand-in for t's value before an in-place write: same shape and history, for the graph only. */
export function snapshotHistory(t: Tensor): Tensor {
  const stand = new Tensor(NO_VALUES, t.shape, t.dtype);
  stand._gradFn = t._gradFn;
  return stand;
}
const NO_VALUES = new Float32Array(0);

