// The live "forgot zero_grad" toggle against real PyTorch (fixtures/skip-zero-grad-toggle.json,
// made by fixtures/make_skip_zero_grad_fixtures.py), w as an image in updates, heartbeat
// answers, run stats, the one-pass summary kernel, and the heartbeat's timing logic.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { torch } from '../../../src-main/engine';
import { inArena } from '../../../src-main/engine/arena';
import { HEARTBEAT_RUN_ID, isPong, startHeartbeat } from '../../../src-main/contract/heartbeat';
import type { EventMap, GradLabEvent, Request } from '../../../src-main/contract/messages';
import { validateRequest } from '../../../src-main/contract/validate-request';
import { drawRunPictures, weightsHeatmap } from '../../../src-main/data/pictures';
import { summarize, summarizeJs } from '../../../src-main/training/summary';
import { LinearRegressionTrainer } from '../../../src-main/training/trainer';
import { createTrainingHost, type TrainingHost } from '../../../src-main/training/worker-core';
import { paramView } from '../../../src-main/training/update';
import { EventLog, bigConfig, lessonConfig } from './helpers';

interface ToggleReference {
  losses: number[];
  wGrads: number[][];
  bGrads: number[];
  ws: number[][];
  bs: number[];
  /** 0-based epochs whose end had no zero_(). */
  skipEpochs: number[];
  epochs: number;
}
const toggles = JSON.parse(readFileSync(new URL('./fixtures/skip-zero-grad-toggle.json', import.meta.url), 'utf8')) as Record<
  'lessonOn3Off7' | 'lessonOn0Off5',
  ToggleReference
>;

type Update = EventMap['update'];
const isUpdate = (e: GradLabEvent): e is Update => e.type === 'update';
const fullValues = (view: Update['w']) => (view.kind === 'full' ? Array.from(view.values) : null);

let host: TrainingHost | null = null;
function makeHost(options: Parameters<typeof createTrainingHost>[1] = {}) {
  const log = new EventLog();
  host = createTrainingHost((event) => log.push(event), { nextTurn: (fn) => void setImmediate(fn), ...options });
  const send = (request: Request) => host!.handle(request);
  return { log, send };
}
afterEach(() => {
  host?.dispose();
  host = null;
});

describe('skipZeroGrad switched during a run (the trainer)', () => {
  for (const name of ['lessonOn3Off7', 'lessonOn0Off5'] as const) {
    it(`${name}: every loss, gradient, w and b equal PyTorch's loop with zero_() left out of epochs ${toggles[name].skipEpochs.map((e) => e + 1).join(',')}`, () => {
      const expected = toggles[name];
      const skip = new Set(expected.skipEpochs);
      const trainer = new LinearRegressionTrainer(lessonConfig(expected.epochs));
      for (let epoch = 0; epoch < expected.epochs; epoch++) {
        trainer.skipZeroGrad = skip.has(epoch); // set between epochs, as the live request does
        expect(trainer.runEpoch()).toBe(expected.losses[epoch]);
        expect(Array.from(trainer.wGradValues!)).toEqual(expected.wGrads[epoch]);
        expect(trainer.bGradValue).toBe(expected.bGrads[epoch]);
        expect(Array.from(trainer.wValues)).toEqual(expected.ws[epoch]);
        expect(trainer.bValue).toBe(expected.bs[epoch]);
      }
    });
  }

  it('reset clears the pile of gradients: the next epoch starts from fresh ones', () => {
    const trainer = new LinearRegressionTrainer(lessonConfig(10, { skipZeroGrad: true }));
    for (let i = 0; i < 3; i++) trainer.runEpoch();
    trainer.reset();
    trainer.skipZeroGrad = false;
    trainer.runEpoch();
    expect(Array.from(trainer.wGradValues!)).toEqual(toggles.lessonOn3Off7.wGrads[0]);
  });
});

