// Statistics along a dimension: var and std (PyTorch's correction), cumsum, softmax,
// log_softmax and logsumexp. Float32 inputs are accumulated in double and rounded once where
// ATen's CPU kernels accumulate in double (var/std, cumsum); softmax keeps ATen's float32 steps.
import { runtimeError } from '../errors';
import { asNumbers, isFloating, TYPE_NAME } from '../dtype';
import type { DType, Storage } from '../dtype';
import { normalizeDim } from '../shape';
import { fma32 } from '../fma';
import { sleefExpf, sleefLogf } from '../sleef';
import type { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { compareElements, contiguous, floats, makeTensor, numbers, toDType } from './common';
import { arith, mapBinaryRaw, mapRaw, mulRaw, subRaw } from './elementwise-raw';
import { BinaryOp } from '../kernels';
import { mean, sumDType } from './reductions';
import { permuteRaw } from './views';

/** A tensor seen as outer x size x inner around one dim (row-major, contiguous values). */
interface Lanes {
  outer: number;
  size: number;
  inner: number;
  values: ArrayLike<number>;
}

function lanesOf(t: Tensor, dim: number): Lanes {
  const shape = t.shape;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  // (int64 lanes are read as numbers here; cumsum/cumprod take their exact int64 path before this)
  return { outer, size: shape.length === 0 ? 1 : shape[dim], inner, values: numbers(contiguous(t)) };
}

/** Calls f(start, stride) for every lane along dim: its elements are values[start + r * stride]. */
function forEachLane(l: Lanes, f: (start: number, stride: number, lane: number) => void): void {
  for (let o = 0; o < l.outer; o++) for (let k = 0; k < l.inner; k++) f(o * l.size * l.inner + k, l.inner, o * l.inner + k);
}

const roundFor = (dtype: DType): ((x: number) => number) => (dtype === 'float32' ? Math.fround : (x: number): number => x);

// ---------------------------------------------------------------------------------------------
// var / std

interface VarAttrs {
  /** reduced dims (sorted), null for all */
  dims: readonly number[] | null;
  correction: number;
  keepdim: boolean;
  std: boolean;
}

function reducedShape(shape: readonly number[], dims: readonly number[] | null, keepdim: boolean): number[] {
  if (dims === null) return keepdim ? shape.map(() => 1) : [];
  return keepdim ? shape.map((s, i) => (dims.includes(i) ? 1 : s)) : shape.filter((_, i) => !dims.includes(i));
}

/** Moves the reduced dims last and flattens them: rows of n values, one per output element. */
function rowsOf(a: Tensor, dims: readonly number[] | null): { rows: number; n: number; values: ArrayLike<number> } {
  // (int64 rows are read as numbers: var/std/norm/logsumexp refuse integers; amax/amin use rowElements)
  const { rows, n, values } = rowElements(a, dims);
  return { rows, n, values: asNumbers(values) };
}

/** rowsOf with the elements as they are stored (bigints for int64). */
function rowElements(a: Tensor, dims: readonly number[] | null): { rows: number; n: number; values: Storage } {
  if (dims === null) return { rows: 1, n: a.numel(), values: contiguous(a).data };
  const kept = a.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const moved = permuteRaw(a, [...kept, ...dims]);
  const n = dims.reduce((p, d) => p * a.shape[d], 1);
  return { rows: n === 0 ? 0 : a.numel() / n, n, values: contiguous(moved).data };
}

/** var (or std) of each row in double: ATen's std_var kernels accumulate in double and round once. */
function varianceRaw(a: Tensor, attrs: VarAttrs): Tensor {
  const { dims, correction, keepdim, std } = attrs;
  const out = makeTensor(a.dtype, reducedShape(a.shape, dims, keepdim));
  const { rows, n, values } = rowsOf(a, dims);
  // the whole-tensor kernel (std_var_all_cpu) takes the mean in the tensor's dtype first
  const wholeMean = dims === null && n > 0 ? mean(a, null, false).item() : null;
  const divisor = Math.max(0, n - correction);
  for (let r = 0; r < Math.max(rows, out.numel()); r++) {
    let m = wholeMean;
    if (m === null) {
      let s = 0;
      for (let i = 0; i < n; i++) s += values[r * n + i];
      m = s / n;
    }
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = values[r * n + i] - m;
      sq += d * d;
    }
    const v = sq / divisor;
    out.data[r] = std ? Math.sqrt(v) : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// softmax family (along one dim)

interface DimAttrs {
  dim: number;
}

/** ATen's softmax kernels take exp and log of float32 vectors with SLEEF's functions (engine/sleef.ts). */
const vectorExp = (dtype: DType): ((x: number) => number) => (dtype === 'float32' ? sleefExpf : Math.exp);
const vectorLog = (dtype: DType): ((x: number) => number) => (dtype === 'float32' ? sleefLogf : Math.log);

/**
 * ATen's vectorised softmax: exp(x - max) in the dtype, summed in order; along the last dim the
 * exps are multiplied by 1 / sum, along another dim divided by the sum. log_softmax gives
 * (x - max) - log(sum).
 */
function softmaxRaw(a: Tensor, dim: number, log: boolean): Tensor {
  const round = roundFor(a.dtype);
  const exp = vectorExp(a.dtype);
  const logOf = vectorLog(a.dtype);
  const l = lanesOf(a, dim);
  const out = makeTensor(a.dtype, a.shape);
  const o = floats(out);
  const lastDim = l.inner === 1;
  forEachLane(l, (start, stride) => {
    let max = -Infinity;
    for (let r = 0; r < l.size; r++) {
      const v = l.values[start + r * stride];
      if (v > max || v !== v) max = v;
    }
    let sum = 0;
    for (let r = 0; r < l.size; r++) {
      const e = round(exp(round(l.values[start + r * stride] - max)));
      if (!log) o[start + r * stride] = e;
      sum = round(sum + e);
    }
    if (log) {
      const logSum = round(logOf(sum));
      for (let r = 0; r < l.size; r++) o[start + r * stride] = round(round(l.values[start + r * stride] - max) - logSum);
    } else if (lastDim) {
      const inv = round(1 / sum);
      for (let r = 0; r < l.size; r++) o[start + r * stride] = round(o[start + r * stride] * inv);
    } else {
      for (let r = 0; r < l.size; r++) o[start + r * stride] = round(o[start + r * stride] / sum);
    }
  });
  return out;
}

/**
 * log_softmax's backward, g - exp(y) * sum(g) along dim; for float32 ATen's vector code is
 * compiled with the multiply and subtract fused into one rounding.
 */
function logSoftmaxBackward(g: Tensor, y: Tensor, dim: number): Tensor {
  const sums = laneSums(g, dim);
  const e = mapRaw(y, y.dtype, vectorExp(y.dtype));
  if (y.dtype !== 'float32' || g.dtype !== 'float32') return subRaw(g, mulRaw(e, sums));
  const out = makeTensor('float32', g.shape);
  const gd = floats(g);
  const ed = floats(e);
  const sd = floats(sums);
  const od = floats(out);
  for (let i = 0; i < od.length; i++) od[i] = fma32(-ed[i], sd[i], gd[i]);
  return out;
}

/** Sum of each lane along dim, broadcast back over it (for the softmax backward rules). */
function laneSums(t: Tensor, dim: number): Tensor {
  const l = lanesOf(t, dim);
  const round = roundFor(t.dtype);
  const out = makeTensor(t.dtype, t.shape);
  forEachLane(l, (start, stride) => {
    let s = 0;
    for (let r = 0; r < l.size; r++) s = round(s + l.values[start + r * stride]);
    for (let r = 0; r < l.size; r++) out.data[start + r * stride] = s;
  });
  return out;
}

/** How many nonzero elements each reduced row of t has, kept as size-1 dims (for sharing a gradient among ties). */
function laneCounts(t: Tensor, dims: readonly number[] | null): Tensor {
  const out = makeTensor(t.dtype, reducedShape(t.shape, dims, false));
  const { n, values } = rowsOf(t, dims);
  for (let r = 0; r < out.numel(); r++) {
    let c = 0;
    for (let i = 0; i < n; i++) if (values[r * n + i] !== 0) c++;
    out.data[r] = c;
  }
  return keepDims(out, t.shape, dims);
}

/** Cumulative sums along dim, accumulated in double (ATen's acc_type), rounded at each output. */
function cumsumRaw(a: Tensor, dim: number, reverse = false): Tensor {
  const dtype = sumDType(a.dtype);
  const x = toDType(a, dtype);
  if (dtype === 'int64') return scanInt64(x, dim, (s, v) => s + v, 0n);
  const round = roundFor(dtype);
  const l = lanesOf(x, dim);
  const out = makeTensor(dtype, a.shape);
  forEachLane(l, (start, stride) => {
    let s = 0;
    for (let i = 0; i < l.size; i++) {
      const r = reverse ? l.size - 1 - i : i;
      s += l.values[start + r * stride];
      out.data[start + r * stride] = round(s);
    }
  });
  return out;
}

/** cumsum / cumprod in int64: exact, each output wrapping to 64 bits as C's int64_t accumulates. */
function scanInt64(x: Tensor, dim: number, step: (acc: bigint, v: bigint) => bigint, start: bigint): Tensor {
  const values = x.data as BigInt64Array;
  const out = makeTensor('int64', x.shape);
  const od = out.data as BigInt64Array;
  const shape = x.shape;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape.length === 0 ? 1 : shape[dim];
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let acc = start;
      for (let r = 0; r < size; r++) {
        const at = o * size * inner + r * inner + k;
        acc = BigInt.asIntN(64, step(acc, values[at]));
        od[at] = acc;
      }
    }
  }
  return out;
}

