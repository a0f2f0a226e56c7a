// Elementwise kernels over typed arrays: one tight loop per op and layout (same shape,
// scalar operand, general broadcast), so V8 keeps each loop monomorphic and nothing is
// allocated per element. Float32Array outputs round every result to float32 on store,
// which for + - * / and sqrt equals float32 arithmetic exactly.
import type { NumericStorage, Storage } from './dtype';
import { castFor, stridedCopy } from './strided';
import { broadcastStrides, contiguousStrides, numelOf } from './shape';
import { sleefExpf, sleefLogf } from './sleef';
import { sleefExp, sleefLog } from './sleef-double';

export const enum BinaryOp {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
  /** out = a (b ignored): broadcast copy */
  CopyA = 4,
}

function loopSame(op: BinaryOp, a: NumericStorage, b: NumericStorage, out: NumericStorage, n: number): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
  }
}

function loopScalarRight(op: BinaryOp, a: NumericStorage, s: number, out: NumericStorage, n: number): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = a[i] + s;
      return;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = a[i] - s;
      return;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = a[i] * s;
      return;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = a[i] / s;
      return;
  }
}

function loopScalarLeft(op: BinaryOp, s: number, b: NumericStorage, out: NumericStorage, n: number): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++) out[i] = s + b[i];
      return;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++) out[i] = s - b[i];
      return;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++) out[i] = s * b[i];
      return;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++) out[i] = s / b[i];
      return;
  }
}

function loopStrided(
  op: BinaryOp,
  a: NumericStorage,
  ao: number,
  as: number,
  b: NumericStorage,
  bo: number,
  bs: number,
  out: NumericStorage,
  oo: number,
  n: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let j = 0; j < n; j++) out[oo + j] = a[ao + j * as] + b[bo + j * bs];
      return;
    case BinaryOp.Sub:
      for (let j = 0; j < n; j++) out[oo + j] = a[ao + j * as] - b[bo + j * bs];
      return;
    case BinaryOp.Mul:
      for (let j = 0; j < n; j++) out[oo + j] = a[ao + j * as] * b[bo + j * bs];
      return;
    case BinaryOp.Div:
      for (let j = 0; j < n; j++) out[oo + j] = a[ao + j * as] / b[bo + j * bs];
      return;
    case BinaryOp.CopyA:
      for (let j = 0; j < n; j++) out[oo + j] = a[ao + j * as];
      return;
  }
}

/**
 * out = a (op) b with broadcasting; out has outShape (already computed) and may alias a
 * when a already has outShape (in-place ops). Scalars are passed as numbers already
 * rounded to the computation dtype.
 */
export function binaryKernel(
  op: BinaryOp,
  a: NumericStorage | number,
  aShape: readonly number[],
  b: NumericStorage | number,
  bShape: readonly number[],
  out: NumericStorage,
  outShape: readonly number[],
): void {
  const n = numelOf(outShape);
  if (typeof a === 'number' && typeof b === 'number') {
    const tmp = new Float64Array(2);
    tmp[0] = a;
    tmp[1] = b;
    loopSame(op, tmp.subarray(0, 1), tmp.subarray(1, 2), out, 1);
    out.fill(out[0], 0, n);
    return;
  }
  if (typeof b === 'number') {
    loopScalarRight(op, expandTo(a as NumericStorage, aShape, outShape, n), b, out, n);
    return;
  }
  if (typeof a === 'number') {
    loopScalarLeft(op, a, expandTo(b, bShape, outShape, n), out, n);
    return;
  }
  const an = a.length;
  const bn = b.length;
  if (an === n && bn === n) {
    loopSame(op, a, b, out, n);
    return;
  }
  if (bn === 1 && an === n) {
    loopScalarRight(op, a, b[0], out, n);
    return;
  }
  if (an === 1 && bn === n) {
    loopScalarLeft(op, a[0], b, out, n);
    return;
  }
  broadcastLoop(op, a, aShape, b, bShape, out, outShape);
}

/** A source whose numel equals the output's is used as is; otherwise it is materialized. */
function expandTo(src: NumericStorage, shape: readonly number[], outShape: readonly number[], n: number): NumericStorage {
  if (src.length === n) return src;
  const out = new (src.constructor as { new (n: number): NumericStorage })(n);
  broadcastLoop(BinaryOp.CopyA, src, shape, ZERO, [], out, outShape);
  return out;
}

