// The Python runner in a real worker_threads Worker: output streams in batches, a runaway
// `while True: pass` is stopped within 100 ms of terminate(), and a fresh worker runs fine after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GradLabEvent } from '../../../src-main/contract/messages';

const source = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src-main/python/worker-node.ts');
const outDir = mkdtempSync(join(tmpdir(), 'gradlab-pyworker-'));
const entry = join(outDir, 'worker-node.mjs');
const workers: Worker[] = [];

// Workers cannot load .ts directly, so the entry is bundled once, the way the app ships it.
beforeAll(async () => {
  await build({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', outfile: entry, logLevel: 'error' });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function startWorker(): { worker: Worker; events: GradLabEvent[]; next: (pred: (e: GradLabEvent) => boolean, timeoutMs?: number) => Promise<GradLabEvent> } {
  const worker = new Worker(entry);
  workers.push(worker);
  const events: GradLabEvent[] = [];
  const waiters: { pred: (e: GradLabEvent) => boolean; resolve: (e: GradLabEvent) => void }[] = [];
  worker.on('message', (e: GradLabEvent) => {
    events.push(e);
    for (const w of waiters.slice()) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  const next = (pred: (e: GradLabEvent) => boolean, timeoutMs = 20_000): Promise<GradLabEvent> =>
    new Promise((resolveEvent, reject) => {
      const found = events.find(pred);
      if (found) return resolveEvent(found);
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
      waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolveEvent(e)) });
    });
  return { worker, events, next };
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe('Python worker (worker_threads)', () => {
  it('runs a program: output events then pyDone with the error line and its line number', async () => {
    const { worker, events, next } = startWorker();
    worker.postMessage({ type: 'runPython', runId: 'r1', source: 'import torch\nprint(torch.tensor([1.0, 2.0]) * 2)\nprint(x)\n' });
    const done = await next((e) => e.type === 'pyDone');
    const text = events.filter((e) => e.type === 'pyOutput').map((e) => (e as { text: string }).text).join('');
    expect(text).toBe('tensor([2., 4.])\n');
    expect(done).toEqual({ type: 'pyDone', runId: 'r1', ok: false, errorLine: "NameError: name 'x' is not defined", line: 3 });
  });

  it('streams output of a long loop while it runs, in batches rather than one message per print', async () => {
    const { worker, events, next } = startWorker();
    const source = 'import time\nfor i in range(4000):\n    print(i)\n    t = time.perf_counter()\n    while time.perf_counter() - t < 0.00005:\n        pass\n';
    worker.postMessage({ type: 'runPython', runId: 'r2', source });
    const first = await next((e) => e.type === 'pyOutput');
    expect(first.type).toBe('pyOutput');
    expect(events.some((e) => e.type === 'pyDone')).toBe(false); // it arrived while the program ran
    await next((e) => e.type === 'pyDone');
    const outputs = events.filter((e) => e.type === 'pyOutput') as { text: string }[];
    expect(outputs.map((o) => o.text).join('')).toBe(Array.from({ length: 4000 }, (_, i) => `${i}\n`).join(''));
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.length).toBeLessThan(400);
  });

  it('stops `while True: pass` within 100 ms of terminate, and a fresh worker then runs a program', async () => {
    const first = startWorker();
    first.worker.postMessage({ type: 'runPython', runId: 'loop', source: 'print("started")\nwhile True:\n    pass\n' });
    await first.next((e) => e.type === 'pyOutput');
    await new Promise((r) => setTimeout(r, 50)); // the loop is spinning now
    const exited = new Promise<number>((r) => first.worker.once('exit', () => r(performance.now())));
    const t0 = performance.now();
    void first.worker.terminate();
    const t1 = await exited;
    expect(t1 - t0).toBeLessThan(100);
    expect(first.events.some((e) => e.type === 'pyDone')).toBe(false);

    const fresh = startWorker();
    fresh.worker.postMessage({ type: 'runPython', runId: 'after', source: 'print(sum(range(10)))' });
    const done = await fresh.next((e) => e.type === 'pyDone');
    expect(done).toEqual({ type: 'pyDone', runId: 'after', ok: true });
    expect(fresh.events[0]).toEqual({ type: 'pyOutput', runId: 'after', text: '45\n' });
  });

  it('rejects malformed requests with an error event naming the field', async () => {
    const { worker, next } = startWorker();
    worker.postMessage({ type: 'runPython', runId: 'bad', source: 42 });
    const e = await next((ev) => ev.type === 'error');
    expect(e).toMatchObject({ type: 'error', runId: 'bad' });
    expect((e as { message: string }).message).toContain('source');
  });
});
