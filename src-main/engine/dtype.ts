// Data types, their storage, and PyTorch's type promotion (c10/core/ScalarType.h's promoteTypes
// and ATen's result_type: dimensioned tensors, zero-dim tensors and Python scalars each form a
// priority class, and a lower class only wins when it is of a higher category).
import { guardAllocation } from './allocation-guard';
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/**
 * Element storage per dtype, each the C type's own typed array: float32 -> Float32Array, float64
 * -> Float64Array, int64 -> BigInt64Array (every value exact, wrapping around as C's int64_t
 * does), int32 / int16 / int8 -> Int32Array / Int16Array / Int8Array, uint8 and bool -> Uint8Array.
 */
export type Storage = NumericStorage | BigInt64Array;
/** The storages of the floating dtypes. */
export type FloatStorage = Float32Array | Float64Array;
/** The storages whose elements are JavaScript numbers (every dtype but int64). */
export type NumericStorage = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** A Python scalar whose int/float/bool kind matters for promotion (JS numbers cannot tell 2 from 2.0). */
export interface PyScalar {
  readonly pyKind: 'int' | 'float' | 'bool';
  readonly value: number;
}
/** A scalar operand: a JS number, a bool, a bigint (a Python int, exact; within int64), or a PyScalar. */
export type ScalarLike = number | boolean | bigint | PyScalar;

export const pyFloat = (value: number): PyScalar => ({ pyKind: 'float', value });
export const pyInt = (value: number): PyScalar => ({ pyKind: 'int', value });
export const pyBool = (value: boolean): PyScalar => ({ pyKind: 'bool', value: value ? 1 : 0 });

export function isPyScalar(v: unknown): v is PyScalar {
  return typeof v === 'object' && v !== null && 'pyKind' in v && 'value' in v;
}

/** Kind of a scalar operand: a JS number with an integral value counts as a Python int. */
export function scalarKind(s: ScalarLike): 'int' | 'float' | 'bool' {
  if (typeof s === 'boolean') return 'bool';
  if (typeof s === 'number') return Number.isInteger(s) ? 'int' : 'float';
  if (typeof s === 'bigint') return 'int';
  return s.pyKind;
}
/** The scalar as a number (a bigint rounds to the nearest double). */
export function scalarValue(s: ScalarLike): number {
  if (typeof s === 'boolean') return s ? 1 : 0;
  if (typeof s === 'number') return s;
  if (typeof s === 'bigint') return Number(s);
  return s.value;
}

/**
 * A Python value (number, or bigint for a Python int) as an element of `dtype`: int64 keeps
 * ints exact (wrapping to 64 bits) and truncates floats as C does; other dtypes go through the
 * nearest double, as PyTorch unpacks a Python int for them (narrow integers wrap).
 */
export function castElement(dtype: DType, v: number | bigint): number | bigint {
  if (typeof v === 'bigint') {
    switch (dtype) {
      case 'int64':
        return BigInt.asIntN(64, v);
      case 'int32':
        return Number(BigInt.asIntN(32, v));
      case 'int16':
        return Number(BigInt.asIntN(16, v));
      case 'int8':
        return Number(BigInt.asIntN(8, v));
      case 'uint8':
        return Number(BigInt.asUintN(8, v));
      case 'bool':
        return v !== 0n ? 1 : 0;
      default:
        return castValue(dtype, Number(v));
    }
  }
  return dtype === 'int64' ? toInt64(v) : castValue(dtype, v);
}

/** Fills a whole storage with one value of its dtype. */
export function fillStorage(s: Storage, dtype: DType, v: number | bigint): void {
  const e = castElement(dtype, v);
  if (s instanceof BigInt64Array) s.fill(e as bigint);
  else s.fill(e as number);
}

/** The dtype a Python scalar takes part in promotion as (floats count as the default float32). */
export function scalarDType(s: ScalarLike): DType {
  const kind = scalarKind(s);
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : 'float32';
}

// With these dtypes c10's promoteTypes table is a maximum over one order, except that uint8 with
// int8 gives int16 (the smallest type holding both); uint8 with a wider signed integer gives that.
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int8: 1, int16: 2, int32: 3, int64: 4, float32: 5, float64: 6 };

export function promoteTypes(a: DType, b: DType): DType {
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  return RANK[a] >= RANK[b] ? a : b;
}

export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';
/** Bytes per element (tensor.element_size()). */
export const ELEMENT_SIZE: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

export const isIntegral = (d: DType): boolean => d === 'int64' || d === 'int32' || d === 'int16' || d === 'int8' || d === 'uint8';

/** What an operand contributes to result_type: its dtype and its priority class. */
export interface PromotionOperand {
  readonly dtype: DType;
  /** 'dim' for tensors with dimensions, 'zero' for 0-d tensors, 'wrapped' for Python scalars */
  readonly priority: 'dim' | 'zero' | 'wrapped';
}

/** ATen's combine_categories(higher, lower). */
function combineCategories(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (isFloating(higher)) return higher;
  if (higher === 'bool' || isFloating(lower)) return promoteTypes(higher, lower);
  return higher;
}

