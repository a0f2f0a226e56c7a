// `npm run bench`: the lesson's training loop (../shared/bench/lr_{tiny,medium,large}.py) run
// through the engine's TypeScript API, and, when /usr/bin/python3 has torch, the same .py
// files under real PyTorch in the same run. Prints us_per_epoch for both and the ratio
// engine/pytorch per size (lower is better; issue 18's goal for the runner is <= 0.20).
// `npm run bench -- --python-runner` runs the three .py files unchanged through GradLab's Python
// runner (each in a fresh process, like `npm run -s pyrun`: bench-runner-child.ts, bundled by
// esbuild as the app ships it; `--tsx` runs the source under tsx instead), alternating with
// PyTorch, and prints the median ratio per size, by the clock and by CPU time, then every round
// and how far the rounds spread. `--repeats=N` sets the rounds, `--sizes=2,65536` picks bench
// programs by n, `--programs=DIR` times every .py in DIR instead (`npm run bench:loops`: the
// loops of scripts/bench-loops that the fusion pass does not make one fused epoch of), and
// `--bytes` adds the JavaScript heap bytes one epoch allocates in the runner.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pyFloat, torch } from '../engine';
import { createRequire } from 'node:module';
import { runnerArguments } from '../python/host/runner-settings';
import { bundledEntry } from '../python/host/source-bundle.node.js';
import type { Tensor } from '../engine';

