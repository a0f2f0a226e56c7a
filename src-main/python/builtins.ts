// Builtin functions and types, methods of str/list/tuple/dict/int/float, attribute access, and
// the module registry (math, time; torch is registered by torch-module.ts).
import { EXCEPTION_BASES, PyException, typeError, valueError } from './errors';
import { BUILTINS_HOOK, callValue, currentRuntime } from './interp';
import { keyError, floatFloorDiv, floatMod, floatPow, getItem, iterableToArray, iterate, length, percentFormatHook, tensorOps, truthyHook, binaryOp, compareOp } from './ops';
import { roundFloat, roundHalfEven } from './numfmt';
import { PyFunction } from './runtime';
import { formatValue, percentFormat } from './strformat';
import {
  BoundMethod,
  Builtin,
  DictView,
  compareValues,
  foreign,
  PyContextManager,
  PyDict,
  PyExceptionValue,
  PyFunctionLike,
  PyIterator,
  PyList,
  PyModule,
  PyRange,
  PySlice,
  PyTuple,
  PyType,
  pyEquals,
  repr,
  str,
  TorchSize,
  truthy,
  typeName,
  hashKey,
  objectAddress,
  type MethodImpl,
  type NativeFn,
  type Value,
} from './values';

percentFormatHook.fn = percentFormat;
truthyHook.fn = truthy;

type Kwargs = Map<string, Value> | null;

// ---------- argument helpers ----------

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

function asInt(v: Value, what = 'integer'): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw typeError(`'${typeName(v)}' object cannot be interpreted as an ${what}`);
}

export function toFloat(v: Value): number {
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
    throw valueError(`could not convert string to float: ${repr(v)}`);
  }
  if (typeof v === 'object' && v !== null) {
    const h = foreign.hooks;
    if (h && h.isForeign(v)) {
      const x = h.scalar(v);
      if (x !== undefined) return x;
    }
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(v)}'`);
}

