// Elementwise arithmetic without a graph: the kernels the ops and every backward rule compute
// with (+ - * / in a dtype, unary math, maps), with the WebAssembly fast paths for float32.
// Float32 results are rounded after every step, as PyTorch's float kernels compute.
import { isFloating } from '../dtype';
import type { DType, NumericStorage } from '../dtype';
import { BinaryOp, binaryKernel, binaryMap, binaryMapInt64, UnaryOp, unaryKernel } from '../kernels';
import { castFor } from '../strided';
import { int64Arith, int64Unary } from '../int64';
import { broadcastShapes, sameShape } from '../shape';
import { Tensor } from '../tensor';
import { getArena, inArena } from '../arena';
import { inLayout, outputTensor, resultLayout, resultTypeOf, scalarTensor, toDType } from './common';

const fr = Math.fround;

/** Elementwise + - * / in `dtype`: converts inputs whose dtype differs, then one kernel pass. */
export function arith(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType, out?: Tensor): Tensor {
  const outShape = out ? out.shape : broadcastShapes(a.shape, b.shape);
  const perm = out || (a.isContiguous() && b.isContiguous()) ? null : resultLayout([a, b], outShape);
  const x = toDType(a, dtype);
  const y = toDType(b, dtype);
  const result = out ?? outputTensor(dtype, outShape);
  if (dtype === 'int64') {
    int64Arith(op, x.data as BigInt64Array, x.shape, y.data as BigInt64Array, y.shape, result.data as BigInt64Array, outShape);
  } else if (op === BinaryOp.Mul && dtype === 'int32') {
    binaryMap(x.data as Int32Array, x.shape, y.data as Int32Array, y.shape, result.data as Int32Array, outShape, Math.imul);
  } else if (dtype !== 'float32' || !wasmBinary(op, x.data as Float32Array, y.data as Float32Array, result.data as Float32Array)) {
    binaryKernel(op, x.data as NumericStorage, x.shape, y.data as NumericStorage, y.shape, result.data as NumericStorage, outShape);
  }
  if (dtype === 'bool') normalizeBool(result.data as Uint8Array);
  return inLayout(result, perm);
}

const WASM_BINARY = ['add', 'sub', 'mul', 'div'] as const;

/**
 * Runs a float32 elementwise op in WebAssembly SIMD when the output and the full-size operands
 * live in the arena (one-element operands are passed as scalars). Returns false otherwise.
 */
function wasmBinary(op: BinaryOp, x: Float32Array, y: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (n < 16 || op > BinaryOp.Div || !inArena(out)) return false;
  const k = getArena()!.kernels;
  const name = WASM_BINARY[op as 0 | 1 | 2 | 3];
  if (x.length === n && y.length === n) {
    if (!inArena(x) || !inArena(y)) return false;
    k[name](out.byteOffset, x.byteOffset, y.byteOffset, n);
    return true;
  }
  if (x.length === n && y.length === 1) {
    if (!inArena(x)) return false;
    k[`${name}_scalar` as const](out.byteOffset, x.byteOffset, y[0], n);
    return true;
  }
  if (x.length === 1 && y.length === n) {
    if (!inArena(y)) return false;
    // s + b and s * b are b + s and b * s exactly (IEEE addition and multiplication commute)
    if (name === 'add' || name === 'mul') k[`${name}_scalar` as const](out.byteOffset, y.byteOffset, x[0], n);
    else k[`scalar_${name}` as const](out.byteOffset, x[0], y.byteOffset, n);
    return true;
  }
  return false;
}

// (abs has no WebAssembly kernel: the module must stay under 4 KB and abs is rarely hot)
const WASM_UNARY: Partial<Record<UnaryOp, 'neg' | 'sqrt' | 'square'>> = {
  [UnaryOp.Neg]: 'neg',
  [UnaryOp.Sqrt]: 'sqrt',
  [UnaryOp.Square]: 'square',
};

