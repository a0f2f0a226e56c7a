// A run survives a session file: restored as it ended, it continues with exactly the numbers of one
// uninterrupted run, mid-run learning-rate changes included. The window's run store drives the real
// training host (worker-core) in this process, through a fake bridge. Also: a fast run's recording
// holds every epoch's parameters (the charts show the run's shape), continued runs included.
import { describe, expect, it } from 'vitest';
import type { GradLabEvent, TrainConfig } from '../../../src-main/contract/messages';
import { createTrainingHost } from '../../../src-main/training/worker-core';
import { LinearRegressionTrainer, trainToEnd } from '../../../src-main/training/trainer';
import { parseSession, serializeSession } from '../../../src-main/data/session';
import { EventFeed } from '../../../src-renderer/state/feed';
import { TrainingRun } from '../../../src-renderer/state/training-run';
import { captureSession } from '../../../src-renderer/session/glue';
import { savedRunOrigin } from '../../../src-renderer/session/wiring';

/** trainToEnd with every epoch's loss kept (float32, as the worker streams them). */
function reference(config: TrainConfig, changes: Parameters<typeof trainToEnd>[2] = []) {
  const losses: number[] = [];
  const result = trainToEnd(config, (_epoch, loss) => losses.push(Math.fround(loss)), changes);
  return { ...result, losses };
}

const example: TrainConfig = { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 };

