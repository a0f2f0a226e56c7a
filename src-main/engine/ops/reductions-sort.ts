// sort and topk: the order of each lane along a dim (NaN last, ties keep their positions) as
// int64 indices, and the values gathered by them (SortBackward0 / TopkBackward0 scatter the
// gradient back).
import { runtimeError } from '../errors';
import { normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { compareElements, contiguous, makeTensor, numbers } from './common';
import { scatterAlong } from './reductions-select';

export const SORT_OPS = {
  /** sort / topk values (the wrapper found the order; attrs carry the indices) */
  sortValues: defineOp<{ dim: number; indices: Tensor; name: 'SortBackward0' | 'TopkBackward0' }>({
    gradFn: (a) => a.name,
    forward: ([a], { dim, indices }) => gatherAlong(a, indices, dim),
    backward: (g, { inputMeta: [m], attrs: { dim, indices } }) => [scatterAlong(g, indices, dim, m.shape)],
  }),
};

/** a's elements at `indices` along dim (torch.gather). */
function gatherAlong(a: Tensor, indices: Tensor, dim: number): Tensor {
  const av = contiguous(a).data;
  const ix = numbers(indices);
  const out = makeTensor(a.dtype, indices.shape);
  const dst = out.data as { [index: number]: number | bigint };
  const shape = a.shape;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape.length === 0 ? 1 : shape[dim];
  const picked = indices.shape.length === 0 ? 1 : indices.shape[dim];
  for (let j = 0; j < ix.length; j++) {
    const k = j % inner;
    const o = Math.floor(j / (inner * picked));
    dst[j] = av[o * size * inner + ix[j] * inner + k];
  }
  return out;
}

/** Orders `values` as PyTorch's sort: NaN last, ties by position (int64 values are bigints). */
function orderOf(values: (number | bigint)[], descending: boolean): number[] {
  const idx = values.map((_, i) => i);
  idx.sort((i, j) => {
    const a = values[i];
    const b = values[j];
    if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0) || i - j;
    const c = descending ? compareElements(b, a) : compareElements(a, b);
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
  const od = out.data as BigInt64Array;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const row: (number | bigint)[] = [];
      for (let r = 0; r < size; r++) row.push(x[o * size * inner + r * inner + j]);
      const order = orderOf(row, descending);
      for (let r = 0; r < take; r++) od[o * take * inner + r * inner + j] = BigInt(order[r]);
    }
  }
  return out;
}

/** torch.sort: values (SortBackward0) and int64 indices; ties keep their order. */
export function sort(a: Tensor, dim = -1, descending = false): { values: Tensor; indices: Tensor } {
  const d = a.shape.length === 0 ? 0 : normalizeDim(dim, a.shape.length);
  const indices = orderAlong(a, d, descending, null);
  return { values: apply(SORT_OPS.sortValues, [a], { dim: d, indices, name: 'SortBackward0' }), indices };
}

/** torch.topk: the k largest (or smallest) along dim, sorted (TopkBackward0). */
export function topk(a: Tensor, k: number, dim = -1, largest = true): { values: Tensor; indices: Tensor } {
  const d = a.shape.length === 0 ? 0 : normalizeDim(dim, a.shape.length);
  const size = a.shape.length === 0 ? 1 : a.shape[d];
  if (k < 0 || k > size) throw runtimeError('selected index k out of range');
  const indices = orderAlong(a, d, largest, k);
  return { values: apply(SORT_OPS.sortValues, [a], { dim: d, indices, name: 'TopkBackward0' }), indices };
}
