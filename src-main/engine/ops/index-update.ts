// index_add / index_copy / index_fill: self with whole slices along a dim added to, overwritten
// or filled at the positions a 1-d index names (the slice-wise cousins of scatter), and
// cummax / cummin (the running extremum along a dim with where it was found). Each op computes,
// per element it touches, the flat place in self and in source, so forward and backward read the
// same map; duplicates in an index are applied in order, as ATen's loops apply them.
import { indexError, runtimeError } from '../errors';
import { castElement, castValue, TYPE_NAME, type NumericStorage, type ScalarLike, scalarValue } from '../dtype';
import { fma32, fma64 } from '../fma';
import { contiguousStrides, normalizeDim, numelOf } from '../shape';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { contiguous, floats, makeTensor, numbers, toDType } from './common';
import { forEachIndex, rearrange } from './rearrange';

interface PlaceAttrs {
  name: 'IndexAddBackward0' | 'IndexCopyBackward0';
  /** per source element: the flat place in self it goes to */
  to: Int32Array;
  alpha: number;
  /** ATen's 1-d loop multiplies then adds; the >1-d path is add_'s fused multiply-add */
  fused: boolean;
}

interface FillAttrs {
  /** the flat places in self the value goes to (each once) */
  to: Int32Array;
}

/** x + alpha * y in dtype as the index_add path computes it. */
function addScaled(dtype: Tensor['dtype'], x: number, y: number, alpha: number, fused: boolean): number {
  if (alpha === 1) return castValue(dtype, x + y);
  if (dtype === 'float32') return fused ? fma32(alpha, y, x) : Math.fround(x + Math.fround(y * alpha));
  if (dtype === 'float64') return fused ? fma64(alpha, y, x) : x + y * alpha;
  return castValue(dtype, x + y * alpha);
}

export const INDEX_UPDATE_OPS = {
  indexPlace: defineOp<PlaceAttrs>({
    gradFn: (a) => a.name,
    forward: ([self, source], { name, to, alpha, fused }) => {
      const out = makeTensor(self.dtype, self.shape, contiguous(self).data.slice());
      const data = out.data;
      if (data instanceof BigInt64Array) {
        // int64: exact, wrapping on the store (alpha is an integer here)
        const s = toDType(source, 'int64').data as BigInt64Array;
        const a = BigInt(Math.trunc(alpha));
        if (name === 'IndexCopyBackward0') for (let k = 0; k < to.length; k++) data[to[k]] = s[k];
        else for (let k = 0; k < to.length; k++) data[to[k]] += s[k] * a;
        return out;
      }
      const d = data;
      const src = numbers(contiguous(source));
      if (name === 'IndexCopyBackward0') for (let k = 0; k < to.length; k++) d[to[k]] = src[k];
      else for (let k = 0; k < to.length; k++) d[to[k]] = addScaled(self.dtype, d[to[k]], src[k], alpha, fused);
      return out;
    },
    // self: all of grad (index_add) or grad with the overwritten places zeroed (index_copy);
    // source: grad.index_select(dim, index), times alpha for index_add
    backward: (g, { needs, inputMeta: [, sourceMeta], attrs: { name, to, alpha } }) => {
      const gv = floats(contiguous(g));
      let gradSelf: Tensor | null = null;
      if (needs[0]) {
        gradSelf = makeTensor(g.dtype, g.shape, gv.slice());
        const gs = floats(gradSelf);
        if (name === 'IndexCopyBackward0') for (let k = 0; k < to.length; k++) gs[to[k]] = 0;
      }
      let gradSource: Tensor | null = null;
      if (needs[1]) {
        gradSource = makeTensor(g.dtype, sourceMeta.shape);
        const scale = name === 'IndexAddBackward0' && alpha !== 1 ? castValue(g.dtype, alpha) : 1;
        const gs = floats(gradSource);
        for (let k = 0; k < to.length; k++) gs[k] = scale === 1 ? gv[to[k]] : castValue(g.dtype, gv[to[k]] * scale);
      }
      return [gradSelf, gradSource];
    },
  }),
  /** index_fill with a 0-d tensor value (IndexFillBackward1; a Python number is a rearrange) */
  indexFillTensor: defineOp<FillAttrs>({
    gradFn: 'IndexFillBackward1',
    forward: ([self, value], { to }) => {
      const out = makeTensor(self.dtype, self.shape, contiguous(self).data.slice());
      const v = castElement(self.dtype, value.itemExact());
      const d = out.data as { [index: number]: number | bigint };
      for (let k = 0; k < to.length; k++) d[to[k]] = v;
      return out;
    },
    // value: the sum of grad over the filled places
    backward: (g, { needs, attrs: { to } }) => {
      const gv = floats(contiguous(g));
      let gradSelf: Tensor | null = null;
      if (needs[0]) {
        gradSelf = makeTensor(g.dtype, g.shape, gv.slice());
        const gs = floats(gradSelf);
        for (let k = 0; k < to.length; k++) gs[to[k]] = 0;
      }
      let gradValue: Tensor | null = null;
      if (needs[1]) {
        let sum = 0;
        for (let k = 0; k < to.length; k++) sum = castValue(g.dtype, sum + gv[to[k]]);
        gradValue = makeTensor(g.dtype, []);
        floats(gradValue)[0] = sum;
      }
      return [gradSelf, gradValue];
    },
  }),
};

