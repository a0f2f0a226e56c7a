// exp, log and tanh in float64 as SLEEF's vectorised u10 functions compute them (Sleef_expd4_u10 /
// Sleef_logd4_u10 / Sleef_tanhd4_u10, AVX2 with fused multiply-adds): what ATen's
// Vectorized<double>::exp(), ::log() and ::tanh() return, so what torch.exp / log / tanh give
// for every element of a float64 tensor
// (vml maps the vector function over the tail too). SLEEF is Boost-licensed; this re-states its
// algorithm (polynomials in Estrin's scheme, double-double steps) and is checked against PyTorch.
import { fma64 } from './fma';

const R_LN2 = 1.4426950408889634;
const L2U = 0.69314718055966295651160180568695068359375;
const L2L = 2.8235290563031577e-13;
const DBL_MIN = 2.2250738585072014e-308;

/** Round to nearest, ties to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** d * 2^q in two steps, as vldexp2 scales. */
function ldexp2(d: number, q: number): number {
  const h = q >> 1;
  return d * 2 ** h * 2 ** (q - h);
}

const EXP_POLY = [
  0.2081276378237164457e-8, 0.2511210703042288022e-7, 0.2755762628169491192e-6, 0.2755723402025388239e-5, 0.2480158687479686264e-4,
  0.1984126989855865850e-3, 0.1388888888914497797e-2, 0.833333333331493821e-2, 0.4166666666666602598e-1, 0.1666666666666669072,
];

/** Sleef_exp_u10 for a float64 x. */
export function sleefExp(x: number): number {
  if (x !== x) return NaN;
  if (x > 709.7827111495575) return Infinity;
  if (x < -1000) return 0;
  const q = rint(x * R_LN2);
  let s = fma64(q, -L2U, x);
  s = fma64(q, -L2L, s);
  const s2 = s * s;
  const s4 = s2 * s2;
  const s8 = s4 * s4;
  const c = EXP_POLY;
  // POLY10 in Estrin's scheme: c9..c0 as SLEEF pairs them
  const p4a = fma64(s2, fma64(s, c[2], c[3]), fma64(s, c[4], c[5]));
  const p4b = fma64(s2, fma64(s, c[6], c[7]), fma64(s, c[8], c[9]));
  let u = fma64(s8, fma64(s, c[0], c[1]), fma64(s4, p4a, p4b));
  u = fma64(u, s, 0.5);
  u = fma64(u, s, 1);
  u = fma64(u, s, 1);
  return ldexp2(u, q);
}

const LOG_POLY = [0.1532076988502701353, 0.1525629051003428716, 0.1818605932937785996, 0.2222214519839380009, 0.2857142932794299317, 0.399999999963525199, 0.6666666666667333541];
const LN2_HI = 0.693147180559945286226764;
const LN2_LO = 2.319046813846299558417771e-17;
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The unbiased exponent field of a positive normal double. */
function exponentOf(d: number): number {
  f64[0] = d;
  return Number((u64[0] >> 52n) & 0x7ffn) - 1023;
}
/** d with e added to its exponent field (vldexp3). */
function addExponent(d: number, e: number): number {
  f64[0] = d;
  u64[0] = BigInt.asUintN(64, u64[0] + (BigInt(e) << 52n));
  return f64[0];
}

/** Sleef_log_u10 for a float64 x. */
export function sleefLog(x: number): number {
  if (x === Infinity) return Infinity;
  if (x < 0 || x !== x) return NaN;
  if (x === 0) return -Infinity;
  const tiny = x < DBL_MIN;
  const d = tiny ? x * 18446744073709551616 : x;
  let e = exponentOf(d * (1 / 0.75));
  const m = addExponent(d, -e);
  if (tiny) e -= 64;
  // x = (m - 1) / (m + 1) in double-double
  const n = add2(-1, m);
  const dd = add2(1, m);
  const t0 = 1 / dd[0];
  const qx = n[0] * t0;
  const uu = fma64(t0, n[0], -qx);
  let qy = fma64(-dd[1], t0, fma64(-dd[0], t0, 1));
  qy = fma64(qx, qy, fma64(n[1], t0, uu));
  const x2 = qx * qx;
  const x4 = x2 * x2;
  const x8 = x4 * x4;
  const c = LOG_POLY;
  // POLY7 in Estrin's scheme over x2: c6..c0
  const t = fma64(x8, fma64(x4, c[0], fma64(x2, c[1], c[2])), fma64(x4, fma64(x2, c[3], c[4]), fma64(x2, c[5], c[6])));
  // s = ln2 * e as double-double, plus 2x, plus x^3 * t
  let sx = LN2_HI * e;
  let sy = fma64(LN2_LO, e, fma64(LN2_HI, e, -sx));
  [sx, sy] = addPairs(sx, sy, qx * 2, qy * 2);
  const tail = x2 * qx * t;
  const rx = sx + tail;
  sy = sx - rx + tail + sy;
  return rx + sy;
}

