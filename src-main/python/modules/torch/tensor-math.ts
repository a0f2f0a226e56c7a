// Tensor methods that compute: arithmetic (with alpha=), reductions (sum, mean, prod, max, min,
// argmax, any, all, sort, topk), elementwise math, comparisons, clamp, and in-place forms.
import { isFloating, Tensor, type ScalarLike } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import type { MethodImpl } from '../../values';
import { valuesAndIndices } from './return-types';
import { asTensor, bindArgs, boolArg, intArg, operand, reductionArgs, scalarArg, type Operand } from './values';

function otherArg(cx: Context, name: string, v: Value | undefined): Operand {
  if (v === undefined) throw typeError(`${name}() missing 1 required positional arguments: "other"`);
  const x = operand(v);
  if (x === undefined) throw typeError(`${name}(): argument 'other' (position 1) must be Tensor, not ${typeName(cx, v)}`);
  return x;
}

/**
 * add/sub(other, alpha=s), in place or not: self + s * other (sub: self - s * other), as ATen
 * computes it — one AddBackward0/SubBackward0 node and one fused multiply-add per element.
 */
function withAlpha(cx: Context, name: string, t: Tensor, args: Value[], kwargs: Kwargs, inPlace: boolean, subtract: boolean): Tensor {
  const a = bindArgs(name, args, kwargs, ['other', 'alpha']);
  const o = otherArg(cx, name, a.other);
  const kind = subtract ? 'sub' : 'add';
  if (a.alpha === undefined) return inPlace ? ops.inplaceBinary(t, o, kind) : subtract ? t.sub(o) : t.add(o);
  if (scalarArg(a.alpha) === undefined) throw typeError(`${name}(): argument 'alpha' must be Number, not ${typeName(cx, a.alpha)}`);
  const other = o instanceof Tensor ? o : ops.scalarTensor(o);
  if (typeof a.alpha === 'number' && !isFloating(ops.resultTypeOf(t, other))) {
    throw new PyException('RuntimeError', 'For integral input tensors, argument alpha must not be a floating point number.');
  }
  const alpha = Number(a.alpha);
  return inPlace ? ops.inplaceBinary(t, other, kind, alpha) : ops.addScaled(t, other, alpha, subtract);
}

function binary(name: string, f: (t: Tensor, o: Operand) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => f(t, otherArg(cx, name, bindArgs(name, args, kwargs, ['other']).other));
}

function unary(name: string, f: (t: Tensor) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs) => {
    bindArgs(name, args, kwargs, []);
    return f(t);
  };
}

/** x.max() / x.max(dim, keepdim) / x.max(other) (and min). */
function maxMethod(min: boolean): MethodImpl {
  const name = min ? 'min' : 'max';
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim', 'keepdim']);
    if (a.dim instanceof Tensor) return min ? ops.minimum(t, a.dim) : ops.maximum(t, a.dim);
    if (a.dim === undefined) {
      if (a.keepdim !== undefined) throw typeError(`${name}() received an invalid combination of arguments - got (keepdim=bool), but expected one of: dim`);
      return ops.max(t, min);
    }
    const r = ops.maxDim(t, intArg(cx, a.dim, `${name}(): argument 'dim'`), boolArg(cx, a.keepdim, false), min);
    return valuesAndIndices(name, r);
  };
}

function argMethod(min: boolean): MethodImpl {
  const name = min ? 'argmin' : 'argmax';
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim', 'keepdim']);
    const dim = a.dim === undefined || a.dim === null ? null : intArg(cx, a.dim, `${name}(): argument 'dim'`);
    return ops.argmax(t, dim, boolArg(cx, a.keepdim, false), min);
  };
}

function anyAllMethod(kind: 'any' | 'all'): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(kind, args, kwargs, ['dim', 'keepdim']);
    const dim = a.dim === undefined || a.dim === null ? null : intArg(cx, a.dim, `${kind}(): argument 'dim'`);
    return ops.anyAll(t, kind, dim, boolArg(cx, a.keepdim, false));
  };
}

function bound(cx: Context, v: Value | undefined, name: string): ScalarLike | null {
  if (v === undefined || v === null) return null;
  const s = scalarArg(v);
  if (s === undefined) throw typeError(`clamp(): argument '${name}' must be Number, not ${typeName(cx, v)}`);
  return s;
}

/** clamp(min=None, max=None): numbers, or tensors (ClampBackward0). */
function clampOf(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context, name = 'clamp'): Tensor {
  const a = bindArgs(name, args, kwargs, ['min', 'max']);
  if (a.min instanceof Tensor || a.max instanceof Tensor) {
    const lo = a.min === undefined || a.min === null ? null : asTensor(cx, a.min, name, 'min');
    const hi = a.max === undefined || a.max === null ? null : asTensor(cx, a.max, name, 'max');
    return ops.clampTensor(t, lo, hi);
  }
  return ops.clamp(t, bound(cx, a.min, 'min'), bound(cx, a.max, 'max'));
}

