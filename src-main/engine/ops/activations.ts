// The activations of torch.nn beyond relu/sigmoid/tanh: leaky_relu, elu, gelu (exact erf and the
// tanh approximation) and silu, each one graph node with PyTorch 1.13's name, forward and backward
// as its CPU kernels (aten/src/ATen/native/cpu/Activation.cpp) compute them in float32: a
// cpu_kernel_vec loop runs the vector function over the first n - n % 16 elements (SLEEF's expf,
// ATen's AVX2 erf polynomial) and the scalar one over the rest (glibc's expf and erff).
// GCC contracts a multiply feeding an add into one fused multiply-add in these kernels (measured:
// silu's backward). float64 follows the same formulas with JavaScript's double functions.
// Not bit for bit yet: exact GELU on a contiguous float32 tensor of 2 or more elements (1.13 hands
// it to oneDNN's own erf and exp) and the tanh GELU (SLEEF's / glibc's tanhf); both agree to
// about 1e-7 relative.
import { runtimeError } from '../errors';
import { glibcErff, vectorErff } from '../erff';
import { expf } from '../expf';
import { fma32 } from '../fma';
import { sleefExpf, vectorPart } from '../sleef';
import { TYPE_NAME, type DType } from '../dtype';
import type { Tensor } from '../tensor';
import { makeTensor, toDType } from './common';
import { mul } from './elementwise';
import { inplaceBinary } from './inplace';
import { defaultGenerator } from '../random';
import { apply, defineOp } from './registry';

type Round = (x: number) => number;
const f32: Round = Math.fround;
const f64: Round = (x) => x;

/** The elements of a float tensor in row-major order (a copy when it is not contiguous). */
function values(t: Tensor): Float32Array | Float64Array {
  return toDType(t, t.dtype).data as Float32Array | Float64Array;
}

/** out[i] = fn(x[i], i is on the vector path) for a float tensor, as a cpu_kernel_vec loop splits it. */
function unaryKernel(a: Tensor, fn: (x: number, vector: boolean) => number): Tensor {
  const x = values(a);
  const out = makeTensor(a.dtype, a.shape);
  const o = out.data as Float32Array | Float64Array;
  const split = a.dtype === 'float32' ? vectorPart(x.length) : 0;
  for (let i = 0; i < x.length; i++) o[i] = fn(x[i], i < split);
  return out;
}

/** out[i] = fn(grad[i], self[i], vector) for a backward kernel over two tensors of one shape. */
function binaryKernel(g: Tensor, a: Tensor, fn: (grad: number, x: number, vector: boolean) => number): Tensor {
  const gv = values(g.dtype === a.dtype ? g : toDType(g, a.dtype));
  const x = values(a);
  const out = makeTensor(a.dtype, a.shape);
  const o = out.data as Float32Array | Float64Array;
  const split = a.dtype === 'float32' ? vectorPart(x.length) : 0;
  for (let i = 0; i < x.length; i++) o[i] = fn(gv[i], x[i], i < split);
  return out;
}

/** PyTorch's dispatch error for a kernel that takes floating point tensors only. */
function requireFloat(a: Tensor, kernel: string): DType {
  if (a.dtype !== 'float32' && a.dtype !== 'float64') throw runtimeError(`"${kernel}" not implemented for '${TYPE_NAME[a.dtype]}'`);
  return a.dtype;
}

const roundFor = (dtype: DType): Round => (dtype === 'float32' ? f32 : f64);
const expFor = (dtype: DType, vector: boolean): Round => (dtype === 'float32' ? (vector ? sleefExpf : expf) : Math.exp);

// ---- leaky_relu ----

interface LeakyAttrs {
  negativeSlope: number;
}

// ---- elu ----

interface EluAttrs {
  alpha: number;
  scale: number;
  inputScale: number;
}

/** elu_kernel's coefficients in the dtype: negcoef = alpha * scale, poscoef = scale, negiptcoef = input_scale. */
function eluCoefficients(r: Round, { alpha, scale, inputScale }: EluAttrs): { neg: number; pos: number; inputNeg: number } {
  return { neg: r(r(alpha) * r(scale)), pos: r(scale), inputNeg: r(inputScale) };
}

// ---- gelu ----

export type GeluApproximation = 'none' | 'tanh';

interface GeluAttrs {
  approximate: GeluApproximation;
}

