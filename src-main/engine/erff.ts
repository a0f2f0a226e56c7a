// erf for float32 the two ways PyTorch 1.13's CPU kernels compute it (GELU and its backward):
// - the scalar path (the last n % 16 elements of a cpu_kernel_vec loop) calls std::erf(float),
//   glibc's erff: Sun's float algorithm (s_erff.c), every step rounded to float;
// - the vector path calls ATen's Vectorized<float>::erf() (AVX2): Abramowitz and Stegun's
//   7.1.26 polynomial with fused multiply-adds and SLEEF's expf.
// Math.fround of an exact erf differs from glibc's erff for about 1.5 % of floats, and both differ
// from the vector polynomial, so neither can stand in for the other.
import { expf } from './expf';
import { fma32 } from './fma';
import { sleefExpf } from './sleef';

const f = Math.fround;
const c = (v: number): number => Math.fround(v);

const ERX = c(8.4506291151e-1);
const EFX = c(1.2837916613e-1);
const PP = [1.2837916613e-1, -3.2504209876e-1, -2.8481749818e-2, -5.7702702470e-3, -2.3763017452e-5].map(c);
const QQ = [3.9791721106e-1, 6.5022252500e-2, 5.0813062117e-3, 1.3249473704e-4, -3.9602282413e-6].map(c);
const PA = [-2.3621185683e-3, 4.1485610604e-1, -3.7220788002e-1, 3.1834661961e-1, -1.1089469492e-1, 3.5478305072e-2, -2.1663755178e-3].map(c);
const QA = [1.0642088205e-1, 5.4039794207e-1, 7.1828655899e-2, 1.2617121637e-1, 1.3637083583e-2, 1.1984500103e-2].map(c);
const RA = [-9.8649440333e-3, -6.9385856390e-1, -1.0558626175e1, -6.2375331879e1, -1.6239666748e2, -1.8460508728e2, -8.1287437439e1, -9.8143291473].map(c);
const SA = [1.9651271820e1, 1.3765776062e2, 4.3456588745e2, 6.4538726807e2, 4.2900814819e2, 1.0863500214e2, 6.5702495575, -6.0424413532e-2].map(c);
const RB = [-9.8649431020e-3, -7.9928326607e-1, -1.7757955551e1, -1.6063638306e2, -6.3756646729e2, -1.0250950928e3, -4.8351919556e2].map(c);
const SB = [3.0338060379e1, 3.2579251099e2, 1.5367296143e3, 3.1998581543e3, 2.5530502930e3, 4.7452853394e2, -2.2440952301e1].map(c);
const TINY = c(1e-30);

/** c0 + s*(c1 + s*(c2 + ...)) in float steps (Horner from the innermost coefficient). */
function horner(s: number, coefficients: readonly number[], first: number): number {
  let acc = coefficients[coefficients.length - 1];
  for (let i = coefficients.length - 2; i >= 0; i--) acc = f(coefficients[i] + f(s * acc));
  return f(first + f(s * acc));
}

const bits = new Float32Array(1);
const words = new Int32Array(bits.buffer);

/** glibc's erff(x) for a float32 x. */
export function glibcErff(x: number): number {
  bits[0] = x;
  const hx = words[0];
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7f800000) return x !== x ? x : hx < 0 ? -1 : 1;
  if (ix < 0x3f580000) {
    // |x| < 0.84375
    if (ix < 0x31800000) return ix < 0x04000000 ? f(0.0625 * f(f(16 * x) + f(f(16 * EFX) * x))) : f(x + f(EFX * x));
    const z = f(x * x);
    const r = horner(z, PP.slice(1), PP[0]);
    const s = horner(z, QQ, 1);
    return f(x + f(x * f(r / s)));
  }
  if (ix < 0x3fa00000) {
    // 0.84375 <= |x| < 1.25
    const s = f(Math.abs(x) - 1);
    const p = horner(s, PA.slice(1), PA[0]);
    const q = horner(s, QA, 1);
    return hx >= 0 ? f(ERX + f(p / q)) : f(f(-ERX) - f(p / q));
  }
  if (ix >= 0x40c00000) return hx >= 0 ? f(1 - TINY) : f(TINY - 1);
  const ax = Math.abs(x);
  const s = f(1 / f(ax * ax));
  let r: number;
  let q: number;
  if (ix < 0x4036db6e) {
    r = horner(s, RA.slice(1), RA[0]);
    q = horner(s, SA, 1);
  } else {
    r = horner(s, RB.slice(1), RB[0]);
    q = horner(s, SB, 1);
  }
  bits[0] = ax;
  words[0] &= 0xfffff000 | 0;
  const z = bits[0];
  const e = f(expf(f(f(-z * z) - 0.5625)) * expf(f(f(f(z - ax) * f(z + ax)) + f(r / q))));
  return hx >= 0 ? f(1 - f(e / ax)) : f(f(e / ax) - 1);
}

const P = c(0.3275911);
const P1 = c(0.254829592);
const P2 = c(-0.284496736);
const P3 = c(1.421413741);
const P4 = c(-1.453152027);
const P5 = c(1.061405429);

/** ATen's Vectorized<float>::erf() (AVX2) for one lane. */
export function vectorErff(x: number): number {
  const ax = Math.abs(x);
  const t = f(1 / fma32(P, ax, 1));
  const r = fma32(fma32(fma32(fma32(P5, t, P4), t, P3), t, P2), t, P1);
  const e = -sleefExpf(-f(x * x));
  const y = fma32(f(e * t), r, 1);
  // the sign of x put on the result (an exclusive or of the sign bits)
  return x < 0 || Object.is(x, -0) ? -y : y;
}
