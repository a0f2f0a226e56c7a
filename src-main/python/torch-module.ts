// The `torch` module: Python names bound to the engine. Python scalars are passed to the engine
// with their int/float kind (engine PyScalar) so dtype promotion matches PyTorch; results come
// back as Python values (int64 -> int, float32 -> float, bool -> bool).
import { markNodeLive, markTensorLive, pyFloat, Tensor, torch as engine, type DType, type NestedArray } from '../engine/index';
import type { Node } from '../engine/autograd';
import { builtinModule, callMethod, checkArgs, kwarg, registerModule, registerType, toFloat, unsupportedModuleAttrs } from './builtins';
import { PyException, typeError, unsupported } from './errors';
import { currentRuntime } from './interp';
import { iterableToArray, sliceIndices, tensorOps, type TensorOps } from './ops';
import { formatValue } from './strformat';
import {
  Builtin,
  foreign,
  objectAddress,
  PyContextManager,
  PyList,
  PySlice,
  PyTuple,
  PyType,
  TorchSize,
  typeName,
  type MethodImpl,
  type Value,
} from './values';

type Kwargs = Map<string, Value> | null;

/** torch.float32 and friends. */
export class TorchDType {
  constructor(
    readonly dtype: DType,
    readonly pyName: string,
  ) {}
}
const FLOAT32 = new TorchDType('float32', 'torch.float32');
const INT64 = new TorchDType('int64', 'torch.int64');
const BOOL = new TorchDType('bool', 'torch.bool');
const DTYPE_OBJECTS: Record<DType, TorchDType> = { float32: FLOAT32, int64: INT64, bool: BOOL };

/** A grad_fn as Python sees it: one wrapper per engine node, so `a.grad_fn is b.grad_fn` works. */
export class GradFnRef {
  constructor(readonly node: { readonly name: string }) {}
}
const gradFnRefs = new WeakMap<object, GradFnRef>();
function gradFnOf(t: Tensor): GradFnRef | null {
  const node = t.gradFn;
  if (!node) return null;
  let ref = gradFnRefs.get(node);
  if (!ref) {
    ref = new GradFnRef(node);
    gradFnRefs.set(node, ref);
  }
  return ref;
}

class TorchDevice {
  constructor(readonly type: string) {}
}
const CPU = new TorchDevice('cpu');

// ---------- conversions ----------

/** A Python scalar as the engine wants it (integral Python floats keep their float kind). */
function scalarArg(v: Value): number | boolean | ReturnType<typeof pyFloat> | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? pyFloat(v) : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v;
  return undefined;
}

type Operand = Tensor | number | boolean | ReturnType<typeof pyFloat>;
function operand(v: Value): Operand | undefined {
  if (v instanceof Tensor) return v;
  return scalarArg(v);
}

/** Python value of one element of a tensor with this dtype. */
function elementValue(x: number, dtype: DType): Value {
  if (dtype === 'int64') return BigInt(x);
  if (dtype === 'bool') return x !== 0;
  return x;
}

function toPyList(v: unknown, dtype: DType): Value {
  if (Array.isArray(v)) return new PyList(v.map((x) => toPyList(x, dtype)));
  if (typeof v === 'boolean') return v;
  return elementValue(v as number, dtype);
}

function dataArg(v: Value, where: string): NestedArray | ReturnType<typeof pyFloat> {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x) => dataArg(x, where)) as NestedArray;
  const s = scalarArg(v);
  if (s !== undefined) return s as NestedArray;
  if (v instanceof Tensor) {
    if (v.numel() !== 1 || v.dim() !== 0) {
      throw new PyException('ValueError', 'only one element tensors can be converted to Python scalars');
    }
    const x = v.item();
    return (v.dtype === 'float32' ? pyFloat(x) : v.dtype === 'bool' ? x !== 0 : x) as NestedArray;
  }
  throw typeError(`Could not infer dtype of ${typeName(v)}`);
}

function dtypeArg(v: Value): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof TorchDType) return v.dtype;
  if (v instanceof PyType) {
    if (v.name === 'float') return 'float32';
    if (v.name === 'int') return 'int64';
    if (v.name === 'bool') return 'bool';
  }
  throw typeError(`dtype must be torch.dtype, not ${typeName(v)}`);
}

function intArg(v: Value, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor && v.numel() === 1 && v.dtype !== 'float32') return v.item();
  throw typeError(`${what} must be int, not ${typeName(v)}`);
}

/** Shape from `(2, 3)`, `[2, 3]` or varargs `2, 3`. */
function shapeArgs(name: string, args: Value[]): number[] {
  if (args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList)) {
    return (args[0] as PyList).items.map((x) => intArg(x, `${name}(): argument 'size'`));
  }
  return args.map((x) => {
    if (typeof x !== 'bigint' && typeof x !== 'boolean') {
      throw typeError(`${name}(): argument 'size' must be tuple of ints, but found element of type ${typeName(x)} at pos 0`);
    }
    return Number(x);
  });
}

