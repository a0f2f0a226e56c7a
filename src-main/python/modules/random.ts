// Python's `random` module as CPython 3.11 computes it: the Mersenne Twister (MT19937) seeded by
// init_by_array from the seed's 32-bit words, random() from two draws (53 bits), getrandbits,
// _randbelow by rejection, and randrange/randint/choice/shuffle/sample/choices/uniform/gauss/
// normalvariate written as Lib/random.py writes them, so a seeded program prints CPython's
// numbers. Module functions share one hidden Random instance, as in CPython.
import { checkArgs, kwarg, toFloat } from '../args';
import { nativeClass } from '../classes';
import type { Context, Value } from '../context';
import { PyException, typeError, valueError } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { repr, typeName } from '../objects';
import { iterableToArray } from '../ops';
import { sha512 } from '@noble/hashes/sha2';
import { pyHash } from '../sets';
import { BoundMethod, makeModule, PyInstance, PyList, PyTuple, type MethodImpl } from '../values';

const N = 624;
const M = 397;

/** MT19937 as _randommodule.c keeps it: 624 words and the next index. */
class Twister {
  readonly mt = new Uint32Array(N);
  index = N + 1;
  /** Lib/random.py's Random.gauss_next */
  gaussNext: number | null = null;

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  /** init_by_array(key) */
  seedWords(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.gaussNext = null;
  }

  /** genrand_uint32 */
  next32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff);
        mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random(): (a >> 5) * 2^26 + (b >> 6), over 2^53 */
  random(): number {
    const a = this.next32() >>> 5;
    const b = this.next32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** getrandbits(k): 32-bit words from the least significant up; the last one keeps its top bits. */
  getrandbits(k: number): bigint {
    if (k <= 32) return BigInt(k === 0 ? 0 : this.next32() >>> (32 - k));
    let result = 0n;
    for (let shift = 0; k > 0; shift += 32, k -= 32) {
      let word = this.next32();
      if (k < 32) word >>>= 32 - k;
      result |= BigInt(word) << BigInt(shift);
    }
    return result;
  }

  /** _randbelow_with_getrandbits(n), n > 0 */
  below(n: bigint): bigint {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }
}

/** The 32-bit words of |n|, least significant first (init_by_array's key; [0] for 0). */
function seedKey(n: bigint): number[] {
  let v = n < 0n ? -n : n;
  const key: number[] = [];
  while (v > 0n) {
    key.push(Number(v & 0xffffffffn));
    v >>= 32n;
  }
  return key.length > 0 ? key : [0];
}

/** Random.seed's version 2 for a str: int.from_bytes(a + sha512(a).digest(), 'big'), a in UTF-8. */
function strSeed(a: string): bigint {
  const bytes = new TextEncoder().encode(a);
  const whole = new Uint8Array(bytes.length + 64);
  whole.set(bytes);
  whole.set(sha512(bytes), bytes.length);
  let hex = '';
  for (const byte of whole) hex += byte.toString(16).padStart(2, '0');
  return BigInt('0x' + hex);
}

const twisters = new WeakMap<PyInstance, Twister>();

function twisterOf(self: Value): Twister {
  if (self instanceof PyInstance) {
    const t = twisters.get(self);
    if (t) return t;
  }
  throw typeError("descriptor requires a 'random.Random' object");
}

function seed(t: Twister, a: Value | undefined): void {
  if (a === undefined || a === null) {
    t.seedWords(Array.from({ length: 4 }, () => Math.floor(Math.random() * 2 ** 32)));
  } else if (typeof a === 'bigint') {
    t.seedWords(seedKey(a));
  } else if (typeof a === 'boolean') {
    t.seedWords(seedKey(a ? 1n : 0n));
  } else if (typeof a === 'number') {
    t.seedWords(seedKey(pyHash(a)));
  } else if (typeof a === 'string') {
    t.seedWords(seedKey(strSeed(a)));
  } else {
    throw typeError(`The only supported seed types are: None,\nint, float, str, bytes, and bytearray.`);
  }
}

/** An int argument (an integral float is refused as in 3.12's randrange; 3.11 warns). */
function intArg(cx: Context, v: Value, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'number') throw valueError(`non-integer ${what} for randrange()`);
  throw typeError(`'${typeName(cx, v)}' object cannot be interpreted as an integer`);
}

function randrange(cx: Context, t: Twister, start: Value, stop: Value | undefined, step: Value | undefined): bigint {
  const istart = intArg(cx, start, 'arg 1');
  if (stop === undefined || stop === null) {
    if (step !== undefined && intArg(cx, step, 'step') !== 1n) throw typeError('Missing a non-None stop argument');
    if (istart > 0n) return t.below(istart);
    throw valueError('empty range for randrange()');
  }
  const istop = intArg(cx, stop, 'stop');
  const width = istop - istart;
  const istep = step === undefined ? 1n : intArg(cx, step, 'step');
  if (istep === 1n) {
    if (width > 0n) return istart + t.below(width);
    throw valueError(`empty range for randrange() (${istart}, ${istop}, ${width})`);
  }
  const floorDiv = (a: bigint, b: bigint): bigint => {
    const q = a / b;
    return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
  };
  let n: bigint;
  if (istep > 0n) n = floorDiv(width + istep - 1n, istep);
  else if (istep < 0n) n = floorDiv(width + istep + 1n, istep);
  else throw valueError('zero step for randrange()');
  if (n <= 0n) throw valueError('empty range for randrange()');
  return istart + istep * t.below(n);
}

