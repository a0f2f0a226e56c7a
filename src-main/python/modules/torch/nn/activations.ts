// nn layers without parameters beyond the basic three: nn.Softmax and nn.LogSoftmax (dim),
// nn.Flatten, nn.Identity, with PyTorch's printing (extra_repr).
import * as ops from '../../../../engine/ops/index';
import { getAttr } from '../../../attributes';
import { str } from '../../../objects';
import type { PyInstance } from '../../../values';
import { intArg } from '../values';
import { bind, softmaxDim } from './functional';
import { layer, oneInput } from './layers';
import { initModule } from './module';

function softmaxLayer(name: 'Softmax' | 'LogSoftmax'): ReturnType<typeof layer> {
  const log = name === 'LogSoftmax';
  const fname = log ? 'log_softmax' : 'softmax';
  return layer(name, {
    __init__(self: PyInstance, args, kwargs) {
      const k = bind(`${name}.__init__`, args, kwargs, ['dim'], 0);
      initModule(self);
      self.dict.set('dim', k.dim ?? null);
      return null;
    },
    forward(self: PyInstance, args, kwargs, cx) {
      const input = oneInput(args, kwargs, cx);
      const dim = softmaxDim(cx, fname, getAttr(cx, self, 'dim'), input.shape.length);
      return log ? ops.logSoftmax(input, dim) : ops.softmax(input, dim);
    },
    extra_repr: (self: PyInstance, _args, _kwargs, cx) => `dim=${str(cx, getAttr(cx, self, 'dim'))}`,
  });
}

export const SOFTMAX_CLASS = softmaxLayer('Softmax');
export const LOG_SOFTMAX_CLASS = softmaxLayer('LogSoftmax');

export const FLATTEN_CLASS = layer('Flatten', {
  __init__(self: PyInstance, args, kwargs) {
    const k = bind('Flatten.__init__', args, kwargs, ['start_dim', 'end_dim'], 0);
    initModule(self);
    self.dict.set('start_dim', k.start_dim ?? 1n);
    self.dict.set('end_dim', k.end_dim ?? -1n);
    return null;
  },
  forward(self: PyInstance, args, kwargs, cx) {
    const input = oneInput(args, kwargs, cx);
    const start = intArg(cx, getAttr(cx, self, 'start_dim'), "flatten(): argument 'start_dim'");
    const end = intArg(cx, getAttr(cx, self, 'end_dim'), "flatten(): argument 'end_dim'");
    return ops.flatten(input, start, end);
  },
  extra_repr: (self: PyInstance, _args, _kwargs, cx) => `start_dim=${str(cx, getAttr(cx, self, 'start_dim'))}, end_dim=${str(cx, getAttr(cx, self, 'end_dim'))}`,
});

/** nn.Identity(*args, **kwargs): takes and ignores any arguments; forward returns its input itself. */
export const IDENTITY_CLASS = layer('Identity', {
  __init__(self: PyInstance) {
    initModule(self);
    return null;
  },
  forward(_self: PyInstance, args, kwargs, cx) {
    return oneInput(args, kwargs, cx);
  },
});

export const ACTIVATION_CLASSES = [SOFTMAX_CLASS, LOG_SOFTMAX_CLASS, FLATTEN_CLASS, IDENTITY_CLASS];