function add2(x: number, y: number): [number, number] {
  const s = x + y;
  const v = s - x;
  return [s, x - (s - v) + (y - v)];
}
function addPairs(xx: number, xy: number, yx: number, yy: number): [number, number] {
  const s = xx + yx;
  return [s, xx - s + yx + xy + yy];
}

// ---- tanh: Sleef_tanhd4_u10 (xtanh), through SLEEF's double-double e^x ----

type Pair = [number, number];

function add2PairNum(x: Pair, y: number): Pair {
  const s = x[0] + y;
  const v = s - x[0];
  return [s, x[0] - (s - v) + (y - v) + x[1]];
}
function add2PairsDD(x: Pair, y: Pair): Pair {
  const s = x[0] + y[0];
  const v = s - x[0];
  return [s, x[0] - (s - v) + (y[0] - v) + (x[1] + y[1])];
}
function addNumPair(x: number, y: Pair): Pair {
  const s = x + y[0];
  return [s, x - s + y[0] + y[1]];
}
function addPairsDD(x: Pair, y: Pair): Pair {
  const s = x[0] + y[0];
  return [s, x[0] - s + y[0] + x[1] + y[1]];
}
function squarePair(x: Pair): Pair {
  const s = x[0] * x[0];
  return [s, fma64(x[0] + x[0], x[1], fma64(x[0], x[0], -s))];
}
function mulPairNum(x: Pair, y: number): Pair {
  const s = x[0] * y;
  return [s, fma64(x[1], y, fma64(x[0], y, -s))];
}
function mulPairsDD(x: Pair, y: Pair): Pair {
  const s = x[0] * y[0];
  return [s, fma64(x[0], y[1], fma64(x[1], y[0], fma64(x[0], y[0], -s)))];
}
function recPair(d: Pair): Pair {
  const q = 1 / d[0];
  return [q, q * fma64(-d[1], q, fma64(-d[0], q, 1))];
}
function divPair(n: Pair, d: Pair): Pair {
  const t = 1 / d[0];
  const s = n[0] * t;
  const u = fma64(t, n[0], -s);
  const v = fma64(-d[1], t, fma64(-d[0], t, 1));
  return [s, fma64(s, v, fma64(n[1], t, u))];
}

const EXPK2_POLY = [
  0.1602472219709932072e-9, 0.2092255183563157007e-8, 0.2505230023782644465e-7, 0.2755724800902135303e-6, 0.2755731892386044373e-5,
  0.2480158735605815065e-4, 0.1984126984148071858e-3, 0.1388888888886763255e-2, 0.8333333333333347095e-2, 0.4166666666666669905e-1,
];

/** SLEEF's expk2: e^d for a double-double d, as a double-double. */
function expPair(d: Pair): Pair {
  const q = rint((d[0] + d[1]) * R_LN2);
  let s = add2PairNum(d, q * -L2U);
  s = add2PairNum(s, q * -L2L);
  const s2 = squarePair(s);
  const s4 = squarePair(s2);
  const s8 = s4[0] * s4[0];
  const c = EXPK2_POLY;
  const x = s[0];
  const x2 = s2[0];
  const x4 = s4[0];
  const p4a = fma64(x2, fma64(x, c[2], c[3]), fma64(x, c[4], c[5]));
  const p4b = fma64(x2, fma64(x, c[6], c[7]), fma64(x, c[8], c[9]));
  const u = fma64(s8, fma64(x, c[0], c[1]), fma64(x4, p4a, p4b));
  let t = addNumPair(0.5, mulPairNum(s, 0.1666666666666666574));
  t = addNumPair(1, mulPairsDD(t, s));
  t = addNumPair(1, mulPairsDD(t, s));
  t = addPairsDD(t, mulPairNum(s4, u));
  if (d[0] < -1000) return [0, 0];
  return [ldexp2(t[0], q), ldexp2(t[1], q)];
}

/** Sleef_tanh_u10 for a float64 x. */
export function sleefTanh(x: number): number {
  if (x !== x) return NaN;
  const d = expPair([Math.abs(x), 0]);
  const e = recPair(d);
  const q = divPair(add2PairsDD(d, [-e[0], -e[1]]), add2PairsDD(d, e));
  let y = q[0] + q[1];
  if (Math.abs(x) > 18.714973875 || y !== y) y = 1;
  return x < 0 || Object.is(x, -0) ? -y : y;
}