/** x.op_() for the ops without their own in-place kernel: the result written back into x. */
function inPlace(method: MethodImpl): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => ops.inplaceFrom(t, (self) => method(self, args, kwargs, cx) as Tensor);
}

const MATH: Record<string, MethodImpl> = {
  sum: (t: Tensor, args, kwargs, cx) => {
    const { dims, keepdim, dtype } = reductionArgs(cx, 'sum', args, kwargs);
    return ops.sum(t, dims, keepdim, dtype);
  },
  mean: (t: Tensor, args, kwargs, cx) => {
    const { dims, keepdim, dtype } = reductionArgs(cx, 'mean', args, kwargs);
    return ops.mean(t, dims, keepdim, dtype);
  },
  prod: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('prod', args, kwargs, ['dim', 'keepdim']);
    return ops.prod(t, a.dim === undefined || a.dim === null ? null : intArg(cx, a.dim, "prod(): argument 'dim'"), boolArg(cx, a.keepdim, false));
  },
  max: maxMethod(false),
  min: maxMethod(true),
  argmax: argMethod(false),
  argmin: argMethod(true),
  any: anyAllMethod('any'),
  all: anyAllMethod('all'),
  sort: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('sort', args, kwargs, ['dim', 'descending', 'stable']);
    return valuesAndIndices('sort', ops.sort(t, a.dim === undefined ? -1 : intArg(cx, a.dim, "sort(): argument 'dim'"), boolArg(cx, a.descending, false)));
  },
  topk: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('topk', args, kwargs, ['k', 'dim', 'largest', 'sorted']);
    if (a.k === undefined) throw typeError("topk() missing 1 required positional arguments: \"k\"");
    const dim = a.dim === undefined ? -1 : intArg(cx, a.dim, "topk(): argument 'dim'");
    return valuesAndIndices('topk', ops.topk(t, intArg(cx, a.k, "topk(): argument 'k'"), dim, boolArg(cx, a.largest, true)));
  },
  add: (t: Tensor, args, kwargs, cx) => withAlpha(cx, 'add', t, args, kwargs, false, false),
  sub: (t: Tensor, args, kwargs, cx) => withAlpha(cx, 'sub', t, args, kwargs, false, true),
  subtract: (t: Tensor, args, kwargs, cx) => withAlpha(cx, 'subtract', t, args, kwargs, false, true),
  mul: binary('mul', (t, o) => t.mul(o)),
  multiply: binary('multiply', (t, o) => t.mul(o)),
  div: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('div', args, kwargs, ['other', 'rounding_mode']);
    const o = otherArg(cx, 'div', a.other);
    if (a.rounding_mode === 'floor') return ops.floorDivide(t, o);
    if (a.rounding_mode === 'trunc') {
      const dtype = ops.resultTypeOf(t, ops.asTensor(o));
      const q = ops.rounding(t.div(o), 'trunc');
      return isFloating(dtype) ? q : ops.to(q, dtype);
    }
    if (a.rounding_mode !== undefined && a.rounding_mode !== null) {
      throw new PyException('RuntimeError', `div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(a.rounding_mode)}'`);
    }
    return t.div(o);
  },
  divide: binary('divide', (t, o) => t.div(o)),
  true_divide: binary('true_divide', (t, o) => t.div(o)),
  floor_divide: binary('floor_divide', (t, o) => ops.floorDivide(t, o)),
  remainder: binary('remainder', (t, o) => ops.remainder(t, o)),
  pow: (t: Tensor, args, kwargs, cx) => t.pow(otherArg(cx, 'pow', bindArgs('pow', args, kwargs, ['exponent']).exponent)),
  matmul: (t: Tensor, args, kwargs, cx) => t.matmul(asTensor(cx, bindArgs('matmul', args, kwargs, ['other']).other, 'matmul', 'other')),
  mm: (t: Tensor, args, kwargs, cx) => ops.mm(t, asTensor(cx, bindArgs('mm', args, kwargs, ['mat2']).mat2, 'mm', 'mat2')),
  dot: (t: Tensor, args, kwargs, cx) => {
    const o = asTensor(cx, bindArgs('dot', args, kwargs, ['other']).other, 'dot', 'other');
    if (t.dim() !== 1 || o.dim() !== 1) throw new PyException('RuntimeError', `1D tensors expected, but got ${t.dim()}D and ${o.dim()}D tensors`);
    return t.matmul(o);
  },
  exp: unary('exp', (t) => t.exp()),
  log: unary('log', (t) => t.log()),
  sqrt: unary('sqrt', (t) => t.sqrt()),
  abs: unary('abs', (t) => t.abs()),
  neg: unary('neg', (t) => t.neg()),
  negative: unary('negative', (t) => t.neg()),
  reciprocal: unary('reciprocal', (t) => t.reciprocal()),
  sin: unary('sin', ops.sin),
  cos: unary('cos', ops.cos),
  tanh: unary('tanh', ops.tanh),
  sigmoid: unary('sigmoid', ops.sigmoid),
  relu: unary('relu', ops.relu),
  square: unary('square', (t) => t.pow(2)),
  tan: unary('tan', (t) => ops.unaryMath(t, 'tan')),
  log2: unary('log2', (t) => ops.unaryMath(t, 'log2')),
  log10: unary('log10', (t) => ops.unaryMath(t, 'log10')),
  log1p: unary('log1p', (t) => ops.unaryMath(t, 'log1p')),
  expm1: unary('expm1', (t) => ops.unaryMath(t, 'expm1')),
  rsqrt: unary('rsqrt', (t) => ops.unaryMath(t, 'rsqrt')),
  trunc: unary('trunc', (t) => ops.rounding(t, 'trunc')),
  fix: unary('fix', (t) => ops.rounding(t, 'trunc')),
  fmod: binary('fmod', (t, o) => ops.fmod(t, o)),
  sign: unary('sign', ops.sign),
  round: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('round', args, kwargs, ['decimals']);
    return a.decimals === undefined ? ops.rounding(t, 'round') : ops.roundDecimals(t, intArg(cx, a.decimals, "round(): argument 'decimals'"));
  },
  floor: unary('floor', (t) => ops.rounding(t, 'floor')),
  ceil: unary('ceil', (t) => ops.rounding(t, 'ceil')),
  clamp: (t: Tensor, args, kwargs, cx) => clampOf(t, args, kwargs, cx),
  clip: (t: Tensor, args, kwargs, cx) => clampOf(t, args, kwargs, cx, 'clip'),
  clamp_min: (t: Tensor, args, kwargs, cx) => clampOf(t, args, kwargs, cx, 'clamp_min'),
  clamp_max: (t: Tensor, args, kwargs, cx) => clampOf(t, [null, ...args], kwargs, cx, 'clamp_max'),
  eq: binary('eq', (t, o) => ops.compare('eq', t, o)),
  ne: binary('ne', (t, o) => ops.compare('ne', t, o)),
  lt: binary('lt', (t, o) => ops.compare('lt', t, o)),
  le: binary('le', (t, o) => ops.compare('le', t, o)),
  gt: binary('gt', (t, o) => ops.compare('gt', t, o)),
  ge: binary('ge', (t, o) => ops.compare('ge', t, o)),
  isnan: unary('isnan', ops.isnan),
  isinf: unary('isinf', ops.isinf),
  isfinite: unary('isfinite', ops.isfinite),
  logical_not: unary('logical_not', ops.logicalNot),
  logical_and: binary('logical_and', (t, o) => ops.bitwise('and', ops.compare('ne', t, 0), ops.compare('ne', ops.asTensor(o), 0))),
  logical_or: binary('logical_or', (t, o) => ops.bitwise('or', ops.compare('ne', t, 0), ops.compare('ne', ops.asTensor(o), 0))),
  maximum: (t: Tensor, args, kwargs, cx) => ops.maximum(t, asTensor(cx, bindArgs('maximum', args, kwargs, ['other']).other, 'maximum', 'other')),
  minimum: (t: Tensor, args, kwargs, cx) => ops.minimum(t, asTensor(cx, bindArgs('minimum', args, kwargs, ['other']).other, 'minimum', 'other')),
  add_: (t: Tensor, args, kwargs, cx) => withAlpha(cx, 'add_', t, args, kwargs, true, false),
  sub_: (t: Tensor, args, kwargs, cx) => withAlpha(cx, 'sub_', t, args, kwargs, true, true),
  mul_: binary('mul_', (t, o) => t.mul_(o)),
  div_: binary('div_', (t, o) => t.div_(o)),
};

// x.exp_(), x.clamp_(0, 1), ...: every in-place twin of a method above computes then writes back
for (const name of ['exp', 'log', 'sqrt', 'abs', 'neg', 'reciprocal', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'square', 'sign', 'round', 'floor', 'ceil', 'trunc', 'clamp', 'clip', 'clamp_min', 'clamp_max', 'pow', 'remainder', 'floor_divide', 'fmod', 'tan', 'log2', 'log10', 'log1p', 'expm1', 'rsqrt']) {
  MATH[`${name}_`] = inPlace(MATH[name]);
}

export const MATH_METHODS: Readonly<Record<string, MethodImpl>> = MATH;