interface BenchCase {
  name: string;
  file: string;
  n: number;
  epochs: number;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchDir = resolve(repoRoot, '..', 'shared', 'bench');

/** Reads n and epochs from the .py file so the engine runs exactly the same workload. */
function readCase(name: string, dir = benchDir): BenchCase {
  const file = join(dir, `${name}.py`);
  const src = readFileSync(file, 'utf8');
  const n = Number(/^n = (\d+)/m.exec(src)?.[1]);
  const epochs = Number(/^epochs = (\d+)/m.exec(src)?.[1]);
  if (!Number.isFinite(n) || !Number.isFinite(epochs)) throw new Error(`cannot read n/epochs from ${file}`);
  return { name, file, n, epochs };
}

/**
 * The loop of lr_*.py, line for line, through the engine API (with the fused calls the runner uses). With `tidy`, each epoch runs in
 * torch.tidy() so its temporaries' buffers are handed to the next epoch at once (what
 * CPython's reference counting gives PyTorch for free); without it they wait for the GC.
 */
function runEngine(c: BenchCase, tidy = true): Timing {
  torch.manualSeed(0);
  const x = torch.rand([c.n]);
  const y = torch.rand([c.n]);
  const w = torch.ones([c.n], { requiresGrad: true });
  const b = torch.tensor(0.0, { dtype: 'float32', requiresGrad: true });
  const learningRate = 0.01;
  let loss = torch.tensor(0.0, { dtype: 'float32' });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // `w * x + b` and `w -= lr * w.grad` as the Python runner runs them: the engine's fused
  // one-pass forms (same values and graph), falling back to the two ops where they do not apply.
  const epoch = (): Tensor => {
    const yHat = w.mulAdd(x, b) ?? w.mul(x).add(b);
    const epochLoss = yHat.sub(y).pow(2).mean();
    epochLoss.backward();
    const restore = torch.enterNoGrad();
    try {
      if (!w.addScaledInPlace(w.grad!, pyFloat(learningRate), true)) w.sub_(w.grad!.mul(learningRate));
      if (!b.addScaledInPlace(b.grad!, pyFloat(learningRate), true)) b.sub_(b.grad!.mul(learningRate));
    } finally {
      restore();
    }
    w.grad!.zero_();
    b.grad!.zero_();
    return epochLoss;
  };
  for (let e = 0; e < c.epochs; e++) loss = tidy ? torch.tidy(epoch) : epoch();
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { loss: loss.item(), usPerEpoch: (elapsed * 1000) / c.epochs, cpuUsPerEpoch: (cpu.user + cpu.system) / c.epochs };
}

const REPEATS = 5;
/** Issue 18: the runner's time per epoch at most this fraction of PyTorch's, at every size. */
const GOAL = 0.2;

/** Median of the runs: on this shared, noisy machine a single run (or the best one) says little. */
function middle(runs: Timing[]): Timing {
  return {
    loss: runs[0].loss,
    usPerEpoch: median(runs.map((r) => r.usPerEpoch)),
    cpuUsPerEpoch: median(runs.map((r) => r.cpuUsPerEpoch)),
  };
}

interface Timing {
  loss: number;
  /** wall clock, like the .py files' time.perf_counter() */
  usPerEpoch: number;
  /** CPU time of this process: steadier than wall time on a busy shared machine */
  cpuUsPerEpoch: number;
}

function torchAvailable(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the .py under PyTorch pinned to 1 thread (how the README's figures were measured): once
 * as is (wall clock), once with time.perf_counter swapped for time.process_time (CPU time).
 */
function runTorch(c: BenchCase): Timing {
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const parse = parseRun;
  const wall = parse(execFileSync('/usr/bin/python3', [c.file], { env, encoding: 'utf8' }));
  const cpuProgram = `import sys, time\ntime.perf_counter = time.process_time\nsys.argv = [${JSON.stringify(c.file)}]\nexec(compile(open(sys.argv[0]).read(), sys.argv[0], 'exec'), {'__name__': '__main__'})`;
  const cpu = parse(execFileSync('/usr/bin/python3', ['-c', cpuProgram], { env, encoding: 'utf8' }));
  return { loss: wall.loss, usPerEpoch: wall.us, cpuUsPerEpoch: cpu.us };
}

// ---- --python-runner ----------------------------------------------------------------------

/** The runner child's source; bench:py runs its esbuild bundle, as the app ships the runner, unless --tsx. */
const runnerChildEntry = fileURLToPath(new URL('./bench-runner-child.ts', import.meta.url));

/** How the runner child is started: node on the cached bundle, or node with tsx's loader on the source. */
function runnerChildCommand(tsx: boolean): string[] {
  if (!tsx) return [bundledEntry(runnerChildEntry)];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, runnerChildEntry];
}

/** The last lines a bench program prints (`loss ...`, `us_per_epoch ...`; a program may print other lines before them). */
function parseRun(out: string): { loss: number; us: number } {
  return { loss: Number(/^loss (\S+)/m.exec(out)?.[1]), us: Number(/^us_per_epoch (\S+)/m.exec(out)?.[1]) };
}

interface RunnerTiming extends Timing {
  /** us_per_epoch of a runner that skipped its warm-up (`pyrun --no-warm-up`) */
  coldUsPerEpoch: number;
}

/** The child gets the runner process's own V8 flags (heap limit, speed flags), as pyrun's runner does. */
const runnerExecArgv = runnerArguments({}).execArgv;

function runRunner(c: BenchCase, child: string[]): RunnerTiming {
  const run = (...flags: string[]): { loss: number; us: number } =>
    parseRun(execFileSync(process.execPath, [...runnerExecArgv, ...child, c.file, ...flags], { encoding: 'utf8' }));
  const wall = run();
  const cpu = run('--cpu');
  const cold = run('--cold');
  return { loss: wall.loss, usPerEpoch: wall.us, cpuUsPerEpoch: cpu.us, coldUsPerEpoch: cold.us };
}

function median(values: number[]): number {
  const v = values.slice().sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * Round-to-round spread: the largest distance of one round from the median, as a share of the
 * median (issue 18 wants small runs within +-10 %).
 */
function spread(values: number[]): number {
  const m = median(values);
  return Math.max(...values.map((v) => Math.abs(v - m))) / m;
}

const percent = (x: number): string => `+-${(x * 100).toFixed(0)} %`;

/** Heap bytes per epoch (bench-runner-child --bytes), in a young generation big enough that no collection runs. */
function runnerBytes(c: BenchCase, child: string[]): number {
  const flags = [...runnerExecArgv.filter((f) => !f.startsWith('--min-semi-space-size')), '--min-semi-space-size=256', '--max-semi-space-size=256'];
  const out = execFileSync(process.execPath, [...flags, ...child, c.file, '--bytes'], { encoding: 'utf8' });
  return Number(/^bytes_per_epoch (\S+)/m.exec(out)?.[1]);
}

/** The programs to time: ../shared/bench's three, or every .py of `programs` (`--programs=DIR`). */
function benchCases(programs: string | null): BenchCase[] {
  if (programs === null) return ['lr_tiny', 'lr_medium', 'lr_large'].map((name) => readCase(name));
  const dir = resolve(programs);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => readCase(f.slice(0, -3), dir));
}

function mainPythonRunner(repeats: number, sizes: number[] | null, tsx: boolean, programs: string | null, bytes: boolean): void {
  const cases = benchCases(programs).filter((c) => sizes === null || sizes.includes(c.n));
  const withTorch = torchAvailable();
  if (!withTorch) console.log('PyTorch not found on /usr/bin/python3: showing the runner only.');
  const child = runnerChildCommand(tsx);
  console.log(`the .py files unchanged: GradLab's Python runner vs PyTorch (1 thread), median of ${repeats} alternating runs`);
  if (programs !== null) console.log(`programs: ${cases.map((c) => basename(c.file)).join(', ')}`);
  console.log(
    tsx
      ? 'runner build: the TypeScript source under tsx (--tsx; slower than the app: tsx keeps class names, which slows instanceof)'
      : `runner build: an esbuild bundle, as the app ships it (${child[0]}); --tsx times the source under tsx`,
  );
  console.log('cold: the runner without its start-up warm-up (pyrun --no-warm-up)');
  const label = (c: BenchCase): string => (programs === null ? String(c.n) : basename(c.file, '.py')).padEnd(programs === null ? 9 : 20);
  console.log(
    `${programs === null ? 'size     ' : 'program             '} epochs  runner_us/epoch  pytorch_us/epoch  ratio  cpu_runner  cpu_pytorch  cpu_ratio  cold_us/epoch  cold_ratio  runner_loss  pytorch_loss${bytes ? '  bytes/epoch' : ''}`,
  );
  const verdicts: string[] = [];
  const spreads: string[] = [];
  for (const c of cases) {
    const r: RunnerTiming[] = [];
    const t: Timing[] = [];
    for (let k = 0; k < repeats; k++) {
      r.push(runRunner(c, child));
      if (withTorch) t.push(runTorch(c));
    }
    const rw = median(r.map((x) => x.usPerEpoch));
    const rc = median(r.map((x) => x.cpuUsPerEpoch));
    const cold = median(r.map((x) => x.coldUsPerEpoch));
    const tw = withTorch ? median(t.map((x) => x.usPerEpoch)) : NaN;
    const tc = withTorch ? median(t.map((x) => x.cpuUsPerEpoch)) : NaN;
    console.log(
      [
        label(c),
        String(c.epochs).padStart(6),
        rw.toFixed(1).padStart(16),
        (withTorch ? tw.toFixed(1) : '-').padStart(17),
        (withTorch ? (rw / tw).toFixed(2) : '-').padStart(6),
        rc.toFixed(1).padStart(11),
        (withTorch ? tc.toFixed(1) : '-').padStart(12),
        (withTorch ? (rc / tc).toFixed(2) : '-').padStart(10),
        cold.toFixed(1).padStart(14),
        (withTorch ? (cold / tw).toFixed(2) : '-').padStart(11),
        r[0].loss.toFixed(6).padStart(12),
        (withTorch ? t[0].loss.toFixed(6) : '-').padStart(13),
        bytes ? runnerBytes(c, child).toFixed(0).padStart(12) : '',
      ].join(' '),
    );
    if (withTorch && r.some((x) => x.loss !== t[0].loss)) verdicts.push(`${label(c).trim()}: LOSS DIFFERS FROM PYTORCH'S`);
    if (withTorch) verdicts.push(`${label(c).trim()}: ${rw / tw <= GOAL ? 'ok' : 'NOT MET'} (${(rw / tw).toFixed(2)})`);
    const rounds = (label: string, values: number[]): string => `${label} ${values.map((v) => v.toFixed(1)).join(' ')} (${percent(spread(values))})`;
    spreads.push(`${label(c)} ${rounds('runner', r.map((x) => x.usPerEpoch))}; ${rounds('cpu', r.map((x) => x.cpuUsPerEpoch))}`);
    if (withTorch) spreads.push(`${''.padEnd(label(c).length)} ${rounds('pytorch', t.map((x) => x.usPerEpoch))}; ${rounds('cpu', t.map((x) => x.cpuUsPerEpoch))}`);
  }
  console.log('rounds in run order, us_per_epoch by the clock and by CPU time (spread: the farthest round from the median):');
  for (const line of spreads) console.log(line);
  if (withTorch) console.log(`goal: runner us_per_epoch <= ${GOAL} x PyTorch's at every size, on a quiet machine (load now ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs) -> ${verdicts.join(', ')}`);
}

function main(): void {
  const names = ['lr_tiny', 'lr_medium', 'lr_large'];
  const cases = names.map((name) => readCase(name));
  const withTorch = torchAvailable();
  if (!withTorch) console.log('PyTorch not found on /usr/bin/python3: showing the engine only.');
  console.log('wall: us_per_epoch by the clock, as the .py files print it; cpu: process CPU time per epoch');
  console.log(`median of ${REPEATS} runs on each side`);
  console.log('no-tidy: the same loop without torch.tidy (buffers wait for the garbage collector)');
  console.log('size      epochs  engine_us/epoch  pytorch_us/epoch  ratio  cpu_engine  cpu_pytorch  cpu_ratio  engine_loss  pytorch_loss  no-tidy_cpu_ratio');
  // The no-tidy runs go last: their garbage holds arena space until the GC runs (which a
  // synchronous benchmark never lets happen), and would push later runs off the fast path.
  const rows = cases.map((c) => {
    // warm-up so V8 has compiled the engine's hot paths (PyTorch's kernels are precompiled)
    runEngine({ ...c, epochs: Math.max(3, Math.min(c.epochs, Math.floor(2e7 / c.n))) });
    // median of REPEATS for both sides: this machine is shared and noisy
    const e = middle(Array.from({ length: REPEATS }, () => runEngine(c)));
    const t = withTorch ? middle(Array.from({ length: REPEATS }, () => runTorch(c))) : null;
    return { c, e, t };
  });
  for (const row of rows) {
    const { c, e, t } = row;
    const plain = runEngine(c, false);
    const ratio = t ? (e.usPerEpoch / t.usPerEpoch).toFixed(2) : '-';
    const cpuRatio = t ? (e.cpuUsPerEpoch / t.cpuUsPerEpoch).toFixed(2) : '-';
    const plainRatio = t ? (plain.cpuUsPerEpoch / t.cpuUsPerEpoch).toFixed(2) : '-';
    console.log(
      [
        String(c.n).padEnd(9),
        String(c.epochs).padStart(6),
        e.usPerEpoch.toFixed(1).padStart(16),
        (t ? t.usPerEpoch.toFixed(1) : '-').padStart(17),
        ratio.padStart(6),
        e.cpuUsPerEpoch.toFixed(1).padStart(11),
        (t ? t.cpuUsPerEpoch.toFixed(1) : '-').padStart(12),
        cpuRatio.padStart(10),
        e.loss.toFixed(6).padStart(12),
        (t ? t.loss.toFixed(6) : '-').padStart(13),
        plainRatio.padStart(18),
      ].join(' '),
    );
  }
}

const args = process.argv.slice(2);
if (args.includes('--python-runner')) {
  const r = args.find((a) => a.startsWith('--repeats='));
  // --sizes=2,65536: only those bench programs (by their n)
  const sizes = args.find((a) => a.startsWith('--sizes='));
  mainPythonRunner(
    r ? Math.max(1, Number(r.slice('--repeats='.length)) | 0) : 5,
    sizes ? sizes.slice('--sizes='.length).split(',').map(Number) : null,
    args.includes('--tsx'),
    args.find((a) => a.startsWith('--programs='))?.slice('--programs='.length) ?? null,
    args.includes('--bytes'),
  );
} else main();
