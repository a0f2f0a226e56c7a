import { describe, expect, it } from 'vitest';
import { LinearRegressionTrainer } from '../../../src-main/training/trainer';
import type { ParamView } from '../../../src-main/contract/messages';
import { scrub } from '../../../src-renderer/classroom/replay';
import { RunRecording, clampPosition, wAt, type ParamSnapshot, type UpdateLike } from '../../../src-renderer/state/run-recording';
import { predictionOf, updateArithmetic } from '../../../src-renderer/classroom/arithmetic';
import { lessonExampleConfig } from '../../../src-renderer/classroom/mistakes';

const full = (values: ArrayLike<number>): ParamView => ({ kind: 'full', values: Float32Array.from(values) });

/** Feeds a recording the way the worker does in slow motion: one update per epoch (epoch 0 first). */
function recordSlowRun(epochs: number, skipZeroGrad = false): { recording: RunRecording; losses: number[] } {
  const trainer = new LinearRegressionTrainer({ ...lessonExampleConfig(epochs), skipZeroGrad });
  const recording = new RunRecording();
  const losses: number[] = [];
  const update = (lossesSince: number[], firstEpoch: number): UpdateLike => ({
    epoch: trainer.epoch,
    firstEpoch,
    losses: Float32Array.from(lossesSince),
    w: full(trainer.wValues),
    wGrad: full(trainer.wGradValues ?? new Float32Array(trainer.size)),
    b: trainer.bValue,
    bGrad: trainer.bGradValue,
    learningRate: trainer.learningRate,
  });
  recording.add(update([], 1));
  for (let e = 0; e < epochs; e++) {
    const loss = trainer.runEpoch();
    losses.push(loss);
    recording.add(update([loss], trainer.epoch));
  }
  return { recording, losses };
}

const snapshotsOf = (recording: RunRecording): ParamSnapshot[] => Array.from({ length: recording.snapshotCount }, (_, i) => recording.snapshotAt(i));

describe('RunRecording', () => {
  it('records every loss and the parameters of every update; frameAt replays any epoch', () => {
    const { recording, losses } = recordSlowRun(100);
    expect(recording.epochCount).toBe(100);
    expect(recording.snapshotCount).toBe(101);
    expect(recording.lossAt(1)).toBe(6642.5);
    expect(recording.lossAt(100)).toBeCloseTo(183.0799, 4);
    expect(Array.from(recording.losses())).toEqual(losses.map(Math.fround));

    const end = recording.frameAt(100);
    expect(end.exact).toBe(true);
    expect(wAt(end.snapshot!, 0)).toBeCloseTo(51.826, 4);
    expect(wAt(end.snapshot!, 1)).toBeCloseTo(-9.4314, 4);
    expect(end.snapshot!.b).toBeCloseTo(45.1103, 4);

    const start = recording.frameAt(0);
    expect(start.loss).toBeNull();
    expect(start.snapshot!.w).toEqual([1, 2]);
    // Positions outside the run are clamped.
    expect(recording.frameAt(500).epoch).toBe(100);
    expect(recording.frameAt(-3).epoch).toBe(0);
  });

  it('with sparse updates (fast runs) shows the newest parameters recorded before the position', () => {
    const recording = new RunRecording();
    const view = (v: number) => full([v, v]);
    recording.add({ epoch: 0, firstEpoch: 1, losses: [], w: view(0), wGrad: view(0), b: 0, bGrad: 0, learningRate: 0.1 });
    recording.add({ epoch: 40, firstEpoch: 1, losses: Array.from({ length: 40 }, (_, i) => 100 - i), w: view(40), wGrad: view(1), b: 4, bGrad: 1, learningRate: 0.1 });
    recording.add({ epoch: 90, firstEpoch: 41, losses: Array.from({ length: 50 }, (_, i) => 60 - i), w: view(90), wGrad: view(1), b: 9, bGrad: 1, learningRate: 0.1 });
    const frame = recording.frameAt(65);
    expect(frame.loss).toBe(36);
    expect(frame.snapshot!.epoch).toBe(40);
    expect(frame.exact).toBe(false);
    expect(recording.frameAt(90).exact).toBe(true);
    expect(recording.snapshotIndexAt(39)).toBe(0);
    expect(recording.stepPairAt(90)).toBeNull();
  });

  it('a repeated update for the same epoch replaces the older snapshot', () => {
    const recording = new RunRecording();
    const base = { firstEpoch: 1, losses: [], wGrad: full([0]), bGrad: 0, learningRate: 0.01 };
    recording.add({ ...base, epoch: 0, w: full([1]), b: 0 });
    recording.add({ ...base, epoch: 0, w: full([1]), b: 0, learningRate: 0.5 });
    expect(recording.snapshotCount).toBe(1);
    expect(recording.snapshotAt(0).learningRate).toBe(0.5);
  });

  it('scrub and clampPosition move one epoch (or a tenth with Shift) inside 0..count', () => {
    expect(scrub(5, 1, 10)).toBe(6);
    expect(scrub(10, 1, 10)).toBe(10);
    expect(scrub(0, -1, 10)).toBe(0);
    expect(scrub(50, -1, 100, true)).toBe(40);
    expect(clampPosition(3.6, 10)).toBe(4);
    expect(clampPosition(Number.NaN, 10)).toBe(0);
  });
});

