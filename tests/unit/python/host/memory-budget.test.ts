// The memory budget with real runner processes (child_process.fork, as pyrun and, through
// utilityProcess, the desktop run them): programs that would exhaust memory end in Python's
// MemoryError raised by the budget while the runner is alive (no runnerLost: the host killed
// it afterwards, as after every program), whether the memory is Python objects, tensors or both,
// and the next program runs. A small budget keeps the programs short.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { forkRunner } from '../../../../src-main/python/host/fork-runner.node.js';
import { createPythonHost, type PythonHost, type RunnerExit, type RunnerProcess } from '../../../../src-main/python/host/python-host';
import { heapLimitMb, runnerArguments } from '../../../../src-main/python/host/runner-settings';
import type { GradLabEvent } from '../../../../src-main/contract/messages';

const entry = join(process.cwd(), 'src-main/python/host/runner-process.node.ts');
const BUDGET_MB = 64;

const runners: { runner: RunnerProcess; exited: Promise<RunnerExit> }[] = [];
let host: PythonHost | null = null;
afterEach(async () => {
  host?.dispose();
  host = null;
  await Promise.all(runners.splice(0).map((r) => r.exited));
});

function startHost() {
  const events: GradLabEvent[] = [];
  const waiters: { runId: string; resolve: (e: GradLabEvent) => void }[] = [];
  host = createPythonHost({
    spawn: () => {
      const runner = forkRunner(entry, { warmUp: 'off', memoryMb: BUDGET_MB });
      runners.push({ runner, exited: new Promise((resolve) => runner.onExit(resolve)) });
      return runner;
    },
    emit: (event) => {
      events.push(event);
      if (event.type !== 'pyDone') return;
      for (const w of waiters.filter((w) => w.runId === event.runId)) w.resolve(event);
    },
    spare: false,
  });
  const run = (runId: string, source: string) =>
    new Promise<GradLabEvent>((resolve) => {
      waiters.push({ runId, resolve });
      host!.run(runId, source);
    });
  const output = (runId: string) => events.filter((e) => e.type === 'pyOutput' && e.runId === runId).map((e) => (e as { text: string }).text).join('');
  return { run, output };
}

const PROGRAMS: [name: string, source: string][] = [
  ['appending to a list forever', 'l = []\nwhile True:\n    l.append(0)\n'],
  ['a comprehension of 200 million ints', 'x = [i for i in range(200000000)]\n'],
  ['list(range(200000000))', 'x = list(range(200000000))\n'],
  ['a dict growing forever', 'd = {}\ni = 0\nwhile True:\n    d[i] = str(i)\n    i += 1\n'],
  ['torch.zeros(200000000).tolist()', 'import torch\nx = torch.zeros(200000000).tolist()\n'],
  ['an outer product of 50000 x 50000', 'import torch\na = torch.ones(50000)\nb = a.reshape(1, 50000) * a.reshape(50000, 1)\n'],
  ['many small tensors kept in a list', 'import torch\nkept = []\nwhile True:\n    kept.append(torch.ones(100000))\n'],
  ['tensors and Python objects together', 'import torch\nbig = torch.ones(12000000)\nl = []\nwhile True:\n    l.append([0.5] * 100)\n'],
];

describe(`memory budget (${BUDGET_MB} MB) in a runner process`, () => {
  it('ends each program in MemoryError raised by the budget, the runner alive, the next program fine', async () => {
    const { run, output } = startHost();
    for (const [name, source] of PROGRAMS) {
      const done = await run(name, `print("started")\n${source}`);
      expect([name, done]).toEqual([name, expect.objectContaining({ ok: false, errorLine: 'MemoryError' })]);
      expect([name, 'runnerLost' in done]).toEqual([name, false]);
      expect(output(name)).toBe('started\n');
    }
    // every runner lived until the host ended it after its program
    const exits = await Promise.all(runners.map((r) => r.exited));
    expect(exits.map((e) => e.outOfMemory)).toEqual(PROGRAMS.map(() => false));
    const after = await run('after', 'import torch\nprint(torch.ones(1000, 1000).sum())\n');
    expect(after).toMatchObject({ ok: true });
    expect(output('after')).toBe('tensor(1000000.)\n');
  }, 300_000);

  it('starts the runner with V8 heap room above the budget and the budget in its arguments', () => {
    const { args, execArgv } = runnerArguments({ memoryMb: 300 });
    expect(args).toContain('--memory-mb=300');
    expect(execArgv).toContain(`--max-old-space-size=${heapLimitMb(300)}`);
    expect(heapLimitMb(300)).toBeGreaterThan(2 * 300);
    expect(runnerArguments({}).args).toContain('--memory-mb=768');
  });
});
