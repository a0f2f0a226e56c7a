// The object protocol for every value: its type's name, repr() and str(), truth, equality and
// ordering (CPython's PyObject_Repr, PyObject_IsTrue, PyObject_RichCompare). Native objects
// (tensors, ...) answer through the NativeType their module registered with the interpreter.
import type { Context, Value } from './context';
import { PyException, typeError } from './errors';
import { floatRepr, intToDecimal } from './numfmt';
import { callSpecial, isSubclass, lookup, NOT_IMPLEMENTED, PyNotImplemented } from './classes';
import { isSubset, PySet } from './sets';
import { rangeRepr, rangesEqual } from './ranges';
import {
  BoundMethod,
  Builtin,
  DictView,
  MethodDescriptor,
  objectAddress,
  PyClassMethod,
  PyContextManager,
  OrderedDict,
  PyDict,
  PyEllipsis,
  PyExceptionValue,
  PyFunctionLike,
  PyInstance,
  PyIterator,
  PyList,
  PyMethod,
  PyModule,
  PyProperty,
  PyRange,
  PySlice,
  PyStaticMethod,
  PySuper,
  PyTuple,
  PyType,
  pyStrRepr,
  TorchSize,
} from './values';

/** type(v).__name__ */
export function typeName(cx: Context, v: Value): string {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
  }
  if (v === null || v === undefined) return 'NoneType';
  if (v instanceof TorchSize) return 'Size';
  if (v instanceof DictView) return v.kind;
  if (v instanceof PyList) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof OrderedDict) return 'OrderedDict';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PySlice) return 'slice';
  if (v instanceof PyFunctionLike) return 'function';
  if (v instanceof Builtin) return 'builtin_function_or_method';
  if (v instanceof BoundMethod) return 'builtin_function_or_method';
  if (v instanceof PyType) return 'type';
  if (v instanceof PyModule) return 'module';
  if (v instanceof PyInstance) return v.cls.name;
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyMethod) return 'method';
  if (v instanceof MethodDescriptor) return 'method_descriptor';
  if (v instanceof PySuper) return 'super';
  if (v instanceof PyProperty) return 'property';
  if (v instanceof PyStaticMethod) return 'staticmethod';
  if (v instanceof PyClassMethod) return 'classmethod';
  if (v instanceof PyNotImplemented) return 'NotImplementedType';
  if (v instanceof PyEllipsis) return 'ellipsis';
  if (v instanceof PyIterator) return v.kind;
  if (v instanceof PyContextManager) return v.kind;
  const native = cx.nativeType(v as object);
  if (native) return native.nameOf ? native.nameOf(v as object) : native.name;
  return 'object';
}

/** What CPython's RecursionError adds to 'maximum recursion depth exceeded' for each check. */
export const RECURSION_IN_PYTHON_CALL = '';
export const RECURSION_WHILE_REPR = ' while getting the repr of an object';
export const RECURSION_WHILE_STR = ' while getting the str of an object';
export const RECURSION_WHILE_CALLING = ' while calling a Python object';
export const RECURSION_IN_COMPARISON = ' in comparison';

/** repr(v), CPython's PyObject_Repr: one level of the recursion limit. */
export function repr(cx: Context, v: Value): string {
  cx.enterRecursion(RECURSION_WHILE_REPR);
  try {
    return reprOf(cx, v);
  } finally {
    cx.leaveRecursion();
  }
}

/** ascii(v): repr(v) with every non-ASCII character escaped as \xNN, \uNNNN or \UNNNNNNNN. */
export function ascii(cx: Context, v: Value): string {
  let out = '';
  for (const ch of repr(cx, v)) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out += ch;
    else if (code < 0x100) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code < 0x10000) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out;
}

