// Python's operators on runtime values: arithmetic with int/float/bool promotion, sequences,
// comparisons, membership and iteration (indexing and slicing are in subscript.ts). Operands of
// a native type (tensors) go to the operator slots of their NativeType.
import type { Context, NativeType, Value } from './context';
import { PyException, typeError, valueError } from './errors';
import { newException } from './exceptions';
import { compareValues, pyEquals, repr, richCompare, truthy, typeName } from './objects';
import { instanceBinary, instanceContains, instanceInplace, instanceIterate, instanceLength, instanceUnary } from './instance-ops';
import { percentFormat } from './format';
import { PySet, setBinary, setCompare, setInplace } from './sets';
import { codePoints, isLatin1, reserveArray, reserveGrowth, reserveString, SLOT_BYTES } from './sizes';
import { rangeContains, rangeIterator, rangeLen } from './ranges';
import { appendAll, PyDict, PyInstance, PyIterator, PyList, PyRange, PyTuple } from './values';

/** The native type of v, when v is an object some module registered a type for. */
export function nativeOf(cx: Context, v: Value): NativeType | undefined {
  return typeof v === 'object' && v !== null ? cx.nativeType(v) : undefined;
}

const OP_NAMES: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '//': '//', '%': '%', '**': '** or pow()', '@': '@',
  '&': '&', '|': '|', '^': '^', '<<': '<<', '>>': '>>',
};

/** KeyError keeps the key itself as its argument (str(e) is repr(cx, key), e.args == (key,)). */
export function keyError(cx: Context, key: Value): PyException {
  const ex = new PyException('KeyError', repr(cx, key));
  ex.pyValue = newException('KeyError', [key]);
  return ex;
}

export function unsupportedOperands(cx: Context, op: string, a: Value, b: Value, augmented = false): PyException {
  const name = augmented ? op + '=' : OP_NAMES[op] ?? op;
  return typeError(`unsupported operand type(s) for ${name}: '${typeName(cx, a)}' and '${typeName(cx, b)}'`);
}

export function intOf(v: bigint | boolean): bigint {
  return typeof v === 'bigint' ? v : v ? 1n : 0n;
}

export function isIntLike(v: Value): v is bigint | boolean {
  return typeof v === 'bigint' || typeof v === 'boolean';
}

/** Float from int, raising OverflowError for ints beyond the float range like Python. */
function intToFloat(v: bigint): number {
  const x = Number(v);
  if (!Number.isFinite(x)) throw new PyException('OverflowError', 'int too large to convert to float');
  return x;
}

