// scatter(dim, index, src, reduce='add' | 'multiply'): scatter that adds to or multiplies the
// places it reaches instead of overwriting them, in index order. PyTorch 1.13 has no derivative
// for it: its grad_fn is NotImplemented, and backward() through it raises (so it stays out of
// OPS, the list of differentiable ops that the gradient checks cover).
import { runtimeError } from '../errors';
import { castValue, type NumericStorage, type ScalarLike, scalarValue } from '../dtype';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { contiguous, makeTensor, toDType } from './common';
import { places } from './scatter';

interface ScatterReduceAttrs {
  multiply: boolean;
  to: Int32Array;
  /** per index element: the flat place in src it reads, or -1 for the one value */
  from: Int32Array;
  value: number;
}

const SCATTER_REDUCE_OPS = {
  scatterWithReduce: defineOp<ScatterReduceAttrs>({
    gradFn: 'NotImplemented',
    forward: ([self, src], { multiply, to, from, value }) => {
      const out = makeTensor(self.dtype, self.shape, contiguous(self).data.slice());
      const data = out.data;
      if (data instanceof BigInt64Array) {
        // int64: exact, wrapping on the store
        const values = toDType(src, 'int64').data as BigInt64Array;
        const one = BigInt(Math.trunc(value));
        for (let k = 0; k < to.length; k++) {
          const v = from[k] < 0 ? one : values[from[k]];
          data[to[k]] = multiply ? data[to[k]] * v : data[to[k]] + v;
        }
        return out;
      }
      const d = data;
      const values = toDType(src, self.dtype).data as NumericStorage;
      for (let k = 0; k < to.length; k++) {
        const v = from[k] < 0 ? value : values[from[k]];
        d[to[k]] = castValue(self.dtype, multiply ? d[to[k]] * v : d[to[k]] + v);
      }
      return out;
    },
    backward: () => {
      throw runtimeError('derivative for aten::scatter is not implemented');
    },
  }),
};

/** t.scatter(dim, index, src or value, reduce=...) with PyTorch's check of the reduction's name. */
export function scatterReduce(self: Tensor, dim: number, index: Tensor, src: Tensor | ScalarLike, reduce: string): Tensor {
  if (reduce !== 'add' && reduce !== 'multiply') throw runtimeError('reduce argument must be either add or multiply.');
  const multiply = reduce === 'multiply';
  if (src instanceof Tensor) {
    const { to, from } = places(self, dim, index, src.shape);
    return apply(SCATTER_REDUCE_OPS.scatterWithReduce, [self, src], { multiply, to, from, value: 0 });
  }
  const { to } = places(self, dim, index, null);
  const value = castValue(self.dtype, scalarValue(src));
  return apply(SCATTER_REDUCE_OPS.scatterWithReduce, [self, makeTensor(self.dtype, [])], { multiply, to, from: new Int32Array(to.length).fill(-1), value });
}
