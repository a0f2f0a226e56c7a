// The float arithmetic PyTorch's CPU optimizers do, reproduced exactly in JavaScript doubles.
//
// ATen's `a.add_(b, alpha=s)` and `addcmul_` run as fused multiply-adds (one rounding to
// float32: `vec::fmadd` in the vector loop, and the compiler contracts the scalar tail the same
// way), while `mul_`, `div` and `addcdiv_` round after every operation. Adam's bias corrections
// are Python floats: `beta ** step` from C's pow, which is correctly rounded; V8's Math.pow is
// one ulp off in about one case in ten for the betas Adam uses. That last bit of a double seldom
// reaches a float32 step size, but when it does the parameters would drift apart for good.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 next to the float32 `x` in the direction of `towards` (x must be finite). */
function float32Step(x: number, up: boolean): number {
  if (x === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = x;
  // Moving away from zero is +1 on the bit pattern, towards zero -1.
  u32[0] += (x > 0) === up ? 1 : -1;
  return f32[0];
}

/**
 * a * b + c rounded once to float32, for float32 a, b, c (what the hardware's fmadd gives).
 * a * b is exact in a double; the sum is rounded to a double and then to float32, which can
 * differ from one rounding only when the double lands exactly halfway between two float32s,
 * and then the sum's exact error (TwoSum) says which way the true value lies.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s || !Number.isFinite(s)) return r;
  const bv = s - p;
  const err = p - (s - bv) + (c - bv);
  if (err === 0) return r;
  const other = float32Step(r, s > r);
  if (Math.abs(s - r) !== Math.abs(other - s)) return r;
  // s is a tie: the exact value p + c = s + err lies on err's side of it.
  return err > 0 === other > r ? other : r;
}

// Double-double helpers (Dekker): a value hi + lo with |lo| <= ulp(hi) / 2.
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const SPLIT = 134217729; // 2^27 + 1
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

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
