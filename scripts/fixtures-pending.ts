// `npm run fixtures:pending`: runs every program in tests/fixtures/python/pending/<area>/ through
// GradLab's Python runner and compares its output with what real PyTorch printed (the .out beside
// it), the same rule as the conformance test. Prints pass/fail per area and a total, so everyone
// can follow issue 15's progress; a program that passes here belongs in the active folder
// (`git mv` it and its .out to tests/fixtures/python/<area>/).
//
// Options: --verbose (-v) shows the first differing line of each failure; --move moves every
// passing program and its .out to the active folder with `git mv`; AREA names limit the run
// (e.g. `npm run fixtures:pending -- nn optim`). Exit code 0 (failures here are expected).
//
// Each area runs in a child process, so a program that hangs (runner bug) is killed after
// PROGRAM_TIMEOUT_MS and the rest of its area still runs in a fresh child.
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', 'tests', 'fixtures', 'python');
const PENDING = join(FIXTURES, 'pending');
const PROGRAM_TIMEOUT_MS = 20_000;

interface Outcome {
  program: string;
  status: 'pass' | 'fail' | 'timeout';
  /** For failures: the first line where GradLab's output differs from PyTorch's. */
  detail?: string;
}

function programsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.*\.py$/.test(f) && existsSync(join(dir, f.replace(/\.py$/, '.out'))))
    .sort();
}

function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) return `line ${i + 1}: expected ${JSON.stringify(want[i] ?? '<end>')}, got ${JSON.stringify(got[i] ?? '<end>')}`;
  }
  return 'outputs differ';
}

/** Child mode: run the given programs one by one, reporting each outcome to the parent. */
async function runChild(dir: string, programs: string[]): Promise<void> {
  const { runPythonToString } = await import('../src-main/python/index');
  for (const program of programs) {
    const source = readFileSync(join(dir, program), 'utf8');
    const expected = readFileSync(join(dir, program.replace(/\.py$/, '.out')), 'utf8');
    let outcome: Outcome;
    try {
      const { output } = runPythonToString(source);
      outcome = output === expected ? { program, status: 'pass' } : { program, status: 'fail', detail: firstDifference(expected, output) };
    } catch (e) {
      outcome = { program, status: 'fail', detail: `the runner threw: ${(e as Error).message}` };
    }
    process.send!(outcome);
  }
}

/** Parent mode: runs programs in a child, restarting it after a program that hangs. */
function runArea(dir: string, programs: string[]): Promise<Outcome[]> {
  return new Promise((resolve) => {
    const outcomes: Outcome[] = [];
    const next = (): void => {
      const remaining = programs.slice(outcomes.length);
      if (remaining.length === 0) return resolve(outcomes);
      const child = fork(import.meta.filename, ['--child', dir, ...remaining], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      let timer = setTimeout(onTimeout, PROGRAM_TIMEOUT_MS);
      function onTimeout(): void {
        outcomes.push({ program: programs[outcomes.length]!, status: 'timeout', detail: `no result within ${PROGRAM_TIMEOUT_MS / 1000} s` });
        child.removeAllListeners();
        child.kill('SIGKILL');
        next();
      }
      child.on('message', (outcome: Outcome) => {
        outcomes.push(outcome);
        clearTimeout(timer);
        timer = setTimeout(onTimeout, PROGRAM_TIMEOUT_MS);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        // A child that dies mid-area (out of memory, a crash) fails the program it was running.
        if (outcomes.length < programs.length) {
          outcomes.push({ program: programs[outcomes.length]!, status: 'fail', detail: `the runner's process exited (code ${code})` });
        }
        next();
      });
    };
    next();
  });
}

async function main(args: string[]): Promise<void> {
  if (args[0] === '--child') return runChild(args[1]!, args.slice(2));
  const verbose = args.includes('--verbose') || args.includes('-v');
  const move = args.includes('--move');
  const chosen = args.filter((a) => !a.startsWith('-'));
  const areas = existsSync(PENDING) ? readdirSync(PENDING).filter((a) => !a.includes('.') && (chosen.length === 0 || chosen.includes(a))).sort() : [];
  let passed = 0;
  let total = 0;
  for (const area of areas) {
    const dir = join(PENDING, area);
    const programs = programsIn(dir);
    if (programs.length === 0) continue;
    const outcomes = await runArea(dir, programs);
    const ok = outcomes.filter((o) => o.status === 'pass');
    passed += ok.length;
    total += outcomes.length;
    console.log(`${area.padEnd(10)} ${String(ok.length).padStart(3)} / ${String(outcomes.length).padEnd(3)} pass`);
    for (const o of ok) {
      if (move) {
        const active = join(FIXTURES, area);
        mkdirSync(active, { recursive: true });
        for (const file of [o.program, o.program.replace(/\.py$/, '.out')]) execFileSync('git', ['mv', join(dir, file), join(active, file)]);
        console.log(`  PASS ${o.program}: moved to tests/fixtures/python/${area}/`);
      } else {
        console.log(`  PASS ${o.program} (move it with --move, or git mv it and its .out to tests/fixtures/python/${area}/)`);
      }
    }
    if (verbose) for (const o of outcomes.filter((x) => x.status !== 'pass')) console.log(`  ${o.status.toUpperCase()} ${o.program}: ${o.detail}`);
  }
  console.log(`total      ${String(passed).padStart(3)} / ${total} pending programs pass`);
}

await main(process.argv.slice(2));
