// Data types, their storage, and PyTorch's type promotion (c10/core/ScalarType.h's promoteTypes
// and ATen's result_type: dimensioned tensors, zero-dim tensors and Python scalars each form a
// priority class, and a lower class only wins when it is of a higher category).
import { guardAllocation } from './allocation-guard';
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool';

/**
 * Element storage per dtype: float32 -> Float32Array, float64 -> Float64Array, int32 ->
 * Int32Array, uint8 and bool -> Uint8Array, int64 -> Float64Array holding integers. int64 is
 * exact for |values| <= 2^53 (every count, index, seed and lesson number); beyond that values
 * round to the nearest double and overflow does not wrap around as PyTorch's int64 does.
 */
export type Storage = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A Python scalar whose int/float/bool kind matters for promotion (JS numbers cannot tell 2 from 2.0). */
export interface PyScalar {
  readonly pyKind: 'int' | 'float' | 'bool';
  readonly value: number;
}
export type ScalarLike = number | boolean | PyScalar;

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
  return s.pyKind;
}
export function scalarValue(s: ScalarLike): number {
  if (typeof s === 'boolean') return s ? 1 : 0;
  if (typeof s === 'number') return s;
  return s.value;
}

/** The dtype a Python scalar takes part in promotion as (floats count as the default float32). */
export function scalarDType(s: ScalarLike): DType {
  const kind = scalarKind(s);
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : 'float32';
}

// With these six dtypes promoteTypes is a maximum over one order (uint8 with a signed integer
// gives the signed one, which is also the larger here).
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, int64: 3, float32: 4, float64: 5 };

export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';
export const isIntegral = (d: DType): boolean => d === 'int64' || d === 'int32' || d === 'uint8';

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
  guardAllocation(n * (dtype === 'float64' || dtype === 'int64' ? 8 : dtype === 'float32' || dtype === 'int32' ? 4 : 1));
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
    case 'int64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    default:
      return new Uint8Array(n);
  }
}

/**
 * Converts a value to what a dtype stores, as a C++ static_cast does: float32 rounding, integer
 * truncation toward zero (int32 and uint8 wrap around), bool tests != 0 (NaN is true).
 */
export function castValue(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
    case 'int64': {
      const t = Math.trunc(v);
      return t >= INT64_MIN && t < -INT64_MIN ? t + 0 : INT64_MIN;
    }
    case 'int32': {
      const t = Math.trunc(v);
      return t >= -2147483648 && t < 2147483648 ? t | 0 : -2147483648;
    }
    case 'uint8':
      return Math.trunc(v) & 255;
    default:
      return v !== 0 ? 1 : 0;
  }
}
// what x86's double -> int64 conversion gives for NaN and out-of-range values
const INT64_MIN = -(2 ** 63);

/** PyTorch's names in messages such as "result type Float can't be cast to ... Long". */
export const TYPE_NAME: Record<DType, string> = {
  float32: 'Float',
  float64: 'Double',
  int64: 'Long',
  int32: 'Int',
  uint8: 'Byte',
  bool: 'Bool',
};

/** The legacy tensor type names: torch.FloatTensor, torch.LongTensor, ... */
export const TENSOR_TYPE_NAME: Record<DType, string> = {
  float32: 'torch.FloatTensor',
  float64: 'torch.DoubleTensor',
  int64: 'torch.LongTensor',
  int32: 'torch.IntTensor',
  uint8: 'torch.ByteTensor',
  bool: 'torch.BoolTensor',
};

/** Bytes per element (tensor.element_size()). */
export const ELEMENT_SIZE: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, uint8: 1, bool: 1 };
