// The op registry: every differentiable op of the engine in one list (each family keeps its
// forward and backward rules together in its own file), and the functions Tensor and the
// Python binding call.
import { ACTIVATION_OPS } from './activations';
import { ELEMENTWISE_OPS } from './elementwise';
import { FUSED_OPS } from './fused';
import { INDEXING_OPS } from './indexing';
import { LINALG_OPS } from './linalg';
import { LOSS_OPS } from './losses';
import { MATH_OPS } from './math';
import { REARRANGE_OPS } from './rearrange';
import { STATISTICS_OPS } from './statistics';
import { REDUCTION_OPS } from './reductions';
import { SCALED_OPS } from './scaled';
import { VIEW_OPS } from './views';
import { SCATTER_OPS } from './scatter';
import { TERNARY_OPS } from './ternary';
import { INDEX_UPDATE_OPS } from './index-update';

export const OPS = {
  ...ELEMENTWISE_OPS,
  ...ACTIVATION_OPS,
  ...REDUCTION_OPS,
  ...FUSED_OPS,
  ...LINALG_OPS,
  ...VIEW_OPS,
  ...INDEXING_OPS,
  ...LOSS_OPS,
  ...MATH_OPS,
  ...REARRANGE_OPS,
  ...STATISTICS_OPS,
  ...SCALED_OPS,
  ...TERNARY_OPS,
  ...SCATTER_OPS,
  ...INDEX_UPDATE_OPS,
};

/** Registered op names (for tests that check every op has a gradient check). */
export const OP_NAMES = Object.keys(OPS) as (keyof typeof OPS)[];

export { apply, defineOp, ForwardContext, record } from './registry';
export type { OpDefinition } from './registry';
export { asTensor, contiguous as contiguousNoGrad, copyInto, copyOf, floats, makeTensor, numbers, resultTypeOf, scalarTensor, toDType } from './common';
export {
  abs,
  add,
  clamp,
  clampTensor,
  cos,
  div,
  exp,
  floorDivide,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  rdiv,
  reciprocal,
  relu,
  remainder,
  rfloorDivide,
  rpow,
  rremainder,
  rsub,
  sigmoid,
  sin,
  sqrt,
  sub,
  tanh,
  to,
  where,
} from './elementwise';
export { addIntoNoGrad, addNoGrad, floatDType } from './elementwise-raw';
export type { BitwiseOp, Comparison } from './predicates';
export { bitwise, bitwiseNot, compare, isfinite, isinf, isnan, logicalNot } from './predicates';
export { anyAll, argmax, kthvalue, max, maxDim, mean, medianDim, mode, prod, sort, sum, sumTo, topk } from './reductions';
export { addmm, bmm, linear, matmul, mm } from './linalg';
export { addcdiv, addcmul, lerp } from './ternary';
export { scatter } from './scatter';
export { cumulativeExtremum, indexAdd, indexCopy, indexFill } from './index-update';
export { scatterReduce } from './scatter-reduce';
export { bernoulliLike, dropout, elu, gelu, leakyRelu, silu } from './activations';
export type { GeluApproximation } from './activations';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, mseLoss, nllLoss } from './losses';
export { addScaled } from './scaled';
export type { Reduction } from './losses';
export { fmod, isClose, roundDecimals, rounding, sign, unaryMath } from './math';
export type { MathFunctionName } from './math';
export { diag, flip, gather, indexSelectTensor, maskedFill, repeat, roll, triangle } from './rearrange';
export { amax, cumprod, cumsum, logSoftmax, logsumexp, median, norm, softmax, variance } from './statistics';
export {
  chunk,
  clone,
  contiguousOp as contiguous,
  expand,
  flatten,
  indexSelect,
  matrixTranspose,
  narrow,
  permute,
  reshape,
  reverseDims,
  select,
  slice,
  split,
  squeeze,
  t,
  transpose,
  unbind,
  unsqueeze,
  view,
} from './views';
export { alias, cat, getItem, index, nonzeroColumns as nonzero, setItem, stack } from './indexing';
export type { IndexItem } from './indexing';
export { addScaledInPlace, mulAdd, mulAddCandidate, squaredErrorMean } from './fused';
export { linearRegressionEpoch, linearRegressionStep } from './fused-epoch';
export type { EpochResult } from './fused-epoch';
export { copyInPlace, fillInPlace, inplaceBinary, inplaceFrom, zeroInPlace } from './inplace';
export { broadcastShapes, normalizeDim } from '../shape';
export { ELEMENT_SIZE } from '../dtype';
