// `npm run bench:train`: what streaming costs. For 2, 65,536 and 786,432 values it compares, in
// one process on one machine,
//   - bare: the lesson's loop written directly against the engine (bench-train-bare.ts), and
//   - worker: a real training worker (supervisor -> worker_threads -> host; the app runs the same
//     host in a process of its own, see training-process.ts) with streaming on
//     (updates at up to 60/s, image predictions and w images at up to 10/s for the image sizes),
//     from its first update to its `finished` event arriving in this thread.
//
// Both run in the same worker thread by default: bench-train-worker.ts is the real worker entry
// (worker-node.ts, unchanged) plus the bare loop on a second port. Why one thread:
//   - V8 compiles each thread's hot code its own way. Two fresh threads running the same bare
//     loop differ by up to 2x at 2 values (an epoch is ~3 us, so one inlining decision shows), and
//     that luck, not streaming, decided the old verdict. In one thread both loops run the same
//     compiled engine code, and the difference is what the host loop and streaming add.
//   - This machine's speed drifts by 10-30 % from one second to the next (a plain arithmetic loop
//     in one thread does too), so rounds are short and interleaved (bare, worker, worker, bare,
//     ...), the overhead is taken per round (each worker run against the bare run beside it) and
//     the verdict uses the median of many rounds; the range is printed too.
//   - Rounds come in blocks, each with a fresh thread, so no single JIT outcome decides.
// --separate-threads runs the bare loop in a second thread instead (the same entry, its training
// host idle), which adds the between-threads JIT luck described above.
// Wall-clock time and the CPU time of the training thread (Linux: the scheduler's own per-thread
// total) are both measured; "off-CPU" shows how long the thread was not running at all, i.e. how
// noisy the machine was. The worker's own measurement of building and posting updates (the direct
// cost of streaming) is printed too.
// PASS: the median overhead is at most 10 % in wall-clock time and in CPU time.
//
// Options: --rounds N (default 100 / 25 / 25 by size, in --blocks B fresh threads, default 3),
// --seconds S per measurement (default 0.1 / 0.6 / 1.2 s by size), --sizes 2,65536 (default all
// three), --separate-threads, --json (one JSON line), --strict (exit code 1 when a size fails).
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { torch } from '../engine';
import type { EventMap, GradLabEvent, TrainConfig } from '../contract/messages';
import { createTrainingSupervisor, type TrainingSupervisor } from '../training/supervisor';
import { spawnTrainingThread, threadTraining } from '../training/thread-training.node.js';
import { threadCpuClock } from '../training/thread-cpu-node';
import type { Measured } from './bench-train-bare';

interface SizeCase {
  n: number;
  label: string;
  image?: TrainConfig['image'];
  /** At least this many epochs per measurement, so a run's fixed costs (the first and the final update) stay small. */
  minEpochs: number;
  /** Seconds per measurement unless --seconds says otherwise: short rounds follow the machine's
   * drift more closely; the big size needs longer ones for its fixed costs (two pictures) to stay small. */
  seconds: number;
  /** Rounds unless --rounds says otherwise: short rounds need more of them for a steady median. */
  rounds: number;
}

const CASES: SizeCase[] = [
  { n: 2, label: '2 values', minEpochs: 10_000, seconds: 0.1, rounds: 100 },
  { n: 65_536, label: '65,536 values (256x256 grey)', image: { width: 256, height: 256, channels: 1 }, minEpochs: 1000, seconds: 0.6, rounds: 25 },
  { n: 786_432, label: '786,432 values (512x512 RGB)', image: { width: 512, height: 512, channels: 3 }, minEpochs: 200, seconds: 1.2, rounds: 25 },
];
const LIMIT_PERCENT = 10;

function fail(message: string): never {
  process.stderr.write(`bench-train: ${message}\n`);
  process.exit(2);
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) fail(`${name} needs a positive number (e.g. ${name} ${fallback}).`);
  return value;
}

function selectedCases(): SizeCase[] {
  const i = process.argv.indexOf('--sizes');
  if (i < 0) return CASES;
  const wanted = (process.argv[i + 1] ?? '').split(',').map((s) => Number(s.replace(/_/g, '')));
  const cases = CASES.filter((c) => wanted.includes(c.n));
  if (cases.length !== wanted.length) fail(`--sizes takes a comma-separated list of ${CASES.map((c) => c.n).join(', ')}.`);
  return cases;
}

function makeData(n: number): { x: Float32Array; y: Float32Array } {
  torch.manualSeed(0);
  // Copied out: a big tensor's .data is a view into the engine's arena, which reuses the block
  // once the tensor itself is garbage collected (the data would change under the bench).
  const x = (torch.rand([n]).data as Float32Array).slice();
  const y = (torch.rand([n]).data as Float32Array).slice();
  return { x, y };
}

