// Python's number formatting. Floats use the engine's exact implementation (pyfloat.ts:
// repr, format-spec mini-language, correct rounding with ties to even); this file adds
// Python's round() and digit grouping for ints.
import { formatFixed, reprFloat } from '../engine/pyfloat';
import { valueError } from './errors';

/**
 * CPython 3.11's limit on decimal int <-> str conversion (sys.get_int_max_str_digits(); it
 * exists because that conversion is quadratic). Powers-of-two bases are not limited.
 */
export const INT_MAX_STR_DIGITS = 4300;

/** The exceeded-limit message; `digits` is given when converting from a string. */
export function intDigitsLimitMessage(digits?: number): string {
  const has = digits === undefined ? '' : `: value has ${digits} digits`;
  return `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion${has}; use sys.set_int_max_str_digits() to increase the limit`;
}

/** The smallest int with more than INT_MAX_STR_DIGITS digits. */
const TOO_MANY_DIGITS = 10n ** BigInt(INT_MAX_STR_DIGITS);

/** str(n) for an int, with CPython's digit limit (ValueError past 4300 digits). */
export function intToDecimal(n: bigint): string {
  if (n >= TOO_MANY_DIGITS || n <= -TOO_MANY_DIGITS) throw valueError(intDigitsLimitMessage());
  return n.toString();
}

/** Python's repr(float) / str(float). */
export const floatRepr = reprFloat;

/** Python's round(x, ndigits) for floats: correctly rounded, ties to even on the exact value. */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 308) return x;
  if (ndigits >= 0) return parseFloat(formatFixed(x, ndigits));
  if (ndigits < -308) return 0 * x;
  // Negative ndigits: round x / 10^k to an integer (exactly, via its decimal digits), then scale.
  const scale = 10 ** -ndigits;
  const digits = formatFixed(Math.abs(x), 0);
  const n = BigInt(digits);
  const p = BigInt(scale);
  const q = n / p;
  const r = n - q * p;
  const twice = 2n * r;
  const rounded = twice > p || (twice === p && (q & 1n) === 1n) ? q + 1n : q;
  const result = Number(rounded * p);
  return x < 0 ? -result : result;
}

/** Python's round(x) with no ndigits: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Inserts a thousands separator into an integer digit string. */
export function groupDigits(intDigits: string, sep: string, size = 3): string {
  const groups: string[] = [];
  for (let end = intDigits.length; end > 0; end -= size) groups.unshift(intDigits.slice(Math.max(0, end - size), end));
  return groups.join(sep);
}
