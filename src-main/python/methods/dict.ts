// The methods of dict (keys/values/items return views that print like CPython's).
import { checkArgs } from '../args';
import { iterableToArray, keyError } from '../ops';
import { DictView, OrderedDict, PyDict, PyTuple, type MethodImpl } from '../values';

/** The methods of dict. */
export const DICT_METHODS: Readonly<Record<string, MethodImpl>> = {
  keys: (d: PyDict) => new DictView(d instanceof OrderedDict ? 'odict_keys' : 'dict_keys', Array.from(d.map.values(), (e) => e[0])),
  values: (d: PyDict) => new DictView(d instanceof OrderedDict ? 'odict_values' : 'dict_values', Array.from(d.map.values(), (e) => e[1])),
  items: (d: PyDict) => new DictView(d instanceof OrderedDict ? 'odict_items' : 'dict_items', Array.from(d.map.values(), (e) => new PyTuple([e[0], e[1]]))),
  get: (d: PyDict, a) => {
    checkArgs('get', a, 1, 2);
    const v = d.get(a[0]);
    return v === undefined ? (a.length > 1 ? a[1] : null) : v;
  },
  pop: (d: PyDict, a, _kw, cx) => {
    checkArgs('pop', a, 1, 2);
    const v = d.get(a[0]);
    if (v === undefined) {
      if (a.length > 1) return a[1];
      throw keyError(cx, a[0]);
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
  update: (d: PyDict, a, kw, cx) => {
    if (a.length) {
      const src = a[0];
      if (src instanceof PyDict) for (const [k, v] of src.map.values()) d.set(k, v);
      else for (const item of iterableToArray(cx, src)) {
        const pair = iterableToArray(cx, item);
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
