// Shape and view ops (aten/src/ATen/native/TensorShape.cpp): each returns a tensor on the same
// storage with new sizes, strides and storage offset, and shares the version counter. view
// needs compatible strides; reshape views when it can and copies when it cannot; contiguous()
// copies a non-contiguous tensor. Backward rules follow derivatives.yaml.
import { indexError, runtimeError } from '../errors';
import { TENSOR_TYPE_NAME } from '../dtype';
import { inferShape, normalizeDim, sameShape, viewStrides } from '../shape';
import { stridedCopy } from '../strided';
import { Tensor } from '../tensor';
import { apply, defineOp, NONE } from './registry';
import type { NoAttrs } from './registry';
import { contiguous, copyOf, makeTensor } from './common';
import { sumTo } from './reductions';

// ---------------------------------------------------------------------------------------------
// Views without a graph

/** A view of t with these sizes, strides and storage offset. */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return Tensor._view(t, shape, strides, offset);
}

export function transposeRaw(t: Tensor, d0: number, d1: number): Tensor {
  const shape = t.shape.slice();
  const strides = t.strides();
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  return viewOf(t, shape, strides, t._offset);
}

export function permuteRaw(t: Tensor, dims: readonly number[]): Tensor {
  const strides = t.strides();
  return viewOf(
    t,
    dims.map((d) => t.shape[d]),
    dims.map((d) => strides[d]),
    t._offset,
  );
}

/** t broadcast to `shape` without copying (zero strides on the expanded dims). */
export function expandRaw(t: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - t.shape.length;
  const strides = t.strides();
  const out = shape.map((s, i) => (i < lead ? 0 : t.shape[i - lead] === s ? strides[i - lead] : 0));
  return viewOf(t, shape, out, t._offset);
}

export function selectRaw(t: Tensor, dim: number, index: number): Tensor {
  const strides = t.strides();
  return viewOf(
    t,
    t.shape.filter((_, i) => i !== dim),
    strides.filter((_, i) => i !== dim),
    t._offset + index * strides[dim],
  );
}

/** t[start:stop:step] along dim, bounds already clamped: a view. */
export function sliceRaw(t: Tensor, dim: number, start: number, stop: number, step: number): Tensor {
  const strides = t.strides();
  const shape = t.shape.slice();
  shape[dim] = stop > start ? Math.ceil((stop - start) / step) : 0;
  const offset = t._offset + (shape[dim] > 0 ? start * strides[dim] : 0);
  strides[dim] *= step;
  return viewOf(t, shape, strides, offset);
}

export function unsqueezeRaw(t: Tensor, dim: number): Tensor {
  const shape = t.shape.slice();
  const strides = t.strides();
  const stride = dim >= t.shape.length ? 1 : t.shape[dim] * strides[dim];
  shape.splice(dim, 0, 1);
  strides.splice(dim, 0, stride);
  return viewOf(t, shape, strides, t._offset);
}

/** Drops size-1 dims (all of them, or `dim` only). */
export function squeezeRaw(t: Tensor, dim: number | null): Tensor {
  const strides = t.strides();
  const keep = t.shape.map((s, i) => (dim === null ? s !== 1 : i !== dim || s !== 1));
  return viewOf(
    t,
    t.shape.filter((_, i) => keep[i]),
    strides.filter((_, i) => keep[i]),
    t._offset,
  );
}

/** t's values with another shape: a view when the strides allow, else a contiguous copy. */
export function reshapeRaw(t: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(t.shape, shape) && t.isContiguous()) return t;
  const strides = viewStrides(t.shape, t.strides(), shape);
  if (strides !== null) return viewOf(t, shape, strides, t._offset);
  const c = copyOf(t);
  return new Tensor(c.data, shape.slice(), c.dtype, c._version);
}

/** Writes g into a zero tensor of `shape` through `place` (the view a select or slice made). */
function scatterIntoZeros(g: Tensor, shape: readonly number[], place: (z: Tensor) => Tensor): Tensor {
  const zeros = makeTensor(g.dtype, shape);
  const target = place(zeros);
  stridedCopy(g._storageData(), g._offset, g.strides(), zeros.data, target._offset, target.strides(), g.shape, null);
  return zeros;
}

// ---------------------------------------------------------------------------------------------
// The op list

interface ViewAttrs {
  shape: readonly number[];
  strides: readonly number[];
}
interface TransposeAttrs {
  dim0: number;
  dim1: number;
}
interface SelectAttrs {
  dim: number;
  index: number;
}
interface SliceAttrs {
  dim: number;
  start: number;
  stop: number;
  step: number;
  /** split/chunk pieces are slices PyTorch names after their op */
  name?: 'SplitBackward0' | 'SplitWithSizesBackward0';
}