function creationOpts(name: string, kwargs: Kwargs, extra: string[] = []): { opts: { requiresGrad?: boolean; dtype?: DType }; rest: Record<string, Value> } {
  const k = kwarg(name, kwargs, ['dtype', 'requires_grad', 'device', ...extra]);
  if (k.device !== undefined && k.device !== null && k.device !== 'cpu' && k.device !== CPU) {
    throw new PyException('NotImplementedError', `GradLab runs on the CPU only; remove device=${typeof k.device === 'string' ? `'${k.device}'` : '...'} (line ${currentRuntime().line})`);
  }
  const opts: { requiresGrad?: boolean; dtype?: DType } = {};
  const dt = dtypeArg(k.dtype);
  if (dt) opts.dtype = dt;
  if (k.requires_grad !== undefined) opts.requiresGrad = k.requires_grad === true || k.requires_grad === 1n;
  return { opts, rest: k };
}

function asTensor(v: Value, fname: string, argName = 'input'): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fname}(): argument '${argName}' (position 1) must be Tensor, not ${typeName(v)}`);
}

function notSupported(what: string): PyException {
  return unsupported(what, currentRuntime().line);
}

// ---------- indexing ----------

/**
 * t[a:b] along the first dimension. Only steps of 1: the engine's tensors are contiguous, and a
 * slice with a step (or of a later dimension) would need strided views.
 */
function sliceFirstDim(t: Tensor, slice: PySlice): Tensor {
  if (t.dim() === 0) throw new PyException('IndexError', 'slice() cannot be applied to a 0-dim tensor.');
  const [start, , step, count] = sliceIndices(slice, t.shape[0]);
  if (step < 0) throw new PyException('ValueError', 'step must be greater than zero');
  if (step !== 1) throw notSupported(`slices with a step like t[::${step}] (step-1 slices such as t[1:3] work)`);
  return t.sliceRows(start, start + count);
}

const isFullSlice = (v: Value): boolean => v instanceof PySlice && v.start === null && v.stop === null && v.step === null;

function checkedIndex(t: Tensor, index: Value): Tensor {
  if (typeof index === 'bigint' || typeof index === 'boolean') {
    if (typeof index === 'boolean') throw notSupported('indexing a tensor with True/False');
    return t.index(Number(index));
  }
  if (index instanceof PySlice) return sliceFirstDim(t, index);
  if (index instanceof PyTuple) {
    if (index.items.length > t.dim()) throw new PyException('IndexError', `too many indices for tensor of dimension ${t.dim()}`);
    let r = t;
    let dim = 0;
    let sliced = false;
    for (const i of index.items) {
      if (sliced) {
        // After a slice only whole dimensions (:) can follow: t[1:3, :]. t[:, 0] picks a column,
        // which is not contiguous in memory.
        if (isFullSlice(i)) continue;
        throw notSupported('indexing a column after a slice like t[:, 0] (rows work: t[1:3], t[0, 1:], t[1:, :])');
      }
      if (i instanceof PySlice) {
        r = sliceFirstDim(r, i);
        sliced = true;
        continue;
      }
      if (typeof i !== 'bigint') throw notSupported(`tensor indexing with ${typeName(i)} inside a tuple (only integers and slices, like t[0, 1] or t[0, 1:])`);
      const size = r.shape[0];
      const n = Number(i);
      if (n < -size || n >= size) throw new PyException('IndexError', `index ${n} is out of bounds for dimension ${dim} with size ${size}`);
      r = r.index(n);
      dim++;
    }
    return r;
  }
  if (index instanceof Tensor) {
    if (index.dim() === 0 && index.dtype === 'int64') return t.index(index.item());
    throw notSupported('indexing a tensor with another tensor (masks, index tensors)');
  }
  if (index === null) throw notSupported('t[None] indexing');
  throw new PyException('IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got ' + typeName(index) + ')');
}

/**
 * Copies `value` into `target` the way PyTorch's setitem does: leading size-1 dimensions of value
 * are dropped, then it broadcasts over target (m[0:2] = row fills both rows), with PyTorch's
 * errors when it cannot.
 */
function copyBroadcast(value: Tensor, target: Tensor, cast: (x: number) => number): void {
  let shape = value.shape.slice();
  while (shape.length > 0 && shape[0] === 1) shape = shape.slice(1);
  const targetShape = target.shape;
  if (shape.length > targetShape.length) {
    throw new PyException(
      'RuntimeError',
      `expand(${TYPE_LABEL[value.dtype]}{[${value.shape.join(', ')}]}, size=[${targetShape.join(', ')}]): the number of sizes provided (${targetShape.length}) must be greater or equal to the number of dimensions in the tensor (${value.dim()})`,
    );
  }
  const offset = targetShape.length - shape.length;
  for (let d = targetShape.length - 1; d >= offset; d--) {
    const size = shape[d - offset];
    if (size !== targetShape[d] && size !== 1) {
      throw new PyException(
        'RuntimeError',
        `The expanded size of the tensor (${targetShape[d]}) must match the existing size (${size}) at non-singleton dimension ${d}.  Target sizes: [${targetShape.join(', ')}].  Tensor sizes: [${value.shape.join(', ')}]`,
      );
    }
  }
  const source = value.data;
  const data = target.data;
  if (source.length === data.length) {
    for (let k = 0; k < data.length; k++) data[k] = cast(source[k]);
    return;
  }
  // Source index of each target element: dimensions of size 1 (or missing) repeat.
  for (let k = 0; k < data.length; k++) {
    let rest = k;
    let from = 0;
    let stride = 1;
    for (let d = targetShape.length - 1; d >= offset; d--) {
      const coordinate = rest % targetShape[d];
      rest = Math.floor(rest / targetShape[d]);
      const size = shape[d - offset];
      if (size !== 1) from += coordinate * stride;
      stride *= size;
    }
    data[k] = cast(source[from]);
  }
}

/** t[i] = value, t[1:3] = value: writes into the storage like PyTorch's in-place copy into a view. */
function setTensorItem(t: Tensor, index: Value, value: Value): void {
  const slicing = index instanceof PySlice || (index instanceof PyTuple && index.items.some((i) => i instanceof PySlice));
  if (!slicing && !(typeof index === 'bigint' || (index instanceof PyTuple && index.items.every((i) => typeof i === 'bigint')))) {
    throw notSupported('this kind of tensor item assignment (t[i] = value, t[i, j] = value and t[1:3] = value work)');
  }
  if (engine.isGradEnabled() && t.requiresGrad) {
    if (t.isLeaf) throw new PyException('RuntimeError', 'a view of a leaf Variable that requires grad is being used in an in-place operation.');
    throw notSupported('assigning into a tensor that is part of an autograd graph');
  }
  // The part of t to write: a view on t's storage (no graph: t does not require grad here).
  const target = engine.noGrad(() => checkedIndex(t, index));
  const data = target.data;
  const cast = (x: number): number => (t.dtype === 'float32' ? Math.fround(x) : t.dtype === 'int64' ? Math.trunc(x) : x !== 0 ? 1 : 0);
  if (value instanceof Tensor) {
    copyBroadcast(value, target, cast);
  } else {
    const s = scalarArg(value);
    if (s === undefined) throw typeError(`can't assign a ${typeName(value)} to a ${TYPE_LABEL[t.dtype]}`);
    const x = typeof s === 'object' ? s.value : typeof s === 'boolean' ? (s ? 1 : 0) : s;
    data.fill(cast(x));
  }
  (t as unknown as { _version: { value: number } })._version.value++;
}