const BENCH_WORKER = new URL('./bench-train-worker.ts', import.meta.url);

/**
 * The bare loop, driven over a bench port (bench-train-worker.ts): in the training worker's own
 * thread by default, or in a thread of its own with --separate-threads.
 */
class BareLoopClient {
  private waiting: ((message: { type: string; measured?: Measured }) => void) | null = null;

  constructor(
    private readonly port: MessagePort,
    private readonly ownThread: Worker | null,
  ) {
    port.on('message', (message: { type: string; measured?: Measured }) => {
      const resolve = this.waiting;
      this.waiting = null;
      resolve?.(message);
    });
    ownThread?.on('error', (error) => fail(`the bare loop's worker failed: ${error.message}`));
  }

  private ask(message: unknown): Promise<{ type: string; measured?: Measured }> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.port.postMessage(message);
    });
  }

  async setData(data: { x: Float32Array; y: Float32Array }): Promise<void> {
    await this.ask({ type: 'data', x: data.x, y: data.y });
  }

  async run(epochs: number): Promise<Measured> {
    return (await this.ask({ type: 'run', epochs })).measured!;
  }

  async dispose(): Promise<void> {
    this.port.close();
    await this.ownThread?.terminate();
  }
}

/** A real training supervisor and worker, and the bare loop in that worker's thread (or beside it). */
function startPair(waiter: Waiter, separateThreads: boolean): { supervisor: TrainingSupervisor; bare: BareLoopClient } {
  const training = new MessageChannel();
  const supervisor = createTrainingSupervisor({
    onEvent: waiter.onEvent,
    // A thread, not the app's process: the bare loop has to run beside the host in one isolate.
    spawn: () => threadTraining(BENCH_WORKER, { workerData: { benchPort: training.port2 }, transferList: [training.port2] }),
    // The bare loop runs in this worker's thread and blocks it for seconds on purpose (longer on a
    // busy machine), so the heartbeat would call the thread hung, and the restarted worker could
    // not get the bench port (it was transferred to the first one).
    heartbeat: false,
  });
  if (!separateThreads) return { supervisor, bare: new BareLoopClient(training.port1, null) };
  training.port1.close();
  // The same entry in a second thread (its training host stays idle), so both threads load the same code.
  const own = new MessageChannel();
  const thread = spawnTrainingThread(BENCH_WORKER, { workerData: { benchPort: own.port2 }, transferList: [own.port2] });
  return { supervisor, bare: new BareLoopClient(own.port1, thread) };
}

class Waiter {
  private pending: { test: (e: GradLabEvent) => boolean; resolve: () => void }[] = [];
  updates = 0;
  onEvent = (event: GradLabEvent): void => {
    if (event.type === 'update') this.updates++;
    if (event.type === 'error' || event.type === 'workerRestarted' || event.type === 'diverged') {
      process.stderr.write(`bench-train: unexpected ${event.type}: ${JSON.stringify(event)}\n`);
      process.exit(1);
    }
    this.pending = this.pending.filter((p) => {
      if (!p.test(event)) return true;
      p.resolve();
      return false;
    });
  };
  until(test: (e: GradLabEvent) => boolean): Promise<void> {
    return new Promise((resolve) => this.pending.push({ test, resolve }));
  }
}

interface WorkerMeasured extends Measured {
  updates: number;
  /** Share of the worker's own time spent building and posting updates. */
  streamingShare: number;
  /** Wall time of the run inside the worker (for its off-CPU share). */
  inWorkerWallMs: number;
}

async function workerRun(
  supervisor: TrainingSupervisor,
  waiter: Waiter,
  data: { x: Float32Array; y: Float32Array },
  image: TrainConfig['image'],
  epochs: number,
  runId: string,
): Promise<WorkerMeasured> {
  const config: TrainConfig = {
    x: data.x.slice(),
    y: data.y.slice(),
    initialW: { kind: 'ones' },
    initialB: 0,
    learningRate: 0.01,
    epochs,
    ...(image ? { image } : {}),
  };
  let finished: EventMap['finished'] | null = null;
  let firstUpdateAt = 0;
  const done = waiter.until((e) => {
    if (e.type === 'update' && e.runId === runId && firstUpdateAt === 0) {
      firstUpdateAt = performance.now();
      waiter.updates = 1;
    }
    if (e.type === 'finished' && e.runId === runId) finished = e;
    return finished !== null;
  });
  supervisor.send({ type: 'start', runId, config });
  await done;
  // From the run's first update (the worker has the data and built its tensors) to `finished`
  // arriving here: training with streaming, as the window sees it, without the one-off cost of
  // copying the data to the worker (the bare loop's timing leaves out making its tensors too).
  const wallMs = performance.now() - firstUpdateAt;
  const end = finished as unknown as EventMap['finished'];
  const stats = end.stats ?? { trainingMs: 0, streamingMs: 0, updates: 0 };
  return {
    wallMs,
    cpuMs: stats.cpuMs ?? Number.NaN,
    loss: end.loss,
    updates: waiter.updates,
    streamingShare: stats.streamingMs / Math.max(1e-9, stats.trainingMs + stats.streamingMs),
    inWorkerWallMs: stats.wallMs ?? wallMs,
  };
}

