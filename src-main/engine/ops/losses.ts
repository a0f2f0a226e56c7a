// Losses that are one autograd node in PyTorch 1.13: mse_loss, binary_cross_entropy,
// binary_cross_entropy_with_logits and nll_loss (cross_entropy is log_softmax then nll_loss, as
// ATen composes it). nn.L1Loss is
// (input - target).abs() followed by mean() or sum(), nodes the engine already has, and
// nn.functional.mse_loss broadcasts its operands (expand) before calling this op, as PyTorch's
// Python code does, so the op itself sees operands of one shape.
import { indexError, runtimeError, valueError } from '../errors';
import { expf } from '../expf';
import { logf } from '../logf';
import { sleefExpf, sleefLogf, vectorPart } from '../sleef';
import { BinaryOp } from '../kernels';
import { sameShape } from '../shape';
import { TYPE_NAME, type DType } from '../dtype';
import type { Tensor } from '../tensor';
import { expandTo, floats, makeTensor, numbers, resultTypeOf, scalarTensor } from './common';
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


// ---- binary_cross_entropy_with_logits ----

type Round = (x: number) => number;
const roundOf = (dtype: DType): Round => (dtype === 'float32' ? Math.fround : (v: number): number => v);

/** Each element's value of a (possibly broadcast) operand, row-major over `shape`. */
function broadcastValues(t: Tensor | null, shape: readonly number[]): ArrayLike<number> | null {
  if (t === null) return null;
  return floats(expandTo(t, shape));
}

/**
 * ATen 1.13's composite, element by element in the dtype (each step one tensor op there): with m = max(-x, 0),
 * (1 - t) * x + m + log(exp(-m) + exp(-x - m)); with pos_weight p the log term is multiplied by
 * (p - 1) * t + 1 (and m added to the log first); then times weight.
 */
function bceWithLogitsElements(input: Tensor, target: Tensor, weight: Tensor | null, posWeight: Tensor | null): Tensor {
  const dtype = resultTypeOf(input, target);
  const r = roundOf(dtype);
  // exp_ and log_ of whole float32 tensors run SLEEF's vector functions in ATen
  const log = dtype === 'float32' ? sleefLogf : Math.log;
  const exp = dtype === 'float32' ? sleefExpf : Math.exp;
  const out = makeTensor(dtype, input.shape);
  const o = floats(out);
  const x = floats(input);
  const t = floats(target);
  const w = broadcastValues(weight, input.shape);
  const p = broadcastValues(posWeight, input.shape);
  for (let i = 0; i < o.length; i++) {
    const xi = x[i];
    const m = r(Math.max(-xi, 0));
    const expSum = r(r(exp(-m)) + r(exp(r(-xi - m))));
    const left = r(r(1 - t[i]) * xi);
    let v: number;
    if (p === null) {
      v = r(r(left + m) + r(log(expSum)));
    } else {
      const logWeight = r(r(r(p[i] - 1) * t[i]) + 1);
      v = r(left + r(logWeight * r(r(log(expSum)) + m)));
    }
    o[i] = w === null ? v : r(v * w[i]);
  }
  return out;
}

/**
 * binary_cross_entropy_with_logits_backward: (sigmoid(x) - t) * grad, or with pos_weight
 * ((p * t + 1 - t) * sigmoid(x) - p * t) * grad; then times weight, then / numel for 'mean'.
 */
function bceWithLogitsBackward(g: Tensor, input: Tensor, target: Tensor, attrs: BceWithLogitsAttrs): Tensor {
  const dtype = resultTypeOf(input, target);
  const r = roundOf(dtype);
  const grad = floats(expandTo(g, input.shape));
  const out = makeTensor(dtype, input.shape);
  const o = floats(out);
  const x = floats(input);
  const t = floats(target);
  const w = broadcastValues(attrs.weight, input.shape);
  const p = broadcastValues(attrs.posWeight, input.shape);
  const n = input.numel();
  // input.sigmoid(): SLEEF's exp on the vector part of the loop, glibc's on the rest
  const vectorEnd = dtype === 'float32' ? vectorPart(n) : 0;
  for (let i = 0; i < o.length; i++) {
    const s = r(1 / r(1 + r(i < vectorEnd ? sleefExpf(-x[i]) : dtype === 'float32' ? expf(-x[i]) : Math.exp(-x[i]))));
    let v: number;
    if (p === null) {
      v = r(r(s - t[i]) * grad[i]);
    } else {
      const pt = r(p[i] * t[i]);
      v = r(r(r(r(r(pt + 1) - t[i]) * s) - pt) * grad[i]);
    }
    if (w !== null) v = r(v * w[i]);
    o[i] = attrs.reduction === 'mean' ? r(v / n) : v;
  }
  return out;
}

