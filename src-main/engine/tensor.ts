// The Tensor: a strided window on a storage (sizes, strides and a storage offset, as in PyTorch)
// plus autograd metadata. Views (view, t, transpose, permute, expand, select, slices, ...)
// share the storage and its version counter. Arithmetic lives in ops/ (one registered
// definition per op, forward and backward together); this class is the Python-facing surface
// the runner and the trainer call.
import { runBackward, checkGradientShape, Node } from './autograd';
import type { EngineOps, InputMeta } from './autograd';
import { runtimeError, valueError, indexError } from './errors';
import { allocStorage, isFloating } from './dtype';
import { allocFloat32, StorageRef } from './arena';
import { guardAllocation } from './allocation-guard';
import type { DType, ScalarLike, Storage } from './dtype';
import { contiguousStrides, formatSize, normalizeDim, numelOf, stridesAreContiguous } from './shape';
import { gatherContiguous, scatterInto } from './strided';
import * as ops from './ops/index';
import { formatTensorRepr } from './format';

/** Shared by a tensor and its views: version counter (bumped by in-place changes) and lifetime. */
export { StorageRef as VersionCounter };

const DISPOSED_MESSAGE =
  "This tensor's memory was released when the torch.tidy() scope that created it ended; return it from the tidy function or pass it to torch.keep() to use it afterwards";

