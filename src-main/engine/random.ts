// PyTorch 1.13's CPU random generator, reproduced bit for bit: mt19937 seeded like
// torch.manual_seed, torch.rand's 24-bit uniform floats, and torch.randn's two paths
// (scalar Box-Muller in float64 with a cached second sample for fewer than 16 elements;
// the vectorised AVX2 `normal_fill` over batches of 16 floats otherwise).
// Pure TypeScript: no Node, Electron or DOM imports.

/** PyTorch's default_rng_seed_val: the seed of a new torch.Generator() nobody has seeded. */
export const DEFAULT_RNG_SEED = 67280421310721n;

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_53 = 2 ** -53;
const TWO_POW_32 = 2 ** 32;

/** A seed torch.manual_seed rejects; `pyType` is the Python exception PyTorch raises. */
export class SeedError extends Error {
  constructor(
    readonly pyType: 'RuntimeError' | 'ValueError' | 'OverflowError',
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * torch.manual_seed's conversion: Python int(seed) (floats truncate toward zero), then the
 * int64/uint64 unpacking of the C++ side; negative seeds wrap to uint64 as in PyTorch.
 */
function toUint64(seed: number | bigint): bigint {
  if (typeof seed === 'number') {
    if (Number.isNaN(seed)) throw new SeedError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(seed)) throw new SeedError('OverflowError', 'cannot convert float infinity to integer');
    seed = BigInt(Math.trunc(seed));
  }
  if (seed > UINT64_MAX || seed < INT64_MIN) throw new SeedError('RuntimeError', 'Overflow when unpacking long');
  return BigInt.asUintN(64, seed);
}

/**
 * A CPU generator with PyTorch's exact semantics (at::CPUGeneratorImpl): mt19937 engine,
 * `random()` = one 32-bit draw, `random64()` = two draws (first is the high word), and the
 * cached second Box-Muller sample of the scalar normal path.
 */
export interface GeneratorSnapshot {
  readonly state: Int32Array;
  readonly left: number;
  readonly next: number;
  readonly seed: bigint;
  readonly nextDoubleNormalSample: number | null;
}

export class Generator {
  // int32 words (not Uint32Array) keep every value a small integer for the JIT; the bit
  // operations are the same modulo 2^32.
  private readonly state = new Int32Array(STATE_SIZE);
  private left = 1;
  private next = 0;
  private seed: bigint = DEFAULT_RNG_SEED;
  /** The sin half of the last scalar Box-Muller pair, used by the next scalar normal draw. */
  private nextDoubleNormalSample: number | null = null;

  constructor(seed: number | bigint = DEFAULT_RNG_SEED) {
    this.manualSeed(seed);
  }

  /** torch.manual_seed / Generator.manual_seed: reseeds and drops the cached normal sample. */
  manualSeed(seed: number | bigint): this {
    this.seed = toUint64(seed);
    this.nextDoubleNormalSample = null;
    const state = this.state;
    state[0] = Number(this.seed & 0xffffffffn) | 0;
    for (let j = 1; j < STATE_SIZE; j++) {
      const previous = state[j - 1] ^ (state[j - 1] >>> 30);
      // 1812433253 * previous + j modulo 2^32, without losing bits to float64
      state[j] = (Math.imul(1812433253, previous) + j) | 0;
    }
    this.left = 1;
    this.next = 0;
    return this;
  }

  /** Everything the next draws depend on, for restore() (torch.get_rng_state, in effect). */
  snapshot(): GeneratorSnapshot {
    return { state: this.state.slice(), left: this.left, next: this.next, seed: this.seed, nextDoubleNormalSample: this.nextDoubleNormalSample };
  }

  /** Puts back a snapshot: the following draws are exactly those that followed it. */
  restore(snapshot: GeneratorSnapshot): void {
    this.state.set(snapshot.state);
    this.left = snapshot.left;
    this.next = snapshot.next;
    this.seed = snapshot.seed;
    this.nextDoubleNormalSample = snapshot.nextDoubleNormalSample;
  }

  /** torch.initial_seed(): the seed last given (as an unsigned 64-bit integer). */
  initialSeed(): bigint {
    return this.seed;
  }