function floatToInt(x: number): bigint {
  if (x !== x) throw valueError('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
  return BigInt(Math.trunc(x));
}

// ---------- types ----------

const types = new Map<string, PyType>();
function defType(name: string, construct: NativeFn, module?: string): PyType {
  const t = new PyType(name, construct, module);
  types.set(name, t);
  return t;
}

export function typeOf(v: Value): PyType {
  const name = typeName(v);
  const known = types.get(name);
  if (known && (name !== 'Tensor' || known.module === 'torch')) return known;
  if (v instanceof PyExceptionValue) return exceptionTypes.get(v.type)!;
  return new PyType(name, () => {
    throw typeError(`cannot create '${name}' instances`);
  }, name === 'Tensor' ? 'torch' : name === 'Size' ? 'torch' : undefined);
}

/** Registers a type object (torch.Tensor) so type() and isinstance() know it. */
export function registerType(t: PyType): void {
  types.set(t.name, t);
}

defType('int', (args, kwargs) => {
  const { base } = kwarg('int', kwargs, ['base']);
  checkArgs('int', args, 0, 2);
  if (args.length === 0) return 0n;
  const v = args[0];
  const b = args.length > 1 ? args[1] : base;
  if (b !== undefined) {
    if (typeof v !== 'string') throw typeError("int() can't convert non-string with explicit base");
    return parseIntLiteral(v, Number(asInt(b)));
  }
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return floatToInt(v);
  if (typeof v === 'string') return parseIntLiteral(v, 10);
  if (typeof v === 'object' && v !== null && foreign.hooks?.isForeign(v)) {
    const x = foreign.hooks.scalar(v);
    if (x !== undefined) return floatToInt(x);
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
});

function parseIntLiteral(s: string, base: number): bigint {
  const t = s.trim().replace(/_/g, '');
  const bad = (): PyException => valueError(`invalid literal for int() with base ${base}: ${repr(s)}`);
  let m = /^([+-]?)(.+)$/.exec(t);
  if (!m) throw bad();
  const sign = m[1] === '-' ? -1n : 1n;
  let body = m[2];
  if (base === 0) {
    m = /^0([xob])/i.exec(body);
    base = m ? { x: 16, o: 8, b: 2 }[m[1].toLowerCase() as 'x' | 'o' | 'b'] : 10;
    if (m) body = body.slice(2);
  } else if (base === 16 && /^0x/i.test(body)) body = body.slice(2);
  else if (base === 8 && /^0o/i.test(body)) body = body.slice(2);
  else if (base === 2 && /^0b/i.test(body)) body = body.slice(2);
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (body === '' || ![...body.toLowerCase()].every((c) => digits.includes(c))) throw bad();
  let r = 0n;
  const B = BigInt(base);
  for (const c of body.toLowerCase()) r = r * B + BigInt(digits.indexOf(c));
  return sign * r;
}

defType('float', (args, kwargs) => {
  noKwargs('float', kwargs);
  checkArgs('float', args, 0, 1);
  return args.length === 0 ? 0 : toFloat(args[0]);
});
defType('str', (args, kwargs) => {
  noKwargs('str', kwargs);
  checkArgs('str', args, 0, 1);
  return args.length === 0 ? '' : str(args[0]);
});
defType('bool', (args, kwargs) => {
  noKwargs('bool', kwargs);
  checkArgs('bool', args, 0, 1);
  return args.length === 0 ? false : truthy(args[0]);
});
defType('list', (args, kwargs) => {
  noKwargs('list', kwargs);
  checkArgs('list', args, 0, 1);
  return new PyList(args.length === 0 ? [] : iterableToArray(args[0]));
});
defType('tuple', (args, kwargs) => {
  noKwargs('tuple', kwargs);
  checkArgs('tuple', args, 0, 1);
  if (args[0] instanceof PyTuple && !(args[0] instanceof TorchSize)) return args[0];
  return new PyTuple(args.length === 0 ? [] : iterableToArray(args[0]));
});
defType('dict', (args, kwargs) => {
  checkArgs('dict', args, 0, 1);
  const d = new PyDict();
  if (args.length === 1) {
    const src = args[0];
    if (src instanceof PyDict) for (const [k, v] of src.map.values()) d.set(k, v);
    else {
      const next = iterate(src);
      for (let item = next(); item !== undefined; item = next()) {
        const pair = iterableToArray(item);
        if (pair.length !== 2) throw valueError(`dictionary update sequence element #0 has length ${pair.length}; 2 is required`);
        d.set(pair[0], pair[1]);
      }
    }
  }
  if (kwargs) for (const [k, v] of kwargs) d.set(k, v);
  return d;
});
defType('range', (args, kwargs) => {
  noKwargs('range', kwargs);
  if (args.length === 0) throw typeError('range expected at least 1 argument, got 0');
  checkArgs('range', args, 1, 3);
  const nums = args.map((a) => {
    if (typeof a === 'bigint' || typeof a === 'boolean') return Number(a);
    throw typeError(`'${typeName(a)}' object cannot be interpreted as an integer`);
  });
  if (nums.length === 1) return new PyRange(0, nums[0], 1);
  const step = nums.length === 3 ? nums[2] : 1;
  if (step === 0) throw valueError('range() arg 3 must not be zero');
  return new PyRange(nums[0], nums[1], step);
});
defType('type', (args) => {
  checkArgs('type', args, 1, 1);
  return typeOf(args[0]);
});
defType('slice', (args) => {
  checkArgs('slice', args, 1, 3);
  if (args.length === 1) return new PySlice(null, args[0], null);
  return new PySlice(args[0], args[1], args[2] ?? null);
});
for (const name of ['NoneType', 'function', 'builtin_function_or_method', 'module', 'enumerate', 'zip', 'map', 'filter', 'generator', 'list_reverseiterator']) {
  defType(name, () => {
    throw typeError(`cannot create '${name}' instances`);
  });
}

const exceptionTypes = new Map<string, PyType>();
for (const name of Object.keys(EXCEPTION_BASES)) {
  const t = new PyType(name, (args) => new PyExceptionValue(name, args), 'exception');
  exceptionTypes.set(name, t);
}
exceptionTypes.set('MemoryError', new PyType('MemoryError', (args) => new PyExceptionValue('MemoryError', args), 'exception'));

export function makeExceptionValue(ex: PyException): PyExceptionValue {
  return new PyExceptionValue(ex.pyType, ex.pyMessage === '' ? [] : [ex.pyMessage]);
}

// ---------- builtin functions ----------

function def(name: string, fn: NativeFn): void {
  BUILTINS_HOOK.set(name, new Builtin(name, fn));
}

for (const [name, t] of types) {
  if (['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'range', 'type', 'slice'].includes(name)) BUILTINS_HOOK.set(name, t);
}
for (const [name, t] of exceptionTypes) BUILTINS_HOOK.set(name, t);

def('print', (args, kwargs) => {
  const k = kwarg('print', kwargs, ['sep', 'end', 'file', 'flush']);
  let sep = ' ';
  let end = '\n';
  if (k.sep !== undefined && k.sep !== null) {
    if (typeof k.sep !== 'string') throw typeError(`sep must be None or a string, not ${typeName(k.sep)}`);
    sep = k.sep;
  }
  if (k.end !== undefined && k.end !== null) {
    if (typeof k.end !== 'string') throw typeError(`end must be None or a string, not ${typeName(k.end)}`);
    end = k.end;
  }
  if (k.file !== undefined && k.file !== null) {
    throw new PyException('NotImplementedError', `GradLab does not support print(file=...) yet; print writes to the output below the cell (line ${currentRuntime().line})`);
  }
  let text = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) text += sep;
    const a = args[i];
    text += typeof a === 'string' ? a : str(a);
  }
  currentRuntime().write(text + end);
  return null;
});

def('len', (args, kwargs) => {
  noKwargs('len', kwargs);
  checkArgs('len', args, 1, 1);
  return BigInt(length(args[0]));
});

def('repr', (args) => {
  checkArgs('repr', args, 1, 1);
  return repr(args[0]);
});

def('abs', (args) => {
  checkArgs('abs', args, 1, 1);
  const v = args[0];
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'bigint') return v < 0n ? -v : v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (tensorOps.impl?.isTensor(v)) return callMethod(v, 'abs', [], null);
  throw typeError(`bad operand type for abs(): '${typeName(v)}'`);
});

def('round', (args, kwargs) => {
  const k = kwarg('round', kwargs, ['ndigits']);
  checkArgs('round', args, 1, 2);
  const v = args[0];
  const nd = args.length > 1 ? args[1] : k.ndigits;
  if (typeof v === 'number') {
    if (nd === undefined || nd === null) {
      if (v !== v) throw valueError('cannot convert float NaN to integer');
      if (!Number.isFinite(v)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
      return BigInt(roundHalfEven(v));
    }
    return roundFloat(v, Number(asInt(nd)));
  }
  if (typeof v === 'bigint' || typeof v === 'boolean') {
    const n = typeof v === 'bigint' ? v : v ? 1n : 0n;
    if (nd === undefined || nd === null) return n;
    const d = asInt(nd);
    if (d >= 0n) return n;
    const p = 10n ** -d;
    const q = n / p;
    const r = n - q * p;
    let res = q;
    const twice = 2n * (r < 0n ? -r : r);
    if (twice > p || (twice === p && (q & 1n) === 1n)) res += n < 0n ? -1n : 1n;
    return res * p;
  }
  if (tensorOps.impl?.isTensor(v)) {
    if (nd === undefined || nd === null) return callMethod(v, 'round', [], null);
    return callMethod(v, 'round', [], new Map([['decimals', nd]]));
  }
  throw typeError(`type ${typeName(v)} doesn't define __round__ method`);
});

function minMax(name: 'min' | 'max', args: Value[], kwargs: Kwargs): Value {
  const k = kwarg(name, kwargs, ['key', 'default']);
  let items: Value[];
  if (args.length === 0) throw typeError(`${name} expected at least 1 argument, got 0`);
  if (args.length === 1) {
    items = iterableToArray(args[0]);
    if (items.length === 0) {
      if (k.default !== undefined) return k.default;
      throw valueError(`${name}() arg is an empty sequence`);
    }
  } else {
    if (k.default !== undefined) throw typeError(`Cannot specify a default for ${name}() with multiple positional arguments`);
    items = args;
  }
  const key = k.key !== undefined && k.key !== null ? k.key : null;
  let best = items[0];
  let bestKey = key ? callValue(key, [best], null) : best;
  for (let i = 1; i < items.length; i++) {
    const kv = key ? callValue(key, [items[i]], null) : items[i];
    const better = name === 'max' ? truthy(compareOp('>', kv, bestKey)) : truthy(compareOp('<', kv, bestKey));
    if (better) {
      best = items[i];
      bestKey = kv;
    }
  }
  return best;
}
def('min', (args, kwargs) => minMax('min', args, kwargs));
def('max', (args, kwargs) => minMax('max', args, kwargs));

def('sum', (args, kwargs) => {
  const k = kwarg('sum', kwargs, ['start']);
  checkArgs('sum', args, 1, 2);
  let total: Value = args.length > 1 ? args[1] : k.start !== undefined ? k.start : 0n;
  if (typeof total === 'string') throw typeError("sum() can't sum strings [use ''.join(seq) instead]");
  const next = iterate(args[0]);
  for (let v = next(); v !== undefined; v = next()) {
    total = typeof total === 'number' && typeof v === 'number' ? total + v : binaryOp('+', total, v);
  }
  return total;
});

def('enumerate', (args, kwargs) => {
  const k = kwarg('enumerate', kwargs, ['start']);
  checkArgs('enumerate', args, 1, 2);
  let i = asInt(args.length > 1 ? args[1] : k.start !== undefined ? k.start : 0n);
  const next = iterate(args[0]);
  return new PyIterator('enumerate', () => {
    const v = next();
    if (v === undefined) return undefined;
    return new PyTuple([i++, v]);
  });
});

def('zip', (args, kwargs) => {
  kwarg('zip', kwargs, ['strict']);
  const nexts = args.map((a) => iterate(a));
  return new PyIterator('zip', () => {
    if (nexts.length === 0) return undefined;
    const items: Value[] = [];
    for (const n of nexts) {
      const v = n();
      if (v === undefined) return undefined;
      items.push(v);
    }
    return new PyTuple(items);
  });
});

def('map', (args) => {
  if (args.length < 2) throw typeError('map() must have at least two arguments.');
  const fn = args[0];
  const nexts = args.slice(1).map((a) => iterate(a));
  return new PyIterator('map', () => {
    const items: Value[] = [];
    for (const n of nexts) {
      const v = n();
      if (v === undefined) return undefined;
      items.push(v);
    }
    return callValue(fn, items, null);
  });
});

def('filter', (args) => {
  checkArgs('filter', args, 2, 2);
  const fn = args[0];
  const next = iterate(args[1]);
  return new PyIterator('filter', () => {
    for (let v = next(); v !== undefined; v = next()) {
      if (fn === null ? truthy(v) : truthy(callValue(fn, [v], null))) return v;
    }
    return undefined;
  });
});

def('reversed', (args) => {
  checkArgs('reversed', args, 1, 1);
  const v = args[0];
  let items: Value[];
  if (v instanceof PyList || v instanceof PyTuple || typeof v === 'string' || v instanceof PyRange) items = iterableToArray(v);
  else if (tensorOps.impl?.isTensor(v)) items = iterableToArray(v);
  else throw typeError(`'${typeName(v)}' object is not reversible`);
  let i = items.length;
  return new PyIterator(v instanceof PyList ? 'list_reverseiterator' : v instanceof PyRange ? 'range_iterator' : 'reversed', () => (i > 0 ? items[--i] : undefined));
});

function sortItems(items: Value[], key: Value, reverse: boolean): Value[] {
  const keyed = items.map((v) => ({ v, k: key !== null && key !== undefined ? callValue(key, [v], null) : v }));
  keyed.sort((a, b) => {
    const c = compareValues(a.k, b.k, '<');
    return reverse ? -c : c;
  });
  return keyed.map((x) => x.v);
}

def('sorted', (args, kwargs) => {
  const k = kwarg('sorted', kwargs, ['key', 'reverse']);
  checkArgs('sorted', args, 1, 1);
  return new PyList(sortItems(iterableToArray(args[0]), k.key ?? null, truthy(k.reverse ?? false)));
});

def('any', (args) => {
  checkArgs('any', args, 1, 1);
  const next = iterate(args[0]);
  for (let v = next(); v !== undefined; v = next()) if (truthy(v)) return true;
  return false;
});
def('all', (args) => {
  checkArgs('all', args, 1, 1);
  const next = iterate(args[0]);
  for (let v = next(); v !== undefined; v = next()) if (!truthy(v)) return false;
  return true;
});

def('isinstance', (args) => {
  checkArgs('isinstance', args, 2, 2);
  const [v, t] = args;
  const check = (ty: Value): boolean => {
    if (ty instanceof PyTuple) return ty.items.some(check);
    if (!(ty instanceof PyType)) throw typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
    if (ty.module === 'exception') return v instanceof PyExceptionValue && isSubclass(v.type, ty.name);
    const name = typeName(v);
    if (ty.name === name) return true;
    if (ty.name === 'int' && name === 'bool') return true;
    if (ty.name === 'tuple' && name === 'Size') return true;
    return false;
  };
  return check(t);
});

function isSubclass(type: string, base: string): boolean {
  for (let t: string | null | undefined = type; t; t = EXCEPTION_BASES[t]) if (t === base) return true;
  return false;
}

def('pow', (args) => {
  checkArgs('pow', args, 2, 3);
  if (args.length === 3) {
    const [b, e, m] = args.map((a) => asInt(a));
    if (m === 0n) throw valueError('pow() 3rd argument cannot be 0');
    let result = 1n;
    let base = ((b % m) + m) % m;
    let exp = e;
    while (exp > 0n) {
      if (exp & 1n) result = (result * base) % m;
      base = (base * base) % m;
      exp >>= 1n;
    }
    return result;
  }
  return binaryOp('**', args[0], args[1]);
});

def('divmod', (args) => {
  checkArgs('divmod', args, 2, 2);
  const [a, b] = args;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toFloat(a);
    const y = toFloat(b);
    if (y === 0) throw new PyException('ZeroDivisionError', 'float divmod()');
    return new PyTuple([floatFloorDiv(x, y), floatMod(x, y)]);
  }
  return new PyTuple([binaryOp('//', a, b), binaryOp('%', a, b)]);
});

def('format', (args) => {
  checkArgs('format', args, 1, 2);
  return formatValue(args[0], args.length > 1 ? (args[1] as string) : '');
});

def('chr', (args) => {
  checkArgs('chr', args, 1, 1);
  return String.fromCodePoint(Number(asInt(args[0])));
});
def('ord', (args) => {
  checkArgs('ord', args, 1, 1);
  const s = args[0];
  if (typeof s !== 'string' || Array.from(s).length !== 1) {
    throw typeError(typeof s === 'string' ? `ord() expected a character, but string of length ${Array.from(s).length} found` : `ord() expected string of length 1, but ${typeName(s)} found`);
  }
  return BigInt(s.codePointAt(0)!);
});
def('hex', (args) => {
  const n = asInt(args[0]);
  return (n < 0n ? '-0x' : '0x') + (n < 0n ? -n : n).toString(16);
});
def('bin', (args) => {
  const n = asInt(args[0]);
  return (n < 0n ? '-0b' : '0b') + (n < 0n ? -n : n).toString(2);
});
def('oct', (args) => {
  const n = asInt(args[0]);
  return (n < 0n ? '-0o' : '0o') + (n < 0n ? -n : n).toString(8);
});
def('id', (args) => {
  checkArgs('id', args, 1, 1);
  const v = args[0];
  return typeof v === 'object' && v !== null ? BigInt(objectAddress(v)) : BigInt(Math.floor(Math.random() * 2 ** 40));
});
def('hash', (args) => {
  checkArgs('hash', args, 1, 1);
  const v = args[0];
  hashKey(v);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new PyException('NotImplementedError', "GradLab does not support hash() of this value yet (Python's hash values are not reproducible anyway)");
});
def('iter', (args) => {
  checkArgs('iter', args, 1, 1);
  const v = args[0];
  if (v instanceof PyIterator) return v;
  const kind = v instanceof PyList ? 'list_iterator' : v instanceof PyTuple ? 'tuple_iterator' : v instanceof PyRange ? 'range_iterator' : typeof v === 'string' ? 'str_ascii_iterator' : v instanceof PyDict ? 'dict_keyiterator' : 'iterator';
  return new PyIterator(kind, iterate(v));
});
def('next', (args) => {
  checkArgs('next', args, 1, 2);
  const it = args[0];
  if (!(it instanceof PyIterator)) throw typeError(`'${typeName(it)}' object is not an iterator`);
  const v = it.next();
  if (v !== undefined) return v;
  if (args.length > 1) return args[1];
  throw new PyException('StopIteration', '');
});
def('callable', (args) => {
  const v = args[0];
  return v instanceof PyFunctionLike || v instanceof Builtin || v instanceof BoundMethod || v instanceof PyType;
});
def('hasattr', (args) => {
  checkArgs('hasattr', args, 2, 2);
  try {
    getAttr(args[0], args[1] as string);
    return true;
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'AttributeError') return false;
    throw e;
  }
});
def('getattr', (args) => {
  checkArgs('getattr', args, 2, 3);
  if (typeof args[1] !== 'string') throw typeError("attribute name must be string, not '" + typeName(args[1]) + "'");
  try {
    return getAttr(args[0], args[1]);
  } catch (e) {
    if (args.length === 3 && e instanceof PyException && e.pyType === 'AttributeError') return args[2];
    throw e;
  }
});
def('setattr', (args) => {
  checkArgs('setattr', args, 3, 3);
  setAttr(args[0], args[1] as string, args[2]);
  return null;
});
for (const name of ['input', 'open', 'eval', 'exec', 'compile', 'globals', 'locals', 'vars', 'dir', 'help', 'breakpoint', '__import__', 'set', 'frozenset', 'bytes', 'bytearray', 'memoryview', 'complex', 'object', 'property', 'staticmethod', 'classmethod', 'super']) {
  def(name, () => {
    throw new PyException('NotImplementedError', `GradLab does not support ${name}() yet (line ${currentRuntime().line})`);
  });
}
def('exit', () => {
  throw new PyException('NotImplementedError', `GradLab does not support exit() yet; the program ends by itself after its last line (line ${currentRuntime().line})`);
});
BUILTINS_HOOK.set('quit', BUILTINS_HOOK.get('exit'));

