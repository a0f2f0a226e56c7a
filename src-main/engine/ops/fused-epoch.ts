// One whole epoch of the lessons' training loop as one fused step:
//
//   y_hat = w * x + b
//   loss = (y_hat - y).pow(2).mean()
//   loss.backward()
//   with torch.no_grad():
//       w -= lr * w.grad
//       b -= lr * b.grad
//   w.grad.zero_()
//   b.grad.zero_()
//
// Run as written this is six passes over memory and three temporaries (y_hat - y, its gradient,
// w's gradient). Since w.grad is zeroed at the end, and nothing in between can observe the
// temporaries, the epoch needs only one pass: read w, x and y, write y_hat and the new w
// (WebAssembly kernel epoch_lr). Everything the program can see afterwards is what the
// statements leave: the same values to the last bit (every step rounded to float32 as the
// separate kernels round it, both sums in torch.sum's cascade order), y_hat's and loss's graphs
// (AddBackward0 over MulBackward0, MeanBackward0; already freed by backward), the gradients
// zeroed and every version counter bumped as the in-place steps bump it.
import { isGraphObserved } from '../autograd';
import type { Node } from '../autograd';
import { isGradEnabled } from '../grad-mode';
import { scalarValue } from '../dtype';
import type { ScalarLike } from '../dtype';
import { getArena, inArena } from '../arena';
import { pairedBlockSums, sumContiguous, sumOfSquaresContiguous } from '../reduce';
import { sameShape } from '../shape';
import { Tensor } from '../tensor';
import { makeTensor, outputTensor } from './common';
import { ELEMENTWISE_OPS } from './elementwise';
import { FUSED_OPS } from './fused';
import { zeroInPlace } from './inplace';
import { NONE, record } from './registry';

const fr = Math.fround;
const NO_VALUES = new Float32Array(0);
/** Above this size an epoch that the one-pass kernel cannot take runs as written (the plain loop needs two scratch arrays of its size). */
const PLAIN_LOOP_MAX = 1 << 16;
/** Above this size the fused step's plain loop is slower than the statements' WebAssembly kernels (65,536 values: 625 against 135 µs). */
const STEP_LOOP_MAX = 1 << 10;

export interface EpochResult {
  yHat: Tensor;
  loss: Tensor;
}

/** w.grad / b.grad as the fused epoch needs them: existing, float32, shaped like the leaf, its own storage. */
function usableGrad(leaf: Tensor): Tensor | null {
  const g = leaf.grad;
  if (g === null || g.dtype !== 'float32' || !sameShape(g.shape, leaf.shape) || !g.isContiguous() || g._isView() || g.requiresGrad || g._version.disposed) return null;
  return g;
}

const plainInput = (t: Tensor, shape: readonly number[]): boolean =>
  t.dtype === 'float32' && sameShape(t.shape, shape) && t.isContiguous() && !t.requiresGrad && !t._version.disposed;

const trainableLeaf = (t: Tensor): boolean => t.dtype === 'float32' && t.isLeaf && t.requiresGrad && t.isContiguous() && !t._isView() && !t._version.disposed;

/**
 * b is one number added to every element of w * x without changing its shape: 0-d, or of shape
 * [1] beside a 1-d w (its gradient, summed to shape [1], is the same one sum).
 */
const oneBias = (b: Tensor, w: Tensor): boolean => b.shape.length === 0 || (b.shape.length === 1 && b.shape[0] === 1 && w.shape.length === 1);

/** A leaf's AccumulateGrad has tensor hooks (w.register_hook): backward must run them with each gradient. */
const hooked = (leaf: Tensor): boolean => {
  const hooks = leaf._accumulateNode().hooks;
  return hooks !== null && hooks.length > 0;
};

/**
 * The epoch above for float32 tensors w, x, y of one shape (w a leaf that requires grad, x and y
 * not), b a 0-d (or, for a 1-d w, [1]) float32 leaf that requires grad, and lr a Python number, once w and b have
 * gradients (the first epoch creates them). Returns y_hat and loss, or null (having done
 * nothing) when the epoch must run as written: another layout, shared storage, grad mode off, a
 * graph being recorded, hooks on w or b.
 *
 * `reuse`: the result of this call site's previous epoch, when the caller has proved that the
 * program holds no reference to it but the two names the epoch is about to rebind (fusion.ts:
 * nothing in the program can reach y_hat or loss otherwise). Its tensors and their graph, in
 * exactly the state a fresh epoch would leave them (freed nodes, same edges, version 0), are
 * then written over instead of made again, and the same object is returned: the steady state
 * allocates nothing.
 */
