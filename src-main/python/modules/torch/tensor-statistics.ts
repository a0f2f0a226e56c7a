// Tensor methods for statistics along dims: var and std (unbiased= / correction=), cumsum,
// softmax / log_softmax, logsumexp, norm, argsort, count_nonzero, amax / amin.
import type { Tensor } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { toFloat } from '../../args';
import type { Context, Kwargs, Value } from '../../context';
import { typeError } from '../../errors';
import { PyTuple, type MethodImpl } from '../../values';
import { bindArgs, boolArg, dimsArg, dtypeArg, intArg, notSupported } from './values';

/** var/std(dim=None, unbiased=True, keepdim=False, *, correction=None); a bool first argument is `unbiased`. */
function varianceMethod(std: boolean): MethodImpl {
  const name = std ? 'std' : 'var';
  return (t: Tensor, args, kwargs, cx) => {
    const positional = typeof args[0] === 'boolean' ? ['unbiased'] : ['dim', 'unbiased', 'keepdim'];
    const a = bindArgs(name, args, kwargs, [...positional, 'correction', ...(positional.length === 1 ? ['dim', 'keepdim'] : [])]);
    let correction = boolArg(cx, a.unbiased, true) ? 1 : 0;
    if (a.correction !== undefined && a.correction !== null) correction = intArg(cx, a.correction, `${name}(): argument 'correction'`);
    return ops.variance(t, dimsArg(cx, a.dim, name), correction, boolArg(cx, a.keepdim, false), std);
  };
}

function requiredDim(cx: Context, v: Value | undefined, name: string): number {
  if (v === undefined || v === null) {
    throw typeError(`${name}() received an invalid combination of arguments - got (), but expected one of:\n * (int dim, torch.dtype dtype)\n * (name dim, *, torch.dtype dtype)\n`);
  }
  return intArg(cx, v, `${name}(): argument 'dim'`);
}

function softmaxMethod(log: boolean): MethodImpl {
  const name = log ? 'log_softmax' : 'softmax';
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim', 'dtype']);
    const dim = requiredDim(cx, a.dim, name);
    const dtype = dtypeArg(cx, a.dtype);
    return log ? ops.logSoftmax(t, dim, dtype) : ops.softmax(t, dim, dtype);
  };
}

/** t.norm(p='fro', dim=None, keepdim=False): the p-norm (2 by default) of all elements or along dims. */
function norm(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context): Tensor {
  const a = bindArgs('norm', args, kwargs, ['p', 'dim', 'keepdim', 'dtype']);
  if (typeof a.p === 'string' && a.p !== 'fro') throw notSupported(cx, `norm(p='${a.p}')`);
  const p = a.p === undefined || a.p === null || a.p === 'fro' ? 2 : toFloat(cx, a.p);
  if (!(p > 0)) throw notSupported(cx, `norm(p=${String(p)})`);
  return ops.norm(t, p, dimsArg(cx, a.dim, 'norm'), boolArg(cx, a.keepdim, false));
}

/** amax/amin(dim=(), keepdim=False): the max (min) over dims without indices. */
function extremeMethod(min: boolean): MethodImpl {
  const name = min ? 'amin' : 'amax';
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim', 'keepdim']);
    return ops.amax(t, dimsArg(cx, a.dim, name), boolArg(cx, a.keepdim, false), min);
  };
}

/** t.unique(sorted=True, return_inverse=False, return_counts=False): the distinct values, sorted. */
function unique(t: Tensor, args: Value[], kwargs: Kwargs, cx: Context): Value {
  const a = bindArgs('unique', args, kwargs, ['sorted', 'return_inverse', 'return_counts', 'dim']);
  if (a.dim !== undefined && a.dim !== null) throw notSupported(cx, 'unique(dim=...)');
  const values: (number | bigint)[] = Array.from(ops.contiguousNoGrad(t).data as ArrayLike<number | bigint>);
  const distinct = [...new Set(values)].sort((x, y) => (x !== x ? 1 : y !== y ? -1 : x < y ? -1 : x > y ? 1 : 0));
  const position = new Map(distinct.map((v, i) => [v, i]));
  const output = ops.makeTensor(t.dtype, [distinct.length]);
  const out = output.data as { [index: number]: number | bigint };
  distinct.forEach((v, i) => (out[i] = v));
  const extras: Tensor[] = [];
  if (boolArg(cx, a.return_inverse, false)) {
    const inverse = ops.makeTensor('int64', t.shape);
    const inv = inverse.data as BigInt64Array;
    values.forEach((v, i) => (inv[i] = BigInt(position.get(v)!)));
    extras.push(inverse);
  }
  if (boolArg(cx, a.return_counts, false)) {
    const counts = ops.makeTensor('int64', [distinct.length]);
    const c = counts.data as BigInt64Array;
    for (const v of values) c[position.get(v)!] += 1n;
    extras.push(counts);
  }
  return extras.length === 0 ? output : new PyTuple([output, ...extras]);
}

export const STATISTICS_METHODS: Record<string, MethodImpl> = {
  var: varianceMethod(false),
  std: varianceMethod(true),
  cumsum: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('cumsum', args, kwargs, ['dim', 'dtype']);
    if (a.dim === undefined) throw typeError('cumsum() missing 1 required positional arguments: "dim"');
    return ops.cumsum(t, intArg(cx, a.dim, "cumsum(): argument 'dim'"), dtypeArg(cx, a.dtype));
  },
  softmax: softmaxMethod(false),
  log_softmax: softmaxMethod(true),
  logsumexp: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('logsumexp', args, kwargs, ['dim', 'keepdim']);
    const dims = dimsArg(cx, a.dim, 'logsumexp');
    if (dims === null) throw typeError('logsumexp() missing 1 required positional arguments: "dim"');
    return ops.logsumexp(t, dims, boolArg(cx, a.keepdim, false));
  },
  norm,
  argsort: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('argsort', args, kwargs, ['dim', 'descending', 'stable']);
    return ops.sort(t, a.dim === undefined ? -1 : intArg(cx, a.dim, "argsort(): argument 'dim'"), boolArg(cx, a.descending, false)).indices;
  },
  count_nonzero: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('count_nonzero', args, kwargs, ['dim']);
    return ops.sum(ops.compare('ne', t, 0), dimsArg(cx, a.dim, 'count_nonzero'), false);
  },
  unique,
  amax: extremeMethod(false),
  amin: extremeMethod(true),
};