/** Flat places of the slice at position i along dim d of shape, each element of the slice once, row-major. */
function slicePlaces(shape: readonly number[], d: number, positions: ArrayLike<number>): Int32Array {
  const strides = contiguousStrides(shape);
  const sliceShape = shape.map((s, q) => (q === d ? positions.length : s));
  const to = new Int32Array(numelOf(sliceShape));
  forEachIndex(sliceShape, (k, at) => {
    let t = 0;
    for (let q = 0; q < shape.length; q++) t += (q === d ? positions[at[q]] : at[q]) * strides[q];
    to[k] = t;
  });
  return to;
}

function indexVector(index: Tensor, what: string): NumericStorage {
  if (index.shape.length > 1) {
    throw indexError(`${what}(): Index is supposed to be a vector, but got dim: ${index.shape.length} with type: ${TYPE_NAME[index.dtype]} and size: [${index.shape.join(', ')}]`);
  }
  return numbers(contiguous(index));
}

/** self's shape with 0-d as [1] (ATen treats a scalar self as one element along dim 0). */
function asVector(shape: readonly number[]): readonly number[] {
  return shape.length === 0 ? [1] : shape;
}

/** The source's shape must be self's, but for dim (ATen's add_/copy of the slices checks it). */
function checkSlices(self: Tensor, source: Tensor, d: number): void {
  const s = asVector(self.shape);
  const src = asVector(source.shape);
  if (src.length !== s.length) throw runtimeError(`source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = [${self.shape.join(', ')}] source.shape = [${source.shape.join(', ')}]`);
  for (let q = 0; q < s.length; q++) {
    if (q !== d && s[q] !== src[q]) throw runtimeError(`The size of tensor a (${s[q]}) must match the size of tensor b (${src[q]}) at non-singleton dimension ${q < d ? q : q - 1}`);
  }
}

/** t.index_add(dim, index, source, alpha=1): self + alpha * source's slices added at index along dim. */
export function indexAdd(self: Tensor, dim: number, index: Tensor, source: Tensor, alpha = 1): Tensor {
  const shape = asVector(self.shape);
  const d = normalizeDim(dim, shape.length);
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw runtimeError(`index_add_(): Expected dtype int32/int64 for index but got: ${TYPE_NAME[index.dtype]}`);
  const idx = indexVector(index, 'index_add_');
  const sourceSize = source.shape.length === 0 ? 1 : source.shape[d];
  if (idx.length !== sourceSize) {
    throw runtimeError(`index_add_(): Number of indices (${idx.length}) should be equal to source.size(dim): (${sourceSize}), for dim: ${d}`);
  }
  if (source.dtype !== self.dtype) throw runtimeError(`index_add_(): self (${TYPE_NAME[self.dtype]}) and source (${TYPE_NAME[source.dtype]}) must have the same scalar type`);
  checkSlices(self, source, d);
  for (const i of idx) if (i < 0 || i >= shape[d]) throw indexError('index out of range in self');
  // ATen takes alpha in self's dtype (alpha=0.5 adds nothing to a long tensor)
  const a = castValue(self.dtype, alpha);
  return apply(INDEX_UPDATE_OPS.indexPlace, [self, source], { name: 'IndexAddBackward0', to: slicePlaces(shape, d, idx), alpha: a, fused: self.shape.length > 1 });
}