const reshapeBack = (g: Tensor, shape: readonly number[]): Tensor[] => [reshapeRaw(g, shape)];

export const VIEW_OPS = {
  /** view() and, when the strides allow it, reshape() (grad_fn ReshapeAliasBackward0) */
  view: defineOp<ViewAttrs & { name: 'ViewBackward0' | 'ReshapeAliasBackward0' }>({
    gradFn: (a) => a.name,
    forward: ([a], { shape, strides }) => viewOf(a, shape, strides, a._offset),
    backward: (g, { inputMeta: [m] }) => reshapeBack(g, m.shape),
  }),
  /** reshape of a contiguous copy (reshape when no view is possible) */
  unsafeView: defineOp<{ shape: readonly number[] }>({
    gradFn: 'UnsafeViewBackward0',
    forward: ([a], { shape }) => new Tensor(contiguous(a).data, shape, a.dtype, a._version),
    backward: (g, { inputMeta: [m] }) => reshapeBack(g, m.shape),
  }),
  t: defineOp<NoAttrs>({
    gradFn: 'TBackward0',
    forward: ([a]) => (a.shape.length < 2 ? viewOf(a, a.shape, a.strides(), a._offset) : transposeRaw(a, 0, 1)),
    backward: (g) => [g.shape.length < 2 ? g : transposeRaw(g, 0, 1)],
  }),
  transpose: defineOp<TransposeAttrs>({
    gradFn: 'TransposeBackward0',
    forward: ([a], { dim0, dim1 }) => transposeRaw(a, dim0, dim1),
    backward: (g, { attrs: { dim0, dim1 } }) => [transposeRaw(g, dim0, dim1)],
  }),
  permute: defineOp<{ dims: readonly number[] }>({
    gradFn: 'PermuteBackward0',
    forward: ([a], { dims }) => permuteRaw(a, dims),
    backward: (g, { attrs: { dims } }) => {
      const inverse = new Array<number>(dims.length);
      dims.forEach((d, i) => (inverse[d] = i));
      return [permuteRaw(g, inverse)];
    },
  }),
  expand: defineOp<{ shape: readonly number[] }>({
    gradFn: 'ExpandBackward0',
    forward: ([a], { shape }) => expandRaw(a, shape),
    backward: (g, { inputMeta: [m] }) => [sumTo(g, m.shape)],
  }),
  squeeze: defineOp<{ dim: number | null }>({
    gradFn: (a) => (a.dim === null ? 'SqueezeBackward0' : 'SqueezeBackward1'),
    forward: ([a], { dim }) => squeezeRaw(a, dim),
    backward: (g, { inputMeta: [m] }) => reshapeBack(g, m.shape),
  }),
  unsqueeze: defineOp<{ dim: number }>({
    gradFn: 'UnsqueezeBackward0',
    forward: ([a], { dim }) => unsqueezeRaw(a, dim),
    backward: (g, { attrs: { dim } }) => [squeezeRaw(g, dim)],
  }),
  select: defineOp<SelectAttrs & { name: 'SelectBackward0' | 'UnbindBackward0' }>({
    gradFn: (a) => a.name,
    forward: ([a], { dim, index }) => selectRaw(a, dim, index),
    backward: (g, { inputMeta: [m], attrs: { dim, index } }) => [scatterIntoZeros(g, m.shape, (z) => selectRaw(z, dim, index))],
  }),
  slice: defineOp<SliceAttrs>({
    gradFn: (a) => a.name ?? 'SliceBackward0',
    forward: ([a], { dim, start, stop, step }) => sliceRaw(a, dim, start, stop, step),
    backward: (g, { inputMeta: [m], attrs: { dim, start, stop, step } }) => [
      scatterIntoZeros(g, m.shape, (z) => sliceRaw(z, dim, start, stop, step)),
    ],
  }),
  clone: defineOp<NoAttrs>({
    gradFn: 'CloneBackward0',
    forward: ([a]) => copyOf(a),
    backward: (g) => [g],
  }),
};

// ---------------------------------------------------------------------------------------------
// Public wrappers (PyTorch's argument checks and errors)

const VIEW_INCOMPATIBLE =
  "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";

export function view(a: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, a.numel());
  const strides = viewStrides(a.shape, a.strides(), target);
  if (strides === null) throw runtimeError(VIEW_INCOMPATIBLE);
  return apply(VIEW_OPS.view, [a], { shape: target, strides, name: 'ViewBackward0' });
}

