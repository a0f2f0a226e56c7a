// Shapes, strides and PyTorch's broadcasting rules.
import { indexError, runtimeError } from './errors';

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides as PyTorch gives a new tensor (a size-0 dimension counts as 1). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

/** PyTorch's is_contiguous: strides of size-1 dimensions do not matter, nor anything when empty. */
export function stridesAreContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i];
    if (size === 0) return true;
    if (size !== 1) {
      if (strides[i] !== expected) return false;
      expected *= size;
    }
  }
  return true;
}

/**
 * Strides that let `newShape` view memory laid out as (oldShape, oldStrides), or null when no
 * view can (at::detail::computeStride, PyTorch 1.13): the old dims are cut into chunks that
 * are contiguous among themselves, and the new shape must split into chunks of the same sizes.
 */
export function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return newShape.map(() => 1);
  const numel = numelOf(oldShape);
  if (numel === 0 && sameShape(oldShape, newShape)) return oldStrides.slice();
  const newStrides = new Array<number>(newShape.length);
  if (numel === 0) {
    for (let d = newShape.length - 1; d >= 0; d--) {
      newStrides[d] = d === newShape.length - 1 ? 1 : Math.max(newShape[d + 1], 1) * newStrides[d + 1];
    }
    return newStrides;
  }
  let viewD = newShape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldShape[tensorD];
    if (tensorD === 0 || (oldShape[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Broadcast shape of a and b, or PyTorch's error naming both sizes and the dimension. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  if (sameShape(a, b)) return a.slice();
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  // PyTorch's infer_size walks from the last dimension, so the rightmost mismatch is reported.
  for (let i = n - 1; i >= 0; i--) {
    const da = a.length - n + i;
    const db = b.length - n + i;
    const sa = da >= 0 ? a[da] : 1;
    const sb = db >= 0 ? b[db] : 1;
    if (sa === sb || sb === 1) out[i] = sa;
    else if (sa === 1) out[i] = sb;
    else {
      throw runtimeError(
        `The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`,
      );
    }
  }
  return out;
}

/** Strides to read (shape, strides) as if broadcast to `outShape` (0 on broadcast and size-1 dims). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[], strides: readonly number[] = contiguousStrides(shape)): number[] {
  const out = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + offset] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** 'torch.Size([2, 3])' */
export function formatSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** Wraps a possibly negative dim into [0, ndim) with PyTorch's IndexError text. 0-d tensors accept -1 and 0. */
export function normalizeDim(dim: number, ndim: number): number {
  const effective = Math.max(ndim, 1);
  if (dim < -effective || dim >= effective) {
    throw indexError(
      `Dimension out of range (expected to be in range of [${-effective}, ${effective - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + effective : dim;
}

/** Resolves a view/reshape target with at most one -1, with PyTorch's messages. */
export function inferShape(requested: readonly number[], numel: number): number[] {
  let inferIndex = -1;
  let known = 1;
  for (let i = 0; i < requested.length; i++) {
    const s = requested[i];
    if (s === -1) {
      if (inferIndex >= 0) throw runtimeError('only one dimension can be inferred');
      inferIndex = i;
    } else if (s < 0 || !Number.isInteger(s)) {
      throw runtimeError(`invalid shape dimension ${s}`);
    } else known *= s;
  }
  const invalid = (): Error =>
    runtimeError(`shape '[${requested.join(', ')}]' is invalid for input of size ${numel}`);
  const out = requested.slice();
  if (inferIndex >= 0) {
    if (known === 0 || numel % known !== 0) throw invalid();
    out[inferIndex] = numel / known;
  } else if (known !== numel) throw invalid();
  return out;
}