  private twist(): void {
    const state = this.state;
    let j = 0;
    for (; j < STATE_SIZE - SHIFT_SIZE; j++) {
      const mixed = (state[j] & UPPER_MASK) | (state[j + 1] & LOWER_MASK);
      state[j] = state[j + SHIFT_SIZE] ^ (mixed >>> 1) ^ (state[j + 1] & 1 ? MATRIX_A : 0);
    }
    for (; j < STATE_SIZE - 1; j++) {
      const mixed = (state[j] & UPPER_MASK) | (state[j + 1] & LOWER_MASK);
      state[j] = state[j + SHIFT_SIZE - STATE_SIZE] ^ (mixed >>> 1) ^ (state[j + 1] & 1 ? MATRIX_A : 0);
    }
    const mixed = (state[j] & UPPER_MASK) | (state[0] & LOWER_MASK);
    state[j] = state[SHIFT_SIZE - 1] ^ (mixed >>> 1) ^ (state[0] & 1 ? MATRIX_A : 0);
    this.left = STATE_SIZE;
    this.next = 0;
  }

  /** One 32-bit draw of the mt19937 engine as a signed int32 (same bits as random()). */
  private nextInt32(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** One 32-bit draw of the mt19937 engine (PyTorch's generator->random()), 0 .. 2^32-1. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /** uniform_real_distribution<double>(0, 1): the low 53 bits of random64() times 2^-53. */
  nextDoubleUniform(): number {
    const high = this.nextInt32();
    const low = this.nextInt32() >>> 0;
    return ((high & 0x1fffff) * TWO_POW_32 + low) * TWO_POW_MINUS_53;
  }

  /** uniform_real_distribution<float>(0, 1): the low 24 bits of random() times 2^-24. */
  nextFloatUniform(): number {
    return (this.nextInt32() & 0xffffff) * TWO_POW_MINUS_24;
  }

  /** at::normal_distribution<double>(0, 1): Box-Muller in float64, caching the sin half. */
  nextDoubleNormal(): number {
    if (this.nextDoubleNormalSample !== null) {
      const cached = this.nextDoubleNormalSample;
      this.nextDoubleNormalSample = null;
      return cached;
    }
    const u1 = this.nextDoubleUniform();
    const u2 = this.nextDoubleUniform();
    const radius = Math.sqrt(-2.0 * Math.log(1.0 - u2));
    const theta = 2.0 * Math.PI * u1;
    this.nextDoubleNormalSample = radius * Math.sin(theta);
    return radius * Math.cos(theta);
  }

  /** torch.rand into `out` (float32, uniform on [0, 1)). */
  randFill(out: Float32Array): void {
    this.fillFloatUniform(out, 0, out.length);
  }

  /**
   * out[start..end) = uniform_real_distribution<float>(0, 1) draws, in order. The engine loop is
   * inlined with local copies of the cursor because this runs once per element of torch.rand.
   */
  fillFloatUniform(out: Float32Array, start: number, end: number): void {
    const state = this.state;
    let left = this.left;
    let next = this.next;
    for (let i = start; i < end; i++) {
      if (--left === 0) {
        this.twist();
        left = STATE_SIZE;
        next = 0;
      }
      let y = state[next++];
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      out[i] = (y & 0xffffff) * TWO_POW_MINUS_24;
    }
    this.left = left;
    this.next = next;
  }

  /** torch.randn into `out` (float32, standard normal), choosing PyTorch's path by size. */
  randnFill(out: Float32Array): void {
    this.normalFill(out, 0, 1);
  }

  /**
   * normal_(mean, std) on a contiguous float32 or float64 tensor, as normal_kernel chooses: 16 or
   * more float32 elements take the AVX2 fill, 16 or more doubles normal_fill<double>, fewer
   * elements one at_normal_distribution<double> draw each.
   */
  normalFill(out: Float32Array | Float64Array, mean: number, std: number): void {
    const size = out.length;
    if (size >= 16) {
      if (out instanceof Float32Array) normalFillAvx2(out, this, Math.fround(mean), Math.fround(std));
      else normalFillDouble(out, this, mean, std);
      return;
    }
    for (let i = 0; i < size; i++) out[i] = this.nextDoubleNormal() * std + mean;
  }

  /**
   * tensor.uniform_(from, to): uniform_real_distribution draws, x * (to - from) + from — for
   * float32 in float with the multiply-add fused (GCC contracts it in PyTorch's AVX2 build).
   */
  uniformFill(out: Float32Array | Float64Array, from: number, to: number): void {
    if (out instanceof Float32Array) {
      const lo = Math.fround(from);
      const span = Math.fround(Math.fround(to) - lo);
      this.fillFloatUniform(out, 0, out.length);
      for (let i = 0; i < out.length; i++) out[i] = fma32(out[i], span, lo);
      return;
    }
    for (let i = 0; i < out.length; i++) out[i] = this.nextDoubleUniform() * (to - from) + from;
  }

  /** torch.rand into a float64 tensor: uniform_real_distribution<double> (53 random bits each). */
  fillDoubleUniform(out: Float64Array, start = 0, end = out.length): void {
    for (let i = start; i < end; i++) out[i] = this.nextDoubleUniform();
  }

  /**
   * torch.randint(low, high, size) values: (random() % range) + low, or random64() when the
   * range needs 64 bits. Writes plain numbers (exact below 2^53).
   */
  randintFill(out: { length: number; [index: number]: number }, low: number, high: number): void {
    if (!(high > low)) {
      throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    }
    const range = high - low;
    if (range >= TWO_POW_32) {
      const bigRange = BigInt(range);
      for (let i = 0; i < out.length; i++) {
        const high32 = BigInt(this.nextUint32());
        const low32 = BigInt(this.nextUint32());
        out[i] = Number(((high32 << 32n) | low32) % bigRange) + low;
      }
      return;
    }
    for (let i = 0; i < out.length; i++) out[i] = (this.nextUint32() % range) + low;
  }

  /** torch.randperm(n) on CPU: identity then Fisher-Yates with random() % (n - i). */
  randpermFill(out: { length: number; [index: number]: number }): void {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = this.nextUint32() % (n - i);
      const swap = out[i];
      out[i] = out[z + i];
      out[z + i] = swap;
    }
  }
}

// ---------------------------------------------------------------------------------------
// float32 arithmetic as the AVX2 kernel performs it. GCC 12 (-O2 -mavx2 -mfma) contracts
// many multiply/add pairs of avx_mathfun.h into fused multiply-adds, which round once; we
// reproduce each contraction with fma32 and every other operation with Math.fround.

const f32 = Math.fround;

/**
 * Fused multiply-add of three float32 values rounded once to float32. a*b is exact in
 * float64; a*b + c rounds in float64 first, which can only be wrong when that result sits
 * exactly halfway between two float32 values; then the exact error term decides the side.
 */
export function fma32(a: number, b: number, c: number): number {
  const product = a * b;
  const sum = product + c;
  const rounded = f32(sum);
  const difference = sum - rounded;
  // Kept tiny so V8 inlines it (a non-inlined call would box its float64 result).
  if (difference === 0 || f32(rounded + 2 * difference) !== rounded + 2 * difference) return rounded;
  return resolveMidpoint(product, c, sum, rounded, difference);
}

/** The rare case of fma32: product + c rounded in float64 to a float32 midpoint. */
function resolveMidpoint(product: number, c: number, sum: number, rounded: number, difference: number): number {
  // exact rounding error of product + c (Knuth's TwoSum)
  const virtualC = sum - product;
  const error = product - (sum - virtualC) + (c - virtualC);
  if (error === 0) return rounded; // a true tie: fround already went to even
  const other = rounded + 2 * difference;
  return error > 0 ? Math.max(rounded, other) : Math.min(rounded, other);
}

const LOG_P0 = f32(7.0376836292e-2);
const LOG_P1 = f32(-1.151461031e-1);
const LOG_P2 = f32(1.167699874e-1);
const LOG_P3 = f32(-1.2420140846e-1);
const LOG_P4 = f32(1.4249322787e-1);
const LOG_P5 = f32(-1.6668057665e-1);
const LOG_P6 = f32(2.0000714765e-1);
const LOG_P7 = f32(-2.4999993993e-1);
const LOG_P8 = f32(3.3333331174e-1);
const LOG_Q1 = f32(-2.1219444e-4);
const LOG_Q2 = f32(0.693359375);
const SQRT_HALF = f32(0.7071067811865476); // cephes_SQRTHF 0.707106781186547524

const floatScratch = new Float32Array(1);
const intScratch = new Int32Array(floatScratch.buffer);

/** log256_ps from ATen's avx_mathfun.h for one lane; input in (0, 1]. */
function logAvx(input: number): number {
  // cut off denormals (inputs here are >= 2^-24, so this never triggers, but keep the kernel)
  const x0 = input < 1.1754943508222875e-38 ? 1.1754943508222875e-38 : input;
  floatScratch[0] = x0;
  const bits = intScratch[0];
  let e = f32(((bits >>> 23) - 0x7f) + 1);
  intScratch[0] = (bits & ~0x7f800000) | 0x3f000000; // mantissa with exponent of 0.5
  let x = floatScratch[0];
  const below = x < SQRT_HALF;
  const tmp = below ? x : 0;
  x = f32(x - 1);
  if (below) e = f32(e - 1);
  x = f32(x + tmp);
  const z = f32(x * x);
  let y = fma32(LOG_P0, x, LOG_P1);
  y = fma32(y, x, LOG_P2);
  y = fma32(y, x, LOG_P3);
  y = fma32(y, x, LOG_P4);
  y = fma32(y, x, LOG_P5);
  y = fma32(y, x, LOG_P6);
  y = fma32(y, x, LOG_P7);
  y = fma32(y, x, LOG_P8);
  y = f32(y * x);
  y = fma32(y, z, f32(e * LOG_Q1));
  y = fma32(-z, 0.5, y);
  x = f32(x + y);
  x = fma32(e, LOG_Q2, x);
  return input <= 0 ? NaN : x;
}

const MINUS_DP1 = f32(-0.78515625);
const MINUS_DP2 = f32(-2.4187564849853515625e-4);
const MINUS_DP3 = f32(-3.774894977445941e-8); // -3.77489497744594108e-8 in the C source
const SIN_P0 = f32(-1.9515295891e-4);
const SIN_P1 = f32(8.3321608736e-3);
const SIN_P2 = f32(-1.6666654611e-1);
const COS_P0 = f32(2.443315711809948e-5);
const COS_P1 = f32(-1.388731625493765e-3);
const COS_P2 = f32(4.166664568298827e-2);
const FOUR_OVER_PI = f32(1.27323954473516);

/**
 * sincos256_ps from avx_mathfun.h for one lane, for theta >= 0 (Box-Muller angles); writes
 * radius*cos to data[cosIndex] and radius*sin to data[sinIndex].
 */
function sinCosTimesRadius(input: number, radius: number, data: Float32Array, cosIndex: number, sinIndex: number): void {
  const signSin = input < 0;
  let x = Math.abs(input);
  let j = Math.trunc(f32(x * FOUR_OVER_PI)) | 0;
  j = (j + 1) & ~1;
  const y0 = f32(j);
  const swapSignSin = (j & 4) !== 0;
  const polyMaskCos = (j & 2) === 0; // true: the sine uses the sin polynomial
  x = fma32(y0, MINUS_DP1, x);
  x = fma32(y0, MINUS_DP2, x);
  x = fma32(y0, MINUS_DP3, x);
  const signCos = ((j - 2) & 4) === 0;
  const z = f32(x * x);
  let y = fma32(COS_P0, z, COS_P1);
  y = fma32(y, z, COS_P2);
  y = f32(y * z);
  y = fma32(y, z, -f32(z * 0.5));
  y = f32(y + 1);
  let y2 = fma32(SIN_P0, z, SIN_P1);
  y2 = fma32(y2, z, SIN_P2);
  y2 = f32(y2 * z);
  y2 = fma32(y2, x, x);
  let sine: number;
  let cosine: number;
  if (polyMaskCos) {
    sine = y2;
    cosine = y;
  } else {
    sine = y;
    cosine = y2;
  }
  const sinResult = signSin !== swapSignSin ? -sine : sine;
  const cosResult = signCos ? -cosine : cosine;
  // normal_fill_16_AVX2 then computes fmadd(radius * v, std = 1, mean = 0), i.e. radius * v
  data[cosIndex] = f32(radius * cosResult);
  data[sinIndex] = f32(radius * sinResult);
}

const TWO_PI_FLOAT = f32(2 * Math.PI);

/** normal_fill_16_AVX2 on data[offset .. offset+16) holding uniforms on [0, 1): fmadd(r·cos, std, mean). */
function normalFill16(data: Float32Array, offset: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - data[offset + j]);
    const u2 = data[offset + j + 8];
    const radius = f32(Math.sqrt(f32(-2 * logAvx(u1))));
    const theta = f32(TWO_PI_FLOAT * u2);
    sinCosTimesRadius(theta, radius, data, offset + j, offset + j + 8);
    if (std !== 1 || mean !== 0) {
      data[offset + j] = fma32(data[offset + j], std, mean);
      data[offset + j + 8] = fma32(data[offset + j + 8], std, mean);
    }
  }
}