describe('setSkipZeroGrad request (the host)', () => {
  it('is validated: a boolean and a runId are required', () => {
    expect(validateRequest({ type: 'setSkipZeroGrad', runId: 'r', skipZeroGrad: true }).ok).toBe(true);
    const bad = validateRequest({ type: 'setSkipZeroGrad', runId: 'r', skipZeroGrad: 'yes' });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid request at skipZeroGrad: /) });
    expect(validateRequest({ type: 'setSkipZeroGrad', runId: '', skipZeroGrad: false }).ok).toBe(false);
  });

  it('step 3, switch on, step 4, switch off, step 5 = PyTorch; each switch acknowledged by the next update', async () => {
    const expected = toggles.lessonOn3Off7;
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'z', config: lessonConfig(expected.epochs, { startPaused: true }) });
    expect(log.of('update')[0].skipZeroGrad).toBe(false);
    send({ type: 'step', runId: 'z', count: 3 });
    await log.waitFor((e) => isUpdate(e) && e.state === 'paused' && e.epoch === 3);
    send({ type: 'setSkipZeroGrad', runId: 'z', skipZeroGrad: true });
    const on = await log.waitFor((e): e is Update => isUpdate(e) && e.skipZeroGrad === true);
    expect(on).toMatchObject({ epoch: 3, state: 'paused' });
    send({ type: 'step', runId: 'z', count: 4 });
    const afterFour = await log.waitFor((e): e is Update => isUpdate(e) && e.state === 'paused' && e.epoch === 7);
    // The update shows the piled-up gradient the 7th update used.
    expect(fullValues(afterFour.wGrad)).toEqual(expected.wGrads[6]);
    send({ type: 'setSkipZeroGrad', runId: 'z', skipZeroGrad: false });
    await log.waitFor((e) => isUpdate(e) && e.skipZeroGrad === false && e.epoch === 7);
    send({ type: 'resume', runId: 'z' });
    await log.waitFor((e) => e.type === 'finished');
    expect(log.lossCurve('z')).toEqual(expected.losses);
    const last = log.of('update').at(-1)!;
    expect(fullValues(last.w)).toEqual(expected.ws.at(-1));
    expect(last.b).toBe(expected.bs.at(-1));
    expect(fullValues(last.wGrad)).toEqual(expected.wGrads.at(-1));
    // Each switch is reported once, with the epoch it applied from (for an exported script).
    const changes = log.of('update').flatMap((u) => u.settingChanges ?? []);
    expect(changes).toEqual([
      { fromEpoch: 4, learningRate: 0.01, skipZeroGrad: true },
      { fromEpoch: 8, learningRate: 0.01, skipZeroGrad: false },
    ]);
  });

  it('reports live learning-rate changes with the epoch they applied from; a dragged slider counts once', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'lr', config: lessonConfig(20, { startPaused: true }) });
    send({ type: 'step', runId: 'lr', count: 5 });
    await log.waitFor((e) => isUpdate(e) && e.state === 'paused' && e.epoch === 5);
    for (const learningRate of [0.02, 0.005, 0.001]) send({ type: 'setLearningRate', runId: 'lr', learningRate });
    send({ type: 'resume', runId: 'lr' });
    await log.waitFor((e) => e.type === 'finished');
    const changes = log.of('update').flatMap((u) => u.settingChanges ?? []);
    expect(changes).toEqual([{ fromEpoch: 6, learningRate: 0.001, skipZeroGrad: false }]);
    // The same numbers as the trainer with the change made between epochs 5 and 6.
    const trainer = new LinearRegressionTrainer(lessonConfig(20));
    const losses: number[] = [];
    for (let epoch = 1; epoch <= 20; epoch++) {
      if (epoch === 6) trainer.learningRate = 0.001;
      losses.push(trainer.runEpoch());
    }
    expect(log.lossCurve('lr')).toEqual(losses);
    // After a reset the run starts over from the current settings: nothing to replay.
    send({ type: 'reset', runId: 'lr' });
    expect(log.of('update').at(-1)!.settingChanges).toBeUndefined();
  });

  it('refuses a switch for a run that does not exist, naming the current one', () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'real', config: lessonConfig(10, { startPaused: true }) });
    send({ type: 'setSkipZeroGrad', runId: 'other', skipZeroGrad: true });
    expect(log.of('error').at(-1)).toMatchObject({ runId: 'other', message: expect.stringMatching(/no training run "other" \(the current run is "real"\)/) });
  });
});

