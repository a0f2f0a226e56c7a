// The torch module's functions: tensor factories, grad-mode switches, functional forms, and its
// dtype and type names.
import { Tensor, torch as engine, type DType, type NestedArray } from '../../../engine/index';
import { checkArgs, kwarg, toFloat } from '../../args';
import { callMethod } from '../../attributes';
import { typeError } from '../../errors';
import { typeName } from '../../objects';
import type { Value } from '../../context';
import { BUILTIN_TYPES } from '../../types';
import { Builtin, PyContextManager, type NativeFn } from '../../values';
import { shapeFromArgs } from './values';
import { asTensor, BOOL, boolArg, creationOpts, dataArg, FLOAT32, INT64, intArg, notSupported, scalarArg, shapeArgs, tensorClass } from './values';

function fn(name: string, f: NativeFn): Builtin {
  return new Builtin(name, f);
}

function creation(name: string, make: (shape: number[], opts: { requiresGrad?: boolean; dtype?: DType }) => Tensor): Builtin {
  return fn(name, (args, kwargs, cx) => {
    const { opts } = creationOpts(cx, name, kwargs, ['size', 'out']);
    return make(shapeArgs(cx, name, args), opts);
  });
}

function gradModeManager(kind: string, enabled: boolean): PyContextManager {
  let restore: (() => void) | null = null;
  return new PyContextManager(
    kind,
    () => {
      restore = enabled ? engineSetGrad(true) : engine.enterNoGrad();
      return null;
    },
    () => {
      restore?.();
      restore = null;
    },
  );
}
function engineSetGrad(flag: boolean): () => void {
  return engine.setGradEnabled(flag);
}

function functional(name: string, method: string): Builtin {
  return fn(name, (args, kwargs, cx) => {
    if (args.length === 0) throw typeError(`${name}() missing 1 required positional arguments: "input"`);
    const t = asTensor(cx, args[0], name);
    return callMethod(cx, t, method, args.slice(1), kwargs);
  });
}