function floatOperand(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return intToFloat(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function floatMod(a: number, b: number): number {
  if (b === 0) throw new PyException('ZeroDivisionError', 'float modulo');
  let mod = a % b;
  if (mod) {
    if (b < 0 !== mod < 0) mod += b;
  } else mod = b < 0 ? -0 : 0;
  return mod;
}

export function floatFloorDiv(a: number, b: number): number {
  if (b === 0) throw new PyException('ZeroDivisionError', 'float floor division by zero');
  // CPython's float_floor_div: the remainder decides the correction.
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod && b < 0 !== mod < 0) div -= 1;
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    const q = a / b;
    floordiv = q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  return floordiv;
}

function intFloorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero');
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function intMod(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new PyException('ZeroDivisionError', 'integer modulo by zero');
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

export function floatPow(a: number, b: number): number {
  if (a === 0 && b < 0) throw new PyException('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  if (a < 0 && !Number.isInteger(b) && Number.isFinite(b)) {
    throw new PyException('NotImplementedError', 'GradLab does not support complex numbers yet (a negative number raised to a fractional power gives a complex number in Python)');
  }
  if (a === 1 || b === 0) return 1;
  const r = Math.pow(a, b);
  if (!Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b)) {
    throw new PyException('OverflowError', "(34, 'Numerical result out of range')");
  }
  return r;
}


/** The largest int a JavaScript BigInt can hold (V8: 2**30 bits); CPython would run out of memory first. */
const MAX_INT_BITS = 2 ** 30;

/** About how many bits x ** y needs (checked before computing, which could take minutes). */
function powerBits(x: bigint, y: bigint): number {
  if (x === 0n || x === 1n || x === -1n || y <= 1n) return 0;
  const hex = (x < 0n ? -x : x).toString(16);
  // log2|x| from its bit length and leading hex digits
  const top = Number.parseInt(hex.slice(0, 12), 16);
  const log2 = Math.log2(top) + 4 * (hex.length - Math.min(hex.length, 12));
  return log2 * Number(y);
}

/** A repeat count as CPython takes it: a Py_ssize_t, negative meaning 0. */
function repeatCount(n: bigint): number {
  if (n >= 2n ** 63n || n < -(2n ** 63n)) throw new PyException('OverflowError', "cannot fit 'int' into an index-sized integer");
  return n <= 0n ? 0 : Number(n);
}

function repeatSeq<T>(cx: Context, items: T[], count: bigint): T[] {
  const n = repeatCount(count);
  if (items.length === 0) return [];
  reserveArray(cx, n * items.length);
  const out: T[] = [];
  for (let i = 0; i < n; i++) for (const x of items) out.push(x);
  return out;
}

/** a OP b for every binary operator. */
export function binaryOp(cx: Context, op: string, a: Value, b: Value): Value {
  if (isIntLike(a) && isIntLike(b)) {
    const x = intOf(a);
    const y = intOf(b);
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0n) throw new PyException('ZeroDivisionError', 'division by zero');
        return trueDivInt(x, y);
      case '//':
        return intFloorDiv(x, y);
      case '%':
        return intMod(x, y);
      case '**':
        if (y < 0n) {
          if (x === 0n) throw new PyException('ZeroDivisionError', '0.0 cannot be raised to a negative power');
          return floatPow(intToFloat(x), Number(y));
        }
        if (powerBits(x, y) > MAX_INT_BITS) throw new PyException('MemoryError', '');
        return x ** y;
      case '&':
        if (typeof a === 'boolean' && typeof b === 'boolean') return a && b;
        return x & y;
      case '|':
        if (typeof a === 'boolean' && typeof b === 'boolean') return a || b;
        return x | y;
      case '^':
        if (typeof a === 'boolean' && typeof b === 'boolean') return a !== b;
        return x ^ y;
      case '<<':
        if (y < 0n) throw valueError('negative shift count');
        return x << y;
      case '>>':
        if (y < 0n) throw valueError('negative shift count');
        return x >> y;
    }
    throw unsupportedOperands(cx, op, a, b);
  }
  if (op === '%' && typeof a === 'string') return percentFormat(cx, a, b);
  let native = nativeOf(cx, a);
  if (!native?.binary) native = nativeOf(cx, b);
  if (native?.binary) {
    const r = native.binary(op, a, b, cx);
    if (r !== undefined) return r;
    if (!(a instanceof PyInstance || b instanceof PyInstance)) throw unsupportedOperands(cx, op, a, b);
  }
  if (a instanceof PyInstance || b instanceof PyInstance) {
    const r = instanceBinary(cx, op, a, b);
    if (r !== undefined) return r;
  }
  if (a instanceof PySet && b instanceof PySet) {
    const r = setBinary(op, a, b);
    if (r !== undefined) return r;
  }
  const x = floatOperand(a);
  const y = floatOperand(b);
  if (x !== undefined && y !== undefined) {
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0) throw new PyException('ZeroDivisionError', 'float division by zero');
        return x / y;
      case '//':
        return floatFloorDiv(x, y);
      case '%':
        return floatMod(x, y);
      case '**':
        return floatPow(x, y);
    }
    throw unsupportedOperands(cx, op, a, b);
  }
  return sequenceOp(cx, op, a, b);
}

function trueDivInt(x: bigint, y: bigint): number {
  const fx = Number(x);
  const fy = Number(y);
  if (Math.abs(fx) <= 2 ** 53 && Math.abs(fy) <= 2 ** 53) return fx / fy;
  // Large ints: divide exactly enough to keep float precision.
  const r = Number((x * 10n ** 20n) / y) / 1e20;
  if (!Number.isFinite(r)) throw new PyException('OverflowError', 'integer division result too large for a float');
  return r;
}