function normalizeBool(d: Uint8Array): void {
  for (let i = 0; i < d.length; i++) if (d[i] > 1) d[i] = 1;
}

/** The dtype of true division and of float-valued math: integers and bool give float32. */
export function floatDType(d: DType): DType {
  return isFloating(d) ? d : 'float32';
}

// Raw no-grad arithmetic used inside backward rules.
export const addRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Add, a, b, resultTypeOf(a, b));
export const subRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Sub, a, b, resultTypeOf(a, b));
export const mulRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Mul, a, b, resultTypeOf(a, b));
export const divRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Div, a, b, floatDType(resultTypeOf(a, b)));
export const negRaw = (a: Tensor): Tensor => unaryRaw(UnaryOp.Neg, a, a.dtype);
export const mulScalarRaw = (a: Tensor, s: number): Tensor => arith(BinaryOp.Mul, a, scalarTensor(s), a.dtype);

/** (p * s1) * s2 for a float32 p, each product rounded to float32, in one pass. */
export function scaleTwice(p: Tensor, s1: number, s2: number): Tensor {
  const n = p.numel();
  const out = outputTensor('float32', p.shape);
  const f1 = fr(s1);
  const f2 = fr(s2);
  const src = p.data as Float32Array;
  if (n >= 16 && inArena(out.data) && inArena(src)) {
    getArena()!.kernels.mul_scalar2(out.data.byteOffset, src.byteOffset, f1, f2, n);
  } else {
    const dst = out.data as Float32Array;
    for (let i = 0; i < n; i++) dst[i] = fr(src[i] * f1) * f2;
  }
  return out;
}

/** g * (p * s) in one pass when the WASM kernel applies, else the same values in two. */
export function mulScaledRaw(g: Tensor, p: Tensor, s: number): Tensor {
  const n = p.numel();
  const uniform = g._uniformValue();
  // grad is one repeated value c: c * (p * s) elementwise, without ever writing grad out
  if (uniform !== null && g.numel() === n && p.dtype === 'float32' && p.isContiguous()) return scaleTwice(p, s, uniform);
  if (g.dtype === 'float32' && p.dtype === 'float32' && g.numel() === n && n >= 16 && g.isContiguous() && p.isContiguous() && inArena(g.data) && inArena(p.data)) {
    const out = outputTensor('float32', p.shape);
    if (inArena(out.data)) {
      getArena()!.kernels.mul_scaled(out.data.byteOffset, g.data.byteOffset, p.data.byteOffset, fr(s), n);
      return out;
    }
  }
  return mulRaw(g, mulScalarRaw(p, s));
}

/**
 * target += g * other in one WASM pass, when all three are same-shape contiguous float32 arena
 * tensors. Same values as computing g * other and then AccumulateGrad's in-place add.
 */
export function accumulateProduct(target: Tensor | null | undefined, g: Tensor, other: Tensor): boolean {
  if (!target || target.dtype !== 'float32' || g.dtype !== 'float32' || other.dtype !== 'float32') return false;
  const n = target.numel();
  if (n < 16 || g.numel() !== n || other.numel() !== n || !sameShape(g.shape, target.shape) || !sameShape(other.shape, target.shape)) return false;
  if (!g.isContiguous() || !other.isContiguous() || !target.isContiguous()) return false;
  if (!inArena(g.data) || !inArena(other.data)) return false;
  const ref = target._version;
  const base = target._isView() ? null : ref.pendingFill;
  if (base !== null) {
    // the gradient was zero_()ed lazily: grad = base + g * other, without writing base out first
    const out = ref.pendingArray!;
    if (!inArena(out)) return false;
    ref.pendingFill = null;
    ref.pendingArray = null;
    getArena()!.kernels.mul_add_scalar(out.byteOffset, g.data.byteOffset, other.data.byteOffset, base, n);
  } else {
    if (!inArena(target.data)) return false;
    getArena()!.kernels.add_mul(target.data.byteOffset, g.data.byteOffset, other.data.byteOffset, n);
  }
  ref.value++;
  return true;
}

