// exp and log in float64 as SLEEF's vectorised u10 functions compute them (Sleef_expd4_u10 /
// Sleef_logd4_u10, AVX2 with fused multiply-adds): what ATen's Vectorized<double>::exp() and
// ::log() return, so what torch.exp / torch.log give for every element of a float64 tensor
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