/** normal_fill_AVX2: all uniforms first, 16 at a time, then the last 16 redrawn if needed. */
function normalFillAvx2(out: Float32Array, generator: Generator, mean: number, std: number): void {
  const size = out.length;
  generator.fillFloatUniform(out, 0, size);
  for (let i = 0; i + 16 <= size; i += 16) normalFill16(out, i, mean, std);
  if (size % 16 !== 0) {
    const start = size - 16;
    generator.fillFloatUniform(out, start, size);
    normalFill16(out, start, mean, std);
  }
}

/** normal_fill<double>: the same shape of algorithm in double with libm's log, cos and sin. */
function normalFillDouble(out: Float64Array, generator: Generator, mean: number, std: number): void {
  const size = out.length;
  const fill16 = (offset: number): void => {
    for (let j = 0; j < 8; j++) {
      const u1 = 1 - out[offset + j];
      const u2 = out[offset + j + 8];
      const radius = Math.sqrt(-2 * Math.log(u1));
      const theta = 2.0 * Math.PI * u2;
      out[offset + j] = radius * Math.cos(theta) * std + mean;
      out[offset + j + 8] = radius * Math.sin(theta) * std + mean;
    }
  };
  generator.fillDoubleUniform(out, 0, size);
  for (let i = 0; i + 16 <= size; i += 16) fill16(i);
  if (size % 16 !== 0) {
    generator.fillDoubleUniform(out, size - 16, size);
    fill16(size - 16);
  }
}