/** Cumulative products along dim, accumulated in double (ATen's acc_type), rounded at each output. */
function cumprodRaw(a: Tensor, dim: number): Tensor {
  const dtype = sumDType(a.dtype);
  const round = roundFor(dtype);
  if (dtype === 'int64') return scanInt64(toDType(a, dtype), dim, (p, v) => p * v, 1n);
  const l = lanesOf(toDType(a, dtype), dim);
  const out = makeTensor(dtype, a.shape);
  forEachLane(l, (start, stride) => {
    let p = 1;
    for (let i = 0; i < l.size; i++) {
      p *= l.values[start + i * stride];
      out.data[start + i * stride] = round(p);
    }
  });
  return out;
}

/**
 * cumprod's backward: d out_k / d x_i is the product of x_0..x_k without x_i (k >= i), so
 * grad_i = sum over k >= i of g_k times that product, formed directly so zeros in x are exact.
 */
function cumprodBackwardRaw(g: Tensor, x: Tensor, dim: number): Tensor {
  const round = roundFor(g.dtype);
  const lx = lanesOf(x, dim);
  const gv = floats(contiguous(g));
  const out = makeTensor(g.dtype, x.shape);
  const od = floats(out);
  forEachLane(lx, (start, stride) => {
    for (let i = 0; i < lx.size; i++) {
      let withoutI = 1;
      for (let j = 0; j < i; j++) withoutI *= lx.values[start + j * stride];
      let total = 0;
      for (let k = i; k < lx.size; k++) {
        if (k > i) withoutI *= lx.values[start + k * stride];
        total += gv[start + k * stride] * withoutI;
      }
      od[start + i * stride] = round(total);
    }
  });
  return out;
}