function sequence(cx: Context, v: Value): Value[] {
  if (v instanceof PyList || v instanceof PyTuple) return v.items;
  if (typeof v === 'string') return Array.from(v);
  return iterableToArray(cx, v);
}

function sample(cx: Context, t: Twister, population: Value, kValue: Value): PyList {
  if (!(population instanceof PyList || population instanceof PyTuple || typeof population === 'string' || (population !== null && typeof population === 'object' && 'start' in population))) {
    throw typeError('Population must be a sequence.  For dicts or sets, use sorted(d).');
  }
  const items = sequence(cx, population);
  const n = items.length;
  const k = Number(intArg(cx, kValue, 'k'));
  if (!(k >= 0 && k <= n)) throw valueError('Sample larger than population or is negative');
  const result: Value[] = new Array<Value>(k);
  let setsize = 21;
  if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
  if (n <= setsize) {
    const pool = items.slice();
    for (let i = 0; i < k; i++) {
      const j = Number(t.below(BigInt(n - i)));
      result[i] = pool[j];
      pool[j] = pool[n - i - 1];
    }
  } else {
    const selected = new Set<number>();
    for (let i = 0; i < k; i++) {
      let j = Number(t.below(BigInt(n)));
      while (selected.has(j)) j = Number(t.below(BigInt(n)));
      selected.add(j);
      result[i] = items[j];
    }
  }
  return new PyList(result);
}

function choices(cx: Context, t: Twister, population: Value, weights: Value, k: number): PyList {
  const items = sequence(cx, population);
  const n = items.length;
  if (weights === null) {
    const out: Value[] = [];
    for (let i = 0; i < k; i++) out.push(items[Math.floor(t.random() * n)]);
    return new PyList(out);
  }
  const cum: number[] = [];
  let acc = 0;
  for (const w of sequence(cx, weights)) cum.push((acc += toFloat(cx, w)));
  if (cum.length !== n) throw valueError('The number of weights does not match the population');
  const total = cum[n - 1];
  if (total <= 0) throw valueError('Total of weights must be greater than zero');
  const out: Value[] = [];
  for (let i = 0; i < k; i++) {
    const x = t.random() * total;
    // bisect_right(cum, x, 0, n - 1)
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < cum[mid]) hi = mid;
      else lo = mid + 1;
    }
    out.push(items[lo]);
  }
  return new PyList(out);
}

const NV_MAGICCONST = (4 * Math.exp(-0.5)) / Math.sqrt(2.0);