// ---------- str.format ----------

function strFormat(template: string, args: Value[], kwargs: Kwargs): string {
  let out = '';
  let auto = 0;
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      for (; j < template.length; j++) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}' && --depth === 0) break;
      }
      if (j >= template.length) throw valueError("expected '}' before end of string");
      const field = template.slice(i + 1, j);
      i = j + 1;
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (!m) throw valueError('unmatched field in format string');
      const [, name, conv] = m;
      let spec = m[3];
      const path = /^([^.[]*)(.*)$/s.exec(name)!;
      let first = path[1];
      let value: Value;
      if (first === '') {
        if (auto < 0) throw valueError('cannot switch from manual field specification to automatic field numbering');
        first = String(auto++);
      } else if (/^\d+$/.test(first)) {
        if (auto > 0) throw valueError('cannot switch from automatic field numbering to manual field specification');
        auto = -1;
      }
      if (/^\d+$/.test(first)) {
        const idx = parseInt(first, 10);
        if (idx >= args.length) throw new PyException('IndexError', `Replacement index ${idx} out of range for positional args tuple`);
        value = args[idx];
      } else {
        const v = kwargs?.get(first);
        if (v === undefined) throw keyError(first);
        value = v;
      }
      const rest = path[2];
      const re = /\.(\w+)|\[([^\]]*)\]/g;
      let pm: RegExpExecArray | null;
      while ((pm = re.exec(rest)) !== null) {
        if (pm[1] !== undefined) value = getAttr(value, pm[1]);
        else value = getItem(value, /^\d+$/.test(pm[2]) ? BigInt(pm[2]) : pm[2]);
      }
      if (conv === 'r' || conv === 'a') value = repr(value);
      else if (conv === 's') value = str(value);
      if (spec && spec.includes('{')) spec = strFormat(spec, args, kwargs);
      out += formatValue(value, spec ?? '');
      continue;
    }
    if (c === '}') {
      if (template[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw valueError("Single '}' encountered in format string");
    }
    out += c;
    i++;
  }
  return out;
}

