// Fused multiply-add as the CPU computes it: a * b + c rounded once. ATen's add(b, alpha=s),
// addcmul and the optimizers' updates run as `vec::fmadd` (and the compiler contracts the scalar
// tail the same way), so matching PyTorch bit for bit needs the one rounding, which JavaScript has
// no instruction for.

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
export function twoProduct(a: number, b: number): [number, number] {
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

// Bits of a double, for rounding to odd.
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** x + y rounded to odd: exact sums stay, inexact ones land on the neighbour with an odd last bit. */
function addRoundToOdd(x: number, y: number): number {
  const s = x + y;
  const bv = s - x;
  const err = x - (s - bv) + (y - bv);
  if (err === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  if ((u64[0] & 1n) === 1n) return s;
  // s is even: its other neighbour on err's side is odd (moving away from zero is +1 on the bits).
  u64[0] += (s > 0) === (err > 0) ? 1n : -1n;
  return f64[0];
}

/**
 * a * b + c rounded once, for doubles (Boldo and Melquiond's emulation: the exact product and
 * sum as pairs, their small parts added with rounding to odd, then one rounding to nearest).
 * Exact for finite results away from the subnormal range; the edges fall back to a * b + c.
 */
export function fma64(a: number, b: number, c: number): number {
  const [ph, pl] = twoProduct(a, b);
  const sh = ph + c;
  const bv = sh - ph;
  const sl = ph - (sh - bv) + (c - bv);
  const out = sh + addRoundToOdd(sl, pl);
  if (!Number.isFinite(out) || !Number.isFinite(ph) || Math.abs(ph) < 2 ** -969 || Math.abs(a) > 2 ** 995 || Math.abs(b) > 2 ** 995) return a * b + c;
  return out;
}
