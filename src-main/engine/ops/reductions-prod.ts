// Products (all elements or along a dim; integers and bool multiply into int64) and any/all.
import { normalizeDim } from '../shape';
import { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { contiguous, floats, makeTensor, numbers, toDType } from './common';
import { sumDType } from './reductions-sum';
import { unsqueezeAt } from './reductions-select';

export const PROD_OPS = {
  /** prod() (ProdBackward0) and prod(dim) (ProdBackward1) */
  prod: defineOp<{ dim: number | null; keepdim: boolean }>({
    gradFn: (a) => (a.dim === null ? 'ProdBackward0' : 'ProdBackward1'),
    forward: ([a], { dim, keepdim }) => prodRaw(a, dim, keepdim),
    save: () => ({ inputs: [true] }),
    // the product of every other element of its group (exact with zeros, unlike result / x)
    backward: (g, { inputs: [a], attrs: { dim, keepdim } }) => {
      const x = contiguous(a!);
      const shape = x.shape;
      const d = dim ?? 0;
      const flat = dim === null;
      const size = flat ? x.numel() : shape[d];
      let inner = 1;
      if (!flat) for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
      const outer = flat ? 1 : x.numel() / Math.max(size * inner, 1);
      const gv = floats(contiguous(flat || keepdim ? g : unsqueezeAt(g, d)));
      const xv = floats(x);
      const out = makeTensor(g.dtype, shape);
      const od = floats(out);
      const round = g.dtype === 'float32' ? Math.fround : (v: number): number => v;
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < inner; k++) {
          const base = o * size * inner + k;
          for (let r = 0; r < size; r++) {
            let p = 1;
            for (let q = 0; q < size; q++) if (q !== r) p = round(p * xv[base + q * inner]);
            od[base + r * inner] = round(gv[flat ? 0 : o * inner + k] * p);
          }
        }
      }
      return [out];
    },
  }),
};

/** The product over all elements or along dim: float products round each step; integers multiply exactly. */
function prodRaw(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  const dtype = sumDType(a.dtype);
  const x = toDType(a, dtype);
  if (dtype === 'int64') return prodInt64(x, dim, keepdim);
  const round = dtype === 'float32' ? Math.fround : (v: number): number => v;
  if (dim === null) {
    const out = makeTensor(dtype, []);
    let p = 1;
    for (const v of floats(x)) p = round(p * v);
    floats(out)[0] = p;
    return out;
  }
  const shape = a.shape;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const outer = a.numel() / Math.max(size * inner, 1);
  const outShape = keepdim ? shape.map((s, i) => (i === dim ? 1 : s)) : shape.filter((_, i) => i !== dim);
  const out = makeTensor(dtype, outShape);
  const xv = floats(x);
  const od = floats(out);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let p = 1;
      for (let r = 0; r < size; r++) p = round(p * xv[o * size * inner + r * inner + k]);
      od[o * inner + k] = p;
    }
  }
  return out;
}

/** prodRaw in int64: exact products, wrapping around at every step as C's int64_t does. */
function prodInt64(x: Tensor, dim: number | null, keepdim: boolean): Tensor {
  const xv = x.data as BigInt64Array;
  if (dim === null) {
    const out = makeTensor('int64', []);
    let p = 1n;
    for (const v of xv) p = BigInt.asIntN(64, p * v);
    (out.data as BigInt64Array)[0] = p;
    return out;
  }
  const shape = x.shape;
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const outer = x.numel() / Math.max(size * inner, 1);
  const out = makeTensor('int64', keepdim ? shape.map((s, i) => (i === dim ? 1 : s)) : shape.filter((_, i) => i !== dim));
  const od = out.data as BigInt64Array;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let p = 1n;
      for (let r = 0; r < size; r++) p = BigInt.asIntN(64, p * xv[o * size * inner + r * inner + k]);
      od[o * inner + k] = p;
    }
  }
  return out;
}

/** t.prod(dim=None, keepdim=False): integers and bool multiply into int64. */
export function prod(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  return apply(PROD_OPS.prod, [a], { dim: dim === null ? null : normalizeDim(dim, a.shape.length), keepdim });
}

/** t.any() / t.all(), whole or along dim: a bool tensor. */
export function anyAll(a: Tensor, kind: 'any' | 'all', dim: number | null, keepdim: boolean): Tensor {
  const values = numbers(contiguous(a));
  const test = kind === 'any' ? (v: number): boolean => v !== 0 : (v: number): boolean => v === 0;
  if (dim === null) {
    const out = makeTensor('bool', []);
    let hit = false;
    for (let i = 0; i < values.length && !hit; i++) hit = test(values[i]);
    out.data[0] = kind === 'any' ? (hit ? 1 : 0) : hit ? 0 : 1;
    return out;
  }
  const d = normalizeDim(dim, a.shape.length);
  const shape = a.shape;
  let inner = 1;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[d];
  const outer = a.numel() / Math.max(size * inner, 1);
  const out = makeTensor('bool', keepdim ? shape.map((s, i) => (i === d ? 1 : s)) : shape.filter((_, i) => i !== d));
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let hit = false;
      for (let r = 0; r < size && !hit; r++) hit = test(values[o * size * inner + r * inner + k]);
      out.data[o * inner + k] = kind === 'any' ? (hit ? 1 : 0) : hit ? 0 : 1;
    }
  }
  return out;
}