/** The target's gradient: -x * grad, with pos_weight (log_sigmoid(-x) - log_sigmoid(x) * p) * grad; then weight, mean. */
function bceWithLogitsTargetBackward(g: Tensor, input: Tensor, target: Tensor, attrs: BceWithLogitsAttrs): Tensor {
  const dtype = resultTypeOf(input, target);
  const r = roundOf(dtype);
  const log = dtype === 'float32' ? logf : Math.log;
  const grad = floats(expandTo(g, input.shape));
  const out = makeTensor(dtype, input.shape);
  const o = floats(out);
  const x = floats(input);
  const w = broadcastValues(attrs.weight, input.shape);
  const p = broadcastValues(attrs.posWeight, input.shape);
  const n = input.numel();
  // log_sigmoid(v) = min(v, 0) - log1p(exp(-|v|))
  const exp = dtype === 'float32' ? expf : Math.exp;
  const logSigmoid = (v: number): number => r(r(Math.min(v, 0)) - r(log(r(1 + r(exp(-Math.abs(v)))))));
  for (let i = 0; i < o.length; i++) {
    let v = p === null ? r(r(-x[i]) * grad[i]) : r(r(logSigmoid(-x[i]) - r(logSigmoid(x[i]) * p[i])) * grad[i]);
    if (w !== null) v = r(v * w[i]);
    o[i] = attrs.reduction === 'mean' ? r(v / n) : v;
  }
  return out;
}

interface BceWithLogitsAttrs {
  reduction: Reduction;
  weight: Tensor | null;
  posWeight: Tensor | null;
}

// ---- nll_loss ----

interface NllAttrs {
  /** class indices (int64), one per row; 0-d for a 1-d input */
  target: Tensor;
  weight: Tensor | null;
  reduction: Reduction;
  ignoreIndex: number;
}

function checkTargetIndex(t: number, classes: number): void {
  if (!(t >= 0 && t < classes)) throw indexError(`Target ${t} is out of bounds.`);
}

/**
 * nll_loss_out_frame: 'none' gives -input[i][t] * w[t] per row (0 where ignored); otherwise
 * -input[i][t] * w[t] summed in ATen's eight-level cascade (a level passes its sum up every 16
 * rows), divided by the total weight for 'mean'. Keeps the total weight for backward.
 */
function nllForward(input: Tensor, attrs: NllAttrs, ctx: ForwardContext): Tensor {
  const { target, weight, reduction, ignoreIndex } = attrs;
  const r = roundOf(input.dtype);
  const classes = input.shape[input.shape.length - 1];
  const rows = input.shape.length === 1 ? 1 : input.shape[0];
  const x = floats(input);
  const targets = numbers(target);
  const w = weight === null ? null : floats(weight);
  if (reduction === 'none' && input.shape.length === 2) {
    const out = makeTensor(input.dtype, [rows]);
    for (let i = 0; i < rows; i++) {
      const t = targets[i];
      if (t === ignoreIndex) continue;
      checkTargetIndex(t, classes);
      out.data[i] = r(-x[i * classes + t] * (w === null ? 1 : w[t]));
    }
    ctx.saveForBackward(makeTensor(input.dtype, []));
    return out;
  }
  const LEVELS = 8;
  const LEVEL_MASK = 15;
  const lossSums = new Array<number>(LEVELS).fill(0);
  const weightSums = new Array<number>(LEVELS).fill(0);
  let ignored = 0;
  for (let b = 0; b < rows; b++) {
    const t = targets[b];
    if (t === ignoreIndex) {
      ignored++;
      continue;
    }
    checkTargetIndex(t, classes);
    const v = x[b * classes + t];
    if (w !== null) {
      lossSums[0] = r(lossSums[0] - r(v * w[t]));
      weightSums[0] = r(weightSums[0] + w[t]);
    } else {
      lossSums[0] = r(lossSums[0] - v);
    }
    for (let j = 0; j + 1 < LEVELS; j++) {
      if ((b & (LEVEL_MASK << (j * 4))) !== 0) break;
      weightSums[j + 1] = r(weightSums[j + 1] + weightSums[j]);
      lossSums[j + 1] = r(lossSums[j + 1] + lossSums[j]);
      weightSums[j] = 0;
      lossSums[j] = 0;
    }
  }
  const totalWeight = w === null ? rows - ignored : weightSums.reduce((a, v) => r(a + v), 0);
  let total = lossSums.reduce((a, v) => r(a + v), 0);
  if (reduction === 'mean') total = r(total / totalWeight);
  const out = makeTensor(input.dtype, []);
  out.data[0] = total;
  const kept = makeTensor(input.dtype, []);
  kept.data[0] = totalWeight;
  ctx.saveForBackward(kept);
  return out;
}

