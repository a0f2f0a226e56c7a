// The training host in-process (same code the workers run): every control, batching, divergence,
// validation. Pace and batching run on a hand-driven clock (handDriven), so nothing here depends
// on how busy the machine is; the real-thread versions are in worker.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WINDOW_READY_TIMEOUT_MS, type EventMap, type GradLabEvent, type Request } from '../../../src-main/contract/messages';
import { createTrainingHost, type TrainingHost } from '../../../src-main/training/worker-core';
import { weightsHeatmap } from '../../../src-main/data/pictures';
import { paramView } from '../../../src-main/training/update';
import { EventLog, bigConfig, lessonConfig, reference, sleep } from './helpers';

type Update = EventMap['update'];
const isUpdate = (e: GradLabEvent): e is Update => e.type === 'update';

let host: TrainingHost | null = null;
function makeHost(options: Parameters<typeof createTrainingHost>[1] = {}) {
  const log = new EventLog();
  host = createTrainingHost((event) => log.push(event), { nextTurn: (fn) => void setImmediate(fn), ...options });
  const send = (request: Request) => host!.handle(request);
  return { log, send, host };
}
afterEach(() => {
  host?.dispose();
  host = null;
});

/**
 * A clock and event loop the test drives by hand: `advance(ms)` moves the clock a millisecond at a
 * time, firing due timers and queued turns; `tickPerRead` makes every clock read move it too (so
 * a flat-out slice ends after its few milliseconds).
 */
function handDriven() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let clock = 0;
  const turns: Array<() => void> = [];
  const hand = {
    tickPerRead: 0,
    now: () => (clock += hand.tickPerRead),
    nextTurn: (fn: () => void) => void turns.push(fn),
    runTurns(count: number) {
      for (let i = 0; i < count && turns.length > 0; i++) turns.shift()!();
    },
    advance(ms: number) {
      for (let i = 0; i <= ms; i++) {
        if (i > 0) {
          clock += 1;
          vi.advanceTimersByTime(1);
        }
        while (turns.length > 0) turns.shift()!();
      }
    },
    dispose: () => vi.useRealTimers(),
  };
  return hand;
}

const fullValues = (view: Update['w']) => (view.kind === 'full' ? Array.from(view.values) : null);

