// One slice of epochs on a real trainer with a made-up clock: it ends at the run's end, the
// target, a divergence, the end of a step, or when its time is up or an update is due.
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../../src-main/contract/messages';
import { createRun } from '../../../src-main/training/run';
import { runSlice } from '../../../src-main/training/slice';
import { lessonConfig, reference } from './helpers';

const limits = { frameMs: 1000 / 60, predictionIntervalMs: 100, maxStreamingShare: 0.015 };

/** A clock that moves `stepMs` on every read. */
function steppingClock(stepMs: number) {
  let now = 0;
  return () => (now += stepMs);
}

function runFor(config: TrainConfig) {
  const run = createRun('r', config, limits, 0, null);
  run.pacing.noteUpdate(0, 0); // as if the first update just went out: the next is a frame away
  return run;
}

describe('runSlice', () => {
  it('runs to the last epoch and says so, with every loss recorded', () => {
    const run = runFor(lessonConfig(100));
    const outcome = runSlice(run, () => 0, 0, 8); // the clock stands still: time is never up
    expect(outcome.end).toBe('epochs');
    expect(Array.from(run.history.copy())).toEqual(reference.lesson100.losses);
  });

  it('stops after exactly the step budget', () => {
    const run = runFor(lessonConfig(100));
    run.stepBudget = 7;
    expect(runSlice(run, () => 0, 0, 8).end).toBe('stepped');
    expect(run.trainer.epoch).toBe(7);
    expect(run.stepBudget).toBe(0);
  });

  it('stops once the loss is below the target', () => {
    const run = runFor(lessonConfig(2000, { targetLoss: 1 }));
    expect(runSlice(run, () => 0, 0, 8).end).toBe('target');
    expect(run.trainer.lastLoss).toBeLessThan(1);
    expect(run.history.at(run.history.length - 2)).toBeGreaterThanOrEqual(1);
  });

  it('stops at the first loss that is not finite', () => {
    const run = runFor(lessonConfig(1000, { learningRate: 1 }));
    expect(runSlice(run, () => 0, 0, 8).end).toBe('diverged');
    expect(Number.isFinite(run.trainer.lastLoss)).toBe(false);
  });

  it('yields when its time is up, and the next slice carries on where it stopped', () => {
    const run = runFor(lessonConfig(1_000_000));
    run.pacing.noteUpdate(0, 1000); // updates far apart: only the slice's time ends it
    const clock = steppingClock(1);
    const outcome = runSlice(run, clock, 0, 8);
    expect(outcome.end).toBe('yield');
    expect(outcome.resumeAt).toBe(8);
    const done = run.trainer.epoch;
    expect(done).toBeGreaterThan(0);
    runSlice(run, clock, 8, 8);
    expect(run.trainer.epoch).toBeGreaterThan(done);
  });

  it('yields early when an update is due', () => {
    const run = runFor(lessonConfig(1_000_000));
    run.pacing.noteUpdate(0, 0); // next update at 1000/60 ms
    const outcome = runSlice(run, steppingClock(10), 0, 1000);
    expect(outcome).toEqual({ end: 'yield', resumeAt: 20 });
  });

  it('under a speed limit runs what the time allows and says when to go on', () => {
    const run = runFor(lessonConfig(100, { epochsPerSecond: 10 }));
    const outcome = runSlice(run, () => 0, 0, 8);
    expect(outcome).toEqual({ end: 'wait', resumeAt: 100 });
    expect(run.trainer.epoch).toBe(1);
  });
});
