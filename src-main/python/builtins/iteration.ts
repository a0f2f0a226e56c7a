// Built-in functions over iterables: len, min, max, sum, enumerate, zip, map, filter, reversed,
// sorted, any, all, iter, next.
import { asInt, checkArgs, kwarg, noKwargs } from '../args';
import type { Context, Kwargs, Value } from '../context';
import { PyException, typeError, valueError } from '../errors';
import { sortItems } from '../methods/list';
import { truthy, typeName } from '../objects';
import { binaryOp, compareOp, iterableToArray, iterate, length, nativeOf } from '../ops';
import { PyDict, PyIterator, PyList, PyRange, PyTuple, type NativeFn } from '../values';
import { rangeIterator, rangeLen, reversedRange } from '../ranges';

function minMax(cx: Context, name: 'min' | 'max', args: Value[], kwargs: Kwargs): Value {
  const k = kwarg(name, kwargs, ['key', 'default']);
  let items: Value[];
  if (args.length === 0) throw typeError(`${name} expected at least 1 argument, got 0`);
  if (args.length === 1) {
    items = iterableToArray(cx, args[0]);
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
  let bestKey = key ? cx.call(key, [best], null) : best;
  for (let i = 1; i < items.length; i++) {
    const kv = key ? cx.call(key, [items[i]], null) : items[i];
    const better = name === 'max' ? truthy(cx, compareOp(cx, '>', kv, bestKey)) : truthy(cx, compareOp(cx, '<', kv, bestKey));
    if (better) {
      best = items[i];
      bestKey = kv;
    }
  }
  return best;
}

/** len, min, max, sum and the iterator builtins. */
export const ITERATION_BUILTINS: Readonly<Record<string, NativeFn>> = {
  len: (args, kwargs, cx) => {
    noKwargs('len', kwargs);
    checkArgs('len', args, 1, 1);
    if (args[0] instanceof PyRange) return rangeLen(args[0]); // exact past 2**53
    return BigInt(length(cx, args[0]));
  },

  min: (args, kwargs, cx) => minMax(cx, 'min', args, kwargs),
  max: (args, kwargs, cx) => minMax(cx, 'max', args, kwargs),
  sum: (args, kwargs, cx) => {
    const k = kwarg('sum', kwargs, ['start']);
    checkArgs('sum', args, 1, 2);
    let total: Value = args.length > 1 ? args[1] : k.start !== undefined ? k.start : 0n;
    if (typeof total === 'string') throw typeError("sum() can't sum strings [use ''.join(seq) instead]");
    const next = iterate(cx, args[0]);
    for (let v = next(); v !== undefined; v = next()) {
      total = typeof total === 'number' && typeof v === 'number' ? total + v : binaryOp(cx, '+', total, v);
    }
    return total;
  },

  enumerate: (args, kwargs, cx) => {
    const k = kwarg('enumerate', kwargs, ['start']);
    checkArgs('enumerate', args, 1, 2);
    let i = asInt(cx, args.length > 1 ? args[1] : k.start !== undefined ? k.start : 0n);
    const next = iterate(cx, args[0]);
    return new PyIterator('enumerate', () => {
      const v = next();
      if (v === undefined) return undefined;
      return new PyTuple([i++, v]);
    });
  },

  zip: (args, kwargs, cx) => {
    kwarg('zip', kwargs, ['strict']);
    const nexts = args.map((a) => iterate(cx, a));
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
  },

  map: (args, _kwargs, cx) => {
    if (args.length < 2) throw typeError('map() must have at least two arguments.');
    const fn = args[0];
    const nexts = args.slice(1).map((a) => iterate(cx, a));
    return new PyIterator('map', () => {
      const items: Value[] = [];
      for (const n of nexts) {
        const v = n();
        if (v === undefined) return undefined;
        items.push(v);
      }
      return cx.call(fn, items, null);
    });
  },

  filter: (args, _kwargs, cx) => {
    checkArgs('filter', args, 2, 2);
    const fn = args[0];
    const next = iterate(cx, args[1]);
    return new PyIterator('filter', () => {
      for (let v = next(); v !== undefined; v = next()) {
        if (fn === null ? truthy(cx, v) : truthy(cx, cx.call(fn, [v], null))) return v;
      }
      return undefined;
    });
  },

  reversed: (args, _kwargs, cx) => {
    checkArgs('reversed', args, 1, 1);
    const v = args[0];
    if (v instanceof PyRange) return new PyIterator('range_iterator', rangeIterator(reversedRange(v)));
    let items: Value[];
    if (v instanceof PyList || v instanceof PyTuple || typeof v === 'string') items = iterableToArray(cx, v);
    else if (nativeOf(cx, v)?.iterate) items = iterableToArray(cx, v);
    else throw typeError(`'${typeName(cx, v)}' object is not reversible`);
    let i = items.length;
    return new PyIterator(v instanceof PyList ? 'list_reverseiterator' : 'reversed', () => (i > 0 ? items[--i] : undefined));
  },

  sorted: (args, kwargs, cx) => {
    const k = kwarg('sorted', kwargs, ['key', 'reverse']);
    checkArgs('sorted', args, 1, 1);
    return new PyList(sortItems(cx, iterableToArray(cx, args[0]), k.key ?? null, truthy(cx, k.reverse ?? false)));
  },

  any: (args, _kwargs, cx) => {
    checkArgs('any', args, 1, 1);
    const next = iterate(cx, args[0]);
    for (let v = next(); v !== undefined; v = next()) if (truthy(cx, v)) return true;
    return false;
  },
  all: (args, _kwargs, cx) => {
    checkArgs('all', args, 1, 1);
    const next = iterate(cx, args[0]);
    for (let v = next(); v !== undefined; v = next()) if (!truthy(cx, v)) return false;
    return true;
  },

  iter: (args, _kwargs, cx) => {
    checkArgs('iter', args, 1, 1);
    const v = args[0];
    if (v instanceof PyIterator) return v;
    const kind = v instanceof PyList ? 'list_iterator' : v instanceof PyTuple ? 'tuple_iterator' : v instanceof PyRange ? 'range_iterator' : typeof v === 'string' ? 'str_ascii_iterator' : v instanceof PyDict ? 'dict_keyiterator' : 'iterator';
    return new PyIterator(kind, iterate(cx, v));
  },
  next: (args, _kwargs, cx) => {
    checkArgs('next', args, 1, 2);
    const it = args[0];
    if (!(it instanceof PyIterator)) throw typeError(`'${typeName(cx, it)}' object is not an iterator`);
    const v = it.next();
    if (v !== undefined) return v;
    if (args.length > 1) return args[1];
    throw new PyException('StopIteration', '');
  },
};
