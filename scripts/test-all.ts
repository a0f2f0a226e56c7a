// `npm test`: type-check, lint, unit tests, then end-to-end tests against the built browser
// edition. Every runner gets one summary line; the last line totals the tests; the exit code is
// non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

interface Step {
  name: string;
  command: string;
  args: string[];
  /** Reads pass/fail/skip counts from the runner's own report, when it writes one. */
  counts?: () => { passed: number; failed: number; skipped: number } | null;
}

const unitReport = join(results, 'unit-report.json');
const e2eReport = join(results, 'e2e-report.json');

function vitestCounts() {
  if (!existsSync(unitReport)) return null;
  const report = JSON.parse(readFileSync(unitReport, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts() {
  if (!existsSync(e2eReport)) return null;
  const report = JSON.parse(readFileSync(e2eReport, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
}

const steps: Step[] = [
  { name: 'typecheck (tsc per layer, svelte-check)', command: bin('tsx'), args: ['scripts/typecheck.ts'] },
  { name: 'lint (eslint)', command: bin('eslint'), args: ['--max-warnings', '0', '.'] },
  { name: 'unit (vitest)', command: bin('vitest'), args: ['run', '--reporter=default', '--reporter=json', `--outputFile=${unitReport}`], counts: vitestCounts },
  { name: 'build (browser edition)', command: bin('tsx'), args: ['scripts/build.ts', '--web'] },
  { name: 'e2e (playwright, chromium)', command: bin('playwright'), args: ['test'], counts: playwrightCounts },
];

rmSync(unitReport, { force: true });
rmSync(e2eReport, { force: true });

const summary: string[] = [];
let failedSteps = 0;
const total = { passed: 0, failed: 0, skipped: 0 };

for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const started = performance.now();
  const run = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  if (!ok) failedSteps += 1;
  const counts = step.counts?.() ?? null;
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    summary.push(`${step.name}: ${ok ? 'ok' : 'FAILED'} — ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds} s)`);
  } else {
    summary.push(`${step.name}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} (${seconds} s)`);
  }
}

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
if (failedSteps > 0 && total.failed === 0) total.failed = failedSteps; // a failed type-check or lint counts too
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
