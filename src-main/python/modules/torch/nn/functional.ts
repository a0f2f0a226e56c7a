// torch.nn.functional's functions that match GradLab's layers: relu, sigmoid, tanh, leaky_relu,
// elu, selu, gelu, silu, dropout, linear, softmax and log_softmax, the losses (mse_loss, l1_loss, binary_cross_entropy and its with_logits
// form, nll_loss, cross_entropy), as PyTorch 1.13 computes them (graph nodes included).
import { formatSize, Tensor, TYPE_NAME } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { broadcastShapes, sameShape } from '../../../../engine/shape';
import { kwarg } from '../../../args';
import type { Context, Kwargs, Value } from '../../../context';
import { PyException, typeError, valueError } from '../../../errors';
import { str, truthy, typeName } from '../../../objects';
import { toFloat } from '../../../args';
import { Builtin, type NativeFn } from '../../../values';
import { dtypeArg, intArg, notSupported } from '../values';

function tensorArg(cx: Context, fname: string, v: Value, argName: string, position: number): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fname}(): argument '${argName}' (position ${position}) must be Tensor, not ${typeName(cx, v)}`);
}

/** Positional and keyword arguments by PyTorch's parameter names; missing ones are undefined. */
export function bind(fname: string, args: Value[], kwargs: Kwargs, names: readonly string[], required: number): Record<string, Value | undefined> {
  const k: Record<string, Value | undefined> = kwarg(fname, kwargs, names);
  if (args.length > names.length) throw typeError(`${fname}() takes from ${required} to ${names.length} positional arguments but ${args.length} were given`);
  args.forEach((v, i) => {
    if (names[i] in k) throw typeError(`${fname}() got multiple values for argument '${names[i]}'`);
    k[names[i]] = v;
  });
  const missing = names.slice(0, required).filter((n) => k[n] === undefined);
  if (missing.length > 0) {
    throw typeError(`${fname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((n) => `'${n}'`).join(' and ')}`);
  }
  return k;
}

export function relu(input: Tensor, inplace: boolean, cx: Context): Tensor {
  if (inplace) throw notSupported(cx, 'relu(inplace=True)');
  return ops.relu(input);
}

/** The activations' inplace=True (their in-place kernels) is not there yet: said by name. */
export function refuseInplace(cx: Context, fname: string, inplace: Value | undefined): void {
  if (inplace !== undefined && truthy(cx, inplace)) throw notSupported(cx, `${fname}(inplace=True)`);
}

/** SELU's constants (torch/nn/functional.py's docs, ATen's selu). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export function eluFn(cx: Context, fname: string, input: Tensor, alpha: Value | undefined, inplace: Value | undefined): Tensor {
  refuseInplace(cx, fname, inplace);
  return ops.elu(input, alpha === undefined ? 1 : toFloat(cx, alpha), 1, 1);
}

/** F.gelu's approximate argument: 'none' or 'tanh' (ATen's message otherwise). */
export function geluApproximation(cx: Context, v: Value | undefined): ops.GeluApproximation {
  if (v === undefined || v === 'none') return 'none';
  if (v === 'tanh') return 'tanh';
  if (typeof v !== 'string') throw typeError(`gelu(): argument 'approximate' must be str, not ${typeName(cx, v)}`);
  throw new PyException('RuntimeError', 'approximate argument must be either none or tanh.');
}

/** F.dropout's check of p, in Python before ATen runs (so a ValueError). */
export function checkDropoutP(cx: Context, p: Value): number {
  const value = toFloat(cx, p);
  if (value < 0 || value > 1) throw valueError(`dropout probability has to be between 0 and 1, but got ${str(cx, p)}`);
  return value;
}

/** F.dropout(input, p, training, inplace): the input itself when not training. */
export function dropoutFn(cx: Context, input: Tensor, p: Value, training: boolean, inplace: Value | undefined): Tensor {
  const value = checkDropoutP(cx, p);
  refuseInplace(cx, 'dropout', inplace);
  return ops.dropout(input, value, training);
}

export const REDUCTIONS = ['none', 'mean', 'sum'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

export function reductionArg(cx: Context, v: Value | undefined): Reduction {
  const r = v === undefined ? 'mean' : v;
  if (typeof r === 'string' && (REDUCTIONS as readonly string[]).includes(r)) return r as Reduction;
  throw valueError(`${typeof r === 'string' ? r : typeName(cx, r)} is not a valid value for reduction`);
}

/** torch.broadcast_tensors for two tensors: each expanded to the common shape when it differs. */
function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (sameShape(a.shape, b.shape)) return [a, b];
  const shape = broadcastShapes(a.shape, b.shape);
  return [sameShape(a.shape, shape) ? a : ops.expand(a, shape), sameShape(b.shape, shape) ? b : ops.expand(b, shape)];
}

/** F.mse_loss: broadcasts input and target (PyTorch warns when their sizes differ), then one MseLossBackward0 node. */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  const [x, y] = broadcastPair(input, target);
  return ops.mseLoss(x, y, reduction);
}

/** F.binary_cross_entropy: input and target of one size (PyTorch's ValueError otherwise), one BinaryCrossEntropyBackward0 node. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null = null): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw valueError(
      `Using a target size (${formatSize(target.shape)}) that is different to the input size (${formatSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  return ops.binaryCrossEntropy(input, target, reduction, weight);
}

/** F.l1_loss: in PyTorch 1.13 (input - target).abs(), then mean() or sum(). */
export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  const [x, y] = broadcastPair(input, target);
  const diff = ops.abs(ops.sub(x, y));
  return reduction === 'none' ? diff : reduction === 'mean' ? ops.mean(diff, null, false) : ops.sum(diff, null, false);
}