export function linearRegressionEpoch(w: Tensor, x: Tensor, b: Tensor, y: Tensor, lr: ScalarLike, reuse: EpochResult | null = null): EpochResult | null {
  if (!isGradEnabled() || isGraphObserved() || !trainableLeaf(w) || !trainableLeaf(b) || !oneBias(b, w)) return null;
  if (!plainInput(x, w.shape) || !plainInput(y, w.shape) || hooked(w) || hooked(b)) return null;
  const wGrad = usableGrad(w);
  const bGrad = usableGrad(b);
  if (wGrad === null || bGrad === null) return null;
  // the in-place steps must not reach any input through shared storage (x and y may be one tensor)
  const wRef = w._version;
  const bRef = b._version;
  const wgRef = wGrad._version;
  const bgRef = bGrad._version;
  if (wRef === bRef || wRef === wgRef || wRef === bgRef || bRef === wgRef || bRef === bgRef || wgRef === bgRef) return null;
  const xRef = x._version;
  const yRef = y._version;
  if (wRef === xRef || bRef === xRef || wgRef === xRef || bgRef === xRef) return null;
  if (wRef === yRef || bRef === yRef || wgRef === yRef || bgRef === yRef) return null;
  const n = w.numel();
  if (n === 0) return null;
  const blocks = n / 32;
  // the one-pass kernel adds w's gradient to the uniform value zero_() left pending in w.grad
  const pending = wGrad._uniformValue();
  const onePass = pending !== null && Number.isInteger(blocks) && blocks >= 16 && inArena(w.data) && inArena(x.data) && inArena(y.data);
  if (!onePass && n > PLAIN_LOOP_MAX) return null;

  const reused = reuse !== null && reusable(reuse, w, x, b, y);
  const yHat = reused ? reuse.yHat : outputTensor('float32', w.shape.slice());
  const bValue = fr(Number(b.data[0]));
  // mean's backward with backward()'s gradient 1: every element gets 1 / n
  const each = fr(1 / fr(n));
  const negLr = -fr(scalarValue(lr));
  if (onePass && inArena(yHat.data)) onePassEpoch(w, x, y, yHat, blocks, bValue, each, pending, negLr);
  else plainEpoch(w, x, y, yHat, wGrad, bValue, each, negLr);
  const lossSum = sums[0];
  const bGradSum = sums[1];
  const loss = reused ? reuse.loss : makeTensor('float32', []);
  loss.data[0] = fr(lossSum / fr(n));

  if (!reused) {
    // The graph the statements build, already freed by their backward().
    const product = new Tensor(NO_VALUES, yHat.shape, 'float32');
    record(ELEMENTWISE_OPS.mul, [w, x], NONE, product);
    record(ELEMENTWISE_OPS.add, [product, b], NONE, yHat);
    record(FUSED_OPS.squaredErrorMean, [yHat, y], NONE, loss, [yHat]);
    loss._gradFn!.release();
    yHat._gradFn!.release();
    product._gradFn!.release();
  }

  // backward's AccumulateGrad for b (w.grad's sum with 0 was used above, never stored)
  finishEpoch(w, b, wGrad, bGrad, bGradSum, negLr);
  return reused ? reuse : { yHat, loss };
}

/**
 * A previous result of this epoch over the same w, x, b, y, still exactly as the epoch left it:
 * y_hat's graph AddBackward0(MulBackward0(w, x), b), loss's the squared-error node over y_hat,
 * all freed, no hooks, no retained or accumulated gradient, no in-place change (version 0), its
 * storage alive and of the right size.
 */
