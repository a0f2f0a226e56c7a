// The runtime classes of Python's built-in values (see context.ts for how Python values map to
// JavaScript): containers, ranges, slices, native functions and methods, type objects, modules,
// exception instances, iterators. Their behaviour (repr, equality, attributes, operators) lives
// in the protocol modules (objects.ts, ops.ts, attributes.ts), which take the running context.
import type { Context, Kwargs, Value } from './context';
import { typeError } from './errors';

export type { Kwargs, Value } from './context';

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

/** A function implemented in TypeScript; `cx` is the interpreter running the call. */
export type NativeFn = (args: Value[], kwargs: Kwargs, cx: Context) => Value;

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
export type MethodImpl = (self: any, args: Value[], kwargs: Kwargs, cx: Context) => Value;

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
    /** Real attributes of the Python module that GradLab does not have: reading one says so plainly. */
    readonly unsupported: ReadonlySet<string> = NO_NAMES,
  ) {}
}
const NO_NAMES: ReadonlySet<string> = new Set();

/** A module object with these attributes. */
export function makeModule(name: string, entries: Record<string, Value>, unsupported?: Iterable<string>): PyModule {
  return new PyModule(name, new Map(Object.entries(entries)), unsupported ? new Set(unsupported) : NO_NAMES);
}

/** An exception instance (raise ValueError('x'), except ... as e). */
export class PyExceptionValue {
  constructor(
    readonly type: string,
    readonly args: Value[],
  ) {}
}

/** A lazily produced sequence (enumerate, zip, map, iter(...)) — single pass like Python's iterators. */
export class PyIterator {
  constructor(
    readonly kind: string,
    readonly next: () => Value | undefined,
  ) {}
}

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
  if (v instanceof DictView) throw typeError(`unhashable type: '${v.kind}'`);
  if (v instanceof PyList) throw typeError("unhashable type: 'list'");
  if (v instanceof PyDict) throw typeError("unhashable type: 'dict'");
  return v;
}
function hashKeyString(v: Value): string {
  const k = hashKey(v);
  if (typeof k === 'object' || typeof k === 'function') return 'o' + objectAddress(k as object);
  return typeof k + ':' + String(k);
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

