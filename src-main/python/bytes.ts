// bytes and bytearray: construction, repr, len, indexing and slicing, iteration, `in`, + and *,
// comparisons, hashing (bytes only) and the methods a learner meets (decode, hex, count, find,
// startswith, endswith, join, upper, lower; bytearray's append, extend, pop, clear, copy).
// Both are native types the interpreter registers for itself (BYTES_TYPES), like a module's.
import { asInt, checkArgs, kwarg, noKwargs } from './args';
import { checkErrors, decodeBytes, encodeString } from './codecs';
import type { Context, Kwargs, NativeType, Value } from './context';
import { indexError, PyException, typeError, valueError } from './errors';
import { asIndex, typeName } from './objects';
import { isIntLike, intOf, iterate } from './ops';
import { sliceIndices } from './subscript';
import { BoundMethod, OBJECT_TYPE, PyByteArray, PyBytes, PySlice, PyType, type MethodImpl } from './values';

type Binary = PyBytes | PyByteArray;

function isBinary(v: Value): v is Binary {
  return v instanceof PyBytes || v instanceof PyByteArray;
}

/** One byte from an int, as bytes() and bytearray item assignment check it. */
function byteValue(cx: Context, v: Value, what = 'byte'): number {
  if (!isIntLike(v)) throw typeError(`'${typeName(cx, v)}' object cannot be interpreted as an integer`);
  const n = intOf(v);
  if (n < 0n || n > 255n) throw valueError(`${what} must be in range(0, 256)`);
  return Number(n);
}

/** bytes(...) / bytearray(...): nothing, a length, a str with an encoding, bytes, or an iterable of ints. */
function bytesFromArguments(cx: Context, name: string, args: Value[], kwargs: Kwargs): Uint8Array {
  const k = kwarg(name, kwargs, ['source', 'encoding', 'errors']);
  const all = [...args];
  if (k.source !== undefined) all.unshift(k.source);
  checkArgs(name, all, 0, 3);
  const source = all[0];
  const encoding = all[1] ?? k.encoding;
  const errors = all[2] ?? k.errors;
  if (source === undefined) {
    if (encoding !== undefined) throw typeError('encoding without a string argument');
    return new Uint8Array(0);
  }
  if (typeof source === 'string') {
    if (encoding === undefined) throw typeError('string argument without an encoding');
    if (typeof encoding !== 'string') throw typeError(`${name}() argument 'encoding' must be str, not ${typeName(cx, encoding)}`);
    if (errors !== undefined) checkErrors(errors as string);
    return encodeString(source, encoding);
  }
  if (encoding !== undefined) throw typeError('encoding without a string argument');
  if (errors !== undefined) throw typeError('errors without a string argument');
  if (isIntLike(source)) {
    const n = intOf(source);
    if (n < 0n) throw valueError('negative count');
    cx.reserveMemory(Number(n));
    return new Uint8Array(Number(n));
  }
  if (isBinary(source)) return source.data.slice();
  if (typeof source === 'number') throw typeError(`cannot convert '${typeName(cx, source)}' object to ${name}`);
  const next = iterate(cx, source, () => `cannot convert '${typeName(cx, source)}' object to ${name}`);
  const out: number[] = [];
  for (let v = next(); v !== undefined; v = next()) out.push(byteValue(cx, v, 'bytes'));
  return Uint8Array.from(out);
}

export function constructBytes(cx: Context, args: Value[], kwargs: Kwargs): PyBytes {
  if (args.length === 1 && kwargs === null && args[0] instanceof PyBytes) return args[0];
  return new PyBytes(bytesFromArguments(cx, 'bytes', args, kwargs));
}

export function constructByteArray(cx: Context, args: Value[], kwargs: Kwargs): PyByteArray {
  return new PyByteArray(bytesFromArguments(cx, 'bytearray', args, kwargs));
}

/** CPython's bytes_repr: b'...' (or b"..." when only that avoids escaping a quote). */
export function bytesLiteral(data: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of data) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = 'b' + quote;
  for (const b of data) {
    const c = String.fromCharCode(b);
    if (c === quote || c === '\\') out += '\\' + c;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += c;
  }
  return out + quote;
}

function bytesRepr(v: Binary): string {
  return v instanceof PyBytes ? bytesLiteral(v.data) : `bytearray(${bytesLiteral(v.data)})`;
}

/** The same kind of object as `like` holding `data`. */
function sameKind(like: Binary, data: Uint8Array): Binary {
  return like instanceof PyBytes ? new PyBytes(data) : new PyByteArray(data);
}

function kindName(v: Binary): string {
  return v instanceof PyBytes ? 'bytes' : 'bytearray';
}

