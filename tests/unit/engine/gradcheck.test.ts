// Finite-difference gradient check of every registered op (broadcasting included), plus a
// negative control: an op with a deliberately wrong backward rule must be caught.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OP_NAMES, Tensor, torch } from '../../../src-main/engine';
import { OPS, apply } from '../../../src-main/engine/ops';
import * as engineOps from '../../../src-main/engine/ops';
import type { OpDefinition } from '../../../src-main/engine/ops';
import { glibcErff } from '../../../src-main/engine/erff';

const ops = { ...engineOps, arangeLike: (n: number): Tensor => torch.arange(1, n + 1, 1, { dtype: 'float32' }) };

/** Deterministic pseudo-random values in [lo, hi). */
function values(n: number, seed: number, lo: number, hi: number): number[] {
  const out: number[] = [];
  let s = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(lo + ((s / 2147483648) * (hi - lo)));
  }
  return out;
}

function leaf(shape: number[], seed: number, lo = -2, hi = 2): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return torch.tensor(values(n, seed, lo, hi), { dtype: 'float32' }).reshape(shape).detach().requiresGrad_();
}

/**
 * Compares autograd's gradient of L = sum(f(x) * v) (v fixed random weights, so the whole
 * Jacobian is exercised) with central differences. Returns the worst relative error.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], h = 1e-2): number {
  const out0 = f(...inputs);
  const v = values(out0.numel(), 99, -1, 1);
  const weights = torch.tensor(v, { dtype: 'float32' }).reshape(out0.shape.slice());
  out0.mul(weights).sum().backward();
  const lossAt = (): number =>
    torch.noGrad(() => {
      const o = f(...inputs).data as ArrayLike<number>;
      let s = 0;
      for (let i = 0; i < o.length; i++) s += o[i] * v[i];
      return s;
    });
  let worst = 0;
  for (const x of inputs) {
    if (!x.requiresGrad) continue;
    // (only float tensors require grad)
    const xd = x.data as Float32Array | Float64Array;
    for (let i = 0; i < xd.length; i++) {
      const orig = xd[i];
      xd[i] = orig + h;
      const up = lossAt();
      xd[i] = orig - h;
      const down = lossAt();
      xd[i] = orig;
      const numeric = (up - down) / (2 * h);
      const analytic = x.grad ? (x.grad.data as Float32Array | Float64Array)[i] : 0;
      worst = Math.max(worst, Math.abs(numeric - analytic) / (1 + Math.abs(numeric)));
    }
  }
  return worst;
}

const TOLERANCE = 2e-2;

/** Class indices for the nll_loss checks (one row's target is class 2, the ignore_index of one case). */
const classTargets = torch.tensor([0, 2, 1, 1], { dtype: 'int64' });

