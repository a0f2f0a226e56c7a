// `npm run bench`: the lesson's training loop (../shared/bench/lr_{tiny,medium,large}.py) run
// through the engine's TypeScript API, and, when /usr/bin/python3 has torch, the same .py
// files under real PyTorch in the same run. Prints us_per_epoch for both and the ratio
// engine/pytorch per size (lower is better; the goal is <= 0.5).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { torch } from '../engine';

interface BenchCase {
  name: string;
  file: string;
  n: number;
  epochs: number;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const benchDir = resolve(repoRoot, '..', 'shared', 'bench');

/** Reads n and epochs from the .py file so the engine runs exactly the same workload. */
function readCase(name: string): BenchCase {
  const file = join(benchDir, `${name}.py`);
  const src = readFileSync(file, 'utf8');
  const n = Number(/^n = (\d+)/m.exec(src)?.[1]);
  const epochs = Number(/^epochs = (\d+)/m.exec(src)?.[1]);
  if (!Number.isFinite(n) || !Number.isFinite(epochs)) throw new Error(`cannot read n/epochs from ${file}`);
  return { name, file, n, epochs };
}

/** The loop of lr_*.py, line for line, through the engine API. */
function runEngine(c: BenchCase): { loss: number; usPerEpoch: number } {
  torch.manualSeed(0);
  const x = torch.rand([c.n]);
  const y = torch.rand([c.n]);
  const w = torch.ones([c.n], { requiresGrad: true });
  const b = torch.tensor(0.0, { dtype: 'float32', requiresGrad: true });
  const learningRate = 0.01;
  let loss = torch.tensor(0.0, { dtype: 'float32' });
  const start = performance.now();
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    const yHat = w.mul(x).add(b);
    loss = yHat.sub(y).pow(2).mean();
    loss.backward();
    const restore = torch.enterNoGrad();
    try {
      w.sub_(w.grad!.mul(learningRate));
      b.sub_(b.grad!.mul(learningRate));
    } finally {
      restore();
    }
    w.grad!.zero_();
    b.grad!.zero_();
  }
  const elapsed = performance.now() - start;
  return { loss: loss.item(), usPerEpoch: (elapsed * 1000) / c.epochs };
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

/** Runs the .py under PyTorch pinned to 1 thread (how the README's figures were measured). */
function runTorch(c: BenchCase): { loss: number; usPerEpoch: number } {
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const out = execFileSync('/usr/bin/python3', [c.file], { env, encoding: 'utf8' });
  const loss = Number(/loss (\S+)/.exec(out)?.[1]);
  const us = Number(/us_per_epoch (\S+)/.exec(out)?.[1]);
  return { loss, usPerEpoch: us };
}

function main(): void {
  const names = ['lr_tiny', 'lr_medium', 'lr_large'];
  const cases = names.map(readCase);
  const withTorch = torchAvailable();
  if (!withTorch) console.log('PyTorch not found on /usr/bin/python3: showing the engine only.');
  console.log('size      epochs  engine_us/epoch  pytorch_us/epoch  ratio  engine_loss  pytorch_loss');
  for (const c of cases) {
    runEngine({ ...c, epochs: Math.min(c.epochs, 5) }); // warm-up (JIT), not timed
    const e = runEngine(c);
    const t = withTorch ? runTorch(c) : null;
    const ratio = t ? (e.usPerEpoch / t.usPerEpoch).toFixed(2) : '-';
    console.log(
      [
        String(c.n).padEnd(9),
        String(c.epochs).padStart(6),
        e.usPerEpoch.toFixed(1).padStart(16),
        (t ? t.usPerEpoch.toFixed(1) : '-').padStart(17),
        ratio.padStart(6),
        e.loss.toFixed(6).padStart(12),
        (t ? t.loss.toFixed(6) : '-').padStart(13),
      ].join(' '),
    );
  }
}

main();
