// The desktop side of Python cells, with real worker_threads: output streams back, errors carry
// Python's last traceback line, and Stop ends a runaway loop at once with the host still usable.
import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createPythonHost, type PythonHost } from '../../../src-main/electron/python-host';
import type { GradLabEvent } from '../../../src-main/contract/messages';

const entry = pathToFileURL(join(process.cwd(), 'src-main/python/worker-node.ts'));

/** Runs the TypeScript worker entry through tsx inside the worker (Node 20 does not pass --import hooks to workers). */
function spawnTs(path: string | URL): Worker {
  const require = createRequire(import.meta.url);
  const cjs = require.resolve('tsx/esm/api');
  const esm = join(dirname(cjs), 'index.mjs');
  const api = pathToFileURL(existsSync(esm) ? esm : cjs).href;
  const source = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(String(path))}); })`;
  return new Worker(source, { eval: true });
}

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

let host: PythonHost | null = null;
afterEach(async () => {
  await host?.dispose();
  host = null;
});

const output = (events: GradLabEvent[], runId: string) =>
  events.filter((e) => e.type === 'pyOutput' && e.runId === runId).map((e) => (e as { text: string }).text).join('');

describe('Python host (worker_threads)', () => {
  it('runs a program and streams its output', async () => {
    const { events, emit, next } = collect();
    host = createPythonHost(entry, emit, {}, spawnTs);
    host.run('p1', 'import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\nprint((x * 2).sum())\n');
    const done = await next((e) => e.type === 'pyDone' && e.runId === 'p1');
    expect(done).toMatchObject({ ok: true });
    expect(output(events, 'p1')).toBe('tensor(6., grad_fn=<SumBackward0>)\n');
  });

  it('sends the graph the program built when asked to record it', async () => {
    const { emit, next } = collect();
    host = createPythonHost(entry, emit, {}, spawnTs);
    host.run('g1', 'import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\n', true);
    const done = (await next((e) => e.type === 'pyDone' && e.runId === 'g1')) as Extract<GradLabEvent, { type: 'pyDone' }>;
    expect(done.ok).toBe(true);
    if (!done.graph?.ok) throw new Error('no graph in pyDone');
    expect(done.graph.graph.nodes.map((n) => n.name)).toEqual(['SumBackward0', 'MulBackward0', 'AccumulateGrad']);
    expect(done.graph.graph.nodes[2].leaf?.grad?.values).toEqual([2, 4]);
  });

  it("reports Python's error line and the line number", async () => {
    const { emit, next } = collect();
    host = createPythonHost(entry, emit, {}, spawnTs);
    host.run('p2', 'a = 1\nprint(weights)\n');
    const done = await next((e) => e.type === 'pyDone' && e.runId === 'p2');
    expect(done).toMatchObject({ ok: false, errorLine: "NameError: name 'weights' is not defined", line: 2 });
  });

  it('stops `while True:` at once and runs the next program in a fresh worker', async () => {
    const { events, emit, next } = collect();
    host = createPythonHost(entry, emit, {}, spawnTs);
    host.run('loop', 'print("start")\nwhile True:\n    pass\n');
    await next((e) => e.type === 'pyOutput' && e.runId === 'loop');
    const asked = performance.now();
    host.stop('loop');
    const stopped = await next((e) => e.type === 'pyDone' && e.runId === 'loop');
    expect(stopped).toMatchObject({ ok: false, stopped: true });
    expect(performance.now() - asked).toBeLessThan(100);

    host.run('after', 'print(1 + 1)\n');
    await next((e) => e.type === 'pyDone' && e.runId === 'after');
    expect(output(events, 'after')).toBe('2\n');
    expect(events.filter((e) => e.type === 'pyDone' && e.runId === 'loop')).toHaveLength(1);
  });

  it('keeps one spare worker ready (warming up while it waits) and hands it the next program', async () => {
    const { events, emit, next } = collect();
    const spawned: Worker[] = [];
    host = createPythonHost(
      entry,
      emit,
      {},
      (path) => {
        const worker = spawnTs(path);
        spawned.push(worker);
        return worker;
      },
      0, // no delay before the spare starts, so the test can count workers at once
    );
    expect(spawned).toHaveLength(1); // the spare, before any program
    host.run('first', 'print(3 * 7)\n');
    expect(spawned).toHaveLength(1); // the program went to the spare
    await next((e) => e.type === 'pyDone' && e.runId === 'first');
    expect(spawned).toHaveLength(2); // a new spare for the next one
    host.run('second', 'print("again")\n');
    expect(spawned).toHaveLength(2);
    await next((e) => e.type === 'pyDone' && e.runId === 'second');
    expect(output(events, 'first')).toBe('21\n');
    expect(output(events, 'second')).toBe('again\n');
  });
});