/** PyTorch's _get_softmax_dim: an implicit dim (a warning in PyTorch) is 0 for 0-, 1- and 3-d inputs, else 1. */
export function softmaxDim(cx: Context, fname: string, dim: Value | undefined, ndim: number): number {
  if (dim === undefined || dim === null) return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
  return intArg(cx, dim, `${fname}(): argument 'dim'`);
}

/** F.softmax / F.log_softmax(input, dim=None, _stacklevel=3, dtype=None) */
function softmaxFn(log: boolean): NativeFn {
  const name = log ? 'log_softmax' : 'softmax';
  return (args, kwargs, cx) => {
    const k = bind(name, args, kwargs, ['input', 'dim', '_stacklevel', 'dtype'], 1);
    const input = tensorArg(cx, name, k.input, 'input', 1);
    const dim = softmaxDim(cx, name, k.dim, input.shape.length);
    const dtype = dtypeArg(cx, k.dtype ?? null);
    return log ? ops.logSoftmax(input, dim, dtype) : ops.softmax(input, dim, dtype);
  };
}

/** F.binary_cross_entropy_with_logits: one BinaryCrossEntropyWithLogitsBackward0 node. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null, posWeight: Tensor | null): Tensor {
  return ops.binaryCrossEntropyWithLogits(input, target, reduction, weight, posWeight);
}

export interface ClassLossOptions {
  weight: Tensor | null;
  ignoreIndex: number;
  reduction: Reduction;
  labelSmoothing: number;
}

/** F.nll_loss: ATen's nll_loss_nd (checks, then one NllLossBackward0 node). */
export function nllLoss(input: Tensor, target: Tensor, o: ClassLossOptions): Tensor {
  return ops.nllLoss(input, target, o.reduction, o.weight, o.ignoreIndex);
}

/** The weight shaped to broadcast along the class dim (dim 1, or 0 for a 1-d input). */
function classWeight(weight: Tensor, ndim: number): Tensor {
  return ndim > 1 ? ops.view(weight, [1, weight.numel(), ...new Array<number>(ndim - 2).fill(1)]) : weight;
}

/**
 * F.cross_entropy as ATen 1.13 composes it: log_softmax over the class dim, then nll_loss; a
 * target of the input's shape holds class probabilities, -(log_probs * target [* weight]).sum()
 * over rows; label smoothing mixes nll_loss with the smoothed sum as ATen does.
 */
