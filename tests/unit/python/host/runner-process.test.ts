// The runner process on its own (runner-process.node.ts in a real child process, without the
// host): output reaches the parent while the program still runs, in batches; a program's error
// comes back as Python's last traceback line; a malformed request is answered, not obeyed.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { forkRunner } from '../../../../src-main/python/host/fork-runner.node.js';
import type { RunnerExit, RunnerProcess } from '../../../../src-main/python/host/python-host';
import type { GradLabEvent } from '../../../../src-main/contract/messages';

const entry = join(process.cwd(), 'src-main/python/host/runner-process.node.ts');
const started: { runner: RunnerProcess; exited: Promise<RunnerExit> }[] = [];

function start() {
  const runner = forkRunner(entry, { warmUp: 'off' });
  started.push({ runner, exited: new Promise((resolve) => runner.onExit(resolve)) });
  const events: GradLabEvent[] = [];
  const waiters: { test: (e: GradLabEvent) => boolean; resolve: (e: GradLabEvent) => void }[] = [];
  runner.onMessage((event) => {
    events.push(event);
    for (const w of [...waiters]) if (w.test(event)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(event); }
  });
  const next = (test: (e: GradLabEvent) => boolean) =>
    new Promise<GradLabEvent>((resolve) => {
      const seen = events.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  return { runner, events, next };
}

afterEach(async () => {
  for (const { runner } of started) runner.kill();
  await Promise.all(started.splice(0).map((s) => s.exited));
});

describe('Python runner process', () => {
  it('runs a program: output events, then pyDone with the error line and its line number', async () => {
    const { runner, events, next } = start();
    runner.post({ type: 'runPython', runId: 'r1', source: 'import torch\nprint(torch.tensor([1.0, 2.0]) * 2)\nprint(x)\n' });
    const done = await next((e) => e.type === 'pyDone');
    const text = events.filter((e) => e.type === 'pyOutput').map((e) => (e as { text: string }).text).join('');
    expect(text).toBe('tensor([2., 4.])\n');
    expect(done).toEqual({ type: 'pyDone', runId: 'r1', ok: false, errorLine: "NameError: name 'x' is not defined", line: 3 });
  });

  it('streams output of a long loop while it runs, in batches rather than one message per print', async () => {
    const { runner, events, next } = start();
    // each line takes at least 50 µs, so the program runs for 200 ms or more: several flushes
    const source = 'import time\nfor i in range(4000):\n    print(i)\n    t = time.perf_counter()\n    while time.perf_counter() - t < 0.00005:\n        pass\n';
    runner.post({ type: 'runPython', runId: 'r2', source });
    await next((e) => e.type === 'pyOutput');
    expect(events.some((e) => e.type === 'pyDone')).toBe(false); // it arrived while the program ran
    await next((e) => e.type === 'pyDone');
    const outputs = events.filter((e) => e.type === 'pyOutput') as { text: string }[];
    expect(outputs.map((o) => o.text).join('')).toBe(Array.from({ length: 4000 }, (_, i) => `${i}\n`).join(''));
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.length).toBeLessThan(400);
  });

  it('answers a malformed runPython with its pyDone naming the field, anything else with an error event', async () => {
    const { runner, next } = start();
    runner.post({ type: 'runPython', runId: 'bad', source: 42 });
    const done = await next((ev) => ev.type === 'pyDone');
    expect(done).toMatchObject({ type: 'pyDone', runId: 'bad', ok: false });
    expect((done as { errorLine: string }).errorLine).toContain('source');
    runner.post({ type: 'noSuchRequest', runId: 'odd' });
    const e = await next((ev) => ev.type === 'error');
    expect(e).toMatchObject({ type: 'error', runId: 'odd' });
  });

  it('kill ends a spinning program at once: the exit names the signal', async () => {
    const { runner, next } = start();
    runner.post({ type: 'runPython', runId: 'loop', source: 'print("started")\nwhile True:\n    pass\n' });
    await next((e) => e.type === 'pyOutput');
    runner.kill();
    expect(await started[0].exited).toEqual({ code: null, signal: 'SIGKILL', outOfMemory: false });
  });
});
