// The `torch` namespace: tensor creation, random tensors, grad mode.
import { fma32 } from './fma';
import { runtimeError, valueError, typeError } from './errors';
import { allocStorage, castElement, castValue, fillStorage, isFloating, isPyScalar, TYPE_NAME } from './dtype';
import type { DType, PyScalar, Storage } from './dtype';
import { enterInferenceMode, enterNoGrad, isGradEnabled, isInferenceModeEnabled, noGrad, setGradEnabled } from './grad-mode';
import { Tensor } from './tensor';
import { defaultGenerator, Generator, manualSeed as seedDefaultGenerator } from './random';
import { enterScope, exitScope, keepStorage, persistStorage } from './arena';

/** Keeps the tensors in `value` (a tensor, or an array/object holding tensors) alive past a tidy scope. */
function keepAll(value: unknown, depth = 0): void {
  if (value instanceof Tensor) {
    keepStorage(value._version);
    if (value.grad) persistStorage(value.grad._version);
  } else if (depth < 3 && value && typeof value === 'object') {
    for (const v of Array.isArray(value) ? value : Object.values(value)) keepAll(v, depth + 1);
  }
}

/**
 * Runs fn and then releases the memory of every tensor it created, except the ones it returns
 * (a tensor, or tensors inside a returned array/object), tensors passed to torch.keep(), and
 * gradients stored in leaves' .grad. Like tf.tidy: wrap each training step in it so big
 * buffers are reused from one epoch to the next instead of waiting for garbage collection.
 * Scopes nest; memory is released even when fn throws.
 */
function tidy<T>(fn: () => T): T {
  enterScope();
  try {
    const result = fn();
    keepAll(result);
    return result;
  } finally {
    exitScope();
  }
}

/** Marks t to survive every enclosing torch.tidy() scope (freed by the GC instead); returns t. */
function keep(t: Tensor): Tensor {
  persistStorage(t._version);
  return t;
}

export interface CreationOptions {
  requiresGrad?: boolean;
  dtype?: DType;
  /** the random functions' generator (torch.Generator); the default generator when absent */
  generator?: Generator;
}

/** Data accepted by torch.tensor: numbers, booleans, Python scalars, nested lists, typed arrays. */
export type TensorData = number | bigint | boolean | PyScalar | TensorDataList | Float32Array | Float64Array | Int32Array | Uint8Array;
export type TensorDataList = readonly TensorData[];

const FACTORY_GRAD_MESSAGE = 'Only Tensors of floating point and complex dtype can require gradients';

function finish(t: Tensor, opts: CreationOptions | undefined): Tensor {
  if (opts?.requiresGrad) {
    if (!isFloating(t.dtype)) throw runtimeError(FACTORY_GRAD_MESSAGE);
    t._leafRequiresGrad = true;
  }
  return t;
}

function checkShape(shape: readonly number[]): number[] {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw runtimeError(`Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`);
    }
  }
  return shape.slice();
}

function filled(shape: readonly number[], dtype: DType, value: number | bigint, opts?: CreationOptions): Tensor {
  const s = checkShape(shape);
  const t = Tensor.alloc(dtype, s);
  const v = castElement(dtype, value);
  if (v !== 0 || Object.is(v, -0)) fillStorage(t.data, dtype, v);
  return finish(t, opts);
}

