// Runtime representation of Python values:
//   None -> null, bool -> boolean, int -> bigint (exact, unbounded like Python), float -> number,
//   str -> string, list/tuple/dict/range/functions/modules -> the classes below, tensors -> the
//   engine's Tensor (handled through the `foreign` hooks installed by the torch module, so this
//   file does not depend on the engine).
import { PyException, typeError } from './errors';
import { floatRepr } from './numfmt';

export type Value = unknown;

export class PyList {
  constructor(public items: Value[]) {}
}
/** dict.keys()/values()/items(): a list that prints as dict_keys([...]). */
export class DictView extends PyList {
  constructor(
    readonly kind: 'dict_keys' | 'dict_values' | 'dict_items',
    items: Value[],
  ) {
    super(items);
  }
}

export class PyTuple {
  constructor(public readonly items: Value[]) {}
}
/** torch.Size: a tuple that prints as `torch.Size([2, 3])`. */
export class TorchSize extends PyTuple {}

export class PyDict {
  readonly map = new Map<unknown, [Value, Value]>();
  get(key: Value): Value | undefined {
    return this.map.get(hashKey(key))?.[1];
  }
  set(key: Value, value: Value): void {
    const k = hashKey(key);
    const old = this.map.get(k);
    if (old) old[1] = value;
    else this.map.set(k, [key, value]);
  }
  delete(key: Value): boolean {
    return this.map.delete(hashKey(key));
  }
  has(key: Value): boolean {
    return this.map.has(hashKey(key));
  }
}

export class PyRange {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}
  get length(): number {
    const { start, stop, step } = this;
    if (step > 0) return stop > start ? Math.floor((stop - start - 1) / step) + 1 : 0;
    return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  }
}

export class PySlice {
  constructor(
    readonly start: Value,
    readonly stop: Value,
    readonly step: Value,
  ) {}
}

export type NativeFn = (args: Value[], kwargs: Map<string, Value> | null) => Value;

/** A function implemented in TypeScript (print, len, torch.tensor, math.sqrt, ...). */
export class Builtin {
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
    /** Printed as <built-in method NAME of ...> when bound; plain functions print <built-in function NAME>. */
    readonly qualifier?: string,
    /** The object a bound native method belongs to (t.zero_ stored in a variable keeps t alive). */
    readonly boundTo?: Value,
  ) {}
}

/** A type object such as int, float, str, list (callable to convert / construct). */
export class PyType {
  constructor(
    readonly name: string,
    readonly construct: NativeFn,
    readonly module?: string,
  ) {}
}

// `self` is typed per table (str, PyList, Tensor, ...); the tables are looked up by the receiver's type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MethodImpl = (self: any, args: Value[], kwargs: Map<string, Value> | null) => Value;

export class BoundMethod {
  constructor(
    readonly self: Value,
    readonly name: string,
    readonly impl: MethodImpl,
  ) {}
}

/** A `with` context manager implemented natively (torch.no_grad()). */
export class PyContextManager {
  constructor(
    readonly kind: string,
    readonly enter: () => Value,
    readonly exit: () => void,
  ) {}
}

export class PyModule {
  /** Set once the program assigns an attribute (only then can it hold the program's values). */
  assigned = false;
  constructor(
    readonly name: string,
    readonly attrs: Map<string, Value>,
  ) {}
}

/** An exception instance (raise ValueError('x'), except ... as e). */
export class PyExceptionValue {
  constructor(
    readonly type: string,
    readonly args: Value[],
  ) {}
  get message(): string {
    if (this.args.length === 0) return '';
    if (this.args.length === 1) return this.type === 'KeyError' ? repr(this.args[0]) : str(this.args[0]);
    return repr(new PyTuple(this.args));
  }
}

/** A lazily produced sequence (enumerate, zip, map, iter(...)) — single pass like Python's iterators. */
export class PyIterator {
  constructor(
    readonly kind: string,
    readonly next: () => Value | undefined,
  ) {}
}

/** Objects whose behaviour lives elsewhere (tensors, dtypes, grad_fn, no_grad contexts). */
export interface ForeignHooks {
  isForeign(v: object): boolean;
  typeName(v: object): string;
  repr(v: object): string;
  str(v: object): string;
  truthy(v: object): boolean;
  format(v: object, spec: string): string;
  len(v: object): number;
  /** float(v) for one-element tensors (Python's __float__), undefined when not a number-like. */
  scalar(v: object): number | undefined;
  /** Attribute read; undefined when the object has no such attribute. */
  getAttr(v: object, name: string): Value | undefined;
  /** Attribute write; false when the attribute cannot be set. */
  setAttr(v: object, name: string, value: Value): boolean;
  /** obj.name(*args, **kwargs) without creating a bound method; undefined when there is no such method. */
  callMethod(v: object, name: string, args: Value[], kwargs: Map<string, Value> | null): Value | undefined;
  /** Marks the engine memory `v` keeps alive (liveness.ts); false when `v` may hide values it cannot mark. */
  markLive(v: object, stamp: number): boolean;
}

export const foreign: { hooks: ForeignHooks | null } = { hooks: null };

let nextObjectId = 0x7f3a2c001000;
const objectIds = new WeakMap<object, number>();
/** A stable fake address for `<function f at 0x...>`-style reprs. */
export function objectAddress(o: object): string {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId;
    nextObjectId += 0x40;
    objectIds.set(o, id);
  }
  return '0x' + id.toString(16);
}

