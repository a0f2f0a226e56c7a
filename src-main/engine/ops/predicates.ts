// Ops that answer a question per element: comparisons, bitwise and logical ops (masks like
// (x > 0) & (x < 5)), isnan / isinf / isfinite. They have no gradient; comparisons and the
// is* tests give bool tensors, bitwise ops keep the promoted integer or bool dtype.
import { runtimeError } from '../errors';
import { isFloating, TYPE_NAME } from '../dtype';
import type { ScalarLike } from '../dtype';
import type { Tensor } from '../tensor';
import { asTensor, resultTypeOf } from './common';
import { mapBinaryRaw, mapRaw } from './elementwise-raw';

export type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const COMPARE: Record<Comparison, (x: number, y: number) => number> = {
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
};

// (the same comparisons on int64's bigints: JavaScript compares two bigints exactly)
const COMPARE_INT64 = COMPARE as unknown as Record<Comparison, (x: bigint, y: bigint) => number>;

/** a == b, a < b, ...: compared in the promoted dtype, a bool tensor out. */
export function compare(op: Comparison, a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  return mapBinaryRaw(a, b, resultTypeOf(a, b), 'bool', COMPARE[op], COMPARE_INT64[op]);
}

export type BitwiseOp = 'and' | 'or' | 'xor';
const BITWISE: Record<BitwiseOp, (x: number, y: number) => number> = {
  and: (x, y) => (Number.isSafeInteger(x) && Number.isSafeInteger(y) ? Number(BigInt(x) & BigInt(y)) : x & y),
  or: (x, y) => (Number.isSafeInteger(x) && Number.isSafeInteger(y) ? Number(BigInt(x) | BigInt(y)) : x | y),
  xor: (x, y) => (Number.isSafeInteger(x) && Number.isSafeInteger(y) ? Number(BigInt(x) ^ BigInt(y)) : x ^ y),
};

/** a & b, a | b, a ^ b for bool and integer tensors (masks: (x > 0) & (x < 5)). */
export function bitwise(op: BitwiseOp, a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  const dtype = resultTypeOf(a, b);
  if (isFloating(dtype)) throw runtimeError(`"bitwise_${op}_cpu" not implemented for '${TYPE_NAME[dtype]}'`);
  const f = dtype === 'int32' || dtype === 'uint8' || dtype === 'bool' ? (x: number, y: number) => (op === 'and' ? x & y : op === 'or' ? x | y : x ^ y) : BITWISE[op];
  return mapBinaryRaw(a, b, dtype, dtype, f, BITWISE_INT64[op]);
}
const BITWISE_INT64: Record<BitwiseOp, (x: bigint, y: bigint) => bigint> = { and: (x, y) => x & y, or: (x, y) => x | y, xor: (x, y) => x ^ y };

/** ~a: logical not for bool, bitwise not for integers. */
export function bitwiseNot(a: Tensor): Tensor {
  if (isFloating(a.dtype)) throw runtimeError(`"bitwise_not_cpu" not implemented for '${TYPE_NAME[a.dtype]}'`);
  if (a.dtype === 'bool') return mapRaw(a, 'bool', (x) => (x ? 0 : 1));
  return mapRaw(a, a.dtype, (x) => -x - 1, a.dtype, (x) => ~x);
}

export function logicalNot(a: Tensor): Tensor {
  return mapRaw(a, 'bool', (x) => (x === 0 ? 1 : 0), a.dtype, (x) => (x === 0n ? 1 : 0));
}

export function isnan(a: Tensor): Tensor {
  return mapRaw(a, 'bool', (x) => (x !== x ? 1 : 0));
}
export function isinf(a: Tensor): Tensor {
  return mapRaw(a, 'bool', (x) => (x === Infinity || x === -Infinity ? 1 : 0));
}
export function isfinite(a: Tensor): Tensor {
  return mapRaw(a, 'bool', (x) => (Number.isFinite(x) ? 1 : 0));
}
