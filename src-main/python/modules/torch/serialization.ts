// torch.save / torch.load over a file store of the program's own. A learner's program is
// untrusted, so the runner never touches the disk: torch.save(obj, 'w.pt') keeps a copy of obj
// under that name for the rest of the program, and torch.load('w.pt') gives back a fresh copy of
// it, as unpickling a file gives fresh objects. A name never saved is PyTorch's
// FileNotFoundError. The copies follow pickle's rules: shared objects stay shared (saving [t, t]
// loads one tensor twice), tensors that shared a storage share one again (a saved view still
// writes through to its saved base), every loaded tensor is a leaf whose requires_grad is the
// saved tensor's (its .grad and grad_fn are not saved), nn.Parameter stays a Parameter, and
// modules and instances of the program's classes are copied with their attributes.
import { Tensor } from '../../../engine/index';
import type { Context, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { PySet } from '../../sets';
import { Builtin, OrderedDict, PyDict, PyInstance, PyList, pyStrRepr, PyTuple, PyType, TorchSize } from '../../values';
import { isModule } from './nn/module';
import { isParameter, makeParameter } from './nn/parameter';
import { bindArgs, TorchDevice, TorchDType } from './values';

/** What one copy keeps: each object copied once (pickle's memo), each storage copied once. */
interface CopyMemo {
  readonly objects: Map<object, Value>;
  readonly storages: Map<Tensor['_version'], Tensor>;
}

function copyTensor(cx: Context, t: Tensor, memo: CopyMemo): Tensor {
  let owner = memo.storages.get(t._version);
  if (!owner) {
    const storage = t._storageData();
    owner = Tensor.alloc(t.dtype, [storage.length], true);
    (owner._storage as Float64Array).set(storage as Float64Array);
    memo.storages.set(t._version, owner);
  }
  const copy = new Tensor(owner._storage, t.shape.slice(), t.dtype, owner._version, t._offset, t._strides === null ? null : t._strides.slice());
  const requiresGrad = t.requiresGrad;
  if (isParameter(t)) return makeParameter(copy, requiresGrad);
  if (requiresGrad) copy.requiresGrad_(true);
  return copy;
}

/** Classes whose instances are all in their attributes: the program's own and torch.nn's modules. */
function copiesByAttributes(v: PyInstance): boolean {
  const cls = v.cls;
  return isModule(v) || cls.mro.every((c) => c.module === '__main__' || (c.name === 'object' && (c.module === undefined || c.module === 'builtins')));
}

/** A deep copy as pickling and unpickling make it; what GradLab cannot copy says so by name. */
function copyValue(cx: Context, v: Value, memo: CopyMemo): Value {
  if (v === null || typeof v !== 'object') return v; // None, bool, int, float, str
  if (v instanceof TorchDType || v instanceof TorchDevice || v instanceof PyType) return v;
  const seen = memo.objects.get(v);
  if (seen !== undefined) return seen;
  let copy: Value;
  if (v instanceof Tensor) {
    copy = copyTensor(cx, v, memo);
  } else if (v instanceof PyList) {
    const list = new PyList([]);
    memo.objects.set(v, list);
    for (const item of v.items) list.items.push(copyValue(cx, item, memo));
    return list;
  } else if (v instanceof PyTuple) {
    const items = v.items.map((item) => copyValue(cx, item, memo));
    copy = v instanceof TorchSize ? new TorchSize(items) : new PyTuple(items);
  } else if (v instanceof PyDict && (v.constructor === PyDict || v.constructor === OrderedDict)) {
    const dict = v instanceof OrderedDict ? new OrderedDict() : new PyDict();
    memo.objects.set(v, dict);
    for (const [key, value] of v.map.values()) dict.set(copyValue(cx, key, memo), copyValue(cx, value, memo));
    return dict;
  } else if (v instanceof PySet) {
    copy = new PySet([...v].map((item) => copyValue(cx, item, memo)), v.frozen);
  } else if (v instanceof PyInstance && copiesByAttributes(v)) {
    const instance = new PyInstance(v.cls);
    memo.objects.set(v, instance);
    for (const [key, value] of v.dict) instance.dict.set(key, copyValue(cx, value, memo));
    return instance;
  } else {
    throw new PyException('NotImplementedError', `GradLab's torch.save does not support saving a '${typeName(cx, v)}' object yet; save tensors, numbers, strings and lists, tuples or dicts of them (a model's state_dict())`);
  }
  memo.objects.set(v, copy);
  return copy;
}

function deepCopy(cx: Context, v: Value): Value {
  return copyValue(cx, v, { objects: new Map(), storages: new Map() });
}

/** The name a path is kept under: './w.pt' and 'w.pt' are one file; the store has no folders. */
function fileName(path: string): { name: string; folder: string | null } {
  const parts = path.split('/');
  const last = parts.pop() ?? '';
  const folders = parts.filter((p) => p !== '.' && p !== '');
  const folder = folders.length > 0 || path.startsWith('/') ? path.slice(0, path.lastIndexOf('/')) : null;
  return { name: last, folder: folder === null ? null : folder === '' ? '/' : folder };
}

function checkMapLocation(cx: Context, where: Value): void {
  if (where === undefined || where === null || where instanceof PyDict) return;
  const device = where instanceof TorchDevice ? (where.index === null ? where.type : `${where.type}:${where.index}`) : where;
  if (device === 'cpu') return;
  if (typeof device !== 'string') throw typeError(`GradLab's torch.load does not support map_location of type '${typeName(cx, where)}' yet; use 'cpu'`);
  if (device.startsWith('cuda')) {
    throw new PyException(
      'RuntimeError',
      "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your storages to the CPU.",
    );
  }
  throw new PyException('RuntimeError', `don't know how to restore data location of torch.storage.UntypedStorage (tagged with ${device})`);
}

/** torch.save and torch.load, sharing one store: a fresh one for every program that imports torch. */
export function serializationFunctions(): Record<string, Value> {
  const files = new Map<string, Value>();
  return {
    save: new Builtin('save', (args, kwargs, cx) => {
      const a = bindArgs('save', args, kwargs, ['obj', 'f', 'pickle_module', 'pickle_protocol', '_use_new_zipfile_serialization']);
      if (a.obj === undefined) throw typeError("save() missing 2 required positional arguments: 'obj' and 'f'");
      if (a.f === undefined) throw typeError("save() missing 1 required positional argument: 'f'");
      const f = a.f;
      if (typeof f !== 'string') throw new PyException('AttributeError', `'${typeName(cx, f)}' object has no attribute 'write'`);
      const { name, folder } = fileName(f);
      if (folder !== null) throw new PyException('RuntimeError', `Parent directory ${folder} does not exist.`);
      if (name === '') throw new PyException('RuntimeError', `[enforce fail at inline_container.cc:354] . invalid file name: ${f}`);
      files.set(name, deepCopy(cx, a.obj));
      return null;
    }),
    load: new Builtin('load', (args, kwargs, cx) => {
      const a = bindArgs('load', args, kwargs, ['f', 'map_location', 'pickle_module', 'weights_only']);
      if (a.f === undefined) throw typeError("load() missing 1 required positional argument: 'f'");
      const f = a.f;
      if (typeof f !== 'string') {
        throw new PyException('AttributeError', `'${typeName(cx, f)}' object has no attribute 'seek'. You can only torch.load from a file that is seekable. Please pre-load the data into a buffer like io.BytesIO and try to load from it instead.`);
      }
      const { name, folder } = fileName(f);
      const saved = folder === null ? files.get(name) : undefined;
      if (saved === undefined) throw new PyException('FileNotFoundError', `[Errno 2] No such file or directory: ${pyStrRepr(f)}`);
      checkMapLocation(cx, a.map_location);
      return deepCopy(cx, saved);
    }),
  };
}