/** reshape: a view (ReshapeAliasBackward0) when the strides allow it, else a copy (UnsafeViewBackward0 over CloneBackward0). */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, a.numel());
  const strides = viewStrides(a.shape, a.strides(), target);
  if (strides !== null) return apply(VIEW_OPS.view, [a], { shape: target, strides, name: 'ReshapeAliasBackward0' });
  return apply(VIEW_OPS.unsafeView, [clone(a)], { shape: target });
}

/** flatten(start_dim, end_dim): the tensor itself when nothing changes (as PyTorch returns it). */
export function flatten(a: Tensor, startDim = 0, endDim = -1): Tensor {
  if (a.shape.length === 0) return reshape(a, [1]);
  const start = normalizeDim(startDim, a.shape.length);
  const end = normalizeDim(endDim, a.shape.length);
  if (start > end) throw runtimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (start === end) return a;
  let size = 1;
  for (let i = start; i <= end; i++) size *= a.shape[i];
  return reshape(a, [...a.shape.slice(0, start), size, ...a.shape.slice(end + 1)]);
}

export function t(a: Tensor): Tensor {
  if (a.shape.length > 2) throw runtimeError(`t() expects a tensor with <= 2 dimensions, but self is ${a.shape.length}D`);
  return apply(VIEW_OPS.t, [a], NONE);
}

/** tensor.T: the dims reversed (PyTorch warns for ndim != 2 but does it). */
export function reverseDims(a: Tensor): Tensor {
  return apply(VIEW_OPS.permute, [a], { dims: a.shape.map((_, i) => a.shape.length - 1 - i) });
}

/** tensor.mT: the last two dims swapped. */
export function matrixTranspose(a: Tensor): Tensor {
  if (a.shape.length < 2) throw runtimeError(`tensor.mT is only supported on matrices or batches of matrices. Got ${a.shape.length}-D tensor.`);
  return transpose(a, -2, -1);
}

export function transpose(a: Tensor, dim0: number, dim1: number): Tensor {
  const n = a.shape.length;
  return apply(VIEW_OPS.transpose, [a], { dim0: normalizeDim(dim0, n), dim1: normalizeDim(dim1, n) });
}

export function permute(a: Tensor, dims: readonly number[]): Tensor {
  const n = a.shape.length;
  if (dims.length !== n) {
    throw runtimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${n} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const normalized = dims.map((d) => normalizeDim(d, n));
  if (new Set(normalized).size !== normalized.length) throw runtimeError('permute(): duplicate dims are not allowed.');
  return apply(VIEW_OPS.permute, [a], { dims: normalized });
}

/** expand(sizes): -1 keeps a size; new leading dims are allowed. */
export function expand(a: Tensor, sizes: readonly number[]): Tensor {
  const n = a.shape.length;
  if (sizes.length < n) {
    throw runtimeError(
      `expand(${TENSOR_TYPE_NAME[a.dtype]}{[${a.shape.join(', ')}]}, size=[${sizes.join(', ')}]): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${n})`,
    );
  }
  const lead = sizes.length - n;
  const shape = sizes.map((s, i) => {
    if (i < lead) {
      if (s < 0) throw runtimeError(`The expanded size of the tensor (${s}) isn't allowed in a leading, non-existing dimension ${i}`);
      return s;
    }
    const own = a.shape[i - lead];
    if (s === -1) return own;
    if (own !== s && own !== 1) {
      throw runtimeError(
        `The expanded size of the tensor (${s}) must match the existing size (${own}) at non-singleton dimension ${i}.  Target sizes: [${sizes.join(', ')}].  Tensor sizes: [${a.shape.join(', ')}]`,
      );
    }
    return s;
  });
  return apply(VIEW_OPS.expand, [a], { shape });
}

export function squeeze(a: Tensor, dim: number | null = null): Tensor {
  return apply(VIEW_OPS.squeeze, [a], { dim: dim === null ? null : normalizeDim(dim, a.shape.length) });
}

export function unsqueeze(a: Tensor, dim: number): Tensor {
  return apply(VIEW_OPS.unsqueeze, [a], { dim: normalizeDim(dim, a.shape.length + 1) });
}

/** t.select(dim, index) (negative index counts from the end). */
export function select(a: Tensor, dim: number, index: number): Tensor {
  if (a.shape.length === 0) {
    throw indexError(
      'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number',
    );
  }
  const d = normalizeDim(dim, a.shape.length);
  const size = a.shape[d];
  if (index < -size || index >= size) {
    throw indexError(`select(): index ${index} out of range for tensor of size [${a.shape.join(', ')}] at dimension ${d}`);
  }
  return apply(VIEW_OPS.select, [a], { dim: d, index: index < 0 ? index + size : index, name: 'SelectBackward0' });
}

/** t[i] along dim with Python indexing's IndexError text. */
export function indexSelect(a: Tensor, dim: number, index: number): Tensor {
  const size = a.shape[dim];
  if (index < -size || index >= size) throw indexError(`index ${index} is out of bounds for dimension ${dim} with size ${size}`);
  return select(a, dim, index);
}

/**
 * t[start:stop:step] along dim with Python's slice bounds (negative values count from the end,
 * out-of-range ones are clamped); a view. `null` bounds mean the start or the end.
 */
export function slice(a: Tensor, dim: number, start: number | null, stop: number | null, step = 1): Tensor {
  if (a.shape.length === 0) throw indexError('slice() cannot be applied to a 0-dim tensor.');
  if (step <= 0) throw runtimeError('slice step must be positive');
  const d = normalizeDim(dim, a.shape.length);
  const size = a.shape[d];
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + size : v;
    return Math.min(Math.max(x, 0), size);
  };
  const from = clamp(start, 0);
  const to = Math.max(clamp(stop, size), from);
  return apply(VIEW_OPS.slice, [a], { dim: d, start: from, stop: to, step });
}