describe('pictures (and all of w) in updates of image runs', () => {
  it('draws the pictures of that update in the worker, and sends all of w only once the run has ended', async () => {
    const width = 16;
    const n = width * width;
    const { log, send } = makeHost();
    const image = { width, height: width, channels: 1 as const };
    const config = bigConfig(n, 400, { image, initialW: { kind: 'random', seed: 1 } });
    send({ type: 'start', runId: 'wi', config });
    await log.waitFor((e) => e.type === 'finished');
    const updates = log.of('update');
    const withPictures = updates.filter((u) => u.pictures);
    expect(withPictures.length).toBeGreaterThanOrEqual(2); // the initial and the final state at least
    // all of w travels only in updates of a run that is not training (here: the final one)
    for (const update of updates) expect(update.wImage !== undefined).toBe(update.pictures !== undefined && update.state !== 'running');
    const first = updates[0];
    expect(first.state).toBe('running');
    expect(first.pictures!.heatmap).toEqual(weightsHeatmap(new LinearRegressionTrainer(config).wValues.slice(0, n), image).rgba);
    // The final update's pictures and wImage are of the trained w: recompute them independently.
    const trainer = new LinearRegressionTrainer(config);
    for (let i = 0; i < 400; i++) trainer.runEpoch();
    const trainedW = trainer.wValues.slice(0, n);
    const last = updates.at(-1)!;
    expect(last.state).toBe('finished');
    expect(last.wImage).toBeInstanceOf(Float32Array);
    expect(Array.from(last.wImage!)).toEqual(Array.from(trainedW));
    expect(last.pictures).toEqual(drawRunPictures(trainer.predict(), config.y, trainedW, image));
    // ... and agrees with the summary sent beside it.
    expect(last.w.kind).toBe('summary');
    if (last.w.kind === 'summary') {
      expect(last.w.min).toBe(Math.min(...last.wImage!));
      expect(last.w.max).toBe(Math.max(...last.wImage!));
      expect(last.w.values).toEqual(Array.from(last.wImage!.slice(0, 8)));
    }
  });

  it('are not sent for data that is not an image', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'plain', config: bigConfig(300, 50) });
    await log.waitFor((e) => e.type === 'finished');
    expect(log.of('update').every((u) => u.wImage === undefined && u.pictures === undefined)).toBe(true);
  });
});

describe('heartbeat answers and run stats', () => {
  it('answers a ping with a pong of the same seq, with or without a run', () => {
    const { log, send } = makeHost();
    send({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq: 0 });
    send({ type: 'start', runId: 'r', config: lessonConfig(10, { startPaused: true }) });
    send({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq: 41 });
    const pongs = log.events.map((e) => e.event).filter(isPong);
    expect(pongs).toEqual([
      { type: 'pong', runId: HEARTBEAT_RUN_ID, seq: 0 },
      { type: 'pong', runId: HEARTBEAT_RUN_ID, seq: 41 },
    ]);
    expect(validateRequest({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq: -1 }).ok).toBe(false);
  });

  it('answers pings while a run trains flat out (between slices of epochs)', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'busy', config: bigConfig(65_536, 1_000_000) });
    await log.waitFor((e) => isUpdate(e) && e.epoch > 0);
    send({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq: 7 }); // in-process: answered at once, before any other event
    expect(log.events.at(-1)!.event).toEqual({ type: 'pong', runId: HEARTBEAT_RUN_ID, seq: 7 });
    send({ type: 'stop', runId: 'busy' });
  });

  it('finished.stats carries wall time and, with a thread CPU clock, CPU time', async () => {
    let fakeCpu = 100;
    const { log, send } = makeHost({ threadCpuMs: () => (fakeCpu += 5) });
    send({ type: 'start', runId: 's', config: lessonConfig(200) });
    const finished = (await log.waitFor((e) => e.type === 'finished')) as EventMap['finished'];
    expect(finished.stats!.wallMs).toBeGreaterThan(0);
    expect(finished.stats!.wallMs).toBeGreaterThanOrEqual(finished.stats!.trainingMs);
    expect(finished.stats!.cpuMs).toBe(5); // read once at the start and once at the end
  });
});

