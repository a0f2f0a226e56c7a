// bench:py's runner child: runs one .py through the runner as `npm run -s pyrun` does (warm-up
// first, unless --cold) and prints what the program printed. With --cpu, time.perf_counter
// reads this process's CPU time. With --bytes it prints instead how many bytes of JavaScript
// heap one epoch allocates (the program run with two epoch counts, `epochs = N` rewritten, in a
// young generation large enough that no collection runs in between, which it checks). bench.ts starts it as the app ships the runner (an esbuild bundle, see
// python/host/source-bundle.node.ts), or from source under tsx with --tsx.
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { runPython } from '../python/index';
import { warmUpRunner } from '../python/warm-up';

function runnerChild(file: string, cpu: boolean, cold: boolean): number {
  if (!cold) warmUpRunner();
  if (cpu) {
    const cpuMs = (): number => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    Object.defineProperty(performance, 'now', { value: cpuMs, configurable: true });
  }
  let out = '';
  const result = runPython(readFileSync(file, 'utf8'), { write: (t) => (out += t) });
  process.stdout.write(out);
  if (!result.ok) {
    process.stderr.write(`${result.errorLine}\n`);
    return 1;
  }
  return 0;
}

/**
 * Heap bytes one epoch allocates: the difference between runs of E and 2E epochs (after one run
 * of E whose first-run allocations do not count), E the program's own count, halved until no collection runs in between (NaN if none fits).
 */
async function bytesPerEpoch(file: string): Promise<number> {
  warmUpRunner();
  const source = readFileSync(file, 'utf8');
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const settle = async (): Promise<void> => {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const allocated = (count: number): number => {
    const program = source.replace(/^epochs = \d+/m, `epochs = ${count}`);
    const before = process.memoryUsage().heapUsed;
    const result = runPython(program, { write: () => undefined });
    if (!result.ok) throw new Error(result.errorLine);
    return process.memoryUsage().heapUsed - before;
  };
  try {
    for (let epochs = Number(/^epochs = (\d+)/m.exec(source)?.[1]); epochs >= 10; epochs = Math.floor(epochs / 2)) {
      await settle();
      const start = collections;
      allocated(epochs); // the first run also fills caches a program's first run fills
      const once = allocated(epochs);
      const twice = allocated(2 * epochs);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (collections === start) return (twice - once) / epochs;
    }
    return NaN;
  } finally {
    observer.disconnect();
  }
}

const args = process.argv.slice(2);
if (args.includes('--bytes')) {
  bytesPerEpoch(args[0]).then(
    (bytes) => process.stdout.write(`bytes_per_epoch ${bytes.toFixed(0)}\n`),
    (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 1;
    },
  );
} else process.exitCode = runnerChild(args[0], args.includes('--cpu'), args.includes('--cold'));