const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const KAPPA = 0.044715;

/** x * 0.5 * (1 + erf(x / sqrt(2))), left to right in the dtype. */
function geluExact(r: Round, x: number, vector: boolean): number {
  const alpha = r(SQRT1_2);
  const erf = r === f32 ? (vector ? vectorErff : glibcErff) : erfDouble;
  return r(r(x * 0.5) * r(1 + erf(r(x * alpha))));
}

/** The tanh approximation: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))). */
function geluTanh(r: Round, x: number): number {
  const beta = r(Math.SQRT2 * TWO_OVER_SQRT_PI * 0.5);
  const kappa = r(KAPPA);
  const cube = r(r(x * x) * x);
  const inner = r(beta * r(x + r(kappa * cube)));
  return r(r(0.5 * x) * r(1 + r(Math.tanh(inner))));
}

/** erf in double (float64 GELU): the Maclaurin series below 2.5, the continued fraction of erfc above (about 1e-15 relative). */
function erfDouble(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    const v = TWO_OVER_SQRT_PI * sum;
    return x < 0 ? -v : v;
  }
  if (ax >= 6) return x < 0 ? -1 : 1;
  // erfc x = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz)
  let fraction = ax;
  for (let k = 60; k >= 1; k--) fraction = ax + k / 2 / fraction;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / fraction;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

export const ACTIVATION_OPS = {
  leakyRelu: defineOp<LeakyAttrs>({
    gradFn: 'LeakyReluBackward0',
    forward: ([a], { negativeSlope }) => {
      const r = roundFor(requireFloat(a, 'leaky_relu_cpu'));
      const slope = r(negativeSlope);
      return unaryKernel(a, (x) => (x > 0 ? x : r(x * slope)));
    },
    save: () => ({ inputs: [true] }),
    // leaky_relu_backward(grad, self): self > 0 ? grad : grad * negative_slope
    backward: (g, { inputs: [a], attrs: { negativeSlope } }) => {
      const r = roundFor(a!.dtype);
      const slope = r(negativeSlope);
      return [binaryKernel(g, a!, (gv, x) => (x > 0 ? gv : r(gv * slope)))];
    },
  }),
  elu: defineOp<EluAttrs>({
    gradFn: 'EluBackward0',
    forward: ([a], attrs) => {
      const dtype = requireFloat(a, 'elu_cpu');
      const r = roundFor(dtype);
      const { neg, pos, inputNeg } = eluCoefficients(r, attrs);
      return unaryKernel(a, (x, vector) => (x > 0 ? r(x * pos) : r(r(expFor(dtype, vector)(r(x * inputNeg)) - 1) * neg)));
    },
    save: () => ({ inputs: [true] }),
    // elu_backward(grad, is_result=False, self): self <= 0 ? grad * input_scale * negcoef * exp(self * input_scale) : grad * scale
    backward: (g, { inputs: [a], attrs }) => {
      const dtype = a!.dtype;
      const r = roundFor(dtype);
      const { neg, pos, inputNeg } = eluCoefficients(r, attrs);
      return [binaryKernel(g, a!, (gv, x, vector) => (x > 0 ? r(gv * pos) : r(r(r(gv * inputNeg) * neg) * expFor(dtype, vector)(r(x * inputNeg)))))];
    },
  }),
  gelu: defineOp<GeluAttrs>({
    gradFn: 'GeluBackward0',
    forward: ([a], { approximate }) => {
      const r = roundFor(requireFloat(a, 'GeluKernelImpl'));
      return unaryKernel(a, (x, vector) => (approximate === 'tanh' ? geluTanh(r, x) : geluExact(r, x, vector)));
    },
    save: () => ({ inputs: [true] }),
    backward: (g, { inputs: [a], attrs: { approximate } }) => {
      const dtype = a!.dtype;
      const r = roundFor(dtype);
      if (approximate === 'tanh') {
        const beta = r(Math.SQRT2 * TWO_OVER_SQRT_PI * 0.5);
        const kappa = r(KAPPA);
        return [
          binaryKernel(g, a!, (dy, x) => {
            const square = r(x * x);
            const cube = r(square * x);
            const inner = r(beta * r(x + r(kappa * cube)));
            const tanhInner = r(Math.tanh(inner));
            const left = r(0.5 * x);
            const right = r(1 + tanhInner);
            const leftDerivative = r(0.5 * right);
            const tanhDerivative = r(1 - r(tanhInner * tanhInner));
            const innerDerivative = r(beta * r(1 + r(r(3 * kappa) * square)));
            const rightDerivative = r(r(left * tanhDerivative) * innerDerivative);
            return r(dy * r(leftDerivative + rightDerivative));
          }),
        ];
      }
      const alpha = r(SQRT1_2);
      const beta = r(TWO_OVER_SQRT_PI * SQRT1_2 * 0.5);
      // cdf = 0.5 * (1 + erf(x / sqrt(2))); pdf = beta * exp(x * x * -0.5); dy * (cdf + x * pdf)
      return [
        binaryKernel(g, a!, (dy, x, vector) => {
          const erf = dtype === 'float32' ? (vector ? vectorErff : glibcErff) : erfDouble;
          const cdf = r(0.5 * r(1 + erf(r(x * alpha))));
          const pdf = r(beta * expFor(dtype, vector)(r(r(x * x) * -0.5)));
          return r(dy * (dtype === 'float32' ? fma32(x, pdf, cdf) : cdf + x * pdf));
        }),
      ];
    },
  }),
  silu: defineOp<Record<string, never>>({
    gradFn: 'SiluBackward0',
    // x / (1 + exp(-x))
    forward: ([a]) => {
      const dtype = requireFloat(a, 'silu_cpu');
      const r = roundFor(dtype);
      return unaryKernel(a, (x, vector) => r(x / r(1 + expFor(dtype, vector)(-x))));
    },
    save: () => ({ inputs: [true] }),
    // sigmoid = 1 / (1 + exp(-x)); dy * sigmoid * (1 + x * (1 - sigmoid))
    backward: (g, { inputs: [a] }) => {
      const dtype = a!.dtype;
      const r = roundFor(dtype);
      return [
        binaryKernel(g, a!, (dy, x, vector) => {
          const sigmoid = r(1 / r(1 + expFor(dtype, vector)(-x)));
          // GCC contracts 1 + x * (1 - sigmoid) into one fused multiply-add (scalar and vector loops)
          return r(r(dy * sigmoid) * (dtype === 'float32' ? fma32(x, r(1 - sigmoid), 1) : 1 + x * (1 - sigmoid)));
        }),
      ];
    },
  }),
};

