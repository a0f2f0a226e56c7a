// Python indexing of tensors as PyTorch 1.13 does it (torch/csrc/autograd/python_variable_indexing.cpp
// and ATen's index / index_put_): integers, slices, None and `...` make views; integer and
// boolean tensors (advanced indexing) gather a copy (IndexBackward0). Assignment writes through
// the same views, or with index_put_; with a graph, the target gets CopySlices or
// IndexPutBackward0. Also cat and stack.
import { indexError, runtimeError, valueError } from '../errors';
import { isFloating, isIntegral, resultType, TENSOR_TYPE_NAME } from '../dtype';
import type { DType, ScalarLike } from '../dtype';
import { isGradEnabled, noGrad } from '../grad-mode';
import { broadcastShapes, contiguousStrides, normalizeDim, numelOf, sameShape } from '../shape';
import { stridedCopy } from '../strided';
import { Tensor } from '../tensor';
import { apply, defineOp, record } from './registry';
import { asTensor, contiguous, copyInto, expandTo, floats, makeTensor, numbers, outputTensor, promotionOf, snapshotHistory, toDType } from './common';
import { rebaseView } from './rebase';
import { checkInPlaceAllowed } from './inplace';
import { select, selectRaw, slice, sliceRaw, unsqueeze, unsqueezeRaw, viewOf } from './views';
import { to } from './elementwise';
import { sumTo } from './reductions';

/** One element of a Python index (the binding turns lists into tensors). */
export type IndexItem =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; tensor: Tensor };

/** The part of an index applied as views, and the tensors left for advanced indexing. */
interface Sliced {
  result: Tensor;
  /** per dim of result: an index tensor, or null (empty when there is no advanced index) */
  indices: (Tensor | null)[];
}

const isMask = (t: Tensor): boolean => t.dtype === 'bool' || t.dtype === 'uint8';

/** applySlicing: the basic part of `index`, each step a recorded view op. */
function applySlicing(t: Tensor, items: readonly IndexItem[], ops: ViewSteps): Sliced {
  let specified = 0;
  for (const item of items) {
    if (item.kind === 'int' || item.kind === 'slice') specified++;
    else if (item.kind === 'tensor') specified += isMask(item.tensor) ? item.tensor.shape.length : 1;
  }
  if (specified > t.shape.length) throw indexError(`too many indices for tensor of dimension ${t.shape.length}`);
  let result = t;
  let dim = 0;
  const indices: (Tensor | null)[] = [];
  const recordIndex = (index: Tensor): void => {
    while (indices.length < dim) indices.push(null);
    indices[dim] = index;
    dim++;
  };
  items.forEach((item, realDim) => {
    switch (item.kind) {
      case 'int':
        result = ops.select(result, dim, item.value, realDim);
        return;
      case 'slice': {
        const size = result.shape[dim];
        const start = item.start ?? 0;
        const step = item.step ?? 1;
        // PyTorch skips a slice that is exactly 0:size:1 written out (`:` itself is kept)
        if (!(start === 0 && item.stop === size && step === 1)) result = ops.slice(result, dim, item.start, item.stop, step);
        dim++;
        return;
      }
      case 'none':
        result = ops.unsqueeze(result, dim);
        dim++;
        return;
      case 'ellipsis':
        dim += t.shape.length - specified;
        return;
      case 'tensor': {
        const index = item.tensor;
        if (index.shape.length === 0 && isIntegral(index.dtype) && index.dtype !== 'uint8') {
          result = ops.select(result, dim, index.item(), realDim);
        } else if (index.shape.length === 0 && isMask(index)) {
          result = ops.unsqueeze(result, dim);
          recordIndex(index.item() !== 0 ? zeroIndex() : emptyIndex());
        } else recordIndex(index);
      }
    }
  });
  return { result, indices };
}

const zeroIndex = (): Tensor => makeTensor('int64', [1]);
const emptyIndex = (): Tensor => makeTensor('int64', [0]);

