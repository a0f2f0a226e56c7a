// The torch module's tensor factories (tensor, zeros, ones, full, eye, arange, linspace, the
// random ones, *_like) and its attribute table, which joins them with the functional forms
// (functions.ts), the grad-mode switches (grad-mode.ts) and the dtype names.
import { nondeterministicSeed } from '../../../engine/random';
import { isFloating, promoteTypes, Tensor, torch as engine, type CreationOptions, type NestedArray } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { checkArgs, toFloat } from '../../args';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { BUILTIN_TYPES } from '../../types';
import { Builtin, PyList, PyTuple, type NativeFn } from '../../values';
import { TORCH_FUNCTIONS } from './functions';
import { gradModeAttributes } from './grad-mode';
import { finfo, iinfo } from './type-info';
import { factoryGenerator, generatorClass, manualSeed, refuseGenerator } from './generator';
import { extraFunctions } from './tensor-extras';
import { serializationFunctions } from './serialization';
import { indexedFunctions } from './tensor-indexed';
import { deviceClass } from './objects';
import { asTensor, bindArgs, creationOpts, dataArg, DTYPE_NAMES, DTYPE_OBJECTS, dtypeArg, intArg, operand, scalarArg, shapeArgs, tensorClass, TORCH_DTYPE_CLASS } from './values';

type Opts = CreationOptions;

function fn(name: string, f: NativeFn): Builtin {
  return new Builtin(name, f);
}

/**
 * zeros(2, 3), zeros((2, 3)), zeros(size=(2, 3)), with dtype=, requires_grad=, device='cpu';
 * generator= only where PyTorch has one (`random`: rand, randn).
 */
function creation(name: string, make: (shape: number[], opts: Opts) => Tensor, random = false): Builtin {
  return fn(name, (args, kwargs, cx) => {
    if (!random) refuseGenerator(cx, name, args, kwargs);
    const { opts, rest } = creationOpts(cx, name, kwargs, ['size', 'out', 'layout', 'pin_memory', 'memory_format', 'generator']);
    const generator = factoryGenerator(cx, name, args, kwargs);
    if (generator) opts.generator = generator;
    return make(shapeArgs(cx, name, rest.size !== undefined ? [rest.size] : args), opts);
  });
}

/** A factory without generator=: PyTorch's parser refuses the keyword before anything else. */
function noGenerator(name: string, f: NativeFn): Builtin {
  return fn(name, (args, kwargs, cx) => {
    refuseGenerator(cx, name, args, kwargs);
    return f(args, kwargs, cx);
  });
}

/** zeros_like(x) and friends: x's shape and dtype unless dtype= is given. */
function like(name: string, make: (t: Tensor, opts: Opts, args: Value[], cx: Context) => Tensor, extra: string[] = [], refusesGenerator = false): Builtin {
  return fn(name, (args, kwargs, cx) => {
    // randint_like goes through PyTorch's argument parser; the others are Python functions that reject the keyword
    if (refusesGenerator) refuseGenerator(cx, name, args, kwargs);
    const { opts } = creationOpts(cx, name, kwargs, ['input', 'layout', 'memory_format', 'pin_memory', ...extra]);
    const input = args.length > 0 ? args[0] : kwargs?.get('input');
    return make(asTensor(cx, input, name), opts, args.slice(1), cx);
  });
}

/** The range's numbers (Python ints exact, as bigints) and whether any of them was a Python float (arange's dtype follows them). */
function numbers(cx: Context, values: Value[]): { nums: (number | bigint)[]; anyFloat: boolean } {
  const anyFloat = values.some((a) => typeof a === 'number' || (a instanceof Tensor && isFloating(a.dtype)));
  return { nums: values.map((a) => (typeof a === 'bigint' ? a : toFloat(cx, a))), anyFloat };
}