function sequenceOp(cx: Context, op: string, a: Value, b: Value): Value {
  if (op === '+') {
    if (typeof a === 'string') {
      if (typeof b === 'string') {
        // a string built by concatenation (`s += c`, `s = s + s`) asks for room as it passes powers of two
        reserveGrowth(Math.max(a.length, b.length), a.length + b.length, 1);
        return a + b;
      }
      throw typeError(`can only concatenate str (not "${typeName(cx, b)}") to str`);
    }
    if (a instanceof PyList) {
      if (b instanceof PyList) {
        reserveGrowth(Math.max(a.items.length, b.items.length), a.items.length + b.items.length, SLOT_BYTES);
        return new PyList(a.items.concat(b.items));
      }
      throw typeError(`can only concatenate list (not "${typeName(cx, b)}") to list`);
    }
    if (a instanceof PyTuple) {
      if (b instanceof PyTuple) return new PyTuple(a.items.concat(b.items));
      throw typeError(`can only concatenate tuple (not "${typeName(cx, b)}") to tuple`);
    }
  } else if (op === '*') {
    if (isIntLike(b) && (typeof a === 'string' || a instanceof PyList || a instanceof PyTuple)) return repeat(cx, a, intOf(b));
    if (isIntLike(a) && (typeof b === 'string' || b instanceof PyList || b instanceof PyTuple)) return repeat(cx, b, intOf(a));
    if (typeof a === 'string' || a instanceof PyList || a instanceof PyTuple) {
      throw typeError(`can't multiply sequence by non-int of type '${typeName(cx, b)}'`);
    }
    if (typeof b === 'string' || b instanceof PyList || b instanceof PyTuple) {
      throw typeError(`can't multiply sequence by non-int of type '${typeName(cx, a)}'`);
    }
  } else if (op === '%' && typeof a === 'string') {
    return percentFormat(cx, a, b);
  }
  throw unsupportedOperands(cx, op, a, b);
}

function repeat(cx: Context, seq: string | PyList | PyTuple, n: bigint): Value {
  if (typeof seq === 'string') {
    const count = repeatCount(n);
    if (seq.length === 0) return '';
    if (count >= 2 ** 63 / seq.length) throw new PyException('OverflowError', 'repeated string is too long');
    reserveString(cx, count * seq.length, isLatin1(seq));
    return seq.repeat(count);
  }
  if (seq instanceof PyList) return new PyList(repeatSeq(cx, seq.items, n));
  return new PyTuple(repeatSeq(cx, seq.items, n));
}

/** a OP= b: in place for lists and tensors (w -= lr * w.grad updates w itself), else a OP b. */
export function augmentedOp(cx: Context, op: string, a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return binaryOp(cx, op, a, b);
  if (a instanceof PyInstance) {
    const r = instanceInplace(cx, op, a, b);
    if (r !== undefined) return r;
  }
  if (a instanceof PySet && b instanceof PySet) {
    const r = setInplace(op, a, b);
    if (r !== undefined) return r;
  }
  const native = nativeOf(cx, a);
  if (native?.inplace) {
    const r = native.inplace(op, a as object, b, cx);
    if (r !== undefined) return r;
  }
  if (a instanceof PyList && op === '+') {
    appendAll(a.items, iterableToArray(cx, b));
    return a;
  }
  if (a instanceof PyList && op === '*' && isIntLike(b)) {
    a.items = repeatSeq(cx, a.items, intOf(b));
    return a;
  }
  try {
    return binaryOp(cx, op, a, b);
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'TypeError' && e.pyMessage.startsWith('unsupported operand type(s) for ')) {
      throw unsupportedOperands(cx, op, a, b, true);
    }
    throw e;
  }
}

export function unaryOp(cx: Context, op: string, a: Value): Value {
  switch (op) {
    case 'not':
      return !truthy(cx, a);
    case '-':
      if (typeof a === 'number') return -a;
      if (typeof a === 'bigint') return -a;
      if (typeof a === 'boolean') return a ? -1n : 0n;
      break;
    case '+':
      if (typeof a === 'number' || typeof a === 'bigint') return a;
      if (typeof a === 'boolean') return a ? 1n : 0n;
      break;
    case '~':
      if (typeof a === 'bigint') return ~a;
      if (typeof a === 'boolean') return a ? -2n : -1n;
      break;
  }
  if (a instanceof PyInstance) {
    const r = instanceUnary(cx, op, a);
    if (r !== undefined) return r;
  }
  const native = nativeOf(cx, a);
  if (native?.unary) return native.unary(op, a as object, cx);
  throw typeError(`bad operand type for unary ${op}: '${typeName(cx, a)}'`);
}

/** Rich comparison for one operator. */
export function compareOp(cx: Context, op: string, a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '<=':
        return a <= b;
      case '>=':
        return a >= b;
      case '==':
        return a === b;
      case '!=':
        return a !== b;
    }
  }
  switch (op) {
    case 'is':
      return identical(a, b);
    case 'is not':
      return !identical(a, b);
    case 'in':
      return contains(cx, b, a);
    case 'not in':
      return !contains(cx, b, a);
  }
  if (a instanceof PyInstance || b instanceof PyInstance) return richCompare(cx, op, a, b);
  if (a instanceof PySet && b instanceof PySet) {
    const r = setCompare(op, a, b);
    if (r !== undefined) return r;
  }
  let native = nativeOf(cx, a);
  if (!native?.compare) native = nativeOf(cx, b);
  if (native?.compare) {
    const r = native.compare(op, a, b, cx);
    if (r !== undefined) return r;
  }
  switch (op) {
    case '==':
      return pyEquals(cx, a, b);
    case '!=':
      return !pyEquals(cx, a, b);
  }
  const c = compareValues(cx, a, b, op);
  if (c !== c) return false; // NaN
  switch (op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}

