// Linear regression y_hat = w*x + b with mean squared error, trained by the engine's autograd:
// every epoch builds the graph, calls backward() and updates w and b under no_grad, exactly the
// lesson's loop (../shared/torch-reference/04_linear_regression_100.py, beside the repository). Pure TypeScript (no
// Node, DOM or Electron), so the same code runs in a worker_thread, a Web Worker and the CLI.
import { torch, type Tensor } from '../engine';
import type { RecordedGraph } from '../contract/graph';
import type { InitialWeights, ModelKind, SettingChange, TrainConfig } from '../contract/messages';
import { recordGraph } from '../graph/recorder';
import { engineResidual, type LandscapeInput } from './landscape';
import type { Float32Series, Float64Series } from '../contract/series';

/** A config that cannot be trained; the message says what is wrong and how to fix it. */
export class TrainConfigError extends Error {
  override readonly name = 'TrainConfigError';
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Null when the config can be trained, otherwise a message naming the problem and the fix. */
export function describeConfigProblem(config: TrainConfig): string | null {
  const n = config.x.length;
  if (n === 0) return 'x is empty: give at least one value (e.g. --x 1,2).';
  if (config.y.length !== n) {
    return `x has ${n} values but y has ${config.y.length}: x and y must have the same length (one target y for every input x).`;
  }
  const badX = firstNonFinite(config.x);
  if (badX >= 0) return `x[${badX}] is ${config.x[badX]}: every x must be a finite number.`;
  const badY = firstNonFinite(config.y);
  if (badY >= 0) return `y[${badY}] is ${config.y[badY]}: every y must be a finite number.`;
  if (config.initialW.kind === 'values') {
    const values = config.initialW.values;
    if (config.model === 'shared' && values.length !== 1) {
      return `initial w has ${values.length} values but the shared model has one weight for all points: give one value (e.g. --w 0.5).`;
    }
    if (config.model !== 'shared' && values.length !== n) {
      return `initial w has ${values.length} values but x has ${n}: w must have one weight per x value (or use ones, zeros or random).`;
    }
    const badW = firstNonFinite(values);
    if (badW >= 0) return `initial w[${badW}] is ${values[badW]}: every weight must be a finite number.`;
  }
  if (!Number.isFinite(config.initialB)) return `initial b is ${config.initialB}: it must be a finite number.`;
  if (config.initialGrad) {
    const { w, b } = config.initialGrad;
    const wSize = weightCount(config.model, n);
    if (w.length !== wSize) return `the piled-up w.grad has ${w.length} values but w has ${wSize}: give one gradient per weight.`;
    const bad = firstNonFinite(w);
    if (bad >= 0 || !Number.isFinite(b)) return `the piled-up gradients must be finite numbers (${bad >= 0 ? `w.grad[${bad}] is ${w[bad]}` : `b.grad is ${b}`}).`;
  }
  if (!(config.learningRate >= 0) || !Number.isFinite(config.learningRate)) {
    return `learning rate ${config.learningRate} is not usable: give a finite number >= 0 (e.g. 0.01).`;
  }
  if (!Number.isInteger(config.epochs) || config.epochs < 0) {
    return `epochs ${config.epochs} is not usable: give a whole number >= 0.`;
  }
  if (config.image) {
    const { width, height, channels } = config.image;
    if (width * height * channels !== n) {
      return `the image is ${width}x${height} with ${channels} channel(s) = ${width * height * channels} values, but x has ${n}: image size and data must match.`;
    }
  }
  return null;
}

/** w's starting values as float32 (random: torch.manual_seed(seed) then torch.rand(n)). */
export function initialWeights(initial: InitialWeights, size: number): Float32Array {
  switch (initial.kind) {
    case 'values':
      return Float32Array.from(initial.values);
    case 'ones':
      return new Float32Array(size).fill(1);
    case 'zeros':
      return new Float32Array(size);
    case 'random': {
      torch.manualSeed(initial.seed);
      return Float32Array.from(torch.rand([size]).data as ArrayLike<number>);
    }
  }
}

/** How many weights the model has for n points: one per value, or one shared. */
export function weightCount(model: ModelKind | undefined, n: number): number {
  return model === 'shared' ? 1 : n;
}

/** A float32 tensor holding `values` (one copy; numbers round to float32 as torch.tensor does): 1-D, or 0-d with `scalar`. */
function float32Tensor(values: ArrayLike<number>, requiresGrad: boolean, scalar = false): Tensor {
  const tensor = torch.zeros(scalar ? [] : [values.length], { requiresGrad });
  (tensor.data as Float32Array).set(values);
  return tensor;
}

/**
 * The big tensors of the last disposed trainer, for the next trainer of the same size. Why:
 * tensors made outside torch.tidy() go back to the engine's arena only when the garbage
 * collector finds them, and small JS objects give it no reason to run; at 786,432 values each
 * run holds ~12 MB of arena (x, y, w, w.grad), so after about 8 runs in one worker new runs
 * found the arena full and fell back to the plain-JS kernels, 3-4x slower. Reusing them keeps a
 * worker at two sets of buffers (the running trainer's and this spare) however many runs it does.
 */
let spare: { size: number; x: Tensor; y: Tensor; w: Tensor | null } | null = null;

/** Copies `values` into an existing float32 tensor (rounding to float32 as torch.tensor does). */
function refill(tensor: Tensor, values: ArrayLike<number>): Tensor {
  (tensor.data as Float32Array).set(values);
  return tensor;
}

export class LinearRegressionTrainer {
  readonly model: ModelKind;
  /** Number of data points (x values). */
  readonly size: number;
  /** Number of weights: size for the per-value model, 1 for the shared one. */
  readonly wSize: number;
  readonly x: Tensor;
  readonly y: Tensor;
  private readonly startW: Float32Array;
  private readonly startB: number;
  /** Gradients a run that forgot zero_grad had piled up before this one carries it on (else null). */
  private readonly startGrad: { w: Float32Array; b: number } | null;
  /** The one w tensor of this trainer (reset() writes the initial values back into it). */
  readonly w: Tensor;
  b!: Tensor;
  private disposed = false;
  /** Whether backward() ran since the last reset (a reused w keeps a zeroed .grad tensor). */
  private hasGradient = false;
  /** Epochs completed (forward + backward + update). */
  epoch = 0;
  learningRate: number;
  /**
   * Classroom mistake: gradients are not zeroed, so they pile up epoch after epoch. May change
   * between epochs (live toggle): it decides whether the epoch that runs next ends with
   * `w.grad.zero_()` in the lesson's loop.
   */
  skipZeroGrad: boolean;
  /** Whether the previous epoch ended with zero_() in the lesson's loop (done lazily, see runEpoch). */
  private zeroBeforeBackward = false;
  /** Loss of the latest epoch (computed before that epoch's update, as the lesson prints it). */
  lastLoss: number | null = null;

