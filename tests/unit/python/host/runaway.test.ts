// Programs that run away with memory or size (tests/fixtures/python/runaway: issue 13's reproducers
// and more written in the same spirit), each run in a real runner process as a cell or pyrun runs
// it: each ends in the Python error its header names, raised inside the runner (no runnerLost: V8
// never ran out), what it printed before is intact, and the next program runs in a fresh runner.
// `npm run bench:memory` times the same programs through pyrun with the default budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { forkRunner } from '../../../../src-main/python/host/fork-runner.node.js';
import { createPythonHost, type PythonHost, type RunnerExit } from '../../../../src-main/python/host/python-host';
import type { GradLabEvent } from '../../../../src-main/contract/messages';
import { readRunawayPrograms } from '../../../../scripts/runaway-programs';

const entry = join(process.cwd(), 'src-main/python/host/runner-process.node.ts');
/** Smaller than the default 768 MiB so the programs end sooner; what they end in does not depend on it. */
const BUDGET_MB = 128;
const PROGRAM_TIMEOUT_MS = 240_000;

type Done = Extract<GradLabEvent, { type: 'pyDone' }>;

let host: PythonHost;
const exits: Promise<RunnerExit>[] = [];
const outputs = new Map<string, string>();
const waiters = new Map<string, (done: Done) => void>();

beforeAll(() => {
  host = createPythonHost({
    spawn: () => {
      const runner = forkRunner(entry, { warmUp: 'off', memoryMb: BUDGET_MB });
      exits.push(new Promise((resolve) => runner.onExit(resolve)));
      return runner;
    },
    emit: (event) => {
      if (event.type === 'pyOutput') outputs.set(event.runId, (outputs.get(event.runId) ?? '') + event.text);
      else if (event.type === 'pyDone') waiters.get(event.runId)?.(event);
    },
    spare: false,
  });
});
afterAll(async () => {
  host.dispose();
  await Promise.all(exits);
});

function run(runId: string, source: string): Promise<Done> {
  return new Promise((resolve) => {
    waiters.set(runId, resolve);
    host.run(runId, source);
  });
}

describe(`runaway programs in a runner process (budget ${BUDGET_MB} MiB)`, () => {
  const programs = readRunawayPrograms();

  it('are at least 30, each saying what it ends in', () => {
    expect(programs.length).toBeGreaterThanOrEqual(30);
  });

  for (const program of programs) {
    it(`${program.name}: ${program.lastLine}`, async () => {
      const done = await run(program.name, program.source);
      expect({ errorLine: done.errorLine, runnerLost: 'runnerLost' in done, output: outputs.get(program.name) ?? '' }).toEqual({
        errorLine: program.lastLine,
        runnerLost: false,
        output: program.stdout,
      });
    }, PROGRAM_TIMEOUT_MS);
  }

  it('left every runner alive until the host ended it, and the next program runs', async () => {
    const after = await run('after', 'import torch\nprint(torch.ones(1000, 1000).sum())\n');
    expect(after).toMatchObject({ ok: true });
    expect(outputs.get('after')).toBe('tensor(1000000.)\n');
    const ended = await Promise.all(exits.slice(0, -1));
    expect(ended.filter((e) => e.outOfMemory)).toEqual([]);
  }, PROGRAM_TIMEOUT_MS);
});
