// Losses that are one autograd node in PyTorch 1.13. Only mse_loss is: nn.L1Loss is
// (input - target).abs() followed by mean() or sum(), nodes the engine already has, and
// nn.functional.mse_loss broadcasts its operands (expand) before calling this op, as PyTorch's
// Python code does, so the op itself sees operands of one shape.
import { runtimeError } from '../errors';
import { BinaryOp } from '../kernels';
import { sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { resultTypeOf, scalarTensor } from './common';
import { arith } from './elementwise';
import { REDUCTION_OPS } from './reductions';
import { apply, defineOp, ForwardContext } from './registry';

export type Reduction = 'none' | 'mean' | 'sum';

/**
 * mse_loss_backward(grad, self, target): ATen's kernel computes norm * (self - target) * grad
 * left to right in the tensors' dtype, with norm = 2 / self.numel() for 'mean' (a double,
 * rounded to the dtype once) and 2 otherwise.
 */
function mseBackward(g: Tensor, self: Tensor, target: Tensor, reduction: Reduction): Tensor {
  const dtype = resultTypeOf(self, target);
  const norm = scalarTensor(reduction === 'mean' ? 2 / self.numel() : 2);
  const scaled = arith(BinaryOp.Mul, norm, arith(BinaryOp.Sub, self, target, dtype), dtype);
  return arith(BinaryOp.Mul, scaled, g, dtype);
}

export const LOSS_OPS = {
  /** torch._C._nn.mse_loss: (input - target)^2, then mean / sum / none; one MseLossBackward0 node. */
  mseLoss: defineOp<{ reduction: Reduction }>({
    gradFn: 'MseLossBackward0',
    forward: ([input, target], { reduction }) => {
      const dtype = resultTypeOf(input, target);
      const diff = arith(BinaryOp.Sub, input, target, dtype);
      const squares = arith(BinaryOp.Mul, diff, diff, dtype);
      if (reduction === 'none') return squares;
      return REDUCTION_OPS[reduction].forward([squares], { dims: null, keepdim: false }, new ForwardContext());
    },
    save: () => ({ inputs: [true, true] }),
    // self: mse_loss_backward(grad, self, target, reduction); target: mse_loss_backward(grad, target, self, reduction)
    backward: (g, { needs, inputs: [input, target], attrs: { reduction } }) => [
      needs[0] ? mseBackward(g, input!, target!, reduction) : null,
      needs[1] ? mseBackward(g, target!, input!, reduction) : null,
    ],
  }),
};

/** mse_loss on operands of one shape (the functional form broadcasts them first). */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw runtimeError(`mse_loss expects input and target of one shape, got [${input.shape.join(', ')}] and [${target.shape.join(', ')}]; broadcast them first`);
  }
  return apply(LOSS_OPS.mseLoss, [input, target], { reduction });
}
