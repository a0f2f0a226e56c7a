// `npm run -s pyrun -- FILE.py`: runs a Python program with GradLab's runner. stdout gets exactly
// the program's output; on an uncaught exception the Python error line is the last line of
// stderr and the exit code is 1 (like `python3 FILE.py`, minus the traceback frames); pyrun's own
// problems (usage, an unreadable or too long file) exit with 2.
// The program runs in a runner process of its own, exactly as a cell does in the app, so a
// program that exhausts memory ends in MemoryError here too and never takes pyrun down.
// Before the program starts, the runner warms up V8 on a built-in training loop (python/warm-up.ts,
// a few tenths of a second) so the program's own loop runs on optimised code from its first
// epoch; `--no-warm-up` skips that. `--memory-mb N` sets the program's memory budget.
import { readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MAX_SOURCE_CHARS } from '../contract/limits';
import type { GradLabEvent } from '../contract/messages';
import { forkRunner } from '../python/host/fork-runner.node.js';
import { createPythonHost } from '../python/host/python-host';
import { DEFAULT_MEMORY_MB } from '../python/host/runner-settings';

const USAGE = 'usage: npm run -s pyrun -- [--no-warm-up] [--memory-mb N] FILE.py\n';
const runnerEntry = fileURLToPath(new URL('../python/host/runner-process.node.ts', import.meta.url));

interface Options {
  file: string;
  warmUp: boolean;
  memoryMb: number;
}

function parseArgs(args: string[]): Options | string {
  let warmUp = true;
  let memoryMb = DEFAULT_MEMORY_MB;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--no-warm-up') warmUp = false;
    else if (arg === '--memory-mb') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 16) return 'pyrun: --memory-mb needs a whole number of megabytes (16 or more)\n';
      memoryMb = value;
    } else files.push(arg);
  }
  if (files.length !== 1) return USAGE;
  return { file: files[0], warmUp, memoryMb };
}

/** Writes synchronously, so stdout stays byte-exact (no interleaving or lost tail on exit). */
function writeOut(text: string): void {
  const buf = Buffer.from(text, 'utf8');
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
}

function main(args: string[]): Promise<number> | number {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(options);
    return 2;
  }
  let source: string;
  try {
    source = readFileSync(options.file, 'utf8');
  } catch (e) {
    process.stderr.write(`pyrun: cannot read ${options.file}: ${(e as Error).message}\n`);
    return 2;
  }
  if (source.length > MAX_SOURCE_CHARS) {
    process.stderr.write(`pyrun: ${options.file} has ${source.length.toLocaleString('en')} characters; GradLab runs programs of at most ${MAX_SOURCE_CHARS.toLocaleString('en')}\n`);
    return 2;
  }
  return new Promise((resolve) => {
    const host = createPythonHost({
      spawn: () => forkRunner(runnerEntry, { warmUp: options.warmUp ? 'before' : 'off', memoryMb: options.memoryMb }),
      spare: false,
      emit: (event: GradLabEvent) => {
        if (event.type === 'pyOutput') writeOut(event.text);
        else if (event.type === 'error') {
          // the runner refused the request: nothing will run, so end rather than wait
          host.dispose();
          process.stderr.write(`pyrun: ${event.message}\n`);
          resolve(2);
        }
        else if (event.type === 'pyDone') {
          host.dispose();
          if (event.ok) return resolve(0);
          const where = event.line !== undefined ? `  (line ${event.line})\n` : '';
          process.stderr.write(`Traceback (most recent call last):\n  File "${options.file}"\n${where}${event.errorLine ?? 'SystemError'}\n`);
          resolve(1);
        }
      },
    });
    host.run('pyrun', source);
  });
}

void Promise.resolve(main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