describe('updateArithmetic', () => {
  it('writes the first epoch of the lesson by hand: w[0] 1 − 0.01 × (−114) = 2.14, b 0 − 0.01 × (−131) = 1.31', () => {
    const { recording } = recordSlowRun(1);
    const pair = recording.stepPairAt(1)!;
    const arithmetic = updateArithmetic(pair.before, pair.after, 0)!;
    expect(arithmetic.epoch).toBe(1);
    const [w0, b] = arithmetic.rows;
    expect(w0).toMatchObject({ name: 'w[0]', before: 1, grad: -114, learningRate: 0.01, checks: true });
    expect(w0.step).toBe(Math.fround(-1.14));
    expect(w0.after.toFixed(4)).toBe("2.1400");
    expect(b).toMatchObject({ name: 'b', before: 0, grad: -131, checks: true });
    expect(b.after.toFixed(4)).toBe("1.3100");
    const w1 = updateArithmetic(pair.before, pair.after, 1)!.rows[0];
    expect(w1).toMatchObject({ before: 2, grad: -34, checks: true });
  });

  it('matches the trainer bit for bit on every one of 100 epochs, for w[0], w[1] and b', () => {
    const { recording } = recordSlowRun(100);
    for (let epoch = 1; epoch <= 100; epoch++) {
      const pair = recording.stepPairAt(epoch)!;
      expect(pair.after.epoch).toBe(epoch);
      for (const index of [0, 1]) {
        const rows = updateArithmetic(pair.before, pair.after, index)!.rows;
        expect(rows.every((row) => row.checks), `epoch ${epoch} w[${index}]`).toBe(true);
      }
    }
  });

  it('also checks out when the gradients pile up (skipZeroGrad), and the gradients grow', () => {
    const { recording } = recordSlowRun(5, true);
    const grads = snapshotsOf(recording).slice(1).map((s) => s.bGrad);
    expect(Math.abs(grads[4])).toBeGreaterThan(Math.abs(grads[0]) * 3);
    const pair = recording.stepPairAt(5)!;
    expect(updateArithmetic(pair.before, pair.after, 0)!.rows.every((r) => r.checks)).toBe(true);
  });

  it('refuses snapshots that are not one epoch apart, and flags numbers that do not add up', () => {
    const { recording } = recordSlowRun(3);
    expect(updateArithmetic(snapshotsOf(recording)[0], snapshotsOf(recording)[2], 0)).toBeNull();
    const after = { ...snapshotsOf(recording)[1], w: [99, 99] };
    expect(updateArithmetic(snapshotsOf(recording)[0], after, 0)!.rows[0].checks).toBe(false);
  });

  it('prediction: 51.8260 × 1 + 45.1103 = 96.9363 after 100 epochs', () => {
    const { recording } = recordSlowRun(100);
    const p = predictionOf(recording.last!, [1, 2], 0)!;
    expect(p.yHat.toFixed(4)).toBe('96.9363');
    expect(predictionOf(recording.last!, [1, 2], 5)).toBeNull();
  });
});