/** logsumexp as ATen composes it: log(sum(exp(x - max))) + max, with an infinite max taken as 0. */
function logsumexpRaw(a: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const x = isFloating(a.dtype) ? a : toDType(a, 'float32');
  const round = roundFor(x.dtype);
  const out = makeTensor(x.dtype, reducedShape(x.shape, dims, keepdim));
  const { n, values } = rowsOf(x, dims);
  for (let r = 0; r < out.numel(); r++) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, values[r * n + i]);
    if (!Number.isFinite(max)) max = 0;
    let s = 0;
    for (let i = 0; i < n; i++) s = round(s + round(Math.exp(round(values[r * n + i] - max))));
    out.data[r] = round(round(Math.log(s)) + max);
  }
  return out;
}

/** Puts a reduced result's removed dims back as size 1 so it broadcasts against the input. */
function keepDims(t: Tensor, inputShape: readonly number[], dims: readonly number[] | null): Tensor {
  const shape = inputShape.map((s, i) => (dims === null || dims.includes(i) ? 1 : s));
  return t.reshape(shape);
}

export const STATISTICS_OPS = {
  variance: defineOp<VarAttrs>({
    gradFn: (a) => (a.std ? 'StdBackward0' : 'VarBackward0'),
    forward: ([a], attrs) => varianceRaw(a, attrs),
    save: () => ({ inputs: [true], output: true }),
    // var: grad * 2 / (N - correction) * (x - mean);  std: that times 1 / (2 * std) (0 where std is 0)
    backward: (g, { inputs: [a], output, attrs: { dims, correction, std } }) => {
      const n = dims === null ? a!.numel() : dims.reduce((p, d) => p * a!.shape[d], 1);
      const m = mean(a!, dims, true);
      let scale = keepDims(g, a!.shape, dims);
      if (std) {
        const s = keepDims(output!, a!.shape, dims);
        scale = mapBinaryRaw(scale, s, g.dtype, g.dtype, (gv, sv) => (sv === 0 ? 0 : gv / (2 * sv)));
      }
      const factor = arith(BinaryOp.Mul, scale, makeScalar(2 / Math.max(0, n - correction), g.dtype), g.dtype);
      return [mulRaw(factor, subRaw(a!, m))];
    },
  }),
  softmax: defineOp<DimAttrs & { log: boolean }>({
    gradFn: (a) => (a.log ? 'LogSoftmaxBackward0' : 'SoftmaxBackward0'),
    forward: ([a], { dim, log }) => softmaxRaw(a, dim, log),
    save: () => ({ output: true }),
    // softmax: y * (g - sum(g * y));  log_softmax: g - exp(y) * sum(g)
    backward: (g, { output, attrs: { dim, log } }) => {
      const y = output!;
      if (log) return [logSoftmaxBackward(g, y, dim)];
      return [mulRaw(y, subRaw(g, laneSums(mulRaw(g, y), dim)))];
    },
  }),
  cumsum: defineOp<DimAttrs>({
    gradFn: 'CumsumBackward0',
    forward: ([a], { dim }) => cumsumRaw(a, dim),
    // the sums of the gradient from the end back
    backward: (g, { attrs: { dim } }) => [cumsumRaw(g, dim, true)],
  }),
  cumprod: defineOp<DimAttrs>({
    gradFn: 'CumprodBackward0',
    forward: ([a], { dim }) => cumprodRaw(a, dim),
    save: () => ({ inputs: [true] }),
    backward: (g, { inputs: [a], attrs: { dim } }) => [cumprodBackwardRaw(g, a!, dim)],
  }),
  norm: defineOp<{ p: number; dims: readonly number[] | null; keepdim: boolean }>({
    gradFn: 'NormBackward1',
    forward: ([a], { p, dims, keepdim }) => normRaw(a, p, dims, keepdim),
    save: () => ({ inputs: [true], output: true }),
    // p = 2: grad * x / norm;  p = 1: grad * sign(x);  other p: grad * x * |x|^(p-2) / norm^(p-1);
    // inf: the gradient shared among the elements equal to the max (0 where the norm is 0)
    backward: (g, { inputs: [a], output, attrs: { p, dims } }) => {
      const x = a!;
      const gk = keepDims(g, x.shape, dims);
      const nk = keepDims(output!, x.shape, dims);
      if (p === 1) return [mulRaw(gk, mapRaw(x, g.dtype, (v) => (v !== v ? v : Math.sign(v) + 0)))];
      if (p === Infinity) {
        const ties = mapBinaryRaw(x, nk, x.dtype, g.dtype, (v, m) => (Math.abs(v) === m && m !== 0 ? Math.sign(v) : 0));
        const count = laneCounts(ties, dims);
        return [mulRaw(gk, mapBinaryRaw(ties, count, g.dtype, g.dtype, (t, c) => (c === 0 ? 0 : t / c)))];
      }
      const scale = mapBinaryRaw(gk, nk, g.dtype, g.dtype, (gv, m) => (m === 0 ? 0 : gv / Math.pow(m, p - 1)));
      const dx = p === 2 ? x : mapRaw(x, g.dtype, (v) => v * Math.pow(Math.abs(v), p - 2));
      return [mulRaw(scale, dx)];
    },
  }),
  amax: defineOp<{ dims: readonly number[] | null; keepdim: boolean; min: boolean }>({
    gradFn: (a) => (a.min ? 'AminBackward0' : 'AmaxBackward0'),
    forward: ([a], { dims, keepdim, min }) => extremeRaw(a, dims, keepdim, min),
    save: () => ({ inputs: [true], output: true }),
    backward: (g, { inputs: [a], output, attrs: { dims } }) => [shareAmongTies(g, a!, output!, dims)],
  }),
  median: defineOp<Record<string, never>>({
    gradFn: 'MedianBackward0',
    forward: ([a]) => medianRaw(a),
    save: () => ({ inputs: [true], output: true }),
    backward: (g, { inputs: [a], output }) => [shareAmongTies(g, a!, output!, null)],
  }),
  logsumexp: defineOp<{ dims: readonly number[]; keepdim: boolean }>({
    gradFn: 'LogsumexpBackward0',
    forward: ([a], { dims, keepdim }) => logsumexpRaw(a, dims, keepdim),
    save: () => ({ inputs: [true], output: true }),
    // grad * exp(x - result)
    backward: (g, { inputs: [a], output, attrs: { dims } }) => [mulRaw(keepDims(g, a!.shape, dims), subRaw(a!, keepDims(output!, a!.shape, dims)).exp())],
  }),
};

