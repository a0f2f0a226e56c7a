// Which request does what, against a recording target: routing, the errors for a wrong run id
// or a run that cannot go on, and the races that are silently harmless.
import { describe, expect, it } from 'vitest';
import type { Request, RunState } from '../../../src-main/contract/messages';
import { dispatchControl, type ControlTarget } from '../../../src-main/training/controls';
import { createRun, type Run } from '../../../src-main/training/run';
import { lessonConfig } from './helpers';

const limits = { frameMs: 1000 / 60, predictionIntervalMs: 100, maxStreamingShare: 0.015 };

function recorder(current: Run | null, withOther = false) {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args.map((a) => (a !== null && a === current ? 'run' : a))]);
  const target: ControlTarget = {
    current,
    start: record('start'),
    pause: record('pause'),
    resume: record('resume'),
    step: record('step'),
    stop: record('stop'),
    reset: record('reset'),
    changeSetting: record('changeSetting'),
    setSpeed: record('setSpeed'),
    setTargetLoss: record('setTargetLoss'),
    windowReady: record('windowReady'),
    watchGraph: record('watchGraph'),
    graphAt: record('graphAt'),
    landscape: record('landscape'),
    pong: record('pong'),
    error: record('error'),
    other: withOther ? record('other') : undefined,
  };
  return { target, calls };
}

function runIn(status: RunState, epochs = 100, done = 0): Run {
  const run = createRun('r', lessonConfig(epochs), limits, 0, null);
  run.trainer.runEpochs(done, run.history, null);
  run.status = status;
  return run;
}

