// C's expf as glibc computes it on x86-64 with FMA (the table-driven algorithm by Szabolcs Nagy,
// Arm's optimized routines, MIT licensed; glibc and musl share it). PyTorch's scalar CPU kernels
// call std::exp on floats (the tail of an elementwise loop, and so every element of a tensor of
// fewer than 16), which is this function. It is not always correctly rounded:
// Math.fround(Math.exp(x)) differs from it about once in 1,700 values, enough to change a
// training loop's last digits (binary_cross_entropy_with_logits, sigmoid).
import { fma64 } from './fma';

/** 2^(i/32) as doubles: glibc's table holds their bits minus i << 47. */
const TABLE_BITS: readonly bigint[] = [
  0x3ff0000000000000n, 0x3fefd9b0d3158574n, 0x3fefb5586cf9890fn, 0x3fef9301d0125b51n, 0x3fef72b83c7d517bn, 0x3fef54873168b9aan,
  0x3fef387a6e756238n, 0x3fef1e9df51fdee1n, 0x3fef06fe0a31b715n, 0x3feef1a7373aa9cbn, 0x3feedea64c123422n, 0x3feece086061892dn,
  0x3feebfdad5362a27n, 0x3feeb42b569d4f82n, 0x3feeab07dd485429n, 0x3feea47eb03a5585n, 0x3feea09e667f3bcdn, 0x3fee9f75e8ec5f74n,
  0x3feea11473eb0187n, 0x3feea589994cce13n, 0x3feeace5422aa0dbn, 0x3feeb737b0cdc5e5n, 0x3feec49182a3f090n, 0x3feed503b23e255dn,
  0x3feee89f995ad3adn, 0x3feeff76f2fb5e47n, 0x3fef199bdd85529cn, 0x3fef3720dcef9069n, 0x3fef5818dcfba487n, 0x3fef7c97337b9b5fn,
  0x3fefa4afa2a490dan, 0x3fefd0765b6e4540n,
];
const N = 32;
const view = new DataView(new ArrayBuffer(8));
/** 2^(i/32) itself (the table's bits plus i << 47). */
const POW2: readonly number[] = TABLE_BITS.map((bits, i) => {
  view.setBigUint64(0, bits + (BigInt(i) << 47n));
  return view.getFloat64(0);
});
const INV_LN2_N = 1.4426950408889634 * N; // 0x1.71547652b82fep+0 * N
const SHIFT = 6755399441055744; // 0x1.8p+52: adding it rounds to an integer, ties to even
const C0 = 0.05550361559341535 / (N * N * N); // 0x1.c6af84b912394p-5 / N^3
const C1 = 0.2402284522445722 / (N * N); // 0x1.ebfce50fac4f3p-3 / N^2
const C2 = 0.6931471806916203 / N; // 0x1.62e42ff0c52d6p-1 / N

/** expf(x) for a float32 x, as glibc's (x86-64 FMA variant) returns it. */
export function expf(x: number): number {
  if (!(Math.abs(x) < 88)) {
    if (x === -Infinity) return 0;
    if (x !== x || x === Infinity) return x + x;
    if (x > 88.72283172607422) return Infinity;
    if (x < -103.972076416015625) return 0; // log(2^-150)
  }
  // (whether the compiler fuses z = x * InvLn2N into its two uses made no difference on 6000
  // values against glibc; the polynomial below is fused as in the FMA build)
  const z = INV_LN2_N * x;
  const kd = z + SHIFT - SHIFT;
  const r = z - kd;
  const j = ((kd % N) + N) % N;
  const s = POW2[j] * 2 ** ((kd - j) / N);
  const p = fma64(C0, r, C1);
  const r2 = r * r;
  let y = fma64(C2, r, 1);
  y = fma64(p, r2, y);
  return Math.fround(y * s);
}
