// nn.ModuleDict, nn.ParameterList and nn.ParameterDict as PyTorch 1.13's container.py defines
// them: submodules / parameters registered under their keys (so parameters(), state_dict() and
// printing see them), dict- or list-like access, and PyTorch's messages. (nn.Sequential and
// nn.ModuleList are in layers.ts.)
import { Tensor } from '../../../../engine/index';
import { checkArgs } from '../../../args';
import { delAttr, getAttr, setAttr } from '../../../attributes';
import type { Context, Value } from '../../../context';
import { PyException, typeError, valueError } from '../../../errors';
import { typeName } from '../../../objects';
import { iterableToArray, keyError } from '../../../ops';
import { sliceIndices } from '../../../subscript';
import { DictView, OrderedDict, PyDict, PyInstance, PyIterator, PySlice, PyTuple } from '../../../values';
import { bind } from './functional';
import { layer } from './layers';
import { addModule, initModule, torchTypename } from './module';
import { isParameter, makeParameter } from './parameter';

function modulesOf(cx: Context, self: PyInstance): OrderedDict {
  const modules = getAttr(cx, self, '_modules');
  if (!(modules instanceof OrderedDict)) throw new PyException('AttributeError', `'${typeName(cx, self)}' object has no attribute '_modules'`);
  return modules;
}

function keysIterator(keys: Value[]): PyIterator {
  let i = 0;
  return new PyIterator('odict_iterator', () => (i < keys.length ? keys[i++] : undefined));
}

/**
 * The pairs of ModuleDict.update / ParameterDict.update's argument: a mapping's items (a plain
 * dict sorted by key when `sortPlainDict`, as ParameterDict does), or an iterable of 2-item
 * iterables, checked with PyTorch's messages.
 */
function updatePairs(cx: Context, source: Value, what: string, sortPlainDict: boolean, same: (v: Value) => boolean): [Value, Value][] {
  if (source instanceof PyDict || same(source)) {
    const pairs: [Value, Value][] =
      source instanceof PyDict ? [...source.map.values()].map(([k, v]) => [k, v]) : iterableToArray(cx, callItems(cx, source)).map((p) => (p as PyTuple).items as [Value, Value]);
    if (sortPlainDict && source instanceof PyDict && !(source instanceof OrderedDict)) {
      pairs.sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    }
    return pairs;
  }
  let items: Value[];
  try {
    items = iterableToArray(cx, source);
  } catch (error) {
    if (error instanceof PyException && error.pyType === 'TypeError') {
      throw typeError(`${what}.update should be called with an iterable of key/value pairs, but got ${typeName(cx, source)}`);
    }
    throw error;
  }
  const element = what === 'ModuleDict' ? 'ModuleDict' : 'ParameterDict';
  return items.map((item, j) => {
    let pair: Value[];
    try {
      pair = iterableToArray(cx, item);
    } catch (error) {
      if (error instanceof PyException && error.pyType === 'TypeError') throw typeError(`${element} update sequence element #${j} should be Iterable; is${typeName(cx, item)}`);
      throw error;
    }
    if (pair.length !== 2) throw valueError(`${element} update sequence element #${j} has length ${pair.length}; 2 is required`);
    return [pair[0], pair[1]];
  });
}

function callItems(cx: Context, v: Value): Value {
  return cx.call(getAttr(cx, v, 'items'), [], null);
}

// ---- nn.ModuleDict ----

function updateModuleDict(cx: Context, self: PyInstance, modules: Value): void {
  for (const [key, module] of updatePairs(cx, modules, 'ModuleDict', false, (v) => v instanceof PyInstance && v.cls === MODULE_DICT_CLASS)) {
    addModule(cx, self, key, module);
  }
}

export const MODULE_DICT_CLASS = layer('ModuleDict', {
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('ModuleDict.__init__', args, kwargs, ['modules'], 0);
    initModule(self);
    if ((k.modules ?? null) !== null) updateModuleDict(cx, self, k.modules!);
    return null;
  },
  __getitem__(self: PyInstance, args, _kwargs, cx) {
    const module = modulesOf(cx, self).get(args[0]);
    if (module === undefined) throw keyError(cx, args[0]);
    return module;
  },
  __setitem__(self: PyInstance, args, _kwargs, cx) {
    addModule(cx, self, args[0], args[1]);
    return null;
  },
  __delitem__(self: PyInstance, args, _kwargs, cx) {
    if (!modulesOf(cx, self).delete(args[0])) throw keyError(cx, args[0]);
    return null;
  },
  __len__: (self: PyInstance, _args, _kwargs, cx) => BigInt(modulesOf(cx, self).map.size),
  __iter__: (self: PyInstance, _args, _kwargs, cx) => keysIterator([...modulesOf(cx, self).map.values()].map(([k]) => k)),
  __contains__: (self: PyInstance, args, _kwargs, cx) => modulesOf(cx, self).has(args[0]),
  clear(self: PyInstance, args, _kwargs, cx) {
    checkArgs('clear', args, 0, 0);
    modulesOf(cx, self).map.clear();
    return null;
  },
  pop(self: PyInstance, args, _kwargs, cx) {
    checkArgs('pop', args, 1, 1);
    const modules = modulesOf(cx, self);
    const module = modules.get(args[0]);
    if (module === undefined) throw keyError(cx, args[0]);
    modules.delete(args[0]);
    return module;
  },
  keys: (self: PyInstance, _args, _kwargs, cx) => new DictView('odict_keys', [...modulesOf(cx, self).map.values()].map(([k]) => k)),
  values: (self: PyInstance, _args, _kwargs, cx) => new DictView('odict_values', [...modulesOf(cx, self).map.values()].map(([, v]) => v)),
  items: (self: PyInstance, _args, _kwargs, cx) => new DictView('odict_items', [...modulesOf(cx, self).map.values()].map(([k, v]) => new PyTuple([k, v]))),
  update(self: PyInstance, args, _kwargs, cx) {
    checkArgs('update', args, 1, 1);
    updateModuleDict(cx, self, args[0]);
    return null;
  },
});