function reusable(r: EpochResult, w: Tensor, x: Tensor, b: Tensor, y: Tensor): boolean {
  const { yHat, loss } = r;
  const add = yHat._gradFn;
  const mean = loss._gradFn;
  if (add === null || mean === null || add.name !== 'AddBackward0' || mean.name !== 'MeanBackward0') return false;
  const mul = add.next[0];
  if (mul === null || mul.name !== 'MulBackward0' || add.next[1] !== b._accumulateNode() || mean.next[0] !== add || mean.next[1] !== null) return false;
  if (mul.next[0] !== w._accumulateNode() || mul.next[1] !== null || mul.inputMeta[1] !== x._inputMeta() || mean.inputMeta[1] !== y._inputMeta()) return false;
  if (!mul.isFreed() || !mean.isFreed() || add.hooks !== null || mean.hooks !== null || mul.hooks !== null) return false;
  if (add.retainedOutput !== null || mean.retainedOutput !== null || yHat.grad !== null || loss.grad !== null) return false;
  if (yHat._version.value !== 0 || loss._version.value !== 0 || yHat._version.disposed || loss._version.disposed) return false;
  return yHat._base === null && loss._base === null && sameShape(yHat.shape, w.shape) && yHat.isContiguous() && yHat.dtype === 'float32' && loss.dtype === 'float32';
}

/**
 * The last four statements of the epoch as one step, once the program has computed y_hat and loss
 * itself (with anything in between, such as a print of the loss):
 *
 *   loss.backward()
 *   with torch.no_grad():
 *       w -= lr * w.grad
 *       b -= lr * b.grad
 *   w.grad.zero_()
 *   b.grad.zero_()
 *
 * when loss's graph is exactly the one `y_hat = w * x + b` and `loss = (y_hat - y).pow(2).mean()`
 * recorded (the fused squared-error node over AddBackward0(MulBackward0(w, x), b)), intact (no
 * in-place change to what it saved), with no hook or retained gradient anywhere in it, and the
 * gradients exist. Then backward's values, the update and the zeroing need one pass over the
 * saved difference, x and w, and the graph is freed as backward frees it. Returns false, having
 * done nothing, when the statements must run as written.
 */
export function linearRegressionStep(loss: Tensor, w: Tensor, b: Tensor, lr: ScalarLike): boolean {
  if (isGraphObserved() || !trainableLeaf(w) || !trainableLeaf(b) || !oneBias(b, w) || hooked(w) || hooked(b)) return false;
  const mean = loss._gradFn;
  if (mean === null || loss.dtype !== 'float32' || loss.shape.length !== 0 || !mean.runs(FUSED_OPS.squaredErrorMean.backward) || !untouched(mean)) return false;
  const add = mean.next[0];
  if (add === null || mean.next[1] !== null || !add.runs(ELEMENTWISE_OPS.add.backward) || !untouched(add) || add.next[1] !== b._accumulateNode()) return false;
  const mul = add.next[0];
  if (mul === null || !mul.runs(ELEMENTWISE_OPS.mul.backward) || !untouched(mul) || mul.next[0] !== w._accumulateNode() || mul.next[1] !== null) return false;
  const x = mul.peekSaved(1);
  const diff = mean.peekKept(0);
  if (x === null || diff === null || !plainInput(x, w.shape) || !plainInput(diff, w.shape)) return false;
  const wGrad = usableGrad(w);
  const bGrad = usableGrad(b);
  const n = w.numel();
  if (wGrad === null || bGrad === null || n === 0 || n > STEP_LOOP_MAX) return false;
  const wRef = w._version;
  const bRef = b._version;
  const wgRef = wGrad._version;
  const bgRef = bGrad._version;
  if (wRef === bRef || wRef === wgRef || wRef === bgRef || bRef === wgRef || bRef === bgRef || wgRef === bgRef || wRef === x._version) return false;

  // backward: mean's node gives every element 1 / n (the seed is 1), pow's 2 * diff times that,
  // sub's and add's pass it on, mul's multiplies by x into w.grad, add's sums it into b.grad
  const each = fr(1 / fr(n));
  const negLr = -fr(scalarValue(lr));
  stepLoop(w, x, diff, wGrad, each, negLr);
  mean.release();
  add.release();
  mul.release();
  finishEpoch(w, b, wGrad, bGrad, sums[1], negLr);
  return true;
}

/**
 * What both fused paths end with, after w and w.grad's values were written by the pass:
 * b.grad += bGradSum (AccumulateGrad), b -= lr * b.grad under no_grad, every version PyTorch
 * bumps, and zero_() of both gradients.
 */