const TYPE_LABEL: Record<DType, string> = { float32: 'torch.FloatTensor', int64: 'torch.LongTensor', bool: 'torch.BoolTensor' };

// ---------- comparisons (no autograd: results are bool tensors) ----------

function compareTensors(op: string, a: Value, b: Value): Tensor | undefined {
  const ta = a instanceof Tensor ? a : null;
  const tb = b instanceof Tensor ? b : null;
  const sa = ta ? null : scalarArg(a);
  const sb = tb ? null : scalarArg(b);
  if ((!ta && sa === undefined) || (!tb && sb === undefined)) return undefined;
  const num = (s: ReturnType<typeof scalarArg>): number => (typeof s === 'object' && s !== null ? s.value : typeof s === 'boolean' ? (s ? 1 : 0) : (s as number));
  const shapeA = ta ? ta.shape : [];
  const shapeB = tb ? tb.shape : [];
  const ndim = Math.max(shapeA.length, shapeB.length);
  const out: number[] = [];
  for (let i = 0; i < ndim; i++) {
    const da = shapeA[shapeA.length - ndim + i] ?? 1;
    const db = shapeB[shapeB.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new PyException('RuntimeError', `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`);
    }
    out.push(da === 1 ? db : da);
  }
  const n = out.reduce((x, y) => x * y, 1);
  const result = new Uint8Array(n);
  const valueAt = (t: Tensor | null, s: number, shape: readonly number[], flat: number): number => {
    if (!t) return s;
    if (t.numel() === 1) return t.data[0];
    let offset = 0;
    let stride = 1;
    let rem = flat;
    const coords: number[] = new Array(ndim);
    for (let d = ndim - 1; d >= 0; d--) {
      coords[d] = rem % out[d];
      rem = Math.floor(rem / out[d]);
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      const c = shape[d] === 1 ? 0 : coords[ndim - shape.length + d];
      offset += c * stride;
      stride *= shape[d];
    }
    return t.data[offset];
  };
  const x0 = num(sa ?? 0);
  const y0 = num(sb ?? 0);
  const same = ta && tb && ta.numel() === tb.numel() && ta.shape.length === tb.shape.length && ta.shape.every((s, i) => s === tb.shape[i]);
  for (let i = 0; i < n; i++) {
    const x = same ? ta!.data[i] : valueAt(ta, x0, shapeA, i);
    const y = same ? tb!.data[i] : valueAt(tb, y0, shapeB, i);
    let r: boolean;
    switch (op) {
      case '<':
        r = x < y;
        break;
      case '>':
        r = x > y;
        break;
      case '<=':
        r = x <= y;
        break;
      case '>=':
        r = x >= y;
        break;
      case '==':
        r = x === y;
        break;
      default:
        r = x !== y;
    }
    result[i] = r ? 1 : 0;
  }
  return new Tensor(result, out, 'bool');
}

