// Ops that copy elements to new places: repeat, flip, roll, tril/triu, index_select, gather,
// masked_fill, diag. Each computes, for every output element, the input element it comes from
// (or -1 for a filled one); forward copies through that map and backward adds the gradient back
// through it, so they share one op definition and differ only in the map and the grad_fn name.
import { indexError, runtimeError } from '../errors';
import { castElement, TYPE_NAME } from '../dtype';
import type { ScalarLike } from '../dtype';
import { scalarValue } from '../dtype';
import { broadcastShapes, contiguousStrides, normalizeDim, numelOf } from '../shape';
import type { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { contiguous, expandTo, floats, makeTensor, numbers } from './common';

interface RearrangeAttrs {
  name: string;
  shape: readonly number[];
  /** per output element: the row-major input index it copies, or -1 for `fill` */
  from: Int32Array;
  fill: number;
}

export const REARRANGE_OPS = {
  rearrange: defineOp<RearrangeAttrs>({
    gradFn: (a) => a.name,
    forward: ([a], { shape, from, fill }) => {
      const src = contiguous(a).data;
      const out = makeTensor(a.dtype, shape);
      const value = castElement(a.dtype, fill);
      const dst = out.data as { [index: number]: number | bigint };
      for (let i = 0; i < from.length; i++) dst[i] = from[i] < 0 ? value : src[from[i]];
      return out;
    },
    // each input element receives the sum of the gradients of the outputs copied from it
    backward: (g, { inputMeta: [m], attrs: { from } }) => {
      const gv = floats(contiguous(g));
      const grad = makeTensor(g.dtype, m.shape);
      const gd = floats(grad);
      const round = g.dtype === 'float32' ? Math.fround : (x: number): number => x;
      for (let i = 0; i < from.length; i++) if (from[i] >= 0) gd[from[i]] = round(gd[from[i]] + gv[i]);
      return [grad];
    },
  }),
};

export function rearrange(a: Tensor, name: string, shape: readonly number[], from: Int32Array, fill = 0): Tensor {
  return apply(REARRANGE_OPS.rearrange, [a], { name, shape, from, fill });
}

/** Calls f(outIndex, coordinates) for every element of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], f: (i: number, at: readonly number[]) => void): void {
  const n = numelOf(shape);
  const at = shape.map(() => 0);
  for (let i = 0; i < n; i++) {
    f(i, at);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d] < shape[d]) break;
      at[d] = 0;
    }
  }
}

/** A map built from a function of each output coordinate to an input coordinate (null: filled). */
function mapBy(input: readonly number[], output: readonly number[], source: (at: readonly number[]) => readonly number[] | null): Int32Array {
  const strides = contiguousStrides(input);
  const from = new Int32Array(numelOf(output));
  forEachIndex(output, (i, at) => {
    const s = source(at);
    if (s === null) from[i] = -1;
    else {
      let k = 0;
      for (let d = 0; d < s.length; d++) k += s[d] * strides[d];
      from[i] = k;
    }
  });
  return from;
}

// ---------------------------------------------------------------------------------------------
// Public wrappers (PyTorch's checks and errors)

/** t.repeat(*sizes) (also what t.tile uses): the tensor tiled sizes[i] times along each dim. */
export function repeat(a: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < a.shape.length) {
    throw runtimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const lead = sizes.length - a.shape.length;
  const input = [...sizes.slice(0, lead).map(() => 1), ...a.shape];
  const shape = input.map((s, i) => s * sizes[i]);
  return rearrange(a, 'RepeatBackward0', shape, mapBy(input, shape, (at) => at.map((c, d) => c % input[d])));
}

/** t.flip(dims) */
export function flip(a: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((d) => normalizeDim(d, a.shape.length));
  return rearrange(a, 'FlipBackward0', a.shape, mapBy(a.shape, a.shape, (at) => at.map((c, d) => (ds.includes(d) ? a.shape[d] - 1 - c : c))));
}

/** t.roll(shifts, dims): with no dims, the flattened tensor rolls and keeps its shape. */
export function roll(a: Tensor, shifts: readonly number[], dims: readonly number[]): Tensor {
  if (dims.length === 0) {
    const n = a.numel();
    const from = new Int32Array(n);
    const s = n === 0 ? 0 : (((shifts[0] ?? 0) % n) + n) % n;
    for (let i = 0; i < n; i++) from[i] = (i - s + n) % n;
    return rearrange(a, 'RollBackward0', a.shape, from);
  }
  if (shifts.length !== dims.length) throw runtimeError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  const ds = dims.map((d) => normalizeDim(d, a.shape.length));
  return rearrange(
    a,
    'RollBackward0',
    a.shape,
    mapBy(a.shape, a.shape, (at) =>
      at.map((c, d) => {
        const size = a.shape[d];
        let shift = 0;
        ds.forEach((dd, k) => {
          if (dd === d) shift += shifts[k];
        });
        return (((c - shift) % size) + size) % size;
      }),
    ),
  );
}

/** tril/triu: the lower (upper) triangle from `diagonal` on, zeros elsewhere. */
export function triangle(a: Tensor, upper: boolean, diagonal = 0): Tensor {
  // (a 1-d tensor has no dim -2: PyTorch's error names it)
  if (a.shape.length < 2) normalizeDim(-2, a.shape.length);
  const r = a.shape.length - 2;
  return rearrange(
    a,
    upper ? 'TriuBackward0' : 'TrilBackward0',
    a.shape,
    mapBy(a.shape, a.shape, (at) => {
      const offset = at[r + 1] - at[r];
      return (upper ? offset >= diagonal : offset <= diagonal) ? at : null;
    }),
  );
}

export function checkIndexDType(index: Tensor, what: string): void {
  if (index.dtype !== 'int64') throw runtimeError(`${what}(): Expected dtype int64 for index`);
}

/** torch.index_select(t, dim, index): the slices at a 1-d int64 index along dim (a copy). */
export function indexSelectTensor(a: Tensor, dim: number, index: Tensor): Tensor {
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw runtimeError('index_select(): Expected dtype int32 or int64 for index');
  if (index.shape.length > 1) throw indexError('index_select(): Index is supposed to be a vector');
  const d = a.shape.length === 0 ? 0 : normalizeDim(dim, a.shape.length);
  const idx = numbers(contiguous(index));
  const size = a.shape.length === 0 ? 1 : a.shape[d];
  for (const i of idx) if (i < 0 || i >= size) throw indexError(`index out of range in self`);
  const shape = a.shape.map((s, k) => (k === d ? idx.length : s));
  return rearrange(a, 'IndexSelectBackward0', shape, mapBy(a.shape, shape, (at) => at.map((c, k) => (k === d ? idx[c] : c))));
}

/** torch.gather(t, dim, index): out[i][j] = t[index[i][j]][j] for dim 0 (index has t's number of dims). */
export function gather(a: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexDType(index, 'gather');
  const d = normalizeDim(dim, a.shape.length);
  if (index.shape.length !== a.shape.length) throw runtimeError('Index tensor must have the same number of dimensions as input tensor');
  const idx = numbers(contiguous(index));
  const strides = contiguousStrides(index.shape);
  return rearrange(
    a,
    'GatherBackward0',
    index.shape,
    mapBy(a.shape, index.shape, (at) => {
      let k = 0;
      for (let q = 0; q < at.length; q++) k += at[q] * strides[q];
      const i = idx[k];
      if (i < -a.shape[d] || i >= a.shape[d]) throw runtimeError(`index ${i} is out of bounds for dimension ${d} with size ${a.shape[d]}`);
      return at.map((c, q) => (q === d ? i : c));
    }),
  );
}

/** t.masked_fill(mask, value): value where the (broadcast) bool mask is True. */
export function maskedFill(a: Tensor, mask: Tensor, value: ScalarLike): Tensor {
  if (mask.dtype !== 'bool') throw runtimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${TYPE_NAME[mask.dtype]}`);
  const shape = broadcastShapes(a.shape, mask.shape);
  if (shape.length !== a.shape.length || shape.some((s, i) => s !== a.shape[i])) {
    throw runtimeError(`The size of tensor a (${a.shape.at(-1)}) must match the size of tensor b (${mask.shape.at(-1)}) at non-singleton dimension ${a.shape.length - 1}`);
  }
  const m = expandTo(mask, shape).data;
  const from = new Int32Array(a.numel());
  for (let i = 0; i < from.length; i++) from[i] = m[i] ? -1 : i;
  return rearrange(a, 'MaskedFillBackward0', a.shape, from, scalarValue(value));
}

/** torch.diag: the diagonal of a matrix, or a square matrix with a vector on its diagonal. */
export function diag(a: Tensor, diagonal = 0): Tensor {
  if (a.shape.length === 1) {
    const n = a.shape[0] + Math.abs(diagonal);
    const shape = [n, n];
    return rearrange(a, 'DiagBackward0', shape, mapBy(a.shape, shape, ([r, c]) => (c - r === diagonal ? [diagonal >= 0 ? r : c] : null)));
  }
  if (a.shape.length !== 2) throw runtimeError('diag(): Supports 1D or 2D tensors. Got ' + a.shape.length + 'D');
  const [rows, cols] = a.shape;
  const len = Math.max(0, diagonal >= 0 ? Math.min(rows, cols - diagonal) : Math.min(rows + diagonal, cols));
  return rearrange(a, 'DiagBackward0', [len], mapBy(a.shape, [len], ([i]) => (diagonal >= 0 ? [i, i + diagonal] : [i - diagonal, i])));
}