export function tensorFactory(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const { opts } = creationOpts(cx, 'tensor', kwargs, ['data', 'pin_memory']);
  checkArgs('tensor', args, 1, 1);
  const data = args[0];
  if (data instanceof Tensor) {
    // torch.tensor(t) copies t (PyTorch warns to use t.clone().detach())
    const c = data.detach().clone();
    const out = opts.dtype && opts.dtype !== c.dtype ? c.to(opts.dtype) : c;
    if (opts.requiresGrad) out.requiresGrad_(true);
    return out;
  }
  if (data instanceof PyList || data instanceof PyTuple) checkNoBigInts(data);
  return engine.tensor(dataArg(cx, data, 'tensor') as NestedArray, opts);
}

/** A Python int beyond int64 cannot become a tensor (PyTorch: "Overflow when unpacking long"). */
function checkNoBigInts(v: Value): void {
  if (typeof v === 'bigint') {
    if (v >= 2n ** 63n || v < -(2n ** 63n)) throw new PyException('RuntimeError', 'Overflow when unpacking long');
    return;
  }
  if (v instanceof PyList || v instanceof PyTuple) for (const x of v.items) checkNoBigInts(x);
}

function normal(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const a = bindArgs('normal', args, kwargs, ['mean', 'std', 'size', 'generator', 'out', 'dtype', 'layout', 'device', 'pin_memory', 'requires_grad']);
  const mean = a.mean ?? 0;
  const std = a.std ?? 1;
  if (mean instanceof Tensor || std instanceof Tensor) return tensorNormal(cx, mean, std);
  if (a.size === undefined) throw typeError('normal() received an invalid combination of arguments - got (float, float), but expected (float mean, float std, tuple of ints size)');
  const opts: Opts = {};
  const dtype = dtypeArg(cx, a.dtype);
  if (dtype) opts.dtype = dtype;
  const generator = factoryGenerator(cx, 'normal', args, kwargs);
  if (generator) opts.generator = generator;
  return engine.normal(toFloat(cx, mean), toFloat(cx, std), shapeArgs(cx, 'normal', [a.size]), opts);
}

/** torch.normal with tensor mean and/or std: standard normals scaled and shifted per element. */
function tensorNormal(cx: Context, mean: Value, std: Value): Tensor {
  const m = mean instanceof Tensor ? mean : null;
  const s = std instanceof Tensor ? std : null;
  const shape = m && s ? broadcast(m.shape, s.shape) : (m ?? s)!.shape;
  const dtype = (m ?? s)!.dtype;
  if (!isFloating(dtype)) throw new PyException('RuntimeError', `"normal_kernel_cpu" not implemented for '${dtype}'`);
  return engine.noGrad(() => {
    if (s) {
      const z = engine.normal(0, 1, shape, { dtype });
      return z.mul(s).add(m ?? toFloat(cx, mean));
    }
    return engine.normal(0, toFloat(cx, std), shape, { dtype }).add(m!);
  });
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}

const RANDINT_SIGNATURES = [
  '(int high, tuple of ints size, *, torch.Generator generator, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)',
  '(int high, tuple of ints size, *, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)',
  '(int low, int high, tuple of ints size, *, torch.Generator generator, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)',
  '(int low, int high, tuple of ints size, *, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)',
];

/** PyTorch's argument-parser error for randint(0, 10, 5) (a size that is not a tuple). */
function randintSignatureError(cx: Context, args: Value[]): string {
  const got = args.map((a) => typeName(cx, a)).join(', ');
  return `randint() received an invalid combination of arguments - got (${got}), but expected one of:\n${RANDINT_SIGNATURES.map((s) => ` * ${s}\n`).join('')}`;
}

function randint(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const { opts, rest } = creationOpts(cx, 'randint', kwargs, ['low', 'high', 'size', 'generator', 'out', 'layout', 'pin_memory']);
  const positional = args.slice();
  // randint(high, size) or randint(low, high, size)
  const size = rest.size ?? positional.pop();
  if (size === undefined) throw typeError('randint() missing required argument \'size\'');
  if (!(size instanceof PyTuple || size instanceof PyList)) throw typeError(randintSignatureError(cx, args));
  let low: Value = rest.low ?? 0n;
  let high: Value = rest.high;
  if (positional.length === 2) [low, high] = positional;
  else if (positional.length === 1) high = positional[0];
  if (high === undefined) throw typeError('randint() missing required argument \'high\'');
  const generator = factoryGenerator(cx, 'randint', args, kwargs);
  if (generator) opts.generator = generator;
  return engine.randint(intArg(cx, low, "randint(): argument 'low'"), intArg(cx, high, "randint(): argument 'high'"), shapeArgs(cx, 'randint', [size]), opts);
}