function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const finite = (values: number[]) => values.filter((v) => Number.isFinite(v));
const round = (value: number, digits: number) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);
const pct = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)}%`);

interface Row {
  size: number;
  label: string;
  epochs: number;
  rounds: number;
  blocks: number;
  separateThreads: boolean;
  bareEpochsPerSecond: number | null;
  workerEpochsPerSecond: number | null;
  overheadWallPercent: { median: number | null; min: number | null; max: number | null };
  overheadCpuPercent: { median: number | null; min: number | null; max: number | null };
  messagesPerSecond: number | null;
  inWorkerStreamingPercent: number | null;
  /** Share of wall time the thread was not on a CPU (machine noise), bare / worker, medians. */
  offCpuPercent: { bare: number | null; worker: number | null };
  /** How much the bare loop's own speed varied between rounds (max/min - 1). */
  bareSpreadPercent: number | null;
  pass: boolean;
}

function spread(values: number[]): { median: number | null; min: number | null; max: number | null } {
  const ok = finite(values);
  return { median: round(median(ok), 1), min: ok.length ? round(Math.min(...ok), 1) : null, max: ok.length ? round(Math.max(...ok), 1) : null };
}

/**
 * Rounds come in `blocks`, each with a fresh training thread (and a fresh bare thread with
 * --separate-threads): V8 compiles each thread's hot code its own way, and one thread's luck
 * would otherwise decide the whole verdict.
 */
async function measureSize(c: SizeCase, rounds: number, blocks: number, targetSeconds: number | null, separateThreads: boolean, waiter: Waiter): Promise<Row> {
  const data = makeData(c.n);
  let epochs = 0;
  const overheadWall: number[] = [];
  const overheadCpu: number[] = [];
  const bareRates: number[] = [];
  const workerRates: number[] = [];
  const messageRates: number[] = [];
  const streamingShares: number[] = [];
  const bareOffCpu: number[] = [];
  const workerOffCpu: number[] = [];
  const perBlock = Math.ceil(rounds / blocks);
  for (let block = 0, r = 0; block < blocks && r < rounds; block++) {
    const { supervisor, bare: bareLoop } = startPair(waiter, separateThreads);
    try {
      await supervisor.ready();
      await bareLoop.setData(data);
      if (block === 0) {
        // Calibrate: epochs for ~targetSeconds of the bare loop (after a JIT warm-up).
        await bareLoop.run(c.n > 100_000 ? 3 : c.n > 1000 ? 20 : 20_000);
        const probeEpochs = c.n > 100_000 ? 10 : c.n > 1000 ? 100 : 10_000;
        const probe = await bareLoop.run(probeEpochs);
        epochs = Math.max(c.minEpochs, Math.round((probeEpochs / probe.wallMs) * 1000 * (targetSeconds ?? c.seconds)));
      }
      // Warm both sides up at the measured size (JIT, arena blocks, the worker's code).
      await bareLoop.run(Math.max(3, Math.round(epochs / 4)));
      await workerRun(supervisor, waiter, data, c.image, Math.max(3, Math.round(epochs / 4)), `warmup-${c.n}-${block}`);
      for (let k = 0; k < perBlock && r < rounds; k++, r++) await measureRound(r, supervisor, bareLoop);
    } finally {
      await supervisor.dispose();
      await bareLoop.dispose();
    }
  }

  async function measureRound(r: number, supervisor: TrainingSupervisor, bareLoop: BareLoopClient): Promise<void> {
    // Alternate the order (bare, worker / worker, bare) so a drift within a round favours neither.
    let bare: Measured;
    let worker: WorkerMeasured;
    if (r % 2 === 0) {
      bare = await bareLoop.run(epochs);
      worker = await workerRun(supervisor, waiter, data, c.image, epochs, `bench-${c.n}-${r}`);
    } else {
      worker = await workerRun(supervisor, waiter, data, c.image, epochs, `bench-${c.n}-${r}`);
      bare = await bareLoop.run(epochs);
    }
    if (Math.fround(bare.loss) !== Math.fround(worker.loss)) {
      process.stderr.write(`bench-train: the bare loss ${bare.loss} differs from the worker's ${worker.loss} at ${c.n} values: they should train the same numbers.\n`);
    }
    bareRates.push((epochs * 1000) / bare.wallMs);
    workerRates.push((epochs * 1000) / worker.wallMs);
    overheadWall.push((1 - bare.wallMs / worker.wallMs) * 100);
    overheadCpu.push((1 - bare.cpuMs / worker.cpuMs) * 100);
    // The stream's own rate (<= 60/s by design): updates between the run's first one (its initial
    // state, sent at start) and its last one (the final state, always sent at once when the run
    // ends), over that time. Short rounds would otherwise count those two as streaming.
    messageRates.push((Math.max(0, worker.updates - 2) * 1000) / worker.wallMs);
    streamingShares.push(worker.streamingShare * 100);
    bareOffCpu.push((1 - bare.cpuMs / bare.wallMs) * 100);
    workerOffCpu.push((1 - worker.cpuMs / worker.inWorkerWallMs) * 100);
  }
  const wall = spread(overheadWall);
  const cpu = spread(overheadCpu);
  const pass = wall.median !== null && wall.median <= LIMIT_PERCENT && (cpu.median === null || cpu.median <= LIMIT_PERCENT);
  return {
    size: c.n,
    label: c.label,
    epochs,
    rounds,
    blocks,
    separateThreads,
    bareEpochsPerSecond: round(median(bareRates), 1),
    workerEpochsPerSecond: round(median(workerRates), 1),
    overheadWallPercent: wall,
    overheadCpuPercent: cpu,
    messagesPerSecond: round(median(messageRates), 1),
    inWorkerStreamingPercent: round(median(streamingShares), 2),
    offCpuPercent: { bare: round(median(bareOffCpu), 1), worker: round(median(workerOffCpu), 1) },
    bareSpreadPercent: bareRates.length ? round((Math.max(...bareRates) / Math.min(...bareRates) - 1) * 100, 1) : null,
    pass,
  };
}