/** t.narrow(dim, start, length) */
export function narrow(a: Tensor, dim: number, start: number, length: number): Tensor {
  if (a.shape.length === 0) throw runtimeError('narrow() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, a.shape.length);
  const size = a.shape[d];
  if (start < -size || start > size) {
    throw indexError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  }
  const from = start < 0 ? start + size : start;
  if (from + length > size) throw runtimeError(`start (${from}) + length (${length}) exceeds dimension size (${size}).`);
  if (length < 0) throw runtimeError('narrow(): length must be non-negative.');
  return apply(VIEW_OPS.slice, [a], { dim: d, start: from, stop: from + length, step: 1 });
}

/** t.split(size, dim) / t.split([sizes], dim): views along dim (SplitBackward0 / SplitWithSizesBackward0). */
export function split(a: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  if (a.shape.length === 0) throw runtimeError('split expects at least a 1-dimensional tensor');
  const d = normalizeDim(dim, a.shape.length);
  const total = a.shape[d];
  let lengths: number[];
  if (typeof sizes === 'number') {
    if (sizes < 0) throw runtimeError(`split expects split_size be non-negative, but got split_size=${sizes}`);
    if (sizes === 0 && total !== 0) throw runtimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${total}`);
    const pieces = sizes === 0 ? 1 : Math.max(1, Math.ceil(total / sizes));
    lengths = Array.from({ length: pieces }, (_, i) => Math.min(sizes, total - i * sizes));
  } else {
    const sum = sizes.reduce((p, q) => p + q, 0);
    if (sum !== total) {
      throw runtimeError(`split_with_sizes expects split_sizes to sum exactly to ${total} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`);
    }
    lengths = [...sizes];
  }
  const name = typeof sizes === 'number' ? 'SplitBackward0' : 'SplitWithSizesBackward0';
  const out: Tensor[] = [];
  let start = 0;
  for (const length of lengths) {
    out.push(apply(VIEW_OPS.slice, [a], { dim: d, start, stop: start + length, step: 1, name }));
    start += length;
  }
  return out;
}

/** t.chunk(chunks, dim): pieces of ceil(size / chunks) along dim (fewer when they run out). */
export function chunk(a: Tensor, chunks: number, dim = 0): Tensor[] {
  if (a.shape.length === 0) throw runtimeError('chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw runtimeError('chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const size = a.shape[normalizeDim(dim, a.shape.length)];
  return split(a, Math.max(1, Math.ceil(size / chunks)), dim);
}

/** t.unbind(dim): the slices along dim (each a view; grad_fn UnbindBackward0). */
export function unbind(a: Tensor, dim = 0): Tensor[] {
  if (a.shape.length === 0) throw indexError('Dimension specified as 0 but tensor has no dimensions');
  const d = normalizeDim(dim, a.shape.length);
  const out: Tensor[] = [];
  for (let i = 0; i < a.shape[d]; i++) out.push(apply(VIEW_OPS.select, [a], { dim: d, index: i, name: 'UnbindBackward0' }));
  return out;
}

export function clone(a: Tensor): Tensor {
  return apply(VIEW_OPS.clone, [a], NONE);
}

/** t.contiguous(): t itself when contiguous, else a copy (CloneBackward0). */
export function contiguousOp(a: Tensor): Tensor {
  return a.isContiguous() ? a : clone(a);
}
