// Elementwise ops (the graph-free kernels they compute with are in elementwise-raw.ts):
// arithmetic with PyTorch's type promotion, unary math, comparisons, clamp,
// where, floor division and remainder. Float32 results are rounded after every step, as
// PyTorch's float kernels compute; float64 stays double; integers follow C++ semantics.
// Results of non-contiguous inputs take TensorIterator's layout (resultLayout).
import { runtimeError } from '../errors';
import { castValue, isFloating, resultType, scalarDType, scalarValue, toInt64, TYPE_NAME } from '../dtype';
import { floorDivInt64, powInt64, remainderInt64 } from '../int64';
import type { DType, ScalarLike } from '../dtype';
import { BinaryOp, UnaryOp } from '../kernels';
import { expf } from '../expf';
import { fma32, fma64 } from '../fma';
import { sleefCosf, sleefExpf, sleefSinf, sleefTanhf, vectorLanes } from '../sleef';
import { sleefExp, sleefTanh } from '../sleef-double';
import { broadcastShapes } from '../shape';
import { Tensor } from '../tensor';
import { apply, defineOp, NONE, record } from './registry';
import type { NoAttrs } from './registry';
import {
  asTensor,
  copyOf,
  floats,
  expandTo,
  fullLike,
  inLayout,
  makeTensor,
  outputTensor,
  promotionOf,
  resultLayout,
  resultTypeOf,
  scalarTensor,
  toDType,
} from './common';

import { arith, floatDType, subRaw, mulRaw, divRaw, negRaw, mulScalarRaw, mulScaledRaw, accumulateProduct, unaryRaw, mapRaw, mapBinaryRaw } from './elementwise-raw';

const fr = Math.fround;

// ---------------------------------------------------------------------------------------------
// Float semantics of the less common binary ops (float32 rounds after every step)

/** PyTorch's div_floor for floats: Python's floor division from fmod, as the CPU kernel computes it. */
function floorDivFloat(round: (x: number) => number): (a: number, b: number) => number {
  return (a, b) => {
    if (b === 0) return round(a / b);
    const mod = a % b;
    let div = round(round(a - mod) / b);
    if (mod !== 0 && b < 0 !== mod < 0) div = round(div - 1);
    if (div !== 0) {
      let floordiv = Math.floor(div);
      if (round(div - floordiv) > 0.5) floordiv = round(floordiv + 1);
      return floordiv;
    }
    return Math.sign(a / b) < 0 || Object.is(a / b, -0) ? -0 : 0;
  };
}

function floorDivInt(a: number, b: number): number {
  if (b === 0) throw runtimeError('ZeroDivisionError');
  const q = Math.trunc(a / b);
  return a < 0 !== b < 0 && q * b !== a ? q - 1 : q;
}

function remainderFloat(round: (x: number) => number): (a: number, b: number) => number {
  return (a, b) => {
    const mod = a % b;
    return mod !== 0 && b < 0 !== mod < 0 ? round(mod + b) : mod;
  };
}

function remainderInt(a: number, b: number): number {
  if (b === 0) throw runtimeError('ZeroDivisionError');
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r + 0;
}

const identity = (x: number): number => x;

// ---------------------------------------------------------------------------------------------
// The op list

interface PowAttrs {
  exponent: number;
  /** the exponent's dtype as a scalar (int vs float matters for int tensors) */
  exponentDType: DType;
}
interface RpowAttrs {
  base: number;
  baseDType: DType;
}
interface ClampAttrs {
  min: number | null;
  max: number | null;
}

/** x ** e with PyTorch's special cases (square, sqrt, reciprocal, ...), in float32 or float64. */
function powForward(a: Tensor, e: number, outDType: DType): Tensor {
  if (!isFloating(outDType)) {
    const exponent = BigInt(e);
    return mapRaw(a, outDType, (v) => castValue(outDType, Math.pow(v, e)), outDType, (v) => powInt64(v, exponent));
  }
  if (e === 0) return fullLike(a.shape, outDType, 1);
  if (e === 1) return copyOf(toDType(a, outDType));
  const special: Record<number, UnaryOp> = {
    0.5: UnaryOp.Sqrt,
    [-0.5]: UnaryOp.Rsqrt,
    [-1]: UnaryOp.Reciprocal,
    2: UnaryOp.Square,
    3: UnaryOp.Cube,
    [-2]: UnaryOp.InvSquare,
  };
  const op = special[e];
  if (op !== undefined) return unaryRaw(op, a, outDType);
  const exponent = outDType === 'float32' ? fr(e) : e;
  return mapRaw(a, outDType, (v) => Math.pow(v, exponent), outDType);
}