/** The bytes-like argument of a method (`sub` of count/find, a prefix, ...). */
function bytesArgument(cx: Context, v: Value, what: () => string): Uint8Array {
  if (isBinary(v)) return v.data;
  throw typeError(what());
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function compareData(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const BYTES_METHODS: Readonly<Record<string, MethodImpl>> = {
  decode: (self: Binary, args, kwargs) => {
    const k = kwarg('decode', kwargs, ['encoding', 'errors']);
    checkArgs('decode', args, 0, 2);
    const encoding = args[0] ?? k.encoding ?? 'utf-8';
    const errors = args[1] ?? k.errors ?? 'strict';
    if (typeof encoding !== 'string') throw typeError(`decode() argument 'encoding' must be str, not ${typeof encoding}`);
    checkErrors(errors as string);
    return decodeBytes(self.data, encoding);
  },
  hex: (self: Binary, args, kwargs) => {
    noKwargs('hex', kwargs);
    checkArgs('hex', args, 0, 0);
    let out = '';
    for (const b of self.data) out += b.toString(16).padStart(2, '0');
    return out;
  },
  count: (self: Binary, args, _kwargs, cx) => {
    checkArgs('count', args, 1, 1);
    const sub = isIntLike(args[0]) ? Uint8Array.of(byteValue(cx, args[0])) : bytesArgument(cx, args[0], () => `argument should be integer or bytes-like object, not '${typeName(cx, args[0])}'`);
    if (sub.length === 0) return BigInt(self.data.length + 1);
    let n = 0;
    for (let i = indexOf(self.data, sub); i >= 0; i = indexOf(self.data, sub, i + sub.length)) n++;
    return BigInt(n);
  },
  find: (self: Binary, args, _kwargs, cx) => {
    checkArgs('find', args, 1, 1);
    const sub = isIntLike(args[0]) ? Uint8Array.of(byteValue(cx, args[0])) : bytesArgument(cx, args[0], () => `argument should be integer or bytes-like object, not '${typeName(cx, args[0])}'`);
    return BigInt(indexOf(self.data, sub));
  },
  startswith: (self: Binary, args, _kwargs, cx) => {
    checkArgs('startswith', args, 1, 1);
    const prefix = bytesArgument(cx, args[0], () => `startswith first arg must be bytes or a tuple of bytes, not ${typeName(cx, args[0])}`);
    return prefix.length <= self.data.length && compareData(self.data.subarray(0, prefix.length), prefix) === 0;
  },
  endswith: (self: Binary, args, _kwargs, cx) => {
    checkArgs('endswith', args, 1, 1);
    const suffix = bytesArgument(cx, args[0], () => `endswith first arg must be bytes or a tuple of bytes, not ${typeName(cx, args[0])}`);
    return suffix.length <= self.data.length && compareData(self.data.subarray(self.data.length - suffix.length), suffix) === 0;
  },
  join: (self: Binary, args, _kwargs, cx) => {
    checkArgs('join', args, 1, 1);
    const parts: Uint8Array[] = [];
    const next = iterate(cx, args[0], () => 'can only join an iterable');
    for (let v = next(); v !== undefined; v = next()) {
      if (!isBinary(v)) throw typeError(`sequence item ${parts.length}: expected a bytes-like object, ${typeName(cx, v)} found`);
      parts.push(v.data);
    }
    const total = parts.reduce((n, p) => n + p.length, 0) + Math.max(0, parts.length - 1) * self.data.length;
    cx.reserveMemory(total);
    const out = new Uint8Array(total);
    let at = 0;
    parts.forEach((p, i) => {
      if (i > 0) {
        out.set(self.data, at);
        at += self.data.length;
      }
      out.set(p, at);
      at += p.length;
    });
    return sameKind(self, out);
  },
  upper: (self: Binary) => sameKind(self, self.data.map((b) => (b >= 0x61 && b <= 0x7a ? b - 32 : b))),
  lower: (self: Binary) => sameKind(self, self.data.map((b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b))),
};

const BYTEARRAY_METHODS: Readonly<Record<string, MethodImpl>> = {
  ...BYTES_METHODS,
  append: (self: PyByteArray, args, _kwargs, cx) => {
    checkArgs('append', args, 1, 1);
    self.push(cx, Uint8Array.of(byteValue(cx, args[0])));
    return null;
  },
  extend: (self: PyByteArray, args, _kwargs, cx) => {
    checkArgs('extend', args, 1, 1);
    const src = args[0];
    if (typeof src === 'string') throw typeError('expected iterable of integers; got: str');
    self.push(cx, isBinary(src) ? src.data.slice() : bytesFromArguments(cx, 'bytearray', [src], null));
    return null;
  },
  pop: (self: PyByteArray, args, _kwargs, cx) => {
    checkArgs('pop', args, 0, 1);
    const n = self.data.length;
    if (n === 0) throw indexError('pop from empty bytearray');
    let i = args.length ? Number(asInt(cx, args[0])) : n - 1;
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw indexError('pop index out of range');
    return BigInt(self.removeAt(i));
  },
  clear: (self: PyByteArray) => {
    self.clear();
    return null;
  },
  copy: (self: PyByteArray) => new PyByteArray(self.data),
};

/** The type objects `bytes` and `bytearray` (builtins). */
export const BYTES_TYPE = new PyType('bytes', (args, kwargs, cx) => constructBytes(cx, args, kwargs), undefined, [OBJECT_TYPE]);
export const BYTEARRAY_TYPE = new PyType('bytearray', (args, kwargs, cx) => constructByteArray(cx, args, kwargs), undefined, [OBJECT_TYPE]);

function binaryType(name: 'bytes' | 'bytearray'): NativeType {
  const isMine = name === 'bytes' ? (v: object) => v instanceof PyBytes : (v: object) => v instanceof PyByteArray;
  const methods = name === 'bytes' ? BYTES_METHODS : BYTEARRAY_METHODS;
  return {
    name,
    pyType: name === 'bytes' ? BYTES_TYPE : BYTEARRAY_TYPE,
    is: isMine,
    repr: (v) => bytesRepr(v as Binary),
    truthy: (v) => (v as Binary).data.length > 0,
    len: (v) => (v as Binary).data.length,
    getAttr: (v, attr) => (Object.prototype.hasOwnProperty.call(methods, attr) ? new BoundMethod(v, attr, methods[attr]) : undefined),
    callMethod: (v, attr, args, kwargs, cx) => (Object.prototype.hasOwnProperty.call(methods, attr) ? methods[attr](v, args, kwargs, cx) : undefined),
    binary(op, a, b, cx) {
      if (op === '+' && isBinary(a)) {
        if (!isBinary(b)) throw typeError(`can't concat ${typeName(cx, b)} to ${kindName(a)}`);
        cx.reserveMemory(a.data.length + b.data.length);
        const out = new Uint8Array(a.data.length + b.data.length);
        out.set(a.data);
        out.set(b.data, a.data.length);
        return sameKind(a, out);
      }
      if (op === '*') {
        const [seq, count] = isBinary(a) ? [a, b] : [b as Binary, a];
        if (!isIntLike(count)) return undefined;
        const times = Math.max(0, Number(intOf(count)));
        cx.reserveMemory(seq.data.length * times);
        const out = new Uint8Array(seq.data.length * times);
        for (let i = 0; i < times; i++) out.set(seq.data, i * seq.data.length);
        return sameKind(seq, out);
      }
      if (op === '%' && isBinary(a)) throw new PyException('NotImplementedError', `GradLab does not support % formatting of ${kindName(a)} yet (line ${cx.line})`);
      return undefined;
    },
    compare(op, a, b) {
      if (!isBinary(a) || !isBinary(b)) return op === '==' ? false : op === '!=' ? true : undefined;
      const c = compareData(a.data, b.data);
      switch (op) {
        case '==':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return undefined;
    },
    contains(v, item, cx) {
      const data = (v as Binary).data;
      if (isIntLike(item)) return data.includes(byteValue(cx, item));
      if (!isBinary(item)) throw typeError(`a bytes-like object is required, not '${typeName(cx, item)}'`);
      return indexOf(data, item.data) >= 0;
    },
    getItem(v, index, cx) {
      const self = v as Binary;
      const data = self.data;
      if (index instanceof PySlice) {
        const [start, , step, count] = sliceIndices(index, data.length);
        const out = new Uint8Array(count);
        for (let i = 0, j = start; i < count; i++, j += step) out[i] = data[j];
        return sameKind(self, out);
      }
      const i = asIndex(index, () => `byte indices must be integers or slices, not ${typeName(cx, index)}`);
      const j = i < 0 ? i + data.length : i;
      if (j < 0 || j >= data.length) throw indexError(self instanceof PyBytes ? 'index out of range' : 'bytearray index out of range');
      return BigInt(data[j]);
    },
    setItem:
      name === 'bytes'
        ? undefined
        : (v, index, value, cx) => {
            const data = (v as PyByteArray).data;
            if (index instanceof PySlice) throw new PyException('NotImplementedError', `GradLab does not support assigning to a slice of a bytearray yet (line ${cx.line})`);
            const i = asIndex(index, () => `bytearray indices must be integers or slices, not ${typeName(cx, index)}`);
            const j = i < 0 ? i + data.length : i;
            if (j < 0 || j >= data.length) throw indexError('bytearray index out of range');
            data[j] = byteValue(cx, value);
          },
    iterate(v) {
      const data = (v as Binary).data;
      let i = 0;
      return () => (i < data.length ? BigInt(data[i++]) : undefined);
    },
  };
}

/** The native types of bytes and bytearray, which every interpreter registers. */
export const BYTES_NATIVE_TYPES: readonly NativeType[] = [binaryType('bytes'), binaryType('bytearray')];