// ---------- operators ----------

const impl: TensorOps = {
  isTensor: (v) => v instanceof Tensor,
  binary(op, a, b) {
    const x = operand(a);
    const y = operand(b);
    if (x === undefined || y === undefined) return undefined;
    if (x instanceof Tensor) {
      switch (op) {
        case '+':
          return x.add(y);
        case '-':
          return x.sub(y);
        case '*':
          return x.mul(y);
        case '/':
          return x.div(y);
        case '**':
          return x.pow(y);
        case '@':
          if (!(y instanceof Tensor)) return undefined;
          return x.matmul(y);
      }
    } else {
      const t = y as Tensor;
      switch (op) {
        case '+':
          return t.add(x);
        case '-':
          return t.rsub(x);
        case '*':
          return t.mul(x);
        case '/':
          return t.rdiv(x);
        case '**':
          return t.rpow(x);
      }
    }
    if (op === '//' || op === '%' || op === '&' || op === '|' || op === '^' || op === '<<' || op === '>>') {
      throw notSupported(`the '${op}' operator on tensors`);
    }
    return undefined;
  },
  inplace(op, a, b) {
    const t = a as Tensor;
    const y = operand(b);
    if (y === undefined) return undefined;
    switch (op) {
      case '+':
        return t.add_(y);
      case '-':
        return t.sub_(y);
      case '*':
        return t.mul_(y);
      case '/':
        return t.div_(y);
    }
    return undefined;
  },
  inplaceScaled(op, a, t, s) {
    if (!(a instanceof Tensor) || !(t instanceof Tensor) || (typeof s !== 'number' && typeof s !== 'bigint')) return undefined;
    return a.addScaledInPlace(t, operand(s) as number | ReturnType<typeof pyFloat>, op === '-') ?? undefined;
  },
  mulAddCandidate: (a, b) => a instanceof Tensor && b instanceof Tensor && a._mulAddCandidate(b),
  mulAdd(a, b, c) {
    const y = operand(c);
    if (y === undefined) return undefined;
    return (a as Tensor).mulAdd(b as Tensor, y) ?? undefined;
  },
  squaredErrorMean: (a, b) => (a as Tensor).squaredErrorMean(b as Tensor) ?? undefined,
  unary(op, a) {
    const t = a as Tensor;
    if (op === '-') return t.neg();
    if (op === '+') return t;
    throw notSupported(`the unary '${op}' operator on tensors`);
  },
  compare: compareTensors,
  getItem: (t, index) => checkedIndex(t as Tensor, index),
  setItem: (t, index, value) => setTensorItem(t as Tensor, index, value),
  iterate(v) {
    const t = v as Tensor;
    if (t.dim() === 0) throw typeError('iteration over a 0-d tensor');
    let i = 0;
    const n = t.shape[0];
    return () => (i < n ? t.index(i++) : undefined);
  },
};

// ---------- attributes and methods ----------

function sizeOf(t: Tensor): TorchSize {
  return new TorchSize(t.shape.map((s) => BigInt(s)));
}

function boolArg(v: Value | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  throw typeError(`expected a bool, got ${typeName(v)}`);
}

function dimArgs(name: string, t: Tensor, args: Value[], kwargs: Kwargs): [number | undefined, boolean] {
  const k = kwarg(name, kwargs, ['dim', 'keepdim', 'dtype']);
  if (k.dtype !== undefined) throw notSupported(`${name}(dtype=...)`);
  const dimV = args.length > 0 ? args[0] : k.dim;
  const keep = boolArg(args.length > 1 ? args[1] : k.keepdim, false);
  if (dimV === undefined || dimV === null) return [undefined, keep];
  if (dimV instanceof PyTuple || dimV instanceof PyList) {
    if (dimV.items.length === 1) return [intArg(dimV.items[0], `${name}(): argument 'dim'`), keep];
    throw notSupported(`${name}() over several dimensions at once`);
  }
  void t;
  return [intArg(dimV, `${name}(): argument 'dim'`), keep];
}

function shapeFromArgs(name: string, args: Value[]): number[] {
  if (args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList)) {
    return (args[0] as PyList).items.map((x) => intArg(x, `${name}(): argument 'shape'`));
  }
  return args.map((x) => intArg(x, `${name}(): argument 'shape'`));
}

function backward(t: Tensor, args: Value[], kwargs: Kwargs): Value {
  const k = kwarg('backward', kwargs, ['gradient', 'retain_graph', 'create_graph', 'inputs']);
  if (k.create_graph !== undefined && k.create_graph !== false) throw notSupported('backward(create_graph=True)');
  if (k.inputs !== undefined) throw notSupported('backward(inputs=...)');
  const g = args.length > 0 ? args[0] : k.gradient;
  const retain = args.length > 1 ? args[1] : k.retain_graph;
  if (g !== undefined && g !== null && !(g instanceof Tensor)) {
    throw typeError(`backward(): argument 'gradient' must be Tensor, not ${typeName(g)}`);
  }
  t.backward(g instanceof Tensor ? g : undefined, { retainGraph: retain === undefined || retain === null ? false : boolArg(retain, false) });
  return null;
}

