// The Python host with real runner processes (child_process.fork, as the pyrun CLI uses; the
// desktop's utilityProcess goes through the same host): output streams back, errors carry
// Python's last traceback line, Stop ends a runaway loop, and a runner that dies under a
// program (SIGKILL, V8 out of memory) ends that program only; the next one runs in a fresh runner.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { forkRunner } from '../../../../src-main/python/host/fork-runner.node.js';
import { createPythonHost, type PythonHost, type RunnerExit, type RunnerProcess } from '../../../../src-main/python/host/python-host';
import type { RunnerSettings } from '../../../../src-main/python/host/runner-settings';
import type { GradLabEvent } from '../../../../src-main/contract/messages';

const entry = join(process.cwd(), 'src-main/python/host/runner-process.node.ts');

function collect() {
  const events: GradLabEvent[] = [];
  const waiters: { test: (e: GradLabEvent) => boolean; resolve: (e: GradLabEvent) => void }[] = [];
  const emit = (event: GradLabEvent) => {
    events.push(event);
    for (const w of [...waiters]) if (w.test(event)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(event); }
  };
  const next = (test: (e: GradLabEvent) => boolean) =>
    new Promise<GradLabEvent>((resolve) => {
      const seen = events.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  return { events, emit, next };
}

/** Every runner started, with a promise of its exit, so each test can check none outlives it. */
const runners: { runner: RunnerProcess; exited: Promise<RunnerExit> }[] = [];
function spawn(settings: RunnerSettings = { warmUp: 'off' }): RunnerProcess {
  const runner = forkRunner(entry, settings);
  runners.push({ runner, exited: new Promise((resolve) => runner.onExit(resolve)) });
  return runner;
}

let host: PythonHost | null = null;
afterEach(async () => {
  host?.dispose();
  host = null;
  await Promise.all(runners.splice(0).map((r) => r.exited));
});

const output = (events: GradLabEvent[], runId: string) =>
  events.filter((e) => e.type === 'pyOutput' && e.runId === runId).map((e) => (e as { text: string }).text).join('');
const isDone = (runId: string) => (e: GradLabEvent) => e.type === 'pyDone' && e.runId === runId;

describe('Python host (runner processes)', () => {
  it('runs a program and streams its output', async () => {
    const { events, emit, next } = collect();
    host = createPythonHost({ spawn: () => spawn(), emit, spare: false });
    host.run('p1', 'import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\nprint((x * 2).sum())\n');
    expect(await next(isDone('p1'))).toMatchObject({ ok: true });
    expect(output(events, 'p1')).toBe('tensor(6., grad_fn=<SumBackward0>)\n');
  });

  it('sends the graph the program built when asked to record it', async () => {
    const { emit, next } = collect();
    host = createPythonHost({ spawn: () => spawn(), emit, spare: false });
    host.run('g1', 'import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\n', true);
    const done = (await next(isDone('g1'))) as Extract<GradLabEvent, { type: 'pyDone' }>;
    expect(done.ok).toBe(true);
    if (!done.graph?.ok) throw new Error('no graph in pyDone');
    expect(done.graph.graph.nodes.map((n) => n.name)).toEqual(['SumBackward0', 'MulBackward0', 'AccumulateGrad']);
    expect(done.graph.graph.nodes[2].leaf?.grad?.values).toEqual([2, 4]);
  });

  it("reports Python's error line and the line number", async () => {
    const { emit, next } = collect();
    host = createPythonHost({ spawn: () => spawn(), emit, spare: false });
    host.run('p2', 'a = 1\nprint(weights)\n');
    expect(await next(isDone('p2'))).toMatchObject({ ok: false, errorLine: "NameError: name 'weights' is not defined", line: 2 });
  });

  it('stops `while True:` and runs the next program in a fresh runner', async () => {
    const { events, emit, next } = collect();
    host = createPythonHost({ spawn: () => spawn(), emit, spare: false });
    host.run('loop', 'print("start")\nwhile True:\n    pass\n');
    await next((e) => e.type === 'pyOutput' && e.runId === 'loop');
    const looping = runners[0];
    host.stop('loop');
    expect(await next(isDone('loop'))).toMatchObject({ ok: false, stopped: true });
    expect(await looping.exited).toMatchObject({ signal: 'SIGKILL' });

    host.run('after', 'print(1 + 1)\n');
    await next(isDone('after'));
    expect(output(events, 'after')).toBe('2\n');
    expect(events.filter(isDone('loop'))).toHaveLength(1);
    expect(runners).toHaveLength(2);
  });

  it('keeps one spare runner ready (warming up while it waits) and hands it the next program', async () => {
    const { events, emit, next } = collect();
    // no delay before the spare starts, so the test can count runners at once
    host = createPythonHost({ spawn: () => spawn({ warmUp: 'idle' }), emit, spareDelayMs: 0 });
    expect(runners).toHaveLength(1); // the spare, before any program
    host.run('first', 'print(3 * 7)\n');
    expect(runners).toHaveLength(1); // the program went to the spare
    await next(isDone('first'));
    expect(runners).toHaveLength(2); // a new spare for the next one
    host.run('second', 'print("again")\n');
    expect(runners).toHaveLength(2);
    await next(isDone('second'));
    expect(output(events, 'first')).toBe('21\n');
    expect(output(events, 'second')).toBe('again\n');
  });

  it('a runner killed with SIGKILL mid-program ends that program only; the next one runs', async () => {
    const { events, emit, next } = collect();
    host = createPythonHost({ spawn: () => spawn(), emit, spare: false });
    host.run('victim', 'print("working")\ni = 0\nwhile True:\n    i += 1\n');
    await next((e) => e.type === 'pyOutput' && e.runId === 'victim');
    process.kill(runners[0].runner.pid as number, 'SIGKILL');
    const lost = await next(isDone('victim'));
    expect(lost).toMatchObject({ ok: false, runnerLost: 'crashed', errorLine: 'SystemError: the Python runner stopped unexpectedly (signal SIGKILL)' });
    expect(lost).not.toHaveProperty('stopped');

    host.run('next', 'import torch\nprint(torch.tensor([1.0, 2.0]) + 1)\n');
    expect(await next(isDone('next'))).toMatchObject({ ok: true });
    expect(output(events, 'next')).toBe('tensor([2., 3.])\n');
    expect(events.filter(isDone('victim'))).toHaveLength(1);
  });

  it('a runner that V8 itself kills for memory reports MemoryError, and a fresh runner follows', async () => {
    const { events, emit, next } = collect();
    // V8's heap limit far below the budget, so V8 runs out before the budget can say MemoryError
    host = createPythonHost({ spawn: () => spawn({ warmUp: 'off', heapMb: 48 }), emit, spare: false });
    host.run('hog', 'rows = []\nwhile True:\n    rows.append([len(rows)] * 1000000)\n');
    expect(await next(isDone('hog'))).toMatchObject({ ok: false, runnerLost: 'outOfMemory', errorLine: 'MemoryError' });
    expect(await runners[0].exited).toMatchObject({ outOfMemory: true });

    host.run('after', 'print("still here")\n');
    expect(await next(isDone('after'))).toMatchObject({ ok: true });
    expect(output(events, 'after')).toBe('still here\n');
  });

  it('a runner that cannot start is reported against the program, and the host goes on', async () => {
    const { emit, next } = collect();
    let attempt = 0;
    host = createPythonHost({
      spawn: () => {
        attempt++;
        if (attempt === 1) throw new Error('no runner today');
        return spawn();
      },
      emit,
      spare: false,
    });
    host.run('first', 'print(1)\n');
    expect(await next(isDone('first'))).toMatchObject({ ok: false, runnerLost: 'crashed', errorLine: 'SystemError: the Python runner could not be started (no runner today)' });
    host.run('second', 'print(2)\n');
    expect(await next(isDone('second'))).toMatchObject({ ok: true });
  });
});