/** nll_loss_backward_out_frame: zeros but at each row's target, -w[t] * grad (divided by the total weight for 'mean'). */
function nllBackward(g: Tensor, input: { shape: readonly number[]; dtype: DType }, attrs: NllAttrs, totalWeight: number): Tensor {
  const { target, weight, reduction, ignoreIndex } = attrs;
  const r = roundOf(input.dtype);
  const classes = input.shape[input.shape.length - 1];
  const rows = input.shape.length === 1 ? 1 : input.shape[0];
  const out = makeTensor(input.dtype, input.shape);
  const o = floats(out);
  const targets = numbers(target);
  const w = weight === null ? null : floats(weight);
  const gd = floats(g);
  const perRow = reduction === 'none' && input.shape.length === 2;
  const shared = perRow ? 0 : -(reduction === 'mean' ? r(gd[0] / totalWeight) : gd[0]);
  for (let i = 0; i < rows; i++) {
    const t = targets[i];
    if (t === ignoreIndex) continue;
    checkTargetIndex(t, classes);
    o[i * classes + t] = perRow ? r(-(w === null ? 1 : w[t]) * gd[i]) : w === null ? shared : r(w[t] * shared);
  }
  return out;
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
  /** binary_cross_entropy_with_logits: one BinaryCrossEntropyWithLogitsBackward0 node (weight and pos_weight get no gradient). */
  binaryCrossEntropyWithLogits: defineOp<BceWithLogitsAttrs>({
    gradFn: 'BinaryCrossEntropyWithLogitsBackward0',
    forward: ([input, target], { reduction, weight, posWeight }) => {
      const losses = bceWithLogitsElements(input, target, weight, posWeight);
      if (reduction === 'none') return losses;
      return REDUCTION_OPS[reduction].forward([losses], { dims: null, keepdim: false }, new ForwardContext());
    },
    save: () => ({ inputs: [true, true] }),
    backward: (g, { needs, inputs: [input, target], attrs }) => [
      needs[0] ? bceWithLogitsBackward(g, input!, target!, attrs) : null,
      needs[1] ? bceWithLogitsTargetBackward(g, input!, target!, attrs) : null,
    ],
  }),
  /** nll_loss on a 1-d or 2-d input of log-probabilities; the target is an attribute (no gradient, as in PyTorch's node). */
  nllLoss: defineOp<NllAttrs>({
    gradFn: 'NllLossBackward0',
    keepsValues: true,
    forward: ([input], attrs, ctx) => nllForward(input, attrs, ctx),
    backward: (g, { attrs, saved, inputMeta }) => [nllBackward(g, inputMeta[0], attrs, floats(saved[0])[0])],
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

/** binary_cross_entropy_with_logits on operands of one shape; weight and pos_weight broadcast against them. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null = null, posWeight: Tensor | null = null): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw valueError(`Target size (${formatShape(target.shape)}) must be the same as input size (${formatShape(input.shape)})`);
  }
  return apply(LOSS_OPS.binaryCrossEntropyWithLogits, [input, target], { reduction, weight, posWeight });
}

function formatShape(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/**
 * nll_loss with PyTorch's checks, in ATen's order: input of 1 or 2 dims, a target of 0 or 1 dims
 * and int64 dtype, matching batch sizes, a weight per class.
 */
export function nllLoss(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null = null, ignoreIndex = -100): Tensor {
  if (input.shape.length < 1) throw valueError(`Expected 1 or more dimensions (got ${input.shape.length})`);
  if (input.shape.length !== 1 && input.shape[0] !== (target.shape[0] ?? 1)) {
    throw valueError(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0] ?? 1}).`);
  }
  if (input.shape.length > 2) throw runtimeError('nll_loss of inputs with more than 2 dimensions (images) is not supported by GradLab yet');
  if (target.shape.length > 1) throw runtimeError('0D or 1D target tensor expected, multi-target not supported');
  const noBatch = input.shape.length === 1 && target.shape.length === 0;
  if (!noBatch && input.shape[0] !== target.shape[0]) {
    throw runtimeError(`size mismatch (got input: [${input.shape.join(', ')}], target: [${target.shape.join(', ')}])`);
  }
  if (input.shape.length === 1 && target.shape.length === 1) {
    throw runtimeError(`Expected target to be 0D when input is 1D, but got target.dim =${target.shape.length}`);
  }
  const classes = input.shape[input.shape.length - 1];
  if (weight !== null && (weight.shape.length !== 1 || weight.numel() !== classes)) {
    throw runtimeError(`weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
  }
  if (input.dtype !== 'float32' && input.dtype !== 'float64') throw runtimeError(`"nll_loss_out_frame" not implemented for '${input.dtype === 'int64' ? 'Long' : input.dtype}'`);
  if (target.dtype !== 'int64') throw runtimeError(`expected scalar type Long but found ${TYPE_NAME[target.dtype]}`);
  const w = weight === null || weight.dtype === input.dtype ? weight : weight.to(input.dtype);
  return apply(LOSS_OPS.nllLoss, [input], { target, weight: w, reduction, ignoreIndex });
}