function binaryMethod(name: string, f: (t: Tensor, o: Operand) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs) => {
    const k = kwarg(name, kwargs, ['other', 'alpha']);
    if (k.alpha !== undefined) throw notSupported(`${name}(alpha=...)`);
    const o = args.length > 0 ? args[0] : k.other;
    checkArgs(name, args, k.other !== undefined ? 0 : 1, 1);
    const x = operand(o);
    if (x === undefined) throw typeError(`${name}(): argument 'other' (position 1) must be Tensor, not ${typeName(o)}`);
    return f(t, x);
  };
}

function noArgs(name: string, f: (t: Tensor) => Value): MethodImpl {
  return (t: Tensor, args, kwargs) => {
    if (args.length > 0 || (kwargs && kwargs.size > 0)) throw typeError(`${name}() takes no arguments`);
    return f(t);
  };
}

const TENSOR_METHODS: Record<string, MethodImpl> = {
  item: noArgs('item', (t) => elementValue(t.item(), t.dtype)),
  tolist: noArgs('tolist', (t) => toPyList(t.tolist(), t.dtype)),
  numel: noArgs('numel', (t) => BigInt(t.numel())),
  dim: noArgs('dim', (t) => BigInt(t.dim())),
  size: (t: Tensor, args, kwargs) => {
    const k = kwarg('size', kwargs, ['dim']);
    const d = args.length > 0 ? args[0] : k.dim;
    if (d === undefined || d === null) return sizeOf(t);
    const n = intArg(d, "size(): argument 'dim'");
    const nd = t.dim();
    if (nd === 0 ? n < -1 || n > 0 : n < -nd || n >= nd) {
      throw new PyException('IndexError', `Dimension out of range (expected to be in range of [${nd === 0 ? -1 : -nd}, ${nd === 0 ? 0 : nd - 1}], but got ${n})`);
    }
    return BigInt(t.size(n) as number);
  },
  backward,
  zero_: noArgs('zero_', (t) => t.zero_()),
  requires_grad_: (t: Tensor, args, kwargs) => {
    const k = kwarg('requires_grad_', kwargs, ['requires_grad']);
    return t.requiresGrad_(boolArg(args.length > 0 ? args[0] : k.requires_grad, true));
  },
  detach: noArgs('detach', (t) => t.detach()),
  clone: noArgs('clone', (t) => t.clone()),
  sum: (t: Tensor, args, kwargs) => {
    const [d, keep] = dimArgs('sum', t, args, kwargs);
    return t.sum(d, keep);
  },
  mean: (t: Tensor, args, kwargs) => {
    const [d, keep] = dimArgs('mean', t, args, kwargs);
    return t.mean(d, keep);
  },
  pow: binaryMethod('pow', (t, o) => t.pow(o)),
  add: binaryMethod('add', (t, o) => t.add(o)),
  sub: binaryMethod('sub', (t, o) => t.sub(o)),
  mul: binaryMethod('mul', (t, o) => t.mul(o)),
  div: binaryMethod('div', (t, o) => t.div(o)),
  add_: binaryMethod('add_', (t, o) => t.add_(o)),
  sub_: binaryMethod('sub_', (t, o) => t.sub_(o)),
  mul_: binaryMethod('mul_', (t, o) => t.mul_(o)),
  div_: binaryMethod('div_', (t, o) => t.div_(o)),
  matmul: (t: Tensor, args) => {
    checkArgs('matmul', args, 1, 1);
    return t.matmul(asTensor(args[0], 'matmul', 'other'));
  },
  exp: noArgs('exp', (t) => t.exp()),
  log: noArgs('log', (t) => t.log()),
  sqrt: noArgs('sqrt', (t) => t.sqrt()),
  abs: noArgs('abs', (t) => t.abs()),
  neg: noArgs('neg', (t) => t.neg()),
  reciprocal: noArgs('reciprocal', (t) => t.reciprocal()),
  reshape: (t: Tensor, args) => t.reshape(shapeFromArgs('reshape', args)),
  view: (t: Tensor, args) => t.view(shapeFromArgs('view', args)),
  float: noArgs('float', (t) => {
    if (t.dtype === 'float32') return t;
    throw notSupported('converting tensor dtypes with .float()');
  }),
  __len__: noArgs('__len__', (t) => BigInt(tensorLen(t))),
};

function tensorLen(t: Tensor): number {
  if (t.dim() === 0) throw typeError('len() of a 0-d tensor');
  return t.shape[0];
}