function finishEpoch(w: Tensor, b: Tensor, wGrad: Tensor, bGrad: Tensor, bGradSum: number, negLr: number): void {
  const bGradData = bGrad.data as Float32Array;
  bGradData[0] = fr(bGradData[0] + bGradSum);
  wGrad._version.value++;
  bGrad._version.value++;
  const bData = b.data as Float32Array;
  bData[0] = fr(bData[0] + fr(bGradData[0] * negLr));
  w._version.value++;
  b._version.value++;
  zeroInPlace(wGrad);
  zeroInPlace(bGrad);
}

/** A node backward may run as the fused step runs it: what it saved intact, no hook, no retained gradient. */
const untouched = (node: Node): boolean => node.savedIntact() && node.hooks === null && node.retainedOutput === null;

const sums = new Float64Array(2);

/** The WebAssembly pass (w.grad lazily zeroed to `base`); leaves the loss's sum and b's gradient in `sums`. */
function onePassEpoch(w: Tensor, x: Tensor, y: Tensor, yHat: Tensor, blocks: number, b: number, each: number, base: number, negLr: number): void {
  const kernels = getArena()!.kernels;
  const wAt = w.data.byteOffset;
  const xAt = x.data.byteOffset;
  const yAt = y.data.byteOffset;
  const outAt = yHat.data.byteOffset;
  pairedBlockSums(
    blocks,
    (level, block, count) => {
      const offset = block * 128;
      kernels.epoch_lr(wAt + offset, xAt + offset, yAt + offset, outAt + offset, level, count, b, each, base, negLr);
    },
    sums,
  );
}

/** linearRegressionStep's pass: w's gradient added into w.grad and w updated, element by element; b's gradient summed into sums[1]. */
function stepLoop(w: Tensor, x: Tensor, diff: Tensor, wGrad: Tensor, each: number, negLr: number): void {
  const n = w.numel();
  if (scratchGrad.length < n) {
    scratchDiff = new Float32Array(n);
    scratchGrad = new Float32Array(n);
  }
  const grad = scratchGrad;
  const wd = w.data as Float32Array;
  const xd = x.data as Float32Array;
  const dd = diff.data as Float32Array;
  const pending = wGrad._uniformValue();
  const old = pending === null ? (wGrad.data as Float32Array) : null;
  const base = pending ?? 0;
  for (let i = 0; i < n; i++) {
    const g = fr(fr(dd[i] * 2) * each);
    grad[i] = g;
    const wg = fr((old === null ? base : old[i]) + fr(g * xd[i]));
    wd[i] = fr(wd[i] + fr(wg * negLr));
  }
  sums[1] = sumContiguous(grad, 0, n);
}

let scratchDiff = new Float32Array(0);
let scratchGrad = new Float32Array(0);

/** The same epoch element by element, for small or odd sizes (the sums by the same cascade code, into `sums`). */
function plainEpoch(w: Tensor, x: Tensor, y: Tensor, yHat: Tensor, wGrad: Tensor, b: number, each: number, negLr: number): void {
  const n = w.numel();
  if (scratchDiff.length < n) {
    scratchDiff = new Float32Array(n);
    scratchGrad = new Float32Array(n);
  }
  const diff = scratchDiff;
  const grad = scratchGrad;
  const wd = w.data as Float32Array;
  const xd = x.data as Float32Array;
  const yd = y.data as Float32Array;
  const out = yHat.data as Float32Array;
  const pending = wGrad._uniformValue();
  const old = pending === null ? (wGrad.data as Float32Array) : null;
  const base = pending ?? 0;
  for (let i = 0; i < n; i++) {
    const yh = fr(fr(wd[i] * xd[i]) + b);
    out[i] = yh;
    const d = fr(yh - yd[i]);
    diff[i] = d;
    const g = fr(fr(d * 2) * each);
    grad[i] = g;
    const wg = fr((old === null ? base : old[i]) + fr(g * xd[i]));
    wd[i] = fr(wd[i] + fr(wg * negLr));
  }
  sums[0] = sumOfSquaresContiguous(diff, 0, n);
  sums[1] = sumContiguous(grad, 0, n);
}