/** A run store wired to a training host in this process. */
function connectedRun(traceEpochs = false) {
  const listeners = new Set<(event: GradLabEvent) => void>();
  const host = createTrainingHost((event) => {
    for (const listener of listeners) listener(event as GradLabEvent);
  });
  const feed = new EventFeed({ onEvent: (listener) => (listeners.add(listener), () => listeners.delete(listener)) });
  let counter = 0;
  const run = new TrainingRun({ feed, send: (request) => host.handle(request), newRunId: () => `run-${++counter}`, traceEpochs });
  const settled = async (phase: string, epoch?: number) => {
    for (let i = 0; i < 2000 && !(run.phase === phase && (epoch === undefined || run.epoch === epoch)); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(run.phase).toBe(phase);
    if (epoch !== undefined) expect(run.epoch).toBe(epoch);
  };
  return { run, host, settled };
}

const lab = { xCells: ['1', '2'], yCells: ['115', '21'], wKind: 'values' as const, wValuesText: '1, 2', seedText: '42', bText: '0', lrText: '0.001', epochsText: '100', epochsPerSecond: null };

describe('a run in a session file', () => {
  it('comes back as it ended and continues to the numbers of one uninterrupted run with the same learning-rate change', async () => {
    // The reference: the lesson's loop with lr 0.01 for epochs 1-40, then 0.001.
    const expected = reference(example, [{ fromEpoch: 41, learningRate: 0.001, skipZeroGrad: false }]);

    const first = connectedRun();
    first.run.start(example, { epochsPerSecond: null, startPaused: true });
    first.run.step(40);
    await first.settled('paused', 40);
    first.run.setLearningRate(0.001);
    first.run.step(20);
    await first.settled('paused', 60);
    first.run.stop();
    await first.settled('stopped', 60);

    // Saved mid-run, read back from the file's text.
    const text = serializeSession(captureSession({ language: 'en', lessonId: null, lab, images: null, run: first.run.summary() }));
    const session = parseSession(text);
    expect(session.run).toMatchObject({ epochs: 60, state: 'stopped', settingChanges: [{ fromEpoch: 41, learningRate: 0.001, skipZeroGrad: false }] });
    expect(session.run!.started).toMatchObject({ learningRate: 0.01, epochs: 100 });
    first.host.dispose();

    const second = connectedRun();
    second.run.restore(savedRunOrigin(session)!, session.run!);
    expect(second.run.phase).toBe('stopped');
    expect(second.run.epoch).toBe(60);
    expect(second.run.totalEpochs).toBe(100);
    expect(second.run.losses.length).toBe(60);
    expect(second.run.current?.learningRate).toBe(0.001);
    expect(second.run.recording?.snapshotCount).toBeGreaterThan(1);
    expect(second.run.canContinue).toBe(true);

    expect(second.run.continueTo(100, { learningRate: 0.001, skipZeroGrad: false, epochsPerSecond: null })).toBe(true);
    await second.settled('finished', 100);
    const w = second.run.current!.w;
    expect(w.kind === 'full' && Array.from(w.values)).toEqual(Array.from(expected.w));
    expect(second.run.current!.b).toBe(expected.b);
    expect(Array.from(second.run.losses)).toEqual(expected.losses);
    // The run is still one run: its start and its one change, for the export and the next save.
    expect(second.run.startedConfig).toMatchObject({ learningRate: 0.01, epochs: 100 });
    expect(second.run.settingChanges).toEqual([{ fromEpoch: 41, learningRate: 0.001, skipZeroGrad: false }]);
    second.host.dispose();
  });

  it('a finished run continues past its end (100 then 2000 epochs) exactly as one 2000-epoch run', async () => {
    const expected = reference({ ...example, epochs: 2000 });
    const { run, host, settled } = connectedRun();
    run.start(example, { epochsPerSecond: null });
    await settled('finished', 100);
    expect(run.lastLoss).toBeCloseTo(183.0799, 4);
    expect(run.continueTo(2000, { learningRate: 0.01, skipZeroGrad: false, epochsPerSecond: null })).toBe(true);
    await settled('finished', 2000);
    expect(run.current!.b).toBe(expected.b);
    expect(Array.from(run.losses)).toEqual(expected.losses);
    expect(run.settingChanges).toEqual([]);
    expect(run.startedConfig?.epochs).toBe(2000);
    host.dispose();
  });

  it('a shared-model run (one w, one b) saved mid-way comes back and continues as one run', async () => {
    const shared: TrainConfig = { model: 'shared', x: [1, 2, 3, 4], y: [3, 5, 7, 9], initialW: { kind: 'values', values: [0] }, initialB: 0, learningRate: 0.05, epochs: 50 };
    const expected = reference(shared);
    const first = connectedRun();
    first.run.start(shared, { epochsPerSecond: null, startPaused: true });
    first.run.step(20);
    await first.settled('paused', 20);
    first.run.stop();
    await first.settled('stopped', 20);
    const sharedLab = { ...lab, xCells: ['1', '2', '3', '4'], yCells: ['3', '5', '7', '9'], wValuesText: '0', model: 'perValue' as const };
    const session = parseSession(serializeSession(captureSession({ language: 'en', lessonId: null, lab: sharedLab, images: null, run: first.run.summary() })));
    first.host.dispose();
    // The lab's chooser says perValue now; the run keeps the model it trained.
    expect(session.run!.started?.model).toBe('shared');
    const origin = savedRunOrigin(session)!;
    expect(origin.model).toBe('shared');

    const second = connectedRun();
    second.run.restore(origin, session.run!);
    expect(second.run.canContinue).toBe(true);
    expect(second.run.continueTo(50, { learningRate: 0.05, skipZeroGrad: false, epochsPerSecond: null })).toBe(true);
    await second.settled('finished', 50);
    const w = second.run.current!.w;
    expect(w.kind === 'full' && Array.from(w.values)).toEqual(Array.from(expected.w));
    expect(second.run.current!.b).toBe(expected.b);
    expect(Array.from(second.run.losses)).toEqual(expected.losses);
    second.host.dispose();
  });

  for (const after of [true, false]) {
    it(`a run that forgets zero_grad, saved at epoch 10, continues with its piled-up gradients (zero_grad ${after ? 'still forgotten' : 'back'} from epoch 11) as one run`, async () => {
      const forgetting: TrainConfig = { ...example, epochs: 30, skipZeroGrad: true };
      const expected = reference(forgetting, after ? [] : [{ fromEpoch: 11, learningRate: 0.01, skipZeroGrad: false }]);
      const first = connectedRun();
      first.run.start(forgetting, { epochsPerSecond: null, startPaused: true });
      first.run.step(10);
      await first.settled('paused', 10);
      first.run.stop();
      await first.settled('stopped', 10);
      const session = parseSession(serializeSession(captureSession({ language: 'en', lessonId: null, lab, images: null, run: first.run.summary() })));
      first.host.dispose();
      // The file keeps the gradients the next epoch adds to.
      expect(session.run!.started?.skipZeroGrad).toBe(true);
      expect(session.run!.bGrad).toBe(first.run.current!.bGrad);

      const second = connectedRun();
      second.run.restore(savedRunOrigin(session)!, session.run!);
      expect(second.run.skipZeroGrad).toBe(true);
      expect(second.run.canContinue).toBe(true);
      expect(second.run.continueTo(30, { learningRate: 0.01, skipZeroGrad: after, epochsPerSecond: null })).toBe(true);
      await second.settled('finished', 30);
      const w = second.run.current!.w;
      expect(w.kind === 'full' && Array.from(w.values)).toEqual(Array.from(expected.w));
      expect(second.run.current!.b).toBe(expected.b);
      expect(Array.from(second.run.losses)).toEqual(expected.losses);
      expect(second.run.settingChanges).toEqual(after ? [] : [{ fromEpoch: 11, learningRate: 0.01, skipZeroGrad: false }]);
      second.host.dispose();
    });
  }

  it('a run that forgets zero_grad on a long w (w.grad reaches the window as a summary) cannot continue', async () => {
    const long: TrainConfig = { x: Array.from({ length: 100 }, (_, i) => i / 100), y: Array.from({ length: 100 }, (_, i) => i), initialW: { kind: 'zeros' }, initialB: 0, learningRate: 0.01, epochs: 10, skipZeroGrad: true };
    const { run, host, settled } = connectedRun();
    run.start(long, { epochsPerSecond: null });
    await settled('finished', 10);
    expect(run.current!.wGrad.kind).toBe('summary');
    expect(run.canContinue).toBe(false);
    expect(run.continueTo(20, { learningRate: 0.01, skipZeroGrad: true, epochsPerSecond: null })).toBe(false);
    host.dispose();
  });
});

describe('a run at full speed', () => {
  /** w.grad[0] and b.grad after each epoch, from the trainer itself. */
  function gradientsPerEpoch(config: TrainConfig): { w0: number[]; b: number[] } {
    const trainer = new LinearRegressionTrainer(config);
    const out = { w0: [] as number[], b: [] as number[] };
    for (let i = 0; i < config.epochs; i++) {
      trainer.runEpoch();
      out.w0.push(trainer.wGradValues![0]);
      out.b.push(trainer.bGradValue);
    }
    return out;
  }

  it("records every epoch's gradients (the charts show how they pile up without zero_grad), a continued run too", async () => {
    const forgetting: TrainConfig = { ...example, epochs: 100, skipZeroGrad: true };
    const expected = gradientsPerEpoch({ ...forgetting, epochs: 150 });
    const { run, host, settled } = connectedRun(true);
    run.start(forgetting, { epochsPerSecond: null });
    await settled('finished', 100);
    const recording = run.recording!;
    // The starting values and one snapshot per epoch, not one per display frame.
    expect(recording.snapshotCount).toBe(101);
    const epochs = Array.from({ length: 100 }, (_, i) => recording.snapshotAt(i + 1));
    expect(epochs.map((s) => s.epoch)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(epochs.map((s) => s.wGrad[0])).toEqual(expected.w0.slice(0, 100));
    expect(epochs.map((s) => s.bGrad)).toEqual(expected.b.slice(0, 100));
    expect(epochs.every((s) => s.learningRate === 0.01)).toBe(true);

    expect(run.continueTo(150, { learningRate: 0.01, skipZeroGrad: true, epochsPerSecond: null })).toBe(true);
    await settled('finished', 150);
    expect(recording.snapshotCount).toBe(151);
    const continued = Array.from({ length: 50 }, (_, i) => recording.snapshotAt(101 + i));
    expect(continued.map((s) => s.epoch)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(continued.map((s) => s.bGrad)).toEqual(expected.b.slice(100));
    host.dispose();
  });

  it('a run longer than the trace limit, or a store that does not ask, records one snapshot per update', async () => {
    const untraced = connectedRun();
    untraced.run.start({ ...example, epochs: 2000 }, { epochsPerSecond: null });
    await untraced.settled('finished', 2000);
    expect(untraced.run.recording!.snapshotCount).toBeLessThan(2000);
    untraced.host.dispose();
    const { run, host, settled } = connectedRun(true);
    run.start({ ...example, epochs: 30_000 }, { epochsPerSecond: null });
    await settled('finished', 30_000);
    expect(run.recording!.snapshotCount).toBeLessThan(30_000);
    host.dispose();
  });
});
