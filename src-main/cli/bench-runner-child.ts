// bench:py's runner child: runs one .py through the runner as `npm run -s pyrun` does (warm-up
// first, unless --cold) and prints what the program printed. With --cpu, time.perf_counter
// reads this process's CPU time. bench.ts starts it as the app ships the runner (an esbuild
// bundle, see python/host/source-bundle.node.ts), or from source under tsx with --tsx.
import { readFileSync } from 'node:fs';
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

const args = process.argv.slice(2);
process.exitCode = runnerChild(args[0], args.includes('--cpu'), args.includes('--cold'));
