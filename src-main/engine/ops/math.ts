// Unary math beyond the basics (tan, log2, log10, log1p, expm1, rsqrt) as one table: each
// function with its grad_fn name and derivative; torch.fmod; rounding (round, floor, ceil,
// trunc, round(decimals)) and sign, whose gradients are zero; isclose. Integer inputs of the
// float-valued functions compute in float32, as PyTorch's do.
import { isFloating, TYPE_NAME } from '../dtype';
import type { ScalarLike } from '../dtype';
import { runtimeError } from '../errors';
import { UnaryOp } from '../kernels';
import { Tensor } from '../tensor';
import { asTensor, copyOf, resultTypeOf } from './common';
import { notDifferentiableZeroGrad } from './elementwise';
import { floatDType, mapBinaryRaw, mapRaw, mulRaw, unaryRaw } from './elementwise-raw';
import { apply, defineOp } from './registry';

interface MathFunction {
  gradFn: string;
  f: (x: number) => number;
  /** d/dx as a function of x (computed in the gradient's dtype, then times grad) */
  derivative: (x: number) => number;
}

const LN2 = Math.LN2;
const LN10 = Math.LN10;

export const MATH_FUNCTIONS = {
  tan: { gradFn: 'TanBackward0', f: Math.tan, derivative: (x) => 1 + Math.tan(x) ** 2 },
  log2: { gradFn: 'Log2Backward0', f: Math.log2, derivative: (x) => 1 / (x * LN2) },
  log10: { gradFn: 'Log10Backward0', f: Math.log10, derivative: (x) => 1 / (x * LN10) },
  log1p: { gradFn: 'Log1PBackward0', f: Math.log1p, derivative: (x) => 1 / (x + 1) },
  expm1: { gradFn: 'Expm1Backward0', f: Math.expm1, derivative: (x) => Math.exp(x) },
  rsqrt: { gradFn: 'RsqrtBackward0', f: (x) => 1 / Math.sqrt(x), derivative: (x) => -0.5 / (x * Math.sqrt(x)) },
} satisfies Record<string, MathFunction>;
export type MathFunctionName = keyof typeof MATH_FUNCTIONS;

export const MATH_OPS = {
  unaryMath: defineOp<{ fn: MathFunctionName }>({
    gradFn: (a) => MATH_FUNCTIONS[a.fn].gradFn,
    forward: ([a], { fn }) => {
      const dtype = floatDType(a.dtype);
      // rsqrt has a kernel that rounds like PyTorch's (1 / sqrt in float32)
      if (fn === 'rsqrt') return unaryRaw(UnaryOp.Rsqrt, a, dtype);
      return mapRaw(a, dtype, MATH_FUNCTIONS[fn].f, dtype);
    },
    save: () => ({ inputs: [true] }),
    backward: (g, { inputs: [a], attrs: { fn } }) => [mulRaw(g, mapRaw(a!, g.dtype, MATH_FUNCTIONS[fn].derivative, 'float64'))],
  }),
  /** C's fmod: the remainder with the sign of the dividend */
  fmod: defineOp<{ scalarOther: boolean }>({
    gradFn: (a) => (a.scalarOther ? 'FmodBackward0' : 'FmodBackward1'),
    forward: ([a, b]) => {
      const dtype = resultTypeOf(a, b);
      return mapBinaryRaw(a, b, dtype, dtype, (x, y) => x % y);
    },
    save: (needs) => ({ inputs: [needs[1], needs[1]] }),
    // self: grad;  other: -grad * self.div(other, rounding_mode="trunc")
    backward: (g, { needs, inputs: [a, b] }) => [
      needs[0] ? g : null,
      needs[1] ? mulRaw(g, mapBinaryRaw(a!, b!, g.dtype, g.dtype, (x, y) => -Math.trunc(x / y))) : null,
    ],
  }),
};

export function unaryMath(a: Tensor, fn: MathFunctionName): Tensor {
  return apply(MATH_OPS.unaryMath, [a], { fn });
}

export function fmod(a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  return apply(MATH_OPS.fmod, [a, b], { scalarOther: !(o instanceof Tensor) });
}

/** std::nearbyint: halves go to the even neighbour, as torch.round does. */
function nearbyint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const ROUNDING = {
  round: { f: nearbyint, name: 'RoundBackward0' },
  floor: { f: Math.floor, name: 'FloorBackward0' },
  ceil: { f: Math.ceil, name: 'CeilBackward0' },
  trunc: { f: Math.trunc, name: 'TruncBackward0' },
};

/** round / floor / ceil / trunc: integer-valued floats (integers unchanged); zero gradient. */
export function rounding(a: Tensor, kind: keyof typeof ROUNDING): Tensor {
  const { f, name } = ROUNDING[kind];
  const out = isFloating(a.dtype) ? mapRaw(a, a.dtype, f) : copyOf(a);
  return notDifferentiableZeroGrad(out, a, name);
}

/** torch.sign (SignBackward0: zero gradient) */
export function signRaw(a: Tensor): Tensor {
  if (a.dtype === 'bool') return copyOf(a);
  return mapRaw(a, a.dtype, (x) => (x !== x ? x : Math.sign(x) + 0), a.dtype, (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n));
}

export function sign(a: Tensor): Tensor {
  return notDifferentiableZeroGrad(signRaw(a), a, 'SignBackward0');
}

/** t.round(decimals=d) as ATen computes it in the dtype: nearbyint(x * 10^d) / 10^d (d < 0: the other way round). */
export function roundDecimals(a: Tensor, decimals: number): Tensor {
  if (!isFloating(a.dtype)) return copyOf(a);
  const round = a.dtype === 'float32' ? Math.fround : (x: number): number => x;
  const scale = round(Math.pow(10, Math.abs(decimals)));
  const f = decimals >= 0 ? (x: number): number => round(nearbyint(round(x * scale)) / scale) : (x: number): number => round(nearbyint(round(x / scale)) * scale);
  return notDifferentiableZeroGrad(mapRaw(a, a.dtype, f), a, 'RoundBackward1');
}

/** torch.isclose: a == b, or |a - b| <= atol + |rtol * b| (NaNs equal only with equalNan). */
export function isClose(a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean): Tensor {
  if (a.dtype !== b.dtype) throw runtimeError(`${TYPE_NAME[a.dtype]} did not match ${TYPE_NAME[b.dtype]}`);
  return mapBinaryRaw(a, b, 'float64', 'bool', (x, y) => {
    if (x === y) return 1;
    if (x !== x || y !== y) return equalNan && x !== x && y !== y ? 1 : 0;
    const error = Math.abs(x - y);
    return Number.isFinite(error) && error <= atol + Math.abs(rtol * y) ? 1 : 0;
  });
}
