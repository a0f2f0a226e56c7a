// Issue 17's lab additions in the training worker: the shared model (one w and one b for all
// points) trains exactly as real PyTorch 1.13 does (tests/fixtures/training/shared-model.json);
// the lab's graph is the epoch's real graph with the lesson's hand-worked gradients; the loss
// landscape is the engine's loss, with its minimum where least squares puts it.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap, GradLabEvent, ParamRef, Request, TrainConfig } from '../../../src-main/contract/messages';
import { validateRequest } from '../../../src-main/contract/validate-request';
import { torch } from '../../../src-main/engine';
import { computeLandscape, inputFromData, LandscapeError } from '../../../src-main/training/landscape';
import { LinearRegressionTrainer, describeConfigProblem } from '../../../src-main/training/trainer';
import { createTrainingHost, type TrainingHost } from '../../../src-main/training/worker-core';
import { EventLog, lessonConfig } from './helpers';

interface SharedCase {
  label: string;
  x: number[];
  y: number[];
  w: number;
  b: number;
  lr: number;
  epochs: number;
  losses: number[];
  firstGrads: { wGrad: number; bGrad: number };
  finalW: number;
  finalB: number;
}
const facts = JSON.parse(readFileSync(new URL('../../fixtures/training/shared-model.json', import.meta.url), 'utf8')) as { cases: SharedCase[] };

const sharedConfig = (c: Pick<SharedCase, 'x' | 'y' | 'w' | 'b' | 'lr' | 'epochs'>): TrainConfig => ({
  model: 'shared',
  x: c.x,
  y: c.y,
  initialW: { kind: 'values', values: [c.w] },
  initialB: c.b,
  learningRate: c.lr,
  epochs: c.epochs,
});

describe('the shared model trains as PyTorch does', () => {
  for (const c of facts.cases) {
    it(c.label, () => {
      const trainer = new LinearRegressionTrainer(sharedConfig(c));
      expect(trainer.wSize).toBe(1);
      expect(trainer.w.shape).toEqual([]);
      const losses: number[] = [];
      for (let e = 0; e < c.epochs; e++) {
        losses.push(trainer.runEpoch());
        if (e === 0) {
          expect(trainer.wGradValues![0]).toBe(c.firstGrads.wGrad);
          expect(trainer.bGradValue).toBe(c.firstGrads.bGrad);
        }
      }
      expect(losses).toEqual(c.losses);
      expect(trainer.wValues[0]).toBe(c.finalW);
      expect(trainer.bValue).toBe(c.finalB);
      trainer.dispose();
    });
  }

  it('needs one starting weight, and the per-value model still needs one per value', () => {
    expect(describeConfigProblem({ ...sharedConfig(facts.cases[0]), initialW: { kind: 'values', values: [1, 2, 3] } })).toMatch(/one weight for all points: give one value/);
    expect(describeConfigProblem({ ...sharedConfig(facts.cases[0]), initialW: { kind: 'ones' } })).toBeNull();
    expect(describeConfigProblem(lessonConfig(1, { initialW: { kind: 'values', values: [1] } }))).toMatch(/one weight per x value/);
    expect(validateRequest({ type: 'start', runId: 'r', config: { ...sharedConfig(facts.cases[0]), model: 'line' } }).ok).toBe(false);
  });
});

const line = { model: 'shared' as const, x: [1, 2, 3], y: [2, 4, 6] };
const W: ParamRef = { kind: 'w', index: 0 };
const B: ParamRef = { kind: 'b' };

