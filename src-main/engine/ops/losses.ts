// Losses that are one autograd node in PyTorch 1.13: mse_loss and binary_cross_entropy. nn.L1Loss is
// (input - target).abs() followed by mean() or sum(), nodes the engine already has, and
// nn.functional.mse_loss broadcasts its operands (expand) before calling this op, as PyTorch's
// Python code does, so the op itself sees operands of one shape.
import { runtimeError } from '../errors';
import { logf } from '../logf';
import { BinaryOp } from '../kernels';
import { sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { resultTypeOf, scalarTensor } from './common';
import { arith, mapBinaryRaw, mapRaw } from './elementwise-raw';
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

/** binary_cross_entropy's clamp of the logs (so a 0 or 1 input gives 100, not infinity) and backward's floor. */
const LOG_FLOOR = -100;
const BCE_EPSILON = 1e-12;

/** ATen's element loss, (t - 1) * max(log(1 - x), -100) - t * max(log(x), -100), rounded as the dtype does (std::log: glibc's logf for float32). */
function bceElements(input: Tensor, target: Tensor): Tensor {
  const dtype = resultTypeOf(input, target);
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  const log = dtype === 'float32' ? logf : Math.log;
  return mapBinaryRaw(input, target, dtype, dtype, (x, t) => {
    // (1.13 checks the input only; a target outside [0, 1] is used as it is)
    if (!(x >= 0 && x <= 1)) throw runtimeError('all elements of input should be between 0 and 1');
    const logOneMinus = Math.max(log(r(1 - x)), LOG_FLOOR);
    const logX = Math.max(log(x), LOG_FLOOR);
    return r(r(r(t - 1) * logOneMinus) - r(t * logX));
  });
}

/** binary_cross_entropy_backward: grad * (x - t) / max((1 - x) * x, 1e-12), left to right, then / numel for 'mean'. */
function bceBackward(g: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction): Tensor {
  const dtype = resultTypeOf(input, target);
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  const eps = r(BCE_EPSILON);
  const numerator = arith(BinaryOp.Mul, g, arith(BinaryOp.Sub, input, target, dtype), dtype);
  const denominator = mapRaw(input, dtype, (x) => Math.max(r(r(1 - x) * x), eps), dtype);
  const unweighted = arith(BinaryOp.Div, numerator, denominator, dtype);
  const grad = weight === null ? unweighted : arith(BinaryOp.Mul, unweighted, weight, dtype);
  return reduction === 'mean' ? arith(BinaryOp.Div, grad, scalarTensor(input.numel()), dtype) : grad;
}

/** binary_cross_entropy_target_backward: (log(1 - x) - log(x)) * grad, then / numel for 'mean'. */
function bceTargetBackward(g: Tensor, input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction): Tensor {
  const dtype = resultTypeOf(input, target);
  const r = dtype === 'float32' ? Math.fround : (v: number) => v;
  const log = dtype === 'float32' ? logf : Math.log;
  const logRatio = mapBinaryRaw(input, target, dtype, dtype, (x) => r(log(r(1 - x)) - log(x)));
  const unweighted = arith(BinaryOp.Mul, logRatio, g, dtype);
  const grad = weight === null ? unweighted : arith(BinaryOp.Mul, unweighted, weight, dtype);
  return reduction === 'mean' ? arith(BinaryOp.Div, grad, scalarTensor(target.numel()), dtype) : grad;
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
  /** torch._C._nn.binary_cross_entropy (no weight): one BinaryCrossEntropyBackward0 node. */
  binaryCrossEntropy: defineOp<{ reduction: Reduction; weight: Tensor | null }>({
    gradFn: 'BinaryCrossEntropyBackward0',
    forward: ([input, target], { reduction, weight }) => {
      const elements = bceElements(input, target);
      // loss.mul_(weight): the weight broadcasts into the elements' shape, no gradient of its own
      const losses = weight === null ? elements : arith(BinaryOp.Mul, elements, weight, elements.dtype);
      if (reduction === 'none') return losses;
      return REDUCTION_OPS[reduction].forward([losses], { dims: null, keepdim: false }, new ForwardContext());
    },
    save: () => ({ inputs: [true, true] }),
    backward: (g, { needs, inputs: [input, target], attrs: { reduction, weight } }) => [
      needs[0] ? bceBackward(g, input!, target!, weight, reduction) : null,
      needs[1] ? bceTargetBackward(g, input!, target!, weight, reduction) : null,
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

/** binary_cross_entropy on operands of one shape (the functional form checks them first). */
export function binaryCrossEntropy(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null = null): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw runtimeError(`binary_cross_entropy expects input and target of one shape, got [${input.shape.join(', ')}] and [${target.shape.join(', ')}]`);
  }
  return apply(LOSS_OPS.binaryCrossEntropy, [input, target], { reduction, weight });
}