/** The attributes of the torch module. */
export function torchAttributes(): Record<string, Value> {
  return {
    __version__: '1.13.0a0', // what Debian's python3-torch 1.13.1 reports
    Tensor: tensorClass,
    Size: BUILTIN_TYPES.get('Size'),
    float32: FLOAT32,
    float: FLOAT32,
    int64: INT64,
    long: INT64,
    bool: BOOL,
    tensor: fn('tensor', (args, kwargs, cx) => {
      const { opts } = creationOpts(cx, 'tensor', kwargs, ['data']);
      checkArgs('tensor', args, 1, 1);
      const data = args[0];
      if (data instanceof Tensor) {
        const c = data.detach().clone();
        if (opts.dtype && opts.dtype !== c.dtype) throw notSupported(cx, 'torch.tensor(tensor, dtype=...)');
        if (opts.requiresGrad) c.requiresGrad_(true);
        return c;
      }
      return engine.tensor(dataArg(cx, data, 'tensor') as NestedArray, opts);
    }),
    zeros: creation('zeros', (s, o) => engine.zeros(s, o)),
    ones: creation('ones', (s, o) => engine.ones(s, o)),
    rand: creation('rand', (s, o) => engine.rand(s, o)),
    randn: creation('randn', (s, o) => engine.randn(s, o)),
    empty: creation('empty', (s, o) => engine.zeros(s, o)),
    full: fn('full', (args, kwargs, cx) => {
      const { opts } = creationOpts(cx, 'full', kwargs, ['size', 'fill_value']);
      checkArgs('full', args, 2, 2);
      const value = scalarArg(args[1]);
      if (value === undefined) throw typeError(`full(): argument 'fill_value' must be Number, not ${typeName(cx, args[1])}`);
      return engine.full(shapeArgs(cx, 'full', [args[0]]), value, opts);
    }),
    zeros_like: fn('zeros_like', (args, kwargs, cx) => engine.zerosLike(asTensor(cx, args[0], 'zeros_like'), creationOpts(cx, 'zeros_like', kwargs).opts)),
    ones_like: fn('ones_like', (args, kwargs, cx) => engine.onesLike(asTensor(cx, args[0], 'ones_like'), creationOpts(cx, 'ones_like', kwargs).opts)),
    arange: fn('arange', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'arange', kwargs, ['start', 'end', 'step']);
      const all = args.slice();
      if (rest.start !== undefined) all.unshift(rest.start);
      if (rest.end !== undefined) all.push(rest.end);
      if (rest.step !== undefined) all.push(rest.step);
      if (all.length === 0 || all.length > 3) throw typeError(`arange() received an invalid combination of arguments`);
      const anyFloat = all.some((a) => typeof a === 'number');
      const nums = all.map((a) => toFloat(cx, a));
      if (anyFloat && !opts.dtype) opts.dtype = 'float32';
      if (nums.length === 1) return engine.arange(nums[0], undefined, 1, opts);
      return engine.arange(nums[0], nums[1], nums[2] ?? 1, opts);
    }),
    linspace: fn('linspace', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'linspace', kwargs, ['steps', 'start', 'end']);
      const start = args[0] ?? rest.start;
      const end = args[1] ?? rest.end;
      const steps = args[2] ?? rest.steps;
      if (steps === undefined) throw typeError('linspace() missing required argument \'steps\' (pos 3)');
      return engine.linspace(toFloat(cx, start), toFloat(cx, end), intArg(cx, steps, "linspace(): argument 'steps'"), opts);
    }),
    manual_seed: fn('manual_seed', (args, _kwargs, cx) => {
      checkArgs('manual_seed', args, 1, 1);
      engine.manualSeed(intArg(cx, args[0], "manual_seed(): argument 'seed'"));
      return null;
    }),
    no_grad: fn('no_grad', (args) => {
      checkArgs('no_grad', args, 0, 0);
      return gradModeManager('no_grad', false);
    }),
    enable_grad: fn('enable_grad', () => gradModeManager('enable_grad', true)),
    set_grad_enabled: fn('set_grad_enabled', (args, _kwargs, cx) => {
      checkArgs('set_grad_enabled', args, 1, 1);
      const flag = boolArg(cx, args[0], true);
      // Like PyTorch: takes effect immediately, and also works as a context manager.
      const restore = engineSetGrad(flag);
      return new PyContextManager('set_grad_enabled', () => null, restore);
    }),
    is_grad_enabled: fn('is_grad_enabled', () => engine.isGradEnabled()),
    is_tensor: fn('is_tensor', (args) => args[0] instanceof Tensor),
    numel: fn('numel', (args, _kwargs, cx) => BigInt(asTensor(cx, args[0], 'numel').numel())),
    sum: functional('sum', 'sum'),
    mean: functional('mean', 'mean'),
    exp: functional('exp', 'exp'),
    log: functional('log', 'log'),
    sqrt: functional('sqrt', 'sqrt'),
    abs: functional('abs', 'abs'),
    neg: functional('neg', 'neg'),
    pow: fn('pow', (args, kwargs, cx) => {
      const k = kwarg('pow', kwargs, ['input', 'exponent']);
      const base = args[0] ?? k.input;
      const e = args[1] ?? k.exponent;
      if (base instanceof Tensor) return callMethod(cx, base, 'pow', [e], null);
      const b = scalarArg(base);
      if (b !== undefined && e instanceof Tensor) return e.rpow(b);
      throw typeError(`pow() received an invalid combination of arguments - got (${typeName(cx, base)}, ${typeName(cx, e)})`);
    }),
    matmul: fn('matmul', (args, _kwargs, cx) => {
      checkArgs('matmul', args, 2, 2);
      return asTensor(cx, args[0], 'matmul').matmul(asTensor(cx, args[1], 'matmul', 'other'));
    }),
    add: functional('add', 'add'),
    sub: functional('sub', 'sub'),
    mul: functional('mul', 'mul'),
    div: functional('div', 'div'),
    reshape: fn('reshape', (args, _kwargs, cx) => asTensor(cx, args[0], 'reshape').reshape(shapeFromArgs(cx, 'reshape', args.slice(1)))),
    clone: functional('clone', 'clone'),
    detach: functional('detach', 'detach'),
  };
}
