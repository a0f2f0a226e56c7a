// Reductions that pick elements: max/min of all elements or along a dim (values with their
// int64 indices), argmax/argmin, and median(dim)/kthvalue/mode, which share max(dim)'s node
// (value_selecting_reduction_backward: the gradient goes back to the picked positions).
import { runtimeError, indexError } from '../errors';
import type { Storage } from '../dtype';
import { normalizeDim } from '../shape';
import { BinaryOp } from '../kernels';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { compareElements, contiguous, floats, makeTensor, numbers, scalarTensor } from './common';
import { arith } from './elementwise-raw';

interface MaxAttrs {
  min: boolean;
}
interface MaxDimAttrs {
  min: boolean;
  /** the grad_fn of another value-selecting reduction (MedianBackward1, KthvalueBackward0, ModeBackward0) */
  name?: string;
  dim: number;
  keepdim: boolean;
  /** what the wrapper found (extremeAlong): values and int64 indices, keepdim shapes */
  picked: { values: Tensor; indices: Tensor };
}

/** max(a, b) as PyTorch's reductions compare: NaN wins, the first of equal values is kept. */
function better(candidate: number | bigint, best: number | bigint, min: boolean): boolean {
  if (best !== best) return false;
  if (candidate !== candidate) return true;
  return min ? candidate < best : candidate > best;
}

/** The index of the max (or min) of t's elements in row-major order (first one on ties). */
function argExtreme(values: Storage, min: boolean): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (better(values[i], values[best], min)) best = i;
  return best;
}

/** Values and indices of max/min along `dim`, keeping it as size 1. */
function extremeAlong(t: Tensor, dim: number, min: boolean): { values: Tensor; indices: Tensor } {
  return pickAlong(t, dim, (lane) => {
    let best = 0;
    for (let r = 1; r < lane.length; r++) if (better(lane[r], lane[best], min)) best = r;
    return best;
  });
}

/** For every lane along dim: the element `pick` chooses (its position in the lane), as keepdim values and int64 indices. */
function pickAlong(t: Tensor, dim: number, pick: Picker): { values: Tensor; indices: Tensor } {
  const src = contiguous(t).data;
  const shape = t.shape;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const keptShape = shape.map((s, i) => (i === dim ? 1 : s));
  const values = makeTensor(t.dtype, keptShape);
  const indices = makeTensor('int64', keptShape);
  const v = values.data as { [index: number]: number | bigint };
  const ix = indices.data as BigInt64Array;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * size * inner + k;
      const lane: (number | bigint)[] = [];
      for (let r = 0; r < size; r++) lane.push(src[base + r * inner]);
      const best = pick(lane);
      v[o * inner + k] = src[base + best * inner];
      ix[o * inner + k] = BigInt(best);
    }
  }
  return { values, indices };
}

export const SELECT_OPS = {
  /** max() / min() of all elements */
  max: defineOp<MaxAttrs>({
    gradFn: (a) => (a.min ? 'MinBackward1' : 'MaxBackward1'),
    forward: ([a], { min }) => {
      const values = contiguous(a).data;
      const out = makeTensor(a.dtype, []);
      (out.data as { [index: number]: number | bigint })[0] = values[argExtreme(values, min)];
      return out;
    },
    save: () => ({ inputs: [true], output: true }),
    // evenly_distribute_backward: grad / count on every element equal to the result
    backward: (g, { inputs: [a], output }) => {
      const value = output!.data[0];
      const src = contiguous(a!).data;
      const matches = (x: number | bigint): boolean => (value !== value ? x !== x : x === value);
      let count = 0;
      for (let i = 0; i < src.length; i++) if (matches(src[i])) count++;
      const share = floats(arith(BinaryOp.Div, g, scalarTensor(count), g.dtype))[0];
      const out = makeTensor(g.dtype, a!.shape);
      const od = floats(out);
      for (let i = 0; i < src.length; i++) if (matches(src[i])) od[i] = share;
      return [out];
    },
  }),
  /** values of max(dim) / min(dim); the indices are kept in attrs for backward */
  maxDim: defineOp<MaxDimAttrs>({
    gradFn: (a) => a.name ?? (a.min ? 'MinBackward0' : 'MaxBackward0'),
    forward: ([a], { dim, keepdim, picked: { values } }) =>
      keepdim ? values : new Tensor(values.data, a.shape.filter((_, i) => i !== dim), values.dtype, values._version),
    // value_selecting_reduction_backward: grad scattered to the picked indices
    backward: (g, { inputMeta: [m], attrs: { dim, keepdim, picked } }) => [
      scatterAlong(keepdim ? g : unsqueezeAt(g, dim), picked.indices, dim, m.shape),
    ],
  }),
};

/** g with a size-1 dim put back at `dim`. */
export function unsqueezeAt(g: Tensor, dim: number): Tensor {
  const shape = g.shape.slice();
  shape.splice(dim, 0, 1);
  return new Tensor(contiguous(g).data, shape, g.dtype, g._version);
}

