// Python's operators on instances of classes: the special methods (__add__ / __radd__ / __iadd__,
// __neg__, __getitem__, __iter__ / __next__, __contains__, __len__), tried in CPython's order,
// with NotImplemented meaning "ask the other operand". ops.ts calls these for class instances.
import { callSpecial, isSubclass, lookup, NOT_IMPLEMENTED } from './classes';
import type { Context, Value } from './context';
import { PyException, typeError } from './errors';
import { lengthResult, truthy, typeName } from './objects';
import { toPyException } from './runtime';
import { PyExceptionValue, PyInstance } from './values';

const BINARY_METHODS: Record<string, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'truediv',
  '//': 'floordiv',
  '%': 'mod',
  '**': 'pow',
  '@': 'matmul',
  '&': 'and',
  '|': 'or',
  '^': 'xor',
  '<<': 'lshift',
  '>>': 'rshift',
};

function attempt(cx: Context, obj: Value, name: string, other: Value): Value | undefined {
  if (!(obj instanceof PyInstance)) return undefined;
  const r = callSpecial(cx, obj, name, [other]);
  return r === NOT_IMPLEMENTED ? undefined : r;
}

/** a OP b when a or b is a class instance; undefined when neither side's special methods handle it. */
export function instanceBinary(cx: Context, op: string, a: Value, b: Value): Value | undefined {
  const name = BINARY_METHODS[op];
  if (name === undefined) return undefined;
  const forward = `__${name}__`;
  const reflected = `__r${name}__`;
  // a subclass's reflected method goes first, so it can override its base class
  const reflectedFirst = a instanceof PyInstance && b instanceof PyInstance && a.cls !== b.cls && isSubclass(b.cls, a.cls) && lookup(b.cls, reflected) !== undefined;
  if (reflectedFirst) {
    const r = attempt(cx, b, reflected, a);
    if (r !== undefined) return r;
  }
  const r = attempt(cx, a, forward, b);
  if (r !== undefined) return r;
  if (!reflectedFirst && !(a instanceof PyInstance && b instanceof PyInstance && a.cls === b.cls)) return attempt(cx, b, reflected, a);
  return undefined;
}

/** a OP= b for an instance a: __iOP__, or undefined to fall back to a = a OP b. */
export function instanceInplace(cx: Context, op: string, a: PyInstance, b: Value): Value | undefined {
  const name = BINARY_METHODS[op];
  return name === undefined ? undefined : attempt(cx, a, `__i${name}__`, b);
}

const UNARY_METHODS: Record<string, string> = { '-': '__neg__', '+': '__pos__', '~': '__invert__' };

export function instanceUnary(cx: Context, op: string, a: PyInstance): Value | undefined {
  const name = UNARY_METHODS[op];
  return name === undefined ? undefined : callSpecial(cx, a, name, []);
}

export function instanceGetItem(cx: Context, obj: PyInstance, index: Value): Value {
  const r = callSpecial(cx, obj, '__getitem__', [index]);
  if (r === undefined) throw typeError(`'${typeName(cx, obj)}' object is not subscriptable`);
  return r;
}

export function instanceSetItem(cx: Context, obj: PyInstance, index: Value, value: Value): void {
  if (callSpecial(cx, obj, '__setitem__', [index, value]) === undefined) {
    throw typeError(`'${typeName(cx, obj)}' object does not support item assignment`);
  }
}

export function instanceDelItem(cx: Context, obj: PyInstance, index: Value): void {
  if (callSpecial(cx, obj, '__delitem__', [index]) === undefined) {
    throw typeError(`'${typeName(cx, obj)}' object doesn't support item deletion`);
  }
}

export function instanceLength(cx: Context, obj: PyInstance): number {
  const n = callSpecial(cx, obj, '__len__', []);
  if (n === undefined) throw typeError(`object of type '${typeName(cx, obj)}' has no len()`);
  return lengthResult(cx, n);
}

/** `x in obj`: __contains__, else undefined (then iteration decides, as in CPython). */
export function instanceContains(cx: Context, obj: PyInstance, item: Value): boolean | undefined {
  const r = callSpecial(cx, obj, '__contains__', [item]);
  return r === undefined ? undefined : truthy(cx, r);
}

function isStopIteration(e: unknown): boolean {
  return e instanceof PyException && (e.pyType === 'StopIteration' || (e.pyValue instanceof PyExceptionValue && e.pyValue.type === 'StopIteration'));
}

/** next(it) for an iterator object with __next__; undefined at StopIteration. */
export function instanceNext(cx: Context, it: PyInstance): Value | undefined {
  try {
    const v = callSpecial(cx, it, '__next__', []);
    if (v === undefined) throw typeError(`'${typeName(cx, it)}' object is not an iterator`);
    return v;
  } catch (e) {
    if (isStopIteration(e)) return undefined;
    throw e;
  }
}

/**
 * Iterating an instance: its __iter__'s iterator (an object with __next__, or any iterable the
 * runner iterates natively), else the old sequence protocol (__getitem__ from 0 until IndexError).
 */
export function instanceIterate(cx: Context, obj: PyInstance, iterateOther: (v: Value) => () => Value | undefined): (() => Value | undefined) | undefined {
  const it = callSpecial(cx, obj, '__iter__', []);
  if (it !== undefined) {
    if (it instanceof PyInstance) {
      if (lookup(it.cls, '__next__') === undefined) throw typeError(`iter() returned non-iterator of type '${typeName(cx, it)}'`);
      return () => instanceNext(cx, it);
    }
    return iterateOther(it);
  }
  if (lookup(obj.cls, '__getitem__') !== undefined) {
    let i = 0n;
    return () => {
      try {
        return callSpecial(cx, obj, '__getitem__', [i++]);
      } catch (e) {
        // an engine IndexError (a tensor indexed past its end inside __getitem__) ends it too
        const error = toPyException(e);
        if (error.pyType === 'IndexError' || isStopIteration(error)) return undefined;
        throw e;
      }
    };
  }
  return undefined;
}
