// Data types and PyTorch's type promotion for the three dtypes the lessons use.
export type DType = 'float32' | 'int64' | 'bool';

/** int64 values are stored as exact integers in a Float64Array (safe up to 2^53). */
export type Storage = Float32Array | Float64Array | Uint8Array;

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

const RANK: Record<DType, number> = { bool: 0, int64: 1, float32: 2 };
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
export function scalarDType(s: ScalarLike): DType {
  const kind = scalarKind(s);
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : 'float32';
}
export const isFloating = (d: DType): boolean => d === 'float32';

export function allocStorage(dtype: DType, n: number): Storage {
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'int64') return new Float64Array(n);
  return new Uint8Array(n);
}

/** Converts a value to what a dtype stores: float32 rounding, int64 truncation, bool != 0. */
export function castValue(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int64') return Math.trunc(v);
  return v !== 0 ? 1 : 0;
}

/** PyTorch's names in messages such as "result type Float can't be cast to ... Long". */
export const TYPE_NAME: Record<DType, string> = { float32: 'Float', int64: 'Long', bool: 'Bool' };
