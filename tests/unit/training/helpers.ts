// Shared by the training tests: the lesson's config, the PyTorch reference numbers and a way to
// collect a run's events until a condition holds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GradLabEvent, TrainConfig } from '../../../src-main/contract/messages';
import { bundledEntry } from '../../../src-main/python/host/source-bundle.node.js';
import { forkTraining, type ForkTrainingOptions } from '../../../src-main/training/fork-training.node.js';
import type { SpawnTraining } from '../../../src-main/training/training-process';

/** The training worker's entry, as the app's build bundles it (dist/main/training-worker.cjs). */
export const WORKER_ENTRY = fileURLToPath(new URL('../../../src-main/training/worker-node.ts', import.meta.url));
/** The test-only worker whose runs fail on purpose (see its header). */
export const FAULTY_ENTRY = fileURLToPath(new URL('./faulty-worker.ts', import.meta.url));

/** Training workers as the app starts them, in a process of their own (bundled by esbuild first). */
export function forkWorker(entry: string = WORKER_ENTRY, options: ForkTrainingOptions = {}): SpawnTraining {
  const bundle = bundledEntry(entry);
  return () => forkTraining(bundle, options);
}

export interface Reference {
  losses: number[];
  w: number[];
  b: number;
  epochs: number;
  wGrad?: number[];
  bGrad?: number;
  diverged?: { epoch: number; lastFiniteLoss: number | null };
}

export const reference = JSON.parse(readFileSync(new URL('./fixtures/training-reference.json', import.meta.url), 'utf8')) as {
  lesson100: Reference;
  lesson2000: Reference;
  skipZeroGrad5: Reference;
  lrChangeAt50: Reference;
  diverge_lr1: Reference;
  target1: Reference;
  rand_seed0_n5: number[];
  rand_seed42_n3: number[];
  random6: Reference & { x: number[]; y: number[]; seed: number; lr: number };
};

/** The lesson's example: x=[1,2], y=[115,21], w=[1,2], b=0, lr 0.01. */
export function lessonConfig(epochs: number, extra: Partial<TrainConfig> = {}): TrainConfig {
  return {
    x: [1, 2],
    y: [115, 21],
    initialW: { kind: 'values', values: [1, 2] },
    initialB: 0,
    learningRate: 0.01,
    epochs,
    ...extra,
  };
}

/** A config of n values (e.g. 786,432 = a 512x512 RGB image) with w all ones. */
export function bigConfig(n: number, epochs: number, extra: Partial<TrainConfig> = {}): TrainConfig {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = ((i * 7919) % 1000) / 1000;
    y[i] = ((i * 104729) % 1000) / 1000;
  }
  return { x, y, initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.01, epochs, ...extra };
}

/** Collects events and lets a test wait for one that matches. */
export class EventLog {
  readonly events: { at: number; event: GradLabEvent }[] = [];
  private waiters: { test: (e: GradLabEvent) => boolean; resolve: (e: GradLabEvent) => void }[] = [];

  readonly push = (event: GradLabEvent): void => {
    this.events.push({ at: performance.now(), event });
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(event)) return true;
      w.resolve(event);
      return false;
    });
  };

  of<T extends GradLabEvent['type']>(type: T): Extract<GradLabEvent, { type: T }>[] {
    return this.events.map((e) => e.event).filter((e): e is Extract<GradLabEvent, { type: T }> => e.type === type);
  }

  /** Resolves with the first event (already logged after `since`, or future) that passes `test`. */
  waitFor<T extends GradLabEvent>(test: (e: GradLabEvent) => e is T, timeoutMs?: number, since?: number): Promise<T>;
  waitFor(test: (e: GradLabEvent) => boolean, timeoutMs?: number, since?: number): Promise<GradLabEvent>;
  waitFor(test: (e: GradLabEvent) => boolean, timeoutMs = 20_000, since = Infinity): Promise<GradLabEvent> {
    const seen = this.events.find((e, i) => i >= since && test(e.event));
    if (seen) return Promise.resolve(seen.event);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for an event; last: ${JSON.stringify(this.events.at(-1)?.event.type)}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Concatenates every update's losses in order, checking that no epoch is missing or repeated. */
  lossCurve(runId: string): number[] {
    const curve: number[] = [];
    for (const update of this.of('update')) {
      if (update.runId !== runId) continue;
      if (update.firstEpoch !== curve.length + 1) curve.length = update.firstEpoch - 1; // reset
      // (not push(...losses): one update may carry more epochs than a call takes arguments)
      for (const loss of update.losses) curve.push(loss);
      if (update.epoch !== curve.length) throw new Error(`update at epoch ${update.epoch} but ${curve.length} losses received`);
    }
    return curve;
  }

  get mark(): number {
    return this.events.length;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
