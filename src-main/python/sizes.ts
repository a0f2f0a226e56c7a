// Sizes of strings, and room the runner asks the memory budget for: before it builds a big value
// in one step (a repeated string or list, padding to a huge width), and whenever a growing
// container passes a power of two (reserveGrowth). What grows by other means is caught by the
// budget's checks between loop turns (memory-budget.ts).
import { guardAllocation } from '../engine';
import type { Context } from './context';

/** Below this many bytes a value is not worth asking about. */
const SMALL_BYTES = 1 << 20;
/** A V8 array slot holding any value. */
export const SLOT_BYTES = 8;
/** A dict entry in V8's hash table (key, value, chain link and its share of the buckets). */
export const DICT_ENTRY_BYTES = 32;
/** Containers shorter than this are not worth asking about. */
const GROWTH_CHECK_MIN = 1 << 16;

/**
 * Before a container grows from `before` to `after` items: each time it passes a power of two, it
 * asks the budget for room to double (a growing array or hash table copies itself into one about
 * twice as big, and both are alive while it does). So a container that grows forever meets
 * MemoryError at once when it holds about a third of the budget, after a few dozen questions in
 * all, instead of at a later check between loop turns; one comparison per item otherwise.
 */
export function reserveGrowth(before: number, after: number, bytesPerItem: number): void {
  if (after >= GROWTH_CHECK_MIN && Math.clz32(after) < Math.clz32(before)) guardAllocation(2 * after * bytesPerItem);
}

/** Before building a string of `length` characters (V8 keeps Latin-1 text in 1 byte a character). */
export function reserveString(cx: Context, length: number, latin1 = true): void {
  const bytes = length * (latin1 ? 1 : 2);
  if (bytes > SMALL_BYTES) cx.reserveMemory(bytes);
}

/** Before building an array of `length` values. */
export function reserveArray(cx: Context, length: number): void {
  const bytes = length * SLOT_BYTES;
  if (bytes > SMALL_BYTES) cx.reserveMemory(bytes);
}

/** True when every character of s is Latin-1 (so V8 stores it in one byte each). */
export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Python's len() of a str: code points, not UTF-16 units (without building an array of them). */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}
