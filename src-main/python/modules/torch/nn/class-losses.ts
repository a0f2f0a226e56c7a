// The classification losses as nn modules: nn.CrossEntropyLoss, nn.NLLLoss and
// nn.BCEWithLogitsLoss, each computing through torch.nn.functional's function (so the graph is
// PyTorch's: LogSoftmaxBackward0 -> NllLossBackward0, BinaryCrossEntropyWithLogitsBackward0).
// weight and pos_weight are buffers, as in PyTorch (so they are in the module's state_dict()).
import { Tensor } from '../../../../engine/index';
import { toFloat } from '../../../args';
import { getAttr } from '../../../attributes';
import type { Context, Value } from '../../../context';
import { typeError } from '../../../errors';
import type { PyInstance } from '../../../values';
import { intArg, notSupported } from '../values';
import { bind, binaryCrossEntropyWithLogits, crossEntropy, nllLoss, reductionArg, type ClassLossOptions } from './functional';
import { layer, tensorInput } from './layers';
import { initModule, registerBuffer } from './module';

function optionalTensor(cx: Context, v: Value | undefined, name: string): Tensor | null {
  return (v ?? null) === null ? null : tensorInput(cx, v, name);
}

function refuseLegacy(cx: Context, name: string, k: Record<string, Value | undefined>): void {
  if ((k.size_average ?? null) !== null || (k.reduce ?? null) !== null) {
    throw notSupported(cx, `nn.${name}(size_average=..., reduce=...); use reduction='mean', 'sum' or 'none'`);
  }
}

/** forward(input, target): the two tensors, with PyTorch's argument count message. */
function inputAndTarget(cx: Context, args: Value[], kwargs: Parameters<typeof bind>[2]): [Tensor, Tensor] {
  if (args.length > 2) throw typeError(`forward() takes 3 positional arguments but ${args.length + 1} were given`);
  const k = bind('forward', args, kwargs, ['input', 'target'], 2);
  return [tensorInput(cx, k.input), tensorInput(cx, k.target, 'target')];
}

function classLoss(name: string, f: (input: Tensor, target: Tensor, o: ClassLossOptions) => Tensor, smoothing: boolean): ReturnType<typeof layer> {
  const names = ['weight', 'size_average', 'ignore_index', 'reduce', 'reduction', ...(smoothing ? ['label_smoothing'] : [])];
  return layer(name, {
    __init__(self: PyInstance, args, kwargs, cx) {
      const k = bind(`${name}.__init__`, args, kwargs, names, 0);
      refuseLegacy(cx, name, k);
      initModule(self);
      self.dict.set('reduction', k.reduction ?? 'mean');
      registerBuffer(cx, self, 'weight', optionalTensor(cx, k.weight, 'weight'), true);
      self.dict.set('ignore_index', k.ignore_index ?? -100n);
      if (smoothing) self.dict.set('label_smoothing', k.label_smoothing ?? 0.0);
      return null;
    },
    forward(self: PyInstance, args, kwargs, cx) {
      const [input, target] = inputAndTarget(cx, args, kwargs);
      const weight = getAttr(cx, self, 'weight');
      return f(input, target, {
        weight: weight instanceof Tensor ? weight : null,
        ignoreIndex: intArg(cx, getAttr(cx, self, 'ignore_index'), "argument 'ignore_index'"),
        reduction: reductionArg(cx, getAttr(cx, self, 'reduction')),
        labelSmoothing: smoothing ? toFloat(cx, getAttr(cx, self, 'label_smoothing')) : 0,
      });
    },
  });
}

export const CROSS_ENTROPY_LOSS_CLASS = classLoss('CrossEntropyLoss', crossEntropy, true);
export const NLL_LOSS_CLASS = classLoss('NLLLoss', nllLoss, false);

export const BCE_WITH_LOGITS_LOSS_CLASS = layer('BCEWithLogitsLoss', {
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('BCEWithLogitsLoss.__init__', args, kwargs, ['weight', 'size_average', 'reduce', 'reduction', 'pos_weight'], 0);
    refuseLegacy(cx, 'BCEWithLogitsLoss', k);
    initModule(self);
    self.dict.set('reduction', k.reduction ?? 'mean');
    registerBuffer(cx, self, 'weight', optionalTensor(cx, k.weight, 'weight'), true);
    registerBuffer(cx, self, 'pos_weight', optionalTensor(cx, k.pos_weight, 'pos_weight'), true);
    return null;
  },
  forward(self: PyInstance, args, kwargs, cx) {
    const [input, target] = inputAndTarget(cx, args, kwargs);
    const weight = getAttr(cx, self, 'weight');
    const posWeight = getAttr(cx, self, 'pos_weight');
    return binaryCrossEntropyWithLogits(
      input,
      target,
      reductionArg(cx, getAttr(cx, self, 'reduction')),
      weight instanceof Tensor ? weight : null,
      posWeight instanceof Tensor ? posWeight : null,
    );
  },
});

export const CLASS_LOSS_CLASSES = [CROSS_ENTROPY_LOSS_CLASS, NLL_LOSS_CLASS, BCE_WITH_LOGITS_LOSS_CLASS];
