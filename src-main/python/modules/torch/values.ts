// The torch module's Python-side objects (dtypes, grad_fn references, the CPU device) and the
// conversions between Python values and the engine's arguments and results.
import { pyFloat, Tensor, torch as engine, type CreationOptions, type DType, type NestedArray } from '../../../engine/index';
import { kwarg } from '../../args';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError, unsupported } from '../../errors';
import { typeName } from '../../objects';
import { PyList, PyTuple, PyType, TorchSize } from '../../values';

/** torch.float32 and friends. */
export class TorchDType {
  constructor(
    readonly dtype: DType,
    readonly pyName: string,
  ) {}
  get isFloatingPoint(): boolean {
    return this.dtype === 'float32' || this.dtype === 'float64';
  }
  get isSigned(): boolean {
    return this.dtype !== 'uint8' && this.dtype !== 'bool';
  }
}
export const FLOAT32 = new TorchDType('float32', 'torch.float32');
export const FLOAT64 = new TorchDType('float64', 'torch.float64');
export const INT64 = new TorchDType('int64', 'torch.int64');
export const INT32 = new TorchDType('int32', 'torch.int32');
export const INT16 = new TorchDType('int16', 'torch.int16');
export const INT8 = new TorchDType('int8', 'torch.int8');
export const UINT8 = new TorchDType('uint8', 'torch.uint8');
export const BOOL = new TorchDType('bool', 'torch.bool');
export const DTYPE_OBJECTS: Record<DType, TorchDType> = { float32: FLOAT32, float64: FLOAT64, int64: INT64, int32: INT32, int16: INT16, int8: INT8, uint8: UINT8, bool: BOOL };
/** The torch module's names for them (torch.double is torch.float64, ...). */
export const DTYPE_NAMES: Record<string, TorchDType> = {
  float32: FLOAT32,
  float: FLOAT32,
  float64: FLOAT64,
  double: FLOAT64,
  int64: INT64,
  long: INT64,
  int32: INT32,
  int: INT32,
  int16: INT16,
  short: INT16,
  int8: INT8,
  uint8: UINT8,
  bool: BOOL,
};
/** Real dtypes GradLab does not have: naming one says so plainly. */
export const UNSUPPORTED_DTYPE_NAMES = ['float16', 'half', 'bfloat16', 'complex64', 'complex128', 'cfloat', 'cdouble'];

/** A grad_fn as Python sees it: one wrapper per engine node, so `a.grad_fn is b.grad_fn` works. */
export class GradFnRef {
  constructor(readonly node: { readonly name: string }) {}
}
const gradFnRefs = new WeakMap<object, GradFnRef>();
export function gradFnOf(t: Tensor): GradFnRef | null {
  const node = t.gradFn;
  return node ? gradFnRef(node) : null;
}
/** The one Python object of an engine node (a grad_fn, or a leaf's AccumulateGrad). */
export function gradFnRef(node: { readonly name: string }): GradFnRef {
  let ref = gradFnRefs.get(node);
  if (!ref) {
    ref = new GradFnRef(node);
    gradFnRefs.set(node, ref);
  }
  return ref;
}

export class TorchDevice {
  constructor(
    readonly type: string,
    readonly index: number | null = null,
  ) {}
}
export const CPU = new TorchDevice('cpu');

// ---------- conversions ----------

const INT64_LIMIT = 2n ** 63n;

/**
 * A Python scalar as the engine wants it: integral Python floats keep their float kind, Python
 * ints stay exact bigints (PyTorch refuses one beyond int64 as it unpacks it).
 */
export function scalarArg(v: Value): number | bigint | boolean | ReturnType<typeof pyFloat> | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? pyFloat(v) : v;
  if (typeof v === 'bigint') {
    if (v >= INT64_LIMIT || v < -INT64_LIMIT) throw new PyException('RuntimeError', 'Overflow when unpacking long');
    return v;
  }
  if (typeof v === 'boolean') return v;
  return undefined;
}

export type Operand = Tensor | number | bigint | boolean | ReturnType<typeof pyFloat>;
export function operand(v: Value): Operand | undefined {
  if (v instanceof Tensor) return v;
  return scalarArg(v);
}

/** Python value of one element of a tensor with this dtype (int for integer dtypes, exact: int64 elements are bigints). */
export function elementValue(x: number | bigint, dtype: DType): Value {
  if (typeof x === 'bigint') return x;
  if (dtype === 'bool') return x !== 0;
  if (dtype === 'float32' || dtype === 'float64') return x;
  return Number.isSafeInteger(x) ? BigInt(x) : BigInt(Math.trunc(x));
}

export function toPyList(v: unknown, dtype: DType): Value {
  if (Array.isArray(v)) return new PyList(v.map((x) => toPyList(x, dtype)));
  if (typeof v === 'boolean') return v;
  return elementValue(v as number | bigint, dtype);
}

export function dataArg(cx: Context, v: Value, where: string, nested = false, shapePath = true): NestedArray | ReturnType<typeof pyFloat> {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x, i) => dataArg(cx, x, where, true, shapePath && i === 0)) as NestedArray;
  // a str is a sequence to PyTorch: where it infers the shape (the first elements, down from the
  // outer list) it recurses into it and runs out of dimensions; elsewhere its dtype is unknown
  if (typeof v === 'string') throw nested && shapePath ? new PyException('ValueError', "too many dimensions 'str'") : typeError("new(): invalid data type 'str'");
  const s = scalarArg(v);
  if (s !== undefined) return s as NestedArray;
  if (v instanceof Tensor) {
    if (v.numel() !== 1 || v.dim() !== 0) {
      throw new PyException('ValueError', 'only one element tensors can be converted to Python scalars');
    }
    const x = v.itemExact();
    return (v.dtype === 'float32' || v.dtype === 'float64' ? pyFloat(Number(x)) : v.dtype === 'bool' ? x !== 0 : typeof x === 'bigint' ? x : BigInt(x)) as NestedArray;
  }
  throw new PyException('RuntimeError', `Could not infer dtype of ${typeName(cx, v)}`);
}