describe('the loss landscape', () => {
  it('the shared model on y = 2x: the minimum is w = 2, b = 0 with loss 0', () => {
    const result = computeLandscape(inputFromData({ ...line, w: [0.5], b: 0.25 }), [W, B], 41);
    expect(result.minimum!.p).toBeCloseTo(2, 10);
    expect(result.minimum!.q).toBeCloseTo(0, 10);
    expect(result.minimum!.loss).toBeCloseTo(0, 10);
    expect(result.at).toEqual({ p: 0.5, q: 0.25 });
    // the grid reaches past the starting point, centred on the minimum
    expect(result.p[0]).toBeLessThan(0.5);
    expect((result.p[0] + result.p[1]) / 2).toBeCloseTo(2, 10);
  });

  it('every grid value is the engine’s own loss at that point (float32)', () => {
    const data = { model: 'perValue' as const, x: [1, 2, 0.5], y: [115, 21, 7], w: [1, 2, -1], b: 0.5 };
    for (const params of [[W, B], [{ kind: 'w', index: 0 }, { kind: 'w', index: 2 }]] as [ParamRef, ParamRef][]) {
      const r = computeLandscape(inputFromData(data), params, 9);
      for (const [row, col] of [[0, 0], [4, 4], [8, 1], [3, 7]]) {
        const p = r.p[0] + ((r.p[1] - r.p[0]) * col) / 8;
        const q = r.q[0] + ((r.q[1] - r.q[0]) * row) / 8;
        const w = [...data.w];
        let b = data.b;
        const set = (ref: ParamRef, v: number) => (ref.kind === 'b' ? (b = v) : (w[ref.index] = v));
        set(params[0], p);
        set(params[1], q);
        const engine = torch.tensor(w).mul(torch.tensor(data.x)).add(b).sub(torch.tensor(data.y)).pow(2).mean().item();
        expect(Math.abs(r.loss[row * 9 + col] - engine) / Math.max(1, engine)).toBeLessThan(1e-5);
      }
    }
  });

  it('per-value model: w[i] and b have their lowest point; w[i] with x[i] = 0 has none', () => {
    const data = { model: 'perValue' as const, x: [1, 2], y: [115, 21], w: [1, 2], b: 0 };
    const m = computeLandscape(inputFromData(data), [{ kind: 'w', index: 0 }, B], 5).minimum!;
    // with w[1] held at 2: b = 21 - 4 = 17 fits the second point, w[0] = 115 - 17 = 98 the first
    expect(m.p).toBeCloseTo(98, 8);
    expect(m.q).toBeCloseTo(17, 8);
    expect(computeLandscape(inputFromData({ ...data, x: [0, 2] }), [{ kind: 'w', index: 0 }, B], 5).minimum).toBeNull();
  });

  it('refuses parameters that do not exist, or the same one twice, with a reason', () => {
    expect(() => computeLandscape(inputFromData({ ...line, w: [1], b: 0 }), [{ kind: 'w', index: 1 }, B], 5)).toThrow(LandscapeError);
    expect(() => computeLandscape(inputFromData({ ...line, w: [1], b: 0 }), [B, B], 5)).toThrow(/two different/);
    expect(validateRequest({ type: 'landscape', runId: 'l', params: [W, B], size: 1000 }).ok).toBe(false);
    expect(validateRequest({ type: 'landscape', runId: 'l', params: [W, B], size: 30, range: { p: [2, 1], q: [0, 1] } }).ok).toBe(false);
  });
});

let host: TrainingHost | null = null;
afterEach(() => {
  host?.dispose();
  host = null;
});
function makeHost() {
  const log = new EventLog();
  host = createTrainingHost((event) => log.push(event), { nextTurn: (fn) => void setImmediate(fn) });
  return { log, send: (r: Request) => host!.handle(r) };
}
const isGraph = (e: GradLabEvent): e is EventMap['labGraph'] => e.type === 'labGraph';