/** The type's own repr (tp_repr), without the recursion check. */
function reprOf(cx: Context, v: Value): string {
  switch (typeof v) {
    case 'bigint':
      return intToDecimal(v);
    case 'number':
      return floatRepr(v);
    case 'string':
      return pyStrRepr(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (v === null || v === undefined) return 'None';
  if (v instanceof TorchSize) return 'torch.Size([' + v.items.map((x) => repr(cx, x)).join(', ') + '])';
  if (v instanceof DictView) return v.kind + '([' + v.items.map((x) => repr(cx, x)).join(', ') + '])';
  if (v instanceof PyList) return withReprGuard(cx, v, '[...]', () => '[' + v.items.map((x) => repr(cx, x)).join(', ') + ']');
  if (v instanceof PyTuple) {
    if (v.items.length === 1) return withReprGuard(cx, v, '(...)', () => '(' + repr(cx, v.items[0]) + ',)');
    return withReprGuard(cx, v, '(...)', () => '(' + v.items.map((x) => repr(cx, x)).join(', ') + ')');
  }
  if (v instanceof OrderedDict) {
    if (v.map.size === 0) return 'OrderedDict()';
    return withReprGuard(cx, v, '...', () => 'OrderedDict([' + [...v.map.values()].map(([k, val]) => `(${repr(cx, k)}, ${repr(cx, val)})`).join(', ') + '])');
  }
  if (v instanceof PyDict) {
    return withReprGuard(cx, v, '{...}', () => {
      const parts: string[] = [];
      for (const [k, val] of v.map.values()) parts.push(repr(cx, k) + ': ' + repr(cx, val));
      return '{' + parts.join(', ') + '}';
    });
  }
  if (v instanceof PyRange) return rangeRepr(v);
  if (v instanceof PySlice) return `slice(${repr(cx, v.start)}, ${repr(cx, v.stop)}, ${repr(cx, v.step)})`;
  if (v instanceof PyFunctionLike) return `<function ${v.name} at ${objectAddress(v)}>`;
  if (v instanceof Builtin) return `<built-in function ${v.name}>`;
  if (v instanceof BoundMethod) {
    return `<built-in method ${v.name} of ${typeName(cx, v.self)} object at ${objectAddress(v.self as object)}>`;
  }
  if (v instanceof PyType) return v.module && v.module !== 'builtins' ? `<class '${v.module}.${v.qualname}'>` : `<class '${v.name}'>`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyInstance) return instanceRepr(cx, v);
  if (v instanceof PySet) return withReprGuard(cx, v, `${typeName(cx, v)}(...)`, () => setRepr(cx, v));
  if (v instanceof PyMethod) {
    const name = v.fn instanceof PyFunctionLike ? v.fn.qualname : typeName(cx, v.fn);
    return `<bound method ${name} of ${repr(cx, v.self)}>`;
  }
  if (v instanceof MethodDescriptor) return `<method '${v.name}' objects>`;
  if (v instanceof PySuper) return `<super: ${repr(cx, v.start)}, <${typeName(cx, v.self)} object>>`;
  if (v instanceof PyStaticMethod || v instanceof PyClassMethod) return `<${typeName(cx, v)}(${repr(cx, v.fn)})>`;
  if (v instanceof PyProperty) return `<property object at ${objectAddress(v)}>`;
  if (v instanceof PyNotImplemented) return 'NotImplemented';
  if (v instanceof PyEllipsis) return 'Ellipsis';
  if (v instanceof PyIterator || v instanceof PyContextManager) return `<${v.kind} object at ${objectAddress(v)}>`;
  const native = cx.nativeType(v as object);
  if (native) return native.repr(v as object, cx);
  return `<object at ${objectAddress(v as object)}>`;
}

/** A container's repr, or `placeholder` when it is already being printed (a list that contains itself). */
function withReprGuard(cx: Context, o: object, placeholder: string, f: () => string): string {
  const inProgress = cx.reprInProgress;
  if (inProgress.has(o)) return placeholder;
  inProgress.add(o);
  try {
    return f();
  } finally {
    inProgress.delete(o);
  }
}

function instanceRepr(cx: Context, v: PyInstance): string {
  const r = callSpecial(cx, v, '__repr__', []);
  if (r !== undefined) {
    if (typeof r !== 'string') throw typeError(`__repr__ returned non-string (type ${typeName(cx, r)})`);
    return r;
  }
  if (v instanceof PyExceptionValue) {
    if (v.args.length === 1) return `${v.type}(${repr(cx, v.args[0])})`;
    return `${v.type}(${v.args.map((x) => repr(cx, x)).join(', ')})`;
  }
  const cls = v.cls;
  return `<${cls.module && cls.module !== 'builtins' ? cls.module + '.' : ''}${cls.qualname} object at ${objectAddress(v)}>`;
}

/** str(v), CPython's PyObject_Str: a str as it is, anything else one level of the recursion limit. */
export function str(cx: Context, v: Value): string {
  if (typeof v === 'string') return v;
  cx.enterRecursion(RECURSION_WHILE_STR);
  try {
    return strOf(cx, v);
  } finally {
    cx.leaveRecursion();
  }
}

/** The type's own str (tp_str; object's falls to tp_repr directly, not through repr()). */
function strOf(cx: Context, v: Value): string {
  if (v instanceof PyInstance) {
    const r = callSpecial(cx, v, '__str__', []);
    if (r !== undefined) {
      if (typeof r !== 'string') throw typeError(`__str__ returned non-string (type ${typeName(cx, r)})`);
      return r;
    }
    if (v instanceof PyExceptionValue) return exceptionMessage(cx, v);
    return instanceRepr(cx, v);
  }
  if (typeof v === 'object' && v !== null) {
    const native = cx.nativeType(v);
    if (native) return native.str ? native.str(v, cx) : native.repr(v, cx);
  }
  return reprOf(cx, v);
}

export function truthy(cx: Context, v: Value): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
  }
  if (v === null || v === undefined) return false;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.map.size > 0;
  if (v instanceof PyRange) return v.size > 0n;
  if (v instanceof PySet) return v.size > 0;
  if (v instanceof PyInstance) return instanceTruthy(cx, v);
  const native = cx.nativeType(v as object);
  if (native?.truthy) return native.truthy(v as object);
  return true;
}

