// range objects as CPython has them: exact int arithmetic, so a range may reach far past 2**53
// (range(10**30)[-1], 2**62 - 1 in range(2**62)). Loops over ordinary ranges step through
// JavaScript numbers; only ranges beyond them pay for BigInt arithmetic.
import { indexError, PyException, typeError, valueError } from './errors';
import { PyRange, PySlice, type Value } from './values';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** sys.maxsize: the largest len() CPython can return. */
const MAX_SSIZE = 2n ** 63n - 1n;

function intArg(v: Value, what: () => string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw typeError(what());
}

/** range(stop) / range(start, stop[, step]) from already-checked int arguments. */
export function makeRange(args: bigint[]): PyRange {
  if (args.length === 1) return new PyRange(0n, args[0], 1n);
  const step = args.length === 3 ? args[2] : 1n;
  if (step === 0n) throw valueError('range() arg 3 must not be zero');
  return new PyRange(args[0], args[1], step);
}

/** len(r), which CPython refuses past sys.maxsize. */
export function rangeLen(r: PyRange): bigint {
  const n = r.size;
  if (n > MAX_SSIZE) throw new PyException('OverflowError', 'Python int too large to convert to C ssize_t');
  return n;
}

/** `item in r` without iterating. */
export function rangeContains(r: PyRange, item: Value): boolean {
  let v: bigint;
  if (typeof item === 'bigint') v = item;
  else if (typeof item === 'boolean') v = item ? 1n : 0n;
  else if (typeof item === 'number' && Number.isInteger(item)) v = BigInt(item);
  else return false;
  const { start, stop, step } = r;
  if (step > 0n ? v < start || v >= stop : v > start || v <= stop) return false;
  return (v - start) % step === 0n;
}

/** r[index] */
export function rangeItem(r: PyRange, index: Value, what: () => string): bigint {
  const i = intArg(index, what);
  const n = r.size;
  const j = i < 0n ? i + n : i;
  if (j < 0n || j >= n) throw indexError('range object index out of range');
  return r.start + j * r.step;
}

/** r[a:b:c], a range again (CPython's compute_slice). */
export function rangeSlice(r: PyRange, s: PySlice): PyRange {
  const indices = (v: Value): bigint | null => (v === null ? null : intArg(v, () => 'slice indices must be integers or None or have an __index__ method'));
  const step = indices(s.step) ?? 1n;
  if (step === 0n) throw valueError('slice step cannot be zero');
  const n = r.size;
  const clamp = (v: bigint | null, dflt: bigint): bigint => {
    if (v === null) return dflt;
    if (v < 0n) v += n;
    if (v < 0n) return step < 0n ? -1n : 0n;
    if (v >= n) return step < 0n ? n - 1n : n;
    return v;
  };
  const start = clamp(indices(s.start), step < 0n ? n - 1n : 0n);
  const stop = clamp(indices(s.stop), step < 0n ? -1n : n);
  return new PyRange(r.start + start * r.step, r.start + stop * r.step, r.step * step);
}

/** reversed(r): the same elements, backwards, as a range. */
export function reversedRange(r: PyRange): PyRange {
  const n = r.size;
  const last = r.start + (n - 1n) * r.step;
  return new PyRange(last, last - n * r.step, -r.step);
}

export function rangesEqual(a: PyRange, b: PyRange): boolean {
  const n = a.size;
  if (n !== b.size) return false;
  return n === 0n || (a.start === b.start && (n === 1n || a.step === b.step));
}

export function rangeRepr(r: PyRange): string {
  return r.step === 1n ? `range(${r.start}, ${r.stop})` : `range(${r.start}, ${r.stop}, ${r.step})`;
}

/** A next() over the elements (undefined at the end). */
export function rangeIterator(r: PyRange): () => bigint | undefined {
  const { start, stop, step } = r;
  if (isSmall(r)) {
    let cur = Number(start);
    const [z, d] = [Number(stop), Number(step)];
    return d > 0 ? () => (cur < z ? BigInt((cur += d) - d) : undefined) : () => (cur > z ? BigInt((cur += d) - d) : undefined);
  }
  let cur = start;
  return step > 0n ? () => (cur < stop ? (cur += step) - step : undefined) : () => (cur > stop ? (cur += step) - step : undefined);
}

/** True when every element (and the step past the end) is an exact JavaScript number. */
export function isSmall(r: PyRange): boolean {
  const limit = MAX_SAFE - (r.step < 0n ? -r.step : r.step);
  return r.start <= limit && r.start >= -limit && r.stop <= limit && r.stop >= -limit;
}