export function crossEntropy(input: Tensor, target: Tensor, o: ClassLossOptions): Tensor {
  const classDim = input.shape.length === 1 ? 0 : 1;
  if (input.shape.length >= 1 && input.shape.length === target.shape.length && input.shape.every((s, i) => s === target.shape[i])) {
    if (target.dtype !== 'float32' && target.dtype !== 'float64') {
      throw new PyException('RuntimeError', `Expected floating point type for target with class probabilities, got ${TYPE_NAME[target.dtype]}`);
    }
    if (o.ignoreIndex >= 0) throw new PyException('RuntimeError', 'ignore_index is not supported for floating point target');
    const classes = input.shape[classDim];
    if (o.weight !== null && (o.weight.shape.length !== 1 || o.weight.numel() !== classes)) {
      throw new PyException('RuntimeError', `cross_entropy: weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${o.weight.shape.join(', ')}]`);
    }
    const logProbs = ops.logSoftmax(input, classDim);
    let soft = target;
    if (o.labelSmoothing > 0) {
      soft = ops.add(ops.mul(target, 1 - o.labelSmoothing), o.labelSmoothing / classes);
    }
    let product = ops.mul(logProbs, soft);
    if (o.weight !== null) product = ops.mul(product, classWeight(o.weight, input.shape.length));
    if (o.reduction === 'none') return ops.neg(ops.sum(product, classDim, false));
    const total = ops.neg(ops.sum(product, null, false));
    return o.reduction === 'sum' ? total : ops.div(total, Math.trunc(input.numel() / classes));
  }
  const logProbs = ops.logSoftmax(input, classDim);
  if (!(o.labelSmoothing > 0)) return ops.nllLoss(logProbs, target, o.reduction, o.weight, o.ignoreIndex);
  if (o.labelSmoothing > 1) throw new PyException('RuntimeError', `label_smoothing must be between 0.0 and 1.0. Got: ${String(o.labelSmoothing)}`);
  const nll = ops.nllLoss(logProbs, target, o.reduction, o.weight, o.ignoreIndex);
  const classes = logProbs.shape[classDim];
  const smooth = o.weight === null
    ? ops.neg(ops.sum(logProbs, classDim, false))
    : ops.neg(ops.sum(ops.mul(logProbs, classWeight(o.weight, logProbs.shape.length)), classDim, false));
  const ignored = ops.compare('eq', target, o.ignoreIndex);
  const kept = ops.maskedFill(smooth, ignored, 0);
  let ret: Tensor;
  if (o.reduction === 'mean') {
    if (o.weight !== null) {
      const t = ops.numbers(target);
      let weightSum = 0;
      const w = ops.floats(o.weight);
      for (let i = 0; i < t.length; i++) if (t[i] !== o.ignoreIndex) weightSum = Math.fround(weightSum + w[t[i]]);
      ret = ops.div(ops.sum(kept, null, false), ops.makeTensor(o.weight.dtype, [], o.weight.dtype === 'float32' ? new Float32Array([weightSum]) : new Float64Array([weightSum])));
    } else {
      ret = ops.div(ops.sum(kept, null, false), ops.sum(ops.logicalNot(ignored), null, false));
    }
  } else {
    ret = o.reduction === 'sum' ? ops.sum(kept, null, false) : kept;
  }
  return ops.add(ops.mul(nll, 1 - o.labelSmoothing), ops.mul(ret, o.labelSmoothing / classes));
}

/** The arguments nll_loss / cross_entropy share, checked as PyTorch does. */
function classLossFn(name: string, f: (input: Tensor, target: Tensor, o: ClassLossOptions) => Tensor, smoothing: boolean): NativeFn {
  const names = ['input', 'target', 'weight', 'size_average', 'ignore_index', 'reduce', 'reduction', ...(smoothing ? ['label_smoothing'] : [])];
  const cName = smoothing ? 'cross_entropy_loss' : 'nll_loss_nd';
  return (args, kwargs, cx) => {
    const k = bind(name, args, kwargs, names, 2);
    if ((k.size_average ?? null) !== null || (k.reduce ?? null) !== null) throw notSupported(cx, `${name}(size_average=..., reduce=...); use reduction='mean', 'sum' or 'none'`);
    const input = tensorArg(cx, cName, k.input, 'input', 1);
    const target = tensorArg(cx, cName, k.target, 'target', 2);
    return f(input, target, {
      weight: (k.weight ?? null) === null ? null : tensorArg(cx, cName, k.weight, 'weight', 3),
      ignoreIndex: k.ignore_index === undefined ? -100 : intArg(cx, k.ignore_index, `${cName}(): argument 'ignore_index'`),
      reduction: reductionArg(cx, k.reduction),
      labelSmoothing: k.label_smoothing === undefined ? 0 : toFloat(cx, k.label_smoothing),
    });
  };
}

function lossFn(name: string, f: (input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null) => Tensor, weighted = false): NativeFn {
  const names = weighted ? ['input', 'target', 'weight', 'size_average', 'reduce', 'reduction'] : ['input', 'target', 'size_average', 'reduce', 'reduction'];
  return (args, kwargs, cx) => {
    const k = bind(name, args, kwargs, names, 2);
    if ((k.size_average ?? null) !== null || (k.reduce ?? null) !== null) throw notSupported(cx, `${name}(size_average=..., reduce=...); use reduction='mean', 'sum' or 'none'`);
    const weight = (k.weight ?? null) === null ? null : tensorArg(cx, name, k.weight, 'weight', 3);
    return f(tensorArg(cx, name, k.input, 'input', 1), tensorArg(cx, name, k.target, 'target', 2), reductionArg(cx, k.reduction), weight);
  };
}

function unary(name: string, f: (t: Tensor) => Tensor): NativeFn {
  return (args, kwargs, cx) => {
    const k = bind(name, args, kwargs, ['input'], 1);
    return f(tensorArg(cx, name, k.input, 'input', 1));
  };
}

