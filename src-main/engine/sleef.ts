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

// ---- tanh: Sleef_tanhf8_u10 (xtanhf), what Vectorized<float>::tanh() returns ----

function add2PairNum(x: Pair, y: number): Pair {
  const s = f(x[0] + y);
  const v = f(s - x[0]);
  return [s, f(f(f(x[0] - f(s - v)) + f(y - v)) + x[1])];
}
function add2Pairs(x: Pair, y: Pair): Pair {
  const s = f(x[0] + y[0]);
  const v = f(s - x[0]);
  return [s, f(f(f(x[0] - f(s - v)) + f(y[0] - v)) + f(x[1] + y[1]))];
}
function addNumPair(x: number, y: Pair): Pair {
  const s = f(x + y[0]);
  return [s, f(f(f(x - s) + y[0]) + y[1])];
}
function mulPairs(x: Pair, y: Pair): Pair {
  const s = f(x[0] * y[0]);
  return [s, fma32(x[0], y[1], fma32(x[1], y[0], fma32(x[0], y[0], -s)))];
}
function squarePair(x: Pair): Pair {
  const s = f(x[0] * x[0]);
  return [s, fma32(f(x[0] + x[0]), x[1], fma32(x[0], x[0], -s))];
}
function recPair(d: Pair): Pair {
  const q = f(1 / d[0]);
  return [q, f(q * fma32(-d[1], q, fma32(-d[0], q, 1)))];
}
/** d * 2^e in two steps, as vldexp2 scales */
function ldexp2(d: number, e: number): number {
  const h = e >> 1;
  return f(f(d * 2 ** h) * 2 ** (e - h));
}

/** SLEEF's expk2f: e^d for a double-float d, as a double-float. */
function expPair(d: Pair): Pair {
  const q = rint(f(f(d[0] + d[1]) * R_LN2));
  let s = add2PairNum(d, f(q * -L2U));
  s = add2PairNum(s, f(q * -L2L));
  let u = f(0.1980960224e-3);
  u = fma32(u, s[0], f(0.1394256484e-2));
  u = fma32(u, s[0], f(0.8333456703e-2));
  u = fma32(u, s[0], f(0.4166637361e-1));
  let t = add2PairNum(mulPair(s, u), f(0.1666666567325592));
  t = add2PairNum(mulPairs(s, t), 0.5);
  t = add2Pairs(s, mulPairs(squarePair(s), t));
  t = addNumPair(1, t);
  if (d[0] < -104) return [0, 0];
  return [ldexp2(t[0], q), ldexp2(t[1], q)];
}

/** Sleef_tanhf_u10 for a float32 x: (e^y - e^-y) / (e^y + e^-y) in double-float, y = |x|. */
export function sleefTanhf(x: number): number {
  if (x !== x) return NaN;
  const d = expPair([Math.abs(x), 0]);
  const e = recPair(d);
  const q = divPair(addPairs(d, [-e[0], -e[1]]), addPairs(d, e));
  let y = f(q[0] + q[1]);
  if (Math.abs(x) > f(8.664339742) || y !== y) y = 1;
  return x < 0 || Object.is(x, -0) ? -y : y;
}

// ---- sin / cos: Sleef_sinf8_u10 / Sleef_cosf8_u10 (xsinf_u1 / xcosf_u1), for |x| < 125 ----

const M_1_PI = f(1 / Math.PI);
const PI_A2 = f(3.1414794921875);
const PI_B2 = f(0.00011315941810607910156);
const PI_C2 = f(1.9841872589410058936e-9);
/** SLEEF's cheaper argument reduction holds below this; above it, a vector's lanes all take another path */
export const SLEEF_TRIG_SMALL = 125;

function add2Nums(x: number, y: number): Pair {
  const s = f(x + y);
  const v = f(s - x);
  return [s, f(f(x - f(s - v)) + f(y - v))];
}
function addNums(x: number, y: number): Pair {
  const s = f(x + y);
  return [s, f(f(x - s) + y)];
}
function mulPairsToNum(x: Pair, y: Pair): number {
  return fma32(x[0], y[0], fma32(x[1], y[0], f(x[0] * y[1])));
}