// ---------- methods ----------

function strArg(method: string, v: Value, argDesc = 'str'): string {
  if (typeof v !== 'string') throw typeError(`${method} arg must be None or ${argDesc}`);
  return v;
}

function stripChars(s: string, chars: Value, left: boolean, right: boolean, name: string): string {
  if (chars === undefined || chars === null) {
    let a = 0;
    let b = s.length;
    if (left) while (a < b && /\s/.test(s[a])) a++;
    if (right) while (b > a && /\s/.test(s[b - 1])) b--;
    return s.slice(a, b);
  }
  const set = strArg(name, chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function splitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && /\s/.test(s[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(s.slice(i).replace(/\s+$/, ''));
      return out;
    }
    let j = i;
    while (j < n && !/\s/.test(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** [start, s cut at end] for str.find-style (sub, start, end) arguments. */
function findIn(s: string, sub: Value, start: Value, end: Value): [number, string] {
  if (typeof sub !== 'string') throw typeError(`must be str, not ${typeName(sub)}`);
  const len = s.length;
  const norm = (v: Value, d: number): number => {
    if (v === undefined || v === null) return d;
    let i = Number(asInt(v));
    if (i < 0) i = Math.max(0, i + len);
    return Math.min(i, len);
  };
  const a = norm(start, 0);
  const b = norm(end, len);
  return [a, s.slice(0, b)];
}

const STR_METHODS: Record<string, MethodImpl> = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  casefold: (s: string) => s.toLowerCase(),
  swapcase: (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s: string) => s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s: string) => (s.length ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s),
  strip: (s: string, a) => stripChars(s, a[0], true, true, 'strip'),
  lstrip: (s: string, a) => stripChars(s, a[0], true, false, 'lstrip'),
  rstrip: (s: string, a) => stripChars(s, a[0], false, true, 'rstrip'),
  split: (s: string, a, kw) => {
    const k = kwarg('split', kw, ['sep', 'maxsplit']);
    const sep = a.length > 0 ? a[0] : k.sep;
    const maxsplit = Number(asInt(a.length > 1 ? a[1] : k.maxsplit ?? -1n));
    if (sep === undefined || sep === null) return new PyList(splitWhitespace(s, maxsplit));
    if (typeof sep !== 'string') throw typeError(`must be str or None, not ${typeName(sep)}`);
    if (sep === '') throw valueError('empty separator');
    const parts = s.split(sep);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const head = parts.slice(0, maxsplit);
      head.push(parts.slice(maxsplit).join(sep));
      return new PyList(head);
    }
    return new PyList(parts);
  },
  rsplit: (s: string, a) => {
    const sep = a[0];
    if (sep === undefined || sep === null) return new PyList(splitWhitespace(s, -1));
    return new PyList(s.split(sep as string));
  },
  splitlines: (s: string) => new PyList(s.split(/\r\n|\r|\n/).filter((x, i, arr) => i < arr.length - 1 || x !== '')),
  join: (s: string, a) => {
    checkArgs('str.join', a, 1, 1);
    const items = iterableToArray(a[0]);
    items.forEach((x, i) => {
      if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
    });
    return items.join(s);
  },
  replace: (s: string, a) => {
    checkArgs('replace', a, 2, 3);
    const [old, rep] = a;
    if (typeof old !== 'string' || typeof rep !== 'string') throw typeError(`replace() argument 1 must be str, not ${typeName(typeof old !== 'string' ? old : rep)}`);
    let count = a.length > 2 ? Number(asInt(a[2])) : -1;
    if (count < 0) return s.split(old).join(rep);
    let out = '';
    let rest = s;
    while (count-- > 0) {
      const i = rest.indexOf(old);
      if (i < 0) break;
      out += rest.slice(0, i) + rep;
      rest = rest.slice(i + old.length);
      if (old === '') {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return out + rest;
  },
  startswith: (s: string, a) => {
    const pre = a[0];
    const [start, hay] = findIn(s, typeof pre === 'string' ? pre : '', a[1], a[2]);
    if (pre instanceof PyTuple) return pre.items.some((p) => hay.startsWith(p as string, start));
    if (typeof pre !== 'string') throw typeError(`startswith first arg must be str or a tuple of str, not ${typeName(pre)}`);
    return hay.startsWith(pre, start);
  },
  endswith: (s: string, a) => {
    const suf = a[0];
    const [start, hay] = findIn(s, typeof suf === 'string' ? suf : '', a[1], a[2]);
    const test = (x: string): boolean => hay.length - x.length >= start && hay.endsWith(x);
    if (suf instanceof PyTuple) return suf.items.some((p) => test(p as string));
    if (typeof suf !== 'string') throw typeError(`endswith first arg must be str or a tuple of str, not ${typeName(suf)}`);
    return test(suf);
  },
  find: (s: string, a) => {
    const [start, hay] = findIn(s, a[0], a[1], a[2]);
    return BigInt(hay.indexOf(a[0] as string, start));
  },
  rfind: (s: string, a) => {
    const [start, hay] = findIn(s, a[0], a[1], a[2]);
    const i = hay.lastIndexOf(a[0] as string);
    return BigInt(i >= start ? i : -1);
  },
  index: (s: string, a) => {
    const [start, hay] = findIn(s, a[0], a[1], a[2]);
    const i = hay.indexOf(a[0] as string, start);
    if (i < 0) throw valueError('substring not found');
    return BigInt(i);
  },
  count: (s: string, a) => {
    const [start, hay] = findIn(s, a[0], a[1], a[2]);
    const sub = a[0] as string;
    if (sub === '') return BigInt(hay.length - start + 1);
    return BigInt(hay.slice(start).split(sub).length - 1);
  },
  format: (s: string, a, kw) => strFormat(s, a, kw),
  center: (s: string, a) => {
    const w = Number(asInt(a[0]));
    const fill = (a[1] as string | undefined) ?? ' ';
    if (w <= s.length) return s;
    const total = w - s.length;
    const left = Math.floor(total / 2) + (total & w & 1);
    return fill.repeat(left) + s + fill.repeat(total - left);
  },
  ljust: (s: string, a) => s.padEnd(Number(asInt(a[0])), (a[1] as string | undefined) ?? ' '),
  rjust: (s: string, a) => s.padStart(Number(asInt(a[0])), (a[1] as string | undefined) ?? ' '),
  zfill: (s: string, a) => {
    const w = Number(asInt(a[0]));
    if (s.length >= w) return s;
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + '0'.repeat(w - s.length) + s.slice(sign.length);
  },
  isdigit: (s: string) => s.length > 0 && /^[0-9]+$/.test(s),
  isnumeric: (s: string) => s.length > 0 && /^[0-9]+$/.test(s),
  isdecimal: (s: string) => s.length > 0 && /^[0-9]+$/.test(s),
  isalpha: (s: string) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s: string) => s.length > 0 && /^[\p{L}0-9]+$/u.test(s),
  isspace: (s: string) => s.length > 0 && /^\s+$/.test(s),
  isupper: (s: string) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  islower: (s: string) => /[a-z]/.test(s) && s === s.toLowerCase(),
  partition: (s: string, a) => {
    const sep = a[0] as string;
    const i = s.indexOf(sep);
    return i < 0 ? new PyTuple([s, '', '']) : new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  removeprefix: (s: string, a) => (s.startsWith(a[0] as string) ? s.slice((a[0] as string).length) : s),
  removesuffix: (s: string, a) => (a[0] !== '' && s.endsWith(a[0] as string) ? s.slice(0, s.length - (a[0] as string).length) : s),
};

function listIndexArg(v: Value): number {
  if (typeof v === 'bigint' || typeof v === 'boolean') return Number(v);
  throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
}

const LIST_METHODS: Record<string, MethodImpl> = {
  append: (l: PyList, a) => {
    checkArgs('list.append', a, 1, 1);
    l.items.push(a[0]);
    return null;
  },
  extend: (l: PyList, a) => {
    checkArgs('list.extend', a, 1, 1);
    l.items.push(...iterableToArray(a[0]));
    return null;
  },
  insert: (l: PyList, a) => {
    checkArgs('insert', a, 2, 2);
    let i = listIndexArg(a[0]);
    const n = l.items.length;
    if (i < 0) i = Math.max(0, i + n);
    l.items.splice(Math.min(i, n), 0, a[1]);
    return null;
  },
  pop: (l: PyList, a) => {
    checkArgs('pop', a, 0, 1);
    if (l.items.length === 0) throw new PyException('IndexError', 'pop from empty list');
    let i = a.length ? listIndexArg(a[0]) : l.items.length - 1;
    if (i < 0) i += l.items.length;
    if (i < 0 || i >= l.items.length) throw new PyException('IndexError', 'pop index out of range');
    return l.items.splice(i, 1)[0];
  },
  remove: (l: PyList, a) => {
    checkArgs('list.remove', a, 1, 1);
    const i = l.items.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw valueError('list.remove(x): x not in list');
    l.items.splice(i, 1);
    return null;
  },
  index: (l: PyList | PyTuple, a) => {
    const i = l.items.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw valueError(l instanceof PyList ? `${repr(a[0])} is not in list` : 'tuple.index(x): x not in tuple');
    return BigInt(i);
  },
  count: (l: PyList | PyTuple, a) => BigInt(l.items.filter((x) => pyEquals(x, a[0])).length),
  sort: (l: PyList, a, kw) => {
    if (a.length) throw typeError('sort() takes no positional arguments');
    const k = kwarg('sort', kw, ['key', 'reverse']);
    l.items = sortItems(l.items, k.key ?? null, truthy(k.reverse ?? false));
    return null;
  },
  reverse: (l: PyList) => {
    l.items.reverse();
    return null;
  },
  copy: (l: PyList) => new PyList(l.items.slice()),
  clear: (l: PyList) => {
    l.items.length = 0;
    return null;
  },
};

const TUPLE_METHODS: Record<string, MethodImpl> = { index: LIST_METHODS.index, count: LIST_METHODS.count };

const DICT_METHODS: Record<string, MethodImpl> = {
  keys: (d: PyDict) => new DictView('dict_keys', Array.from(d.map.values(), (e) => e[0])),
  values: (d: PyDict) => new DictView('dict_values', Array.from(d.map.values(), (e) => e[1])),
  items: (d: PyDict) => new DictView('dict_items', Array.from(d.map.values(), (e) => new PyTuple([e[0], e[1]]))),
  get: (d: PyDict, a) => {
    checkArgs('get', a, 1, 2);
    const v = d.get(a[0]);
    return v === undefined ? (a.length > 1 ? a[1] : null) : v;
  },
  pop: (d: PyDict, a) => {
    checkArgs('pop', a, 1, 2);
    const v = d.get(a[0]);
    if (v === undefined) {
      if (a.length > 1) return a[1];
      throw keyError(a[0]);
    }
    d.delete(a[0]);
    return v;
  },
  setdefault: (d: PyDict, a) => {
    const v = d.get(a[0]);
    if (v !== undefined) return v;
    const def = a.length > 1 ? a[1] : null;
    d.set(a[0], def);
    return def;
  },
  update: (d: PyDict, a, kw) => {
    if (a.length) {
      const src = a[0];
      if (src instanceof PyDict) for (const [k, v] of src.map.values()) d.set(k, v);
      else for (const item of iterableToArray(src)) {
        const pair = iterableToArray(item);
        d.set(pair[0], pair[1]);
      }
    }
    if (kw) for (const [k, v] of kw) d.set(k, v);
    return null;
  },
  copy: (d: PyDict) => {
    const c = new PyDict();
    for (const [k, v] of d.map.values()) c.set(k, v);
    return c;
  },
  clear: (d: PyDict) => {
    d.map.clear();
    return null;
  },
};

const FLOAT_METHODS: Record<string, MethodImpl> = {
  is_integer: (x: number) => Number.isInteger(x),
  __round__: (x: number, a) => roundFloat(x, Number(asInt(a[0] ?? 0n))),
  hex: () => {
    throw new PyException('NotImplementedError', `GradLab does not support float.hex() yet (line ${currentRuntime().line})`);
  },
};
const INT_METHODS: Record<string, MethodImpl> = {
  bit_length: (n: bigint) => BigInt((n < 0n ? -n : n).toString(2).replace(/^0$/, '').length),
};

function methodTable(obj: Value): Record<string, MethodImpl> | null {
  switch (typeof obj) {
    case 'string':
      return STR_METHODS;
    case 'number':
      return FLOAT_METHODS;
    case 'bigint':
      return INT_METHODS;
  }
  if (obj instanceof PyList) return LIST_METHODS;
  if (obj instanceof PyTuple) return TUPLE_METHODS;
  if (obj instanceof PyDict) return DICT_METHODS;
  return null;
}

function noAttribute(obj: Value, name: string): PyException {
  if (obj instanceof PyModule) return new PyException('AttributeError', `module '${obj.name}' has no attribute '${name}'`);
  return new PyException('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}

/** Modules' unsupported-but-real attributes get a GradLab message instead of an AttributeError. */
export const unsupportedModuleAttrs = new Map<string, Set<string>>();

export function getAttr(obj: Value, name: string): Value {
  if (obj instanceof PyModule) {
    const v = obj.attrs.get(name);
    if (v !== undefined) return v;
    if (unsupportedModuleAttrs.get(obj.name)?.has(name)) {
      throw new PyException('NotImplementedError', `GradLab does not support ${obj.name}.${name} yet (line ${currentRuntime().line})`);
    }
    throw noAttribute(obj, name);
  }
  if (typeof obj === 'object' && obj !== null) {
    const h = foreign.hooks;
    if (h && h.isForeign(obj)) {
      const v = h.getAttr(obj, name);
      if (v !== undefined) return v;
      throw noAttribute(obj, name);
    }
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) return new BoundMethod(obj, name, table[name]);
  if (typeof obj === 'number') {
    if (name === 'real') return obj;
    if (name === 'imag') return 0;
  }
  if (typeof obj === 'bigint' || typeof obj === 'boolean') {
    if (name === 'real' || name === 'numerator') return typeof obj === 'boolean' ? (obj ? 1n : 0n) : obj;
    if (name === 'imag') return 0n;
    if (name === 'denominator') return 1n;
  }
  if (obj instanceof PyExceptionValue && name === 'args') return new PyTuple(obj.args);
  if (obj instanceof PyFunctionLike && name === '__name__') return obj.name;
  if ((obj instanceof Builtin || obj instanceof PyType) && name === '__name__') return obj.name;
  if (obj instanceof PyRange) {
    if (name === 'start') return BigInt(obj.start);
    if (name === 'stop') return BigInt(obj.stop);
    if (name === 'step') return BigInt(obj.step);
  }
  if (obj instanceof PyContextManager && (name === '__enter__' || name === '__exit__')) {
    return new Builtin(name, () => (name === '__enter__' ? obj.enter() : (obj.exit(), false)));
  }
  throw noAttribute(obj, name);
}

export function setAttr(obj: Value, name: string, value: Value): void {
  if (obj instanceof PyModule) {
    obj.attrs.set(name, value);
    obj.assigned = true;
    return;
  }
  if (typeof obj === 'object' && obj !== null) {
    const h = foreign.hooks;
    if (h && h.isForeign(obj) && h.setAttr(obj, name, value)) return;
  }
  if (obj instanceof PyFunction) {
    throw new PyException('NotImplementedError', `GradLab does not support setting attributes on functions yet (line ${currentRuntime().line})`);
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    throw new PyException('AttributeError', `'${typeName(obj)}' object attribute '${name}' is read-only`);
  }
  throw new PyException('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}

export function delAttr(obj: Value, name: string): void {
  if (obj instanceof PyModule && obj.attrs.delete(name)) return;
  throw new PyException('NotImplementedError', `GradLab does not support deleting attribute '${name}' yet (line ${currentRuntime().line})`);
}

export function callMethod(obj: Value, name: string, args: Value[], kwargs: Kwargs): Value {
  if (typeof obj === 'object' && obj !== null) {
    if (obj instanceof PyModule) {
      const fn = obj.attrs.get(name);
      if (fn instanceof Builtin) return fn.fn(args, kwargs);
      return callValue(getAttr(obj, name), args, kwargs);
    }
    const h = foreign.hooks;
    if (h && h.isForeign(obj)) {
      const r = h.callMethod(obj, name, args, kwargs);
      if (r !== undefined) return r;
      return callValue(getAttr(obj, name), args, kwargs);
    }
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    const impl = table[name];
    if (kwargs && kwargs.size > 0 && !['split', 'sort', 'format', 'update'].includes(name)) {
      throw typeError(`${typeName(obj)}.${name}() takes no keyword arguments`);
    }
    return impl(obj, args, kwargs);
  }
  return callValue(getAttr(obj, name), args, kwargs);
}

// ---------- modules ----------

const moduleFactories = new Map<string, () => PyModule>();
const moduleCache = new Map<string, PyModule>();

export function registerModule(name: string, factory: () => PyModule): void {
  moduleFactories.set(name, factory);
  moduleCache.delete(name);
}

const KNOWN_UNSUPPORTED_MODULES = new Set([
  'numpy', 'matplotlib', 'pandas', 'sklearn', 'scipy', 'os', 'sys', 'PIL', 'torchvision', 'tensorflow', 'json', 'csv',
  'collections', 'itertools', 'functools', 're', 'pathlib', 'subprocess', 'threading', 'asyncio', 'typing', 'dataclasses',
  'copy', 'datetime', 'statistics', 'io', 'pickle', 'string',
]);

/** Fresh module objects per program run (a program may set module attributes). */
/** Every module imported by the running program (their attributes are reachable). */
export function loadedModules(): Iterable<PyModule> {
  return moduleCache.values();
}

export function resetModules(): void {
  moduleCache.clear();
}

export function importModule(name: string, line: number): PyModule {
  const cached = moduleCache.get(name);
  if (cached) return cached;
  const factory = moduleFactories.get(name);
  if (!factory) {
    const top = name.split('.')[0];
    if (moduleFactories.has(top) || KNOWN_UNSUPPORTED_MODULES.has(top)) {
      const available = [...moduleFactories.keys()].filter((m) => !m.includes('.')).join(', ');
      throw new PyException('NotImplementedError', `GradLab does not support the '${name}' module yet; available modules: ${available} (line ${line})`, line);
    }
    throw new PyException('ModuleNotFoundError', `No module named '${name}'`);
  }
  const mod = factory();
  moduleCache.set(name, mod);
  return mod;
}

export function builtinModule(name: string, entries: Record<string, Value>): PyModule {
  return new PyModule(name, new Map(Object.entries(entries)));
}

function mathFn(name: string, f: (x: number) => number, domain: (x: number) => boolean = () => true): Builtin {
  return new Builtin(name, (args, kwargs) => {
    noKwargs(name, kwargs);
    if (args.length !== 1) throw typeError(`math.${name}() takes exactly one argument (${args.length} given)`);
    const x = toFloatArg(args[0]);
    if (!domain(x)) throw valueError('math domain error');
    const r = f(x);
    if (!Number.isFinite(r) && Number.isFinite(x)) throw new PyException('OverflowError', 'math range error');
    return r;
  });
}

function toFloatArg(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return toFloat(v);
  if (typeof v === 'object' && v !== null && foreign.hooks?.isForeign(v)) {
    const x = foreign.hooks.scalar(v);
    if (x !== undefined) return x;
  }
  throw typeError(`must be real number, not ${typeName(v)}`);
}

registerModule('math', () =>
  builtinModule('math', {
    pi: Math.PI,
    e: Math.E,
    tau: 2 * Math.PI,
    inf: Infinity,
    nan: NaN,
    sqrt: mathFn('sqrt', Math.sqrt, (x) => x >= 0 || x !== x),
    exp: mathFn('exp', Math.exp),
    log: new Builtin('log', (args) => {
      checkArgs('log', args, 1, 2);
      const v = args[0];
      let lnx: number;
      if (typeof v === 'bigint' && v > 0n && !Number.isFinite(Number(v))) {
        const s = v.toString();
        lnx = Math.log(Number('0.' + s.slice(0, 17))) + s.length * Math.LN10;
      } else {
        const x = toFloatArg(v);
        if (!(x > 0) && x === x) throw valueError('math domain error');
        lnx = Math.log(x);
      }
      if (args.length === 1) return lnx;
      const b = toFloatArg(args[1]);
      if (!(b > 0)) throw valueError('math domain error');
      const lnb = Math.log(b);
      if (lnb === 0) throw new PyException('ZeroDivisionError', 'float division by zero');
      return lnx / lnb;
    }),
    log10: mathFn('log10', Math.log10, (x) => x > 0 || x !== x),
    log2: mathFn('log2', Math.log2, (x) => x > 0 || x !== x),
    log1p: mathFn('log1p', Math.log1p, (x) => x > -1 || x !== x),
    expm1: mathFn('expm1', Math.expm1),
    sin: mathFn('sin', Math.sin, (x) => Number.isFinite(x) || x !== x),
    cos: mathFn('cos', Math.cos, (x) => Number.isFinite(x) || x !== x),
    tan: mathFn('tan', Math.tan, (x) => Number.isFinite(x) || x !== x),
    asin: mathFn('asin', Math.asin, (x) => (x >= -1 && x <= 1) || x !== x),
    acos: mathFn('acos', Math.acos, (x) => (x >= -1 && x <= 1) || x !== x),
    atan: mathFn('atan', Math.atan),
    sinh: mathFn('sinh', Math.sinh),
    cosh: mathFn('cosh', Math.cosh),
    tanh: mathFn('tanh', Math.tanh),
    fabs: mathFn('fabs', Math.abs),
    degrees: mathFn('degrees', (x) => (x * 180) / Math.PI),
    radians: mathFn('radians', (x) => (x * Math.PI) / 180),
    atan2: new Builtin('atan2', (args) => Math.atan2(toFloatArg(args[0]), toFloatArg(args[1]))),
    hypot: new Builtin('hypot', (args) => Math.hypot(...args.map(toFloatArg))),
    pow: new Builtin('pow', (args) => {
      checkArgs('pow', args, 2, 2);
      const x = toFloatArg(args[0]);
      const y = toFloatArg(args[1]);
      if (x === 0 && y < 0) throw valueError('math domain error');
      if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) throw valueError('math domain error');
      return floatPow(x, y);
    }),
    floor: new Builtin('floor', (args) => intRound(args, Math.floor, 'floor')),
    ceil: new Builtin('ceil', (args) => intRound(args, Math.ceil, 'ceil')),
    trunc: new Builtin('trunc', (args) => intRound(args, Math.trunc, 'trunc')),
    isnan: new Builtin('isnan', (args) => {
      const x = toFloatArg(args[0]);
      return x !== x;
    }),
    isinf: new Builtin('isinf', (args) => {
      const x = toFloatArg(args[0]);
      return x === Infinity || x === -Infinity;
    }),
    isfinite: new Builtin('isfinite', (args) => Number.isFinite(toFloatArg(args[0]))),
    isclose: new Builtin('isclose', (args, kwargs) => {
      const k = kwarg('isclose', kwargs, ['rel_tol', 'abs_tol']);
      const a = toFloatArg(args[0]);
      const b = toFloatArg(args[1]);
      const rel = k.rel_tol !== undefined ? toFloatArg(k.rel_tol) : 1e-9;
      const abs = k.abs_tol !== undefined ? toFloatArg(k.abs_tol) : 0;
      if (a === b) return true;
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      const diff = Math.abs(b - a);
      return diff <= Math.abs(rel * b) || diff <= Math.abs(rel * a) || diff <= abs;
    }),
    copysign: new Builtin('copysign', (args) => {
      const x = Math.abs(toFloatArg(args[0]));
      const y = toFloatArg(args[1]);
      return y < 0 || Object.is(y, -0) ? -x : x;
    }),
    fmod: new Builtin('fmod', (args) => {
      const y = toFloatArg(args[1]);
      if (y === 0) throw valueError('math domain error');
      return toFloatArg(args[0]) % y;
    }),
    factorial: new Builtin('factorial', (args) => {
      const v = args[0];
      if (typeof v !== 'bigint') throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
      if (v < 0n) throw valueError('factorial() not defined for negative values');
      let r = 1n;
      for (let i = 2n; i <= v; i++) r *= i;
      return r;
    }),
    gcd: new Builtin('gcd', (args) => {
      let g = 0n;
      for (const a of args) {
        let x = asInt(a);
        if (x < 0n) x = -x;
        let y = g;
        while (y) [x, y] = [y, x % y];
        g = x;
      }
      return g;
    }),
    fsum: new Builtin('fsum', (args) => {
      // Exact summation (Shewchuk), like CPython's math.fsum.
      const partials: number[] = [];
      const next = iterate(args[0]);
      for (let v = next(); v !== undefined; v = next()) {
        let x = toFloatArg(v);
        let i = 0;
        for (const y0 of partials) {
          let y = y0;
          if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
          const hi = x + y;
          const lo = y - (hi - x);
          if (lo) partials[i++] = lo;
          x = hi;
        }
        partials.length = i;
        partials.push(x);
      }
      return partials.reduce((a, b) => a + b, 0);
    }),
    prod: new Builtin('prod', (args) => {
      let total: Value = 1n;
      const next = iterate(args[0]);
      for (let v = next(); v !== undefined; v = next()) total = binaryOp('*', total, v);
      return total;
    }),
    dist: new Builtin('dist', (args) => {
      const p = iterableToArray(args[0]).map(toFloatArg);
      const q = iterableToArray(args[1]).map(toFloatArg);
      return Math.hypot(...p.map((x, i) => x - q[i]));
    }),
  }),
);

function intRound(args: Value[], f: (x: number) => number, name: string): Value {
  checkArgs(name, args, 1, 1);
  const v = args[0];
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const x = toFloatArg(v);
  return floatToInt(f(x));
}

const nowMs: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

registerModule('time', () =>
  builtinModule('time', {
    perf_counter: new Builtin('perf_counter', () => nowMs() / 1000),
    perf_counter_ns: new Builtin('perf_counter_ns', () => BigInt(Math.round(nowMs() * 1e6))),
    monotonic: new Builtin('monotonic', () => nowMs() / 1000),
    process_time: new Builtin('process_time', () => nowMs() / 1000),
    time: new Builtin('time', () => Date.now() / 1000),
    time_ns: new Builtin('time_ns', () => BigInt(Date.now()) * 1000000n),
    sleep: new Builtin('sleep', (args) => {
      checkArgs('sleep', args, 1, 1);
      const seconds = toFloatArg(args[0]);
      if (seconds < 0) throw valueError('sleep length must be non-negative');
      sleepHook.fn(seconds);
      return null;
    }),
  }),
);

/** How time.sleep blocks: the worker installs Atomics.wait; the default spins on the clock. */
export const sleepHook: { fn: (seconds: number) => void } = {
  fn: (seconds) => {
    const rt = currentRuntime();
    rt.housekeeping();
    const until = nowMs() + seconds * 1000;
    if (typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined') {
      const cell = new Int32Array(new SharedArrayBuffer(4));
      for (;;) {
        const left = until - nowMs();
        if (left <= 0) break;
        try {
          Atomics.wait(cell, 0, 0, Math.min(left, 25));
        } catch {
          while (nowMs() < until) {
            /* main threads cannot Atomics.wait: spin */
          }
          break;
        }
        rt.housekeeping();
      }
    } else while (nowMs() < until) {
      /* spin */
    }
  },
};

export { types as builtinTypes };
export { PySlice };
