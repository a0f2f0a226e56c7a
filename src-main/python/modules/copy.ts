// The `copy` module: copy.copy (a new container or instance holding the same items) and
// copy.deepcopy (everything copied once, shared parts staying shared, as its memo does). A
// tensor is deep-copied as Tensor.__deepcopy__ does for a leaf: new storage, the same
// requires_grad, a Parameter staying a Parameter.
import { checkArgs } from '../args';
import type { Context, Value } from '../context';
import { PyException } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { typeName } from '../objects';
import { PySet } from '../sets';
import { typeOf } from '../types';
import { Builtin, makeModule, OrderedDict, PyDict, PyFunctionLike, PyInstance, PyList, PyModule, PyTuple, PyType, TorchSize } from '../values';

/** Classes whose instances are all in their attributes (the program's own, torch.nn's modules). */
function copiedByAttributes(v: PyInstance): boolean {
  return !v.cls.mro.some((c) => c.module !== undefined && c.module !== 'builtins' && c.module !== '__main__' && !c.module.startsWith('torch.nn'));
}

function emptyLike(d: PyDict): PyDict {
  return d instanceof OrderedDict ? new OrderedDict() : new PyDict();
}

function shallowCopy(cx: Context, v: Value): Value {
  if (v === null || typeof v !== 'object' || v instanceof PyTuple || v instanceof PyType || v instanceof PyFunctionLike || v instanceof PyModule) return v;
  if (v instanceof PyList) return new PyList(v.items.slice());
  if (v instanceof PyDict && (v.constructor === PyDict || v.constructor === OrderedDict)) {
    const d = emptyLike(v);
    for (const [k, x] of v.map.values()) d.set(k, x);
    return d;
  }
  if (v instanceof PySet) return new PySet([...v], v.frozen);
  if (v instanceof PyInstance && copiedByAttributes(v)) {
    const copy = new PyInstance(v.cls);
    for (const [k, x] of v.dict) copy.dict.set(k, x);
    return copy;
  }
  throw new PyException('NotImplementedError', `GradLab does not support copy.copy of a '${typeName(cx, v)}' object yet (line ${cx.line})`);
}

/** A tensor as Tensor.__deepcopy__ copies a leaf (through its own Python methods). */
function copyTensor(cx: Context, t: object): Value {
  if (cx.getAttr(t, 'is_leaf') !== true) {
    throw new PyException('RuntimeError', 'Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment');
  }
  const requiresGrad = cx.getAttr(t, 'requires_grad') === true;
  const data = cx.call(cx.getAttr(cx.call(cx.getAttr(t, 'detach'), [], null), 'clone'), [], null);
  if (typeName(cx, t) === 'Parameter') return cx.call(typeOf(cx, t), [data, requiresGrad], null);
  if (requiresGrad) cx.call(cx.getAttr(data, 'requires_grad_'), [], null);
  return data;
}

function deepCopy(cx: Context, v: Value, memo: Map<object, Value>): Value {
  if (v === null || typeof v !== 'object' || v instanceof PyType || v instanceof PyFunctionLike || v instanceof PyModule) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  if (v instanceof PyList) {
    const list = new PyList([]);
    memo.set(v, list);
    for (const x of v.items) list.items.push(deepCopy(cx, x, memo));
    return list;
  }
  if (v instanceof PyTuple) {
    const items = v.items.map((x) => deepCopy(cx, x, memo));
    const copy = v instanceof TorchSize ? new TorchSize(items) : new PyTuple(items);
    memo.set(v, copy);
    return copy;
  }
  if (v instanceof PyDict && (v.constructor === PyDict || v.constructor === OrderedDict)) {
    const d = emptyLike(v);
    memo.set(v, d);
    for (const [k, x] of v.map.values()) d.set(deepCopy(cx, k, memo), deepCopy(cx, x, memo));
    return d;
  }
  if (v instanceof PySet) {
    const s = new PySet([...v].map((x) => deepCopy(cx, x, memo)), v.frozen);
    memo.set(v, s);
    return s;
  }
  if (v instanceof PyInstance && copiedByAttributes(v)) {
    const copy = new PyInstance(v.cls);
    memo.set(v, copy);
    for (const [k, x] of v.dict) copy.dict.set(k, deepCopy(cx, x, memo));
    return copy;
  }
  const native = cx.nativeType(v);
  if (native && (native.name === 'Tensor' || native.name === 'Parameter')) {
    const copy = copyTensor(cx, v);
    memo.set(v, copy);
    return copy;
  }
  if (native && !native.setAttr && !native.setItem) return v; // immutable native values (dtypes, devices, bytes)
  throw new PyException('NotImplementedError', `GradLab does not support copy.deepcopy of a '${typeName(cx, v)}' object yet (line ${cx.line})`);
}

export const copyModule: ModuleDefinition = {
  name: 'copy',
  create: () =>
    makeModule('copy', {
      copy: new Builtin('copy', (args, _kwargs, cx) => {
        checkArgs('copy', args, 1, 1);
        return shallowCopy(cx, args[0]);
      }),
      deepcopy: new Builtin('deepcopy', (args, _kwargs, cx) => {
        checkArgs('deepcopy', args, 1, 2);
        return deepCopy(cx, args[0], new Map());
      }),
    }),
};