/** The p-norm of each row in double, rounded once (p may be Infinity). */
function normRaw(a: Tensor, p: number, dims: readonly number[] | null, keepdim: boolean): Tensor {
  const out = makeTensor(a.dtype, reducedShape(a.shape, dims, keepdim));
  const { n, values } = rowsOf(a, dims);
  for (let r = 0; r < out.numel(); r++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(values[r * n + i]);
      if (p === Infinity) acc = v > acc || v !== v ? v : acc;
      else acc += p === 2 ? v * v : p === 1 ? v : Math.pow(v, p);
    }
    out.data[r] = p === Infinity || p === 1 ? acc : p === 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
  }
  return out;
}

/** The max (min) of each row over the reduced dims; NaN wins, as in ATen. */
function extremeRaw(a: Tensor, dims: readonly number[] | null, keepdim: boolean, min: boolean): Tensor {
  const out = makeTensor(a.dtype, reducedShape(a.shape, dims, keepdim));
  const { n, values } = rowElements(a, dims);
  const od = out.data as { [index: number]: number | bigint };
  for (let r = 0; r < out.numel(); r++) {
    let best = values[r * n];
    for (let i = 1; i < n && best === best; i++) {
      const v = values[r * n + i];
      if (v !== v || (min ? v < best : v > best)) best = v;
    }
    od[r] = best;
  }
  return out;
}