const UNSUPPORTED_TENSOR_ATTRS = new Set([
  'T', 'mT', 't', 'transpose', 'permute', 'squeeze', 'unsqueeze', 'flatten', 'max', 'min', 'argmax', 'argmin', 'sigmoid',
  'relu', 'tanh', 'softmax', 'numpy', 'to', 'cuda', 'cpu', 'double', 'long', 'int', 'half', 'retain_grad', 'register_hook',
  'fill_', 'copy_', 'normal_', 'uniform_', 'clamp', 'clamp_', 'std', 'var', 'norm', 'expand', 'repeat', 'sin', 'cos',
  'square', 'pow_', 'exp_', 'sqrt_', 'abs_', 'neg_', 'type', 'contiguous', 'is_contiguous', 'stride', 'storage', 'sort',
  'round', 'floor', 'ceil', 'detach_', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'all', 'any', 'prod', 'cumsum', 'dot', 'mm',
]);

function tensorAttr(t: Tensor, name: string): Value | undefined {
  switch (name) {
    case 'grad':
      return t.grad;
    case 'requires_grad':
      return t.requiresGrad;
    case 'is_leaf':
      return t.isLeaf;
    case 'grad_fn':
      return gradFnOf(t);
    case 'shape':
      return sizeOf(t);
    case 'data':
      return t.detach();
    case 'dtype':
      return DTYPE_OBJECTS[t.dtype];
    case 'ndim':
      return BigInt(t.dim());
    case 'device':
      return CPU;
    case 'is_cuda':
      return false;
  }
  const m = TENSOR_METHODS[name];
  if (m) return new Builtin(name, (args, kwargs) => m(t, args, kwargs), 'Tensor', t);
  if (UNSUPPORTED_TENSOR_ATTRS.has(name)) throw notSupported(`Tensor.${name}`);
  return undefined;
}

