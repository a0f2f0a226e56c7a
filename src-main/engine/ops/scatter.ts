// scatter / scatter_add: self with the elements of src (or one value) written (added) at the
// places an index tensor names along a dim: the inverse of gather. out[index[i][j]][j] = src[i][j]
// for dim 0.
import { runtimeError } from '../errors';
import { castValue, type NumericStorage, type ScalarLike, scalarValue } from '../dtype';
import { contiguousStrides, normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { contiguous, makeTensor, numbers, toDType } from './common';
import { checkIndexDType, forEachIndex, rearrange } from './rearrange';

interface ScatterAttrs {
  add: boolean;
  /** per index element: the flat (row-major) place in self it writes to */
  to: Int32Array;
  /** per index element: the flat place in src it reads */
  from: Int32Array;
}

export const SCATTER_OPS = {
  scatter: defineOp<ScatterAttrs>({
    gradFn: (a) => (a.add ? 'ScatterAddBackward0' : 'ScatterBackward0'),
    forward: ([self, src], { add, to, from }) => {
      const out = makeTensor(self.dtype, self.shape, contiguous(self).data.slice());
      const values = toDType(src, self.dtype).data;
      const data = out.data;
      if (data instanceof BigInt64Array) {
        // int64: exact sums, wrapping on the store
        const v = values as BigInt64Array;
        for (let k = 0; k < to.length; k++) data[to[k]] = add ? data[to[k]] + v[from[k]] : v[from[k]];
        return out;
      }
      const v = values as NumericStorage;
      const round = self.dtype === 'float32' ? Math.fround : (x: number): number => castValue(self.dtype, x);
      for (let k = 0; k < to.length; k++) data[to[k]] = add ? round(data[to[k]] + v[from[k]]) : v[from[k]];
      return out;
    },
    // self: the gradient where nothing was written over (all of it for scatter_add); src: the gradient gathered back
    backward: (g, { needs, inputMeta: [, srcMeta], attrs: { add, to, from } }) => {
      const gv = contiguous(g).data;
      let gradSelf: Tensor | null = null;
      if (needs[0]) {
        gradSelf = makeTensor(g.dtype, g.shape, gv.slice());
        if (!add) for (let k = 0; k < to.length; k++) gradSelf.data[to[k]] = 0;
      }
      let gradSrc: Tensor | null = null;
      if (needs[1]) {
        gradSrc = makeTensor(g.dtype, srcMeta.shape);
        for (let k = 0; k < to.length; k++) gradSrc.data[from[k]] = gv[to[k]];
      }
      return [gradSelf, gradSrc];
    },
  }),
};

/** Where each element of index writes in self and reads in src, with PyTorch's checks. */
export function places(self: Tensor, dim: number, index: Tensor, srcShape: readonly number[] | null): { d: number; to: Int32Array; from: Int32Array } {
  checkIndexDType(index, 'scatter');
  const d = normalizeDim(dim, Math.max(self.shape.length, 1));
  const rank = Math.max(self.shape.length, 1);
  const selfShape = self.shape.length === 0 ? [1] : self.shape;
  const indexShape = index.shape.length === 0 ? [1] : index.shape;
  if (indexShape.length !== rank) throw runtimeError('Index tensor must have the same number of dimensions as self tensor');
  if (srcShape !== null && (srcShape.length === 0 ? 1 : srcShape.length) !== rank) {
    throw runtimeError('Index tensor must have the same number of dimensions as src tensor');
  }
  const src = srcShape === null ? null : srcShape.length === 0 ? [1] : srcShape;
  for (let q = 0; q < rank; q++) {
    if ((q !== d && indexShape[q] > selfShape[q]) || (src !== null && indexShape[q] > src[q])) {
      const suffix = src === null ? '' : ` and to be smaller size than src [${src.join(', ')}]`;
      throw runtimeError(`Expected index [${indexShape.join(', ')}] to be smaller than self [${selfShape.join(', ')}] apart from dimension ${d}${suffix}`);
    }
  }
  const idx = numbers(contiguous(index));
  const selfStrides = contiguousStrides(selfShape);
  const srcStrides = contiguousStrides(src ?? indexShape);
  const to = new Int32Array(idx.length);
  const from = new Int32Array(idx.length);
  forEachIndex(indexShape, (k, at) => {
    const i = idx[k];
    if (i < 0 || i >= selfShape[d]) throw runtimeError(`index ${i} is out of bounds for dimension ${d} with size ${selfShape[d]}`);
    let t = 0;
    let f = 0;
    for (let q = 0; q < rank; q++) {
      t += (q === d ? i : at[q]) * selfStrides[q];
      f += at[q] * srcStrides[q];
    }
    to[k] = t;
    from[k] = f;
  });
  return { d, to, from };
}

/** t.scatter(dim, index, src) / t.scatter(dim, index, value) (ScatterBackward1, a filled copy) / t.scatter_add(dim, index, src). */
export function scatter(self: Tensor, dim: number, index: Tensor, src: Tensor | ScalarLike, add = false): Tensor {
  if (src instanceof Tensor) {
    const { to, from } = places(self, dim, index, src.shape);
    return apply(SCATTER_OPS.scatter, [self, src], { add, to, from });
  }
  const { to } = places(self, dim, index, null);
  // a value: every written place takes it, which is a copy of self with those places filled
  const map = new Int32Array(self.numel());
  for (let i = 0; i < map.length; i++) map[i] = i;
  for (const t of to) map[t] = -1;
  return rearrange(self, 'ScatterBackward1', self.shape, map, scalarValue(src));
}