// ---------------------------------------------------------------------------------------
// The default generator behind torch.manual_seed / torch.rand / torch.randn.

/**
 * 64 random bits, as PyTorch's getNonDeterministicRandom() reads from /dev/urandom. Uses the
 * Web Crypto global (present in browsers, workers and Node >= 19) when available.
 */
export function nondeterministicSeed(): bigint {
  const words = new Uint32Array(2);
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (webCrypto?.getRandomValues) {
    webCrypto.getRandomValues(words);
  } else {
    words[0] = Math.floor(Math.random() * 2 ** 32);
    words[1] = Math.floor(Math.random() * 2 ** 32);
  }
  return (BigInt(words[0]) << 32n) | BigInt(words[1]);
}

/**
 * The process-wide default CPU generator. Like PyTorch's, it starts from a nondeterministic
 * seed (so unseeded torch.randn differs run to run); torch.manual_seed makes it reproducible.
 */
export const defaultGenerator = new Generator(nondeterministicSeed());

/** torch.manual_seed(seed). */
export function manualSeed(seed: number | bigint): void {
  defaultGenerator.manualSeed(seed);
}

/** torch.initial_seed(). */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}

/** Fills `out` as torch.rand(out.length) would, from the default generator. */
export function randFill(out: Float32Array): void {
  defaultGenerator.randFill(out);
}

/** Fills `out` as torch.randn(out.length) would, from the default generator. */
export function randnFill(out: Float32Array): void {
  defaultGenerator.randnFill(out);
}

/** Fills `out` as tensor.normal_(mean, std) would, from the default generator. */
export function normalFill(out: Float32Array | Float64Array, mean: number, std: number): void {
  defaultGenerator.normalFill(out, mean, std);
}

/** Fills `out` as tensor.uniform_(from, to) would, from the default generator. */
export function uniformFill(out: Float32Array | Float64Array, from: number, to: number): void {
  defaultGenerator.uniformFill(out, from, to);
}

/** Fills `out` as torch.rand(out.length, dtype=torch.float64) would, from the default generator. */
export function doubleUniformFill(out: Float64Array): void {
  defaultGenerator.fillDoubleUniform(out);
}

/** Fills `out` as torch.randint(low, high, (out.length,)) would, from the default generator. */
export function randintFill(out: { length: number; [index: number]: number }, low: number, high: number): void {
  defaultGenerator.randintFill(out, low, high);
}

/** Fills `out` as torch.randperm(out.length) would, from the default generator. */
export function randpermFill(out: { length: number; [index: number]: number }): void {
  defaultGenerator.randpermFill(out);
}
