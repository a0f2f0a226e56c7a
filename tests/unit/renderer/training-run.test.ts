// The window's run store without a bridge: a fake event stream in, the requests it sends out.
import { describe, expect, it } from 'vitest';
import type { GradLabEvent, ParamView, Request, TrainConfig } from '../../../src-main/contract/messages';
import { APP_RUN_ID } from '../../../src-main/contract/channels';
import { EventFeed } from '../../../src-renderer/state/feed';
import { TrainingRun } from '../../../src-renderer/state/training-run';
import { MAX_SNAPSHOTS, RunRecording } from '../../../src-renderer/state/run-recording';

function fakeStream() {
  const listeners = new Set<(event: GradLabEvent) => void>();
  return {
    source: { onEvent: (listener: (event: GradLabEvent) => void) => (listeners.add(listener), () => listeners.delete(listener)) },
    emit: (event: GradLabEvent) => listeners.forEach((listener) => listener(event)),
    listenerCount: () => listeners.size,
  };
}

function setUp() {
  const stream = fakeStream();
  const feed = new EventFeed(stream.source);
  const sent: Request[] = [];
  let counter = 0;
  const run = new TrainingRun({ feed, send: (request) => sent.push(request), newRunId: () => `run-${++counter}` });
  return { stream, feed, sent, run };
}

const full = (...values: number[]): ParamView => ({ kind: 'full', values: Float32Array.from(values) });
const config: TrainConfig = { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 };

function update(runId: string, epoch: number, losses: number[], extra: Partial<Extract<GradLabEvent, { type: 'update' }>> = {}): GradLabEvent {
  return {
    type: 'update',
    runId,
    state: 'running',
    epoch,
    firstEpoch: epoch - losses.length + 1,
    losses: Float32Array.from(losses),
    w: full(epoch, -epoch),
    wGrad: full(0.5, -0.5),
    b: epoch / 10,
    bGrad: 1,
    learningRate: 0.01,
    epochsPerSecond: 1000,
    ...extra,
  };
}

describe('EventFeed', () => {
  it('listens once and hands each event to the owner of its run id; commands only from the app', () => {
    const stream = fakeStream();
    const feed = new EventFeed(stream.source);
    const seen: string[] = [];
    feed.watchRun('a', (event) => seen.push(`a:${event.type}`));
    const stopB = feed.watchRun('b', (event) => seen.push(`b:${event.type}`));
    feed.onCommand((command) => seen.push(`command:${command}`));
    stream.emit({ type: 'error', runId: 'a', message: 'x' });
    stream.emit({ type: 'error', runId: 'c', message: 'x' });
    stream.emit({ type: 'workerRestarted', runId: '', reason: 'crash' });
    stopB();
    stream.emit({ type: 'workerRestarted', runId: 'b', reason: 'crash' });
    stream.emit({ type: 'appCommand', runId: APP_RUN_ID, command: 'saveSession' });
    stream.emit({ type: 'appCommand', runId: 'not-the-app', command: 'saveSession' });
    expect(seen).toEqual(['a:error', 'a:workerRestarted', 'b:workerRestarted', 'command:saveSession']);
    expect(stream.listenerCount()).toBe(1);
    feed.dispose();
    expect(stream.listenerCount()).toBe(0);
  });

  it("hands a run's events to every handler watching it (the run and its graph view), until each stops", () => {
    const stream = fakeStream();
    const feed = new EventFeed(stream.source);
    const seen: string[] = [];
    const stopRun = feed.watchRun('a', (event) => seen.push(`run:${event.type}`));
    const stopGraph = feed.watchRun('a', (event) => seen.push(`graph:${event.type}`));
    stream.emit({ type: 'error', runId: 'a', message: 'x' });
    stopGraph();
    stream.emit({ type: 'error', runId: 'a', message: 'y' });
    stopRun();
    stream.emit({ type: 'error', runId: 'a', message: 'z' });
    expect(seen).toEqual(['run:error', 'graph:error', 'run:error']);
  });
});