/** Key for dict/set membership: equal Python values (1 == 1.0 == True) get equal keys. */
export function hashKey(v: Value): unknown {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : 'b' + v.toString();
    case 'number':
      return Number.isInteger(v) && !Number.isSafeInteger(v) ? 'b' + BigInt(v).toString() : v;
    case 'boolean':
      return v ? 1 : 0;
  }
  if (v === null) return 'None';
  if (v instanceof PyTuple) return 't(' + v.items.map((x) => String(hashKeyString(x))).join(',') + ')';
  if (v instanceof PyList || v instanceof PyDict) throw typeError(`unhashable type: '${typeName(v)}'`);
  return v;
}
function hashKeyString(v: Value): string {
  const k = hashKey(v);
  if (typeof k === 'object' || typeof k === 'function') return 'o' + objectAddress(k as object);
  return typeof k + ':' + String(k);
}

export function typeName(v: Value): string {
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
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PySlice) return 'slice';
  if (v instanceof PyFunctionLike) return 'function';
  if (v instanceof Builtin) return 'builtin_function_or_method';
  if (v instanceof BoundMethod) return 'builtin_function_or_method';
  if (v instanceof PyType) return 'type';
  if (v instanceof PyModule) return 'module';
  if (v instanceof PyExceptionValue) return v.type;
  if (v instanceof PyIterator) return v.kind;
  if (v instanceof PyContextManager) return v.kind;
  const h = foreign.hooks;
  if (h && typeof v === 'object' && h.isForeign(v)) return h.typeName(v);
  return 'object';
}

/** Base class of user functions (defined in the interpreter), so values.ts can recognise them. */
export abstract class PyFunctionLike {
  abstract readonly name: string;
}

export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === quote || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += c;
  }
  return out + quote;
}

export function repr(v: Value): string {
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return floatRepr(v);
    case 'string':
      return pyStrRepr(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (v === null || v === undefined) return 'None';
  if (v instanceof TorchSize) return 'torch.Size([' + v.items.map(repr).join(', ') + '])';
  if (v instanceof DictView) return v.kind + '([' + v.items.map(repr).join(', ') + '])';
  if (v instanceof PyList) return withReprGuard(v, '[...]', () => '[' + v.items.map(repr).join(', ') + ']');
  if (v instanceof PyTuple) {
    if (v.items.length === 1) return '(' + repr(v.items[0]) + ',)';
    return '(' + v.items.map(repr).join(', ') + ')';
  }
  if (v instanceof PyDict) {
    return withReprGuard(v, '{...}', () => {
      const parts: string[] = [];
      for (const [k, val] of v.map.values()) parts.push(repr(k) + ': ' + repr(val));
      return '{' + parts.join(', ') + '}';
    });
  }
  if (v instanceof PyRange) {
    return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  }
  if (v instanceof PySlice) return `slice(${repr(v.start)}, ${repr(v.stop)}, ${repr(v.step)})`;
  if (v instanceof PyFunctionLike) return `<function ${v.name} at ${objectAddress(v)}>`;
  if (v instanceof Builtin) return `<built-in function ${v.name}>`;
  if (v instanceof BoundMethod) {
    return `<built-in method ${v.name} of ${typeName(v.self)} object at ${objectAddress(v.self as object)}>`;
  }
  if (v instanceof PyType) return v.module && v.module !== 'exception' ? `<class '${v.module}.${v.name}'>` : `<class '${v.name}'>`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyExceptionValue) {
    if (v.args.length === 1) return `${v.type}(${repr(v.args[0])})`;
    return `${v.type}(${v.args.map(repr).join(', ')})`;
  }
  if (v instanceof PyIterator || v instanceof PyContextManager) return `<${v.kind} object at ${objectAddress(v)}>`;
  const h = foreign.hooks;
  if (h && typeof v === 'object' && h.isForeign(v)) return h.repr(v);
  return `<object at ${objectAddress(v as object)}>`;
}

const reprInProgress = new Set<object>();
function withReprGuard(o: object, placeholder: string, f: () => string): string {
  if (reprInProgress.has(o)) return placeholder;
  reprInProgress.add(o);
  try {
    return f();
  } finally {
    reprInProgress.delete(o);
  }
}

export function str(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyExceptionValue) return v.message;
  const h = foreign.hooks;
  if (h && typeof v === 'object' && v !== null && h.isForeign(v)) return h.str(v);
  return repr(v);
}

export function truthy(v: Value): boolean {
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
  if (v instanceof PyRange) return v.length > 0;
  const h = foreign.hooks;
  if (h && typeof v === 'object' && h.isForeign(v)) return h.truthy(v);
  return true;
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

export function pyEquals(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || a === a;
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
  if (a instanceof PyList && b instanceof PyList) return seqEquals(a.items, b.items);
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEquals(a.items, b.items);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, [, v]] of a.map) {
      const other = b.map.get(k);
      if (!other || !pyEquals(v, other[1])) return false;
    }
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) {
    return a.length === b.length && (a.length === 0 || (a.start === b.start && (a.length === 1 || a.step === b.step)));
  }
  return false;
}

function seqEquals(a: Value[], b: Value[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
  return true;
}

/** Python's `<` family on non-tensor values; returns -1/0/1, or throws TypeError naming the operator. */
export function compareValues(a: Value, b: Value, op: string): number {
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
      if (!pyEquals(x[i], y[i])) return compareValues(x[i], y[i], op);
    }
    return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
  }
  throw new PyException('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}
