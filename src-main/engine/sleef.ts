// expf and logf as SLEEF's vectorised u10 functions compute them (Sleef_expf8_u10 /
// Sleef_logf8_u10, with fused multiply-adds): what ATen's Vectorized<float>::exp() and ::log()
// return, so what torch.exp / torch.log / exp_ / log_ give for every element of a contiguous
// float32 tensor (vml::vexp maps the vector function over the tail too) and what the vector
// part of a cpu_kernel_vec loop gives. They are faithful, not correctly rounded: exp differs from
// glibc's expf (engine/expf.ts) in about 1 value of 11. SLEEF is Boost-licensed; this is a
// re-statement of its algorithm in float32 steps, checked against PyTorch's own results.
import { fma32 } from './fma';

const f = Math.fround;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const R_LN2 = f(1.4426950408889634);
const L2U = f(0.693145751953125);
const L2L = f(1.428606765330187045e-6);
const EXP_POLY = [0.000198527617612853646278381, 0.00139304355252534151077271, 0.00833336077630519866943359, 0.0416664853692054748535156, 0.166666671633720397949219, 0.5].map(f);

/** Round to nearest, ties to even (the vector convert instruction). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Sleef_expf_u10 for a float32 x. */
export function sleefExpf(x: number): number {
  if (x !== x) return NaN;
  const q = rint(f(x * R_LN2));
  let s = fma32(q, -L2U, x);
  s = fma32(q, -L2L, s);
  let u = EXP_POLY[0];
  for (let i = 1; i < EXP_POLY.length; i++) u = fma32(u, s, EXP_POLY[i]);
  u = f(1 + fma32(f(s * s), u, s));
  const h = q >> 1;
  u = f(f(u * 2 ** h) * 2 ** (q - h));
  if (x < -104) return 0;
  if (x > 104) return Infinity;
  return u;
}

/** A float32 pair hi + lo (SLEEF's double-float arithmetic). */
type Pair = [number, number];

function sum2(x: number, y: number): Pair {
  const s = f(x + y);
  const v = f(s - x);
  return [s, f(f(x - f(s - v)) + f(y - v))];
}
function mulPair(x: Pair, y: number): Pair {
  const s = f(x[0] * y);
  return [s, fma32(x[1], y, fma32(x[0], y, -s))];
}
function divPair(n: Pair, d: Pair): Pair {
  const t = f(1 / d[0]);
  const s = f(n[0] * t);
  const u = fma32(t, n[0], -s);
  const v = fma32(-d[1], t, fma32(-d[0], t, 1));
  return [s, fma32(s, v, fma32(n[1], t, u))];
}
function addPairs(x: Pair, y: Pair): Pair {
  const s = f(x[0] + y[0]);
  return [s, f(f(f(f(x[0] - s) + y[0]) + x[1]) + y[1])];
}
function addPair(x: Pair, y: number): Pair {
  const s = f(x[0] + y);
  return [s, f(f(f(x[0] - s) + y) + x[1])];
}

const LN2_PAIR: Pair = [f(0.69314718246459960938), f(-1.904654323148236017e-9)];
const FLT_MIN = 1.1754943508222875e-38;

/** Sleef_logf_u10 for a float32 x. */
export function sleefLogf(x: number): number {
  if (x === Infinity) return Infinity;
  if (x < 0 || x !== x) return NaN;
  if (x === 0) return -Infinity;
  const tiny = x < FLT_MIN;
  const d = tiny ? f(x * 18446744073709551616) : x;
  f32[0] = f(d * f(1 / 0.75));
  let e = ((u32[0] >>> 23) & 0xff) - 0x7f;
  f32[0] = d;
  u32[0] = (u32[0] + (-e << 23)) >>> 0;
  const m = f32[0];
  if (tiny) e -= 64;
  let s = mulPair(LN2_PAIR, e);
  const r = divPair(sum2(-1, m), sum2(1, m));
  const r2 = f(r[0] * r[0]);
  let t = f(0.3027294874);
  t = fma32(t, r2, f(0.399610817));
  t = fma32(t, r2, f(0.666669488));
  s = addPairs(s, [f(r[0] * 2), f(r[1] * 2)]);
  s = addPair(s, f(f(r2 * r[0]) * t));
  return f(s[0] + s[1]);
}

/**
 * ATen's cpu_kernel_vec loops run the vector function over whole steps of two AVX2 vectors (16
 * float32 values) and the scalar function (glibc's std::exp etc.) over the last n % 16 elements:
 * how many leading elements of an n-element contiguous float32 operation take the vector path.
 */
export function vectorPart(n: number): number {
  return n - (n % 16);
}