describe('TrainingRun', () => {
  it('starts a run, follows its updates and ignores other runs', () => {
    const { stream, sent, run } = setUp();
    expect(run.phase).toBe('idle');
    run.start(config, { epochsPerSecond: null });
    expect(sent[0]).toMatchObject({ type: 'start', runId: 'run-1', config: { epochsPerSecond: null, startPaused: false, learningRate: 0.01 } });
    expect(run.phase).toBe('starting');
    stream.emit(update('run-1', 0, []));
    stream.emit(update('run-1', 3, [10, 9, 8]));
    stream.emit(update('someone-else', 50, [1]));
    expect(run.phase).toBe('running');
    expect(run.epoch).toBe(3);
    expect(Array.from(run.losses)).toEqual([10, 9, 8]);
    expect(run.lastLoss).toBe(8);
    expect(run.current?.epoch).toBe(3);
    expect(run.previous?.epoch).toBe(0);
    expect(run.progress).toBeCloseTo(0.03);
    expect(Array.from(run.x)).toEqual([1, 2]);
    stream.emit({ type: 'finished', runId: 'run-1', reason: 'epochs', epoch: 100, loss: 1 });
    expect(run.phase).toBe('finished');
    expect(run.active).toBe(false);
  });

  it("asks the worker to wait for the window, and says it is ready once the run's first state is painted", () => {
    const stream = fakeStream();
    const sent: Request[] = [];
    const painted: (() => void)[] = [];
    let counter = 0;
    const run = new TrainingRun({ feed: new EventFeed(stream.source), send: (request) => sent.push(request), newRunId: () => `run-${++counter}`, afterPaint: (fn) => painted.push(fn) });
    run.start(config, { epochsPerSecond: null });
    expect(sent[0]).toMatchObject({ type: 'start', runId: 'run-1', config: { waitForWindow: true } });
    stream.emit(update('run-1', 0, []));
    expect(painted).toHaveLength(1);
    expect(sent).toHaveLength(1); // not before the frame showing it is painted
    painted[0]();
    expect(sent.at(-1)).toEqual({ type: 'windowReady', runId: 'run-1' });
    stream.emit(update('run-1', 3, [10, 9, 8]));
    expect(painted).toHaveLength(1); // once per run
    // a run started paused (step by step) has nothing to wait for
    run.start(config, { epochsPerSecond: null, startPaused: true });
    expect(sent.at(-1)).toMatchObject({ type: 'start', runId: 'run-2' });
    expect((sent.at(-1) as Extract<Request, { type: 'start' }>).config.waitForWindow).toBeUndefined();
    stream.emit(update('run-2', 0, [], { state: 'paused' }));
    expect(painted).toHaveLength(1);
  });

  it('shows a pause at once and an update the worker sent before it saw the pause does not undo it', () => {
    const { stream, sent, run } = setUp();
    run.start(config, { epochsPerSecond: 10 });
    stream.emit(update('run-1', 1, [10]));
    run.pause();
    expect(sent.at(-1)).toEqual({ type: 'pause', runId: 'run-1' });
    expect(run.phase).toBe('paused');
    stream.emit(update('run-1', 2, [9]));
    expect(run.phase).toBe('paused');
    stream.emit(update('run-1', 2, [], { state: 'paused' }));
    run.resume();
    expect(run.phase).toBe('running');
    stream.emit(update('run-1', 2, [], { state: 'paused' }));
    expect(run.phase).toBe('running');
    run.step(3);
    expect(sent.slice(-2)).toEqual([{ type: 'pause', runId: 'run-1' }, { type: 'step', runId: 'run-1', count: 3 }]);
  });

  it('keeps a zero_grad switch shown until the worker confirms it', () => {
    const { stream, sent, run } = setUp();
    run.start(config, { epochsPerSecond: null, startPaused: true });
    stream.emit(update('run-1', 3, [1, 2, 3], { state: 'paused', skipZeroGrad: false }));
    run.setSkipZeroGrad(true);
    expect(sent.at(-1)).toEqual({ type: 'setSkipZeroGrad', runId: 'run-1', skipZeroGrad: true });
    expect(run.zeroGradChange).toEqual({ skipZeroGrad: true, epoch: 4 });
    stream.emit(update('run-1', 3, [], { state: 'paused', skipZeroGrad: false }));
    expect(run.skipZeroGrad).toBe(true);
    stream.emit(update('run-1', 4, [4], { state: 'paused', skipZeroGrad: true, settingChanges: [{ fromEpoch: 4, learningRate: 0.01, skipZeroGrad: true }] }));
    expect(run.skipZeroGrad).toBe(true);
    expect(run.settingChanges).toEqual([{ fromEpoch: 4, learningRate: 0.01, skipZeroGrad: true }]);
  });

  it('keeps one change per epoch, the last one, and none that changes nothing', () => {
    const { stream, run } = setUp();
    run.start(config, { epochsPerSecond: null, startPaused: true });
    const change = (learningRate: number) => ({ fromEpoch: 41, learningRate, skipZeroGrad: false });
    // Enter and then leaving the field: two requests for the same epoch, confirmed in two updates.
    stream.emit(update('run-1', 40, [], { state: 'paused', learningRate: 0.001, settingChanges: [change(0.001)] }));
    stream.emit(update('run-1', 40, [], { state: 'paused', learningRate: 0.001, settingChanges: [change(0.001)] }));
    expect(run.settingChanges).toEqual([change(0.001)]);
    stream.emit(update('run-1', 40, [], { state: 'paused', learningRate: 0.002, settingChanges: [change(0.002)] }));
    expect(run.settingChanges).toEqual([change(0.002)]);
    // Back to the starting rate before epoch 41 trained: no change at all.
    stream.emit(update('run-1', 40, [], { state: 'paused', learningRate: 0.01, settingChanges: [change(0.01)] }));
    expect(run.settingChanges).toEqual([]);
  });

  it('says which epoch diverged and which was the last finite one', () => {
    const { stream, run } = setUp();
    run.start(config, { epochsPerSecond: null });
    stream.emit(update('run-1', 28, Array.from({ length: 28 }, (_, i) => 10 ** i)));
    stream.emit({ type: 'diverged', runId: 'run-1', epoch: 29, lastFiniteLoss: 1e27, learningRate: 10 });
    expect(run.phase).toBe('diverged');
    expect(run.epoch).toBe(28);
    expect(run.current?.epoch).toBe(28);
    expect(run.notice).toMatchObject({ kind: 'diverged', epoch: 29, lastFiniteEpoch: 28, lastFiniteLoss: 1e27 });
    run.dismissNotice();
    expect(run.notice).toBeNull();
  });

  it('keeps what it showed when the worker restarts, and reset forgets the run', () => {
    const { stream, sent, run } = setUp();
    run.start(config, { epochsPerSecond: null });
    stream.emit(update('run-1', 5, [5, 4, 3, 2, 1]));
    stream.emit({ type: 'workerRestarted', runId: '', reason: 'simulated crash' });
    expect(run.phase).toBe('stopped');
    expect(run.notice).toEqual({ kind: 'restarted', reason: 'simulated crash' });
    expect(run.losses.length).toBe(5);
    // A training process lost to memory: the cause travels with the notice, for the window to word.
    stream.emit({ type: 'workerRestarted', runId: 'run-1', cause: 'outOfMemory', reason: 'The training worker ran out of memory (FATAL ERROR: ...).' });
    expect(run.notice).toMatchObject({ kind: 'restarted', cause: 'outOfMemory' });
    run.reset();
    expect(sent.at(-1)).toEqual({ type: 'reset', runId: 'run-1' });
    expect(run.phase).toBe('idle');
    expect(run.losses.length).toBe(0);
    stream.emit(update('run-1', 6, [0]));
    expect(run.phase).toBe('idle');
  });

  it('a new run stops the one still going and starts from nothing', () => {
    const { stream, sent, run } = setUp();
    run.start(config, { epochsPerSecond: null });
    stream.emit(update('run-1', 2, [2, 1]));
    run.start({ ...config, epochs: 10 }, { epochsPerSecond: null });
    expect(sent.slice(-2).map((r) => `${r.type}:${r.runId}`)).toEqual(['stop:run-1', 'start:run-2']);
    expect(run.losses.length).toBe(0);
    expect(run.totalEpochs).toBe(10);
  });
});