/** t.index_copy(dim, index, source): self with source's slices written at index along dim. */
export function indexCopy(self: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const shape = asVector(self.shape);
  const d = normalizeDim(dim, shape.length);
  if (index.dtype !== 'int64') throw runtimeError(`index_copy_(): Expected a long tensor for index, but got ${TYPE_NAME[index.dtype]}`);
  const idx = indexVector(index, 'index_copy_');
  const sourceSize = source.shape.length === 0 ? 1 : source.shape[d];
  if (idx.length !== sourceSize) throw indexError(`index_copy_(): Number of indices (${idx.length}) should be equal to source.size(dim) (${sourceSize})`);
  if (source.dtype !== self.dtype) throw runtimeError(`index_copy_(): self and source expected to have the same dtype, but got (self) ${TYPE_NAME[self.dtype]} and (source) ${TYPE_NAME[source.dtype]}`);
  checkSlices(self, source, d);
  for (const i of idx) if (i < 0 || i >= shape[d]) throw indexError(`index_copy_(): index ${i} is out of bounds for dimension ${d} with size ${shape[d]}`);
  return apply(INDEX_UPDATE_OPS.indexPlace, [self, source], { name: 'IndexCopyBackward0', to: slicePlaces(shape, d, idx), alpha: 1, fused: false });
}

/** t.index_fill(dim, index, value): self with the slices at index along dim set to value (a number or a 0-d tensor). */
export function indexFill(self: Tensor, dim: number, index: Tensor, value: ScalarLike | Tensor): Tensor {
  const shape = asVector(self.shape);
  const d = normalizeDim(dim, shape.length);
  if (index.dtype !== 'int64') throw indexError('index_fill_(): Expected dtype int64 for index.');
  if (value instanceof Tensor && value.shape.length > 0) {
    throw runtimeError(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.shape.length} dimension(s).`);
  }
  const idx = indexVector(index, 'index_fill_');
  const size = shape[d];
  const filled = new Uint8Array(size);
  for (const i of idx) {
    if (i < -size || i >= size) throw indexError(`index ${i} is out of bounds for dimension ${d} with size ${size}`);
    filled[i < 0 ? i + size : i] = 1;
  }
  const positions: number[] = [];
  for (let i = 0; i < size; i++) if (filled[i]) positions.push(i);
  const to = slicePlaces(shape, d, positions);
  if (value instanceof Tensor) return apply(INDEX_UPDATE_OPS.indexFillTensor, [self, value], { to });
  const from = new Int32Array(numelOf(self.shape));
  for (let i = 0; i < from.length; i++) from[i] = i;
  for (const t of to) from[t] = -1;
  return rearrange(self, 'IndexFillBackward0', self.shape, from, scalarValue(value));
}

/**
 * torch.cummax / cummin along dim: values (CummaxBackward0 / CumminBackward0, whose gradient
 * goes back to where each value was found) and int64 indices. A tie moves the index on to the
 * later element, and a NaN, once seen, stays the value (each later NaN taking the index), as
 * ATen's cummax_cummin_helper compares.
 */
export function cumulativeExtremum(self: Tensor, dim: number, max: boolean): { values: Tensor; indices: Tensor } {
  const shape = asVector(self.shape);
  const d = normalizeDim(dim, shape.length);
  const data = contiguous(self).data;
  const strides = contiguousStrides(shape);
  const from = new Int32Array(data.length);
  const indices = makeTensor('int64', self.shape);
  const ix = indices.data as BigInt64Array;
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = strides[d];
  const n = shape[d];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best: number | bigint = NaN;
      let at = 0;
      for (let k = 0; k < n; k++) {
        const p = base + k * inner;
        const x = data[p];
        if (k === 0 || x !== x || (best === best && (max ? x >= best : x <= best))) {
          best = x;
          at = k;
        }
        from[p] = base + at * inner;
        ix[p] = BigInt(at);
      }
    }
  }
  return { values: rearrange(self, max ? 'CummaxBackward0' : 'CumminBackward0', self.shape, from), indices };
}