function powTensorRaw(a: Tensor, e: Tensor): Tensor {
  const dtype = resultTypeOf(a, e);
  return mapBinaryRaw(a, e, dtype, dtype, (x, y) => castValue(dtype, Math.pow(x, y)), powInt64);
}

/** grad * (1 - y) * y, sigmoid_backward's order (float32 rounding after each step). */
/** sin / cos in a float dtype: float32 as ATen's vector kernel (SLEEF), float64 with JavaScript's Math. */
const sineOf = (dtype: DType): ((x: number) => number) => (dtype === 'float32' ? sleefSinf : Math.sin);
const cosineOf = (dtype: DType): ((x: number) => number) => (dtype === 'float32' ? sleefCosf : Math.cos);

function sigmoidGrad(g: Tensor, y: Tensor): Tensor {
  const round = y.dtype === 'float32' ? fr : identity;
  return mapBinaryRaw(g, y, y.dtype, y.dtype, (gv, yv) => round(round(gv * round(1 - yv)) * yv));
}

export const ELEMENTWISE_OPS = {
  add: defineOp<NoAttrs>({
    gradFn: 'AddBackward0',
    forward: ([a, b]) => arith(BinaryOp.Add, a, b, resultTypeOf(a, b)),
    backward: (g, { needs }) => [needs[0] ? g : null, needs[1] ? g : null],
  }),
  sub: defineOp<NoAttrs>({
    gradFn: 'SubBackward0',
    forward: ([a, b]) => arith(BinaryOp.Sub, a, b, resultTypeOf(a, b)),
    backward: (g, { needs }) => [needs[0] ? g : null, needs[1] ? negRaw(g) : null],
  }),
  /** other - self, for `number - tensor` */
  rsub: defineOp<{ scalarOther: boolean }>({
    gradFn: (a) => (a.scalarOther ? 'RsubBackward1' : 'RsubBackward0'),
    forward: ([a, b]) => arith(BinaryOp.Sub, b, a, resultTypeOf(a, b)),
    backward: (g, { needs }) => [needs[0] ? negRaw(g) : null, needs[1] ? g : null],
  }),
  mul: defineOp<NoAttrs>({
    gradFn: 'MulBackward0',
    forward: ([a, b]) => arith(BinaryOp.Mul, a, b, resultTypeOf(a, b)),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    backward: (g, { needs, inputs: [a, b], accumulateInto }) => [
      needs[0] ? (accumulateProduct(accumulateInto[0], g, b!) ? null : mulRaw(g, b!)) : null,
      needs[1] ? (accumulateProduct(accumulateInto[1], g, a!) ? null : mulRaw(g, a!)) : null,
    ],
  }),
  div: defineOp<NoAttrs>({
    gradFn: 'DivBackward0',
    forward: ([a, b]) => arith(BinaryOp.Div, a, b, floatDType(resultTypeOf(a, b))),
    save: (needs) => ({ inputs: [needs[1], true] }),
    // self: grad / other;  other: -grad * ((self / other) / other)
    backward: (g, { needs, inputs: [a, b] }) => [
      needs[0] ? divRaw(g, b!) : null,
      needs[1] ? mulRaw(negRaw(g), divRaw(divRaw(a!, b!), b!)) : null,
    ],
  }),
  reciprocal: defineOp<NoAttrs>({
    gradFn: 'ReciprocalBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Reciprocal, a, floatDType(a.dtype)),
    save: () => ({ output: true }),
    // -grad * (result * result)
    backward: (g, { output }) => [mulRaw(negRaw(g), mulRaw(output!, output!))],
  }),
  neg: defineOp<NoAttrs>({
    gradFn: 'NegBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Neg, a, a.dtype),
    backward: (g) => [negRaw(g)],
  }),
  pow: defineOp<PowAttrs>({
    gradFn: 'PowBackward0',
    forward: ([a], { exponent, exponentDType }) =>
      powForward(a, exponent, resultType([promotionOf(a), { dtype: exponentDType, priority: 'wrapped' }])),
    save: () => ({ inputs: [true] }),
    // grad * (exponent * self.pow(exponent - 1)); zero when exponent == 0
    backward: (g, { inputs: [a], attrs: { exponent } }) => {
      if (exponent === 0) return [fullLike(a!.shape, a!.dtype, 0)];
      const e1 = exponent - 1;
      // self.pow(1) is an exact copy of self: skip the copy
      const p = e1 === 1 ? toDType(a!, g.dtype) : powForward(a!, e1, g.dtype);
      return [mulScaledRaw(g, p, exponent)];
    },
  }),
  powTensor: defineOp<NoAttrs>({
    gradFn: 'PowBackward1',
    forward: ([a, e]) => powTensorRaw(a, e),
    save: () => ({ inputs: [true, true], output: true }),
    backward: (g, { needs, inputs: [a, e], output }) => {
      let ga: Tensor | null = null;
      let ge: Tensor | null = null;
      if (needs[0]) {
        // where(exponent == 0, 0, grad * (exponent * self.pow(exponent - 1)))
        const em1 = subRaw(e!, scalarTensor(1));
        const p = powTensorRaw(a!, em1);
        const full = mulRaw(g, mulRaw(e!, p));
        const eb = expandTo(e!, full.shape).data;
        ga = mapIndexed(full, (v, i) => (eb[i] === 0 ? 0 : v));
      }
      if (needs[1]) {
        // grad * where(self == 0 & exponent >= 0, 0, result * self.log())
        const rl = mulRaw(output!, unaryRaw(UnaryOp.Log, a!, floatDType(a!.dtype)));
        const ab = expandTo(a!, rl.shape).data;
        const eb = expandTo(e!, rl.shape).data;
        ge = mulRaw(g, mapIndexed(rl, (v, i) => (ab[i] === 0 && eb[i] >= 0 ? 0 : v)));
      }
      return [ga, ge];
    },
  }),
  /** base ** tensor with a Python number base */
  rpow: defineOp<RpowAttrs>({
    gradFn: 'PowBackward1',
    forward: ([e], { base, baseDType }) => {
      const dtype = resultType([promotionOf(e), { dtype: baseDType, priority: 'wrapped' }]);
      if (!isFloating(dtype)) return mapRaw(e, dtype, (x) => castValue(dtype, Math.pow(base, x)), dtype, (x) => powInt64(BigInt(base), x));
      const b = dtype === 'float32' ? fr(base) : base;
      return mapRaw(e, dtype, (x) => Math.pow(b, x), dtype);
    },
    save: () => ({ output: true }),
    backward: (g, { output, attrs: { base } }) => [mulRaw(g, mulScalarRaw(output!, Math.log(base)))],
  }),
  exp: defineOp<NoAttrs>({
    gradFn: 'ExpBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Exp, a, floatDType(a.dtype)),
    save: () => ({ output: true }),
    backward: (g, { output }) => [mulRaw(g, output!)],
  }),
  log: defineOp<NoAttrs>({
    gradFn: 'LogBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Log, a, floatDType(a.dtype)),
    save: () => ({ inputs: [true] }),
    backward: (g, { inputs: [a] }) => [divRaw(g, a!)],
  }),
  sqrt: defineOp<NoAttrs>({
    gradFn: 'SqrtBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Sqrt, a, floatDType(a.dtype)),
    save: () => ({ output: true }),
    // grad / (2 * result)
    backward: (g, { output }) => [divRaw(g, mulScalarRaw(output!, 2))],
  }),
  abs: defineOp<NoAttrs>({
    gradFn: 'AbsBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Abs, a, a.dtype),
    save: () => ({ inputs: [true] }),
    // grad * self.sgn()
    backward: (g, { inputs: [a] }) => [mulRaw(g, mapRaw(a!, a!.dtype, Math.sign))],
  }),
  sin: defineOp<NoAttrs>({
    gradFn: 'SinBackward0',
    forward: ([a]) => mapRaw(a, floatDType(a.dtype), sineOf(floatDType(a.dtype)), floatDType(a.dtype)),
    save: () => ({ inputs: [true] }),
    // grad * self.cos()
    backward: (g, { inputs: [a] }) => [mulRaw(g, mapRaw(a!, a!.dtype, cosineOf(a!.dtype)))],
  }),
  cos: defineOp<NoAttrs>({
    gradFn: 'CosBackward0',
    forward: ([a]) => mapRaw(a, floatDType(a.dtype), cosineOf(floatDType(a.dtype)), floatDType(a.dtype)),
    save: () => ({ inputs: [true] }),
    // grad * -self.sin()
    backward: (g, { inputs: [a] }) => [mulRaw(g, negRaw(mapRaw(a!, a!.dtype, sineOf(a!.dtype))))],
  }),
  tanh: defineOp<NoAttrs>({
    gradFn: 'TanhBackward0',
    // SLEEF's vector tanh on every element (vml::vtanh), as ATen computes it
    forward: ([a]) => {
      const dtype = floatDType(a.dtype);
      return mapRaw(a, dtype, dtype === 'float32' ? sleefTanhf : sleefTanh, dtype);
    },
    save: () => ({ output: true }),
    // tanh_backward: grad * (1 - y * y), where ATen's kernel fuses 1 - y * y into one multiply-add
    backward: (g, { output }) => {
      const y = output!;
      if (y.dtype === 'float32') return [mapBinaryRaw(g, y, 'float32', 'float32', (gv, yv) => fr(gv * fma32(-yv, yv, 1)))];
      return [mapBinaryRaw(g, y, y.dtype, y.dtype, (gv, yv) => gv * fma64(-yv, yv, 1))];
    },
  }),
  sigmoid: defineOp<NoAttrs>({
    gradFn: 'SigmoidBackward0',
    forward: ([a]) => {
      const dtype = floatDType(a.dtype);
      // 1 / (1 + exp(-x)), each step in the dtype
      // cpu_kernel_vec's vector lanes take SLEEF's exp, its scalar tail the C library's
      // (float32: glibc's expf; float64: Math.exp, which is not glibc's exp to the last bit)
      const x = floats(toDType(a, dtype));
      const out = makeTensor(dtype, a.shape);
      const od = floats(out);
      if (dtype === 'float32') {
        const lanes = vectorLanes(a);
        for (let i = 0; i < x.length; i++) od[i] = fr(1 / fr(1 + (lanes !== null && lanes[i] ? sleefExpf(-x[i]) : expf(-x[i]))));
      } else {
        const lanes = vectorLanes(a, 8);
        for (let i = 0; i < x.length; i++) od[i] = 1 / (1 + (lanes !== null && lanes[i] ? sleefExp(-x[i]) : Math.exp(-x[i])));
      }
      return inLayout(out, resultLayout([a], a.shape));
    },
    save: () => ({ output: true }),
    backward: (g, { output }) => [sigmoidGrad(g, output!)],
  }),
  relu: defineOp<NoAttrs>({
    gradFn: 'ReluBackward0',
    forward: ([a]) => mapRaw(a, a.dtype, (x) => (x > 0 || x !== x ? x : 0)),
    save: () => ({ output: true }),
    // threshold_backward(grad, result, 0): grad where result > 0
    backward: (g, { output }) => [mapBinaryRaw(g, output!, g.dtype, g.dtype, (gv, y) => (y <= 0 ? 0 : gv))],
  }),
  clamp: defineOp<ClampAttrs>({
    gradFn: 'ClampBackward1',
    forward: ([a], { min, max }) => {
      const dtype = a.dtype;
      const lo = min === null ? null : castValue(dtype, min);
      const hi = max === null ? null : castValue(dtype, max);
      // clamp(x) = min(max(x, lo), hi); NaN stays NaN
      const lo64 = min === null ? null : toInt64(min);
      const hi64 = max === null ? null : toInt64(max);
      return mapRaw(
        a,
        dtype,
        (x) => {
          if (x !== x) return x;
          let v = x;
          if (lo !== null && v < lo) v = lo;
          if (hi !== null && v > hi) v = hi;
          return v;
        },
        dtype,
        (x) => {
          let v = x;
          if (lo64 !== null && v < lo64) v = lo64;
          if (hi64 !== null && v > hi64) v = hi64;
          return v;
        },
      );
    },
    save: () => ({ inputs: [true] }),
    // grad where min <= self <= max
    backward: (g, { inputs: [a], attrs: { min, max } }) => [
      mapBinaryRaw(g, a!, g.dtype, g.dtype, (gv, x) => ((min === null || x >= castValue(a!.dtype, min)) && (max === null || x <= castValue(a!.dtype, max)) ? gv : 0)),
    ],
  }),
  clampTensor: defineOp<NoAttrs>({
    gradFn: 'ClampBackward0',
    // min and max as tensors (broadcast); a missing bound arrives as NaN-free ±Infinity
    forward: ([a, lo, hi]) => {
      const dtype = a.dtype;
      const lower = mapBinaryRaw(a, lo, dtype, dtype, (x, l) => (x !== x ? x : x < l ? l : x), (x, l) => (x < l ? l : x));
      return mapBinaryRaw(lower, hi, dtype, dtype, (x, h) => (x !== x ? x : x > h ? h : x), (x, h) => (x > h ? h : x));
    },
    save: () => ({ inputs: [true, true, true] }),
    backward: (g, { needs, inputs: [a, lo, hi] }) => {
      const inRange = mapBinaryRaw(mapBinaryRaw(a!, lo!, a!.dtype, 'float32', (x, l) => (x >= l ? 1 : 0)), mapBinaryRaw(a!, hi!, a!.dtype, 'float32', (x, h) => (x <= h ? 1 : 0)), 'float32', 'float32', (p, q) => p * q);
      const self = needs[0] ? mapBinaryRaw(g, inRange, g.dtype, g.dtype, (gv, m) => (m ? gv : 0)) : null;
      const toLo = needs[1] ? mapBinaryRaw(g, mapBinaryRaw(a!, lo!, a!.dtype, 'float32', (x, l) => (x < l ? 1 : 0)), g.dtype, g.dtype, (gv, m) => (m ? gv : 0)) : null;
      const toHi = needs[2] ? mapBinaryRaw(g, mapBinaryRaw(a!, hi!, a!.dtype, 'float32', (x, h) => (x > h ? 1 : 0)), g.dtype, g.dtype, (gv, m) => (m ? gv : 0)) : null;
      return [self, toLo, toHi];
    },
  }),
  remainder: defineOp<{ scalarOther: boolean }>({
    gradFn: (a) => (a.scalarOther ? 'RemainderBackward0' : 'RemainderBackward1'),
    forward: ([a, b]) => remainderRaw(a, b),
    save: (needs) => ({ inputs: [needs[1], needs[1]] }),
    // self: grad;  other: -grad * self.div(other, rounding_mode="floor")
    backward: (g, { needs, inputs: [a, b] }) => [
      needs[0] ? g : null,
      needs[1] ? mulRaw(negRaw(g), floorDivideRaw(a!, b!)) : null,
    ],
  }),
  where: defineOp<NoAttrs>({
    gradFn: 'WhereBackward0',
    // inputs: condition (bool), x, y
    forward: ([c, x, y]) => {
      const dtype = resultTypeOf(x, y);
      const shape = broadcastShapes(c.shape, broadcastShapes(x.shape, y.shape));
      const cv = expandTo(c, shape).data;
      const xv = expandTo(toDType(x, dtype), shape).data;
      const yv = expandTo(toDType(y, dtype), shape).data;
      const out = outputTensor(dtype, shape);
      const o = out.data;
      for (let i = 0; i < o.length; i++) o[i] = cv[i] ? xv[i] : yv[i];
      return out;
    },
    save: () => ({ inputs: [true, false, false] }),
    // self: where(condition, grad, 0);  other: where(condition, 0, grad)
    backward: (g, { needs, inputs: [c] }) => [
      null,
      needs[1] ? mapBinaryRaw(g, c!, g.dtype, g.dtype, (gv, cv) => (cv ? gv : 0)) : null,
      needs[2] ? mapBinaryRaw(g, c!, g.dtype, g.dtype, (gv, cv) => (cv ? 0 : gv)) : null,
    ],
  }),
  maximum: defineOp<{ min: boolean }>({
    gradFn: (a) => (a.min ? 'MinimumBackward0' : 'MaximumBackward0'),
    forward: ([a, b], { min }) => {
      const dtype = resultTypeOf(a, b);
      return mapBinaryRaw(a, b, dtype, dtype, (x, y) => (x !== x || y !== y ? NaN : min ? (x < y ? x : y) : x > y ? x : y), (x, y) => (min ? (x < y ? x : y) : x > y ? x : y));
    },
    save: () => ({ inputs: [true, true] }),
    // where(self == other, grad / 2, grad), zero where the other one wins
    backward: (g, { needs, inputs: [a, b], attrs: { min } }) => {
      const half = divRaw(g, scalarTensor(2));
      const pick = (self: Tensor, other: Tensor): Tensor => {
        const dtype = resultTypeOf(self, other);
        const share = mapBinaryRaw(self, other, dtype, 'float32', (x, y) => (x === y ? 0.5 : (min ? x < y : x > y) ? 1 : 0));
        return mapBinaryRaw(mapBinaryRaw(g, share, g.dtype, g.dtype, (gv, s) => (s === 1 ? gv : 0)), mapBinaryRaw(half, share, g.dtype, g.dtype, (hv, s) => (s === 0.5 ? hv : 0)), g.dtype, g.dtype, (p, q) => p + q);
      };
      return [needs[0] ? pick(a!, b!) : null, needs[1] ? pick(b!, a!) : null];
    },
  }),
  /** x.to(dtype) / .float() / .double(): a converted copy */
  toCopy: defineOp<{ dtype: DType }>({
    gradFn: 'ToCopyBackward0',
    forward: ([a], { dtype }) => toCopyRaw(a, dtype),
    backward: (g, { inputMeta: [m] }) => [toDType(g, m.dtype)],
  }),
};

