// torch.nn.functional's functions that match GradLab's layers: relu, sigmoid, tanh, linear,
// mse_loss, l1_loss and binary_cross_entropy, as PyTorch 1.13 computes them (graph nodes included).
import { formatSize, Tensor } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { broadcastShapes, sameShape } from '../../../../engine/shape';
import { kwarg } from '../../../args';
import type { Context, Kwargs, Value } from '../../../context';
import { typeError, valueError } from '../../../errors';
import { truthy, typeName } from '../../../objects';
import { Builtin, type NativeFn } from '../../../values';
import { notSupported } from '../values';

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
    tanh: unary('tanh', (t) => ops.tanh(t)),
    linear: (args, kwargs, cx) => {
      const k = bind('linear', args, kwargs, ['input', 'weight', 'bias'], 2);
      const bias = k.bias === undefined || k.bias === null ? null : tensorArg(cx, 'linear', k.bias, 'bias', 3);
      return ops.linear(tensorArg(cx, 'linear', k.input, 'input', 1), tensorArg(cx, 'linear', k.weight, 'weight', 2), bias);
    },
    mse_loss: lossFn('mse_loss', mseLoss),
    l1_loss: lossFn('l1_loss', l1Loss),
    binary_cross_entropy: lossFn('binary_cross_entropy', binaryCrossEntropy, true),
  };
  const out: Record<string, Value> = {};
  for (const [name, f] of Object.entries(fns)) out[name] = new Builtin(name, f);
  return out;
}

/** Real torch.nn.functional functions GradLab does not have yet: using one says so plainly. */
export const UNSUPPORTED_FUNCTIONAL = [
  'softmax', 'log_softmax', 'cross_entropy', 'nll_loss', 'binary_cross_entropy_with_logits', 'leaky_relu',
  'gelu', 'elu', 'dropout', 'conv1d', 'conv2d', 'max_pool2d', 'avg_pool2d', 'smooth_l1_loss', 'huber_loss', 'one_hot', 'pad',
  'normalize', 'softplus', 'silu', 'hardtanh', 'embedding', 'batch_norm', 'layer_norm',
];