/** The lower median of all elements (NaN if there is one), as torch.median() without a dim. */
function medianRaw(a: Tensor): Tensor {
  const values: (number | bigint)[] = Array.from(contiguous(a).data as ArrayLike<number | bigint>);
  const out = makeTensor(a.dtype, []);
  const od = out.data as { [index: number]: number | bigint };
  if (values.some((v) => v !== v)) od[0] = NaN;
  else od[0] = values.sort(compareElements)[Math.floor((values.length - 1) / 2)];
  return out;
}

/** The gradient of a value picked from several elements: shared evenly among those equal to it. */
function shareAmongTies(g: Tensor, a: Tensor, picked: Tensor, dims: readonly number[] | null): Tensor {
  const ties = mapBinaryRaw(a, keepDims(picked, a.shape, dims), a.dtype, g.dtype, (v, m) => (v === m || (v !== v && m !== m) ? 1 : 0));
  const count = laneCounts(ties, dims);
  return mapBinaryRaw(mulRaw(keepDims(g, a.shape, dims), ties), count, g.dtype, g.dtype, (t, c) => t / c);
}

function makeScalar(v: number, dtype: DType): Tensor {
  const t = makeTensor(dtype, []);
  t.data[0] = v;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Public wrappers

function floatOnly(a: Tensor, what: string): void {
  if (!isFloating(a.dtype)) throw runtimeError(`${what} only support floating point and complex dtypes`);
}

function dimsOf(dim: number | readonly number[] | null, ndim: number): number[] | null {
  if (dim === null) return null;
  const list = typeof dim === 'number' ? [dim] : dim;
  return [...new Set(list.map((d) => normalizeDim(d, ndim)))].sort((x, y) => x - y);
}

/** t.var(dim=None, unbiased=True, keepdim=False) / correction=. */
export function variance(a: Tensor, dim: number | readonly number[] | null, correction: number, keepdim: boolean, std = false): Tensor {
  floatOnly(a, 'std and var');
  return apply(STATISTICS_OPS.variance, [a], { dims: dimsOf(dim, a.shape.length), correction, keepdim, std });
}

function softmaxDim(a: Tensor, dim: number, log: boolean, dtype?: DType): Tensor {
  const x = dtype && dtype !== a.dtype ? a.to(dtype) : a;
  if (!isFloating(x.dtype)) {
    throw runtimeError(`"${log ? 'log_softmax' : 'softmax'}_lastdim_kernel_impl" not implemented for '${TYPE_NAME[x.dtype]}'`);
  }
  return apply(STATISTICS_OPS.softmax, [x], { dim: x.shape.length === 0 ? 0 : normalizeDim(dim, x.shape.length), log });
}
export function softmax(a: Tensor, dim: number, dtype?: DType): Tensor {
  return softmaxDim(a, dim, false, dtype);
}
export function logSoftmax(a: Tensor, dim: number, dtype?: DType): Tensor {
  return softmaxDim(a, dim, true, dtype);
}

/** t.cumsum(dim): integers and bool accumulate into int64. */
export function cumsum(a: Tensor, dim: number, dtype?: DType): Tensor {
  const x = dtype && dtype !== a.dtype ? a.to(dtype) : a;
  return apply(STATISTICS_OPS.cumsum, [x], { dim: x.shape.length === 0 ? 0 : normalizeDim(dim, x.shape.length) });
}

/** t.cumprod(dim): integers and bool multiply into int64. */
export function cumprod(a: Tensor, dim: number, dtype?: DType): Tensor {
  const x = dtype && dtype !== a.dtype ? a.to(dtype) : a;
  return apply(STATISTICS_OPS.cumprod, [x], { dim: x.shape.length === 0 ? 0 : normalizeDim(dim, x.shape.length) });
}

/** t.norm(p, dim, keepdim) for a number p > 0 (Infinity included). */
export function norm(a: Tensor, p: number, dim: number | readonly number[] | null, keepdim: boolean): Tensor {
  if (!isFloating(a.dtype)) throw runtimeError(`norm(): input dtype should be either floating point or complex. Got ${TYPE_NAME[a.dtype]} instead.`);
  return apply(STATISTICS_OPS.norm, [a], { p, dims: dimsOf(dim, a.shape.length), keepdim });
}

/** t.amax(dim) / t.amin(dim): max (min) over dims, no indices; an empty dim list means all. */
export function amax(a: Tensor, dim: number | readonly number[] | null, keepdim: boolean, min = false): Tensor {
  const dims = dimsOf(dim, a.shape.length);
  const all = dims === null || dims.length === 0;
  if (a.numel() === 0 && all) throw runtimeError(`${min ? 'amin' : 'amax'}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  return apply(STATISTICS_OPS.amax, [a], { dims: all ? null : dims, keepdim, min });
}

/** t.median() without a dim: the lower of the two middle values (MedianBackward0). */
export function median(a: Tensor): Tensor {
  if (a.numel() === 0) {
    const out = makeTensor(a.dtype, []);
    out.data[0] = NaN;
    return out;
  }
  return apply(STATISTICS_OPS.median, [a], {});
}

export function logsumexp(a: Tensor, dim: number | readonly number[], keepdim: boolean): Tensor {
  return apply(STATISTICS_OPS.logsumexp, [a], { dims: dimsOf(dim, a.shape.length) ?? [], keepdim });
}
