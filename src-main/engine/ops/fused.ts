// The lesson loop's fused forms: each gives the values, gradients and grad_fn names of the
// separate ops in fewer passes, and returns null (having done nothing) when it does not apply,
// so the caller runs the separate ops instead. They only take contiguous float32 tensors.
import { isGraphObserved } from '../autograd';
import { isGradEnabled } from '../grad-mode';
import { scalarKind, scalarValue } from '../dtype';
import type { ScalarLike } from '../dtype';
import { differenceSquaresContiguous } from '../reduce';
import { sameShape } from '../shape';
import { Tensor } from '../tensor';
import { getArena, inArena } from '../arena';
import { apply, defineOp, NONE, record } from './registry';
import type { NoAttrs } from './registry';
import { asTensor, makeTensor, outputTensor } from './common';
import { ELEMENTWISE_OPS } from './elementwise';
import { negRaw, scaleTwice } from './elementwise-raw';

const NO_VALUES = new Float32Array(0);

export const FUSED_OPS = {
  /**
   * `(a - b).pow(2).mean()` as one node: the loss of every lesson, computed in one pass over
   * a - b (squares summed as they are read, in the cascade order of torch.sum) with the values
   * of the three ops. Only used for same-shape float32 inputs (see squaredErrorMean), where
   * nothing in between is observable; the node carries the name of the last op.
   */
  squaredErrorMean: defineOp<NoAttrs>({
    gradFn: 'MeanBackward0',
    standsFor: ['PowBackward0', 'SubBackward0'],
    keepsValues: true,
    forward: ([a, b], _attrs, ctx) => {
      // a - b is written out while its squares are summed (one pass over memory, not two)
      const n = a.numel();
      const diff = outputTensor('float32', a.shape.slice());
      const sum = differenceSquaresContiguous(a.data as Float32Array, b.data as Float32Array, diff.data as Float32Array, n);
      ctx.saveForBackward(diff); // what pow's node saves in PyTorch
      const out = makeTensor('float32', []);
      out.data[0] = Math.fround(sum / Math.fround(n));
      return out;
    },
    backward: (g, { needs, saved: [diff] }) => {
      // mean's backward gives every element g / n; pow's multiplies by 2 * diff; sub's passes it on (negated for b)
      const each = Math.fround((g.data as Float32Array)[0] / Math.fround(diff.numel()));
      const gradDiff = scaleTwice(diff, 2, each);
      return [needs[0] ? gradDiff : null, needs[1] ? negRaw(gradDiff) : null];
    },
  }),
};

/**
 * a * b + c (`w * x + b`) in one pass for same-shape contiguous float32 tensors a, b and a 0-d
 * (or Python number) c: the values of mul then add (the product rounded to float32 first), and
 * the same autograd graph (AddBackward0 over MulBackward0), but the product is never written
 * out: no backward rule of either op reads it.
 */
export function mulAdd(a: Tensor, b: Tensor, c: Tensor | ScalarLike): Tensor | null {
  if (!mulAddCandidate(a, b)) return null;
  const ct = asTensor(c);
  if (ct.shape.length !== 0) return null;
  const n = a.numel();
  const ad = a.data as Float32Array;
  const bd = b.data as Float32Array;
  const cv = Math.fround(Number(ct.data[0]));
  const out = outputTensor('float32', a.shape.slice());
  const od = out.data as Float32Array;
  if (n >= 16 && inArena(od) && inArena(ad) && inArena(bd)) getArena()!.kernels.mul_add_scalar(od.byteOffset, ad.byteOffset, bd.byteOffset, cv, n);
  else for (let i = 0; i < n; i++) od[i] = Math.fround(ad[i] * bd[i]) + cv;
  if (isGradEnabled() && (a.requiresGrad || b.requiresGrad || ct.requiresGrad)) {
    // the product as the graph sees it: shape and history only (its values are never read)
    const product = new Tensor(NO_VALUES, out.shape, 'float32');
    record(ELEMENTWISE_OPS.mul, [a, b], NONE, product);
    record(ELEMENTWISE_OPS.add, [product, ct], NONE, out);
  }
  return out;
}

/** True when a * b is certain to succeed without reading anything else (mulAdd's precondition). */
export function mulAddCandidate(a: Tensor, b: Tensor): boolean {
  return (
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    sameShape(a.shape, b.shape) &&
    a.isContiguous() &&
    b.isContiguous() &&
    !a._version.disposed &&
    !b._version.disposed
  );
}

/**
 * `(a - b).pow(2).mean()` (also spelled `((a - b) ** 2).mean()`) as one op with the values,
 * gradients and errors of the three: for float32 tensors of one shape with at least one
 * element.
 */
export function squaredErrorMean(a: Tensor, b: Tensor): Tensor | null {
  // a recorded graph shows PyTorch's three nodes (MeanBackward0 -> PowBackward0 -> SubBackward0)
  if (!mulAddCandidate(a, b) || a.numel() === 0 || isGraphObserved()) return null;
  return apply(FUSED_OPS.squaredErrorMean, [a, b], NONE);
}

/**
 * t += y * s (t -= y * s with `subtract`) in one pass, for contiguous float32 tensors of one
 * shape when no graph is recorded: the same values as `t.add_(y.mul(s))` (the product rounded
 * to float32, then the sum; x - p is x + (-p) exactly), without the temporary.
 */
export function addScaledInPlace(t: Tensor, y: Tensor, s: ScalarLike, subtract: boolean): Tensor | null {
  if (!mulAddCandidate(t, y)) return null;
  if (isGradEnabled() && (t.requiresGrad || y.requiresGrad)) return null;
  const n = t.numel();
  const yd = y.data as Float32Array;
  const td = t.data as Float32Array;
  // (an int scalar is an int64 first: no -0)
  const scale = scalarKind(s) === 'int' ? Math.fround(scalarValue(s)) + 0 : Math.fround(scalarValue(s));
  const signed = subtract ? -scale : scale;
  if (n >= 16 && inArena(td) && inArena(yd)) getArena()!.kernels.add_scaled(td.byteOffset, yd.byteOffset, signed, n);
  else for (let i = 0; i < n; i++) td[i] += Math.fround(yd[i] * signed);
  t._version.value++;
  return t;
}
