// Linear regression y_hat = w*x + b with mean squared error, trained by the engine's autograd:
// every epoch builds the graph, calls backward() and updates w and b under no_grad, exactly the
// lesson's loop (/work/shared/torch-reference/04_linear_regression_100.py). Pure TypeScript (no
// Node, DOM or Electron), so the same code runs in a worker_thread, a Web Worker and the CLI.
import { torch, type Tensor } from '../engine';
import type { InitialWeights, TrainConfig } from './protocol';

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
    if (values.length !== n) {
      return `initial w has ${values.length} values but x has ${n}: w must have one weight per x value (or use ones, zeros or random).`;
    }
    const badW = firstNonFinite(values);
    if (badW >= 0) return `initial w[${badW}] is ${values[badW]}: every weight must be a finite number.`;
  }
  if (!Number.isFinite(config.initialB)) return `initial b is ${config.initialB}: it must be a finite number.`;
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

/** A 1-D float32 tensor holding `values` (one copy; numbers round to float32 as torch.tensor does). */
function float32Tensor(values: ArrayLike<number>, requiresGrad: boolean): Tensor {
  const tensor = torch.zeros([values.length], { requiresGrad });
  (tensor.data as Float32Array).set(values);
  return tensor;
}

export class LinearRegressionTrainer {
  readonly size: number;
  readonly x: Tensor;
  readonly y: Tensor;
  private readonly startW: Float32Array;
  private readonly startB: number;
  w!: Tensor;
  b!: Tensor;
  /** Epochs completed (forward + backward + update). */
  epoch = 0;
  learningRate: number;
  /** Classroom mistake: gradients are never zeroed, so they pile up epoch after epoch. */
  skipZeroGrad: boolean;
  /** Loss of the latest epoch (computed before that epoch's update, as the lesson prints it). */
  lastLoss: number | null = null;

  constructor(config: TrainConfig) {
    const problem = describeConfigProblem(config);
    if (problem) throw new TrainConfigError(problem);
    this.size = config.x.length;
    this.x = float32Tensor(config.x, false);
    this.y = float32Tensor(config.y, false);
    this.startW = initialWeights(config.initialW, this.size);
    this.startB = config.initialB;
    this.learningRate = config.learningRate;
    this.skipZeroGrad = config.skipZeroGrad ?? false;
    this.reset();
  }

  /** Back to the initial w and b, epoch 0; the learning rate and skipZeroGrad are kept. */
  reset(): void {
    this.w = float32Tensor(this.startW, true);
    this.b = torch.tensor(this.startB, { requiresGrad: true, dtype: 'float32' });
    this.epoch = 0;
    this.lastLoss = null;
  }

  /**
   * One epoch of the lesson's loop; returns its loss (float32 widened to a JS number), computed
   * before the update as the lesson prints it.
   * - The epoch runs inside torch.tidy(): its temporary tensors go back to the engine's arena
   *   when it ends, so the next epoch reuses the same memory (2-10x faster at 65,536+ values
   *   than waiting for the garbage collector). w, b and their .grad live on.
   * - The gradients are zeroed right before backward() instead of after the previous update:
   *   the arithmetic is identical, and in between w.grad / b.grad still show the gradient the
   *   last update used, which is what the window displays.
   * - A nan/inf loss is returned without backward or update, so w and b stay the values that
   *   produced it and the caller stops.
   */
  runEpoch(): number {
    const lossValue = torch.tidy(() => {
      const loss = this.w.mul(this.x).add(this.b).sub(this.y).pow(2).mean();
      const value = loss.item();
      if (!Number.isFinite(value)) return value;
      if (!this.skipZeroGrad) {
        this.w.grad?.zero_();
        this.b.grad?.zero_();
      }
      loss.backward();
      const learningRate = this.learningRate;
      torch.noGrad(() => {
        this.w.sub_((this.w.grad as Tensor).mul(learningRate));
        this.b.sub_((this.b.grad as Tensor).mul(learningRate));
      });
      return value;
    });
    this.lastLoss = lossValue;
    if (Number.isFinite(lossValue)) this.epoch++;
    return lossValue;
  }

  /** w's storage (a live view: copy it before sending it anywhere). */
  get wValues(): Float32Array {
    return this.w.data as Float32Array;
  }

  /** w.grad's storage, or null before the first backward. */
  get wGradValues(): Float32Array | null {
    return this.w.grad ? (this.w.grad.data as Float32Array) : null;
  }

  get bValue(): number {
    return this.b.item();
  }

  get bGradValue(): number {
    return this.b.grad ? this.b.grad.item() : 0;
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
 */
export function trainToEnd(config: TrainConfig, onEpoch?: (epoch: number, loss: number) => void): TrainResult {
  const trainer = new LinearRegressionTrainer(config);
  let reason: TrainResult['reason'] = 'epochs';
  let lastFinite: number | null = null;
  let diverged: TrainResult['diverged'];
  while (trainer.epoch < config.epochs) {
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
  return {
    epochs: trainer.epoch,
    loss: reason === 'diverged' ? lastFinite : trainer.lastLoss,
    w: trainer.wValues.slice(),
    b: trainer.bValue,
    reason,
    ...(diverged ? { diverged } : {}),
  };
}
