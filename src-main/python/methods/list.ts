// The methods of list and tuple, and the sort behind sorted() and list.sort().
import { checkArgs, kwarg } from '../args';
import type { Context, Value } from '../context';
import { PyException, typeError, valueError } from '../errors';
import { compareValues, pyEquals, repr, truthy, typeName } from '../objects';
import { iterableToArray } from '../ops';
import { reserveGrowth, SLOT_BYTES } from '../sizes';
import { appendAll, PyList, PyTuple, type MethodImpl } from '../values';

/** sorted() / list.sort(): a stable sort by key, like CPython's. */
export function sortItems(cx: Context, items: Value[], key: Value, reverse: boolean): Value[] {
  const keyed = items.map((v) => ({ v, k: key !== null && key !== undefined ? cx.call(key, [v], null) : v }));
  keyed.sort((a, b) => {
    const c = compareValues(cx, a.k, b.k, '<');
    return reverse ? -c : c;
  });
  return keyed.map((x) => x.v);
}


function listIndexArg(cx: Context, v: Value): number {
  if (typeof v === 'bigint' || typeof v === 'boolean') return Number(v);
  throw typeError(`'${typeName(cx, v)}' object cannot be interpreted as an integer`);
}

/** The methods of list. */
export const LIST_METHODS: Readonly<Record<string, MethodImpl>> = {
  append: (l: PyList, a) => {
    checkArgs('list.append', a, 1, 1);
    const n = l.items.length;
    reserveGrowth(n, n + 1, SLOT_BYTES);
    l.items.push(a[0]);
    return null;
  },
  extend: (l: PyList, a, _kw, cx) => {
    checkArgs('list.extend', a, 1, 1);
    appendAll(l.items, iterableToArray(cx, a[0]));
    return null;
  },
  insert: (l: PyList, a, _kw, cx) => {
    checkArgs('insert', a, 2, 2);
    let i = listIndexArg(cx, a[0]);
    const n = l.items.length;
    if (i < 0) i = Math.max(0, i + n);
    reserveGrowth(n, n + 1, SLOT_BYTES);
    // at the end (l.insert(len(l), x)) a push: splice there costs several times as much
    if (i >= n) l.items.push(a[1]);
    else l.items.splice(i, 0, a[1]);
    return null;
  },
  pop: (l: PyList, a, _kw, cx) => {
    checkArgs('pop', a, 0, 1);
    if (l.items.length === 0) throw new PyException('IndexError', 'pop from empty list');
    let i = a.length ? listIndexArg(cx, a[0]) : l.items.length - 1;
    if (i < 0) i += l.items.length;
    if (i < 0 || i >= l.items.length) throw new PyException('IndexError', 'pop index out of range');
    return l.items.splice(i, 1)[0];
  },
  remove: (l: PyList, a, _kw, cx) => {
    checkArgs('list.remove', a, 1, 1);
    const i = l.items.findIndex((x) => pyEquals(cx, x, a[0]));
    if (i < 0) throw valueError('list.remove(x): x not in list');
    l.items.splice(i, 1);
    return null;
  },
  index: (l: PyList | PyTuple, a, _kw, cx) => {
    const i = l.items.findIndex((x) => pyEquals(cx, x, a[0]));
    if (i < 0) throw valueError(l instanceof PyList ? `${repr(cx, a[0])} is not in list` : 'tuple.index(x): x not in tuple');
    return BigInt(i);
  },
  count: (l: PyList | PyTuple, a, _kw, cx) => BigInt(l.items.filter((x) => pyEquals(cx, x, a[0])).length),
  sort: (l: PyList, a, kw, cx) => {
    if (a.length) throw typeError('sort() takes no positional arguments');
    const k = kwarg('sort', kw, ['key', 'reverse']);
    l.items = sortItems(cx, l.items, k.key ?? null, truthy(cx, k.reverse ?? false));
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

/** The methods of tuple. */
export const TUPLE_METHODS: Readonly<Record<string, MethodImpl>> = { index: LIST_METHODS.index, count: LIST_METHODS.count };
