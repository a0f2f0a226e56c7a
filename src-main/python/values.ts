// The runtime classes of Python's built-in values (see context.ts for how Python values map to
// JavaScript): containers, ranges, slices, native functions and methods, type objects, modules,
// exception instances, iterators, bytes and bytearray. Their behaviour (repr, equality, attributes, operators) lives
// in the protocol modules (objects.ts, ops.ts, attributes.ts), which take the running context.
import type { Context, Kwargs, Value } from './context';
import { PyException, typeError } from './errors';
import { DICT_ENTRY_BYTES, reserveGrowth, SLOT_BYTES } from './sizes';
import { latin1 } from './codecs';

export type { Kwargs, Value } from './context';

export class PyList {
  constructor(public items: Value[]) {}
}

/**
 * target.push(...items) without the spread: V8 passes spread arguments on the stack and throws
 * a RangeError past ~100k of them, where Python has no limit (l.extend(range(200000))).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  reserveGrowth(target.length, target.length + items.length, SLOT_BYTES);
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
/** dict.keys()/values()/items(): a list that prints as dict_keys([...]). */
export class DictView extends PyList {
  constructor(
    readonly kind: 'dict_keys' | 'dict_values' | 'dict_items' | 'odict_keys' | 'odict_values' | 'odict_items',
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
  /** A dict with these string-keyed entries, in order. */
  constructor(entries?: Iterable<[string, Value]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }
  get(key: Value): Value | undefined {
    return this.map.get(hashKey(key))?.[1];
  }
  set(key: Value, value: Value): void {
    const k = hashKey(key);
    const old = this.map.get(k);
    if (old) old[1] = value;
    else {
      reserveGrowth(this.map.size, this.map.size + 1, DICT_ENTRY_BYTES);
      this.map.set(k, [key, value]);
    }
  }
  delete(key: Value): boolean {
    return this.map.delete(hashKey(key));
  }
  has(key: Value): boolean {
    return this.map.has(hashKey(key));
  }
}

/** collections.OrderedDict as modules' state_dict() returns it: a dict that prints as OrderedDict([(k, v), ...]). */
export class OrderedDict extends PyDict {}

/** range(start, stop, step) on exact ints; its behaviour is in ranges.ts. */
export class PyRange {
  constructor(
    readonly start: bigint,
    readonly stop: bigint,
    readonly step: bigint,
  ) {}
  /** How many elements. */
  get size(): bigint {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? (stop - start - 1n) / step + 1n : 0n;
    return start > stop ? (start - stop - 1n) / -step + 1n : 0n;
  }
  /** size as a JavaScript number (rounded past 2**53): for estimates such as memory to reserve. */
  get length(): number {
    return Number(this.size);
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
  /**
   * How CPython 3.11 checks the recursion limit when a program calls this built-in: 'always'
   * (METH_O / METH_VARARGS functions such as repr, len, hash, min), 'cold' (METH_FASTCALL ones
   * such as print, only from code not yet specialised), or never.
   */
  recursionCheck?: 'always' | 'cold';
}

/**
 * A type object: a built-in type (int, list, ValueError, torch.Tensor; callable to convert or
 * construct) or, as PyClass, a class. `bases` and the C3 method resolution order `mro` make
 * isinstance, issubclass and `except` work along inheritance; `dict` holds the class's own
 * attributes (methods, class variables). Every type is a subclass of `object`.
 */
export class PyType {
  readonly mro: readonly PyType[];
  constructor(
    readonly name: string,
    readonly construct: NativeFn,
    /** 'builtins' (or undefined) for built-in types, '__main__' for a program's classes, 'torch' ... */
    readonly module?: string,
    readonly bases: readonly PyType[] = [],
    readonly dict: Map<string, Value> = new Map(),
    /** Dotted path inside its module (`Outer.Inner`, `make.<locals>.Model`). */
    readonly qualname: string = name,
  ) {
    this.mro = linearize(this, bases);
  }
}

/** C3 linearisation (Python's MRO); throws a TypeError for an inconsistent hierarchy. */
function linearize(t: PyType, bases: readonly PyType[]): PyType[] {
  if (bases.length === 0) return [t];
  if (bases.length === 1) return [t, ...bases[0].mro];
  const sequences = [...bases.map((b) => b.mro.slice()), bases.slice()];
  const out: PyType[] = [t];
  for (;;) {
    const nonEmpty = sequences.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return out;
    const head = nonEmpty.map((s) => s[0]).find((c) => !nonEmpty.some((s) => s.indexOf(c) > 0));
    if (!head) {
      throw typeError(`Cannot create a consistent method resolution order (MRO) for bases ${bases.map((b) => b.name).join(', ')}`);
    }
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
}

/** `object`, the root of every type. Its methods are the protocols' defaults (attributes.ts). */
export const OBJECT_TYPE: PyType = new PyType(
  'object',
  (args): Value => {
    if (args.length > 0) throw typeError('object() takes no arguments');
    return new PyInstance(OBJECT_TYPE);
  },
  'builtins',
);

/** A class made by a `class` statement (or a module's native class, e.g. nn.Module). */
export class PyClass extends PyType {}

/** An instance of a class: its class and its own attributes (__dict__). */
export class PyInstance {
  readonly dict = new Map<string, Value>();
  constructor(readonly cls: PyType) {}
}

/** A function defined in a class body bound to an instance (`obj.method`). */
export class PyMethod {
  constructor(
    readonly self: Value,
    readonly fn: Value,
  ) {}
}

/** A native method stored in a class's dict (nn.Module.parameters, BaseException.__init__); binds like a function. */
export class MethodDescriptor {
  constructor(
    readonly name: string,
    readonly impl: MethodImpl,
  ) {}
}

/** super(): attribute lookup starting after `start` in the mro of type(self). */
export class PySuper {
  constructor(
    readonly start: PyType,
    readonly self: Value,
  ) {}
}

/** property(fget, fset): a data descriptor. */
export class PyProperty {
  constructor(
    readonly fget: Value,
    readonly fset: Value,
    readonly doc: Value = null,
  ) {}
}

/** staticmethod(fn) and classmethod(fn) wrappers in a class body. */
export class PyStaticMethod {
  constructor(readonly fn: Value) {}
}
export class PyClassMethod {
  constructor(readonly fn: Value) {}
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
    /**
     * What calling it does (`@torch.no_grad()` on a function). Without one, calling it with a
     * function returns that function run inside enter/exit (contextlib.ContextDecorator).
     */
    readonly call?: NativeFn,
  ) {}
}

/** Python's Ellipsis (`...`), e.g. in t[..., 0]. */
export class PyEllipsis {}
export const ELLIPSIS = new PyEllipsis();

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

/** An exception instance (raise ValueError('x'), except ... as e), of a built-in exception type or a class derived from one. */
export class PyExceptionValue extends PyInstance {
  /** `raise ... from cause` */
  cause: Value = null;
  constructor(
    cls: PyType,
    public args: Value[],
  ) {
    super(cls);
  }
  /** The exception's type name (ValueError, or a program's ShapeError). */
  get type(): string {
    return this.cls.name;
  }
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

/** A value with its own hashing (frozenset): returns its key, or throws TypeError when unhashable. */
export const HASH_KEY = Symbol('hashKey');
interface OwnHashKey {
  [HASH_KEY](): unknown;
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
  if (typeof v === 'object' && HASH_KEY in v) return (v as OwnHashKey)[HASH_KEY]();
  if (v instanceof PyInstance) {
    // a class that defines __eq__ without __hash__ has __hash__ = None: its instances are unhashable
    for (const t of v.cls.mro) {
      const h = t.dict.get('__hash__');
      if (h === null) throw typeError(`unhashable type: '${v.cls.name}'`);
      if (h !== undefined) {
        throw new PyException('NotImplementedError', `GradLab does not support objects with their own __hash__ as dict keys or set members yet ('${v.cls.name}')`);
      }
    }
    return v;
  }
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
  abstract name: string;
  /** Dotted path of the definition (`Point.move`, `make.<locals>.step`), as error messages name it. */
  abstract qualname: string;
  /** Attributes a program set on the function (f.calls = 0, functools.wraps's __wrapped__). */
  readonly attrs = new Map<string, Value>();
  /** The docstring (__doc__). */
  doc: Value = null;
}

export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === quote || c === '\\') out += '\\' + c;
    else if (code >= 0x20 && code < 0x7f) out += c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0xa0) out += '\\x' + code.toString(16).padStart(2, '0');
    else {
      // outside Latin-1's printable ASCII: whole code points, escaped where CPython's isprintable() says no
      const point = s.codePointAt(i)!;
      const ch = String.fromCodePoint(point);
      if (point > 0xffff) i++;
      if (!NOT_PRINTABLE.test(ch)) out += ch;
      else if (point < 0x100) out += '\\x' + point.toString(16).padStart(2, '0');
      else if (point < 0x10000) out += '\\u' + point.toString(16).padStart(4, '0');
      else out += '\\U' + point.toString(16).padStart(8, '0');
    }
  }
  return out + quote;
}

/** The categories CPython's str.isprintable() refuses: controls, formats, surrogates, private use, unassigned, separators but ' '. */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** An immutable bytes object. */
export class PyBytes {
  constructor(readonly data: Uint8Array) {}
  [HASH_KEY](): unknown {
    return 'y' + latin1(this.data);
  }
}

/** A bytearray: bytes that can change and grow (`data` is the live part of a larger buffer). */
export class PyByteArray {
  private buffer: Uint8Array;
  private length: number;
  constructor(initial: Uint8Array) {
    this.buffer = initial.slice();
    this.length = initial.length;
  }
  get data(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
  push(cx: Context, bytes: Uint8Array): void {
    const needed = this.length + bytes.length;
    if (needed > this.buffer.length) {
      cx.reserveMemory(needed);
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2, 16));
      grown.set(this.data);
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.length);
    this.length = needed;
  }
  removeAt(i: number): number {
    const b = this.buffer[i];
    this.buffer.copyWithin(i, i + 1, this.length);
    this.length--;
    return b;
  }
  clear(): void {
    this.length = 0;
  }
}