  constructor(config: TrainConfig) {
    const problem = describeConfigProblem(config);
    if (problem) throw new TrainConfigError(problem);
    this.model = config.model ?? 'perValue';
    this.size = config.x.length;
    this.wSize = weightCount(this.model, this.size);
    const reuse = spare !== null && spare.size === this.size ? spare : null;
    if (reuse) spare = null;
    this.x = reuse ? refill(reuse.x, config.x) : float32Tensor(config.x, false);
    this.y = reuse ? refill(reuse.y, config.y) : float32Tensor(config.y, false);
    this.startW = initialWeights(config.initialW, this.wSize);
    // the shared model's w is one number, a 0-d tensor like torch.tensor(0.5, requires_grad=True)
    this.w = this.model === 'perValue' && reuse?.w ? reuse.w : float32Tensor(this.startW, true, this.model === 'shared');
    this.startB = config.initialB;
    this.startGrad = config.initialGrad ? { w: Float32Array.from(config.initialGrad.w), b: config.initialGrad.b } : null;
    this.learningRate = config.learningRate;
    this.skipZeroGrad = config.skipZeroGrad ?? false;
    this.reset();
  }

  /** Back to the initial w and b, epoch 0; the learning rate and skipZeroGrad are kept. */
  reset(): void {
    if (this.disposed) throw new Error('This trainer was disposed (its run ended and was replaced): create a new LinearRegressionTrainer.');
    // Same tensor, initial values: like a fresh torch.tensor(..., requires_grad=True). Its .grad
    // (if any) is zeroed rather than dropped, which adds up to the same first gradient.
    refill(this.w, this.startW);
    this.b = torch.tensor(this.startB, { requiresGrad: true, dtype: 'float32' });
    this.epoch = 0;
    this.lastLoss = null;
    this.zeroBeforeBackward = false;
    const piled = this.startGrad;
    if (piled) {
      // The first epoch's backward adds to these, as it would have in the uninterrupted run.
      if (this.w.grad) refill(this.w.grad, piled.w);
      else this.w.grad = float32Tensor(piled.w, false, this.model === 'shared');
      this.b.grad = float32Tensor([piled.b], false, true);
    } else {
      this.w.grad?.zero_();
    }
    this.hasGradient = piled !== null;
  }