describe('the lab’s graph and landscape from the training worker', () => {
  it('after epoch 1 of the worked example the graph has the lesson’s hand-worked gradients -114, -34, -131', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'g', config: lessonConfig(100, { startPaused: true }) });
    send({ type: 'watchGraph', runId: 'g', on: true, element: 0 });
    send({ type: 'step', runId: 'g', count: 1 });
    const event = (await log.waitFor(isGraph, 5000, 0)) as EventMap['labGraph'];
    expect(event.epoch).toBe(1);
    const { graph } = event;
    expect(graph.nodes.map((n) => n.name)).toEqual(['MeanBackward0', 'PowBackward0', 'SubBackward0', 'AddBackward0', 'MulBackward0', 'AccumulateGrad', 'AccumulateGrad']);
    const leaf = (name: string) => graph.nodes.find((n) => n.leaf?.names.includes(name))!.leaf!;
    expect(leaf('w').grad!.values).toEqual([-114, -34]);
    expect(leaf('b').grad!.values).toEqual([-131]);
    expect(leaf('w').value!.values).toEqual([1, 2]);
    expect(graph.roots[0].value!.values).toEqual([6642.5]);
    expect(graph.nodes.find((n) => n.name === 'AddBackward0')!.names).toEqual(['y_hat']);
    // and the run's numbers are untouched by recording: epoch 2 continues the lesson
    send({ type: 'step', runId: 'g', count: 1 });
    const second = (await log.waitFor((e) => isGraph(e) && e.epoch === 2, 5000, 0)) as EventMap['labGraph'];
    expect(second.graph.roots[0].value!.values[0]).toBe(6334.3515625); // PyTorch's epoch-2 loss
  });

  it('a graph view opened before any run records the first epoch of the runs started after it, until it closes', async () => {
    const { log, send } = makeHost();
    send({ type: 'watchGraph', runId: 'lab-graph', on: true, element: 1 });
    send({ type: 'start', runId: 'first', config: lessonConfig(100, { startPaused: true }) });
    send({ type: 'step', runId: 'first', count: 1 });
    const event = (await log.waitFor(isGraph, 5000, 0)) as EventMap['labGraph'];
    expect([event.runId, event.epoch]).toEqual(['first', 1]);
    send({ type: 'watchGraph', runId: 'first', on: false, element: 1 });
    send({ type: 'start', runId: 'second', config: lessonConfig(3) });
    await log.waitFor((e) => e.type === 'finished' && e.runId === 'second');
    expect(log.events.filter(({ event: e }) => isGraph(e) && e.runId === 'second')).toEqual([]);
  });

  it('the shared model’s graph: w is one number whose gradient sums over the points', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 's', config: { ...sharedConfig(facts.cases[0]), startPaused: true } });
    send({ type: 'watchGraph', runId: 's', on: true, element: 0 });
    send({ type: 'step', runId: 's', count: 1 });
    const { graph } = (await log.waitFor(isGraph, 5000, 0)) as EventMap['labGraph'];
    const w = graph.nodes.find((n) => n.leaf?.names.includes('w'))!.leaf!;
    expect(w.value!.shape).toEqual([]);
    expect(w.grad!.values).toEqual([facts.cases[0].firstGrads.wGrad]);
  });

  it('graphAt: a run that is not training shows the graph one more epoch builds from its values, leaving the run untouched', async () => {
    const { log, send } = makeHost();
    send({ type: 'start', runId: 'p', config: lessonConfig(100, { startPaused: true }) });
    send({ type: 'step', runId: 'p', count: 1 });
    await log.waitFor((e) => e.type === 'update' && e.runId === 'p' && e.epoch === 1 && e.state === 'paused');
    let mark = log.mark;
    send({ type: 'graphAt', runId: 'p', element: 0 });
    const at = (await log.waitFor(isGraph, 5000, mark)) as EventMap['labGraph'];
    expect([at.epoch, at.atValues]).toEqual([1, true]);
    // the loss at the values after epoch 1 is PyTorch's epoch-2 loss, and nothing was updated
    expect(at.graph.roots[0].value!.values[0]).toBe(6334.3515625);
    const w = at.graph.nodes.find((n) => n.leaf?.names.includes('w'))!.leaf!;
    expect(w.valueNow).toBeNull();
    expect(w.value!.values).toEqual([2.1399998664855957, 2.3399999141693115]); // w after epoch 1, float32 as in PyTorch
    // the run goes on from where it was: its epoch 2 is still the lesson's
    mark = log.mark;
    send({ type: 'watchGraph', runId: 'p', on: true, element: 0 });
    send({ type: 'step', runId: 'p', count: 1 });
    const second = (await log.waitFor((e) => isGraph(e) && e.epoch === 2, 5000, mark)) as EventMap['labGraph'];
    expect(second.atValues).toBeUndefined();
    expect(second.graph.roots[0].value!.values[0]).toBe(6334.3515625);
  });

  it('graphAt with the values the window has (a restored or replaced run): the lesson’s first gradients at the starting values', async () => {
    const { log, send } = makeHost();
    send({ type: 'graphAt', runId: 'restored', element: 1, data: { model: 'perValue', x: [1, 2], y: [115, 21], w: [1, 2], b: 0, epoch: 0 } });
    const { graph, epoch } = (await log.waitFor(isGraph, 5000, 0)) as EventMap['labGraph'];
    expect(epoch).toBe(0);
    const leaf = (name: string) => graph.nodes.find((n) => n.leaf?.names.includes(name))!.leaf!;
    expect(leaf('w').grad!.values).toEqual([-114, -34]);
    expect(leaf('b').grad!.values).toEqual([-131]);
    // values where the loss overflows give no graph (and no error that would end a run)
    const mark = log.mark;
    send({ type: 'graphAt', runId: 'restored', element: 0, data: { model: 'perValue', x: [1e30, 2], y: [0, 0], w: [1e30, 1], b: 0, epoch: 5 } });
    send({ type: 'ping', runId: 'restored', seq: 1 });
    await log.waitFor((e) => e.type === 'pong', 5000, mark);
    expect(log.events.slice(mark).map(({ event: e }) => e.type)).toEqual(['pong']);
  });

  it('answers landscape requests for the current run and for data sent with the request', async () => {
    const { log, send } = makeHost();
    let mark = log.mark;
    send({ type: 'landscape', runId: 'before', params: [W, B], size: 16, data: { ...line, w: [0.5], b: 0.25 } });
    const before = (await log.waitFor((e) => e.type === 'landscape', 5000, mark)) as EventMap['landscape'];
    expect(before.loss).toHaveLength(256);
    expect(before.minimum!.p).toBeCloseTo(2, 8);
    send({ type: 'start', runId: 'r', config: sharedConfig({ ...facts.cases[0], epochs: 1000 }) });
    await log.waitFor((e) => e.type === 'finished');
    mark = log.mark;
    send({ type: 'landscape', runId: 'r', params: [W, B], size: 8 });
    const after = (await log.waitFor((e) => e.type === 'landscape' && e.runId === 'r', 5000, mark)) as EventMap['landscape'];
    expect(after.epoch).toBe(1000);
    expect(after.at.p).toBeCloseTo(2, 4);
    expect(after.at.q).toBeCloseTo(0, 4);
    mark = log.mark;
    send({ type: 'landscape', runId: 'r', params: [{ kind: 'w', index: 3 }, B], size: 8 });
    const error = (await log.waitFor((e) => e.type === 'error' && e.runId === 'r', 5000, mark)) as EventMap['error'];
    expect(error.message).toMatch(/one weight, w \(index 0\)/);
  });
});