/** out[..., indices[..., j, ...], ...] += g[..., j, ...] along dim, into zeros of `shape`. */
export function scatterAlong(g: Tensor, indices: Tensor, dim: number, shape: readonly number[]): Tensor {
  const gv = floats(contiguous(g));
  const ix = numbers(indices);
  const out = makeTensor(g.dtype, shape);
  const od = floats(out);
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const picked = indices.shape.length === 0 ? 1 : indices.shape[dim];
  for (let j = 0; j < ix.length; j++) {
    const k = j % inner;
    const o = Math.floor(j / (inner * picked));
    od[o * size * inner + ix[j] * inner + k] += gv[j];
  }
  return out;
}

function checkNotEmpty(a: Tensor, name: string): void {
  if (a.numel() === 0) {
    throw runtimeError(
      `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
}

/** t.max() / t.min(): the largest (smallest) element; NaN if there is one. */
export function max(a: Tensor, min = false): Tensor {
  checkNotEmpty(a, min ? 'min' : 'max');
  return apply(SELECT_OPS.max, [a], { min });
}

/** t.max(dim) / t.min(dim): values (with a gradient) and int64 indices. */
export function maxDim(a: Tensor, dim: number, keepdim: boolean, min = false): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, a.shape.length);
  const name = min ? 'min' : 'max';
  const x = a.shape.length === 0 ? a.reshape([1]) : a;
  if (x.shape[d] === 0) throw indexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  const picked = extremeAlong(x, d, min);
  const values = apply(SELECT_OPS.maxDim, [x], { min, dim: d, keepdim: keepdim && a.shape.length > 0, picked });
  const idx = picked.indices;
  const indices = keepdim && a.shape.length > 0 ? idx : new Tensor(idx.data, values.shape, 'int64', idx._version);
  return { values, indices };
}

/** t.argmax(dim=None, keepdim=False) / argmin: int64 indices (of the flattened tensor without dim). */
export function argmax(a: Tensor, dim: number | null, keepdim: boolean, min = false): Tensor {
  const name = min ? 'argmin' : 'argmax';
  if (dim === null) {
    if (a.numel() === 0) throw runtimeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const out = makeTensor('int64', keepdim ? a.shape.map(() => 1) : []);
    (out.data as BigInt64Array)[0] = BigInt(argExtreme(contiguous(a).data, min));
    return out;
  }
  const d = normalizeDim(dim, a.shape.length);
  if (a.shape.length === 0) return makeTensor('int64', []);
  if (a.shape[d] === 0) throw indexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
  const { indices } = extremeAlong(a, d, min);
  return keepdim ? indices : new Tensor(indices.data, a.shape.filter((_, i) => i !== d), 'int64', indices._version);
}

/** Lane positions in ascending value order (NaN last; equal values keep their order). */
function ascending(lane: (number | bigint)[]): number[] {
  return lane
    .map((_, i) => i)
    .sort((i, j) => {
      const a = lane[i];
      const b = lane[j];
      if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0);
      return compareElements(a, b) || i - j;
    });
}

/** Picks one position of a lane (int64 lanes hold bigints). */
type Picker = (lane: (number | bigint)[]) => number;

function selectAlong(a: Tensor, dim: number, keepdim: boolean, name: string, what: string, pick: Picker): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, Math.max(a.shape.length, 1));
  const x = a.shape.length === 0 ? a.reshape([1]) : a;
  if (x.shape[d] === 0) throw indexError(`${what}(): Expected reduction dim ${d} to have non-zero size.`);
  const picked = pickAlong(x, d, pick);
  const values = apply(SELECT_OPS.maxDim, [x], { min: false, name, dim: d, keepdim: keepdim && a.shape.length > 0, picked });
  const idx = picked.indices;
  const indices = keepdim && a.shape.length > 0 ? idx : new Tensor(idx.data, values.shape, 'int64', idx._version);
  return { values, indices };
}

/** t.median(dim): the lower middle value of each lane and where it is (MedianBackward1). */
export function medianDim(a: Tensor, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  return selectAlong(a, dim, keepdim, 'MedianBackward1', 'median', (lane) => {
    const order = ascending(lane);
    const nan = order.find((i) => lane[i] !== lane[i]);
    return nan ?? order[(lane.length - 1) >> 1];
  });
}

/** t.kthvalue(k, dim): the k-th smallest value of each lane (1-based) and where it is. */
export function kthvalue(a: Tensor, k: number, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, Math.max(a.shape.length, 1));
  const size = a.shape.length === 0 ? 1 : a.shape[d];
  if (k < 1 || k > size) throw runtimeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  return selectAlong(a, dim, keepdim, 'KthvalueBackward0', 'kthvalue', (lane) => ascending(lane)[k - 1]);
}

/** t.mode(dim): the most frequent value of each lane (the smallest of equally frequent ones) and its last position. */
export function mode(a: Tensor, dim: number, keepdim: boolean): { values: Tensor; indices: Tensor } {
  return selectAlong(a, dim, keepdim, 'ModeBackward0', 'mode', (lane) => {
    const order = ascending(lane);
    let best = order[0];
    let bestCount = 0;
    let count = 0;
    for (let i = 0; i < order.length; i++) {
      count = i > 0 && lane[order[i]] === lane[order[i - 1]] ? count + 1 : 1;
      if (count > bestCount) {
        bestCount = count;
        best = order[i];
      }
    }
    return best;
  });
}
