// The torch module's Python-side objects (dtypes, grad_fn references, the CPU device) and the
// conversions between Python values and the engine's arguments and results.
import { pyFloat, Tensor, torch as engine, type DType, type NestedArray } from '../../../engine/index';
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
}
export const FLOAT32 = new TorchDType('float32', 'torch.float32');
export const INT64 = new TorchDType('int64', 'torch.int64');
export const BOOL = new TorchDType('bool', 'torch.bool');
export const DTYPE_OBJECTS: Record<DType, TorchDType> = {
  float32: FLOAT32,
  int64: INT64,
  bool: BOOL,
  float64: new TorchDType('float64', 'torch.float64'),
  int32: new TorchDType('int32', 'torch.int32'),
  uint8: new TorchDType('uint8', 'torch.uint8'),
};

/** A grad_fn as Python sees it: one wrapper per engine node, so `a.grad_fn is b.grad_fn` works. */
export class GradFnRef {
  constructor(readonly node: { readonly name: string }) {}
}
const gradFnRefs = new WeakMap<object, GradFnRef>();
export function gradFnOf(t: Tensor): GradFnRef | null {
  const node = t.gradFn;
  if (!node) return null;
  let ref = gradFnRefs.get(node);
  if (!ref) {
    ref = new GradFnRef(node);
    gradFnRefs.set(node, ref);
  }
  return ref;
}

export class TorchDevice {
  constructor(readonly type: string) {}
}
export const CPU = new TorchDevice('cpu');

// ---------- conversions ----------

/** A Python scalar as the engine wants it (integral Python floats keep their float kind). */
export function scalarArg(v: Value): number | boolean | ReturnType<typeof pyFloat> | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? pyFloat(v) : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v;
  return undefined;
}

export type Operand = Tensor | number | boolean | ReturnType<typeof pyFloat>;
export function operand(v: Value): Operand | undefined {
  if (v instanceof Tensor) return v;
  return scalarArg(v);
}

/** Python value of one element of a tensor with this dtype. */
export function elementValue(x: number, dtype: DType): Value {
  if (dtype === 'int64') return BigInt(x);
  if (dtype === 'bool') return x !== 0;
  return x;
}

export function toPyList(v: unknown, dtype: DType): Value {
  if (Array.isArray(v)) return new PyList(v.map((x) => toPyList(x, dtype)));
  if (typeof v === 'boolean') return v;
  return elementValue(v as number, dtype);
}

export function dataArg(cx: Context, v: Value, where: string): NestedArray | ReturnType<typeof pyFloat> {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x) => dataArg(cx, x, where)) as NestedArray;
  const s = scalarArg(v);
  if (s !== undefined) return s as NestedArray;
  if (v instanceof Tensor) {
    if (v.numel() !== 1 || v.dim() !== 0) {
      throw new PyException('ValueError', 'only one element tensors can be converted to Python scalars');
    }
    const x = v.item();
    return (v.dtype === 'float32' ? pyFloat(x) : v.dtype === 'bool' ? x !== 0 : x) as NestedArray;
  }
  throw typeError(`Could not infer dtype of ${typeName(cx, v)}`);
}

export function dtypeArg(cx: Context, v: Value): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof TorchDType) return v.dtype;
  if (v instanceof PyType) {
    if (v.name === 'float') return 'float32';
    if (v.name === 'int') return 'int64';
    if (v.name === 'bool') return 'bool';
  }
  throw typeError(`dtype must be torch.dtype, not ${typeName(cx, v)}`);
}

export function intArg(cx: Context, v: Value, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor && v.numel() === 1 && v.dtype !== 'float32') return v.item();
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

export function creationOpts(cx: Context, name: string, kwargs: Kwargs, extra: string[] = []): { opts: { requiresGrad?: boolean; dtype?: DType }; rest: Record<string, Value> } {
  const k = kwarg(name, kwargs, ['dtype', 'requires_grad', 'device', ...extra]);
  if (k.device !== undefined && k.device !== null && k.device !== 'cpu' && k.device !== CPU) {
    throw new PyException('NotImplementedError', `GradLab runs on the CPU only; remove device=${typeof k.device === 'string' ? `'${k.device}'` : '...'} (line ${cx.line})`);
  }
  const opts: { requiresGrad?: boolean; dtype?: DType } = {};
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

export function dimArgs(cx: Context, name: string, t: Tensor, args: Value[], kwargs: Kwargs): [number | undefined, boolean] {
  const k = kwarg(name, kwargs, ['dim', 'keepdim', 'dtype']);
  if (k.dtype !== undefined) throw notSupported(cx, `${name}(dtype=...)`);
  const dimV = args.length > 0 ? args[0] : k.dim;
  const keep = boolArg(cx, args.length > 1 ? args[1] : k.keepdim, false);
  if (dimV === undefined || dimV === null) return [undefined, keep];
  if (dimV instanceof PyTuple || dimV instanceof PyList) {
    if (dimV.items.length === 1) return [intArg(cx, dimV.items[0], `${name}(): argument 'dim'`), keep];
    throw notSupported(cx, `${name}() over several dimensions at once`);
  }
  void t;
  return [intArg(cx, dimV, `${name}(): argument 'dim'`), keep];
}

export function shapeFromArgs(cx: Context, name: string, args: Value[]): number[] {
  if (args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList)) {
    return (args[0] as PyList).items.map((x) => intArg(cx, x, `${name}(): argument 'shape'`));
  }
  return args.map((x) => intArg(cx, x, `${name}(): argument 'shape'`));
}

/** torch.Tensor, the type object (type(t), isinstance(t, torch.Tensor)). */
export const tensorClass = new PyType(
  'Tensor',
  (args, _kwargs, cx) => {
    if (args.length === 0) return engine.tensor([]);
    throw notSupported(cx, 'torch.Tensor(...) as a constructor; use torch.tensor([...])');
  },
  'torch',
);
