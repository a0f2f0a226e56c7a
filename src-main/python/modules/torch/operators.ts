// Python's operators on tensors (+ - * / // % ** @ & | ^, comparisons, unary - + ~, in-place
// forms, iteration) and the fused kernels the fusion pass may use. The rules (broadcasting, type
// promotion, errors) are the engine's; this file maps Python's operators onto them.
import { isFloating, pyFloat, Tensor } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import type { Context, FusedKernels, Value } from '../../context';
import { typeError } from '../../errors';
import { notSupported, operand, type Operand } from './values';

const COMPARISONS: Record<string, ops.Comparison> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const REVERSED: Record<string, ops.Comparison> = { '==': 'eq', '!=': 'ne', '<': 'gt', '<=': 'ge', '>': 'lt', '>=': 'le' };

/** a == b, a < b, ...: a bool tensor (no autograd); undefined for operands that are not numbers. */
export function compareTensors(op: string, a: Value, b: Value): Tensor | undefined {
  const x = operand(a);
  const y = operand(b);
  if (x === undefined || y === undefined || COMPARISONS[op] === undefined) return undefined;
  if (x instanceof Tensor) return ops.compare(COMPARISONS[op], x, y);
  return ops.compare(REVERSED[op], y as Tensor, x);
}

const BITWISE: Record<string, ops.BitwiseOp> = { '&': 'and', '|': 'or', '^': 'xor' };

function tensorFirst(op: string, x: Tensor, y: Operand): Value | undefined {
  switch (op) {
    case '+':
      return x.add(y);
    case '-':
      return x.sub(y);
    case '*':
      return x.mul(y);
    case '/':
      return x.div(y);
    case '//':
      return ops.floorDivide(x, y);
    case '%':
      return ops.remainder(x, y);
    case '**':
      return x.pow(y);
    case '@':
      return y instanceof Tensor ? x.matmul(y) : undefined;
    case '&':
    case '|':
    case '^':
      return ops.bitwise(BITWISE[op], x, y);
  }
  return undefined;
}

function tensorSecond(op: string, x: Operand, t: Tensor): Value | undefined {
  if (x instanceof Tensor) return tensorFirst(op, x, t);
  switch (op) {
    case '+':
      return t.add(x);
    case '-':
      return t.rsub(x);
    case '*':
      return t.mul(x);
    case '/':
      return t.rdiv(x);
    case '//':
      return ops.rfloorDivide(t, x);
    case '%':
      return ops.rremainder(t, x);
    case '**':
      return t.rpow(x);
    case '&':
    case '|':
    case '^':
      return ops.bitwise(BITWISE[op], t, x);
  }
  return undefined;
}

/** a OP b where a or b is a tensor (the other a tensor or a Python number); undefined when not defined. */
export function tensorBinary(op: string, a: Value, b: Value, cx: Context): Value | undefined {
  const x = operand(a);
  const y = operand(b);
  if (x === undefined || y === undefined) return undefined;
  if (op === '<<' || op === '>>') throw notSupported(cx, `the '${op}' operator on tensors`);
  return x instanceof Tensor ? tensorFirst(op, x, y) : tensorSecond(op, x, y as Tensor);
}

/** t OP= b in place; undefined for operators without an in-place form (then t = t OP b). */
export function tensorInplace(op: string, t: Tensor, b: Value): Value | undefined {
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
    case '//':
    case '%':
    case '&':
    case '|':
    case '^':
      return ops.inplaceFrom(t, (self) => tensorFirst(op, self, y) as Tensor);
  }
  return undefined;
}

export function tensorUnary(op: string, t: Tensor, cx: Context): Value {
  if (op === '-') return t.neg();
  if (op === '+') return t;
  if (op === '~') {
    // Tensor.__invert__ checks the dtype itself before calling bitwise_not
    if (isFloating(t.dtype)) throw typeError('~ (operator.invert) is only implemented on integer and Boolean-type tensors');
    return ops.bitwiseNot(t);
  }
  throw notSupported(cx, `the unary '${op}' operator on tensors`);
}

/** for x in t: the sub-tensors along the first dimension. */
export function iterateTensor(t: Tensor): () => Value | undefined {
  if (t.dim() === 0) throw typeError('iteration over a 0-d tensor');
  let i = 0;
  const n = t.shape[0];
  return () => (i < n ? t.index(i++) : undefined);
}

/** The engine's one-pass forms of `w * x + b`, the squared-error mean and `w -= lr * w.grad`. */
export const TENSOR_FUSED_KERNELS: FusedKernels = {
  mulAddCandidate: (a, b) => a instanceof Tensor && b instanceof Tensor && a._mulAddCandidate(b),
  mulAdd(a, b, c) {
    const y = operand(c);
    if (y === undefined) return undefined;
    return (a as Tensor).mulAdd(b as Tensor, y) ?? undefined;
  },
  squaredErrorMean: (a, b) => (b instanceof Tensor ? ((a as Tensor).squaredErrorMean(b) ?? undefined) : undefined),
  addScaledInPlace(target, op, t, s) {
    if (!(target instanceof Tensor) || !(t instanceof Tensor) || (typeof s !== 'number' && typeof s !== 'bigint')) return undefined;
    return target.addScaledInPlace(t, operand(s) as number | ReturnType<typeof pyFloat>, op === '-') ?? undefined;
  },
  linearRegressionEpoch(w, x, b, y, lr, reuse) {
    if (!(w instanceof Tensor) || !(x instanceof Tensor) || !(b instanceof Tensor) || !(y instanceof Tensor)) return undefined;
    if (typeof lr !== 'number' && typeof lr !== 'bigint') return undefined;
    const previous = reuse !== null && reuse.yHat instanceof Tensor && reuse.loss instanceof Tensor ? (reuse as ops.EpochResult) : null;
    return ops.linearRegressionEpoch(w, x, b, y, operand(lr) as number | ReturnType<typeof pyFloat>, previous) ?? undefined;
  },
  linearRegressionStep(loss, w, b, lr) {
    if (!(loss instanceof Tensor) || !(w instanceof Tensor) || !(b instanceof Tensor)) return false;
    if (typeof lr !== 'number' && typeof lr !== 'bigint') return false;
    return ops.linearRegressionStep(loss, w, b, operand(lr) as number | ReturnType<typeof pyFloat>);
  },
};
