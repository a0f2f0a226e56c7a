// The bare side of `npm run bench:train`: the lesson's loop straight on the engine. It runs in a
// worker thread (bench-train-worker.ts): the training worker's own thread by default, so the
// difference the bench measures is what the training host adds (its loop and streaming), not one
// thread's compiled code against another's.
import { torch, type Tensor } from '../engine';
import { threadCpuClock } from '../training/thread-cpu-node';

export interface Measured {
  wallMs: number;
  /** CPU time of the training thread, NaN where the platform cannot tell. */
  cpuMs: number;
  loss: number;
}

const threadCpu = threadCpuClock();

function tensorOf(values: Float32Array, requiresGrad: boolean): Tensor {
  const t = torch.zeros([values.length], { requiresGrad });
  (t.data as Float32Array).set(values);
  return t;
}

/**
 * The lesson's loop straight on the engine, as ../shared/bench/lr_*.py (beside the repository) runs it, each epoch in
 * torch.tidy() (the engine's fast path, which the trainer uses too), loss.item() at the end only.
 * The tensors are made once per size and reset before every measurement: tensors made outside
 * torch.tidy() return to the engine's arena only when the GC runs, so making fresh ones for
 * every round would fill the arena after ~8 rounds at 786,432 values and push the bare loop
 * onto the slow plain-JS kernels (the worker's trainer reuses its buffers the same way).
 */
export class BareLoop {
  private readonly xt: Tensor;
  private readonly yt: Tensor;
  private readonly w: Tensor;

  constructor(x: Float32Array, y: Float32Array) {
    this.xt = tensorOf(x, false);
    this.yt = tensorOf(y, false);
    this.w = torch.ones([x.length], { requiresGrad: true });
  }

  run(epochs: number): Measured {
    const { xt, yt, w } = this;
    (w.data as Float32Array).fill(1);
    w.grad?.zero_();
    const b = torch.tensor(0, { requiresGrad: true, dtype: 'float32' });
    const learningRate = 0.01;
    let loss: Tensor | null = null;
    const cpuStarted = threadCpu ? threadCpu() : Number.NaN;
    const started = performance.now();
    for (let epoch = 0; epoch < epochs; epoch++) {
      loss = torch.tidy(() => {
        // the same fused forms the trainer uses
        const yHat = w.mulAdd(xt, b) ?? w.mul(xt).add(b);
        const epochLoss = yHat.squaredErrorMean(yt) ?? yHat.sub(yt).pow(2).mean();
        epochLoss.backward();
        torch.noGrad(() => {
          const wGrad = w.grad as Tensor;
          const bGrad = b.grad as Tensor;
          if (!w.addScaledInPlace(wGrad, learningRate, true)) w.sub_(wGrad.mul(learningRate));
          if (!b.addScaledInPlace(bGrad, learningRate, true)) b.sub_(bGrad.mul(learningRate));
        });
        (w.grad as Tensor).zero_();
        (b.grad as Tensor).zero_();
        return epochLoss;
      });
    }
    const wallMs = performance.now() - started;
    const cpuMs = threadCpu ? threadCpu() - cpuStarted : Number.NaN;
    return { wallMs, cpuMs, loss: (loss as Tensor).item() };
  }
}