function broadcastLoop(
  op: BinaryOp,
  a: NumericStorage,
  aShape: readonly number[],
  b: NumericStorage,
  bShape: readonly number[],
  out: NumericStorage,
  outShape: readonly number[],
): void {
  const nd = outShape.length;
  const n = numelOf(outShape);
  if (n === 0) return;
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const inner = outShape[nd - 1];
  const rows = n / inner;
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  let ao = 0;
  let bo = 0;
  for (let r = 0; r < rows; r++) {
    loopStrided(op, a, ao, as[nd - 1], b, bo, bs[nd - 1], out, r * inner, inner);
    // advance the odometer over the leading dims
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      ao += as[d];
      bo += bs[d];
      if (idx[d] < outShape[d]) break;
      ao -= as[d] * outShape[d];
      bo -= bs[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/**
 * Copies src (shape) broadcast to outShape into out, converting values via the typed array store
 * (both int64 or neither: int64 elements are bigints, see strided.ts castFor).
 */
export function broadcastCopy(src: Storage, shape: readonly number[], out: Storage, outShape: readonly number[]): void {
  if (src instanceof BigInt64Array || out instanceof BigInt64Array) {
    const cast = src.constructor === out.constructor ? null : castFor(src instanceof BigInt64Array ? 'int64' : 'float64', out instanceof BigInt64Array ? 'int64' : 'float64');
    stridedCopy(src, 0, broadcastStrides(shape, outShape), out, 0, contiguousStrides(outShape), outShape, cast);
    return;
  }
  const n = numelOf(outShape);
  if (src.length === n) {
    if (src.constructor === out.constructor) (out as Float32Array).set(src as Float32Array);
    else for (let i = 0; i < n; i++) out[i] = src[i];
    return;
  }
  if (src.length === 1) {
    out.fill(src[0]);
    return;
  }
  broadcastLoop(BinaryOp.CopyA, src, shape, ZERO, [], out, outShape);
}

/** Generic elementwise binary with broadcasting for the rarer ops (pow with tensor exponent, ...). */
export function binaryMap(
  a: NumericStorage,
  aShape: readonly number[],
  b: NumericStorage,
  bShape: readonly number[],
  out: NumericStorage,
  outShape: readonly number[],
  f: (x: number, y: number) => number,
): void {
  const n = numelOf(outShape);
  const av = a.length === n ? a : materialize(a, aShape, outShape);
  const bv = b.length === n ? b : materialize(b, bShape, outShape);
  for (let i = 0; i < n; i++) out[i] = f(av[i], bv[i]);
}

/** binaryMap over two int64 storages: f sees bigints and returns what `out` stores (bigints for int64, else numbers). */
export function binaryMapInt64(
  a: BigInt64Array,
  aShape: readonly number[],
  b: BigInt64Array,
  bShape: readonly number[],
  out: Storage,
  outShape: readonly number[],
  f: (x: bigint, y: bigint) => number | bigint,
): void {
  const n = numelOf(outShape);
  const av = a.length === n ? a : materializeInt64(a, aShape, outShape);
  const bv = b.length === n ? b : materializeInt64(b, bShape, outShape);
  const dst = out as { [index: number]: number | bigint };
  for (let i = 0; i < n; i++) dst[i] = f(av[i], bv[i]);
}

function materializeInt64(src: BigInt64Array, shape: readonly number[], outShape: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(numelOf(outShape));
  broadcastCopy(src, shape, out, outShape);
  return out;
}

function materialize(src: NumericStorage, shape: readonly number[], outShape: readonly number[]): Float64Array {
  const out = new Float64Array(numelOf(outShape));
  broadcastCopy(src, shape, out, outShape);
  return out;
}

const ZERO = new Float64Array(1);

export const enum UnaryOp {
  Neg = 0,
  Exp = 1,
  Log = 2,
  Sqrt = 3,
  Abs = 4,
  Square = 5,
  Cube = 6,
  Reciprocal = 7,
  Rsqrt = 8,
  InvSquare = 9,
}

/** out[i] = f(a[i]); float32 outputs round each result, and Cube/InvSquare/Rsqrt their inner step too. */
export function unaryKernel(op: UnaryOp, a: NumericStorage, out: NumericStorage, n: number): void {
  const fr = out instanceof Float32Array ? Math.fround : keep;
  switch (op) {
    case UnaryOp.Neg:
      for (let i = 0; i < n; i++) out[i] = -a[i];
      return;
    // ATen maps SLEEF's vector exp/log over every element (vml::vexp / vlog), tails included
    case UnaryOp.Exp:
      if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = sleefExpf(a[i]);
      else if (out instanceof Float64Array) for (let i = 0; i < n; i++) out[i] = sleefExp(a[i]);
      else for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
      return;
    case UnaryOp.Log:
      if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = sleefLogf(a[i]);
      else if (out instanceof Float64Array) for (let i = 0; i < n; i++) out[i] = sleefLog(a[i]);
      else for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
      return;
    case UnaryOp.Sqrt:
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
      return;
    case UnaryOp.Abs:
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
      return;
    case UnaryOp.Square:
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = x * x;
      }
      return;
    case UnaryOp.Cube:
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = fr(x * x) * x;
      }
      return;
    case UnaryOp.Reciprocal:
      for (let i = 0; i < n; i++) out[i] = 1 / a[i];
      return;
    case UnaryOp.Rsqrt:
      for (let i = 0; i < n; i++) out[i] = 1 / fr(Math.sqrt(a[i]));
      return;
    case UnaryOp.InvSquare:
      for (let i = 0; i < n; i++) {
        const x = a[i];
        out[i] = 1 / fr(x * x);
      }
      return;
  }
}

const keep = (x: number): number => x;
