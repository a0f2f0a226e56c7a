// Argument checking and conversion for native functions, with CPython's TypeError wording.
import type { Context, Kwargs, Value } from './context';
import { PyException, typeError, valueError } from './errors';
import { repr, typeName } from './objects';

export function checkArgs(name: string, args: Value[], min: number, max: number): void {
  const n = args.length;
  if (n >= min && n <= max) return;
  if (min === max) {
    if (min === 0) throw typeError(`${name}() takes no arguments (${n} given)`);
    if (min === 1) throw typeError(`${name}() takes exactly one argument (${n} given)`);
    throw typeError(`${name} expected ${min} arguments, got ${n}`);
  }
  if (n < min) throw typeError(`${name} expected at least ${min} argument${min > 1 ? 's' : ''}, got ${n}`);
  throw typeError(`${name} expected at most ${max} argument${max > 1 ? 's' : ''}, got ${n}`);
}

export function noKwargs(name: string, kwargs: Kwargs): void {
  if (kwargs && kwargs.size > 0) throw typeError(`${name}() takes no keyword arguments`);
}

/** Reads allowed keyword arguments; an unknown one is a TypeError like CPython's. */
export function kwarg(name: string, kwargs: Kwargs, allowed: readonly string[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  if (!kwargs) return out;
  for (const [k, v] of kwargs) {
    if (!allowed.includes(k)) throw typeError(`${name}() got an unexpected keyword argument '${k}'`);
    out[k] = v;
  }
  return out;
}

export function asInt(cx: Context, v: Value, what = 'integer'): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw typeError(`'${typeName(cx, v)}' object cannot be interpreted as an ${what}`);
}

export function toFloat(cx: Context, v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') {
    const x = Number(v);
    if (!Number.isFinite(x)) throw new PyException('OverflowError', 'int too large to convert to float');
    return x;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const low = s.toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(low)) return low.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(low)) return NaN;
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return parseFloat(s);
    throw valueError(`could not convert string to float: ${repr(cx, v)}`);
  }
  if (typeof v === 'object' && v !== null) {
    const x = cx.nativeType(v)?.scalar?.(v);
    if (x !== undefined) return Number(x);
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(cx, v)}'`);
}

export function floatToInt(x: number): bigint {
  if (x !== x) throw valueError('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
  return BigInt(Math.trunc(x));
}