// ---- nn.ParameterList and nn.ParameterDict ----

/** A tensor that is not a Parameter becomes one (ParameterList/ParameterDict's __setitem__). */
function asParameter(v: Value): Value {
  return v instanceof Tensor && !isParameter(v) ? makeParameter(v) : v;
}

/** One line of the containers' extra_repr: '  (0): Parameter containing: [torch.float32 of size 2x3]'. */
function containedLine(cx: Context, key: Value, p: Value, dtypeName: (t: Tensor) => string): string {
  if (p instanceof Tensor) {
    return `  (${String(key)}): ${isParameter(p) ? 'Parameter' : 'Tensor'} containing: [${dtypeName(p)} of size ${p.shape.join('x')}]`;
  }
  return `  (${String(key)}): Object of type: ${typeName(cx, p)}`;
}

function listSize(cx: Context, self: PyInstance): number {
  return Number(getAttr(cx, self, '_size') as bigint);
}

/** ParameterList._get_abs_string_index */
function listKey(cx: Context, self: PyInstance, index: Value): string {
  if (typeof index !== 'bigint' && typeof index !== 'boolean') throw typeError(`'${typeName(cx, index)}' object cannot be interpreted as an integer`);
  const n = listSize(cx, self);
  const i = Number(index);
  if (!(-n <= i && i < n)) throw new PyException('IndexError', `index ${i} is out of range`);
  return String(i < 0 ? i + n : i);
}

function listAppend(cx: Context, self: PyInstance, value: Value): void {
  const n = listSize(cx, self);
  setAttr(cx, self, '_size', BigInt(n + 1));
  setAttr(cx, self, String(n), asParameter(value));
}

function listExtend(cx: Context, self: PyInstance, values: Value): PyInstance {
  if (values instanceof Tensor) throw typeError(`ParameterList.extend should be called with an iterable, but got ${torchTypename(cx, values).replace(/^torch\./, '')}`);
  let items: Value[];
  try {
    items = iterableToArray(cx, values);
  } catch (error) {
    if (error instanceof PyException && error.pyType === 'TypeError') throw typeError(`ParameterList.extend should be called with an iterable, but got ${typeName(cx, values)}`);
    throw error;
  }
  for (const v of items) listAppend(cx, self, v);
  return self;
}

function listItems(cx: Context, self: PyInstance): Value[] {
  const n = listSize(cx, self);
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(getAttr(cx, self, String(i)));
  return out;
}

export const PARAMETER_LIST_CLASS = layer('ParameterList', {
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('ParameterList.__init__', args, kwargs, ['values'], 0);
    initModule(self);
    setAttr(cx, self, '_size', 0n);
    if ((k.values ?? null) !== null) listExtend(cx, self, k.values!);
    return null;
  },
  __getitem__(self: PyInstance, args, _kwargs, cx) {
    const index = args[0];
    if (index instanceof PySlice) {
      const [start, , step, count] = sliceIndices(index, listSize(cx, self));
      const out = cx.call(self.cls, [], null) as PyInstance;
      for (let i = 0, j = start; i < count; i++, j += step) listAppend(cx, out, getAttr(cx, self, String(j)));
      return out;
    }
    return getAttr(cx, self, listKey(cx, self, index));
  },
  __setitem__(self: PyInstance, args, _kwargs, cx) {
    setAttr(cx, self, listKey(cx, self, args[0]), asParameter(args[1]));
    return null;
  },
  __len__: (self: PyInstance, _args, _kwargs, cx) => BigInt(listSize(cx, self)),
  __iter__: (self: PyInstance, _args, _kwargs, cx) => keysIterator(listItems(cx, self)),
  append(self: PyInstance, args, _kwargs, cx) {
    checkArgs('append', args, 1, 1);
    listAppend(cx, self, args[0]);
    return self;
  },
  extend(self: PyInstance, args, _kwargs, cx) {
    checkArgs('extend', args, 1, 1);
    return listExtend(cx, self, args[0]);
  },
  extra_repr: (self: PyInstance, _args, _kwargs, cx) => listItems(cx, self).map((p, i) => containedLine(cx, i, p, (t) => `torch.${t.dtype}`)).join('\n'),
  __call__() {
    throw new PyException('RuntimeError', 'ParameterList should not be called.');
  },
});

