// torch.nn.init, and nn.Linear's default initialisation built from it, on PyTorch's CPU generator:
// a seeded nn.Linear prints PyTorch's numbers.
import { Tensor, torch as engine } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { checkArgs, kwarg, toFloat } from '../../../args';
import type { Context, Kwargs, Value } from '../../../context';
import { PyException, typeError, valueError } from '../../../errors';
import { str, typeName } from '../../../objects';
import { Builtin, type NativeFn } from '../../../values';

/** tensor.uniform_(from, to): the same draws and arithmetic as the tensor method (engine.randomFillInPlace). */
export function uniformInPlace(t: Tensor, from: number, to: number): Tensor {
  return engine.randomFillInPlace(t, 'uniform', from, to);
}

function normalInPlace(t: Tensor, mean: number, std: number): Tensor {
  return engine.randomFillInPlace(t, 'normal', mean, std);
}

/** torch.nn.init._calculate_fan_in_and_fan_out */
export function fanInAndOut(t: Tensor): [number, number] {
  if (t.dim() < 2) throw valueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let i = 2; i < t.dim(); i++) receptive *= t.shape[i];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/** torch.nn.init.calculate_gain */
export function calculateGain(nonlinearity: string, param: number | null): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case 'selu':
      return 3.0 / 4;
  }
  throw valueError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** torch.nn.init.kaiming_uniform_(t, a, mode='fan_in' | 'fan_out', nonlinearity) */
export function kaimingUniform(t: Tensor, a: number, mode: string, nonlinearity: string): Tensor {
  if (t.shape.includes(0)) return t; // PyTorch warns "Initializing zero-element tensors is a no-op"
  const std = calculateGain(nonlinearity, a) / Math.sqrt(correctFan(t, mode));
  const bound = Math.sqrt(3.0) * std;
  return uniformInPlace(t, -bound, bound);
}

/** torch.nn.init._calculate_correct_fan */
function correctFan(t: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') throw valueError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = fanInAndOut(t);
  return m === 'fan_in' ? fanIn : fanOut;
}

/** torch.nn.init.kaiming_normal_(t, a, mode, nonlinearity) */
function kaimingNormal(t: Tensor, a: number, mode: string, nonlinearity: string): Tensor {
  if (t.shape.includes(0)) return t;
  return normalInPlace(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(correctFan(t, mode)));
}

// ---- the Python module torch.nn.init ----

function tensorArg(cx: Context, v: Value, fname: string): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fname}(): argument 'tensor' must be Tensor, not ${typeName(cx, v)}`);
}

function numberArg(cx: Context, v: Value | undefined, dflt: number): number {
  return v === undefined || v === null ? dflt : toFloat(cx, v);
}

/** An init function: fname(tensor, *settings) with PyTorch's parameter names; returns the tensor. */
function initFn(name: string, params: readonly string[], f: (t: Tensor, get: (key: string) => Value | undefined, cx: Context) => Tensor): Builtin {
  const fn: NativeFn = (args, kwargs: Kwargs, cx) => {
    const k = kwarg(name, kwargs, ['tensor', ...params]);
    checkArgs(name, args, 0, params.length + 1);
    const given = (key: string, i: number): Value | undefined => (args.length > i ? args[i] : k[key]);
    const t = tensorArg(cx, given('tensor', 0), name);
    return engine.noGrad(() => f(t, (key) => given(key, params.indexOf(key) + 1), cx));
  };
  return new Builtin(name, fn);
}

/** tensor.fill_(value) under no_grad (constant_, ones_, zeros_). */
function fill(t: Tensor, value: number): Tensor {
  return ops.fillInPlace(t, value);
}

function stringArg(cx: Context, v: Value | undefined, dflt: string, name: string): string {
  const s = v ?? dflt;
  if (typeof s !== 'string') throw new PyException('AttributeError', `'${typeName(cx, s)}' object has no attribute ${name === 'mode' ? "'lower'" : `'${name}'`}`);
  return s;
}

function xavierStd(cx: Context, t: Tensor, gain: Value | undefined): number {
  const [fanIn, fanOut] = fanInAndOut(t);
  return numberArg(cx, gain, 1) * Math.sqrt(2.0 / (fanIn + fanOut));
}

export function initAttributes(): Record<string, Value> {
  return {
    uniform_: initFn('uniform_', ['a', 'b'], (t, get, cx) => uniformInPlace(t, numberArg(cx, get('a'), 0), numberArg(cx, get('b'), 1))),
    constant_: initFn('constant_', ['val'], (t, get, cx) => {
      if (get('val') === undefined) throw typeError("constant_() missing 1 required positional argument: 'val'");
      return fill(t, toFloat(cx, get('val')));
    }),
    zeros_: initFn('zeros_', [], (t) => fill(t, 0)),
    ones_: initFn('ones_', [], (t) => fill(t, 1)),
    normal_: initFn('normal_', ['mean', 'std'], (t, get, cx) => normalInPlace(t, numberArg(cx, get('mean'), 0), numberArg(cx, get('std'), 1))),
    kaiming_uniform_: initFn('kaiming_uniform_', ['a', 'mode', 'nonlinearity'], (t, get, cx) =>
      kaimingUniform(t, numberArg(cx, get('a'), 0), stringArg(cx, get('mode'), 'fan_in', 'mode'), stringArg(cx, get('nonlinearity'), 'leaky_relu', 'nonlinearity')),
    ),
    kaiming_normal_: initFn('kaiming_normal_', ['a', 'mode', 'nonlinearity'], (t, get, cx) =>
      kaimingNormal(t, numberArg(cx, get('a'), 0), stringArg(cx, get('mode'), 'fan_in', 'mode'), stringArg(cx, get('nonlinearity'), 'leaky_relu', 'nonlinearity')),
    ),
    xavier_uniform_: initFn('xavier_uniform_', ['gain'], (t, get, cx) => {
      const a = Math.sqrt(3.0) * xavierStd(cx, t, get('gain'));
      return uniformInPlace(t, -a, a);
    }),
    xavier_normal_: initFn('xavier_normal_', ['gain'], (t, get, cx) => normalInPlace(t, 0, xavierStd(cx, t, get('gain')))),
    eye_: initFn('eye_', [], (t) => {
      if (t.dim() !== 2) throw valueError('Only tensors with 2 dimensions are supported');
      const values = new Float64Array(t.numel());
      for (let i = 0; i < Math.min(t.shape[0], t.shape[1]); i++) values[i * t.shape[1] + i] = 1;
      t.data = values;
      t._version.value += 1;
      return t;
    }),
    calculate_gain: new Builtin('calculate_gain', (args, kwargs, cx) => {
      const k = kwarg('calculate_gain', kwargs, ['nonlinearity', 'param']);
      const nonlinearity = args[0] ?? k.nonlinearity;
      const param = args[1] ?? k.param;
      if (typeof nonlinearity !== 'string') throw typeError(`calculate_gain(): nonlinearity must be a string, not ${typeName(cx, nonlinearity)}`);
      if (param !== undefined && param !== null && typeof param !== 'number' && typeof param !== 'bigint') throw valueError(`negative_slope ${str(cx, param)} not a valid number`);
      return calculateGain(nonlinearity, param === undefined || param === null ? null : toFloat(cx, param));
    }),
  };
}

/** Real torch.nn.init functions GradLab does not have yet. */
export const UNSUPPORTED_INIT = ['trunc_normal_', 'orthogonal_', 'sparse_', 'dirac_'];
