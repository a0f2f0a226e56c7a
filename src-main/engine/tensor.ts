// The Tensor: contiguous row-major storage plus autograd metadata. Arithmetic lives in ops.ts
// (one registered definition per op, forward and backward together); this class is the
// Python-facing surface the runner and the trainer call.
import { runBackward, checkGradientShape, Node } from './autograd';
import type { EngineOps } from './autograd';
import { runtimeError, valueError, indexError } from './errors';
import { allocStorage, isFloating } from './dtype';
import { allocFloat32, StorageRef } from './arena';
import type { DType, ScalarLike, Storage } from './dtype';
import { formatSize, normalizeDim, numelOf } from './shape';
import * as ops from './ops';
import { formatTensorRepr } from './format';

/** Shared by a tensor and its views: version counter (bumped by in-place changes) and lifetime. */
export { StorageRef as VersionCounter };

const DISPOSED_MESSAGE =
  "This tensor's memory was released when the torch.tidy() scope that created it ended; return it from the tidy function or pass it to torch.keep() to use it afterwards";

export type NestedArray = number | boolean | NestedArray[];

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal */ private _data: Storage;
  grad: Tensor | null = null;
  /** @internal */ _gradFn: Node | null = null;
  /** @internal */ _leafRequiresGrad = false;
  /** @internal */ _version: StorageRef;
  /** @internal the tensor this one is a view of (reshape/view/index/detach), else null */
  _base: Tensor | null = null;
  /** @internal */ private accumulateNode: Node | null = null;

  /** Wraps existing storage; pass the owner's StorageRef when `data` aliases another tensor's storage. */
  constructor(data: Storage, shape: readonly number[], dtype: DType, ref?: StorageRef) {
    this._data = data;
    this.shape = shape;
    this.dtype = dtype;
    this._version = ref ?? new StorageRef();
  }

  /** A new zero-filled tensor (`uninitialized`: the caller writes every element); big float32 tensors live in the WebAssembly arena (fast kernels). */
  static alloc(dtype: DType, shape: readonly number[], uninitialized = false): Tensor {
    const ref = new StorageRef();
    const n = numelOf(shape);
    const data = dtype === 'float32' ? allocFloat32(n, ref, uninitialized) : allocStorage(dtype, n);
    return new Tensor(data, shape, dtype, ref);
  }

  /** Contiguous row-major storage (Float32Array for float32, Float64Array of integers for int64, Uint8Array for bool). */
  get data(): Storage {
    const ref = this._version;
    if (ref.disposed) throw runtimeError(DISPOSED_MESSAGE);
    if (ref.pendingFill !== null) {
      ref.pendingArray!.fill(ref.pendingFill);
      ref.pendingFill = null;
      ref.pendingArray = null;
    }
    return this._data;
  }

  /** A float32 tensor of `shape` whose elements all equal `value`, written out only when read. */
  static uniform(shape: readonly number[], value: number): Tensor {
    const t = Tensor.alloc('float32', shape, true);
    t._version.pendingFill = Math.fround(value);
    t._version.pendingArray = t._data as Float32Array;
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
    if (this._base !== null || this.dtype !== 'float32') return false;
    const ref = this._version;
    if (ref.disposed) throw runtimeError(DISPOSED_MESSAGE);
    ref.pendingFill = Math.fround(value);
    ref.pendingArray = this._data as Float32Array;
    return true;
  }

  /** Overwrites the values in place (same element count); the storage itself stays. */
  set data(values: ArrayLike<number>) {
    const target = this.data;
    if (values.length !== target.length) {
      throw runtimeError(`cannot assign ${values.length} values to a tensor of ${target.length} elements; shapes must match`);
    }
    for (let i = 0; i < values.length; i++) target[i] = values[i];
  }

  // ---- autograd metadata ----------------------------------------------------------------
  get gradFn(): { readonly name: string } | null {
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
  /** @internal AccumulateGrad sink for a leaf that requires grad (one per leaf, like PyTorch). */
  _accumulateNode(): Node {
    if (!this.accumulateNode) this.accumulateNode = Node.accumulateGrad(this);
    return this.accumulateNode;
  }
  /** @internal */
  _isView(): boolean {
    return this._base !== null;
  }

  // ---- size queries ---------------------------------------------------------------------
  numel(): number {
    // not via `data`: asking the size must not write out a pending uniform value
    if (this._version.disposed) throw runtimeError(DISPOSED_MESSAGE);
    return this._data.length;
  }
  dim(): number {
    return this.shape.length;
  }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape.slice();
    return this.shape[normalizeDim(dim, this.shape.length === 0 ? 0 : this.shape.length)];
  }
  /** 'torch.Size([2, 3])' */
  sizeString(): string {
    return formatSize(this.shape);
  }

  // ---- values -------------------------------------------------------------------------
  /** The single element as a float64 number (float32 widened, bool as 0/1). */
  item(): number {
    if (this.data.length !== 1) throw valueError('only one element tensors can be converted to Python scalars');
    return this.data[0];
  }
  /** Nested arrays of numbers (booleans for bool tensors); a 0-d tensor gives its value. */
  tolist(): number | boolean | NestedArray[] {
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
  reshape(shape: readonly number[]): Tensor {
    return ops.reshape(this, shape, 'reshape');
  }
  view(shape: readonly number[]): Tensor {
    return ops.reshape(this, shape, 'view');
  }
  /** t[i] along the first dimension (negative i counts from the end). */
  index(i: number): Tensor {
    return ops.select(this, i);
  }
  /** t[start:stop] along the first dimension: a view (bounds clamped like a Python slice). */
  sliceRows(start: number, stop: number): Tensor {
    return ops.sliceRows(this, start, stop);
  }
  clone(): Tensor {
    return ops.clone(this);
  }
  /** Same values and storage, no autograd history. */
  detach(): Tensor {
    const t = new Tensor(this.data, this.shape, this.dtype, this._version);
    t._base = this._base ?? this;
    return t;
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

const ENGINE_OPS: EngineOps = {
  add: (a, b) => ops.addNoGrad(a, b),
  addInPlace: (target, b) => ops.addIntoNoGrad(target, b),
  sumTo: (g, shape) => ops.sumTo(g, shape),
  clone: (t) => ops.copyOf(t),
};

/** Checks an index along a dimension with PyTorch's IndexError text; returns it non-negative. */
export function checkIndex(i: number, size: number, dim: number): number {
  if (i < -size || i >= size) throw indexError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  return i < 0 ? i + size : i;
}

export { numelOf };
