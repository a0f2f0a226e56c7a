// The float arithmetic PyTorch's CPU optimizers do, reproduced exactly in JavaScript doubles.
//
// ATen's `a.add_(b, alpha=s)` and `addcmul_` run as fused multiply-adds (one rounding to
// float32: `vec::fmadd` in the vector loop, and the compiler contracts the scalar tail the same
// way), while `mul_`, `div` and `addcdiv_` round after every operation. Adam's bias corrections
// are Python floats: `beta ** step` from C's pow, which is correctly rounded; V8's Math.pow is
// one ulp off in about one case in ten for the betas Adam uses. That last bit of a double seldom
// reaches a float32 step size, but when it does the parameters would drift apart for good.
import { fma32, twoProduct } from '../engine/index';

export { fma32 };

function ddMultiply(xh: number, xl: number, yh: number, yl: number): [number, number] {
  const [p, e] = twoProduct(xh, yh);
  const lo = e + (xh * yl + xl * yh);
  const hi = p + lo;
  return [hi, lo - (hi - p)];
}

/**
 * Python's `base ** exponent` for floats: correctly rounded for a whole-number exponent
 * (square-and-multiply in double-double, ~100 bits, then one rounding), as glibc's pow gives;
 * other exponents fall back to Math.pow.
 */
export function pythonPow(base: number, exponent: number): number {
  if (!Number.isInteger(exponent) || Math.abs(exponent) > 2 ** 53 || !Number.isFinite(base) || base === 0) return Math.pow(base, exponent);
  let n = Math.abs(exponent);
  let rh = 1;
  let rl = 0;
  let bh = base;
  let bl = 0;
  while (n > 0) {
    if (n % 2 === 1) [rh, rl] = ddMultiply(rh, rl, bh, bl);
    n = Math.floor(n / 2);
    if (n > 0) [bh, bl] = ddMultiply(bh, bl, bh, bl);
  }
  const value = rh + rl;
  // Too close to the edges of the double range for the split to stay exact: let Math.pow decide.
  if (!Number.isFinite(value) || Math.abs(value) < 2 ** -960 || Math.abs(value) > 2 ** 960) return Math.pow(base, exponent);
  if (exponent > 0) return value;
  // 1 / (rh + rl), with the first quotient's remainder carried so the result is rounded once.
  const q = 1 / rh;
  const [p, e] = twoProduct(q, rh);
  return q + (1 - p - e - q * rl) / rh;
}