describe('summary kernel (w / w.grad summaries)', () => {
  it('gives the same min and max as the plain loop and the sum to float32 partial-sum accuracy, at every length', () => {
    torch.manualSeed(5);
    for (const n of [65, 255, 256, 257, 319, 320, 1000, 65_536, 786_433]) {
      const tensor = torch.randn([n]).mul(3).add(1);
      const values = tensor.data as Float32Array;
      expect(inArena(values)).toBe(n >= 256); // so the SIMD kernel is what runs from 256 on
      const fast = summarize(values);
      const plain = summarizeJs(values);
      let min = Infinity;
      let max = -Infinity;
      let exact = 0;
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        exact += v;
      }
      expect(fast.min, `min at ${n}`).toBe(min);
      expect(fast.max, `max at ${n}`).toBe(max);
      expect(plain).toEqual({ min, max, sum: exact });
      expect(Math.abs(fast.sum - exact), `sum at ${n}`).toBeLessThan(1e-6 * n * 4);
    }
  });

  it('puts extremes anywhere (vector lanes, both accumulator pairs, the scalar tail) and handles inf and nan', () => {
    const n = 1000;
    for (const at of [0, 1, 3, 4, 7, 63, 64, 500, 959, 960, 999]) {
      const tensor = torch.zeros([n]);
      const values = tensor.data as Float32Array;
      values[at] = -7;
      values[(at + 500) % n] = 9;
      expect(summarize(values)).toEqual({ min: -7, max: 9, sum: 2 });
    }
    const withInf = torch.zeros([n]);
    (withInf.data as Float32Array)[10] = Infinity;
    expect(summarize(withInf.data as Float32Array)).toEqual({ min: 0, max: Infinity, sum: Infinity });
    const withNaN = torch.zeros([n]);
    (withNaN.data as Float32Array)[900] = Number.NaN;
    const nanSummary = summarize(withNaN.data as Float32Array);
    expect(nanSummary.min).toBeNaN();
    expect(nanSummary.max).toBeNaN();
  });

  it('paramView summaries of a long w use it (min, max, mean, first values)', () => {
    const tensor = torch.zeros([1000]); // 1000 values: in the engine's arena, so the kernel runs
    const values = tensor.data as Float32Array;
    for (let i = 0; i < 1000; i++) values[i] = i - 10;
    const view = paramView(values, 1000, 64, 8);
    expect(view).toEqual({ kind: 'summary', length: 1000, min: -10, max: 989, mean: 489.5, indices: [0, 1, 2, 3, 4, 5, 6, 7], values: [-10, -9, -8, -7, -6, -5, -4, -3] });
  });
});