export function functionalAttributes(): Record<string, Value> {
  const fns: Record<string, NativeFn> = {
    relu: (args, kwargs, cx) => {
      const k = bind('relu', args, kwargs, ['input', 'inplace'], 1);
      return relu(tensorArg(cx, 'relu', k.input, 'input', 1), k.inplace !== undefined && truthy(cx, k.inplace), cx);
    },
    sigmoid: unary('sigmoid', (t) => ops.sigmoid(t)),
    leaky_relu: (args, kwargs, cx) => {
      const k = bind('leaky_relu', args, kwargs, ['input', 'negative_slope', 'inplace'], 1);
      refuseInplace(cx, 'leaky_relu', k.inplace);
      return ops.leakyRelu(tensorArg(cx, 'leaky_relu', k.input, 'input', 1), k.negative_slope === undefined ? 0.01 : toFloat(cx, k.negative_slope));
    },
    elu: (args, kwargs, cx) => {
      const k = bind('elu', args, kwargs, ['input', 'alpha', 'inplace'], 1);
      return eluFn(cx, 'elu', tensorArg(cx, 'elu', k.input, 'input', 1), k.alpha, k.inplace);
    },
    selu: (args, kwargs, cx) => {
      const k = bind('selu', args, kwargs, ['input', 'inplace'], 1);
      refuseInplace(cx, 'selu', k.inplace);
      return ops.elu(tensorArg(cx, 'selu', k.input, 'input', 1), SELU_ALPHA, SELU_SCALE, 1);
    },
    gelu: (args, kwargs, cx) => {
      const k = bind('gelu', args, kwargs, ['input', 'approximate'], 1);
      return ops.gelu(tensorArg(cx, 'gelu', k.input, 'input', 1), geluApproximation(cx, k.approximate));
    },
    silu: (args, kwargs, cx) => {
      const k = bind('silu', args, kwargs, ['input', 'inplace'], 1);
      refuseInplace(cx, 'silu', k.inplace);
      return ops.silu(tensorArg(cx, 'silu', k.input, 'input', 1));
    },
    dropout: (args, kwargs, cx) => {
      const k = bind('dropout', args, kwargs, ['input', 'p', 'training', 'inplace'], 1);
      return dropoutFn(cx, tensorArg(cx, 'dropout', k.input, 'input', 1), k.p ?? 0.5, k.training === undefined || truthy(cx, k.training), k.inplace);
    },
    tanh: unary('tanh', (t) => ops.tanh(t)),
    linear: (args, kwargs, cx) => {
      const k = bind('linear', args, kwargs, ['input', 'weight', 'bias'], 2);
      const bias = k.bias === undefined || k.bias === null ? null : tensorArg(cx, 'linear', k.bias, 'bias', 3);
      return ops.linear(tensorArg(cx, 'linear', k.input, 'input', 1), tensorArg(cx, 'linear', k.weight, 'weight', 2), bias);
    },
    mse_loss: lossFn('mse_loss', mseLoss),
    l1_loss: lossFn('l1_loss', l1Loss),
    binary_cross_entropy: lossFn('binary_cross_entropy', binaryCrossEntropy, true),
    binary_cross_entropy_with_logits: (args, kwargs, cx) => {
      const name = 'binary_cross_entropy_with_logits';
      const k = bind(name, args, kwargs, ['input', 'target', 'weight', 'size_average', 'reduce', 'reduction', 'pos_weight'], 2);
      if ((k.size_average ?? null) !== null || (k.reduce ?? null) !== null) throw notSupported(cx, `${name}(size_average=..., reduce=...); use reduction='mean', 'sum' or 'none'`);
      const optional = (v: Value | undefined, arg: string, position: number): Tensor | null => ((v ?? null) === null ? null : tensorArg(cx, name, v!, arg, position));
      return binaryCrossEntropyWithLogits(
        tensorArg(cx, name, k.input, 'input', 1),
        tensorArg(cx, name, k.target, 'target', 2),
        reductionArg(cx, k.reduction),
        optional(k.weight, 'weight', 3),
        optional(k.pos_weight, 'pos_weight', 7),
      );
    },
    softmax: softmaxFn(false),
    log_softmax: softmaxFn(true),
    nll_loss: classLossFn('nll_loss', nllLoss, false),
    cross_entropy: classLossFn('cross_entropy', crossEntropy, true),
  };
  const out: Record<string, Value> = {};
  for (const [name, f] of Object.entries(fns)) out[name] = new Builtin(name, f);
  return out;
}

/** Real torch.nn.functional functions GradLab does not have yet: using one says so plainly. */
export const UNSUPPORTED_FUNCTIONAL = [
  'relu6', 'hardtanh', 'celu', 'dropout2d', 'alpha_dropout', 'conv1d', 'conv2d', 'max_pool2d', 'avg_pool2d', 'smooth_l1_loss', 'huber_loss', 'one_hot', 'pad',
  'normalize', 'softplus', 'embedding', 'batch_norm', 'layer_norm',
];