  /**
   * One epoch of the lesson's loop; returns its loss (float32 widened to a JS number), computed
   * before the update as the lesson prints it.
   * - The epoch runs inside torch.tidy(): its temporary tensors go back to the engine's arena
   *   when it ends, so the next epoch reuses the same memory (2-10x faster at 65,536+ values
   *   than waiting for the garbage collector). w, b and their .grad live on.
   * - The gradients are zeroed right before backward() instead of after the previous update:
   *   the arithmetic is identical, and in between w.grad / b.grad still show the gradient the
   *   last update used, which is what the window displays. Whether to zero is what the
   *   previous epoch decided (its skipZeroGrad), so switching skipZeroGrad between epochs k and
   *   k+1 gives exactly PyTorch's loop with the zero_() lines removed from epoch k+1 on.
   * - A nan/inf loss is returned without backward or update, so w and b stay the values that
   *   produced it and the caller stops.
   */
  runEpoch(onForward?: (yHat: Tensor, loss: Tensor) => void, onEnd?: () => void): number {
    if (this.disposed) throw new Error('This trainer was disposed (its run ended and was replaced): create a new LinearRegressionTrainer.');
    const lossValue = torch.tidy(() => {
      // the engine's fused forms of `w * x + b` and `(y_hat - y).pow(2).mean()`: the same values
      // and gradients in fewer passes (null when they do not apply; the shared model's w * x
      // broadcasts, so it takes the two ops)
      const yHat = this.w.mulAdd(this.x, this.b) ?? this.w.mul(this.x).add(this.b);
      const loss = yHat.squaredErrorMean(this.y) ?? yHat.sub(this.y).pow(2).mean();
      onForward?.(yHat, loss);
      const value = loss.item();
      if (!Number.isFinite(value)) return value;
      if (this.zeroBeforeBackward) {
        this.w.grad?.zero_();
        this.b.grad?.zero_();
      }
      loss.backward();
      this.hasGradient = true;
      this.zeroBeforeBackward = !this.skipZeroGrad;
      const learningRate = this.learningRate;
      torch.noGrad(() => {
        const wGrad = this.w.grad as Tensor;
        const bGrad = this.b.grad as Tensor;
        if (!this.w.addScaledInPlace(wGrad, learningRate, true)) this.w.sub_(wGrad.mul(learningRate));
        if (!this.b.addScaledInPlace(bGrad, learningRate, true)) this.b.sub_(bGrad.mul(learningRate));
      });
      onEnd?.();
      return value;
    });
    this.lastLoss = lossValue;
    if (Number.isFinite(lossValue)) this.epoch++;
    return lossValue;
  }

  /**
   * One epoch exactly as runEpoch, with its autograd graph recorded (unfused, as PyTorch's
   * separate ops build it) for the lab's graph view: the variables are named as in the lesson
   * (x, y, w, b, y_hat, loss). Big tensors' summaries keep element `element`. Returns the loss
   * and the graph (null when the loss was nan/inf: no backward ran).
   */
  runEpochWithGraph(element: number): { loss: number; graph: RecordedGraph | null } {
    const recording = recordGraph({ focusIndex: element });
    let named: [string, Tensor][] = [];
    let graph: RecordedGraph | null = null;
    try {
      const loss = this.runEpoch((yHat, lossTensor) => {
        named = [['x', this.x], ['y', this.y], ['w', this.w], ['b', this.b], ['y_hat', yHat], ['loss', lossTensor]];
      }, () => {
        // inside the epoch's tidy scope, while y_hat and loss still exist
        const result = recording.finish(named);
        graph = result.ok ? result.graph : null;
      });
      return { loss, graph };
    } finally {
      recording.stop();
    }
  }

  /**
   * Runs up to `count` epochs, appending each finite loss to `history`; stops early after an
   * epoch whose loss is nan/inf (not appended, see runEpoch) or below `targetLoss`. Returns the
   * epochs completed; `lastLoss` tells why it stopped early. Why a loop here rather than in the
   * caller: this is the hot loop V8 optimises as one unit, and written like the lesson's own loop
   * it gets the same inlining as a bare engine loop (the host's slice loop around it only runs
   * once per chunk).
   */
  runEpochs(count: number, history: Float32Series, targetLoss: number | null, trace: Float64Series | null = null): number {
    let done = 0;
    while (done < count) {
      const loss = this.runEpoch();
      if (!Number.isFinite(loss)) break;
      history.push(loss);
      if (trace) this.traceTo(trace);
      done++;
      if (targetLoss !== null && loss < targetLoss) break;
    }
    return done;
  }

