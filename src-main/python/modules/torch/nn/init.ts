// torch.nn.init, and nn.Linear's default initialisation built from it, on PyTorch's CPU generator:
// a seeded nn.Linear prints PyTorch's numbers.
import { Tensor, torch as engine } from '../../../../engine/index';
import { checkArgs, kwarg, toFloat } from '../../../args';
import type { Context, Kwargs, Value } from '../../../context';
import { typeError, valueError } from '../../../errors';
import { str, typeName } from '../../../objects';
import { Builtin, type NativeFn } from '../../../values';
import { notSupported } from '../values';

function markModified(t: Tensor): void {
  t._version.value += 1;
}

/**
 * tensor.uniform_(from, to) as ATen's CPU kernel: one draw per element, the same draws
 * torch.rand makes (24 random bits for float32, 53 for float64), x * (to - from) + from
 * computed in double with from and to in the tensor's dtype, then rounded to the dtype.
 */
export function uniformInPlace(t: Tensor, from: number, to: number): Tensor {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new Error(`uniform_ needs a floating point tensor, got ${t.dtype}`);
  const round = t.dtype === 'float32' ? Math.fround : (x: number) => x;
  const draws = engine.rand([...t.shape], { dtype: t.dtype }).data;
  const lo = round(from);
  const range = round(round(to) - lo);
  const values = new (t.dtype === 'float32' ? Float32Array : Float64Array)(draws.length);
  for (let i = 0; i < values.length; i++) values[i] = draws[i] * range + lo;
  t.data = values;
  markModified(t);
  return t;
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
  if (mode !== 'fan_in' && mode !== 'fan_out') throw valueError(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = fanInAndOut(t);
  const std = calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut);
  const bound = Math.sqrt(3.0) * std;
  return uniformInPlace(t, -bound, bound);
}

/**
 * nn.Linear.reset_parameters: kaiming_uniform_(weight, a=sqrt(5)), then the bias uniform on
 * [-1/sqrt(fan_in), 1/sqrt(fan_in)], in that order on the generator.
 */
export function linearParameters(inFeatures: number, outFeatures: number, bias: boolean): { weight: Tensor; bias: Tensor | null } {
  const weight = engine.zeros([outFeatures, inFeatures]);
  kaimingUniform(weight, Math.sqrt(5), 'fan_in', 'leaky_relu');
  if (!bias) return { weight, bias: null };
  const b = engine.zeros([outFeatures]);
  const fanIn = fanInAndOut(weight)[0];
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniformInPlace(b, -bound, bound);
  return { weight, bias: b };
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

function fill(t: Tensor, value: number): Tensor {
  t.data = new Float64Array(t.numel()).fill(value);
  markModified(t);
  return t;
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
    kaiming_uniform_: initFn('kaiming_uniform_', ['a', 'mode', 'nonlinearity'], (t, get, cx) => {
      const mode = get('mode') ?? 'fan_in';
      const nonlinearity = get('nonlinearity') ?? 'leaky_relu';
      if (typeof mode !== 'string' || typeof nonlinearity !== 'string') throw typeError('kaiming_uniform_(): mode and nonlinearity must be strings');
      return kaimingUniform(t, numberArg(cx, get('a'), 0), mode, nonlinearity);
    }),
    xavier_uniform_: initFn('xavier_uniform_', ['gain'], (t, get, cx) => {
      const [fanIn, fanOut] = fanInAndOut(t);
      const std = numberArg(cx, get('gain'), 1) * Math.sqrt(2.0 / (fanIn + fanOut));
      const a = Math.sqrt(3.0) * std;
      return uniformInPlace(t, -a, a);
    }),
    calculate_gain: new Builtin('calculate_gain', (args, kwargs, cx) => {
      const k = kwarg('calculate_gain', kwargs, ['nonlinearity', 'param']);
      const nonlinearity = args[0] ?? k.nonlinearity;
      const param = args[1] ?? k.param;
      if (typeof nonlinearity !== 'string') throw typeError(`calculate_gain(): nonlinearity must be a string, not ${typeName(cx, nonlinearity)}`);
      if (param !== undefined && param !== null && typeof param !== 'number' && typeof param !== 'bigint') throw valueError(`negative_slope ${str(cx, param)} not a valid number`);
      return calculateGain(nonlinearity, param === undefined || param === null ? null : toFloat(cx, param));
    }),
    normal_: new Builtin('normal_', (_args, _kwargs, cx) => {
      throw notSupported(cx, 'torch.nn.init.normal_ (uniform_, kaiming_uniform_ and xavier_uniform_ work)');
    }),
  };
}

/** Real torch.nn.init functions GradLab does not have yet. */
export const UNSUPPORTED_INIT = ['normal_', 'xavier_normal_', 'kaiming_normal_', 'trunc_normal_', 'orthogonal_', 'sparse_', 'eye_', 'dirac_'];