describe('dispatchControl', () => {
  it('hands each control of the current run to its action', () => {
    const { target, calls } = recorder(runIn('running'));
    const requests: Request[] = [
      { type: 'pause', runId: 'r' },
      { type: 'resume', runId: 'r' },
      { type: 'step', runId: 'r', count: 3 },
      { type: 'setLearningRate', runId: 'r', learningRate: 0.5 },
      { type: 'setSkipZeroGrad', runId: 'r', skipZeroGrad: true },
      { type: 'setSpeed', runId: 'r', epochsPerSecond: null },
      { type: 'setTargetLoss', runId: 'r', targetLoss: 2 },
      { type: 'windowReady', runId: 'r' },
      { type: 'watchGraph', runId: 'r', on: true, element: 1 },
      { type: 'landscape', runId: 'r', params: [{ kind: 'w', index: 0 }, { kind: 'b' }], size: 8 },
      { type: 'reset', runId: 'r' },
      { type: 'stop', runId: 'r' },
      { type: 'ping', runId: 'heartbeat', seq: 4 },
    ];
    for (const request of requests) dispatchControl(request, target);
    expect(calls).toEqual([
      ['pause', 'run'],
      ['resume', 'run'],
      ['step', 'run', 3],
      ['changeSetting', 'run', { learningRate: 0.5 }],
      ['changeSetting', 'run', { skipZeroGrad: true }],
      ['setSpeed', 'run', null],
      ['setTargetLoss', 'run', 2],
      ['windowReady', 'run'],
      ['watchGraph', 'run', true, 1],
      ['landscape', { type: 'landscape', runId: 'r', params: [{ kind: 'w', index: 0 }, { kind: 'b' }], size: 8 }, 'run'],
      ['reset', 'run'],
      ['stop', 'run'],
      ['pong', 'heartbeat', 4],
    ]);
  });

  it('a landscape with its own data needs no run (and is not taken for the current one)', () => {
    const { target, calls } = recorder(runIn('running'));
    const request: Request = { type: 'landscape', runId: 'l', params: [{ kind: 'w', index: 0 }, { kind: 'b' }], size: 8, data: { model: 'shared', x: [1], y: [2], w: [1], b: 0 } };
    dispatchControl(request, target);
    expect(calls).toEqual([['landscape', request, null]]);
  });

  it('the graph view may open before any run; a landscape of a replaced or reset run is ignored, not an error', () => {
    for (const current of [null, runIn('running')]) {
      const { target, calls } = recorder(current);
      dispatchControl({ type: 'watchGraph', runId: 'old', on: true, element: 2 }, target);
      dispatchControl({ type: 'landscape', runId: 'old', params: [{ kind: 'w', index: 0 }, { kind: 'b' }], size: 8 }, target);
      expect(calls).toEqual([['watchGraph', null, true, 2]]);
    }
  });

  it("the window's windowReady for a run it already replaced is ignored, not an error", () => {
    for (const current of [null, runIn('running')]) {
      const { target, calls } = recorder(current);
      dispatchControl({ type: 'windowReady', runId: 'old' }, target);
      expect(calls).toEqual([]);
    }
  });

  it('graphAt goes to the current run when it names it, else with the values sent (never an error)', () => {
    const { target, calls } = recorder(runIn('finished', 10, 10));
    const own: Request = { type: 'graphAt', runId: 'r', element: 0 };
    const other: Request = { type: 'graphAt', runId: 'restored', element: 1, data: { model: 'perValue', x: [1, 2], y: [3, 4], w: [1, 1], b: 0, epoch: 7 } };
    dispatchControl(own, target);
    dispatchControl(other, target);
    expect(calls).toEqual([
      ['graphAt', own, 'run'],
      ['graphAt', other, null],
    ]);
  });

  it('starts a run whatever the current one is', () => {
    const { target, calls } = recorder(null);
    const config = lessonConfig(10);
    dispatchControl({ type: 'start', runId: 'new', config }, target);
    expect(calls).toEqual([['start', 'new', config]]);
  });

  it('refuses a control for another run or before any run, naming the current one', () => {
    const none = recorder(null);
    dispatchControl({ type: 'pause', runId: 'x' }, none.target);
    expect(none.calls).toEqual([['error', 'x', 'Cannot pause: there is no training run "x" (no run has been started). Start a run first, or use the runId of the current run.']]);
    const other = recorder(runIn('running'));
    dispatchControl({ type: 'setSpeed', runId: 'x', epochsPerSecond: 5 }, other.target);
    expect(other.calls).toEqual([['error', 'x', 'Cannot setSpeed: there is no training run "x" (the current run is "r"). Start a run first, or use the runId of the current run.']]);
  });

  it('refuses to resume or step a run that cannot go on, and says what to do', () => {
    const cases: [Run, string][] = [
      [runIn('diverged'), 'Cannot resume run "r": it diverged (the loss became nan or inf); lower the learning rate and reset it.'],
      [runIn('stopped'), 'Cannot resume run "r": it was stopped; reset it or start a new run.'],
      [runIn('finished', 5, 5), 'Cannot resume run "r": all 5 epochs are done; reset it or start a new run with more epochs.'],
    ];
    for (const [run, message] of cases) {
      const { target, calls } = recorder(run);
      dispatchControl({ type: 'resume', runId: 'r' }, target);
      expect(calls).toEqual([['error', 'r', message]]);
    }
  });

  it('lets a run that stopped at its target loss go on', () => {
    const { target, calls } = recorder(runIn('finished', 100, 10));
    dispatchControl({ type: 'step', runId: 'r', count: 1 }, target);
    expect(calls).toEqual([['step', 'run', 1]]);
  });

  it('ignores pause and stop for a run that already ended (a race with its last epoch)', () => {
    const { target, calls } = recorder(runIn('finished', 5, 5));
    dispatchControl({ type: 'pause', runId: 'r' }, target);
    dispatchControl({ type: 'stop', runId: 'r' }, target);
    expect(calls).toEqual([]);
  });

  it('sends Python requests on when there is a handler, otherwise says where they belong', () => {
    const withHandler = recorder(null, true);
    dispatchControl({ type: 'runPython', runId: 'p', source: 'print(1)' }, withHandler.target);
    expect(withHandler.calls).toEqual([['other', { type: 'runPython', runId: 'p', source: 'print(1)' }]]);
    const without = recorder(null);
    dispatchControl({ type: 'stopPython', runId: 'p' }, without.target);
    expect(without.calls).toEqual([['error', 'p', 'stopPython is not handled by the training worker: send it to the Python runner.']]);
  });
});