function instanceTruthy(cx: Context, v: PyInstance): boolean {
  const b = callSpecial(cx, v, '__bool__', []);
  if (b !== undefined) {
    if (typeof b !== 'boolean') throw typeError(`__bool__ should return bool, returned ${typeName(cx, b)}`);
    return b;
  }
  const n = callSpecial(cx, v, '__len__', []);
  if (n !== undefined) return lengthResult(cx, n) > 0;
  return true;
}

/** The value __len__ returned, checked as CPython checks it. */
export function lengthResult(cx: Context, n: Value): number {
  if (typeof n !== 'bigint' && typeof n !== 'boolean') throw typeError(`'${typeName(cx, n)}' object cannot be interpreted as an integer`);
  const len = Number(n);
  if (len < 0) throw new PyException('ValueError', '__len__() should return >= 0');
  return len;
}

/** Converts a Python index-like value (int or bool) to a JS number, or throws TypeError via `what`. */
export function asIndex(v: Value, what: () => string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw typeError(what());
}

export function isInt(v: Value): v is bigint | boolean {
  return typeof v === 'bigint' || typeof v === 'boolean';
}

/** Numeric value of an int/bool/float as a JS number (float semantics). */
export function toNumber(v: Value): number | undefined {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
  }
  return undefined;
}

export function pyEquals(cx: Context, a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || a === a;
  if (a instanceof PyInstance || b instanceof PyInstance) return truthy(cx, richCompare(cx, '==', a, b));
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint' || ta === 'boolean') && (tb === 'number' || tb === 'bigint' || tb === 'boolean')) {
    if (ta === 'number' || tb === 'number') {
      const x = toNumber(a)!;
      const y = toNumber(b)!;
      // Exact comparison of a huge int with a float
      if (ta === 'bigint' && Number.isInteger(y) && Math.abs(y) > 2 ** 53) return (a as bigint) === BigInt(y);
      if (tb === 'bigint' && Number.isInteger(x) && Math.abs(x) > 2 ** 53) return (b as bigint) === BigInt(x);
      return x === y;
    }
    return BigInt(a as bigint | boolean) === BigInt(b as bigint | boolean);
  }
  if (a instanceof PyList && b instanceof PyList) return seqEquals(cx, a.items, b.items);
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEquals(cx, a.items, b.items);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, [, v]] of a.map) {
      const other = b.map.get(k);
      if (!other || !pyEquals(cx, v, other[1])) return false;
    }
    return true;
  }
  if (a instanceof PySet && b instanceof PySet) return a.size === b.size && isSubset(a, b);
  if (a instanceof PyRange && b instanceof PyRange) return rangesEqual(a, b);
  return nativeEquals(cx, a, b);
}

/** a == b through a native type's comparison (a tensor gives a tensor, whose truth decides, as in CPython's list.__contains__). */
function nativeEquals(cx: Context, a: Value, b: Value): boolean {
  let native = typeof a === 'object' && a !== null ? cx.nativeType(a) : undefined;
  if (!native?.compare && typeof b === 'object' && b !== null) native = cx.nativeType(b);
  const r = native?.compare?.('==', a, b, cx);
  return r === undefined ? false : truthy(cx, r);
}