function setTensorAttr(t: Tensor, name: string, value: Value): boolean {
  switch (name) {
    case 'requires_grad':
      t.requiresGrad = boolArg(value, false);
      return true;
    case 'grad':
      if (value !== null && !(value instanceof Tensor)) {
        throw typeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeName(value)}`);
      }
      if (value instanceof Tensor && (value.shape.length !== t.shape.length || value.shape.some((s, i) => s !== t.shape[i]))) {
        throw new PyException('RuntimeError', 'assigned grad has data of a different size');
      }
      t.grad = value;
      return true;
    case 'data':
      if (!(value instanceof Tensor)) throw typeError(`Variable data has to be a tensor, but got ${typeName(value)}`);
      if (value.dtype !== t.dtype || value.numel() !== t.numel() || value.shape.length !== t.shape.length || value.shape.some((s, i) => s !== t.shape[i])) {
        throw notSupported('assigning .data a tensor of a different shape or dtype');
      }
      t.data.set(value.data as Float32Array);
      return true;
    case 'shape':
    case 'is_leaf':
    case 'grad_fn':
    case 'dtype':
    case 'ndim':
      throw new PyException('AttributeError', `attribute '${name}' of 'torch._C._TensorBase' objects is not writable`);
  }
  throw new PyException('AttributeError', `'Tensor' object has no attribute '${name}'`);
}

// ---------- foreign hooks: how tensors & co. behave as Python objects ----------

function isForeign(v: object): boolean {
  return v instanceof Tensor || v instanceof TorchDType || v instanceof GradFnRef || v instanceof TorchDevice;
}

foreign.hooks = {
  isForeign,
  typeName(v) {
    if (v instanceof Tensor) return 'Tensor';
    if (v instanceof TorchDType) return 'dtype';
    if (v instanceof GradFnRef) return v.node.name;
    return 'device';
  },
  repr(v) {
    if (v instanceof Tensor) return v.toString();
    if (v instanceof TorchDType) return v.pyName;
    if (v instanceof GradFnRef) return `<${v.node.name} object at ${objectAddress(v)}>`;
    return `device(type='${(v as TorchDevice).type}')`;
  },
  str(v) {
    if (v instanceof TorchDevice) return v.type;
    return foreign.hooks!.repr(v);
  },
  truthy(v) {
    if (v instanceof Tensor) {
      const n = v.numel();
      if (n === 1) return v.data[0] !== 0;
      if (n === 0) throw new PyException('RuntimeError', 'Boolean value of Tensor with no values is ambiguous');
      throw new PyException('RuntimeError', 'Boolean value of Tensor with more than one value is ambiguous');
    }
    return true;
  },
  format(v, spec) {
    if (v instanceof Tensor) {
      if (v.dim() === 0) return formatValue(elementValue(v.item(), v.dtype), spec);
      if (spec === '') return v.toString();
      throw typeError('unsupported format string passed to Tensor.__format__');
    }
    if (spec === '') return foreign.hooks!.str(v);
    throw typeError(`unsupported format string passed to ${foreign.hooks!.typeName(v)}.__format__`);
  },
  len(v) {
    if (v instanceof Tensor) return tensorLen(v);
    throw typeError(`object of type '${foreign.hooks!.typeName(v)}' has no len()`);
  },
  scalar(v) {
    if (v instanceof Tensor) return v.item();
    return undefined;
  },
  getAttr(v, name) {
    if (v instanceof Tensor) return tensorAttr(v, name);
    if (v instanceof GradFnRef) {
      if (name === 'name') return new Builtin('name', () => v.node.name);
      if (name === 'next_functions') throw notSupported('grad_fn.next_functions');
      return undefined;
    }
    if (v instanceof TorchDType) {
      if (name === 'is_floating_point') return v.dtype === 'float32';
      return undefined;
    }
    if (v instanceof TorchDevice && name === 'type') return v.type;
    return undefined;
  },
  setAttr(v, name, value) {
    if (v instanceof Tensor) return setTensorAttr(v, name, value);
    return false;
  },
  markLive(v, stamp) {
    if (v instanceof Tensor) markTensorLive(v, stamp);
    else if (v instanceof GradFnRef) markNodeLive(v.node as Node, stamp);
    return true;
  },
  callMethod(v, name, args, kwargs) {
    if (v instanceof Tensor) {
      const m = TENSOR_METHODS[name];
      if (m !== undefined) return m(v, args, kwargs);
    }
    return undefined;
  },
};
tensorOps.impl = impl;

// ---------- the torch module ----------

function fn(name: string, f: (args: Value[], kwargs: Kwargs) => Value): Builtin {
  return new Builtin(name, f);
}

function creation(name: string, make: (shape: number[], opts: { requiresGrad?: boolean; dtype?: DType }) => Tensor): Builtin {
  return fn(name, (args, kwargs) => {
    const { opts } = creationOpts(name, kwargs, ['size', 'out']);
    return make(shapeArgs(name, args), opts);
  });
}

function gradModeManager(kind: string, enabled: boolean): PyContextManager {
  let restore: (() => void) | null = null;
  return new PyContextManager(
    kind,
    () => {
      restore = enabled ? engineSetGrad(true) : engine.enterNoGrad();
      return null;
    },
    () => {
      restore?.();
      restore = null;
    },
  );
}
function engineSetGrad(flag: boolean): () => void {
  return engine.setGradEnabled(flag);
}

function functional(name: string, method: string): Builtin {
  return fn(name, (args, kwargs) => {
    if (args.length === 0) throw typeError(`${name}() missing 1 required positional arguments: "input"`);
    const t = asTensor(args[0], name);
    return callMethod(t, method, args.slice(1), kwargs);
  });
}

export const tensorType = new PyType('Tensor', (args, kwargs) => {
  void kwargs;
  if (args.length === 0) return engine.tensor([]);
  throw notSupported('torch.Tensor(...) as a constructor; use torch.tensor([...])');
}, 'torch');
registerType(tensorType);
const sizeType = new PyType('Size', (args) => new TorchSize(args.length ? iterableToArray(args[0]) : []), 'torch');
registerType(sizeType);

function makeTorchModule() {
  const m = builtinModule('torch', {
    __version__: '1.13.0a0', // what Debian's python3-torch 1.13.1 reports
    Tensor: tensorType,
    Size: sizeType,
    float32: FLOAT32,
    float: FLOAT32,
    int64: INT64,
    long: INT64,
    bool: BOOL,
    tensor: fn('tensor', (args, kwargs) => {
      const { opts } = creationOpts('tensor', kwargs, ['data']);
      checkArgs('tensor', args, 1, 1);
      const data = args[0];
      if (data instanceof Tensor) {
        const c = data.detach().clone();
        if (opts.dtype && opts.dtype !== c.dtype) throw notSupported('torch.tensor(tensor, dtype=...)');
        if (opts.requiresGrad) c.requiresGrad_(true);
        return c;
      }
      return engine.tensor(dataArg(data, 'tensor') as NestedArray, opts);
    }),
    zeros: creation('zeros', (s, o) => engine.zeros(s, o)),
    ones: creation('ones', (s, o) => engine.ones(s, o)),
    rand: creation('rand', (s, o) => engine.rand(s, o)),
    randn: creation('randn', (s, o) => engine.randn(s, o)),
    empty: creation('empty', (s, o) => engine.zeros(s, o)),
    full: fn('full', (args, kwargs) => {
      const { opts } = creationOpts('full', kwargs, ['size', 'fill_value']);
      checkArgs('full', args, 2, 2);
      const value = scalarArg(args[1]);
      if (value === undefined) throw typeError(`full(): argument 'fill_value' must be Number, not ${typeName(args[1])}`);
      return engine.full(shapeArgs('full', [args[0]]), value, opts);
    }),
    zeros_like: fn('zeros_like', (args, kwargs) => engine.zerosLike(asTensor(args[0], 'zeros_like'), creationOpts('zeros_like', kwargs).opts)),
    ones_like: fn('ones_like', (args, kwargs) => engine.onesLike(asTensor(args[0], 'ones_like'), creationOpts('ones_like', kwargs).opts)),
    arange: fn('arange', (args, kwargs) => {
      const { opts, rest } = creationOpts('arange', kwargs, ['start', 'end', 'step']);
      const all = args.slice();
      if (rest.start !== undefined) all.unshift(rest.start);
      if (rest.end !== undefined) all.push(rest.end);
      if (rest.step !== undefined) all.push(rest.step);
      if (all.length === 0 || all.length > 3) throw typeError(`arange() received an invalid combination of arguments`);
      const anyFloat = all.some((a) => typeof a === 'number');
      const nums = all.map((a) => toFloat(a));
      if (anyFloat && !opts.dtype) opts.dtype = 'float32';
      if (nums.length === 1) return engine.arange(nums[0], undefined, 1, opts);
      return engine.arange(nums[0], nums[1], nums[2] ?? 1, opts);
    }),
    linspace: fn('linspace', (args, kwargs) => {
      const { opts, rest } = creationOpts('linspace', kwargs, ['steps', 'start', 'end']);
      const start = args[0] ?? rest.start;
      const end = args[1] ?? rest.end;
      const steps = args[2] ?? rest.steps;
      if (steps === undefined) throw typeError('linspace() missing required argument \'steps\' (pos 3)');
      return engine.linspace(toFloat(start), toFloat(end), intArg(steps, "linspace(): argument 'steps'"), opts);
    }),
    manual_seed: fn('manual_seed', (args) => {
      checkArgs('manual_seed', args, 1, 1);
      engine.manualSeed(intArg(args[0], "manual_seed(): argument 'seed'"));
      return null;
    }),
    no_grad: fn('no_grad', (args) => {
      checkArgs('no_grad', args, 0, 0);
      return gradModeManager('no_grad', false);
    }),
    enable_grad: fn('enable_grad', () => gradModeManager('enable_grad', true)),
    set_grad_enabled: fn('set_grad_enabled', (args) => {
      checkArgs('set_grad_enabled', args, 1, 1);
      const flag = boolArg(args[0], true);
      // Like PyTorch: takes effect immediately, and also works as a context manager.
      const restore = engineSetGrad(flag);
      return new PyContextManager('set_grad_enabled', () => null, restore);
    }),
    is_grad_enabled: fn('is_grad_enabled', () => engine.isGradEnabled()),
    is_tensor: fn('is_tensor', (args) => args[0] instanceof Tensor),
    numel: fn('numel', (args) => BigInt(asTensor(args[0], 'numel').numel())),
    sum: functional('sum', 'sum'),
    mean: functional('mean', 'mean'),
    exp: functional('exp', 'exp'),
    log: functional('log', 'log'),
    sqrt: functional('sqrt', 'sqrt'),
    abs: functional('abs', 'abs'),
    neg: functional('neg', 'neg'),
    pow: fn('pow', (args, kwargs) => {
      const k = kwarg('pow', kwargs, ['input', 'exponent']);
      const base = args[0] ?? k.input;
      const e = args[1] ?? k.exponent;
      if (base instanceof Tensor) return callMethod(base, 'pow', [e], null);
      const b = scalarArg(base);
      if (b !== undefined && e instanceof Tensor) return e.rpow(b);
      throw typeError(`pow() received an invalid combination of arguments - got (${typeName(base)}, ${typeName(e)})`);
    }),
    matmul: fn('matmul', (args) => {
      checkArgs('matmul', args, 2, 2);
      return asTensor(args[0], 'matmul').matmul(asTensor(args[1], 'matmul', 'other'));
    }),
    add: functional('add', 'add'),
    sub: functional('sub', 'sub'),
    mul: functional('mul', 'mul'),
    div: functional('div', 'div'),
    reshape: fn('reshape', (args) => asTensor(args[0], 'reshape').reshape(shapeFromArgs('reshape', args.slice(1)))),
    clone: functional('clone', 'clone'),
    detach: functional('detach', 'detach'),
  });
  return m;
}

unsupportedModuleAttrs.set(
  'torch',
  new Set([
    'nn', 'optim', 'sigmoid', 'relu', 'tanh', 'softmax', 'cat', 'stack', 'max', 'min', 'argmax', 'argmin', 'transpose',
    'squeeze', 'unsqueeze', 'flatten', 'randint', 'randperm', 'normal', 'eye', 'diag', 'where', 'clamp', 'dot', 'mm',
    'from_numpy', 'save', 'load', 'device', 'cuda', 'float64', 'double', 'int32', 'int', 'float16', 'half', 'uint8',
    'int8', 'int16', 'autograd', 'utils', 'sin', 'cos', 'square', 'std', 'var', 'norm', 'allclose', 'equal', 'prod',
    'cumsum', 'set_printoptions', 'empty_like', 'full_like', 'rand_like', 'randn_like', 'as_tensor', 'from_list', 'logspace', 'round',
  ]),
);

registerModule('torch', makeTorchModule);
for (const sub of ['nn', 'optim', 'autograd', 'utils', 'nn.functional', 'utils.data']) {
  registerModule(`torch.${sub}`, () => {
    throw new PyException('NotImplementedError', `GradLab does not support the 'torch.${sub}' module yet; the lessons build models from tensors directly (line ${currentRuntime().line})`);
  });
}