/** The attributes of the torch module. */
export function torchAttributes(): Record<string, Value> {
  const attrs: Record<string, Value> = {
    __version__: '1.13.0a0', // what Debian's python3-torch 1.13.1 reports
    Tensor: tensorClass,
    Size: BUILTIN_TYPES.get('Size'),
    dtype: TORCH_DTYPE_CLASS,
    tensor: fn('tensor', tensorFactory),
    as_tensor: fn('as_tensor', (args, kwargs, cx) => {
      const { opts } = creationOpts(cx, 'as_tensor', kwargs, ['data']);
      if (args[0] instanceof Tensor) return opts.dtype ? args[0].to(opts.dtype) : args[0];
      return tensorFactory(args, kwargs, cx);
    }),
    zeros: creation('zeros', (s, o) => engine.zeros(s, o)),
    ones: creation('ones', (s, o) => engine.ones(s, o)),
    empty: creation('empty', (s, o) => engine.zeros(s, o)),
    rand: creation('rand', (s, o) => engine.rand(s, o), true),
    randn: creation('randn', (s, o) => engine.randn(s, o), true),
    full: noGenerator('full', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'full', kwargs, ['size', 'fill_value', 'out', 'layout', 'pin_memory']);
      const size = args[0] ?? rest.size;
      const fillValue = args.length > 1 ? args[1] : rest.fill_value;
      const value = scalarArg(fillValue);
      if (value === undefined) throw typeError(`full(): argument 'fill_value' must be Number, not ${typeName(cx, fillValue)}`);
      return engine.full(shapeArgs(cx, 'full', [size]), value, opts);
    }),
    eye: noGenerator('eye', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'eye', kwargs, ['n', 'm', 'out', 'layout', 'pin_memory']);
      const n = args[0] ?? rest.n;
      const m = args[1] ?? rest.m;
      if (n === undefined) throw typeError('eye() missing required argument \'n\'');
      return engine.eye(intArg(cx, n, "eye(): argument 'n'"), m === undefined || m === null ? undefined : intArg(cx, m, "eye(): argument 'm'"), opts);
    }),
    zeros_like: like('zeros_like', (t, o) => engine.zerosLike(t, o)),
    ones_like: like('ones_like', (t, o) => engine.onesLike(t, o)),
    empty_like: like('empty_like', (t, o) => engine.zerosLike(t, o)),
    rand_like: like('rand_like', (t, o) => engine.randLike(t, o)),
    randn_like: like('randn_like', (t, o) => engine.randnLike(t, o)),
    randint_like: like(
      'randint_like',
      (t, o, rest, cx) => {
        // randint_like(x, high) or randint_like(x, low, high), in x's dtype unless dtype= is given
        const [low, high] = rest.length >= 2 ? rest : [0n, rest[0]];
        if (high === undefined) throw typeError("randint_like() missing required argument 'high'");
        return engine.randint(intArg(cx, low, "randint_like(): argument 'low'"), intArg(cx, high, "randint_like(): argument 'high'"), t.shape.slice(), { ...o, dtype: o.dtype ?? t.dtype });
      },
      ['low', 'high'],
      true,
    ),
    get_default_dtype: fn('get_default_dtype', (args) => {
      checkArgs('get_default_dtype', args, 0, 0);
      return DTYPE_NAMES.float32;
    }),
    promote_types: fn('promote_types', (args, kwargs, cx) => {
      const a = bindArgs('promote_types', args, kwargs, ['type1', 'type2']);
      return DTYPE_OBJECTS[promoteTypes(dtypeArg(cx, a.type1) ?? 'float32', dtypeArg(cx, a.type2) ?? 'float32')];
    }),
    result_type: fn('result_type', (args, kwargs, cx) => {
      const a = bindArgs('result_type', args, kwargs, ['tensor1', 'tensor2']);
      const [x, y] = [a.tensor1, a.tensor2].map((v) => {
        const o = operand(v);
        if (o === undefined) throw typeError(`result_type(): argument 'tensor' must be Tensor, not ${typeName(cx, v)}`);
        return ops.asTensor(o);
      });
      return DTYPE_OBJECTS[ops.resultTypeOf(x, y)];
    }),
    full_like: like(
      'full_like',
      (t, o, rest, cx) => {
        const value = scalarArg(rest[0]);
        if (value === undefined) throw typeError(`full_like(): argument 'fill_value' must be Number, not ${typeName(cx, rest[0])}`);
        return engine.fullLike(t, value, o);
      },
      ['fill_value'],
    ),
    arange: noGenerator('arange', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'arange', kwargs, ['start', 'end', 'step', 'out', 'layout', 'pin_memory']);
      const all = args.slice();
      if (rest.start !== undefined) all.unshift(rest.start);
      if (rest.end !== undefined) all.push(rest.end);
      if (rest.step !== undefined) all.push(rest.step);
      if (all.length === 0 || all.length > 3) throw typeError(`arange() received an invalid combination of arguments`);
      const { nums, anyFloat } = numbers(cx, all);
      if (anyFloat && !opts.dtype) opts.dtype = 'float32';
      if (nums.length === 1) return engine.arange(nums[0], undefined, 1, opts);
      return engine.arange(nums[0], nums[1], nums[2] ?? 1, opts);
    }),
    linspace: fn('linspace', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'linspace', kwargs, ['steps', 'start', 'end', 'out', 'layout', 'pin_memory']);
      const start = args[0] ?? rest.start;
      const end = args[1] ?? rest.end;
      const steps = args[2] ?? rest.steps;
      if (steps === undefined) throw typeError("linspace() missing required argument 'steps' (pos 3)");
      return engine.linspace(toFloat(cx, start), toFloat(cx, end), intArg(cx, steps, "linspace(): argument 'steps'"), opts);
    }),
    randint: fn('randint', randint),
    randperm: fn('randperm', (args, kwargs, cx) => {
      const { opts, rest } = creationOpts(cx, 'randperm', kwargs, ['n', 'generator', 'out', 'layout', 'pin_memory']);
      const n = args[0] ?? rest.n;
      if (n === undefined) throw typeError("randperm() missing required argument 'n'");
      const generator = factoryGenerator(cx, 'randperm', args, kwargs);
      if (generator) opts.generator = generator;
      return engine.randperm(intArg(cx, n, "randperm(): argument 'n'"), opts);
    }),
    normal: fn('normal', normal),
    manual_seed: fn('manual_seed', (args, kwargs, cx) => {
      const { seed } = bindArgs('manual_seed', args, kwargs, ['seed']);
      if (seed === undefined) throw typeError("manual_seed() missing 1 required positional argument: 'seed'");
      return manualSeed(cx, seed);
    }),
    initial_seed: fn('initial_seed', (args) => {
      checkArgs('initial_seed', args, 0, 0);
      return engine.defaultGenerator.initialSeed();
    }),
    seed: fn('seed', (args) => {
      checkArgs('seed', args, 0, 0);
      const seed = nondeterministicSeed();
      engine.defaultGenerator.manualSeed(seed);
      return seed;
    }),
    Generator: generatorClass,
    device: deviceClass,
    default_generator: engine.defaultGenerator,
    finfo,
    iinfo,
    ...gradModeAttributes(),
    ...TORCH_FUNCTIONS,
    ...extraFunctions(),
    ...serializationFunctions(),
    ...indexedFunctions(),
  };
  for (const [name, dtype] of Object.entries(DTYPE_NAMES)) attrs[name] = dtype;
  return attrs;
}