/** One or more checks per registered op; shapes exercise broadcasting both ways. */
const CHECKS: Record<(typeof OP_NAMES)[number], { f: (...xs: Tensor[]) => Tensor; inputs: () => Tensor[] }[]> = {
  add: [
    { f: (a, b) => a.add(b), inputs: () => [leaf([2, 3], 1), leaf([3], 2)] },
    { f: (a, b) => a.add(b), inputs: () => [leaf([2, 1], 3), leaf([1, 3], 4)] },
    { f: (a, b) => a.add(b), inputs: () => [leaf([4], 5), leaf([], 6)] },
  ],
  sub: [{ f: (a, b) => a.sub(b), inputs: () => [leaf([3, 1], 7), leaf([2], 8)] }],
  rsub: [{ f: (a) => a.rsub(2.5), inputs: () => [leaf([3], 9)] }],
  mul: [
    { f: (a, b) => a.mul(b), inputs: () => [leaf([2, 3], 10), leaf([2, 1], 11)] },
    { f: (a) => a.mul(a), inputs: () => [leaf([3], 12)] },
    { f: (a, b) => ops.t(a).mul(b), inputs: () => [leaf([3, 2], 13), leaf([2, 3], 14)] },
  ],
  div: [{ f: (a, b) => a.div(b), inputs: () => [leaf([2, 3], 13), leaf([3], 14, 0.5, 2)] }],
  reciprocal: [{ f: (a) => a.reciprocal(), inputs: () => [leaf([4], 15, 0.5, 2)] }],
  neg: [{ f: (a) => a.neg(), inputs: () => [leaf([2, 2], 16)] }],
  pow: [
    { f: (a) => a.pow(2), inputs: () => [leaf([3], 17)] },
    { f: (a) => a.pow(3), inputs: () => [leaf([3], 18)] },
    { f: (a) => a.pow(0.5), inputs: () => [leaf([3], 19, 0.5, 2)] },
    { f: (a) => a.pow(-2), inputs: () => [leaf([3], 20, 0.5, 2)] },
    { f: (a) => a.pow(1.7), inputs: () => [leaf([3], 21, 0.5, 2)] },
  ],
  powTensor: [{ f: (a, b) => a.pow(b), inputs: () => [leaf([2, 3], 22, 0.5, 2), leaf([3], 23)] }],
  rpow: [{ f: (a) => a.rpow(1.5), inputs: () => [leaf([3], 24)] }],
  exp: [{ f: (a) => a.exp(), inputs: () => [leaf([2, 2], 25)] }],
  log: [{ f: (a) => a.log(), inputs: () => [leaf([4], 26, 0.5, 3)] }],
  sqrt: [{ f: (a) => a.sqrt(), inputs: () => [leaf([4], 27, 0.5, 3)] }],
  abs: [{ f: (a) => a.abs(), inputs: () => [leaf([5], 28)] }],
  sum: [
    { f: (a) => a.sum(), inputs: () => [leaf([2, 3], 29)] },
    { f: (a) => a.sum(1), inputs: () => [leaf([2, 3], 30)] },
    { f: (a) => a.sum(0, true), inputs: () => [leaf([2, 3], 31)] },
  ],
  mean: [
    { f: (a) => a.mean(), inputs: () => [leaf([2, 3], 32)] },
    { f: (a) => a.mean(-1, true), inputs: () => [leaf([2, 3], 33)] },
  ],
  squaredErrorMean: [
    { f: (a, b) => a.squaredErrorMean(b)!, inputs: () => [leaf([2, 3], 46), leaf([2, 3], 47)] },
    { f: (a, b) => a.squaredErrorMean(b)!, inputs: () => [leaf([40], 48), leaf([40], 49)] }, // WebAssembly kernels
  ],
  mm: [
    { f: (a, b) => a.matmul(b), inputs: () => [leaf([2, 3], 34), leaf([3, 2], 35)] },
    { f: (a, b) => ops.t(a).matmul(ops.t(b)), inputs: () => [leaf([3, 2], 34), leaf([4, 3], 35)] },
  ],
  mv: [{ f: (a, b) => a.matmul(b), inputs: () => [leaf([2, 3], 36), leaf([3], 37)] }],
  dot: [{ f: (a, b) => a.matmul(b), inputs: () => [leaf([3], 38), leaf([3], 39)] }],
  vm: [{ f: (a, b) => a.matmul(b), inputs: () => [leaf([3], 40), leaf([3, 2], 41)] }],
  addmm: [
    { f: (b, x, w) => ops.addmm(b, x, ops.t(w)), inputs: () => [leaf([3], 60), leaf([2, 4], 61), leaf([3, 4], 62)] },
    { f: (b, x, w) => ops.linear(x, w, b), inputs: () => [leaf([1, 3], 63), leaf([2, 4], 64), leaf([3, 4], 65)] },
  ],
  sin: [{ f: (a) => ops.sin(a), inputs: () => [leaf([2, 3], 66)] }],
  cos: [{ f: (a) => ops.cos(ops.t(a)), inputs: () => [leaf([2, 3], 67)] }],
  tanh: [{ f: (a) => ops.tanh(a), inputs: () => [leaf([4], 68)] }],
  sigmoid: [{ f: (a) => ops.sigmoid(a), inputs: () => [leaf([2, 2], 69)] }],
  leakyRelu: [
    { f: (a) => ops.leakyRelu(a, 0.2), inputs: () => [leaf([2, 3], 250)] },
    { f: (a) => ops.leakyRelu(a, -0.5), inputs: () => [leaf([18], 251)] },
  ],
  elu: [
    { f: (a) => ops.elu(a, 1), inputs: () => [leaf([2, 3], 252)] },
    // SELU's constants, 18 elements: the vector path (first 16) and the scalar tail
    { f: (a) => ops.elu(a, 1.6732632423543772, 1.0507009873554805, 1), inputs: () => [leaf([18], 253)] },
  ],
  gelu: [
    { f: (a) => ops.gelu(a, 'none'), inputs: () => [leaf([2, 9], 254, -3, 3)] },
    { f: (a) => ops.gelu(a, 'tanh'), inputs: () => [leaf([2, 3], 255, -3, 3)] },
  ],
  silu: [{ f: (a) => ops.silu(a), inputs: () => [leaf([17], 256, -4, 4)] }],
  relu: [{ f: (a) => ops.relu(a), inputs: () => [awayFrom(leaf([6], 70), [0])] }],
  clamp: [
    { f: (a) => ops.clamp(a, -0.5, 0.7), inputs: () => [awayFrom(leaf([8], 71), [-0.5, 0.7])] },
    { f: (a) => ops.clamp(a, 0.2, null), inputs: () => [awayFrom(leaf([5], 72), [0.2])] },
  ],
  clampTensor: [{ f: (a, lo) => ops.clampTensor(a, lo, null), inputs: () => [leaf([2, 3], 73), leaf([3], 74, -0.5, 0.5)] }],
  remainder: [
    { f: (a) => ops.remainder(a, 1.5), inputs: () => [awayFromMultiples(leaf([5], 75), 1.5)] },
    { f: (a, b) => ops.remainder(a, b), inputs: () => [leaf([4], 76, 0.3, 0.9), leaf([4], 77, 1.1, 2)] },
  ],
  where: [{ f: (a, b) => ops.where(ops.compare('gt', a, 0), a, b), inputs: () => [awayFrom(leaf([2, 3], 78), [0]), leaf([3], 79)] }],
  maximum: [
    { f: (a, b) => ops.maximum(a, b), inputs: () => [leaf([2, 3], 80), leaf([3], 81)] },
    { f: (a, b) => ops.minimum(a, b), inputs: () => [leaf([4], 82), leaf([4], 83)] },
  ],
  toCopy: [{ f: (a) => ops.to(a, 'float64').mul(2), inputs: () => [leaf([3], 84)] }],
  max: [
    { f: (a) => ops.max(a), inputs: () => [leaf([2, 3], 85)] },
    { f: (a) => ops.max(a, true), inputs: () => [leaf([5], 86)] },
  ],
  maxDim: [
    { f: (a) => ops.maxDim(a, 1, false).values, inputs: () => [leaf([3, 4], 87)] },
    { f: (a) => ops.maxDim(ops.t(a), 0, true, true).values, inputs: () => [leaf([3, 4], 88)] },
  ],
  prod: [
    { f: (a) => ops.prod(a, null, false), inputs: () => [leaf([4], 111, 0.5, 1.5)] },
    { f: (a) => ops.prod(a, 1, true), inputs: () => [leaf([2, 3], 112, 0.5, 1.5)] },
    { f: (a) => ops.prod(a, 0, false), inputs: () => [withZero(leaf([3, 2], 113, 0.5, 1.5))] },
  ],
  sortValues: [
    { f: (a) => ops.sort(a, 1, false).values.mul(ops.arangeLike(6).reshape([2, 3])), inputs: () => [leaf([2, 3], 114)] },
    { f: (a) => ops.topk(a, 2, 0, true).values.exp(), inputs: () => [leaf([4, 2], 115)] },
  ],
  view: [
    { f: (a) => a.reshape([3, 2]).mul(a.reshape([3, 2])), inputs: () => [leaf([2, 3], 42)] },
    { f: (a) => a.view([-1]), inputs: () => [leaf([2, 3], 43)] },
    { f: (a) => ops.view(ops.t(ops.view(a, [3, 4])), [2, 2, 3]).exp(), inputs: () => [leaf([12], 89)] },
  ],
  unsafeView: [{ f: (a) => ops.reshape(ops.t(a), [-1]).mul(ops.arangeLike(6)), inputs: () => [leaf([2, 3], 90)] }],
  t: [{ f: (a) => ops.t(a).mul(ops.arangeLike(6).reshape([3, 2])), inputs: () => [leaf([2, 3], 91)] }],
  transpose: [{ f: (a) => ops.transpose(a, 0, 2).exp(), inputs: () => [leaf([2, 3, 4], 92)] }],
  permute: [{ f: (a) => ops.permute(a, [1, 2, 0]).mul(ops.arangeLike(24).reshape([3, 4, 2])), inputs: () => [leaf([2, 3, 4], 93)] }],
  expand: [
    { f: (a) => ops.expand(a, [2, 3, 4]).exp(), inputs: () => [leaf([3, 1], 94)] },
    { f: (a) => ops.expand(ops.unsqueeze(a, 0), [3, 2]).mul(ops.arangeLike(6).reshape([3, 2])), inputs: () => [leaf([2], 95)] },
  ],
  squeeze: [
    { f: (a) => ops.squeeze(a).exp(), inputs: () => [leaf([2, 1, 3], 96)] },
    { f: (a) => ops.squeeze(a, 1).exp(), inputs: () => [leaf([2, 1, 3], 97)] },
  ],
  unsqueeze: [{ f: (a) => ops.unsqueeze(a, 1).mul(ops.arangeLike(6).reshape([2, 1, 3])), inputs: () => [leaf([2, 3], 98)] }],
  select: [
    { f: (a) => a.index(1).mul(a.index(-1)), inputs: () => [leaf([3, 2], 44)] },
    { f: (a) => ops.select(a, 1, 2).exp(), inputs: () => [leaf([2, 3], 99)] },
    { f: (a) => ops.unbind(a, 1)[0].mul(ops.unbind(a, 1)[2]), inputs: () => [leaf([2, 3], 100)] },
  ],
  slice: [
    { f: (a) => a.sliceRows(1, 3).mul(a.sliceRows(0, 2)), inputs: () => [leaf([4, 2], 45)] },
    { f: (a) => a.sliceRows(2, 9).sum().add(a.sliceRows(3, 1).sum()), inputs: () => [leaf([5], 46)] },
    { f: (a) => ops.slice(a, 1, null, null, 2).exp(), inputs: () => [leaf([2, 5], 101)] },
    { f: (a) => ops.narrow(a, 0, 1, 2).exp(), inputs: () => [leaf([4, 2], 102)] },
  ],
  clone: [
    { f: (a) => a.clone().mul(2), inputs: () => [leaf([3], 45)] },
    { f: (a) => ops.contiguous(ops.t(a)).exp(), inputs: () => [leaf([2, 3], 103)] },
  ],
  index: [
    { f: (a) => ops.getItem(a, [{ kind: 'tensor', tensor: torch.tensor([2, 0, 2]) }], false).exp(), inputs: () => [leaf([3, 2], 104)] },
    { f: (a) => ops.getItem(a, [{ kind: 'tensor', tensor: torch.tensor([[true, false, true], [false, true, true]]) }], false).exp(), inputs: () => [leaf([2, 3], 105)] },
    {
      f: (a) => ops.getItem(a, [{ kind: 'slice', start: null, stop: null, step: null }, { kind: 'tensor', tensor: torch.tensor([1, 0]) }], true).exp(),
      inputs: () => [leaf([2, 3], 106)],
    },
  ],
  cat: [{ f: (a, b) => ops.cat([a, ops.t(b)], 1).exp(), inputs: () => [leaf([2, 3], 107), leaf([4, 2], 108)] }],
  stack: [{ f: (a, b) => ops.stack([a, b], 1).exp(), inputs: () => [leaf([2, 3], 109), leaf([2, 3], 110)] }],
  mseLoss: [
    { f: (a, b) => ops.mseLoss(a, b, 'mean'), inputs: () => [leaf([2, 3], 111), leaf([2, 3], 112)] },
    { f: (a, b) => ops.mseLoss(a, b, 'sum'), inputs: () => [leaf([5], 113), leaf([5], 114)] },
    { f: (a, b) => ops.mseLoss(ops.t(a), b, 'none'), inputs: () => [leaf([3, 2], 115), leaf([2, 3], 116)] },
    { f: (a, b) => ops.mseLoss(a, b, 'mean'), inputs: () => [leaf([40], 117), leaf([40], 118)] },
  ],
  unaryMath: [
    { f: (a) => ops.unaryMath(a, 'tan'), inputs: () => [leaf([2, 3], 130, -1, 1)] },
    { f: (a) => ops.unaryMath(ops.t(a), 'log2'), inputs: () => [leaf([2, 3], 131, 0.5, 2)] },
    { f: (a) => ops.unaryMath(a, 'log10'), inputs: () => [leaf([4], 132, 0.5, 2)] },
    { f: (a) => ops.unaryMath(a, 'log1p'), inputs: () => [leaf([4], 133, 0, 2)] },
    { f: (a) => ops.unaryMath(a, 'expm1'), inputs: () => [leaf([4], 134)] },
    { f: (a) => ops.unaryMath(a, 'rsqrt'), inputs: () => [leaf([4], 135, 0.5, 2)] },
  ],
  fmod: [
    { f: (a) => ops.fmod(a, 0.7), inputs: () => [leaf([2, 3], 136, 0.1, 0.6)] },
    { f: (a, b) => ops.fmod(a, b), inputs: () => [leaf([2, 3], 137, 0.1, 0.6), leaf([3], 138, 1, 2)] },
  ],
  rearrange: [
    { f: (a) => ops.repeat(a, [2, 1, 2]).mul(ops.arangeLike(24).reshape([2, 2, 6])), inputs: () => [leaf([2, 3], 139)] },
    { f: (a) => ops.flip(ops.t(a), [0]).mul(ops.arangeLike(6).reshape([3, 2])), inputs: () => [leaf([2, 3], 140)] },
    { f: (a) => ops.roll(a, [1, -1], [0, 1]).mul(ops.arangeLike(6).reshape([2, 3])), inputs: () => [leaf([2, 3], 141)] },
    { f: (a) => ops.triangle(a, false, 0).exp(), inputs: () => [leaf([3, 3], 142)] },
    { f: (a) => ops.triangle(ops.t(a), true, 1).exp(), inputs: () => [leaf([3, 3], 143)] },
    { f: (a) => ops.indexSelectTensor(a, 0, torch.tensor([2, 0, 2])).exp(), inputs: () => [leaf([3, 2], 144)] },
    { f: (a) => ops.gather(a, 1, torch.tensor([[0, 0], [2, 1]])).exp(), inputs: () => [leaf([2, 3], 145)] },
    { f: (a) => ops.maskedFill(a, ops.compare('gt', a, 0), 0.5).exp(), inputs: () => [leaf([2, 3], 146)] },
    { f: (a) => ops.cumulativeExtremum(a, 1, true).values.exp(), inputs: () => [leaf([3, 4], 230)] },
    { f: (a) => ops.cumulativeExtremum(ops.t(a), 0, false).values.exp(), inputs: () => [leaf([3, 4], 231)] },
    { f: (a) => ops.indexFill(a, 1, torch.tensor([2, 0, 2]), -1.5).exp(), inputs: () => [leaf([2, 3], 232)] },
    { f: (a) => ops.diag(a).exp(), inputs: () => [leaf([3, 3], 147)] },
    { f: (a) => ops.diag(a, -1).exp(), inputs: () => [leaf([3], 148)] },
  ],
  variance: [
    { f: (a) => ops.variance(a, null, 1, false), inputs: () => [leaf([2, 3], 149)] },
    { f: (a) => ops.variance(ops.t(a), 1, 0, true, true), inputs: () => [leaf([3, 4], 150)] },
    { f: (a) => ops.variance(a, [0, 2], 1, false, true), inputs: () => [leaf([2, 3, 2], 151)] },
  ],
  softmax: [
    { f: (a) => ops.softmax(a, 1).mul(ops.arangeLike(6).reshape([2, 3])), inputs: () => [leaf([2, 3], 152)] },
    { f: (a) => ops.softmax(ops.t(a), 0).mul(ops.arangeLike(6).reshape([3, 2])), inputs: () => [leaf([2, 3], 153)] },
    { f: (a) => ops.logSoftmax(a, 0).mul(ops.arangeLike(6).reshape([2, 3])), inputs: () => [leaf([2, 3], 154)] },
  ],
  cumsum: [
    { f: (a) => ops.cumsum(a, 1).exp(), inputs: () => [leaf([2, 3], 155, -0.5, 0.5)] },
    { f: (a) => ops.cumsum(ops.t(a), 0).exp(), inputs: () => [leaf([2, 3], 156, -0.5, 0.5)] },
  ],
  norm: [
    { f: (a) => ops.norm(a, 2, null, false), inputs: () => [leaf([2, 3], 157)] },
    { f: (a) => ops.norm(ops.t(a), 1, 1, true), inputs: () => [leaf([2, 3], 158)] },
    { f: (a) => ops.norm(a, 3, 0, false), inputs: () => [leaf([2, 3], 159)] },
    { f: (a) => ops.norm(a, Infinity, 1, false), inputs: () => [leaf([2, 3], 160)] },
  ],
  amax: [
    { f: (a) => ops.amax(a, 1, false), inputs: () => [leaf([2, 3], 164)] },
    { f: (a) => ops.amax(ops.t(a), null, false, true), inputs: () => [leaf([2, 3], 165)] },
  ],
  median: [{ f: (a) => ops.median(ops.t(a)), inputs: () => [leaf([2, 3], 166)] }],
  logsumexp: [
    { f: (a) => ops.logsumexp(a, 1, false), inputs: () => [leaf([2, 3], 161)] },
    { f: (a) => ops.logsumexp(ops.t(a), [0, 1], true), inputs: () => [leaf([2, 3], 162)] },
  ],
  binaryCrossEntropy: [
    { f: (a, b) => ops.binaryCrossEntropy(a, b, 'mean'), inputs: () => [leaf([2, 3], 164, 0.1, 0.9), leaf([2, 3], 165, 0.05, 0.95)] },
    { f: (a, b) => ops.binaryCrossEntropy(a, b, 'sum'), inputs: () => [leaf([5], 166, 0.1, 0.9), leaf([5], 167, 0.05, 0.95)] },
    { f: (a, b) => ops.binaryCrossEntropy(ops.t(a), b, 'none').mul(ops.arangeLike(6).reshape([2, 3])), inputs: () => [leaf([3, 2], 168, 0.1, 0.9), leaf([2, 3], 169, 0.05, 0.95)] },
  ],
  binaryCrossEntropyWithLogits: [
    { f: (a, b) => ops.binaryCrossEntropyWithLogits(a, b, 'mean'), inputs: () => [leaf([2, 3], 180), leaf([2, 3], 181, 0, 1)] },
    { f: (a, b) => ops.binaryCrossEntropyWithLogits(a, b, 'sum', null, torch.tensor([0.5, 2, 3], { dtype: 'float32' })), inputs: () => [leaf([2, 3], 182), leaf([2, 3], 183, 0, 1)] },
    { f: (a, b) => ops.binaryCrossEntropyWithLogits(ops.t(a), b, 'none', torch.tensor([1, 2, 0.5], { dtype: 'float32' })), inputs: () => [leaf([3, 2], 184), leaf([2, 3], 185, 0, 1)] },
  ],
  nllLoss: [
    { f: (a) => ops.nllLoss(ops.logSoftmax(a, 1), classTargets, 'mean'), inputs: () => [leaf([4, 3], 186)] },
    { f: (a) => ops.nllLoss(a, classTargets, 'sum', torch.tensor([0.5, 2, 1.5], { dtype: 'float32' })), inputs: () => [leaf([4, 3], 187)] },
    { f: (a) => ops.nllLoss(a, classTargets, 'none', null, 2), inputs: () => [leaf([4, 3], 188)] },
    { f: (a) => ops.nllLoss(a, torch.tensor(1, { dtype: 'int64' }), 'mean'), inputs: () => [leaf([3], 189)] },
  ],
  cumprod: [
    { f: (a) => ops.cumprod(a, 1), inputs: () => [leaf([2, 3], 170, 0.5, 1.5)] },
    { f: (a) => ops.cumprod(ops.t(a), 0), inputs: () => [withZero(leaf([2, 3], 171, 0.5, 1.5))] },
  ],
  addcmul: [
    { f: (s, a, b) => ops.addcmul(s, a, b, 0.5), inputs: () => [leaf([2, 3], 172), leaf([3], 173), leaf([2, 1], 174)] },
    { f: (s, a, b) => ops.addcmul(s, ops.t(a), b, -2), inputs: () => [leaf([], 175), leaf([3, 2], 176), leaf([2, 3], 177)] },
  ],
  addcdiv: [
    { f: (s, a, b) => ops.addcdiv(s, a, b, 0.5), inputs: () => [leaf([2, 3], 178), leaf([3], 179), leaf([2, 1], 180, 0.5, 2)] },
    { f: (s, a, b) => ops.addcdiv(s, ops.t(a), b, -2), inputs: () => [leaf([3], 181), leaf([3, 2], 182), leaf([2, 3], 183, 0.5, 2)] },
  ],
  lerp: [
    { f: (a, b) => ops.lerp(a, b, 0.25), inputs: () => [leaf([2, 3], 184), leaf([3], 185)] },
    { f: (a, b) => ops.lerp(a, b, 0.75), inputs: () => [leaf([3], 186), leaf([2, 3], 187)] },
    { f: (a, b, w) => ops.lerp(ops.t(a), b, w), inputs: () => [leaf([3, 2], 188), leaf([2, 3], 189), leaf([3], 190, 0, 1)] },
  ],
  scatter: [
    { f: (a, b) => ops.scatter(a, 1, torch.tensor([[2, 0], [1, 2]], { dtype: 'int64' }), b), inputs: () => [leaf([2, 3], 191), leaf([2, 2], 192)] },
    { f: (a, b) => ops.scatter(a, 0, torch.tensor([[1, 0, 1]], { dtype: 'int64' }), ops.t(b), true), inputs: () => [leaf([2, 3], 193), leaf([3, 2], 194)] },
  ],
  indexPlace: [
    { f: (a, b) => ops.indexAdd(a, 0, torch.tensor([2, 0, 2]), b, 0.75), inputs: () => [leaf([3, 2], 233), leaf([3, 2], 234)] },
    { f: (a, b) => ops.indexAdd(a, 0, torch.tensor([1, 1]), b, -2), inputs: () => [leaf([3], 235), leaf([2], 236)] },
    { f: (a, b) => ops.indexCopy(ops.t(a), 1, torch.tensor([2, 0]), b), inputs: () => [leaf([3, 2], 237), leaf([2, 2], 238)] },
  ],
  indexFillTensor: [
    { f: (a, v) => ops.indexFill(a, 0, torch.tensor([1, 1, 0]), v).exp(), inputs: () => [leaf([3, 2], 239), leaf([], 240)] },
  ],
  bmm: [
    { f: (a, b) => ops.bmm(a, b), inputs: () => [leaf([2, 2, 3], 195), leaf([2, 3, 2], 196)] },
    { f: (a, b) => ops.bmm(ops.transpose(a, 1, 2), b), inputs: () => [leaf([2, 3, 2], 197), leaf([2, 3, 4], 198)] },
  ],
  addScaled: [
    { f: (a, b) => ops.addScaled(a, b, -0.3, false), inputs: () => [leaf([2, 3], 122), leaf([3], 123)] },
    { f: (a, b) => ops.addScaled(a, b, 2.5, true), inputs: () => [leaf([2, 1], 124), leaf([1, 3], 125)] },
    { f: (a, b) => ops.addScaled(ops.t(a), b, 0.7, true), inputs: () => [leaf([3, 2], 126), leaf([], 127)] },
  ],
};