const METHODS: Record<string, MethodImpl> = {
  __init__(self: PyInstance, args, kwargs) {
    checkArgs('Random', args, 0, 1);
    const t = new Twister();
    twisters.set(self, t);
    seed(t, args[0] ?? kwarg('Random', kwargs, ['x']).x);
    return null;
  },
  seed(self, args, kwargs) {
    checkArgs('seed', args, 0, 2);
    seed(twisterOf(self), args[0] ?? kwarg('seed', kwargs, ['a', 'version']).a);
    return null;
  },
  random: (self, args) => {
    checkArgs('random', args, 0, 0);
    return twisterOf(self).random();
  },
  getrandbits(self, args, _kwargs, cx) {
    checkArgs('getrandbits', args, 1, 1);
    const k = intArg(cx, args[0], 'k');
    if (k < 0n) throw valueError('number of bits must be non-negative');
    return twisterOf(self).getrandbits(Number(k));
  },
  randrange(self, args, kwargs, cx) {
    checkArgs('randrange', args, 1, 3);
    const k = kwarg('randrange', kwargs, ['start', 'stop', 'step']);
    return randrange(cx, twisterOf(self), args[0] ?? k.start, args[1] ?? k.stop, args[2] ?? k.step);
  },
  randint(self, args, _kwargs, cx) {
    checkArgs('randint', args, 2, 2);
    return randrange(cx, twisterOf(self), args[0], intArg(cx, args[1], 'stop') + 1n, undefined);
  },
  choice(self, args, _kwargs, cx) {
    checkArgs('choice', args, 1, 1);
    const items = sequence(cx, args[0]);
    if (items.length === 0) throw new PyException('IndexError', 'Cannot choose from an empty sequence');
    return items[Number(twisterOf(self).below(BigInt(items.length)))];
  },
  shuffle(self, args, _kwargs, cx) {
    checkArgs('shuffle', args, 1, 1);
    const x = args[0];
    if (!(x instanceof PyList)) throw typeError(`'${typeName(cx, x)}' object does not support item assignment`);
    const t = twisterOf(self);
    for (let i = x.items.length - 1; i >= 1; i--) {
      const j = Number(t.below(BigInt(i + 1)));
      [x.items[i], x.items[j]] = [x.items[j], x.items[i]];
    }
    return null;
  },
  sample(self, args, kwargs, cx) {
    checkArgs('sample', args, 1, 2);
    const k = kwarg('sample', kwargs, ['k', 'counts']);
    if (k.counts !== undefined && k.counts !== null) throw new PyException('NotImplementedError', 'GradLab does not support random.sample(counts=...) yet');
    const kv = args[1] ?? k.k;
    if (kv === undefined) throw typeError("Random.sample() missing 1 required positional argument: 'k'");
    return sample(cx, twisterOf(self), args[0], kv);
  },
  choices(self, args, kwargs, cx) {
    checkArgs('choices', args, 1, 2);
    const k = kwarg('choices', kwargs, ['weights', 'cum_weights', 'k']);
    if (k.cum_weights !== undefined && k.cum_weights !== null) throw new PyException('NotImplementedError', 'GradLab does not support random.choices(cum_weights=...) yet');
    const count = k.k === undefined ? 1 : Number(intArg(cx, k.k, 'k'));
    return choices(cx, twisterOf(self), args[0], args[1] ?? k.weights ?? null, count);
  },
  uniform(self, args, _kwargs, cx) {
    checkArgs('uniform', args, 2, 2);
    const a = toFloat(cx, args[0]);
    const b = toFloat(cx, args[1]);
    return a + (b - a) * twisterOf(self).random();
  },
  gauss(self, args, kwargs, cx) {
    checkArgs('gauss', args, 0, 2);
    const k = kwarg('gauss', kwargs, ['mu', 'sigma']);
    const mu = toFloat(cx, args[0] ?? k.mu ?? 0.0);
    const sigma = toFloat(cx, args[1] ?? k.sigma ?? 1.0);
    const t = twisterOf(self);
    let z = t.gaussNext;
    t.gaussNext = null;
    if (z === null) {
      const x2pi = t.random() * 2 * Math.PI;
      const g2rad = Math.sqrt(-2.0 * Math.log(1.0 - t.random()));
      z = Math.cos(x2pi) * g2rad;
      t.gaussNext = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  },
  normalvariate(self, args, kwargs, cx) {
    checkArgs('normalvariate', args, 0, 2);
    const k = kwarg('normalvariate', kwargs, ['mu', 'sigma']);
    const mu = toFloat(cx, args[0] ?? k.mu ?? 0.0);
    const sigma = toFloat(cx, args[1] ?? k.sigma ?? 1.0);
    const t = twisterOf(self);
    let z: number;
    for (;;) {
      const u1 = t.random();
      const u2 = 1.0 - t.random();
      z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
      const zz = (z * z) / 4.0;
      if (zz <= -Math.log(u2)) break;
    }
    return mu + z * sigma;
  },
  getstate(self, args) {
    checkArgs('getstate', args, 0, 0);
    const t = twisterOf(self);
    const words: Value[] = Array.from(t.mt, (w) => BigInt(w));
    words.push(BigInt(t.index));
    return new PyTuple([3n, new PyTuple(words), t.gaussNext]);
  },
  setstate(self, args, _kwargs, cx) {
    checkArgs('setstate', args, 1, 1);
    const state = args[0];
    const t = twisterOf(self);
    if (!(state instanceof PyTuple) || state.items.length !== 3 || state.items[0] !== 3n || !(state.items[1] instanceof PyTuple) || state.items[1].items.length !== N + 1) {
      throw valueError(`state with version ${state instanceof PyTuple ? repr(cx, state.items[0] ?? null) : '?'} passed to Random.setstate() of version 3`);
    }
    const words = state.items[1].items;
    for (let i = 0; i < N; i++) t.mt[i] = Number(intArg(cx, words[i], 'state'));
    t.index = Number(intArg(cx, words[N], 'state'));
    const g = state.items[2];
    t.gaussNext = g === null ? null : toFloat(cx, g);
    return null;
  },
};

const RANDOM_CLASS = nativeClass({ name: 'Random', module: 'random', methods: METHODS });

/** What `import random` offers but GradLab does not have: using one says so plainly. */
const UNSUPPORTED_RANDOM = ['SystemRandom', 'randbytes', 'triangular', 'betavariate', 'expovariate', 'gammavariate', 'lognormvariate', 'vonmisesvariate', 'paretovariate', 'weibullvariate', 'binomialvariate'];

export const randomModule: ModuleDefinition = {
  name: 'random',
  create(ip) {
    const inst = ip.call(RANDOM_CLASS, [], null);
    const attrs: Record<string, Value> = { Random: RANDOM_CLASS };
    for (const name of Object.keys(METHODS)) {
      if (name !== '__init__') attrs[name] = new BoundMethod(inst, name, METHODS[name]);
    }
    return makeModule('random', attrs, UNSUPPORTED_RANDOM);
  },
};