function identical(a: Value, b: Value): boolean {
  return a === b;
}

export function contains(cx: Context, container: Value, item: Value): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(cx, item)}`);
    return container.includes(item);
  }
  if (container instanceof PyList || container instanceof PyTuple) {
    for (const x of container.items) if (x === item || pyEquals(cx, x, item)) return true;
    return false;
  }
  if (container instanceof PyDict) return container.has(item);
  if (container instanceof PySet) return container.has(item);
  if (container instanceof PyRange) return rangeContains(container, item);
  if (container instanceof PyInstance) {
    const r = instanceContains(cx, container, item);
    if (r !== undefined) return r;
  }
  const native = nativeOf(cx, container);
  if (native?.contains) return native.contains(container as object, item, cx);
  if (native?.iterate) {
    const next = native.iterate(container as object, cx);
    for (let x = next(); x !== undefined; x = next()) {
      if (truthy(cx, compareOp(cx, '==', x, item))) return true;
    }
    return false;
  }
  const next = iterate(cx, container, () => `argument of type '${typeName(cx, container)}' is not iterable`);
  for (let x = next(); x !== undefined; x = next()) if (pyEquals(cx, x, item)) return true;
  return false;
}

// ---------- iteration ----------

/** A `next()` function over any iterable; undefined marks the end. */
export function iterate(cx: Context, v: Value, notIterable?: () => string): () => Value | undefined {
  if (v instanceof PyList) {
    let i = 0;
    const items = v;
    return () => (i < items.items.length ? items.items[i++] : undefined);
  }
  if (v instanceof PyTuple) {
    let i = 0;
    const items = v.items;
    return () => (i < items.length ? items[i++] : undefined);
  }
  if (v instanceof PyRange) return rangeIterator(v);
  if (typeof v === 'string') {
    const chars = Array.from(v);
    let i = 0;
    return () => (i < chars.length ? chars[i++] : undefined);
  }
  if (v instanceof PyDict) {
    const keys = Array.from(v.map.values(), (e) => e[0]);
    const size = v.map.size;
    let i = 0;
    return () => {
      if (v.map.size !== size) throw new PyException('RuntimeError', 'dictionary changed size during iteration');
      return i < keys.length ? keys[i++] : undefined;
    };
  }
  if (v instanceof PyIterator) return v.next;
  if (v instanceof PySet) {
    const items = v.items();
    const size = v.size;
    let i = 0;
    return () => {
      if (v.size !== size) throw new PyException('RuntimeError', 'Set changed size during iteration');
      return i < items.length ? items[i++] : undefined;
    };
  }
  if (v instanceof PyInstance) {
    const next = instanceIterate(cx, v, (it) => iterate(cx, it));
    if (next !== undefined) return next;
  }
  const native = nativeOf(cx, v);
  if (native?.iterate) return native.iterate(v as object, cx);
  throw typeError(notIterable ? notIterable() : `'${typeName(cx, v)}' object is not iterable`);
}

/** Bytes a materialised range takes per element at least: an array slot and a fresh int. */
const RANGE_ITEM_BYTES = 32;

export function iterableToArray(cx: Context, v: Value): Value[] {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.slice();
  if (v instanceof PyRange) cx.reserveMemory(v.length * RANGE_ITEM_BYTES);
  const next = iterate(cx, v);
  const out: Value[] = [];
  for (let x = next(); x !== undefined; x = next()) {
    // an iterator of unknown length: the array counts against the budget as it grows
    if ((out.push(x) & 0xffff) === 0) cx.reserveMemory(out.length * 8);
  }
  return out;
}

export function length(cx: Context, v: Value): number {
  if (typeof v === 'string') return codePoints(v);
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.map.size;
  if (v instanceof PyRange) return Number(rangeLen(v));
  if (v instanceof PyInstance) return instanceLength(cx, v);
  if (v instanceof PySet) return v.size;
  const native = nativeOf(cx, v);
  if (native?.len) return native.len(v as object);
  throw typeError(`object of type '${typeName(cx, v)}' has no len()`);
}