function dictKeys(cx: Context, self: PyInstance): PyDict {
  const keys = getAttr(cx, self, '_keys');
  if (!(keys instanceof PyDict)) throw new PyException('AttributeError', `'${typeName(cx, self)}' object has no attribute '_keys'`);
  return keys;
}

/** ParameterDict._key_to_attr */
function dictAttr(cx: Context, key: Value): string {
  if (typeof key !== 'string') {
    throw typeError(
      `Index given to ParameterDict cannot be used as a key as it is not a string (type is '${typeName(cx, key)}'). Open an issue on github if you need non-string keys.`,
    );
  }
  return key;
}

function dictSet(cx: Context, self: PyInstance, key: Value, value: Value): void {
  dictKeys(cx, self).set(key, null);
  setAttr(cx, self, dictAttr(cx, key), asParameter(value));
}

function dictDelete(cx: Context, self: PyInstance, key: Value): void {
  if (!dictKeys(cx, self).delete(key)) throw keyError(cx, key);
  delAttr(cx, self, dictAttr(cx, key));
}

function dictKeyList(cx: Context, self: PyInstance): Value[] {
  return [...dictKeys(cx, self).map.values()].map(([k]) => k);
}

function updateParameterDict(cx: Context, self: PyInstance, parameters: Value): void {
  for (const [key, p] of updatePairs(cx, parameters, 'ParametersDict', true, (v) => v instanceof PyInstance && v.cls === PARAMETER_DICT_CLASS)) dictSet(cx, self, key, p);
}

export const PARAMETER_DICT_CLASS = layer('ParameterDict', {
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('ParameterDict.__init__', args, kwargs, ['parameters'], 0);
    initModule(self);
    setAttr(cx, self, '_keys', new PyDict());
    if ((k.parameters ?? null) !== null) updateParameterDict(cx, self, k.parameters!);
    return null;
  },
  __getitem__: (self: PyInstance, args, _kwargs, cx) => getAttr(cx, self, dictAttr(cx, args[0])),
  __setitem__(self: PyInstance, args, _kwargs, cx) {
    dictSet(cx, self, args[0], args[1]);
    return null;
  },
  __delitem__(self: PyInstance, args, _kwargs, cx) {
    dictDelete(cx, self, args[0]);
    return null;
  },
  __len__: (self: PyInstance, _args, _kwargs, cx) => BigInt(dictKeys(cx, self).map.size),
  __iter__: (self: PyInstance, _args, _kwargs, cx) => keysIterator(dictKeyList(cx, self)),
  __contains__: (self: PyInstance, args, _kwargs, cx) => dictKeys(cx, self).has(args[0]),
  keys: (self: PyInstance, _args, _kwargs, cx) => new DictView('dict_keys', dictKeyList(cx, self)),
  values: (self: PyInstance, _args, _kwargs, cx) => keysIterator(dictKeyList(cx, self).map((k) => getAttr(cx, self, dictAttr(cx, k)))),
  items: (self: PyInstance, _args, _kwargs, cx) => keysIterator(dictKeyList(cx, self).map((k) => new PyTuple([k, getAttr(cx, self, dictAttr(cx, k))]))),
  get(self: PyInstance, args, _kwargs, cx) {
    checkArgs('get', args, 1, 2);
    return dictKeys(cx, self).has(args[0]) ? getAttr(cx, self, dictAttr(cx, args[0])) : (args[1] ?? null);
  },
  pop(self: PyInstance, args, _kwargs, cx) {
    checkArgs('pop', args, 1, 1);
    const v = getAttr(cx, self, dictAttr(cx, args[0]));
    dictDelete(cx, self, args[0]);
    return v;
  },
  update(self: PyInstance, args, _kwargs, cx) {
    checkArgs('update', args, 1, 1);
    updateParameterDict(cx, self, args[0]);
    return null;
  },
  extra_repr: (self: PyInstance, _args, _kwargs, cx) =>
    dictKeyList(cx, self)
      .map((k) => containedLine(cx, k, getAttr(cx, self, dictAttr(cx, k)), (t) => torchTypename(cx, t)))
      .join('\n'),
  __call__() {
    throw new PyException('RuntimeError', 'ParameterDict should not be called.');
  },
});

export const CONTAINER_CLASSES = [MODULE_DICT_CLASS, PARAMETER_LIST_CLASS, PARAMETER_DICT_CLASS];