/** Sets the first element to exactly 0 (prod's gradient there is the product of the others). */
function withZero(t: Tensor): Tensor {
  t.data[0] = 0;
  return t;
}

/** Moves elements within 0.15 of a kink (where the derivative jumps) out of the way. */
function awayFrom(t: Tensor, kinks: number[]): Tensor {
  const d = t.data as Float32Array | Float64Array;
  for (let i = 0; i < d.length; i++) for (const k of kinks) if (Math.abs(d[i] - k) < 0.15) d[i] = k + 0.3;
  return t;
}
function awayFromMultiples(t: Tensor, step: number): Tensor {
  const d = t.data as Float32Array | Float64Array;
  for (let i = 0; i < d.length; i++) {
    const r = ((d[i] % step) + step) % step;
    if (r < 0.15 || r > step - 0.15) d[i] += 0.4;
  }
  return t;
}

describe('finite-difference gradient check', () => {
  it('has checks for every registered op', () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...OP_NAMES].sort());
  });
  for (const name of OP_NAMES) {
    CHECKS[name].forEach((check, k) => {
      it(`${name} #${k + 1}`, () => {
        expect(gradcheck(check.f, check.inputs())).toBeLessThan(TOLERANCE);
      });
    });
  }

  it('negative control: a wrong backward rule (mul returning grad*self for self) is caught', () => {
    const wrongMul: OpDefinition<Record<string, never>> = {
      ...OPS.mul,
      backward: (g, ctx) => {
        const self = ctx.inputs[0]!;
        // bug on purpose: d(self*other)/dself is other, this uses self
        return [ctx.needs[0] ? g.mul(self) : null, null];
      },
      save: () => ({ inputs: [true, true] }),
    };
    const f = (a: Tensor, b: Tensor): Tensor => apply(wrongMul, [a, b], {});
    const inputs = [leaf([3], 46), leaf([3], 47)];
    inputs[1].requiresGrad_(false);
    expect(gradcheck(f, inputs)).toBeGreaterThan(0.1);
    // and the real rule passes on the very same inputs
    const inputs2 = [leaf([3], 46), leaf([3], 47)];
    inputs2[1].requiresGrad_(false);
    expect(gradcheck((a, b) => a.mul(b), inputs2)).toBeLessThan(TOLERANCE);
  });

  // Each backward added for the learners' next programs, with one deliberate mistake: gradcheck must catch it.
  const WRONG_RULES: { name: string; op: OpDefinition<never>; wrong: OpDefinition<never>['backward']; f: (op: OpDefinition<never>, ...xs: Tensor[]) => Tensor; inputs: () => Tensor[] }[] = [
    {
      name: 'cumprod without the earlier factors (plain reversed cumsum)',
      op: OPS.cumprod as OpDefinition<never>,
      wrong: (g, { attrs }) => [engineOps.cumsum(engineOps.flip(g, [(attrs as { dim: number }).dim]), (attrs as { dim: number }).dim)],
      f: (op, a) => apply(op, [a], { dim: 1 } as never),
      inputs: () => [leaf([2, 3], 200, 0.5, 1.5)],
    },
    {
      name: 'addcmul giving t1 the gradient of t2',
      op: OPS.addcmul as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [s, a, b] = OPS.addcmul.backward(g, ctx as never);
        return [s, b, a];
      },
      f: (op, s, a, b) => apply(op, [s, a, b], { value: 2 } as never),
      inputs: () => [leaf([3], 201), leaf([3], 202, 2, 4), leaf([3], 203, -0.5, 0.5)],
    },
    {
      name: 'addcdiv without the minus sign for t2',
      op: OPS.addcdiv as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [s, a, b] = OPS.addcdiv.backward(g, ctx as never);
        return [s, a, b ? b.neg() : null];
      },
      f: (op, s, a, b) => apply(op, [s, a, b], { value: 0.5 } as never),
      inputs: () => [leaf([3], 204), leaf([3], 205), leaf([3], 206, 0.5, 2)],
    },
    {
      name: 'lerp with the weights of self and end swapped',
      op: OPS.lerp as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [a, b] = OPS.lerp.backward(g, ctx as never);
        return [b, a];
      },
      f: (op, a, b) => apply(op, [a, b], { weight: 0.1 } as never),
      inputs: () => [leaf([3], 207), leaf([3], 208)],
    },
    {
      name: 'scatter passing self the whole gradient (overwritten places included)',
      op: OPS.scatter as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [, src] = OPS.scatter.backward(g, ctx as never);
        return [g, src];
      },
      // writes b[0][0] to a[0][2] and b[0][1] to a[0][0]
      f: (op, a, b) => apply(op, [a, b], { add: false, to: Int32Array.from([2, 0]), from: Int32Array.from([0, 1]) } as never),
      inputs: () => [leaf([1, 3], 209), leaf([1, 2], 210)],
    },
    {
      name: 'index_add giving source the gradient without alpha',
      op: OPS.indexPlace as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [self] = OPS.indexPlace.backward(g, ctx as never);
        const { to } = (ctx as { attrs: { to: Int32Array } }).attrs;
        return [self, torch.tensor(Array.from(to, (t) => g.data[t]), { dtype: 'float32' })];
      },
      // adds b[0] * 3 to a[2] and b[1] * 3 to a[0]
      f: (op, a, b) => apply(op, [a, b], { name: 'IndexAddBackward0', to: Int32Array.from([2, 0]), alpha: 3, fused: false } as never),
      inputs: () => [leaf([3], 241), leaf([2], 242)],
    },
    {
      name: 'index_copy passing self the whole gradient (overwritten places included)',
      op: OPS.indexPlace as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [, source] = OPS.indexPlace.backward(g, ctx as never);
        return [g, source];
      },
      f: (op, a, b) => apply(op, [a, b], { name: 'IndexCopyBackward0', to: Int32Array.from([2, 0]), alpha: 1, fused: false } as never),
      inputs: () => [leaf([3], 243), leaf([2], 244)],
    },
    {
      name: 'index_fill giving the value only one filled place\'s gradient',
      op: OPS.indexFillTensor as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [self] = OPS.indexFillTensor.backward(g, ctx as never);
        return [self, torch.tensor(g.data[0], { dtype: 'float32' })];
      },
      f: (op, a, v) => apply(op, [a, v], { to: Int32Array.from([0, 2]) } as never),
      inputs: () => [leaf([3], 245), leaf([], 246)],
    },
    {
      name: 'cummax sending each gradient to the first element instead of where the maximum was',
      op: OPS.rearrange as OpDefinition<never>,
      wrong: (g, { inputMeta: [m] }) => {
        const out = torch.zeros(m.shape.slice());
        let sum = 0;
        const gd = g.data as Float32Array;
        for (let i = 0; i < gd.length; i++) sum += gd[i];
        out.data[0] = sum;
        return [out];
      },
      // the running maximum of [a0, a1, a2] with a1 the largest: taken from places 0, 1, 1
      f: (op, a) => apply(op, [a], { name: 'CummaxBackward0', shape: [3], from: Int32Array.from([0, 1, 1]), fill: 0 } as never),
      inputs: () => [leaf([3], 247)],
    },
    {
      name: 'leaky_relu passing the whole gradient on the negative side',
      op: OPS.leakyRelu as OpDefinition<never>,
      wrong: (g) => [g],
      f: (op, a) => apply(op, [a], { negativeSlope: 0.1 } as never),
      inputs: () => [leaf([2, 3], 257)],
    },
    {
      name: 'elu without the exp factor on the negative side',
      op: OPS.elu as OpDefinition<never>,
      wrong: (g, { inputs: [a] }) => [engineOps.where(engineOps.compare('gt', a!, 0), g, engineOps.mul(g, 1))],
      f: (op, a) => apply(op, [a], { alpha: 1, scale: 1, inputScale: 1 } as never),
      inputs: () => [leaf([2, 3], 258, -3, 1)],
    },
    {
      name: 'gelu subtracting the x * pdf term instead of adding it',
      op: OPS.gelu as OpDefinition<never>,
      wrong: (g, { inputs: [a] }) => {
        const slope = Array.from(a!.data as Float32Array, (x) => 0.5 * (1 + glibcErff(x * Math.SQRT1_2)) - (x * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI));
        return [engineOps.mul(g, torch.tensor(slope, { dtype: 'float32' }))];
      },
      f: (op, a) => apply(op, [a], { approximate: 'none' } as never),
      inputs: () => [leaf([18], 259, -3, 3)],
    },
    {
      name: 'silu backward as sigmoid alone',
      op: OPS.silu as OpDefinition<never>,
      wrong: (g, { inputs: [a] }) => [engineOps.mul(g, engineOps.sigmoid(a!))],
      f: (op, a) => apply(op, [a], {} as never),
      inputs: () => [leaf([17], 260, -4, 4)],
    },
    {
      name: 'bmm without transposing the other batch',
      op: OPS.bmm as OpDefinition<never>,
      wrong: (g, ctx) => {
        const [a, b] = OPS.bmm.backward(g, ctx as never);
        return [a ? engineOps.flip(a, [2]) : null, b];
      },
      f: (op, a, b) => apply(op, [a, b], {} as never),
      inputs: () => [leaf([2, 2, 3], 211), leaf([2, 3, 2], 212)],
    },
  ];
  for (const control of WRONG_RULES) {
    it(`negative control: ${control.name} is caught`, () => {
      const wrong = { ...control.op, backward: control.wrong } as OpDefinition<never>;
      expect(gradcheck((...xs) => control.f(wrong, ...xs), control.inputs())).toBeGreaterThan(0.1);
      expect(gradcheck((...xs) => control.f(control.op, ...xs), control.inputs())).toBeLessThan(TOLERANCE);
    });
  }

  it('negative control: a view op whose backward permutes the wrong way is caught', () => {
    // permute's backward must apply the inverse permutation; [1, 2, 0] is not its own inverse
    const wrongPermute: OpDefinition<{ dims: readonly number[] }> = {
      ...OPS.permute,
      backward: (g, { attrs: { dims } }) => [engineOps.permute(g, dims.map((d) => d))],
    };
    const weights = ops.arangeLike(24).reshape([3, 4, 2]);
    expect(gradcheck((a) => apply(wrongPermute, [a], { dims: [1, 2, 0] }).reshape([3, 4, 2]).mul(weights), [leaf([2, 3, 4], 120)])).toBeGreaterThan(0.1);
    expect(gradcheck((a) => ops.permute(a, [1, 2, 0]).mul(weights), [leaf([2, 3, 4], 120)])).toBeLessThan(TOLERANCE);
  });

  it('negative control: an index backward that overwrites instead of accumulating is caught', () => {
    // t[[2, 2, 0, 2]] reads row 2 three times: its gradient must be the sum of all three reads
    const rows = [2, 2, 0, 2];
    const idx = torch.tensor(rows);
    const overwriting: OpDefinition<Record<string, never>> = {
      gradFn: 'IndexBackward0',
      forward: ([a]) => ops.index(a.detach(), [idx]),
      backward: (g, { inputMeta: [m] }) => {
        const out = torch.zeros(m.shape.slice());
        const width = m.shape[1];
        rows.forEach((r, k) => {
          for (let j = 0; j < width; j++) out.data[r * width + j] = g.data[k * width + j];
        });
        return [out];
      },
    };
    expect(gradcheck((a) => apply(overwriting, [a], {}).exp(), [leaf([3, 2], 121, 1, 2)])).toBeGreaterThan(0.1);
    expect(gradcheck((a) => ops.index(a, [idx]).exp(), [leaf([3, 2], 121, 1, 2)])).toBeLessThan(TOLERANCE);
  });

  it('negative control: an mse_loss backward that forgets the mean\'s 1/n is caught', () => {
    const wrongMse: OpDefinition<{ reduction: 'none' | 'mean' | 'sum' }> = {
      ...OPS.mseLoss,
      // bug on purpose: 2 * (self - target) * grad, as for reduction='sum', even for 'mean'
      backward: (g, { needs, inputs: [a, b] }) => [needs[0] ? a!.sub(b!).mul(2).mul(g) : null, needs[1] ? b!.sub(a!).mul(2).mul(g) : null],
    };
    const inputs = () => [leaf([2, 3], 119), leaf([2, 3], 120)];
    expect(gradcheck((a, b) => apply(wrongMse, [a, b], { reduction: 'mean' }), inputs())).toBeGreaterThan(0.1);
    expect(gradcheck((a, b) => ops.mseLoss(a, b, 'mean'), inputs())).toBeLessThan(TOLERANCE);
  });

  it('negative control: a rearrange backward that drops repeated reads is caught', () => {
    // repeat copies each element twice: its gradient must add both copies' gradients
    const forgetful: OpDefinition<Parameters<typeof OPS.rearrange.forward>[1]> = {
      ...OPS.rearrange,
      backward: (g, { inputMeta: [m], attrs: { from } }) => {
        const grad = torch.zeros(m.shape.slice());
        for (let i = 0; i < from.length; i++) if (from[i] >= 0) grad.data[from[i]] = g.data[i];
        return [grad];
      },
    };
    const weights = ops.arangeLike(12).reshape([2, 6]);
    const repeatTwice = (a: Tensor): Tensor => ops.repeat(a, [1, 2]);
    const attrs = repeatTwice(leaf([2, 3], 163)).gradFn!.attributes as Parameters<typeof OPS.rearrange.forward>[1];
    expect(gradcheck((a) => apply(forgetful, [a], attrs).mul(weights), [leaf([2, 3], 163)])).toBeGreaterThan(0.1);
    expect(gradcheck((a) => repeatTwice(a).mul(weights), [leaf([2, 3], 163)])).toBeLessThan(TOLERANCE);
  });

  it('negative control: a sub(other, alpha) backward that forgets the minus for other is caught', () => {
    const wrongScaled: OpDefinition<{ alpha: number; subtract: boolean }> = {
      ...OPS.addScaled,
      // bug on purpose: grad * alpha for other, as for add, even when subtracting
      backward: (g, { needs, attrs: { alpha } }) => [needs[0] ? g : null, needs[1] ? g.mul(alpha) : null],
    };
    const inputs = () => [leaf([2, 3], 128), leaf([2, 3], 129)];
    expect(gradcheck((a, b) => apply(wrongScaled, [a, b], { alpha: 0.5, subtract: true }), inputs())).toBeGreaterThan(0.1);
    expect(gradcheck((a, b) => ops.addScaled(a, b, 0.5, true), inputs())).toBeLessThan(TOLERANCE);
  });

  it('negative control: a binary_cross_entropy backward without the mean\'s 1/n is caught', () => {
    const wrongBce: OpDefinition<{ reduction: 'none' | 'mean' | 'sum'; weight: Tensor | null }> = {
      ...OPS.binaryCrossEntropy,
      // bug on purpose: the 'sum' gradient for 'mean' too
      backward: (g, ctx) => OPS.binaryCrossEntropy.backward(g, { ...ctx, attrs: { reduction: 'sum', weight: null } }),
    };
    const inputs = () => [leaf([2, 3], 170, 0.1, 0.9), leaf([2, 3], 171, 0.1, 0.9)];
    expect(gradcheck((a, b) => apply(wrongBce, [a, b], { reduction: 'mean', weight: null }), inputs())).toBeGreaterThan(0.1);
    expect(gradcheck((a, b) => ops.binaryCrossEntropy(a, b, 'mean'), inputs())).toBeLessThan(TOLERANCE);
  });

  it('negative control: an nll_loss backward that ignores the class weights is caught', () => {
    type NllAttrs = Parameters<typeof OPS.nllLoss.backward>[1]['attrs'];
    const wrongNll: OpDefinition<NllAttrs> = {
      ...OPS.nllLoss,
      // bug on purpose: the unweighted gradient
      backward: (g, ctx) => OPS.nllLoss.backward(g, { ...ctx, attrs: { ...ctx.attrs, weight: null } }),
    };
    const weight = torch.tensor([0.5, 2, 1.5], { dtype: 'float32' });
    const inputs = () => [leaf([4, 3], 190)];
    expect(gradcheck((a) => apply(wrongNll, [a], { target: classTargets, weight, reduction: 'sum', ignoreIndex: -100 }), inputs())).toBeGreaterThan(0.1);
    expect(gradcheck((a) => ops.nllLoss(a, classTargets, 'sum', weight), inputs())).toBeLessThan(TOLERANCE);
  });

  it('negative control: a binary_cross_entropy_with_logits backward that forgets pos_weight is caught', () => {
    type Attrs = Parameters<typeof OPS.binaryCrossEntropyWithLogits.backward>[1]['attrs'];
    const wrong: OpDefinition<Attrs> = {
      ...OPS.binaryCrossEntropyWithLogits,
      // bug on purpose: the gradient without pos_weight
      backward: (g, ctx) => OPS.binaryCrossEntropyWithLogits.backward(g, { ...ctx, attrs: { ...ctx.attrs, posWeight: null } }),
    };
    const posWeight = torch.tensor([0.5, 2, 3], { dtype: 'float32' });
    const inputs = () => [leaf([2, 3], 191), leaf([2, 3], 192, 0, 1)];
    expect(gradcheck((a, b) => apply(wrong, [a, b], { reduction: 'sum', weight: null, posWeight }), inputs())).toBeGreaterThan(0.1);
    expect(gradcheck((a, b) => ops.binaryCrossEntropyWithLogits(a, b, 'sum', null, posWeight), inputs())).toBeLessThan(TOLERANCE);
  });

  it('property: add and mul gradients are right for random broadcastable shapes', () => {
    const dim = fc.integer({ min: 1, max: 3 });
    fc.assert(
      fc.property(fc.array(dim, { minLength: 0, maxLength: 3 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 1000 }), (shape, ones, seed) => {
        // b's shape: a suffix of a's shape with some dims set to 1
        const bShape = shape.slice(Math.floor(shape.length / 2)).map((s, i) => (ones[i] ? 1 : s));
        const a = leaf(shape, seed);
        const b = leaf(bShape, seed + 1);
        expect(gradcheck((x, y) => x.mul(y).add(y), [a, b])).toBeLessThan(TOLERANCE);
      }),
      { numRuns: 40 },
    );
  });
});
