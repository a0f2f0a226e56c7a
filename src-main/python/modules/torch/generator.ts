// torch.Generator: a random number generator of its own (the same mt19937 as the default one),
// passed to the random functions as generator=..., and torch.default_generator itself.
import { torch as engine } from '../../../engine/index';
import { Generator, nondeterministicSeed } from '../../../engine/random';
import { checkArgs, kwarg } from '../../args';
import type { Context, Kwargs, NativeType, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { BUILTIN_TYPES, typeOf } from '../../types';
import { Builtin, objectAddress, PyType } from '../../values';
import { CPU, intArg, TorchDevice } from './values';

/** The type object of torch.Generator (isinstance(g, torch.Generator), the constructor). */
export const generatorClass: PyType = new PyType(
  'Generator',
  (args, kwargs, cx) => {
    checkArgs('Generator', args, 0, 1);
    const device = args[0] ?? kwarg('Generator', kwargs, ['device']).device;
    if (device !== undefined && device !== 'cpu' && device !== CPU) {
      throw new PyException('NotImplementedError', `GradLab runs on the CPU only; remove device=${typeof device === 'string' ? `'${device}'` : '...'} (line ${cx.line})`);
    }
    return new Generator();
  },
  'torch._C',
);

function method(name: string, g: Generator, f: (args: Value[], cx: Context) => Value): Builtin {
  return new Builtin(name, (args, _kwargs, cx) => f(args, cx), 'Generator', g);
}

export const GENERATOR_TYPE: NativeType = {
  name: 'Generator',
  pyType: generatorClass,
  is: (v) => v instanceof Generator,
  repr: (v) => `<torch._C.Generator object at ${objectAddress(v)}>`,
  getAttr(v, name) {
    const g = v as Generator;
    switch (name) {
      case 'manual_seed':
        return method(name, g, (args, cx) => {
          checkArgs('manual_seed', args, 1, 1);
          return g.manualSeed(intArg(cx, args[0], "manual_seed(): argument 'seed'"));
        });
      case 'initial_seed':
        return method(name, g, () => g.initialSeed());
      case 'seed':
        return method(name, g, () => {
          const seed = nondeterministicSeed();
          g.manualSeed(seed);
          return seed;
        });
      case 'device':
        return CPU as TorchDevice;
    }
    if (name === 'get_state' || name === 'set_state') throw new PyException('NotImplementedError', `GradLab does not support Generator.${name} yet`);
    return undefined;
  },
};

/** A generator= argument: the generator to draw from (the default one for None or no argument). */
export function generatorArg(cx: Context, v: Value | undefined, fname: string): Generator | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Generator) return v;
  throw typeError(`${fname}(): argument 'generator' must be torch.Generator, not ${typeName(cx, v)}`);
}

/** How PyTorch's argument parser names a value's type in "got (...)": `int`, `Tensor`, `torch._C.Generator`. */
function parserTypeName(cx: Context, v: Value): string {
  const t = typeOf(cx, v);
  if (t.name === 'Tensor') return 'Tensor';
  return t.module && t.module !== 'builtins' && t.module !== '__main__' ? `${t.module}.${t.name}` : t.name;
}

/**
 * PyTorch's "received an invalid combination of arguments" for a call no signature accepts (its
 * first line: the list of signatures that follows it is left out). Keywords are listed in the
 * order given; PyTorch's own order follows a hash map when there are several.
 */
export function invalidCombination(cx: Context, name: string, args: Value[], kwargs: Kwargs): PyException {
  const positional = args.map((a) => `${parserTypeName(cx, a)}, `).join('');
  const keywords = [...(kwargs ?? new Map<string, Value>())].map(([k, v]) => `${k}=${parserTypeName(cx, v)}, `).join('');
  // the parser drops the last ", " only when there were positional arguments
  const got = args.length > 0 ? (positional + keywords).slice(0, -2) : keywords;
  return typeError(`${name}() received an invalid combination of arguments - got (${got}), but expected one of:`);
}

/** Factories without a generator= parameter (zeros, ones, full, arange, eye, ...) refuse one as PyTorch does. */
export function refuseGenerator(cx: Context, name: string, args: Value[], kwargs: Kwargs): void {
  if (kwargs?.has('generator')) throw invalidCombination(cx, name, args, kwargs);
}

/** generator= on a factory that takes one (rand, randn, randint, ...): anything but a Generator or None matches no signature. */
export function factoryGenerator(cx: Context, name: string, args: Value[], kwargs: Kwargs): Generator | undefined {
  const v = kwargs?.get('generator');
  if (v === undefined || v === null) return undefined;
  if (v instanceof Generator) return v;
  throw invalidCombination(cx, name, args, kwargs);
}

/**
 * torch.manual_seed(seed): `int(seed)` (so 2.7 and '12' are accepted), then the default
 * generator's manual_seed, which takes any value that fits 64 bits (negative ones wrap); returns
 * torch.default_generator.
 */
export function manualSeed(cx: Context, seed: Value): Generator {
  const n = cx.call(BUILTIN_TYPES.get('int'), [seed], null) as bigint;
  if (n < -(1n << 63n) || n >= 1n << 64n) throw new PyException('RuntimeError', 'Overflow when unpacking long');
  return engine.defaultGenerator.manualSeed(n);
}

/**
 * `torch.empty((), dtype=torch.int64).random_(generator=g).item()`: a seed PyTorch's data
 * loading draws (random64() modulo 2^63; two 32-bit draws, the first one the high word).
 */
export function drawSeed(g: Generator = engine.defaultGenerator): bigint {
  const high = BigInt(g.nextUint32());
  const low = BigInt(g.nextUint32());
  return ((high << 32n) | low) % (1n << 63n);
}