describe('heartbeat timing (fake clock)', () => {
  function fakeTimers() {
    let now = 0;
    const timers: { at: number; fn: () => void; id: number }[] = [];
    let nextId = 1;
    return {
      now: () => now,
      setTimer: (fn: () => void, ms: number) => {
        const id = nextId++;
        timers.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimer: (id: unknown) => {
        const i = timers.findIndex((t) => t.id === id);
        if (i >= 0) timers.splice(i, 1);
      },
      advance(ms: number) {
        const end = now + ms;
        for (;;) {
          timers.sort((a, b) => a.at - b.at);
          const next = timers[0];
          if (!next || next.at > end) break;
          timers.shift();
          now = next.at;
          next.fn();
        }
        now = end;
      },
    };
  }

  it('pings every interval; a worker that answers is never declared hung', () => {
    const clock = fakeTimers();
    const pings: number[] = [];
    let hung = 0;
    const beat = startHeartbeat({ ...clock, intervalMs: 100, timeoutMs: 500, startupTimeoutMs: 2000, sendPing: (seq) => pings.push(seq), onHung: () => hung++ });
    for (let t = 0; t < 50; t++) {
      clock.advance(100);
      expect(beat.received({ type: 'pong', runId: HEARTBEAT_RUN_ID, seq: pings.at(-1) })).toBe(true);
    }
    expect(beat.received({ type: 'update' })).toBe(false); // any message counts as alive, but is not a pong
    expect(hung).toBe(0);
    expect(pings.slice(0, 4)).toEqual([0, 1, 2, 3]);
    beat.stop();
  });

  it('before the first answer the startup timeout applies; afterwards the short one, once', () => {
    const clock = fakeTimers();
    const hung: number[] = [];
    const beat = startHeartbeat({ ...clock, intervalMs: 100, timeoutMs: 500, startupTimeoutMs: 2000, sendPing: () => {}, onHung: (ms) => hung.push(ms) });
    clock.advance(1900);
    expect(hung).toEqual([]); // still loading its code
    beat.received({ type: 'pong', runId: HEARTBEAT_RUN_ID, seq: 0 });
    clock.advance(450);
    expect(hung).toEqual([]);
    clock.advance(200);
    expect(hung).toHaveLength(1);
    expect(hung[0]).toBeGreaterThanOrEqual(500);
    clock.advance(5000);
    expect(hung).toHaveLength(1);
    expect(beat.answered).toBe(true);
  });

  it('a worker that never answers is declared hung after the startup timeout; stop() cancels', () => {
    const clock = fakeTimers();
    let hung = 0;
    startHeartbeat({ ...clock, intervalMs: 100, timeoutMs: 500, startupTimeoutMs: 2000, sendPing: () => {}, onHung: () => hung++ });
    clock.advance(1950);
    expect(hung).toBe(0);
    clock.advance(100);
    expect(hung).toBe(1);
    const stopped = startHeartbeat({ ...clock, intervalMs: 100, timeoutMs: 500, startupTimeoutMs: 600, sendPing: () => {}, onHung: () => hung++ });
    stopped.stop();
    clock.advance(10_000);
    expect(hung).toBe(1);
  });
});

describe('arena memory across many runs in one worker', () => {
  it('a disposed trainer hands its buffers to the next one of the same size, which trains the same numbers', () => {
    const config = bigConfig(1000, 20, { initialW: { kind: 'random', seed: 3 }, skipZeroGrad: true });
    const fresh = new LinearRegressionTrainer(config);
    const expected = Array.from({ length: 20 }, () => fresh.runEpoch());
    const first = new LinearRegressionTrainer(bigConfig(1000, 5, { initialW: { kind: 'ones' } }));
    for (let i = 0; i < 5; i++) first.runEpoch(); // leaves w changed and a grad behind
    const wBuffer = first.wValues.buffer;
    first.dispose();
    expect(() => first.runEpoch()).toThrow(/disposed/);
    const reused = new LinearRegressionTrainer(config);
    expect(reused.wValues.buffer).toBe(wBuffer);
    expect(Array.from({ length: 20 }, () => reused.runEpoch())).toEqual(expected);
    expect(Array.from(reused.wValues)).toEqual(Array.from(fresh.wValues));
    expect(Array.from(reused.wGradValues!)).toEqual(Array.from(fresh.wGradValues!));
  });

  it('14 runs of 786,432 values in one host leave the arena room for more (no fall-back to slow JS kernels)', async () => {
    const { log, send } = makeHost();
    const n = 786_432;
    for (let i = 0; i < 14; i++) {
      send({ type: 'start', runId: `many-${i}`, config: bigConfig(n, 1) });
      await log.waitFor((e) => e.type === 'finished' && e.runId === `many-${i}`, 30_000);
    }
    // Without handing buffers on, 14 runs hold ~170 MB of arena and new tensors land outside it.
    const probe = new LinearRegressionTrainer(bigConfig(n, 1));
    expect(inArena(probe.wValues)).toBe(true);
    expect(inArena(probe.x.data as Float32Array)).toBe(true);
    probe.dispose();
  });
});
