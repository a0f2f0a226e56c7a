// `npm run bench:train-start`: what running training in a process of its own costs a learner
// who presses Run. For the training worker as a process (child_process.fork, as the app's
// utilityProcess) and as a worker_threads thread (how the app trained before), alternating, it
// times
//   - start-up: spawning the worker until it answers (the app does this at launch and right after
//     a worker is lost, never when Run is pressed: one worker is always kept ready);
//   - Run -> first update on that fresh worker (its first run: V8 has compiled nothing yet), and
//   - Run -> first update on a worker that has trained before (every later Run),
// at 2 values (the lesson) and 786,432 values (a 512x512 RGB image: 6 MB of x and y copied into
// the process, the first pictures copied back). Both load the same esbuild bundle of
// worker-node.ts, as the app ships it. Prints medians, the spread, and process / thread ratios.
//
// Options: --rounds N (default 7), --sizes 2,786432, --json (one JSON line).
import { resolve } from 'node:path';
import type { GradLabEvent, TrainConfig } from '../contract/messages';
import { bundledEntry } from '../python/host/source-bundle.node.js';
import { forkTraining } from '../training/fork-training.node.js';
import { createTrainingSupervisor, type TrainingSupervisor } from '../training/supervisor';
import { threadTraining } from '../training/thread-training.node.js';
import type { SpawnTraining } from '../training/training-process';

type Mode = 'process' | 'thread';
const MODES: Mode[] = ['process', 'thread'];
type Measure = 'startUp' | 'firstRun' | 'laterRun';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0) return process.argv[at + 1];
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const rounds = Number(option('rounds') ?? 7);
const sizes = (option('sizes') ?? '2,786432').split(',').map(Number);
const asJson = process.argv.includes('--json');
if (!Number.isInteger(rounds) || rounds < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  process.stderr.write('bench-train-start: --rounds N and --sizes a,b take positive integers\n');
  process.exit(2);
}

function config(n: number): TrainConfig {
  if (n === 2) return { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100_000_000 };
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = ((i * 7919) % 1000) / 1000;
    y[i] = ((i * 104729) % 1000) / 1000;
  }
  const image = n === 786_432 ? { image: { width: 512, height: 512, channels: 3 as const } } : {};
  return { x, y, initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.01, epochs: 100_000_000, ...image };
}

class Events {
  private waiters: { test: (e: GradLabEvent) => boolean; resolve: (at: number) => void }[] = [];
  readonly push = (event: GradLabEvent): void => {
    const at = performance.now();
    if (event.type === 'error' || event.type === 'workerRestarted') {
      process.stderr.write(`bench-train-start: unexpected ${event.type}: ${JSON.stringify(event)}\n`);
      process.exit(1);
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(event)) return true;
      w.resolve(at);
      return false;
    });
  };
  /** The time the first event passing `test` arrived. */
  next(test: (e: GradLabEvent) => boolean): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

/** Run -> the run's first update, then the run is stopped. */
async function runToFirstUpdate(supervisor: TrainingSupervisor, events: Events, runId: string, n: number): Promise<number> {
  const data = config(n);
  const first = events.next((e) => e.type === 'update' && e.runId === runId);
  const finished = events.next((e) => e.type === 'finished' && e.runId === runId);
  const sent = performance.now();
  supervisor.send({ type: 'start', runId, config: data });
  const at = await first;
  supervisor.send({ type: 'stop', runId });
  await finished;
  return at - sent;
}

async function measureOnce(mode: Mode, spawn: SpawnTraining, round: number, into: Map<string, number[]>): Promise<void> {
  const events = new Events();
  const started = performance.now();
  const supervisor = createTrainingSupervisor({ onEvent: events.push, spawn, heartbeat: false });
  await supervisor.ready();
  const record = (measure: Measure, n: number | null, ms: number) => {
    const key = `${measure}|${n ?? ''}|${mode}`;
    into.set(key, [...(into.get(key) ?? []), ms]);
  };
  record('startUp', null, performance.now() - started);
  try {
    for (const n of sizes) {
      record('firstRun', n, await runToFirstUpdate(supervisor, events, `first-${n}-${round}`, n));
      record('laterRun', n, await runToFirstUpdate(supervisor, events, `later-${n}-${round}`, n));
    }
  } finally {
    await supervisor.dispose();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const entry = bundledEntry(resolve(import.meta.dirname, '../training/worker-node.ts'));
  const spawns: Record<Mode, SpawnTraining> = { process: () => forkTraining(entry), thread: () => threadTraining(entry) };
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    // alternate which goes first, so a drift of the machine falls on both alike
    const order = round % 2 === 0 ? MODES : [...MODES].reverse();
    for (const mode of order) await measureOnce(mode, spawns[mode], round, samples);
    if (!asJson) process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  const rows: { measure: Measure; n: number | null; process: number; thread: number; ratio: number; processRange: [number, number]; threadRange: [number, number] }[] = [];
  const cases: [Measure, number | null][] = [['startUp', null], ...sizes.flatMap((n): [Measure, number][] => [['firstRun', n], ['laterRun', n]])];
  for (const [measure, n] of cases) {
    const of = (mode: Mode) => samples.get(`${measure}|${n ?? ''}|${mode}`) ?? [];
    const p = of('process');
    const t = of('thread');
    rows.push({
      measure,
      n,
      process: median(p),
      thread: median(t),
      ratio: median(p) / median(t),
      processRange: [Math.min(...p), Math.max(...p)],
      threadRange: [Math.min(...t), Math.max(...t)],
    });
  }
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ rounds, rows })}\n`);
    return;
  }
  const label: Record<Measure, string> = { startUp: 'start-up (spawn -> answers)', firstRun: 'Run -> first update, fresh worker', laterRun: 'Run -> first update, later run' };
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  process.stdout.write(`medians of ${rounds} rounds (min-max), process (child_process.fork) vs thread (worker_threads)\n`);
  for (const row of rows) {
    const what = `${label[row.measure]}${row.n === null ? '' : `, ${row.n.toLocaleString('en-US')} values`}`;
    process.stdout.write(
      `${what.padEnd(56)} process ${ms(row.process).padStart(10)} (${ms(row.processRange[0])}-${ms(row.processRange[1])})` +
        `  thread ${ms(row.thread).padStart(10)} (${ms(row.threadRange[0])}-${ms(row.threadRange[1])})  ratio ${row.ratio.toFixed(2)}\n`,
    );
  }
}

await main();
