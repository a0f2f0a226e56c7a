// The methods of set and frozenset (the set algebra itself is in sets.ts).
import { checkArgs } from '../args';
import type { Context, Value } from '../context';
import { PyException } from '../errors';
import { iterableToArray, keyError } from '../ops';
import { isSubset, PySet, setAssign, setCopy, setDifference, setIntersection, setMerge, setSymmetricDifference, setUnion } from '../sets';
import type { MethodImpl } from '../values';

/** The members of an argument (any iterable), as a set (the argument itself when it is one). */
function asSet(cx: Context, v: Value): PySet {
  return v instanceof PySet ? v : new PySet(iterableToArray(cx, v));
}

function mutable(_cx: Context, s: PySet, method: string): PySet {
  if (s.frozen) throw new PyException('AttributeError', `'frozenset' object has no attribute '${method}'`);
  return s;
}

function many(cx: Context, s: PySet, args: Value[], combine: (a: PySet, b: PySet) => PySet): PySet {
  let out = s.frozen ? s : setCopy(s);
  if (args.length === 0) return setCopy(s);
  for (const a of args) out = combine(out, asSet(cx, a));
  return out;
}

export const SET_METHODS: Readonly<Record<string, MethodImpl>> = {
  add: (s: PySet, a, _kw, cx) => {
    checkArgs('set.add', a, 1, 1);
    mutable(cx, s, 'add').add(a[0]);
    return null;
  },
  remove: (s: PySet, a, _kw, cx) => {
    checkArgs('set.remove', a, 1, 1);
    if (!mutable(cx, s, 'remove').discard(a[0])) throw keyError(cx, a[0]);
    return null;
  },
  discard: (s: PySet, a, _kw, cx) => {
    checkArgs('set.discard', a, 1, 1);
    mutable(cx, s, 'discard').discard(a[0]);
    return null;
  },
  pop: (s: PySet, _a, _kw, cx) => {
    const v = mutable(cx, s, 'pop').pop();
    if (v === undefined) throw keyError(cx, 'pop from an empty set');
    return v;
  },
  clear: (s: PySet, _a, _kw, cx) => {
    mutable(cx, s, 'clear').clear();
    return null;
  },
  copy: (s: PySet) => setCopy(s),
  update: (s: PySet, a, _kw, cx) => {
    mutable(cx, s, 'update');
    for (const x of a) setMerge(s, asSet(cx, x));
    return null;
  },
  union: (s: PySet, a, _kw, cx) => many(cx, s, a, setUnion),
  intersection: (s: PySet, a, _kw, cx) => many(cx, s, a, setIntersection),
  difference: (s: PySet, a, _kw, cx) => many(cx, s, a, setDifference),
  symmetric_difference: (s: PySet, a, _kw, cx) => {
    checkArgs('symmetric_difference', a, 1, 1);
    return setSymmetricDifference(s, asSet(cx, a[0]));
  },
  intersection_update: (s: PySet, a, _kw, cx) => {
    setAssign(mutable(cx, s, 'intersection_update'), many(cx, s, a, setIntersection));
    return null;
  },
  difference_update: (s: PySet, a, _kw, cx) => {
    setAssign(mutable(cx, s, 'difference_update'), many(cx, s, a, setDifference));
    return null;
  },
  symmetric_difference_update: (s: PySet, a, _kw, cx) => {
    checkArgs('symmetric_difference_update', a, 1, 1);
    setAssign(mutable(cx, s, 'symmetric_difference_update'), setSymmetricDifference(s, asSet(cx, a[0])));
    return null;
  },
  issubset: (s: PySet, a, _kw, cx) => {
    checkArgs('issubset', a, 1, 1);
    return isSubset(s, asSet(cx, a[0]));
  },
  issuperset: (s: PySet, a, _kw, cx) => {
    checkArgs('issuperset', a, 1, 1);
    return isSubset(asSet(cx, a[0]), s);
  },
  isdisjoint: (s: PySet, a, _kw, cx) => {
    checkArgs('isdisjoint', a, 1, 1);
    const other = asSet(cx, a[0]);
    for (const x of s) if (other.has(x)) return false;
    return true;
  },
};

/** set(iterable) / frozenset(iterable) */
export function constructSet(cx: Context, args: Value[], frozen: boolean): PySet {
  const name = frozen ? 'frozenset' : 'set';
  checkArgs(name, args, 0, 1);
  if (args.length === 0) return new PySet([], frozen);
  const src = args[0];
  if (src instanceof PySet) return frozen && src.frozen ? src : setCopy(src, frozen);
  return new PySet(iterableToArray(cx, src), frozen);
}
