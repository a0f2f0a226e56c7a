// Python's operators on tensors (+, -, *, /, **, @, comparisons, unary minus, in-place forms,
// iteration) and the fused kernels the fusion pass may use.
import { pyFloat, Tensor } from '../../../engine/index';
import type { Context, FusedKernels, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { notSupported, operand, scalarArg } from './values';

// ---------- comparisons (no autograd: results are bool tensors) ----------

export function compareTensors(op: string, a: Value, b: Value): Tensor | undefined {
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

/** a OP b where a or b is a tensor (the other a tensor or a Python number); undefined when not defined. */
export function tensorBinary(op: string, a: Value, b: Value, cx: Context): Value | undefined {
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
    throw notSupported(cx, `the '${op}' operator on tensors`);
  }
  return undefined;
}

/** t OP= b in place for + - * /; undefined for the rest (then t = t OP b). */
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
  }
  return undefined;
}

export function tensorUnary(op: string, t: Tensor, cx: Context): Value {
  if (op === '-') return t.neg();
  if (op === '+') return t;
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
};