export function dtypeArg(cx: Context, v: Value): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof TorchDType) return v.dtype;
  if (v instanceof PyType) {
    // Python's own types name these dtypes (a Python float is a double)
    if (v.name === 'float') return 'float64';
    if (v.name === 'int') return 'int64';
    if (v.name === 'bool') return 'bool';
  }
  throw typeError(`dtype must be torch.dtype, not ${typeName(cx, v)}`);
}

export function intArg(cx: Context, v: Value, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor && v.numel() === 1 && v.dtype !== 'float32' && v.dtype !== 'float64') return v.item();
  throw typeError(`${what} must be int, not ${typeName(cx, v)}`);
}

/** Shape from `(2, 3)`, `[2, 3]` or varargs `2, 3`. */
export function shapeArgs(cx: Context, name: string, args: Value[]): number[] {
  if (args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList)) {
    return (args[0] as PyList).items.map((x) => intArg(cx, x, `${name}(): argument 'size'`));
  }
  return args.map((x) => {
    if (typeof x !== 'bigint' && typeof x !== 'boolean') {
      throw typeError(`${name}(): argument 'size' must be tuple of ints, but found element of type ${typeName(cx, x)} at pos 0`);
    }
    return Number(x);
  });
}

export function creationOpts(cx: Context, name: string, kwargs: Kwargs, extra: string[] = []): { opts: CreationOptions; rest: Record<string, Value> } {
  const k = kwarg(name, kwargs, ['dtype', 'requires_grad', 'device', ...extra]);
  if (k.device !== undefined && k.device !== null && k.device !== 'cpu' && k.device !== CPU) {
    throw new PyException('NotImplementedError', `GradLab runs on the CPU only; remove device=${typeof k.device === 'string' ? `'${k.device}'` : '...'} (line ${cx.line})`);
  }
  const opts: CreationOptions = {};
  const dt = dtypeArg(cx, k.dtype);
  if (dt) opts.dtype = dt;
  if (k.requires_grad !== undefined) opts.requiresGrad = k.requires_grad === true || k.requires_grad === 1n;
  return { opts, rest: k };
}

export function asTensor(cx: Context, v: Value, fname: string, argName = 'input'): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fname}(): argument '${argName}' (position 1) must be Tensor, not ${typeName(cx, v)}`);
}

export function notSupported(cx: Context, what: string): PyException {
  return unsupported(what, cx.line);
}

export function sizeOf(t: Tensor): TorchSize {
  return new TorchSize(t.shape.map((s) => BigInt(s)));
}

export function boolArg(cx: Context, v: Value | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  throw typeError(`expected a bool, got ${typeName(cx, v)}`);
}

/**
 * Binds positional and keyword arguments to parameter names, as PyTorch's argument parser
 * does for the common cases (unknown keywords and repeated arguments are TypeErrors).
 */
export function bindArgs(fname: string, args: readonly Value[], kwargs: Kwargs, names: readonly string[]): Record<string, Value | undefined> {
  if (args.length > names.length) {
    throw typeError(`${fname}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${args.length} given)`);
  }
  const out: Record<string, Value | undefined> = {};
  args.forEach((v, i) => (out[names[i]] = v));
  if (kwargs) {
    for (const [k, v] of kwargs) {
      if (!names.includes(k)) throw typeError(`${fname}() got an unexpected keyword argument '${k}'`);
      if (out[k] !== undefined) throw typeError(`${fname}() got multiple values for argument '${k}'`);
      out[k] = v;
    }
  }
  return out;
}

/** `dim` as one dim, a tuple/list of dims, or null (all). */
export function dimsArg(cx: Context, v: Value | undefined, fname: string): number | number[] | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intArg(cx, x, `${fname}(): argument 'dim'`));
  return intArg(cx, v, `${fname}(): argument 'dim'`);
}

/** (dim=None, keepdim=False, *, dtype=None) of sum and mean. */
export function reductionArgs(cx: Context, name: string, args: Value[], kwargs: Kwargs): { dims: number | number[] | null; keepdim: boolean; dtype: DType | undefined } {
  const a = bindArgs(name, args, kwargs, ['dim', 'keepdim', 'dtype']);
  return { dims: dimsArg(cx, a.dim, name), keepdim: boolArg(cx, a.keepdim, false), dtype: dtypeArg(cx, a.dtype) };
}

export function shapeFromArgs(cx: Context, name: string, args: Value[]): number[] {
  if (args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList)) {
    return (args[0] as PyList).items.map((x) => intArg(cx, x, `${name}(): argument 'shape'`));
  }
  return args.map((x) => intArg(cx, x, `${name}(): argument 'shape'`));
}

/** torch.dtype, the type object (type(torch.float32)). */
export const TORCH_DTYPE_CLASS = new PyType(
  'dtype',
  () => {
    throw typeError("cannot create 'torch.dtype' instances");
  },
  'torch',
);

/** torch.Tensor, the type object (type(t), isinstance(t, torch.Tensor)). */
export const tensorClass = new PyType(
  'Tensor',
  (args, _kwargs, cx) => {
    if (args.length === 0) return engine.tensor([]);
    throw notSupported(cx, 'torch.Tensor(...) as a constructor; use torch.tensor([...])');
  },
  'torch',
);