function seqEquals(cx: Context, a: Value[], b: Value[]): boolean {
  if (a.length !== b.length) return false;
  cx.enterRecursion(RECURSION_IN_COMPARISON);
  try {
    for (let i = 0; i < a.length; i++) if (!pyEquals(cx, a[i], b[i])) return false;
    return true;
  } finally {
    cx.leaveRecursion();
  }
}

/** Python's `<` family on non-tensor values; returns -1/0/1, or throws TypeError naming the operator. */
export function compareValues(cx: Context, a: Value, b: Value, op: string): number {
  if (a instanceof PyInstance || b instanceof PyInstance) {
    if (truthy(cx, richCompare(cx, '<', a, b))) return -1;
    return truthy(cx, richCompare(cx, '<', b, a)) ? 1 : 0;
  }
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint' || ta === 'boolean') && (tb === 'number' || tb === 'bigint' || tb === 'boolean')) {
    if (ta !== 'number' && tb !== 'number') {
      const x = BigInt(a as bigint | boolean);
      const y = BigInt(b as bigint | boolean);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const x = toNumber(a)!;
    const y = toNumber(b)!;
    if (x !== x || y !== y) return NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'string' && tb === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const x = (a as PyList).items;
    const y = (b as PyList).items;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(cx, x[i], y[i])) return compareValues(cx, x[i], y[i], op);
    }
    return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
  }
  throw new PyException('TypeError', `'${op}' not supported between instances of '${typeName(cx, a)}' and '${typeName(cx, b)}'`);
}

/** str(e) of an exception instance: its one argument, or the tuple of them (KeyError shows the key's repr). */
export function exceptionMessage(cx: Context, e: PyExceptionValue): string {
  if (e.args.length === 0) return '';
  if (e.args.length === 1) return e.type === 'KeyError' ? repr(cx, e.args[0]) : str(cx, e.args[0]);
  return repr(cx, new PyTuple(e.args));
}

const REFLECTED: Record<string, [string, string]> = {
  '<': ['__lt__', '__gt__'],
  '>': ['__gt__', '__lt__'],
  '<=': ['__le__', '__ge__'],
  '>=': ['__ge__', '__le__'],
  '==': ['__eq__', '__eq__'],
  '!=': ['__ne__', '__ne__'],
};

/** a.__op__(b), for __ne__ falling back to `not a.__eq__(b)` as object.__ne__ does; undefined if not defined or NotImplemented. */
function trySpecial(cx: Context, a: PyInstance, name: string, b: Value): Value | undefined {
  let r = callSpecial(cx, a, name, [b]);
  if (r === undefined && name === '__ne__') {
    const eq = callSpecial(cx, a, '__eq__', [b]);
    if (eq !== undefined && eq !== NOT_IMPLEMENTED) r = !truthy(cx, eq);
  }
  return r === NOT_IMPLEMENTED ? undefined : r;
}

/** a OP b when a or b is an instance of a class: the special methods, reflected as CPython reflects them. */
export function richCompare(cx: Context, op: string, a: Value, b: Value): Value {
  cx.enterRecursion(RECURSION_IN_COMPARISON);
  try {
    return instanceCompare(cx, op, a, b);
  } finally {
    cx.leaveRecursion();
  }
}

function instanceCompare(cx: Context, op: string, a: Value, b: Value): Value {
  const [forward, reflected] = REFLECTED[op];
  let triedReflected = false;
  if (b instanceof PyInstance && a instanceof PyInstance && a.cls !== b.cls && isSubclass(b.cls, a.cls) && lookup(b.cls, reflected) !== undefined) {
    triedReflected = true;
    const r = trySpecial(cx, b, reflected, a);
    if (r !== undefined) return r;
  }
  if (a instanceof PyInstance) {
    const r = trySpecial(cx, a, forward, b);
    if (r !== undefined) return r;
  }
  if (!triedReflected && b instanceof PyInstance) {
    const r = trySpecial(cx, b, reflected, a);
    if (r !== undefined) return r;
  }
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  throw new PyException('TypeError', `'${op}' not supported between instances of '${typeName(cx, a)}' and '${typeName(cx, b)}'`);
}

function setRepr(cx: Context, s: PySet): string {
  const name = s.frozen ? 'frozenset' : 'set';
  if (s.size === 0) return `${name}()`;
  const body = '{' + s.items().map((x) => repr(cx, x)).join(', ') + '}';
  return s.frozen ? `frozenset(${body})` : body;
}