export function leakyRelu(a: Tensor, negativeSlope: number): Tensor {
  return apply(ACTIVATION_OPS.leakyRelu, [a], { negativeSlope });
}

export function elu(a: Tensor, alpha: number, scale = 1, inputScale = 1): Tensor {
  return apply(ACTIVATION_OPS.elu, [a], { alpha, scale, inputScale });
}

export function gelu(a: Tensor, approximate: GeluApproximation): Tensor {
  return apply(ACTIVATION_OPS.gelu, [a], { approximate });
}

export function silu(a: Tensor): Tensor {
  return apply(ACTIVATION_OPS.silu, [a], {});
}

/**
 * A tensor of `like`'s shape and dtype holding tensor.bernoulli_(p) draws from the default
 * generator: this PyTorch build has no MKL, so each element is one uniform double (53 bits of two
 * mt19937 draws) compared with p, in order (templates::cpu::bernoulli_kernel).
 */
export function bernoulliLike(like: Tensor, p: number): Tensor {
  const out = makeTensor(like.dtype, like.shape);
  const o = out.data as Float32Array | Float64Array;
  for (let i = 0; i < o.length; i++) o[i] = defaultGenerator.nextDoubleUniform() < p ? 1 : 0;
  return out;
}

/**
 * F.dropout as ATen 1.13 composes it on the CPU (_dropout_impl): the input itself when not
 * training or p == 0; input * 0 for p == 1; otherwise noise = bernoulli_(1 - p) / (1 - p) and
 * input * noise (MulBackward0).
 */
export function dropout(input: Tensor, p: number, train: boolean): Tensor {
  if (!(p >= 0 && p <= 1)) throw runtimeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !train || input.numel() === 0) return input;
  if (p === 1) return mul(input, makeTensor(input.dtype, []));
  const noise = bernoulliLike(input, 1 - p);
  inplaceBinary(noise, 1 - p, 'div');
  return mul(input, noise);
}