function printRow(row: Row): void {
  const range = (s: Row['overheadWallPercent']) => `${pct(s.median)} (range ${pct(s.min)} .. ${pct(s.max)})`;
  console.log(`${row.label}: ${row.epochs} epochs per measurement, ${row.rounds} interleaved rounds in ${row.blocks} ${row.separateThreads ? 'pairs of fresh threads (bare loop in a thread of its own)' : 'fresh threads (bare loop and training host in the same thread)'}`);
  console.log(`  bare engine       ${String(row.bareEpochsPerSecond).padStart(10)} epochs/s (median; the bare loop's own speed varied ${pct(row.bareSpreadPercent)} between rounds)`);
  console.log(`  worker+streaming  ${String(row.workerEpochsPerSecond).padStart(10)} epochs/s (median), ${row.messagesPerSecond} messages/s`);
  console.log(`  overhead, wall clock   ${range(row.overheadWallPercent)}`);
  console.log(`  overhead, thread CPU   ${range(row.overheadCpuPercent)}`);
  console.log(`  inside the worker: building and posting updates took ${pct(row.inWorkerStreamingPercent)} of its time`);
  console.log(`  machine noise: threads off-CPU ${pct(row.offCpuPercent.bare)} (bare) / ${pct(row.offCpuPercent.worker)} (worker) of wall time`);
  console.log(`  ${row.pass ? 'PASS' : 'FAIL'}: median overhead ${row.pass ? '<=' : '>'} ${LIMIT_PERCENT}% (wall clock and thread CPU)`);
}

async function main(): Promise<void> {
  const rounds = process.argv.includes('--rounds') ? Math.round(argValue('--rounds', 25)) : null;
  const targetSeconds = process.argv.includes('--seconds') ? argValue('--seconds', 1) : null;
  const asJson = process.argv.includes('--json');
  const strict = process.argv.includes('--strict');
  const cases = selectedCases();
  const blocks = Math.round(argValue('--blocks', 3));
  const separateThreads = process.argv.includes('--separate-threads');
  const waiter = new Waiter();
  const rows: Row[] = [];
  for (const c of cases) {
    const row = await measureSize(c, rounds ?? c.rounds, blocks, targetSeconds, separateThreads, waiter);
    rows.push(row);
    if (!asJson) printRow(row);
  }
  const allPass = rows.every((r) => r.pass);
  if (asJson) console.log(JSON.stringify({ limitPercent: LIMIT_PERCENT, pass: allPass, threadCpu: threadCpuClock() !== null, rows }));
  else {
    if (!threadCpuClock()) console.log('(no per-thread CPU clock on this platform: CPU overhead shows n/a; the verdict uses wall clock only)');
    console.log(`${allPass ? 'PASS' : 'FAIL'}: streaming costs ${allPass ? 'at most' : 'more than'} ${LIMIT_PERCENT}% of bare-engine throughput at ${allPass ? 'every size' : 'some size'} (medians of per-round overheads)`);
  }
  if (strict && !allPass) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench-train: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
