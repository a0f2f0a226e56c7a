// The type objects of Python's built-in types (int, float, str, list, ..., torch.Size) and type(v).
// The table is filled once when this module loads and never changes afterwards.
import { checkArgs, floatToInt, kwarg, noKwargs, toFloat, asInt } from './args';
import type { Context, Kwargs, Value } from './context';
import { typeError, valueError } from './errors';
import { parseIntLiteral } from './intparse';
import { constructSet } from './methods/set';
import { str, truthy, typeName } from './objects';
import { iterableToArray, iterate } from './ops';
import { makeRange } from './ranges';
import { Builtin, OrderedDict, PyClassMethod, PyDict, OBJECT_TYPE, PyInstance, PyList, PySlice, PyTuple, PyType, TorchSize, type NativeFn } from './values';

const types = new Map<string, PyType>();
/** A built-in type deriving from object, or from `base` (bool from int, torch.Size from tuple). */
function defType(name: string, construct: NativeFn, module?: string, base?: string): PyType {
  const t = new PyType(name, construct, module, [base !== undefined ? types.get(base)! : OBJECT_TYPE]);
  types.set(name, t);
  return t;
}

/** The built-in type objects by name (int, float, ..., Size). */
export const BUILTIN_TYPES: ReadonlyMap<string, PyType> = types;

/** type(v): the type object of any value. */
export function typeOf(cx: Context, v: Value): PyType {
  if (v instanceof PyInstance) return v.cls;
  if (typeof v === 'object' && v !== null) {
    const native = cx.nativeType(v);
    if (native?.pyType instanceof PyType) return native.pyType;
  }
  const name = typeName(cx, v);
  const known = types.get(name);
  if (known) return known;
  return new PyType(name, () => {
    throw typeError(`cannot create '${name}' instances`);
  });
}

defType('int', (args, kwargs, cx) => {
  const { base } = kwarg('int', kwargs, ['base']);
  checkArgs('int', args, 0, 2);
  if (args.length === 0) return 0n;
  const v = args[0];
  const b = args.length > 1 ? args[1] : base;
  if (b !== undefined) {
    if (typeof v !== 'string') throw typeError("int() can't convert non-string with explicit base");
    const radix = asInt(cx, b);
    if (radix !== 0n && (radix < 2n || radix > 36n)) throw valueError('int() base must be >= 2 and <= 36, or 0');
    return parseIntLiteral(v, Number(radix));
  }
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return floatToInt(v);
  if (typeof v === 'string') return parseIntLiteral(v, 10);
  if (typeof v === 'object' && v !== null) {
    const x = cx.nativeType(v)?.scalar?.(v);
    if (x !== undefined) return typeof x === 'bigint' ? x : floatToInt(x);
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(cx, v)}'`);
});

defType('float', (args, kwargs, cx) => {
  noKwargs('float', kwargs);
  checkArgs('float', args, 0, 1);
  return args.length === 0 ? 0 : toFloat(cx, args[0]);
});
defType('str', (args, kwargs, cx) => {
  noKwargs('str', kwargs);
  checkArgs('str', args, 0, 1);
  return args.length === 0 ? '' : str(cx, args[0]);
});
defType(
  'bool',
  (args, kwargs, cx) => {
    noKwargs('bool', kwargs);
    checkArgs('bool', args, 0, 1);
    return args.length === 0 ? false : truthy(cx, args[0]);
  },
  undefined,
  'int',
);
defType('list', (args, kwargs, cx) => {
  noKwargs('list', kwargs);
  checkArgs('list', args, 0, 1);
  return new PyList(args.length === 0 ? [] : iterableToArray(cx, args[0]));
});
defType('tuple', (args, kwargs, cx) => {
  noKwargs('tuple', kwargs);
  checkArgs('tuple', args, 0, 1);
  if (args[0] instanceof PyTuple && !(args[0] instanceof TorchSize)) return args[0];
  return new PyTuple(args.length === 0 ? [] : iterableToArray(cx, args[0]));
});
/** dict(...) / collections.OrderedDict(...): a mapping's entries or key/value pairs, then the keyword arguments. */
function fillDict(cx: Context, d: PyDict, name: string, args: Value[], kwargs: Kwargs): PyDict {
  checkArgs(name, args, 0, 1);
  if (args.length === 1) {
    const src = args[0];
    if (src instanceof PyDict) for (const [k, v] of src.map.values()) d.set(k, v);
    else {
      const next = iterate(cx, src);
      for (let item = next(); item !== undefined; item = next()) {
        const pair = iterableToArray(cx, item);
        if (pair.length !== 2) throw valueError(`dictionary update sequence element #0 has length ${pair.length}; 2 is required`);
        d.set(pair[0], pair[1]);
      }
    }
  }
  if (kwargs) for (const [k, v] of kwargs) d.set(k, v);
  return d;
}
const dictType = defType('dict', (args, kwargs, cx) => fillDict(cx, new PyDict(), 'dict', args, kwargs));
dictType.dict.set(
  'fromkeys',
  new PyClassMethod(
    new Builtin('fromkeys', (args, kwargs, cx) => {
      noKwargs('fromkeys', kwargs);
      if (args.length < 2) throw typeError('fromkeys expected at least 1 argument, got 0');
      checkArgs('fromkeys', args.slice(1), 1, 2);
      const value = args.length > 2 ? args[2] : null;
      const d = new PyDict();
      const next = iterate(cx, args[1]);
      for (let key = next(); key !== undefined; key = next()) d.set(key, value);
      return d;
    }),
  ),
);
/** collections.OrderedDict (the collections module hands out this type object). */
defType('OrderedDict', (args, kwargs, cx) => fillDict(cx, new OrderedDict(), 'OrderedDict', args, kwargs), 'collections', 'dict');
defType('range', (args, kwargs, cx) => {
  noKwargs('range', kwargs);
  if (args.length === 0) throw typeError('range expected at least 1 argument, got 0');
  checkArgs('range', args, 1, 3);
  return makeRange(
    args.map((a) => {
      if (typeof a === 'bigint') return a;
      if (typeof a === 'boolean') return a ? 1n : 0n;
      throw typeError(`'${typeName(cx, a)}' object cannot be interpreted as an integer`);
    }),
  );
});
defType('set', (args, kwargs, cx) => {
  noKwargs('set', kwargs);
  return constructSet(cx, args, false);
});
defType('frozenset', (args, kwargs, cx) => {
  noKwargs('frozenset', kwargs);
  return constructSet(cx, args, true);
});
defType('type', (args, _kwargs, cx) => {
  checkArgs('type', args, 1, 1);
  return typeOf(cx, args[0]);
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
/** torch.Size: a tuple subclass the runner knows natively (tensor shapes). */
defType('Size', (args, _kwargs, cx) => new TorchSize(args.length ? iterableToArray(cx, args[0]) : []), 'torch', 'tuple');