/** The view steps of applySlicing: recorded ops for reading, plain views for writing. */
interface ViewSteps {
  select(t: Tensor, dim: number, index: number, realDim: number): Tensor;
  slice(t: Tensor, dim: number, start: number | null, stop: number | null, step: number): Tensor;
  unsqueeze(t: Tensor, dim: number): Tensor;
}

function checkSelect(t: Tensor, dim: number, index: number, realDim: number): number {
  if (t.shape.length === 0) {
    throw indexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
  }
  const size = t.shape[dim];
  if (index < -size || index >= size) throw indexError(`index ${index} is out of bounds for dimension ${realDim} with size ${size}`);
  return index < 0 ? index + size : index;
}

const RECORDED: ViewSteps = {
  select: (t, dim, index, realDim) => select(t, dim, checkSelect(t, dim, index, realDim)),
  slice: (t, dim, start, stop, step) => {
    if (step === 0) throw valueError('slice step cannot be zero');
    if (step < 0) throw valueError('step must be greater than zero');
    return slice(t, dim, start, stop, step);
  },
  unsqueeze: (t, dim) => unsqueeze(t, dim),
};

/** Slice bounds clamped as at::slice clamps them. */
function sliceBounds(size: number, start: number | null, stop: number | null): [number, number] {
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    return Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  };
  const from = clamp(start, 0);
  return [from, Math.max(clamp(stop, size), from)];
}

const PLAIN: ViewSteps = {
  select: (t, dim, index, realDim) => selectRaw(t, dim, checkSelect(t, dim, index, realDim)),
  slice: (t, dim, start, stop, step) => {
    if (t.shape.length === 0) throw indexError('slice() cannot be applied to a 0-dim tensor.');
    if (step === 0) throw valueError('slice step cannot be zero');
    if (step < 0) throw valueError('step must be greater than zero');
    const [from, to] = sliceBounds(t.shape[dim], start, stop);
    return sliceRaw(t, dim, from, to, step);
  },
  unsqueeze: (t, dim) => unsqueezeRaw(t, dim),
};

// ---------------------------------------------------------------------------------------------
// Advanced indexing (ATen's index / index_put_)

/** The index tensors expanded (masks become their nonzero coordinates) and broadcast together. */
interface AdvancedPlan {
  /** the indexed dims of the source, in order */
  dims: number[];
  /** per indexed dim: indices (int64, normalized to be non-negative) over `shape` */
  values: Float64Array[];
  /** broadcast shape of the index tensors */
  shape: number[];
  /** output shape of self[indices] */
  outShape: number[];
  /** how many of the non-indexed dims come before the broadcast block in the output */
  before: number;
}

