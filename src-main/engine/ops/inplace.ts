// In-place ops: t += o and friends, zero_(), fill_(), copy_(). Each bumps the version counter
// shared with t's views (so saved tensors notice) and follows PyTorch's rules on leaves,
// views and dtypes.
import { Node } from '../autograd';
import type { BackwardRule } from '../autograd';
import { runtimeError } from '../errors';
import { isGradEnabled } from '../grad-mode';
import { castElement, fillStorage, isFloating, TYPE_NAME } from '../dtype';
import type { DType, ScalarLike } from '../dtype';
import { BinaryOp } from '../kernels';
import { broadcastShapes, sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { NONE } from './registry';
import { asTensor, copyOf, fullLike, resultTypeOf, toDType } from './common';
import { add, checkBoolSub, div, mul, sub } from './elementwise';
import { arith, floatDType } from './elementwise-raw';
import { copyInto, snapshotHistory } from './common';
import { rebaseView } from './rebase';
import { addScaled, addScaledRaw } from './scaled';

const BINARY: Record<'add' | 'sub' | 'mul' | 'div', BinaryOp> = {
  add: BinaryOp.Add,
  sub: BinaryOp.Sub,
  mul: BinaryOp.Mul,
  div: BinaryOp.Div,
};

/** PyTorch's checks before an in-place change while gradients are recorded. */
export function checkInPlaceAllowed(t: Tensor): void {
  if (!isGradEnabled()) return;
  if (t.isLeaf && t.requiresGrad) {
    throw runtimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const base = t._base;
  // (a detach()ed view records nothing and may be changed)
  if (t._gradFn !== null && base !== null && base.isLeaf && base.requiresGrad) {
    throw runtimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

function canCast(from: DType, to: DType): boolean {
  // PyTorch refuses float -> integral and anything non-bool -> bool for in-place results.
  if (isFloating(from) && !isFloating(to)) return false;
  if (to === 'bool' && from !== 'bool') return false;
  return true;
}

/** t op= o: `w -= lr * w.grad` and friends; with `alpha`, add_/sub_(o, alpha=...) (one fused multiply-add). */
export function inplaceBinary(t: Tensor, o: Tensor | ScalarLike, kind: 'add' | 'sub' | 'mul' | 'div', alpha?: number): Tensor {
  const other = asTensor(o);
  checkInPlaceAllowed(t);
  if (kind === 'sub') checkBoolSub(t, other);
  const promoted = resultTypeOf(t, other);
  const resultDType = kind === 'div' ? floatDType(promoted) : promoted;
  if (!canCast(resultDType, t.dtype)) {
    throw runtimeError(`result type ${TYPE_NAME[resultDType]} can't be cast to the desired output type ${TYPE_NAME[t.dtype]}`);
  }
  const outShape = broadcastShapes(t.shape, other.shape);
  if (!sameShape(outShape, t.shape)) {
    throw runtimeError(`output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${outShape.join(', ')}]`);
  }
  const recordGraph = isGradEnabled() && (t.requiresGrad || other.requiresGrad);
  const scaledBy = alpha !== undefined && (kind === 'add' || kind === 'sub') ? alpha : null;
  if (!recordGraph) {
    if (scaledBy !== null) t.data = toDType(addScaledRaw(t, other, kind === 'sub' ? -scaledBy : scaledBy), t.dtype).data;
    else if (resultDType === t.dtype && t.isContiguous()) arith(BINARY[kind], t, other, t.dtype, t);
    else t.data = toDType(arith(BINARY[kind], t, other, resultDType), t.dtype).data;
    t._version.value++;
    return t;
  }
  // Graph path: the op reads the value t had before, kept in a copy that shares t's history.
  const before = copyOf(t);
  before._gradFn = t._gradFn;
  const result = scaledBy !== null ? addScaled(before, other, scaledBy, kind === 'sub') : { add, sub, mul, div }[kind](before, other);
  t.data = result.dtype === t.dtype ? result.data : toDType(result, t.dtype).data;
  t._gradFn = result._gradFn;
  t._version.value++;
  if (t._base !== null) rebaseView(t);
  return t;
}

/**
 * t op= o for the operators without a kernel of their own (//=, %=, &=, |=, ^=): `compute`
 * gives the result from t's current value (a stand-in with t's history when a graph is
 * recorded), which is then written into t with PyTorch's in-place checks.
 */
export function inplaceFrom(t: Tensor, compute: (self: Tensor) => Tensor): Tensor {
  checkInPlaceAllowed(t);
  let self = t;
  if (isGradEnabled() && t.requiresGrad) {
    self = copyOf(t);
    self._gradFn = t._gradFn;
  }
  const result = compute(self);
  if (!canCast(result.dtype, t.dtype)) {
    throw runtimeError(`result type ${TYPE_NAME[result.dtype]} can't be cast to the desired output type ${TYPE_NAME[t.dtype]}`);
  }
  if (!sameShape(result.shape, t.shape)) {
    throw runtimeError(`output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${result.shape.join(', ')}]`);
  }
  t.data = toDType(result, t.dtype).data;
  t._version.value++;
  if (isGradEnabled() && result.requiresGrad) {
    t._gradFn = result._gradFn;
    if (t._base !== null) rebaseView(t);
  }
  return t;
}

const ZERO_BACKWARD: BackwardRule<unknown> = (g) => [fullLike(g.shape, g.dtype, 0)];

export function zeroInPlace(t: Tensor): Tensor {
  return fillInPlace(t, 0, 'ZeroBackward0');
}

/** t.fill_(value): every element set (grad_fn FillBackward0 when t is in a graph). */
export function fillInPlace(t: Tensor, value: ScalarLike, gradFn = 'FillBackward0'): Tensor {
  checkInPlaceAllowed(t);
  const v = castElement(t.dtype, typeof value === 'number' || typeof value === 'bigint' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : value.value);
  const graph = isGradEnabled() && t.requiresGrad;
  if (graph) {
    const inputMeta = [{ shape: t.shape, dtype: t.dtype }];
    t._gradFn = new Node({ name: gradFn, next: [t._gradFn], inputMeta, rule: ZERO_BACKWARD, attrs: NONE });
  }
  // Big gradients are zeroed lazily: the next backward adds into them in the same pass.
  if (t.numel() < 16 || typeof v === 'bigint' || !t._fillLazily(v)) {
    if (t.isContiguous()) fillStorage(t.data, t.dtype, v);
    else copyInto(t, fullLike([], t.dtype, v));
  }
  t._version.value++;
  if (graph && t._base !== null) rebaseView(t);
  return t;
}

/** t.copy_(src): src's values (broadcast, converted to t's dtype) written into t. */
export function copyInPlace(t: Tensor, src: Tensor): Tensor {
  checkInPlaceAllowed(t);
  const shape = broadcastShapes(t.shape, src.shape);
  if (!sameShape(shape, t.shape)) {
    throw runtimeError(`output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
  }
  const graph = isGradEnabled() && (t.requiresGrad || src.requiresGrad);
  const before = graph ? snapshotHistory(t) : null;
  copyInto(t, src);
  t._version.value++;
  if (before !== null) {
    const inputMeta = [
      { shape: t.shape, dtype: t.dtype },
      { shape: src.shape, dtype: src.dtype },
    ];
    const next = [before.requiresGrad ? before._gradFn : null, src.requiresGrad ? (src._gradFn ?? src._accumulateNode()) : null];
    // self: zeros;  src: grad (summed to src's shape by the engine), in src's dtype
    const rule: BackwardRule<unknown> = (g, { needs }) => [needs[0] ? fullLike(g.shape, g.dtype, 0) : null, needs[1] ? toDType(g, src.dtype) : null];
    t._gradFn = new Node({ name: 'CopyBackwards', next, inputMeta, rule, attrs: NONE });
    if (t._base !== null) rebaseView(t);
  }
  return t;
}
