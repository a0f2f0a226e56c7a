// int64 arithmetic on BigInt64Array storages, as ATen's integer kernels compute it: a
// BigInt64Array store keeps the low 64 bits of the exact result, which is C's two's-complement
// wrap-around (2^63 - 1 + 1 == -2^63); floor division and remainder take Python's signs and
// raise ZeroDivisionError on a zero divisor.
import { runtimeError } from './errors';
import { BinaryOp, binaryMapInt64, UnaryOp } from './kernels';

const ADD = (x: bigint, y: bigint): bigint => x + y;
const SUB = (x: bigint, y: bigint): bigint => x - y;
const MUL = (x: bigint, y: bigint): bigint => x * y;
const COPY = (x: bigint): bigint => x;

/** out = a (op) b with broadcasting, wrapping around (true division is never computed in int64). */
export function int64Arith(
  op: BinaryOp,
  a: BigInt64Array,
  aShape: readonly number[],
  b: BigInt64Array,
  bShape: readonly number[],
  out: BigInt64Array,
  outShape: readonly number[],
): void {
  const f = op === BinaryOp.Add ? ADD : op === BinaryOp.Sub ? SUB : op === BinaryOp.Mul ? MUL : op === BinaryOp.CopyA ? COPY : null;
  if (f === null) throw new Error('int64 true division: divide in a floating dtype');
  const n = out.length;
  // the common shapes in one tight loop each; the store wraps the exact result
  if (a.length === n && b.length === n) for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  else if (a.length === n && b.length === 1) {
    const s = b[0];
    for (let i = 0; i < n; i++) out[i] = f(a[i], s);
  } else binaryMapInt64(a, aShape, b, bShape, out, outShape, f);
}

/** -x and |x| in int64 (both wrap: -(-2^63) is -2^63, as in C). */
export function int64Unary(op: UnaryOp, a: BigInt64Array, out: BigInt64Array): void {
  if (op === UnaryOp.Neg) for (let i = 0; i < a.length; i++) out[i] = -a[i];
  else if (op === UnaryOp.Abs) for (let i = 0; i < a.length; i++) out[i] = a[i] < 0n ? -a[i] : a[i];
  else if (op === UnaryOp.Square) for (let i = 0; i < a.length; i++) out[i] = a[i] * a[i];
  else throw new Error(`int64 unary op ${op}: compute it in a floating dtype`);
}

/** a // b (floor), as ATen's div_floor for integers. */
export function floorDivInt64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw runtimeError('ZeroDivisionError');
  const q = a / b;
  return (a < 0n) !== (b < 0n) && q * b !== a ? q - 1n : q;
}

/** a % b with the divisor's sign (torch.remainder). */
export function remainderInt64(a: bigint, b: bigint): bigint {
  if (b === 0n) throw runtimeError('ZeroDivisionError');
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/**
 * a ** b for integers as ATen's powi: repeated squaring, wrapping; a negative exponent gives 1
 * or -1 for a base of 1 or -1 and 0 otherwise (a negative Python-number exponent is refused
 * before this).
 */
export function powInt64(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) {
    if (base === 1n) return 1n;
    if (base === -1n) return exponent % 2n === 0n ? 1n : -1n;
    return 0n;
  }
  let result = 1n;
  let b = BigInt.asIntN(64, base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = BigInt.asIntN(64, result * b);
    b = BigInt.asIntN(64, b * b);
    e >>= 1n;
  }
  return result;
}