  /**
   * Hands the big tensors to the next trainer of the same size (see `spare`). Call once the run
   * is over and nothing reads this trainer any more; using it afterwards throws.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    spare = { size: this.size, x: this.x, y: this.y, w: this.model === 'perValue' ? this.w : null };
  }

  /** Appends this epoch's row to a parameter trace: [epoch, w, w.grad, b, b.grad, learning rate]. */
  traceTo(trace: Float64Series): void {
    trace.push(this.epoch);
    // exactly wSize values: a storage may be longer than the tensor it holds
    trace.append(this.wValues.subarray(0, this.wSize));
    const grad = this.wGradValues;
    if (grad) trace.append(grad.subarray(0, this.wSize));
    else for (let i = 0; i < this.wSize; i++) trace.push(0);
    trace.push(this.bValue);
    trace.push(this.bGradValue);
    trace.push(this.learningRate);
  }

  /** w's storage (a live view: copy it before sending it anywhere). */
  get wValues(): Float32Array {
    return this.w.data as Float32Array;
  }

  /** w.grad's storage, or null before the first backward. */
  get wGradValues(): Float32Array | null {
    return this.hasGradient && this.w.grad ? (this.w.grad.data as Float32Array) : null;
  }

  get bValue(): number {
    return this.b.item();
  }

  get bGradValue(): number {
    return this.b.grad ? this.b.grad.item() : 0;
  }

  /** What the loss landscape needs: the data, the current parameters and the engine's residual. */
  landscapeInput(): LandscapeInput {
    return { model: this.model, x: this.x.data as Float32Array, residual: engineResidual(this.x, this.y, this.w, this.b), w: this.wValues, b: this.bValue };
  }

  /** The current model's prediction w*x + b (float32, the engine's own kernels), as a fresh array. */
  predict(): Float32Array {
    let out = new Float32Array(0);
    torch.tidy(() =>
      torch.noGrad(() => {
        // Copied before the scope ends: the engine reuses the tensor's memory afterwards.
        out = (this.w.mul(this.x).add(this.b).data as Float32Array).slice();
      }),
    );
    return out;
  }
}

export interface TrainResult {
  epochs: number;
  /** Loss of the last epoch run (before its update); null when no epoch ran. */
  loss: number | null;
  w: Float32Array;
  b: number;
  reason: 'epochs' | 'target' | 'diverged';
  /** Set when a loss became nan/inf: the epoch (1-based) and the last finite loss before it. */
  diverged?: { epoch: number; lastFiniteLoss: number | null };
}

/**
 * Trains to the end synchronously (CLI, tests, export). `onEpoch` sees every loss;
 * training stops early once a loss is below `targetLoss` or when a loss is nan/inf.
 * `settingChanges` replays live learning-rate / zero_grad changes, each from its epoch on, as
 * the worker applied them between epochs.
 */
export function trainToEnd(config: TrainConfig, onEpoch?: (epoch: number, loss: number) => void, settingChanges: readonly SettingChange[] = []): TrainResult {
  const trainer = new LinearRegressionTrainer(config);
  const changeAt = new Map(settingChanges.map((c) => [c.fromEpoch, c]));
  let reason: TrainResult['reason'] = 'epochs';
  let lastFinite: number | null = null;
  let diverged: TrainResult['diverged'];
  while (trainer.epoch < config.epochs) {
    const change = changeAt.get(trainer.epoch + 1);
    if (change) {
      trainer.learningRate = change.learningRate;
      trainer.skipZeroGrad = change.skipZeroGrad;
    }
    const loss = trainer.runEpoch();
    if (!Number.isFinite(loss)) {
      reason = 'diverged';
      diverged = { epoch: trainer.epoch + 1, lastFiniteLoss: lastFinite };
      break;
    }
    lastFinite = loss;
    onEpoch?.(trainer.epoch, loss);
    if (config.targetLoss !== undefined && loss < config.targetLoss) {
      reason = 'target';
      break;
    }
  }
  const result: TrainResult = {
    epochs: trainer.epoch,
    loss: reason === 'diverged' ? lastFinite : trainer.lastLoss,
    w: trainer.wValues.slice(),
    b: trainer.bValue,
    reason,
    ...(diverged ? { diverged } : {}),
  };
  trainer.dispose();
  return result;
}
