// add(other, alpha=s) and sub(other, alpha=s): self + s * other as ATen computes it, one fused
// multiply-add per element (`vec::fmadd(other, alpha, self)`), so float32 and float64 round once
// where `self + s * other` written out rounds twice. `p.add_(p.grad, alpha=-lr)` is how optimizers
// are written by hand, and it must step exactly as torch.optim.SGD does.
import { isFloating } from '../dtype';
import { runtimeError } from '../errors';
import { fma32, fma64 } from '../fma';
import { BinaryOp } from '../kernels';
import type { Tensor } from '../tensor';
import { resultTypeOf, scalarTensor } from './common';
import { arith, mapBinaryRaw, mulScalarRaw, negRaw } from './elementwise-raw';
import { apply, defineOp } from './registry';

export interface ScaledAttrs {
  /** the alpha the program passed (sub's gradient for other is -grad * alpha) */
  alpha: number;
  /** sub: self - alpha * other */
  subtract: boolean;
}

/** self + alpha * other with one rounding (floats) or exactly (integers), broadcasting. */
export function addScaledRaw(self: Tensor, other: Tensor, alpha: number): Tensor {
  const dtype = resultTypeOf(self, other);
  if (dtype === 'float32') {
    const a = Math.fround(alpha);
    return mapBinaryRaw(self, other, dtype, dtype, (x, y) => fma32(a, y, x));
  }
  if (dtype === 'float64') return mapBinaryRaw(self, other, dtype, dtype, (x, y) => fma64(alpha, y, x));
  // integers: alpha is whole (the binding refuses a float alpha) and nothing rounds
  return arith(BinaryOp.Add, self, arith(BinaryOp.Mul, other, scalarTensor(alpha), dtype), dtype);
}

export const SCALED_OPS = {
  addScaled: defineOp<ScaledAttrs>({
    gradFn: (a) => (a.subtract ? 'SubBackward0' : 'AddBackward0'),
    forward: ([self, other], { alpha, subtract }) => addScaledRaw(self, other, subtract ? -alpha : alpha),
    // self: grad;  other: grad * alpha (AddBackward0) or -grad * alpha (SubBackward0)
    backward: (g, { needs, attrs: { alpha, subtract } }) => [needs[0] ? g : null, needs[1] ? mulScalarRaw(subtract ? negRaw(g) : g, alpha) : null],
  }),
};

/** self + alpha * other (subtract: self - alpha * other), recorded as PyTorch's one node. */
export function addScaled(self: Tensor, other: Tensor, alpha: number, subtract: boolean): Tensor {
  if (!isFloating(resultTypeOf(self, other)) && !Number.isInteger(alpha)) {
    throw runtimeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  return apply(SCALED_OPS.addScaled, [self, other], { alpha, subtract });
}