export function unaryRaw(op: UnaryOp, a: Tensor, dtype: DType): Tensor {
  const perm = resultLayout([a], a.shape);
  const x = toDType(a, dtype);
  const out = outputTensor(dtype, a.shape);
  const n = out.data.length;
  const wasmOp = WASM_UNARY[op];
  if (dtype === 'int64') int64Unary(op, x.data as BigInt64Array, out.data as BigInt64Array);
  else if (wasmOp && dtype === 'float32' && n >= 16 && inArena(out.data) && inArena(x.data)) {
    getArena()!.kernels[wasmOp](out.data.byteOffset, x.data.byteOffset, n);
  } else unaryKernel(op, x.data as NumericStorage, out.data as NumericStorage, n);
  return inLayout(out, perm);
}

type Elements = { [index: number]: number | bigint };

/**
 * f applied to each element (read in `computeDType`), stored in `outDType`. In int64, `int64`
 * computes exactly on bigints (returning what outDType stores); without it f sees the nearest
 * numbers (exact up to 2^53).
 */
export function mapRaw(a: Tensor, outDType: DType, f: (x: number) => number, computeDType: DType = a.dtype, int64?: (x: bigint) => number | bigint): Tensor {
  const perm = resultLayout([a], a.shape);
  const src = toDType(a, computeDType).data;
  const out = outputTensor(outDType, a.shape);
  const dst = out.data as Elements;
  if (src instanceof BigInt64Array && int64) for (let i = 0; i < src.length; i++) dst[i] = int64(src[i]);
  else if (src instanceof BigInt64Array || out.data instanceof BigInt64Array) {
    const store = castFor('float64', outDType);
    for (let i = 0; i < src.length; i++) {
      const v = f(Number(src[i]));
      dst[i] = store ? store(v) : v;
    }
  } else for (let i = 0; i < src.length; i++) dst[i] = f(src[i]);
  return inLayout(out, perm);
}

/** f over a and b broadcast together (read in `computeDType`), stored in `outDType`; `int64` as for mapRaw. */
export function mapBinaryRaw(
  a: Tensor,
  b: Tensor,
  computeDType: DType,
  outDType: DType,
  f: (x: number, y: number) => number,
  int64?: (x: bigint, y: bigint) => number | bigint,
): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const perm = a.isContiguous() && b.isContiguous() ? null : resultLayout([a, b], shape);
  const x = toDType(a, computeDType);
  const y = toDType(b, computeDType);
  const out = outputTensor(outDType, shape);
  if (computeDType === 'int64' && int64) binaryMapInt64(x.data as BigInt64Array, x.shape, y.data as BigInt64Array, y.shape, out.data, shape, int64);
  else if (computeDType === 'int64' || outDType === 'int64') {
    const numbers = (t: Tensor): NumericStorage => (t.dtype === 'int64' ? toDType(t, 'float64').data : t.data) as NumericStorage;
    const store = castFor('float64', outDType);
    const tmp = new Float64Array(out.numel());
    binaryMap(numbers(x), x.shape, numbers(y), y.shape, tmp, shape, f);
    const dst = out.data as Elements;
    for (let i = 0; i < tmp.length; i++) dst[i] = store ? store(tmp[i]) : tmp[i];
  } else binaryMap(x.data as NumericStorage, x.shape, y.data as NumericStorage, y.shape, out.data as NumericStorage, shape, f);
  return inLayout(out, perm);
}

export const addNoGrad = addRaw;
/** target += b (same shape or broadcastable into it), used for gradient accumulation. */
export function addIntoNoGrad(target: Tensor, b: Tensor): void {
  if (target.isContiguous()) arith(BinaryOp.Add, target, b, target.dtype, target);
  else target.data = arith(BinaryOp.Add, target, b, target.dtype).data;
}