export type NestedArray = number | bigint | boolean | NestedArray[];

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal the whole storage, shared with every view of it */
  readonly _storage: Storage;
  /** @internal index of element [0, 0, ...] in the storage */
  readonly _offset: number;
  /** @internal strides in elements, or null for row-major contiguous ones */
  readonly _strides: readonly number[] | null;
  /** @internal the elements as one contiguous row-major range of the storage, or null when they are not */
  private readonly _window: Storage | null;
  grad: Tensor | null = null;
  /** @internal */ _gradFn: Node | null = null;
  /** @internal */ _leafRequiresGrad = false;
  /** @internal */ _version: StorageRef;
  /** @internal the tensor this one is a view of (view/index/detach/transpose/...), else null */
  _base: Tensor | null = null;
  /** @internal a Python number wrapped as a 0-d tensor (it promotes like a scalar) */
  _wrappedNumber = false;
  /** @internal */ private accumulateNode: Node | null = null;
  /** @internal shape and dtype as the graph nodes this tensor feeds keep them (made once, shared) */
  private inputMeta: InputMeta | null = null;

  /**
   * Wraps `data` as a tensor: by default a new contiguous one over the whole array. Pass the
   * owner's StorageRef when `data` is another tensor's storage, and a storage offset and
   * strides for a strided window on it (see Tensor._view).
   */
  constructor(data: Storage, shape: readonly number[], dtype: DType, ref?: StorageRef, offset = 0, strides: readonly number[] | null = null) {
    this.shape = shape;
    this.dtype = dtype;
    this._storage = data;
    this._offset = offset;
    this._strides = strides;
    // Without strides the data is exactly the new tensor's elements (or, shorter, a stand-in
    // whose values are never read); a view's window is the row-major range it covers, if any.
    if (strides === null && offset === 0) this._window = data;
    else if (strides !== null && !stridesAreContiguous(shape, strides)) this._window = null;
    else this._window = data.subarray(offset, offset + numelOf(shape));
    this._version = ref ?? new StorageRef();
  }

  /**
   * @internal A view of `source`'s storage with its own sizes, strides (null: row-major) and
   * storage offset. It shares the version counter; `_base` is the tensor that owns the storage.
   */
  static _view(source: Tensor, shape: readonly number[], strides: readonly number[] | null, offset: number): Tensor {
    // (strides always given: a view covers part of the storage even where its strides are row-major)
    const t = new Tensor(source._storage, shape, source.dtype, source._version, offset, strides ?? contiguousStrides(shape));
    t._base = source._base ?? source;
    return t;
  }

  /** A new zero-filled tensor (`uninitialized`: the caller writes every element); big float32 tensors live in the WebAssembly arena (fast kernels). */
  static alloc(dtype: DType, shape: readonly number[], uninitialized = false): Tensor {
    const ref = new StorageRef();
    const n = numelOf(shape);
    const data = dtype === 'float32' ? allocFloat32(n, ref, uninitialized) : allocStorage(dtype, n);
    return new Tensor(data, shape, dtype, ref);
  }

  /**
   * The elements in row-major order. For a contiguous tensor this is its range of the storage
   * itself (writes go into the tensor); for a non-contiguous view it is a fresh copy.
   */
  get data(): Storage {
    const ref = this._version;
    if (ref.disposed) throw runtimeError(DISPOSED_MESSAGE);
    if (ref.pendingFill !== null) writePendingFill(ref);
    const w = this._window;
    return w !== null ? w : gatherContiguous(this, this.dtype);
  }

  /** @internal the whole storage (pending lazy fills written out), for strided access */
  _storageData(): Storage {
    const ref = this._version;
    if (ref.disposed) throw runtimeError(DISPOSED_MESSAGE);
    if (ref.pendingFill !== null) writePendingFill(ref);
    return this._storage;
  }

  /** Overwrites the elements in place (same element count, row-major); the storage itself stays. */
  set data(values: Storage | ArrayLike<number>) {
    const numel = this.numel();
    if (values.length !== numel) {
      throw runtimeError(`cannot assign ${values.length} values to a tensor of ${numel} elements; shapes must match`);
    }
    const target = this._window;
    if (target === null || (target instanceof BigInt64Array) !== values instanceof BigInt64Array) {
      // (scatterInto converts numbers into an int64 storage and back)
      scatterInto(this, values);
      return;
    }
    this._storageData();
    const t = target as { [index: number]: number | bigint };
    const v = values as ArrayLike<number | bigint>;
    for (let i = 0; i < v.length; i++) t[i] = v[i];
  }

  /** A float32 tensor of `shape` whose elements all equal `value`, written out only when read. */
  static uniform(shape: readonly number[], value: number): Tensor {
    const t = Tensor.alloc('float32', shape, true);
    t._version.pendingFill = Math.fround(value);
    t._version.pendingArray = t._storage as Float32Array;
    return t;
  }

  /** @internal the uniform value of a not-yet-written uniform tensor, else null */
  _uniformValue(): number | null {
    return this._version.pendingFill;
  }
  /**
   * @internal Sets every element to `value` lazily (written out when the storage is next read,
   * or consumed directly by kernels that understand uniform values). Only for float32 tensors
   * that own their whole storage; returns false (nothing done) otherwise.
   */
  _fillLazily(value: number): boolean {
    if (this._base !== null || this.dtype !== 'float32' || this._window !== this._storage) return false;
    const ref = this._version;
    if (ref.disposed) throw runtimeError(DISPOSED_MESSAGE);
    ref.pendingFill = Math.fround(value);
    ref.pendingArray = this._storage as Float32Array;
    return true;
  }

  // ---- layout -------------------------------------------------------------------------------
  /** tensor.stride(): elements to step in the storage per index of each dimension. */
  strides(): number[] {
    return this._strides === null ? contiguousStrides(this.shape) : this._strides.slice();
  }
  /** tensor.storage_offset() */
  storageOffset(): number {
    return this._offset;
  }
  /** tensor.is_contiguous(): the elements are one row-major range of the storage. */
  isContiguous(): boolean {
    return this._window !== null;
  }

  // ---- autograd metadata ----------------------------------------------------------------
  get gradFn(): Node | null {
    return this._gradFn;
  }
  get isLeaf(): boolean {
    return this._gradFn === null;
  }
  get requiresGrad(): boolean {
    return this._gradFn !== null || this._leafRequiresGrad;
  }
  set requiresGrad(flag: boolean) {
    this.setRequiresGrad(flag, 'only Tensors of floating point and complex dtype can require gradients');
  }
  requiresGrad_(flag = true): Tensor {
    this.setRequiresGrad(flag, 'only Tensors of floating point dtype can require gradients');
    return this;
  }
  private setRequiresGrad(flag: boolean, nonFloatMessage: string): void {
    if (!this.isLeaf) {
      if (flag) return;
      throw runtimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (flag && !isFloating(this.dtype)) throw runtimeError(nonFloatMessage);
    this._leafRequiresGrad = flag;
  }
  /** t.register_hook(fn): fn sees (and may replace) the gradient flowing into t during backward; returns the remover. */
  registerHook(hook: (grad: Tensor) => Tensor | null): () => void {
    if (!this.requiresGrad) throw runtimeError("cannot register a hook on a tensor that doesn't require gradient");
    const node = this._gradFn ?? this._accumulateNode();
    const hooks = (node.hooks ??= []);
    hooks.push(hook);
    return () => {
      const i = hooks.indexOf(hook);
      if (i >= 0) hooks.splice(i, 1);
    };
  }

  /** t.retain_grad(): a non-leaf keeps its .grad after backward (a leaf does anyway). */
  retainGrad(): void {
    if (!this.requiresGrad) throw runtimeError("can't retain_grad on Tensor that has requires_grad=False");
    if (this.isLeaf) return;
    this._gradFn!.retainedOutput = this;
  }
  /** t.retains_grad */
  get retainsGrad(): boolean {
    return this._gradFn !== null && this._gradFn.retainedOutput === this;
  }
  /** @internal AccumulateGrad sink for a leaf that requires grad (one per leaf, like PyTorch). */
  _accumulateNode(): Node {
    if (!this.accumulateNode) this.accumulateNode = Node.accumulateGrad(this);
    return this.accumulateNode;
  }
  /** @internal what a node keeps of this input (both fields are immutable, so every node can share one) */
  _inputMeta(): InputMeta {
    return (this.inputMeta ??= { shape: this.shape, dtype: this.dtype });
  }
  /** @internal */
  _isView(): boolean {
    return this._base !== null;
  }

  // ---- size queries ---------------------------------------------------------------------
  numel(): number {
    // not via `data`: asking the size must not write out a pending uniform value
    if (this._version.disposed) throw runtimeError(DISPOSED_MESSAGE);
    // a contiguous tensor's window holds exactly its elements
    const w = this._window;
    return w !== null ? w.length : numelOf(this.shape);
  }
  dim(): number {
    return this.shape.length;
  }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape.slice();
    return this.shape[normalizeDim(dim, this.shape.length)];
  }
  /** 'torch.Size([2, 3])' */
  sizeString(): string {
    return formatSize(this.shape);
  }

  // ---- values -------------------------------------------------------------------------
  /** The single element as a float64 number (float32 widened, bool as 0/1, int64 to the nearest double). */
  item(): number {
    return Number(this.itemExact());
  }
  /** The single element exactly: a bigint for int64, else a number. */
  itemExact(): number | bigint {
    if (this.numel() !== 1) throw valueError('only one element tensors can be converted to Python scalars');
    return this._storageData()[this._offset];
  }
  /** Nested arrays of numbers (bigints for int64, booleans for bool tensors); a 0-d tensor gives its value. */
  tolist(): number | bigint | boolean | NestedArray[] {
    guardAllocation(this.numel() * 8); // one array slot per element, more for the nesting
    const data = this.data;
    const isBool = this.dtype === 'bool';
    const shape = this.shape;
    if (shape.length === 0) return isBool ? data[0] !== 0 : data[0];
    let offset = 0;
    const build = (d: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < shape[d]; i++) {
        if (d === shape.length - 1) {
          const v = data[offset++];
          out.push(isBool ? v !== 0 : v);
        } else out.push(build(d + 1));
      }
      return out;
    };
    return build(0);
  }
  toString(): string {
    return formatTensorRepr(this);
  }

  // ---- arithmetic (Python operator semantics; numbers are Python scalars) ----------------
  add(o: Tensor | ScalarLike): Tensor {
    return ops.add(this, o);
  }
  sub(o: Tensor | ScalarLike): Tensor {
    return ops.sub(this, o);
  }
  mul(o: Tensor | ScalarLike): Tensor {
    return ops.mul(this, o);
  }
  div(o: Tensor | ScalarLike): Tensor {
    return ops.div(this, o);
  }
  /** n - this */
  rsub(n: ScalarLike | Tensor): Tensor {
    return ops.rsub(this, n);
  }
  /** n / this (PyTorch computes reciprocal() * n) */
  rdiv(n: ScalarLike | Tensor): Tensor {
    return ops.rdiv(this, n);
  }
  /** n ** this */
  rpow(n: ScalarLike): Tensor {
    return ops.rpow(this, n);
  }
  pow(e: ScalarLike | Tensor): Tensor {
    return ops.pow(this, e);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  reciprocal(): Tensor {
    return ops.reciprocal(this);
  }
  sum(dim?: number | null, keepdim = false): Tensor {
    return ops.sum(this, dim ?? null, keepdim);
  }
  mean(dim?: number | null, keepdim = false): Tensor {
    return ops.mean(this, dim ?? null, keepdim);
  }
  matmul(o: Tensor): Tensor {
    return ops.matmul(this, o);
  }

  // ---- shape and views ----------------------------------------------------------------------
  reshape(shape: readonly number[]): Tensor {
    return ops.reshape(this, shape);
  }
  view(shape: readonly number[]): Tensor {
    return ops.view(this, shape);
  }
  /** t[i] along the first dimension (negative i counts from the end). */
  index(i: number): Tensor {
    return ops.indexSelect(this, 0, i);
  }
  /** t[start:stop] along the first dimension: a view (bounds clamped like a Python slice). */
  sliceRows(start: number, stop: number): Tensor {
    return ops.slice(this, 0, start, stop, 1);
  }
  /** t.to(dtype): this tensor when the dtype is already right, else a converted copy (ToCopyBackward0). */
  to(dtype: DType): Tensor {
    return ops.to(this, dtype);
  }
  /** The same values in a contiguous tensor (this tensor itself when it already is). */
  contiguous(): Tensor {
    return ops.contiguous(this);
  }
  clone(): Tensor {
    return ops.clone(this);
  }
  /** Same values and storage, no autograd history. */
  detach(): Tensor {
    return Tensor._view(this, this.shape, this._strides, this._offset);
  }

  // ---- in place ---------------------------------------------------------------------------
  add_(o: Tensor | ScalarLike): Tensor {
    return ops.inplaceBinary(this, o, 'add');
  }
  sub_(o: Tensor | ScalarLike): Tensor {
    return ops.inplaceBinary(this, o, 'sub');
  }
  mul_(o: Tensor | ScalarLike): Tensor {
    return ops.inplaceBinary(this, o, 'mul');
  }
  div_(o: Tensor | ScalarLike): Tensor {
    return ops.inplaceBinary(this, o, 'div');
  }
  /**
   * this * b + c in one pass (`w * x + b`): same values and graph as mul then add. Returns
   * null, having done nothing, when the fused path does not apply (then run the two ops).
   */
  mulAdd(b: Tensor, c: Tensor | ScalarLike): Tensor | null {
    return ops.mulAdd(this, b, c);
  }
  /**
   * (this - other).pow(2).mean() as one op (the lessons' loss): same value, gradients and
   * grad_fn name as the three ops. Returns null, having done nothing, when the fused path does
   * not apply (other dtypes, broadcasting, no elements); then run the three ops.
   */
  squaredErrorMean(other: Tensor): Tensor | null {
    return ops.squaredErrorMean(this, other);
  }
  /** @internal true when this * b cannot fail (see ops.mulAdd) */
  _mulAddCandidate(b: Tensor): boolean {
    return ops.mulAddCandidate(this, b);
  }
  /**
   * this += y * s, or this -= y * s with `subtract` (`w -= lr * w.grad`), fused into one pass
   * with the values of the two steps. Returns null, having done nothing, when the fused path
   * does not apply (graph recording, other dtypes or shapes).
   */
  addScaledInPlace(y: Tensor, s: ScalarLike, subtract = false): Tensor | null {
    return ops.addScaledInPlace(this, y, s, subtract);
  }
  zero_(): Tensor {
    return ops.zeroInPlace(this);
  }

  // ---- autograd -------------------------------------------------------------------------------
  backward(gradient?: Tensor | null, options?: { retainGraph?: boolean }): void {
    if (!this.requiresGrad) {
      throw runtimeError('element 0 of tensors does not require grad and does not have a grad_fn');
    }
    let g: Tensor;
    if (gradient === undefined || gradient === null) {
      if (this.numel() !== 1) throw runtimeError('grad can be implicitly created only for scalar outputs');
      const data = allocStorage(this.dtype, 1);
      data[0] = 1;
      g = new Tensor(data, this.shape, this.dtype);
    } else {
      checkGradientShape(gradient, this);
      g = gradient.dtype === this.dtype ? gradient : ops.toDType(gradient, this.dtype);
    }
    runBackward(this, g, options?.retainGraph ?? false, ENGINE_OPS);
  }
}

function writePendingFill(ref: StorageRef): void {
  ref.pendingArray!.fill(ref.pendingFill!);
  ref.pendingFill = null;
  ref.pendingArray = null;
}

const ENGINE_OPS: EngineOps = {
  add: (a, b) => ops.addNoGrad(a, b),
  addInPlace: (target, b) => ops.addIntoNoGrad(target, b),
  sumTo: (g, shape) => ops.sumTo(g, shape),
  clone: (t) => ops.copyOf(t),
  cast: (t, dtype) => ops.toDType(t, dtype),
};

/** Checks an index along a dimension with PyTorch's IndexError text; returns it non-negative. */
export function checkIndex(i: number, size: number, dim: number): number {
  if (i < -size || i >= size) throw indexError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

export { numelOf };