/** torch.result_type over the operands of one op. */
export function resultType(operands: readonly PromotionOperand[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  let wrapped: DType | null = null;
  for (const o of operands) {
    if (o.priority === 'dim') dim = dim === null ? o.dtype : promoteTypes(dim, o.dtype);
    else if (o.priority === 'zero') zero = zero === null ? o.dtype : promoteTypes(zero, o.dtype);
    else {
      // a wrapped Python float counts as the default dtype
      const d = isFloating(o.dtype) ? 'float32' : o.dtype;
      wrapped = wrapped === null ? d : promoteTypes(wrapped, d);
    }
  }
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? 'float32';
}

export function allocStorage(dtype: DType, n: number): Storage {
  guardAllocation(n * ELEMENT_SIZE[dtype]);
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int8':
      return new Int8Array(n);
    default:
      return new Uint8Array(n);
  }
}

/**
 * Converts a number to what a dtype stores, as a C++ static_cast does on x86: float32 rounding,
 * integer truncation toward zero (narrow integers wrap around; NaN and values beyond int32 give
 * int32's minimum first, as cvttsd2si does), bool tests != 0 (NaN is true). int64 here is the
 * nearest number to the int64 (see toInt64 for the exact value).
 */
export function castValue(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
    case 'int64':
      return Number(toInt64(v));
    case 'int32':
      return toInt32(v);
    case 'int16':
      return (toInt32(v) << 16) >> 16;
    case 'int8':
      return (toInt32(v) << 24) >> 24;
    case 'uint8':
      return toInt32(v) & 255;
    default:
      return v !== 0 ? 1 : 0;
  }
}

function toInt32(v: number): number {
  const t = Math.trunc(v);
  return t >= -2147483648 && t < 2147483648 ? t | 0 : -2147483648;
}

const INT64_MIN = -(2n ** 63n);
const TWO_63 = 2 ** 63;
/** static_cast<int64_t>(double) on x86: truncation; NaN and out-of-range values give INT64_MIN. */
export function toInt64(v: number): bigint {
  const t = Math.trunc(v);
  return t >= -TWO_63 && t < TWO_63 ? BigInt(t) : INT64_MIN;
}
/** A Python int (or a number) as the int64 it wraps to (C's two's complement). */
export function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** static_cast<float>(int64_t): the float32 nearest to v, rounded once (ties to even). */
export function int64ToFloat32(v: bigint): number {
  const n = Number(v);
  // exact as a double, or rounded to a double that is not halfway between two floats: one rounding
  if (Number.isSafeInteger(n) || Math.fround(n) === n) return Math.fround(n);
  const lo = Math.fround(n);
  const other = lo < n ? nextFloat32(lo, 1) : nextFloat32(lo, -1);
  const [below, above] = lo < other ? [lo, other] : [other, lo];
  // compare v exactly with the midpoint of the two candidate floats (both are integers here)
  const twice = BigInt(below) + BigInt(above);
  const c = 2n * v - twice;
  if (c < 0n) return below;
  if (c > 0n) return above;
  return (new Uint32Array(new Float32Array([below]).buffer)[0] & 1) === 0 ? below : above;
}
function nextFloat32(x: number, direction: 1 | -1): number {
  const f = new Float32Array([x]);
  const u = new Int32Array(f.buffer);
  u[0] += x > 0 === direction > 0 ? 1 : -1;
  return f[0];
}

/** Reads element i of a storage as a number (an int64 rounds to the nearest double). */
export function numberAt(s: Storage, i: number): number {
  return Number(s[i]);
}

/**
 * The elements of a storage as numbers: the storage itself unless it is an int64 one, which is
 * copied into a Float64Array (exact up to 2^53: indices, counts, sizes).
 */
export function asNumbers(s: Storage): NumericStorage {
  if (!(s instanceof BigInt64Array)) return s;
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = Number(s[i]);
  return out;
}

/** Writes a number into any storage, as a C++ static_cast to its dtype would. */
export function storeNumber(s: Storage, i: number, v: number): void {
  if (s instanceof BigInt64Array) s[i] = toInt64(v);
  else s[i] = v;
}

/** PyTorch's names in messages such as "result type Float can't be cast to ... Long". */
export const TYPE_NAME: Record<DType, string> = {
  float32: 'Float',
  float64: 'Double',
  int64: 'Long',
  int32: 'Int',
  int16: 'Short',
  int8: 'Char',
  uint8: 'Byte',
  bool: 'Bool',
};

/** The legacy tensor type names: torch.FloatTensor, torch.LongTensor, ... */
export const TENSOR_TYPE_NAME: Record<DType, string> = {
  float32: 'torch.FloatTensor',
  float64: 'torch.DoubleTensor',
  int64: 'torch.LongTensor',
  int32: 'torch.IntTensor',
  int16: 'torch.ShortTensor',
  int8: 'torch.CharTensor',
  uint8: 'torch.ByteTensor',
  bool: 'torch.BoolTensor',
};