/** A converted copy in the layout TensorIterator gives it. */
function toCopyRaw(a: Tensor, dtype: DType): Tensor {
  const converted = toDType(a, dtype);
  return inLayout(converted === a ? copyOf(a) : converted, resultLayout([a], a.shape));
}

function mapIndexed(t: Tensor, f: (v: number, i: number) => number): Tensor {
  const out = makeTensor(t.dtype, t.shape);
  const src = floats(t);
  const dst = floats(out);
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i], i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ops without gradients: floor division and remainder (comparisons, masks and logic are in
// predicates.ts; rounding and sign in math.ts)

/** a % b as torch.remainder computes it (Python's sign rule). */
export function remainderRaw(a: Tensor, b: Tensor): Tensor {
  const dtype = resultTypeOf(a, b);
  if (isFloating(dtype)) return mapBinaryRaw(a, b, dtype, dtype, remainderFloat(dtype === 'float32' ? fr : identity));
  return mapBinaryRaw(a, b, dtype, dtype, remainderInt, remainderInt64);
}

/** a // b as torch.floor_divide computes it (no gradient: PyTorch's is NotImplemented). */
export function floorDivideRaw(a: Tensor, b: Tensor): Tensor {
  const dtype = resultTypeOf(a, b);
  if (isFloating(dtype)) return mapBinaryRaw(a, b, dtype, dtype, floorDivFloat(dtype === 'float32' ? fr : identity));
  if (dtype === 'uint8') return mapBinaryRaw(a, b, dtype, dtype, (x, y) => {
    if (y === 0) throw runtimeError('ZeroDivisionError');
    return Math.trunc(x / y);
  });
  if (dtype === 'bool') return mapBinaryRaw(a, b, 'int64', 'bool', floorDivInt, (x, y) => (floorDivInt64(x, y) !== 0n ? 1 : 0));
  return mapBinaryRaw(a, b, dtype, dtype, floorDivInt, floorDivInt64);
}

// ---------------------------------------------------------------------------------------------
// Public op wrappers (argument handling and PyTorch's checks)

export function add(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(ELEMENTWISE_OPS.add, [a, asTensor(o)], NONE);
}
export function sub(a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  checkBoolSub(a, b);
  return apply(ELEMENTWISE_OPS.sub, [a, b], NONE);
}
export function rsub(a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  checkBoolSub(a, b);
  return apply(ELEMENTWISE_OPS.rsub, [a, b], { scalarOther: !(o instanceof Tensor) });
}
export function mul(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(ELEMENTWISE_OPS.mul, [a, asTensor(o)], NONE);
}
export function div(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(ELEMENTWISE_OPS.div, [a, asTensor(o)], NONE);
}
export function rdiv(a: Tensor, o: Tensor | ScalarLike): Tensor {
  if (o instanceof Tensor) return div(o, a);
  return mul(reciprocal(a), o);
}
export function reciprocal(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.reciprocal, [a], NONE);
}
export function neg(a: Tensor): Tensor {
  if (a.dtype === 'bool') {
    throw runtimeError(
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
  }
  return apply(ELEMENTWISE_OPS.neg, [a], NONE);
}
export function pow(a: Tensor, e: Tensor | ScalarLike): Tensor {
  if (e instanceof Tensor) return apply(ELEMENTWISE_OPS.powTensor, [a, e], NONE);
  const exponent = scalarValue(e);
  const exponentDType = scalarDType(e);
  if (!isFloating(a.dtype) && !isFloating(exponentDType) && exponent < 0) {
    throw runtimeError('Integers to negative integer powers are not allowed.');
  }
  return apply(ELEMENTWISE_OPS.pow, [a], { exponent, exponentDType });
}
export function rpow(a: Tensor, base: ScalarLike): Tensor {
  return apply(ELEMENTWISE_OPS.rpow, [a], { base: scalarValue(base), baseDType: scalarDType(base) });
}
export function exp(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.exp, [a], NONE);
}
export function log(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.log, [a], NONE);
}
export function sqrt(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.sqrt, [a], NONE);
}
export function abs(a: Tensor): Tensor {
  if (a.dtype === 'bool') throw runtimeError('"abs_cpu" not implemented for \'Bool\'');
  return apply(ELEMENTWISE_OPS.abs, [a], NONE);
}
export function sin(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.sin, [a], NONE);
}
export function cos(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.cos, [a], NONE);
}
export function tanh(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.tanh, [a], NONE);
}
export function sigmoid(a: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.sigmoid, [a], NONE);
}
export function relu(a: Tensor): Tensor {
  if (a.dtype === 'bool') throw runtimeError('"clamp_min_cpu" not implemented for \'Bool\'');
  return apply(ELEMENTWISE_OPS.relu, [a], NONE);
}
/** torch.clamp(a, min, max) with Python numbers (either may be null, not both). */
export function clamp(a: Tensor, min: ScalarLike | null, max: ScalarLike | null): Tensor {
  if (min === null && max === null) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (a.dtype === 'bool') throw runtimeError('"clamp_cpu" not implemented for \'Bool\'');
  const dtype = resultType([
    promotionOf(a),
    ...(min === null ? [] : [{ dtype: scalarDType(min), priority: 'wrapped' as const }]),
    ...(max === null ? [] : [{ dtype: scalarDType(max), priority: 'wrapped' as const }]),
  ]);
  const x = dtype === a.dtype ? a : toCopyOf(a, dtype);
  return apply(ELEMENTWISE_OPS.clamp, [x], { min: min === null ? null : scalarValue(min), max: max === null ? null : scalarValue(max) });
}
/** torch.clamp with tensor bounds (ClampBackward0). */
export function clampTensor(a: Tensor, min: Tensor | null, max: Tensor | null): Tensor {
  if (min === null && max === null) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const dtype = resultType([a, ...(min ? [min] : []), ...(max ? [max] : [])].map(promotionOf));
  const lo = min ?? scalarTensor(-Infinity);
  const hi = max ?? scalarTensor(Infinity);
  return apply(ELEMENTWISE_OPS.clampTensor, [dtype === a.dtype ? a : toCopyOf(a, dtype), lo, hi], NONE);
}
/** a % b with Python's sign rule (torch.remainder). */
export function remainder(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(ELEMENTWISE_OPS.remainder, [a, asTensor(o)], { scalarOther: !(o instanceof Tensor) });
}
/** number % tensor: no gradient in PyTorch (its grad_fn is NotImplemented). */
export function rremainder(a: Tensor, o: ScalarLike): Tensor {
  return notDifferentiable(remainderRaw(scalarTensor(o), a), [a], 'remainder');
}
/** a // b (torch.floor_divide); gradients are not defined for it. */
export function floorDivide(a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  return notDifferentiable(floorDivideRaw(a, b), [a, b], 'floor_divide');
}
export function rfloorDivide(a: Tensor, o: ScalarLike): Tensor {
  const b = scalarTensor(o);
  return notDifferentiable(floorDivideRaw(b, a), [a], 'floor_divide');
}
export function where(condition: Tensor, x: Tensor | ScalarLike, y: Tensor | ScalarLike): Tensor {
  if (condition.dtype !== 'bool' && condition.dtype !== 'uint8') {
    throw runtimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${TYPE_NAME[condition.dtype]}`);
  }
  return apply(ELEMENTWISE_OPS.where, [condition, asTensor(x), asTensor(y)], NONE);
}
export function maximum(a: Tensor, b: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.maximum, [a, b], { min: false });
}
export function minimum(a: Tensor, b: Tensor): Tensor {
  return apply(ELEMENTWISE_OPS.maximum, [a, b], { min: true });
}
/** t.to(dtype): t itself when the dtype is already right, else a copy (ToCopyBackward0). */
export function to(a: Tensor, dtype: DType): Tensor {
  if (a.dtype === dtype) return a;
  return toCopyOf(a, dtype);
}
function toCopyOf(a: Tensor, dtype: DType): Tensor {
  // integer and bool results cannot carry a gradient: the copy has no history, as in PyTorch
  if (!isFloating(dtype)) return toCopyRaw(a, dtype);
  return apply(ELEMENTWISE_OPS.toCopy, [a], { dtype });
}

const NOT_IMPLEMENTED = defineOp<{ name: string }>({
  gradFn: 'NotImplemented',
  forward: () => {
    throw runtimeError('NotImplemented has no forward');
  },
  backward: (g, { attrs }) => {
    void g;
    throw runtimeError(`the derivative for '${attrs.name}' is not implemented.`);
  },
});
const ZERO_GRAD = defineOp<{ name: string }>({
  gradFn: (a) => a.name,
  forward: () => {
    throw runtimeError('zero-gradient nodes have no forward');
  },
  backward: (g, { inputMeta: [m] }) => [fullLike(m.shape, floatDType(g.dtype), 0)],
});

/** A result PyTorch gives grad_fn NotImplemented (backward through it is an error). */
function notDifferentiable(out: Tensor, inputs: readonly Tensor[], name: string): Tensor {
  return recordNamed(NOT_IMPLEMENTED, inputs, { name }, out);
}
/** A result whose gradient is zero (sign, floor, round). */
export function notDifferentiableZeroGrad(out: Tensor, input: Tensor, name: string): Tensor {
  return recordNamed(ZERO_GRAD, [input], { name }, out);
}
function recordNamed<A>(def: typeof NOT_IMPLEMENTED | typeof ZERO_GRAD, inputs: readonly Tensor[], attrs: A & { name: string }, out: Tensor): Tensor {
  if (!isFloating(out.dtype)) return out;
  return record(def, inputs, attrs, out);
}

export function checkBoolSub(a: Tensor, b: Tensor): void {
  if (a.dtype === 'bool' && b.dtype === 'bool') {
    throw runtimeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.',
    );
  }
}