describe('training host', () => {
  it('runs the lesson: initial update at epoch 0, every loss exactly once, final update, then finished', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'r1', config: lessonConfig(2000) });
    const first = log.of('update')[0];
    expect(first).toMatchObject({ state: 'running', epoch: 0, firstEpoch: 1, b: 0, bGrad: 0, learningRate: 0.01, totalEpochs: 2000 });
    expect(fullValues(first.w)).toEqual([1, 2]);
    const finished = await log.waitFor((e) => e.type === 'finished');
    expect(finished).toMatchObject({ reason: 'epochs', epoch: 2000, loss: reference.lesson2000.losses[1999] });
    const updates = log.of('update');
    const last = updates.at(-1)!;
    expect(last).toMatchObject({ state: 'finished', epoch: 2000, b: reference.lesson2000.b });
    expect(fullValues(last.w)).toEqual(reference.lesson2000.w);
    // The update just before `finished` is the final one: nothing arrives after it.
    expect(log.events.at(-1)!.event).toBe(finished);
    expect(log.events.at(-2)!.event).toBe(last);
    expect(log.lossCurve('r1')).toEqual(reference.lesson2000.losses);
  });

  it('pause takes effect at once and holds; resume continues to the same numbers', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'p', config: lessonConfig(3_000_000) });
    await log.waitFor((e) => isUpdate(e) && e.epoch > 0);
    send({ type: 'pause', runId: 'p' });
    const paused = log.of('update').at(-1)!;
    expect(paused.state).toBe('paused');
    const mark = log.mark;
    await sleep(100);
    expect(log.mark).toBe(mark); // nothing runs or streams while paused
    send({ type: 'resume', runId: 'p' });
    const resumed = await log.waitFor((e): e is Update => isUpdate(e) && e.state === 'running' && e.epoch > paused.epoch, 5000, mark);
    expect(resumed.firstEpoch).toBe(paused.epoch + 1);
    send({ type: 'stop', runId: 'p' });
    const curve = log.lossCurve('p');
    expect(curve.slice(0, 2000)).toEqual(reference.lesson2000.losses.slice(0, Math.min(2000, curve.length)));
  });

  it('step 1 and step N run exactly that many epochs, then pause with the final state', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 's', config: lessonConfig(100, { startPaused: true }) });
    expect(log.of('update')[0].state).toBe('paused');
    send({ type: 'step', runId: 's', count: 1 });
    const one = await log.waitFor((e): e is Update => isUpdate(e) && e.state === 'paused' && e.epoch === 1);
    expect(Array.from(one.losses)).toEqual([6642.5]);
    expect(fullValues(one.wGrad)).toEqual([-114, -34]); // the gradient that update used
    expect(one.bGrad).toBe(-131);
    send({ type: 'step', runId: 's', count: 98 });
    await log.waitFor((e) => isUpdate(e) && e.state === 'paused' && e.epoch === 99);
    send({ type: 'step', runId: 's', count: 5 }); // more than is left: the run finishes at 100
    const finished = await log.waitFor((e) => e.type === 'finished');
    expect(finished).toMatchObject({ reason: 'epochs', epoch: 100, loss: 183.07989501953125 });
    expect(log.lossCurve('s')).toEqual(reference.lesson100.losses);
  });

  it('skipZeroGrad (classroom mistake) lets gradients pile up exactly as PyTorch without zero_()', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'acc', config: lessonConfig(5, { skipZeroGrad: true }) });
    await log.waitFor((e) => e.type === 'finished');
    const last = log.of('update').at(-1)!;
    expect(log.lossCurve('acc')).toEqual(reference.skipZeroGrad5.losses);
    expect(fullValues(last.w)).toEqual(reference.skipZeroGrad5.w);
    expect(fullValues(last.wGrad)).toEqual(reference.skipZeroGrad5.wGrad);
    expect(last.bGrad).toBe(reference.skipZeroGrad5.bGrad);
  });

  it('a live learning-rate change applies from the next epoch (step 50, lr 0.001, step 50 = PyTorch)', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'lr', config: lessonConfig(100, { startPaused: true }) });
    send({ type: 'step', runId: 'lr', count: 50 });
    await log.waitFor((e) => isUpdate(e) && e.state === 'paused' && e.epoch === 50);
    send({ type: 'setLearningRate', runId: 'lr', learningRate: 0.001 });
    const ack = await log.waitFor((e): e is Update => isUpdate(e) && e.learningRate === 0.001);
    expect(ack.epoch).toBe(50);
    send({ type: 'resume', runId: 'lr' });
    await log.waitFor((e) => e.type === 'finished');
    expect(log.lossCurve('lr')).toEqual(reference.lrChangeAt50.losses);
    expect(fullValues(log.of('update').at(-1)!.w)).toEqual(reference.lrChangeAt50.w);
  });

  it('stop ends the run with its final state; resume after stop is refused with a reason', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'st', config: lessonConfig(50_000_000) });
    await log.waitFor((e) => isUpdate(e) && e.epoch > 100);
    send({ type: 'stop', runId: 'st' });
    const last = log.of('update').at(-1)!;
    expect(last.state).toBe('stopped');
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'finished', reason: 'stopped', epoch: last.epoch });
    expect(log.lossCurve('st')).toHaveLength(last.epoch);
    send({ type: 'resume', runId: 'st' });
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'error', runId: 'st', message: expect.stringMatching(/was stopped; reset it or start a new run/) });
  });

  it('reset goes back to epoch 0 and the initial w/b; training again gives the lesson numbers', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'rs', config: lessonConfig(100) });
    await log.waitFor((e) => e.type === 'finished');
    send({ type: 'reset', runId: 'rs' });
    const reset = log.of('update').at(-1)!;
    expect(reset).toMatchObject({ state: 'paused', epoch: 0, firstEpoch: 1, b: 0 });
    expect(reset.losses).toHaveLength(0);
    expect(fullValues(reset.w)).toEqual([1, 2]);
    send({ type: 'resume', runId: 'rs' });
    const finished = await log.waitFor((e) => e.type === 'finished', 5000, log.mark);
    expect(finished).toMatchObject({ epoch: 100, loss: 183.07989501953125 });
    expect(log.lossCurve('rs')).toEqual(reference.lesson100.losses);
  });

  it('speed limits epochs per second (slow motion) and max speed lifts the limit', () => {
    // A hand-driven clock and timers: the pace is checked exactly, whatever the machine's load.
    const hand = handDriven();
    const { log, send, host: running } = makeHost({ now: hand.now, nextTurn: hand.nextTurn });
    const epoch = () => running.lossHistory()!.length;
    try {
      send({ type: 'start', runId: 'sp', config: lessonConfig(1_000_000, { epochsPerSecond: 20 }) });
      hand.advance(0);
      expect(epoch()).toBe(1); // the first epoch at once
      hand.advance(49);
      expect(epoch()).toBe(1);
      hand.advance(1);
      expect(epoch()).toBe(2); // then one every 50 ms
      hand.advance(1000);
      expect(epoch()).toBe(22);
      expect(log.of('update').at(-1)!.speedLimit).toBe(20);
      // A new speed counts from the moment it is set: one epoch at once, then one a second.
      send({ type: 'setSpeed', runId: 'sp', epochsPerSecond: 1 });
      hand.advance(0);
      expect(epoch()).toBe(23);
      hand.advance(999);
      expect(epoch()).toBe(23);
      hand.advance(1);
      expect(epoch()).toBe(24);
      // Max speed: a slice runs until its 8 ms are used up or an update is due (each clock read
      // moves the hand clock by 1 ms here), far more than 20 epochs a second would allow.
      send({ type: 'setSpeed', runId: 'sp', epochsPerSecond: null });
      hand.tickPerRead = 1;
      const startedAt = hand.now();
      // Turns one at a time: advance() would drain the queue and so run all million epochs.
      hand.runTurns(20);
      expect(log.of('update').at(-1)!.speedLimit).toBe(null);
      expect(epoch() - 24).toBeGreaterThan(((hand.now() - startedAt) * 20) / 1000 + 1);
      send({ type: 'stop', runId: 'sp' });
    } finally {
      hand.dispose();
    }
  });

  it('at 1 epoch/s each epoch is streamed as soon as it is done', () => {
    const hand = handDriven();
    try {
      const { log, send } = makeHost({ now: hand.now, nextTurn: hand.nextTurn });
      send({ type: 'start', runId: 'one', config: lessonConfig(1000, { epochsPerSecond: 1 }) });
      // The first epoch runs at once; its update goes out with the next frame (updates are at
      // most one a frame), long before the second epoch is allowed.
      hand.advance(Math.ceil(1000 / 60));
      expect(log.of('update').at(-1)).toMatchObject({ epoch: 1, losses: new Float32Array([6642.5]) });
      hand.advance(1000);
      expect(log.of('update').at(-1)).toMatchObject({ epoch: 2, firstEpoch: 2 });
      send({ type: 'stop', runId: 'one' });
    } finally {
      hand.dispose();
    }
  });

  it('stops at the target loss; setTargetLoss changes it live', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 't', config: lessonConfig(100_000, { targetLoss: 1 }) });
    const finished = await log.waitFor((e) => e.type === 'finished');
    expect(finished).toMatchObject({ reason: 'target', epoch: reference.target1.epochs, loss: reference.target1.losses.at(-1) });
    // Lower the target and continue: the run can go on since epochs are left.
    send({ type: 'setTargetLoss', runId: 't', targetLoss: 0.01 });
    send({ type: 'resume', runId: 't' });
    const again = await log.waitFor((e): e is EventMap['finished'] => e.type === 'finished' && e !== finished);
    expect(again.reason).toBe('target');
    expect(again.loss).toBeLessThan(0.01);
    expect(again.epoch).toBeGreaterThan(reference.target1.epochs);
  });

  it('a nan/inf loss stops the run: final update, then diverged with epoch, last finite loss, lr and advice', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'd', config: lessonConfig(1000, { learningRate: 1 }) });
    const diverged = await log.waitFor((e): e is EventMap['diverged'] => e.type === 'diverged');
    expect(diverged).toMatchObject({ epoch: 29, lastFiniteLoss: reference.diverge_lr1.diverged!.lastFiniteLoss, learningRate: 1 });
    expect(diverged.message).toMatch(/loss became inf at epoch 29.*lower it/);
    const last = log.of('update').at(-1)!;
    expect(last).toMatchObject({ state: 'diverged', epoch: 28 });
    expect(log.lossCurve('d')).toEqual(reference.diverge_lr1.losses);
    send({ type: 'step', runId: 'd', count: 1 });
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'error', message: expect.stringMatching(/diverged.*lower the learning rate/) });
  });

  it('batches updates: at most one per frame however fast epochs run', () => {
    // Updates are timed by the host's own clock (a hand clock moving 1 ms per read here), so the
    // gap between two is checked exactly instead of against the machine's wall time.
    const hand = handDriven();
    hand.tickPerRead = 1;
    try {
      const log = new EventLog();
      const sentAt: number[] = [];
      let clockNow = 0;
      host = createTrainingHost(
        (event) => {
          if (event.type === 'update') sentAt.push(clockNow);
          log.push(event);
        },
        { now: () => (clockNow = hand.now()), nextTurn: hand.nextTurn },
      );
      host.handle({ type: 'start', runId: 'b', config: lessonConfig(100_000_000) });
      while (log.of('update').at(-1)!.epoch < 20_000) hand.runTurns(1);
      host.handle({ type: 'stop', runId: 'b' });
      const streaming = sentAt.slice(1, -1); // the start and stop acknowledgements are extra
      expect(streaming.length).toBeGreaterThan(3);
      for (let i = 1; i < streaming.length; i++) expect(streaming[i] - streaming[i - 1]).toBeGreaterThanOrEqual(1000 / 60);
      const updates = log.of('update');
      const last = updates.at(-1)!;
      expect(last.epoch).toBeGreaterThan(updates.length * 10); // many epochs per update
      expect(log.lossCurve('b')).toHaveLength(last.epoch);
    } finally {
      hand.dispose();
    }
  });

  it('yields to the event loop after every slice, so a control gets in between two slices', () => {
    // The event loop by hand: each clock read moves 1 ms, so an 8 ms slice is a few epochs, and
    // every next slice waits in `turns` until the test runs it.
    const turns: Array<() => void> = [];
    const log = new EventLog();
    let now = 0;
    const manual = createTrainingHost((event) => log.push(event), { now: () => (now += 1), nextTurn: (fn) => turns.push(fn) });
    try {
        manual.handle({ type: 'start', runId: 'g', config: lessonConfig(100_000_000) });
        for (let slice = 0; slice < 3; slice++) {
          expect(turns).toHaveLength(1); // exactly one slice waits: nothing runs on its own
          turns.shift()!();
        }
        const epochs = () => manual.lossHistory()!.length;
        expect(epochs()).toBeGreaterThan(0);
        expect(epochs()).toBeLessThan(100); // three 8 ms slices, not the whole run
        manual.handle({ type: 'pause', runId: 'g' });
        const paused = log.of('update').at(-1)!;
        expect(paused).toMatchObject({ state: 'paused', epoch: epochs() });
        turns.splice(0).forEach((turn) => turn()); // the slice that was already queued runs no epoch
        expect(epochs()).toBe(paused.epoch);
        expect(log.lossCurve('g')).toEqual(reference.lesson2000.losses.slice(0, paused.epoch));
    } finally {
      manual.dispose();
    }
  });

  it('waitForWindow: the first state goes out at once, the epochs only after windowReady', () => {
    const hand = handDriven();
    try {
      const { log, send, host: held } = makeHost({ now: hand.now, nextTurn: hand.nextTurn });
      send({ type: 'start', runId: 'w', config: { ...lessonConfig(50), waitForWindow: true } });
      hand.advance(200);
      expect(log.of('update').map((u) => u.epoch)).toEqual([0]); // drawn by the window meanwhile
      expect(held.lossHistory()).toHaveLength(0);
      send({ type: 'windowReady', runId: 'w' });
      hand.advance(50);
      const finished = log.of('finished').at(-1)!;
      expect(finished).toMatchObject({ runId: 'w', reason: 'epochs', epoch: 50 });
      expect(finished.stats?.windowWaitMs).toBe(200);
      expect(log.lossCurve('w')).toEqual(reference.lesson2000.losses.slice(0, 50)); // the same numbers
      expect(log.of('error')).toEqual([]);
    } finally {
      hand.dispose();
    }
  });

  it('waitForWindow: a window that never answers holds the run for WINDOW_READY_TIMEOUT_MS only; Step needs no answer', () => {
    const hand = handDriven();
    try {
      const { log, send, host: held } = makeHost({ now: hand.now, nextTurn: hand.nextTurn });
      send({ type: 'start', runId: 'silent', config: { ...lessonConfig(50), waitForWindow: true } });
      hand.advance(WINDOW_READY_TIMEOUT_MS - 1);
      expect(held.lossHistory()).toHaveLength(0);
      hand.advance(2);
      expect(log.of('finished').at(-1)).toMatchObject({ runId: 'silent', epoch: 50, stats: { windowWaitMs: WINDOW_READY_TIMEOUT_MS } });

      send({ type: 'start', runId: 'stepped', config: { ...lessonConfig(50), waitForWindow: true } });
      send({ type: 'step', runId: 'stepped', count: 3 });
      hand.advance(5);
      expect(held.lossHistory()).toHaveLength(3);
      expect(log.of('update').at(-1)).toMatchObject({ runId: 'stepped', state: 'paused', epoch: 3 });
    } finally {
      hand.dispose();
    }
  });

  it('a new start replaces the running run, which still gets its final state', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'old', config: lessonConfig(100_000_000) });
    await sleep(50);
    send({ type: 'start', runId: 'new', config: lessonConfig(100) });
    const oldFinished = log.of('finished').find((e) => e.runId === 'old');
    expect(oldFinished?.reason).toBe('stopped');
    await log.waitFor((e) => e.type === 'finished' && e.runId === 'new');
    expect(log.lossCurve('new')).toEqual(reference.lesson100.losses);
  });

  it('refuses bad requests with clear errors', () => {
    const { log, send, host: h } = makeHost();
    send({ type: 'start', runId: 'bad', config: lessonConfig(10, { y: [1] }) });
    expect(log.events.at(-1)!.event).toEqual({
      type: 'error',
      runId: 'bad',
      message: 'Cannot start training: x has 2 values but y has 1: x and y must have the same length (one target y for every input x).',
    });
    send({ type: 'pause', runId: 'nobody' });
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'error', runId: 'nobody', message: expect.stringMatching(/no training run "nobody" \(no run has been started\)/) });
    h.handleMessage({ type: 'step', runId: 'x', count: 0 });
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'error', runId: 'x', message: expect.stringMatching(/^Invalid request at count/) });
    h.handleMessage({ type: 'launch', runId: 'x' });
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'error', message: expect.stringMatching(/^Invalid request at type/) });
    send({ type: 'runPython', runId: 'py', source: 'print(1)' });
    expect(log.events.at(-1)!.event).toMatchObject({ type: 'error', message: expect.stringMatching(/not handled by the training worker/) });
  });

  it('image configs stream pictures only as often as the picture interval allows, and always with the final state', async () => {
    // How often pictures are due is pacing.ts's arithmetic (tested there with made-up times);
    // here the host must follow it: with a picture interval longer than the test, a running
    // stream carries no pictures after the first, and every state change still gets one.
    const { log, send } = makeHost({ predictionIntervalMs: 1e9 });
    const width = 16;
    const config = bigConfig(width * width, 100_000_000, { image: { width, height: width, channels: 1 } });
    send({ type: 'start', runId: 'img', config });
    await log.waitFor((e) => isUpdate(e) && e.state === 'running' && e.epoch > 0 && log.of('update').length >= 4);
    const mark = log.mark;
    send({ type: 'pause', runId: 'img' });
    expect(log.of('update').at(-1)!.state).toBe('paused'); // confirmed at once
    // ... and the paused state's picture follows if the confirmation did not carry it.
    const pausedPicture = await log.waitFor((e): e is Update => isUpdate(e) && e.state === 'paused' && e.pictures !== undefined, 5000, mark);
    expect(pausedPicture.epoch).toBe(log.of('update').at(-1)!.epoch);
    const running = log.events.slice(0, mark).map((e) => e.event).filter(isUpdate);
    expect(running[0].pictures!.prediction).toHaveLength(width * width * 4); // the initial state's picture
    expect(running.slice(1).filter((u) => u.pictures)).toEqual([]);
    expect(Array.from(pausedPicture.wImage!)).toHaveLength(width * width); // all of w once it stops training
    send({ type: 'resume', runId: 'img' });
    await log.waitFor((e) => isUpdate(e) && e.state === 'running', 5000, mark);
    send({ type: 'stop', runId: 'img' });
    const last = log.of('update').at(-1)!;
    expect(last.state).toBe('stopped');
    expect(last.pictures!.prediction).toBeInstanceOf(Uint8ClampedArray);
    expect(last.pictures!.heatmap).toHaveLength(width * width * 4);
    expect(last.wImage).toHaveLength(width * width);
    expect(last.w.kind).toBe('summary');
  });

  it('image configs stream pictures while running when the interval allows', async () => {
    const { log, send } = makeHost({ predictionIntervalMs: 0 });
    const image = { width: 8, height: 8, channels: 1 as const };
    const config = bigConfig(64, 100_000_000, { image });
    send({ type: 'start', runId: 'pics', config });
    const pictures = () => log.of('update').filter((u) => u.state === 'running' && u.epoch > 0 && u.pictures);
    await log.waitFor(() => pictures().length >= 3);
    send({ type: 'stop', runId: 'pics' });
    // each heatmap is of the w sent in full beside it (64 values: below the summary limit)
    for (const update of pictures()) expect(update.pictures!.heatmap).toEqual(weightsHeatmap(fullValues(update.w)!, image).rgba);
  });
});

describe('paramView', () => {
  it('sends up to 64 values in full, longer vectors as a summary with the first indices', () => {
    const short = paramView(new Float32Array([1, 2, 3]), 3, 64, 8);
    expect(short).toEqual({ kind: 'full', values: new Float32Array([1, 2, 3]) });
    const long = new Float32Array(100).map((_, i) => i - 10);
    expect(paramView(long, 100, 64, 8)).toEqual({
      kind: 'summary',
      length: 100,
      min: -10,
      max: 89,
      mean: 39.5,
      indices: [0, 1, 2, 3, 4, 5, 6, 7],
      values: [-10, -9, -8, -7, -6, -5, -4, -3],
    });
  });
});
