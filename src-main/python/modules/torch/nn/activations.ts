// nn layers without parameters beyond the basic three: nn.Softmax and nn.LogSoftmax (dim),
// nn.Flatten, nn.Identity, nn.LeakyReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU and nn.Dropout, with
// PyTorch's printing (extra_repr).
import type { Tensor } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { toFloat } from '../../../args';
import { getAttr } from '../../../attributes';
import type { Context, Value } from '../../../context';
import { repr, str, truthy } from '../../../objects';
import type { PyInstance } from '../../../values';
import { intArg } from '../values';
import { bind, checkDropoutP, dropoutFn, eluFn, geluApproximation, refuseInplace, SELU_ALPHA, SELU_SCALE, softmaxDim } from './functional';
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

const inplaceText = (cx: Context, self: PyInstance): string => (truthy(cx, getAttr(cx, self, 'inplace')) ? 'inplace=True' : '');

/** A layer whose __init__ stores its settings (PyTorch's names and defaults) and whose forward calls `run`. */
function settingsLayer(
  name: string,
  names: readonly string[],
  defaults: readonly Value[],
  run: (cx: Context, self: PyInstance, input: Tensor) => Tensor,
  extraRepr: (cx: Context, self: PyInstance) => string,
  check?: (cx: Context, k: Record<string, Value | undefined>) => void,
): ReturnType<typeof layer> {
  return layer(name, {
    __init__(self: PyInstance, args, kwargs, cx) {
      const k = bind(`${name}.__init__`, args, kwargs, names, 0);
      check?.(cx, k);
      initModule(self);
      names.forEach((n, i) => self.dict.set(n, k[n] ?? defaults[i]));
      return null;
    },
    forward: (self: PyInstance, args, kwargs, cx) => run(cx, self, oneInput(args, kwargs, cx)),
    extra_repr: (self: PyInstance, _args, _kwargs, cx) => extraRepr(cx, self),
  });
}

export const LEAKY_RELU_CLASS = settingsLayer(
  'LeakyReLU',
  ['negative_slope', 'inplace'],
  [0.01, false],
  (cx, self, x) => {
    refuseInplace(cx, 'nn.LeakyReLU', getAttr(cx, self, 'inplace'));
    return ops.leakyRelu(x, toFloat(cx, getAttr(cx, self, 'negative_slope')));
  },
  (cx, self) => `negative_slope=${str(cx, getAttr(cx, self, 'negative_slope'))}${truthy(cx, getAttr(cx, self, 'inplace')) ? ', inplace=True' : ''}`,
);

export const ELU_CLASS = settingsLayer(
  'ELU',
  ['alpha', 'inplace'],
  [1.0, false],
  (cx, self, x) => eluFn(cx, 'nn.ELU', x, getAttr(cx, self, 'alpha'), getAttr(cx, self, 'inplace')),
  (cx, self) => `alpha=${str(cx, getAttr(cx, self, 'alpha'))}${truthy(cx, getAttr(cx, self, 'inplace')) ? ', inplace=True' : ''}`,
);

export const SELU_CLASS = settingsLayer(
  'SELU',
  ['inplace'],
  [false],
  (cx, self, x) => {
    refuseInplace(cx, 'nn.SELU', getAttr(cx, self, 'inplace'));
    return ops.elu(x, SELU_ALPHA, SELU_SCALE, 1);
  },
  inplaceText,
);

export const GELU_CLASS = settingsLayer(
  'GELU',
  ['approximate'],
  ['none'],
  (cx, self, x) => ops.gelu(x, geluApproximation(cx, getAttr(cx, self, 'approximate'))),
  (cx, self) => `approximate=${repr(cx, getAttr(cx, self, 'approximate'))}`,
);

export const SILU_CLASS = settingsLayer(
  'SiLU',
  ['inplace'],
  [false],
  (cx, self, x) => {
    refuseInplace(cx, 'nn.SiLU', getAttr(cx, self, 'inplace'));
    return ops.silu(x);
  },
  inplaceText,
);

/** nn.Dropout(p=0.5, inplace=False): zeroes elements with probability p while training, scales the rest by 1 / (1 - p). */
export const DROPOUT_CLASS = settingsLayer(
  'Dropout',
  ['p', 'inplace'],
  [0.5, false],
  (cx, self, x) => dropoutFn(cx, x, getAttr(cx, self, 'p'), truthy(cx, getAttr(cx, self, 'training')), getAttr(cx, self, 'inplace')),
  (cx, self) => `p=${str(cx, getAttr(cx, self, 'p'))}, inplace=${str(cx, getAttr(cx, self, 'inplace'))}`,
  (cx, k) => checkDropoutP(cx, k.p ?? 0.5),
);

export const ACTIVATION_CLASSES = [SOFTMAX_CLASS, LOG_SOFTMAX_CLASS, FLATTEN_CLASS, IDENTITY_CLASS, LEAKY_RELU_CLASS, ELU_CLASS, SELU_CLASS, GELU_CLASS, SILU_CLASS, DROPOUT_CLASS];