describe('RunRecording', () => {
  it('keeps the recorded w elements and b as series for the trajectory charts', () => {
    const recording = new RunRecording();
    const wide = (base: number): ParamView => ({ kind: 'full', values: Float32Array.from({ length: 6 }, (_, i) => base + i) });
    recording.add({ epoch: 0, firstEpoch: 1, losses: [], w: wide(0), wGrad: wide(10), b: 0, bGrad: 0, learningRate: 0.1 });
    recording.add({ epoch: 5, firstEpoch: 1, losses: [5, 4, 3, 2, 1], w: wide(100), wGrad: wide(200), b: 1, bGrad: 2, learningRate: 0.1 });
    const values = recording.series('values');
    expect(values.map((s) => s.label)).toEqual(['w[0]', 'w[1]', 'w[2]', 'w[3]', 'b']);
    expect(Array.from(values[1].epochs)).toEqual([0, 5]);
    expect(Array.from(values[1].values)).toEqual([1, 101]);
    expect(Array.from(values[4].values)).toEqual([0, 1]);
    const grads = recording.series('grads', 1);
    expect(grads.map((s) => s.label)).toEqual(['w[0].grad', 'b.grad']);
    expect(Array.from(grads[0].values)).toEqual([10, 200]);
    // A summary's chosen elements are recorded by index.
    const long = new RunRecording();
    const summary = (v: number): ParamView => ({ kind: 'summary', length: 1000, min: 0, max: 1, mean: 0.5, indices: [0, 500, 999], values: [v, v + 1, v + 2] });
    long.add({ epoch: 0, firstEpoch: 1, losses: [], w: summary(0), wGrad: summary(0), b: 0, bGrad: 0, learningRate: 1 });
    expect(long.wIndices).toEqual([0, 500, 999]);
    expect(long.series('values').map((s) => s.label)).toEqual(['w[0]', 'w[500]', 'w[999]', 'b']);
  });

  it('thins the older half of a very long recording but keeps the start and the newest updates one by one', () => {
    const recording = new RunRecording();
    const view = full(1, 2);
    for (let epoch = 0; epoch <= MAX_SNAPSHOTS + 10; epoch++) recording.add({ epoch, firstEpoch: epoch, losses: epoch ? [epoch] : [], w: view, wGrad: view, b: epoch, bGrad: 0, learningRate: 0.5 });
    expect(recording.snapshotCount).toBeLessThan(MAX_SNAPSHOTS);
    expect(recording.epochCount).toBe(MAX_SNAPSHOTS + 10);
    expect(recording.snapshotAt(0).epoch).toBe(0);
    const last = recording.snapshotAt(recording.snapshotCount - 1);
    expect(last).toMatchObject({ epoch: MAX_SNAPSHOTS + 10, b: MAX_SNAPSHOTS + 10, learningRate: 0.5, w: [1, 2] });
    expect(recording.stepPairAt(MAX_SNAPSHOTS + 10)?.before.epoch).toBe(MAX_SNAPSHOTS + 9);
    // Every snapshot is still in epoch order.
    let previous = -1;
    for (let i = 0; i < recording.snapshotCount; i++) {
      expect(recording.snapshotAt(i).epoch).toBeGreaterThan(previous);
      previous = recording.snapshotAt(i).epoch;
    }
  });
});