/** The shared polynomial: (t.x + t.y) * (1 + s * (-1/6 + s * u(s))) in double-float, s = t^2. */
function sinPolynomial(t: Pair): number {
  const s = squarePair(t);
  let u = f(2.6083159809786593541503e-6);
  u = fma32(u, s[0], f(-0.0001981069071916863322258));
  u = fma32(u, s[0], f(0.00833307858556509017944336));
  const x = addNumPair(1, mulPairs(addNums(f(-0.166666597127914428710938), f(u * s[0])), s));
  return mulPairsToNum(t, x);
}

/** Sleef_sinf_u10 for a float32 |x| < 125 (Math.sin beyond, where SLEEF reduces differently). */
export function sleefSinf(x: number): number {
  if (!(Math.abs(x) < SLEEF_TRIG_SMALL)) return f(Math.sin(x));
  const u = rint(f(x * M_1_PI));
  const v = fma32(u, -PI_A2, x);
  let s = add2Nums(v, f(u * -PI_B2));
  s = addPair(s, f(u * -PI_C2));
  const r = sinPolynomial(s);
  if (Object.is(x, -0)) return -0;
  return (u & 1) !== 0 ? -r : r;
}

/** Sleef_cosf_u10 for a float32 |x| < 125 (Math.cos beyond). */
export function sleefCosf(x: number): number {
  if (!(Math.abs(x) < SLEEF_TRIG_SMALL)) return f(Math.cos(x));
  const dq = fma32(rint(fma32(x, M_1_PI, -0.5)), 2, 1);
  let s = add2Nums(x, f(dq * f(-PI_A2 * 0.5)));
  s = add2PairNum(s, f(dq * f(-PI_B2 * 0.5)));
  s = add2PairNum(s, f(dq * f(-PI_C2 * 0.5)));
  const r = sinPolynomial(s);
  return (dq & 2) === 0 ? -r : r;
}

/**
 * ATen's cpu_kernel_vec loops run the vector function over whole steps of two AVX2 vectors (16
 * float32 values) and the scalar function (glibc's std::exp etc.) over the last n % 16 elements:
 * how many leading elements of an n-element contiguous float32 operation take the vector path.
 */
export function vectorPart(n: number, step = 16): number {
  return n - (n % step);
}

/**
 * For an elementwise cpu_kernel_vec op on `t` (one input; the output takes t's layout): per
 * element, in row-major order, 1 where ATen computes it with the vector function, or null when
 * none is. A dense tensor (contiguous in some order of its dims, a transposed one too) is one
 * loop in memory order, vectorised in whole steps of two vectors (16 float32 or 8 float64
 * values); any other view is computed as a
 * contiguous copy, one loop in row-major order (measured against PyTorch 1.13 on one thread).
 */
export function vectorLanes(t: { readonly shape: readonly number[]; strides(): number[] }, step = 16): Uint8Array | null {
  const shape = t.shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const vector = vectorPart(n, step);
  if (vector === 0) return null;
  const lanes = new Uint8Array(n);
  const strides = t.strides();
  const dims = shape.map((_, d) => d).filter((d) => shape[d] > 1);
  dims.sort((p, q) => strides[p] - strides[q]);
  let size = 1;
  const dense = dims.every((d) => {
    const ok = strides[d] === size;
    size *= shape[d];
    return ok;
  });
  if (!dense) {
    lanes.fill(1, 0, vector);
    return lanes;
  }
  const at = shape.map(() => 0);
  for (let i = 0; i < n; i++) {
    let position = 0;
    for (const d of dims) position += at[d] * strides[d];
    lanes[i] = position < vector ? 1 : 0;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d] < shape[d]) break;
      at[d] = 0;
    }
  }
  return lanes;
}
