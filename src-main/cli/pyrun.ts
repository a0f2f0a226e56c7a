// `npm run -s pyrun -- FILE.py`: runs a Python program with GradLab's runner. stdout gets exactly
// the program's output; on an uncaught exception the Python error line is the last line of
// stderr and the exit code is 1 (like `python3 FILE.py`, minus the traceback frames).
// Before the program starts, the runner warms up V8 on a built-in training loop (python/warm-up.ts,
// a few tenths of a second) so the program's own loop runs on optimised code from its first
// epoch; `--no-warm-up` skips that.
import { readFileSync, writeSync } from 'node:fs';
import { runPython } from '../python/index';
import { warmUpRunner } from '../python/warm-up';

function main(args: string[]): number {
  const warmUp = !args.includes('--no-warm-up');
  const argv = args.filter((a) => a !== '--no-warm-up');
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write('usage: npm run -s pyrun -- [--no-warm-up] FILE.py\n');
    return 2;
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`pyrun: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  // Output is collected in chunks and written synchronously, so a long-running program shows its
  // lines as it goes while stdout stays byte-exact (no interleaving or lost tail on exit).
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const buf = Buffer.from(pending, 'utf8');
    pending = '';
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(1, buf, off, buf.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw e;
      }
    }
  };
  if (warmUp) warmUpRunner();
  let lastFlush = performance.now();
  const result = runPython(source, {
    write: (text) => {
      pending += text;
      if (pending.length > 1 << 16) flush();
    },
    housekeeping: () => {
      const now = performance.now();
      if (now - lastFlush > 50) {
        lastFlush = now;
        flush();
      }
    },
  });
  flush();
  if (!result.ok) {
    const where = result.line !== undefined ? `  (line ${result.line})\n` : '';
    process.stderr.write(`Traceback (most recent call last):\n  File "${file}"\n${where}${result.errorLine}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
