// The trainer against real PyTorch 1.13 numbers (fixtures/training-reference.json, made by
// fixtures/make_training_fixtures.py): the lesson's loop, float32 for float32.
import { describe, expect, it } from 'vitest';
import { Float32Series } from '../../../src-main/contract/series';
import type { TrainConfig } from '../../../src-main/contract/messages';
import {
  LinearRegressionTrainer,
  TrainConfigError,
  describeConfigProblem,
  initialWeights,
  trainToEnd,
} from '../../../src-main/training/trainer';
import { lessonConfig, reference as ref } from './helpers';

describe('LinearRegressionTrainer reproduces the lesson', () => {
  it('100 epochs: loss 183.07989501953125, w=[51.8260,-9.4314], b=45.1103, every loss as PyTorch printed it', () => {
    const losses: number[] = [];
    const result = trainToEnd(lessonConfig(100), (_, loss) => losses.push(loss));
    expect(result.epochs).toBe(100);
    expect(result.loss).toBe(183.07989501953125);
    expect(losses).toEqual(ref.lesson100.losses);
    expect(Array.from(result.w)).toEqual(ref.lesson100.w);
    expect(result.b).toBe(ref.lesson100.b);
    expect(Array.from(result.w, (v) => v.toFixed(4))).toEqual(['51.8260', '-9.4314']);
    expect(result.b.toFixed(4)).toBe('45.1103');
  });

  it('2000 epochs: w=[62.4444,-15.7777], b=52.5554 exactly as PyTorch', () => {
    const result = trainToEnd(lessonConfig(2000));
    expect(Array.from(result.w)).toEqual(ref.lesson2000.w);
    expect(result.b).toBe(ref.lesson2000.b);
    expect(result.loss).toBe(ref.lesson2000.losses[1999]);
    expect(Array.from(result.w, (v) => v.toFixed(4))).toEqual(['62.4444', '-15.7777']);
    expect(result.b.toFixed(4)).toBe('52.5554');
  });

  it('uses a real backward pass: after an epoch w.grad/b.grad hold that epoch\'s gradient', () => {
    const trainer = new LinearRegressionTrainer(lessonConfig(1));
    expect(trainer.wGradValues).toBeNull();
    const loss = trainer.runEpoch();
    // d/dw mean((w*x+b-y)^2) at w=[1,2], b=0: 2*(w*x+b-y)*x/2 = [(1-115)*1, (4-21)*2] = [-114, -34]
    expect(loss).toBe(6642.5);
    expect(Array.from(trainer.wGradValues!)).toEqual([-114, -34]);
    expect(trainer.bGradValue).toBe(-131);
    expect(trainer.w.grad!.gradFn).toBeNull();
    expect(trainer.w.isLeaf).toBe(true);
  });

  it('skipZeroGrad lets gradients pile up exactly as PyTorch does without zero_()', () => {
    const trainer = new LinearRegressionTrainer(lessonConfig(5, { skipZeroGrad: true }));
    const losses = Array.from({ length: 5 }, () => trainer.runEpoch());
    expect(losses).toEqual(ref.skipZeroGrad5.losses);
    expect(Array.from(trainer.wValues)).toEqual(ref.skipZeroGrad5.w);
    expect(trainer.bValue).toBe(ref.skipZeroGrad5.b);
    expect(Array.from(trainer.wGradValues!)).toEqual(ref.skipZeroGrad5.wGrad);
    expect(trainer.bGradValue).toBe(ref.skipZeroGrad5.bGrad);
  });

  it('initialGrad: a run that forgot zero_grad carries on from its piled-up gradients as the uninterrupted run (PyTorch\'s 5 epochs as 3 + 2)', () => {
    const first = new LinearRegressionTrainer(lessonConfig(3, { skipZeroGrad: true }));
    const losses = Array.from({ length: 3 }, () => first.runEpoch());
    const initialGrad = { w: Array.from(first.wGradValues!), b: first.bGradValue };
    const second = new LinearRegressionTrainer(
      lessonConfig(2, { skipZeroGrad: true, initialW: { kind: 'values', values: Array.from(first.wValues) }, initialB: first.bValue, initialGrad }),
    );
    losses.push(second.runEpoch(), second.runEpoch());
    expect(losses).toEqual(ref.skipZeroGrad5.losses);
    expect(Array.from(second.wValues)).toEqual(ref.skipZeroGrad5.w);
    expect(second.bValue).toBe(ref.skipZeroGrad5.b);
    expect(Array.from(second.wGradValues!)).toEqual(ref.skipZeroGrad5.wGrad);
    expect(second.bGradValue).toBe(ref.skipZeroGrad5.bGrad);
    // reset() brings the piled-up gradients back with the starting values
    second.reset();
    expect(Array.from(second.wGradValues!)).toEqual(initialGrad.w);
    expect(second.runEpoch()).toBe(ref.skipZeroGrad5.losses[3]);
    expect(describeConfigProblem(lessonConfig(2, { initialGrad: { w: [1], b: 0 } }))).toMatch(/w.grad has 1 values but w has 2/);
    expect(describeConfigProblem(lessonConfig(2, { initialGrad: { w: [1, Number.NaN], b: 0 } }))).toMatch(/w.grad\[1\] is NaN/);
  });

  it('a learning-rate change between epochs takes effect on the next update', () => {
    const trainer = new LinearRegressionTrainer(lessonConfig(100));
    const losses: number[] = [];
    for (let i = 0; i < 100; i++) {
      if (i === 50) trainer.learningRate = 0.001;
      losses.push(trainer.runEpoch());
    }
    expect(losses).toEqual(ref.lrChangeAt50.losses);
    expect(Array.from(trainer.wValues)).toEqual(ref.lrChangeAt50.w);
  });

  it('stops at the first nan/inf loss without updating (lr 1.0 diverges at epoch 29 like PyTorch)', () => {
    const result = trainToEnd(lessonConfig(1000, { learningRate: 1 }));
    expect(result.reason).toBe('diverged');
    expect(result.diverged).toEqual(ref.diverge_lr1.diverged);
    expect(result.epochs).toBe(ref.diverge_lr1.epochs);
    expect(result.loss).toBe(ref.diverge_lr1.diverged!.lastFiniteLoss);
    expect(Array.from(result.w)).toEqual(ref.diverge_lr1.w);
  });

  it('stops once the loss is below the target loss (after that epoch\'s update)', () => {
    const result = trainToEnd(lessonConfig(100_000, { targetLoss: 1 }));
    expect(result.reason).toBe('target');
    expect(result.epochs).toBe(ref.target1.epochs);
    expect(result.loss).toBe(ref.target1.losses.at(-1));
    expect(result.loss!).toBeLessThan(1);
    expect(Array.from(result.w)).toEqual(ref.target1.w);
  });


  it('runEpochs runs chunks of the same loop: PyTorch\'s losses, and it stops at nan/inf or the target', () => {
    const trainer = new LinearRegressionTrainer(lessonConfig(100));
    const history = new Float32Series(4);
    expect(trainer.runEpochs(30, history, null)).toBe(30);
    expect(trainer.runEpochs(70, history, null)).toBe(70);
    expect(Array.from(history.copy())).toEqual(ref.lesson100.losses);
    expect(Array.from(trainer.wValues)).toEqual(ref.lesson100.w);

    // divergence: the nan/inf epoch is neither counted nor stored, and lastLoss says why it stopped
    const diverging = new LinearRegressionTrainer(lessonConfig(1000, { learningRate: 1 }));
    const divergedHistory = new Float32Series();
    const done = diverging.runEpochs(1000, divergedHistory, null);
    expect(done).toBe(ref.diverge_lr1.epochs);
    expect(divergedHistory.length).toBe(done);
    expect(Number.isFinite(diverging.lastLoss)).toBe(false);
    expect(Array.from(diverging.wValues)).toEqual(ref.diverge_lr1.w);

    // the target: stops after the first epoch below it, in the middle of a chunk
    const targeted = new LinearRegressionTrainer(lessonConfig(100_000));
    const targetHistory = new Float32Series();
    let total = 0;
    while (total < 100_000) {
      const ran = targeted.runEpochs(1000, targetHistory, 1);
      total += ran;
      if (ran < 1000) break;
    }
    expect(total).toBe(ref.target1.epochs);
    expect(targeted.lastLoss).toBe(ref.target1.losses.at(-1));
    expect(Array.from(targeted.wValues)).toEqual(ref.target1.w);
  });
  it('random init is torch.manual_seed(seed) then torch.rand(n)', () => {
    expect(Array.from(initialWeights({ kind: 'random', seed: 0 }, 5))).toEqual(ref.rand_seed0_n5);
    expect(Array.from(initialWeights({ kind: 'random', seed: 42 }, 3))).toEqual(ref.rand_seed42_n3);
    expect(Array.from(initialWeights({ kind: 'ones' }, 3))).toEqual([1, 1, 1]);
    expect(Array.from(initialWeights({ kind: 'zeros' }, 2))).toEqual([0, 0]);
  });

  it('trains 6 random values from a seeded start close to PyTorch', () => {
    const r = ref.random6;
    const result = trainToEnd({ x: r.x, y: r.y, initialW: { kind: 'random', seed: r.seed }, initialB: 0.5, learningRate: r.lr, epochs: 300 });
    // The sum inside mean() over 6 values may round in another order than PyTorch's vectorised
    // reduction, so compare to float32 precision rather than bit for bit.
    result.w.forEach((value, i) => expect(value).toBeCloseTo(r.w[i], 4));
    expect(result.b).toBeCloseTo(r.b, 4);
    expect(result.loss!).toBeCloseTo(r.losses.at(-1)!, 4);
  });

  it('reset returns to the initial w and b and epoch 0, keeping the live learning rate', () => {
    const trainer = new LinearRegressionTrainer(lessonConfig(10));
    trainer.runEpoch();
    trainer.learningRate = 0.005;
    trainer.reset();
    expect(trainer.epoch).toBe(0);
    expect(Array.from(trainer.wValues)).toEqual([1, 2]);
    expect(trainer.bValue).toBe(0);
    expect(trainer.wGradValues).toBeNull();
    expect(trainer.learningRate).toBe(0.005);
    expect(trainer.runEpoch()).toBe(6642.5);
  });

  it('predict() is w*x+b in float32', () => {
    const trainer = new LinearRegressionTrainer({ ...lessonConfig(1), x: [0.1, 0.2], initialW: { kind: 'values', values: [0.3, 0.7] }, initialB: 0.1 });
    const f = Math.fround;
    expect(Array.from(trainer.predict())).toEqual([f(f(f(0.3) * f(0.1)) + f(0.1)), f(f(f(0.7) * f(0.2)) + f(0.1))]);
  });
});

describe('config validation', () => {
  it.each([
    [{ y: [1] }, /x has 2 values but y has 1/],
    [{ x: [], y: [] }, /x is empty/],
    [{ initialW: { kind: 'values', values: [1] } }, /initial w has 1 values but x has 2/],
    [{ x: [1, Number.NaN] }, /x\[1\] is NaN/],
    [{ image: { width: 2, height: 2, channels: 1 } }, /image is 2x2 .* = 4 values, but x has 2/],
  ] as [Partial<TrainConfig>, RegExp][])('%o is refused with a clear message', (patch, message) => {
    const config = lessonConfig(1, patch);
    expect(describeConfigProblem(config)).toMatch(message);
    expect(() => new LinearRegressionTrainer(config)).toThrow(TrainConfigError);
  });

  it('a good config has no problem', () => {
    expect(describeConfigProblem(lessonConfig(1))).toBeNull();
  });
});