function planAdvanced(self: Tensor, indices: readonly (Tensor | null)[]): AdvancedPlan {
  const expanded: (Tensor | null)[] = [];
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (index === null) {
      expanded.push(null);
      continue;
    }
    if (isFloating(index.dtype) || index.dtype === 'int32') throw indexError('tensors used as indices must be long, byte or bool tensors');
    if (isMask(index)) {
      const j = expanded.length;
      for (let d = 0; d < index.shape.length; d++) {
        const srcSize = self.shape[j + d];
        if (j + d >= self.shape.length || index.shape[d] !== srcSize) {
          throw indexError(
            `The shape of the mask [${index.shape.join(', ')}] at index ${d} does not match the shape of the indexed tensor [${self.shape.join(', ')}] at index ${j + d}`,
          );
        }
      }
      for (const coords of nonzeroColumns(index)) expanded.push(coords);
    } else expanded.push(index);
  }
  if (expanded.length > self.shape.length) throw indexError(`too many indices for tensor of dimension ${self.shape.length}`);
  const dims: number[] = [];
  const tensors: Tensor[] = [];
  expanded.forEach((t, d) => {
    if (t !== null) {
      dims.push(d);
      tensors.push(t);
    }
  });
  let shape: number[] = tensors[0].shape.slice();
  for (let k = 1; k < tensors.length; k++) {
    try {
      shape = broadcastShapes(shape, tensors[k].shape);
    } catch {
      throw indexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${tensors.map((t) => `[${t.shape.join(', ')}]`).join(', ')}`);
    }
  }
  const values = tensors.map((t, k) => {
    const dim = dims[k];
    const size = self.shape[dim];
    const v = Float64Array.from(numbers(expandTo(t, shape)));
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x < -size || x >= size) throw indexError(`index ${x} is out of bounds for dimension ${dim} with size ${size}`);
      if (x < 0) v[i] = x + size;
    }
    return v;
  });
  const adjacent = dims[dims.length - 1] - dims[0] === dims.length - 1;
  const rest = self.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const before = adjacent ? rest.filter((d) => d < dims[0]).length : 0;
  const restShape = rest.map((d) => self.shape[d]);
  return { dims, values, shape, outShape: [...restShape.slice(0, before), ...shape, ...restShape.slice(before)], before };
}

/** The coordinates of a mask's true elements, one int64 tensor per mask dimension (nonzero). */
export function nonzeroColumns(mask: Tensor): Tensor[] {
  const data = numbers(contiguous(mask));
  const strides = contiguousStrides(mask.shape);
  const hits: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) hits.push(i);
  return mask.shape.map((_, d) => {
    const col = makeTensor('int64', [hits.length]);
    const cd = col.data as BigInt64Array;
    for (let k = 0; k < hits.length; k++) cd[k] = BigInt(Math.floor(hits[k] / strides[d]) % mask.shape[d]);
    return col;
  });
}

/** Calls visit(outputFlatIndex, storageOffset) for every element of self[indices] (self's layout). */
function forEachAdvanced(self: Tensor, plan: AdvancedPlan, visit: (out: number, at: number) => void): void {
  const strides = self.strides();
  const rest = self.shape.map((_, d) => d).filter((d) => !plan.dims.includes(d));
  const restOffsets = offsetsOf(rest.map((d) => self.shape[d]), rest.map((d) => strides[d]));
  const blockSize = numelOf(plan.shape);
  const blockOffsets = new Float64Array(blockSize);
  plan.dims.forEach((d, k) => {
    const v = plan.values[k];
    for (let i = 0; i < blockSize; i++) blockOffsets[i] += v[i] * strides[d];
  });
  const outerCount = numelOf(rest.slice(0, plan.before).map((d) => self.shape[d]));
  const innerCount = restOffsets.length / Math.max(outerCount, 1);
  let out = 0;
  for (let p = 0; p < outerCount; p++) {
    for (let k = 0; k < blockSize; k++) {
      for (let q = 0; q < innerCount; q++) visit(out++, self._offset + restOffsets[p * innerCount + q] + blockOffsets[k]);
    }
  }
}

/** Storage offsets of every index of (shape, strides), row-major. */
function offsetsOf(shape: readonly number[], strides: readonly number[]): Float64Array {
  const out = new Float64Array(numelOf(shape));
  let filled = out.length > 0 ? 1 : 0;
  // out[0, filled) holds the offsets of the dims after d; block i of dim d is block 0 + i * stride
  for (let d = shape.length - 1; d >= 0; d--) {
    for (let i = shape[d] - 1; i > 0; i--) for (let j = 0; j < filled; j++) out[i * filled + j] = out[j] + i * strides[d];
    filled *= shape[d];
  }
  return out;
}

interface IndexAttrs {
  indices: readonly (Tensor | null)[];
  plan: AdvancedPlan;
}

export const INDEXING_OPS = {
  /** self[indices] with index tensors: a gathered copy */
  index: defineOp<IndexAttrs>({
    gradFn: 'IndexBackward0',
    forward: ([a], { plan }) => {
      const out = outputTensor(a.dtype, plan.outShape);
      const src = a._storageData();
      const dst = out.data;
      forEachAdvanced(a, plan, (o, at) => (dst[o] = src[at]));
      return out;
    },
    // zeros(self).index_put_(indices, grad, accumulate=True)
    backward: (g, { inputMeta: [m], attrs: { plan } }) => {
      const out = makeTensor(g.dtype, m.shape);
      const gv = floats(contiguous(g));
      const dst = floats(out);
      forEachAdvanced(out, plan, (o, at) => (dst[at] += gv[o]));
      return [out];
    },
  }),
  /** torch.cat along dim (inputs already in the result dtype) */
  cat: defineOp<{ dim: number }>({
    gradFn: 'CatBackward0',
    forward: (inputs, { dim }) => catRaw(inputs, dim),
    backward: (g, { inputMeta, attrs: { dim } }) => {
      let start = 0;
      return inputMeta.map((m) => {
        const size = m.shape[dim];
        const part = sliceRaw(g, dim, start, start + size, 1);
        start += size;
        return part;
      });
    },
  }),
  /** torch.stack: cat of the inputs unsqueezed at dim */
  stack: defineOp<{ dim: number }>({
    gradFn: 'StackBackward0',
    forward: (inputs, { dim }) => catRaw(inputs.map((t) => unsqueezeRaw(t, dim)), dim),
    backward: (g, { inputMeta, attrs: { dim } }) => inputMeta.map((_, i) => selectRaw(g, dim, i)),
  }),
};

function catRaw(inputs: readonly Tensor[], dim: number): Tensor {
  const shape = inputs[0].shape.slice();
  shape[dim] = inputs.reduce((n, t) => n + t.shape[dim], 0);
  const out = outputTensor(inputs[0].dtype, shape);
  const outStrides = contiguousStrides(shape);
  let start = 0;
  for (const t of inputs) {
    stridedCopy(t._storageData(), t._offset, t.strides(), out.data, start * outStrides[dim], outStrides, t.shape, null);
    start += t.shape[dim];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public wrappers

/** t[index]: `items` as the binding parsed them; `tuple` when the index was a tuple (t[1, 2], t[:, 0]). */
export function getItem(t: Tensor, items: readonly IndexItem[], tuple: boolean): Tensor {
  if (!tuple && items.length === 1) {
    const item = items[0];
    if (item.kind === 'int') return RECORDED.select(t, 0, item.value, 0);
    if (item.kind === 'slice') {
      if (t.shape.length === 0) throw indexError('slice() cannot be applied to a 0-dim tensor.');
      return RECORDED.slice(t, 0, item.start, item.stop, item.step ?? 1);
    }
    if (item.kind === 'none') return unsqueeze(t, 0);
    if (item.kind === 'ellipsis') return alias(t);
  }
  const { result, indices } = applySlicing(t, items, RECORDED);
  if (indices.length === 0) return result === t ? alias(t) : result;
  return index(result, indices);
}

/** self[indices] for index tensors (null entries: whole dims), IndexBackward0. */
export function index(self: Tensor, indices: readonly (Tensor | null)[]): Tensor {
  const plan = planAdvanced(self, indices);
  return apply(INDEXING_OPS.index, [self], { indices, plan });
}

const ALIAS = defineOp<Record<string, never>>({
  gradFn: 'AliasBackward0',
  forward: ([a]) => viewOf(a, a.shape, a.strides(), a._offset),
  backward: (g) => [g],
});
/** t[...]: a view of all of t. */
export function alias(t: Tensor): Tensor {
  return apply(ALIAS, [t], {});
}

/** The leading size-1 dims of a value are dropped before it is broadcast into the target (slicePrefix1sSize). */
function stripLeadingOnes(shape: readonly number[]): number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** copy_to's expand_inplace(dst, src, "setitem") checks, with PyTorch's messages. */
function checkExpandable(source: readonly number[], sourceDType: DType, target: readonly number[]): void {
  if (source.length > target.length) {
    throw runtimeError(
      `expand(${TENSOR_TYPE_NAME[sourceDType]}{[${source.join(', ')}]}, size=[${target.join(', ')}]): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${source.length})`,
    );
  }
  const lead = target.length - source.length;
  for (let d = target.length - 1; d >= lead; d--) {
    const size = source[d - lead];
    if (size !== target[d] && size !== 1) {
      throw runtimeError(
        `The expanded size of the tensor (${target[d]}) must match the existing size (${size}) at non-singleton dimension ${d}.  Target sizes: [${target.join(', ')}].  Tensor sizes: [${source.join(', ')}]`,
      );
    }
  }
}

/** Writes `value` into self[indices] (index_put_, accumulate=False): the last write wins. */
function indexPutRaw(self: Tensor, plan: AdvancedPlan, value: Tensor): void {
  const src = expandTo(toDType(value, self.dtype), plan.outShape).data;
  const dst = self._storageData();
  forEachAdvanced(self, plan, (o, at) => (dst[at] = src[o]));
}

/** A Python value being assigned, as a tensor of the target's dtype when it is a number. */
function valueTensor(target: Tensor, value: Tensor | ScalarLike): Tensor {
  if (value instanceof Tensor) return value;
  const t = asTensor(value);
  return toDType(t, target.dtype);
}

interface SetItemAttrs {
  items: readonly IndexItem[];
  tuple: boolean;
}

/** The region of a tensor of this shape that `items` address: logical (view) part and index tensors. */
function region(t: Tensor, items: readonly IndexItem[], tuple: boolean): Sliced {
  if (!tuple && items.length === 1) {
    const item = items[0];
    if (item.kind === 'int') return { result: PLAIN.select(t, 0, item.value, 0), indices: [] };
    if (item.kind === 'slice') {
      if (t.shape.length === 0) throw indexError('slice() cannot be applied to a 0-dim tensor.');
      return { result: PLAIN.slice(t, 0, item.start, item.stop, item.step ?? 1), indices: [] };
    }
    if (item.kind === 'none') return { result: unsqueezeRaw(t, 0), indices: [] };
  }
  return applySlicing(t, items, PLAIN);
}

/** Writes value into the region of `target` (no graph). */
function writeRegion(target: Tensor, items: readonly IndexItem[], tuple: boolean, value: Tensor): void {
  const { result, indices } = region(target, items, tuple);
  if (indices.length === 0) {
    if (value.shape.length === 0) {
      copyInto(result, value);
      return;
    }
    const stripped = stripLeadingOnes(value.shape);
    checkExpandable(stripped, value.dtype, result.shape);
    copyInto(result, viewOf(contiguous(value), stripped, contiguousStrides(stripped), 0));
    return;
  }
  const plan = planAdvanced(result, indices);
  const stripped = stripLeadingOnes(value.shape);
  const shape = plan.outShape;
  const lead = shape.length - stripped.length;
  if (lead < 0 || stripped.some((s, i) => s !== 1 && s !== shape[lead + i])) {
    throw runtimeError(`shape mismatch: value tensor of shape [${value.shape.join(', ')}] cannot be broadcast to indexing result of shape [${shape.join(', ')}]`);
  }
  indexPutRaw(result, plan, viewOf(contiguous(value), stripped, contiguousStrides(stripped), 0));
}

const SET_ITEM = defineOp<SetItemAttrs & { name: string; valueShape: readonly number[] }>({
  gradFn: (a) => a.name,
  forward: () => {
    throw runtimeError('setitem records its node after writing');
  },
  // self: grad with the written region zeroed;  value: grad of the region, summed to value's shape
  backward: (g, { needs, attrs: { items, tuple, valueShape } }) => {
    const selfGrad = needs[0] ? copyOfGrad(g) : null;
    if (selfGrad) writeRegion(selfGrad, items, tuple, makeTensor(g.dtype, []));
    let valueGrad: Tensor | null = null;
    if (needs[1]) {
      const { result, indices } = region(contiguous(g), items, tuple);
      const part = indices.length === 0 ? contiguous(result) : noGrad(() => index(result, indices));
      const stripped = stripLeadingOnes(valueShape);
      const summed = valueShape.length === 0 ? sumTo(part, []) : sumTo(part, stripped);
      valueGrad = new Tensor(contiguous(summed).data, valueShape, summed.dtype);
    }
    return [selfGrad, valueGrad];
  },
});

function copyOfGrad(g: Tensor): Tensor {
  const out = makeTensor(g.dtype, g.shape);
  out.data = contiguous(g).data;
  return out;
}

/**
 * t[index] = value. Without a graph the values are written in place; when t or value needs
 * a gradient, t's history becomes CopySlices (or IndexPutBackward0 for index tensors on t
 * itself), as PyTorch records it.
 */
export function setItem(t: Tensor, items: readonly IndexItem[], tuple: boolean, value: Tensor | ScalarLike): void {
  const v = valueTensor(t, value);
  const graph = isGradEnabled() && (t.requiresGrad || v.requiresGrad);
  const advanced = items.some((i) => i.kind === 'tensor' && !(i.tensor.shape.length === 0 && isIntegral(i.tensor.dtype) && i.tensor.dtype !== 'uint8'));
  const onSelf = advanced && items.every((i) => i.kind === 'tensor' || (i.kind === 'slice' && i.start === null && i.stop === null && i.step === null) || i.kind === 'ellipsis');
  if (graph) {
    if (t.isLeaf && t.requiresGrad) {
      throw runtimeError(
        onSelf
          ? 'a leaf Variable that requires grad is being used in an in-place operation.'
          : 'a view of a leaf Variable that requires grad is being used in an in-place operation.',
      );
    }
    // writing into a view of such a leaf (w.view(2)[0] = 5) changes the leaf too
    checkInPlaceAllowed(t);
  }
  const before = graph ? snapshotHistory(t) : null;
  writeRegion(t, items, tuple, v);
  t._version.value++;
  if (before !== null) {
    const name = onSelf ? 'IndexPutBackward0' : 'CopySlices';
    record(SET_ITEM, [before, v], { items, tuple, name, valueShape: v.shape }, t);
    if (t._base !== null) rebaseView(t);
  }
}

/** torch.cat(tensors, dim): dtypes promote, sizes must agree except along dim. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw runtimeError('torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((t, i) => {
    if (t.shape.length === 0) throw runtimeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  // 1-D empty tensors are skipped, as legacy PyTorch allows
  const parts = tensors.filter((t) => !(t.shape.length === 1 && t.shape[0] === 0));
  const ref = parts[0] ?? tensors[0];
  const d = normalizeDim(dim, ref.shape.length);
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i];
    if (t.shape.length !== ref.shape.length) throw runtimeError(`Tensors must have same number of dimensions: got ${ref.shape.length} and ${t.shape.length}`);
    for (let k = 0; k < t.shape.length; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw runtimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${tensors.indexOf(t)} in the list.`,
        );
      }
    }
  }
  const dtype = resultType(tensors.map((t) => ({ ...promotionOf(t), priority: 'dim' as const })));
  if (parts.length === 0) return makeTensor(dtype, [0]);
  return apply(INDEXING_OPS.cat, parts.map((t) => convertForCat(t, dtype)), { dim: d });
}

/** torch.stack(tensors, dim): all of one shape, a new dim at `dim`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw runtimeError('stack expects a non-empty TensorList');
  const ref = tensors[0];
  for (let i = 1; i < tensors.length; i++) {
    if (!sameShape(tensors[i].shape, ref.shape)) {
      throw runtimeError(`stack expects each tensor to be equal size, but got [${ref.shape.join(', ')}] at entry 0 and [${tensors[i].shape.join(', ')}] at entry ${i}`);
    }
  }
  const d = normalizeDim(dim, ref.shape.length + 1);
  const dtype = resultType(tensors.map((t) => ({ ...promotionOf(t), priority: 'dim' as const })));
  return apply(INDEXING_OPS.stack, tensors.map((t) => convertForCat(t, dtype)), { dim: d });
}

function convertForCat(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : to(t, dtype);
}