/** Infers shape and dtype of nested data like torch.tensor, with PyTorch's ragged-list error. */
function inspect(data: TensorData): { shape: number[]; dtype: DType; flat: (number | bigint)[] } {
  const shape: number[] = [];
  let probe: TensorData = data;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    const arr = probe as ArrayLike<TensorData>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    probe = arr[0];
  }
  let kind = 0 as number; // 0 bool, 1 int, 2 float
  let sawElement = false;
  const flat: (number | bigint)[] = [];
  const walk = (v: TensorData, depth: number): void => {
    if (depth < shape.length) {
      if (!(Array.isArray(v) || ArrayBuffer.isView(v))) {
        throw typeError(`not a sequence`);
      }
      const arr = v as ArrayLike<TensorData>;
      if (arr.length !== shape[depth]) {
        throw valueError(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${arr.length})`);
      }
      if (v instanceof Float32Array || v instanceof Float64Array) kind = 2;
      else if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array)) kind = Math.max(kind, 1);
      for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1);
      return;
    }
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      throw valueError(`expected sequence of length ${shape.length > 0 ? 0 : 0} at dim ${depth} (got ${(v as ArrayLike<unknown>).length})`);
    }
    sawElement = true;
    if (typeof v === 'boolean') flat.push(v ? 1 : 0);
    else if (typeof v === 'bigint') {
      // a Python int, exact
      flat.push(v);
      if (kind === 0) kind = 1;
    } else if (typeof v === 'number') {
      flat.push(v);
      if (!Number.isInteger(v)) kind = 2;
      else if (kind === 0) kind = 1;
    } else if (isPyScalar(v)) {
      flat.push(v.value);
      if (v.pyKind === 'float') kind = 2;
      else if (v.pyKind === 'int' && kind === 0) kind = 1;
    } else {
      throw typeError(`Could not infer dtype of ${typeof v}`);
    }
  };
  walk(data, 0);
  // Uint8Array elements are numbers: treat as integers.
  if (data instanceof Uint8Array && kind === 0 && sawElement) kind = 1;
  const dtype: DType = !sawElement ? 'float32' : kind === 2 ? 'float32' : kind === 1 ? 'int64' : 'bool';
  return { shape, dtype, flat };
}

function tensor(data: TensorData, opts?: CreationOptions): Tensor {
  if (data instanceof Tensor) throw typeError('torch.tensor() expects data, not a Tensor; use t.clone().detach()');
  const { shape, dtype: inferred, flat } = inspect(data);
  const dtype = opts?.dtype ?? inferred;
  const t = Tensor.alloc(dtype, shape);
  const storage = t.data as { [index: number]: number | bigint };
  for (let i = 0; i < flat.length; i++) storage[i] = castElement(dtype, flat[i]);
  return finish(t, opts);
}

function zeros(shape: readonly number[], opts?: CreationOptions): Tensor {
  return filled(shape, opts?.dtype ?? 'float32', 0, opts);
}
function ones(shape: readonly number[], opts?: CreationOptions): Tensor {
  return filled(shape, opts?.dtype ?? 'float32', 1, opts);
}
/** torch.full: dtype follows the fill value (bool, int -> int64, float -> float32) unless given. */
function full(shape: readonly number[], value: number | bigint | boolean | PyScalar, opts?: CreationOptions): Tensor {
  let dtype: DType;
  let v: number | bigint;
  if (typeof value === 'boolean') {
    dtype = 'bool';
    v = value ? 1 : 0;
  } else if (typeof value === 'bigint') {
    dtype = 'int64';
    v = value;
  } else if (typeof value === 'number') {
    dtype = Number.isInteger(value) ? 'int64' : 'float32';
    v = value;
  } else {
    dtype = value.pyKind === 'bool' ? 'bool' : value.pyKind === 'int' ? 'int64' : 'float32';
    v = value.value;
  }
  return filled(shape, opts?.dtype ?? dtype, v, opts);
}
/** The options of a *_like factory: t's dtype unless given (requires_grad is never copied). */
function likeOptions(t: Tensor, opts?: CreationOptions): CreationOptions {
  return { ...opts, dtype: opts?.dtype ?? t.dtype };
}
function zerosLike(t: Tensor, opts?: CreationOptions): Tensor {
  return filled(t.shape, opts?.dtype ?? t.dtype, 0, opts);
}
function onesLike(t: Tensor, opts?: CreationOptions): Tensor {
  return filled(t.shape, opts?.dtype ?? t.dtype, 1, opts);
}
function fullLike(t: Tensor, value: number | bigint | boolean | PyScalar, opts?: CreationOptions): Tensor {
  const v = typeof value === 'number' || typeof value === 'bigint' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : value.value;
  return filled(t.shape, opts?.dtype ?? t.dtype, v, opts);
}
function randLike(t: Tensor, opts?: CreationOptions): Tensor {
  return rand(t.shape, likeOptions(t, opts));
}
function randnLike(t: Tensor, opts?: CreationOptions): Tensor {
  return randn(t.shape, likeOptions(t, opts));
}

/** torch.eye(n, m): ones on the diagonal. */
function eye(n: number, m: number = n, opts?: CreationOptions): Tensor {
  if (n < 0) throw runtimeError(`n must be greater or equal to 0, got ${n}`);
  if (m < 0) throw runtimeError(`m must be greater or equal to 0, got ${m}`);
  const t = filled([n, m], opts?.dtype ?? 'float32', 0, opts);
  const d = t.data as { [index: number]: number | bigint };
  const one = castElement(t.dtype, 1);
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = one;
  return t;
}

/**
 * torch.arange(end) / arange(start, end, step=1). int64 when every argument is an integer
 * (pass dtype 'float32' for Python floats such as 1.0), values start + i*step in double then cast;
 * int64 ranges of Python ints (bigints) count in int64, as ATen's accscalar_t does.
 */
function arange(start: number | bigint, end?: number | bigint, step: number | bigint = 1, opts?: CreationOptions): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (typeof start === 'bigint' || typeof end === 'bigint' || typeof step === 'bigint') {
    if ((opts?.dtype ?? 'int64') === 'int64' && [start, end, step].every((v) => typeof v === 'bigint' || Number.isInteger(v))) {
      return arangeInt64(asBig(start), asBig(end), asBig(step), opts);
    }
    return arange(Number(start), Number(end), Number(step), opts);
  }
  if (step === 0) throw runtimeError('step must be nonzero');
  if ((step > 0 && start > end) || (step < 0 && start < end)) {
    throw runtimeError('upper bound and larger bound inconsistent with step sign');
  }
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts?.dtype ?? (allInt ? 'int64' : 'float32');
  if (dtype === 'int64') return arangeInt64(asBig(start), asBig(end), asBig(step), opts);
  const n = Math.ceil((end - start) / step);
  const data = allocStorage(dtype, n) as Exclude<Storage, BigInt64Array>;
  for (let i = 0; i < n; i++) data[i] = castValue(dtype, start + i * step);
  return finish(new Tensor(data, [n], dtype), opts);
}

const asBig = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));

/** arange in int64: size ceil((end - start + step - sign(step)) / step), values start + step * i. */
function arangeInt64(start: bigint, end: bigint, step: bigint, opts?: CreationOptions): Tensor {
  if (step === 0n) throw runtimeError('step must be nonzero');
  if ((step > 0n && start > end) || (step < 0n && start < end)) throw runtimeError('upper bound and larger bound inconsistent with step sign');
  const sign = step > 0n ? 1n : -1n;
  const n = Number((end - start + step - sign) / step);
  const data = allocStorage('int64', n) as BigInt64Array;
  for (let i = 0; i < n; i++) data[i] = start + step * BigInt(i);
  return finish(new Tensor(data, [n], 'int64'), opts);
}

/** torch.linspace, with the CPU kernel's float32 step and its vectorized/scalar halves. */
function linspace(start: number, end: number, steps: number, opts?: CreationOptions): Tensor {
  if (steps < 0) throw runtimeError('number of steps must be non-negative');
  const dtype = opts?.dtype ?? 'float32';
  const storage = allocStorage(dtype, steps);
  if (dtype !== 'float32') {
    const step = steps > 1 ? (end - start) / (steps - 1) : 0;
    const d = storage as { [index: number]: number | bigint };
    for (let i = 0; i < steps; i++) d[i] = castElement(dtype, i < steps / 2 ? start + step * i : end - step * (steps - i - 1));
    return finish(new Tensor(storage, [steps], dtype), opts);
  }
  const data = storage as Float32Array;
  const fr = Math.fround;
  const s = fr(start);
  const e = fr(end);
  if (steps === 1) data[0] = s;
  else if (steps > 1) {
    const step = fr(fr(e - s) / (steps - 1));
    const halfway = Math.floor(steps / 2);
    // start + step * idx and end - step * (steps - idx - 1): the compiler fuses each into one multiply-add
    const at = (idx: number): number => (idx < halfway ? fma32(step, idx, s) : fma32(-step, steps - idx - 1, e));
    let idx = 0;
    // cpu_serial_kernel_vec: pairs of 8-wide vectors, each arange(base, step) from its first index
    for (; idx + 16 <= steps; ) {
      for (let v = 0; v < 2; v++, idx += 8) {
        const base = at(idx);
        for (let k = 0; k < 8; k++) data[idx + k] = fr(base + fr(step * k));
      }
    }
    for (; idx < steps; idx++) data[idx] = at(idx);
  }
  return finish(new Tensor(data, [steps], dtype), opts);
}

function floatDTypeOf(name: string, opts?: CreationOptions): DType {
  const dtype = opts?.dtype ?? 'float32';
  if (!isFloating(dtype)) throw runtimeError(`"${name}" not implemented for '${TYPE_NAME[dtype]}'`);
  return dtype;
}

function rand(shape: readonly number[], opts?: CreationOptions): Tensor {
  const dtype = floatDTypeOf('check_uniform_bounds', opts);
  const t = zeros(shape, { dtype });
  const g = opts?.generator ?? defaultGenerator;
  if (dtype === 'float32') g.randFill(t.data as Float32Array);
  else g.fillDoubleUniform(t.data as Float64Array);
  return finish(t, opts);
}
function randn(shape: readonly number[], opts?: CreationOptions): Tensor {
  const dtype = floatDTypeOf('normal_kernel_cpu', opts);
  const t = zeros(shape, { dtype });
  (opts?.generator ?? defaultGenerator).normalFill(t.data as Float32Array | Float64Array, 0, 1);
  return finish(t, opts);
}
/** torch.normal(mean, std, size) with Python numbers. */
function normal(mean: number, std: number, shape: readonly number[], opts?: CreationOptions): Tensor {
  if (std < 0) throw runtimeError(`normal expects std >= 0.0, but found std ${formatStd(std)}`);
  const dtype = floatDTypeOf('normal_kernel_cpu', opts);
  const t = zeros(shape, { dtype });
  (opts?.generator ?? defaultGenerator).normalFill(t.data as Float32Array | Float64Array, mean, std);
  return finish(t, opts);
}
function formatStd(std: number): string {
  return Number.isInteger(std) ? `${std}` : String(std);
}
/** torch.randint(low, high, size): int64 unless a dtype is given; values (random() % range) + low. */
function randint(low: number, high: number, shape: readonly number[], opts?: CreationOptions): Tensor {
  if (!(low < high)) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const dtype = opts?.dtype ?? 'int64';
  const t = zeros(shape, { dtype });
  const values = new Float64Array(t.numel());
  (opts?.generator ?? defaultGenerator).randintFill(values, low, high);
  const d = t.data as { [index: number]: number | bigint };
  for (let i = 0; i < values.length; i++) d[i] = castElement(dtype, values[i]);
  return finish(t, opts);
}
/** torch.randperm(n): a shuffle of 0 .. n-1 (int64 unless a dtype is given). */
function randperm(n: number, opts?: CreationOptions): Tensor {
  if (n < 0) throw runtimeError(`n must be non-negative, got${n}`);
  const dtype = opts?.dtype ?? 'int64';
  const values = new Float64Array(n);
  (opts?.generator ?? defaultGenerator).randpermFill(values);
  const t = zeros([n], { dtype });
  const d = t.data as { [index: number]: number | bigint };
  for (let i = 0; i < n; i++) d[i] = castElement(dtype, values[i]);
  return finish(t, opts);
}
/** t.uniform_(from, to) / t.normal_(mean, std): refills a float tensor in place from `generator` (the default one if absent). */
function randomFillInPlace(t: Tensor, kind: 'uniform' | 'normal', a: number, b: number, generator: Generator = defaultGenerator): Tensor {
  if (!isFloating(t.dtype)) throw runtimeError(`"${kind === 'uniform' ? 'check_uniform_bounds' : 'normal_kernel_cpu'}" not implemented for '${TYPE_NAME[t.dtype]}'`);
  if (kind === 'uniform' && !(a <= b)) throw runtimeError(`uniform_ expects to return a [from, to) range, but found from=${a} > to=${b}`);
  if (kind === 'normal' && b < 0) throw runtimeError(`normal expects std >= 0.0, but found std ${formatStd(b)}`);
  const values = t.dtype === 'float32' ? new Float32Array(t.numel()) : new Float64Array(t.numel());
  if (kind === 'uniform') generator.uniformFill(values, a, b);
  else generator.normalFill(values, a, b);
  t.data = values;
  t._version.value++;
  return t;
}

function manualSeed(seed: number): void {
  seedDefaultGenerator(seed);
}

export const torch = {
  tensor,
  zeros,
  ones,
  full,
  eye,
  zerosLike,
  onesLike,
  fullLike,
  randLike,
  randnLike,
  arange,
  linspace,
  rand,
  randn,
  normal,
  randint,
  randperm,
  randomFillInPlace,
  manualSeed,
  /** the default CPU generator (torch.default_generator) */
  defaultGenerator,
  noGrad,
  enterNoGrad,
  isGradEnabled,
  /** torch.set_grad_enabled(flag); returns the restore function */
  setGradEnabled,
  isInferenceModeEnabled,
  enterInferenceMode,
  tidy,
  keep,
};
