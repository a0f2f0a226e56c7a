// The browser edition's bridge with stand-in workers: heartbeat pongs stay inside the bridge, a
// training worker that stops answering is replaced (the window hears workerRestarted), and each
// Python program gets the spare worker that was started (and warmed up) before it was asked for.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebBridge, type WorkerLike } from '../../../src-renderer/bridge/web-bridge';
import type { GradLabEvent } from '../../../src-main/contract/messages';

class FakeWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;
  readonly posted: { type: string; runId: string; seq?: number }[] = [];
  terminated = false;
  constructor(private readonly answer: (message: { type: string; runId: string; seq?: number }, self: FakeWorker) => void = () => {}) {}
  postMessage(message: { type: string; runId: string; seq?: number }): void {
    this.posted.push(message);
    this.answer(message, this);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(data: unknown): void {
    this.onmessage?.({ data });
  }
}

const asWorker = (w: FakeWorker) => w as unknown as WorkerLike;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('web bridge', () => {
  it('answers heartbeats inside the bridge and replaces a training worker that stops answering', () => {
    let hung = false;
    const trainingWorkers: FakeWorker[] = [];
    const bridge = createWebBridge({
      spawnTraining: () => {
        const worker = new FakeWorker((message, self) => {
          if (message.type === 'ping' && !hung) self.reply({ type: 'pong', runId: message.runId, seq: message.seq });
        });
        trainingWorkers.push(worker);
        return asWorker(worker);
      },
      spawnPython: () => asWorker(new FakeWorker()),
      heartbeat: { intervalMs: 100, timeoutMs: 500, startupTimeoutMs: 500 },
    });
    const events: GradLabEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    bridge.send({ type: 'pause', runId: 'run-1' });
    vi.advanceTimersByTime(1000);
    const pings = trainingWorkers[0].posted.filter((m) => m.type === 'ping');
    expect(pings.length).toBeGreaterThanOrEqual(9);
    expect(events).toEqual([]); // ten pongs, none of them reached the window
    trainingWorkers[0].reply({ type: 'error', runId: 'run-1', message: 'not running' });
    expect(events.map((e) => e.type)).toEqual(['error']);

    hung = true; // e.g. stuck in an endless loop: no crash, no exit, no answers
    vi.advanceTimersByTime(400);
    expect(trainingWorkers[0].terminated).toBe(false);
    vi.advanceTimersByTime(300);
    expect(trainingWorkers[0].terminated).toBe(true);
    const restarted = events.find((e) => e.type === 'workerRestarted');
    expect(restarted).toMatchObject({ runId: 'run-1', cause: 'hung' });
    expect((restarted as { reason: string }).reason).toMatch(/stopped responding/);

    hung = false;
    bridge.send({ type: 'resume', runId: 'run-1' });
    expect(trainingWorkers).toHaveLength(2); // a fresh worker for the next request
    expect(trainingWorkers[1].posted.some((m) => m.type === 'resume')).toBe(true);
  });

  it('starts the training worker before the first Run, not inside it', () => {
    const trainingWorkers: FakeWorker[] = [];
    const bridge = createWebBridge({
      spawnTraining: () => {
        const worker = new FakeWorker();
        trainingWorkers.push(worker);
        return asWorker(worker);
      },
      spawnPython: () => asWorker(new FakeWorker()),
    });
    expect(trainingWorkers).toHaveLength(0); // not while the page loads...
    vi.advanceTimersByTime(1000);
    expect(trainingWorkers).toHaveLength(1); // ...but before the learner presses Run
    bridge.send({ type: 'start', runId: 'run-1', config: { x: [1, 2], y: [3, 4], initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.1, epochs: 5 } });
    expect(trainingWorkers).toHaveLength(1);
    expect(trainingWorkers[0].posted.map((m) => m.type)).toContain('start');
  });

  it('reports a training worker that fails (a failed allocation) and trains the next request in a fresh one', () => {
    const trainingWorkers: FakeWorker[] = [];
    const bridge = createWebBridge({
      spawnTraining: () => {
        const worker = new FakeWorker();
        trainingWorkers.push(worker);
        return asWorker(worker);
      },
      spawnPython: () => asWorker(new FakeWorker()),
    });
    const events: GradLabEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    bridge.send({ type: 'pause', runId: 'run-1' });
    let defaultPrevented = false;
    trainingWorkers[0].onerror?.({ message: 'Uncaught RangeError: Array buffer allocation failed', preventDefault: () => (defaultPrevented = true) });
    expect(defaultPrevented).toBe(true); // the page's console is not where the learner looks
    expect(trainingWorkers[0].terminated).toBe(true);
    expect(events).toEqual([{ type: 'workerRestarted', runId: 'run-1', cause: 'outOfMemory', reason: 'Uncaught RangeError: Array buffer allocation failed' }]);
    bridge.send({ type: 'resume', runId: 'run-2' });
    expect(trainingWorkers).toHaveLength(2);
    expect(trainingWorkers[1].posted.map((m) => m.type)).toContain('resume');
  });

  it('runs each Python program in the spare worker and starts the next spare when it ends', () => {
    const pythonWorkers: FakeWorker[] = [];
    const bridge = createWebBridge({
      spawnTraining: () => asWorker(new FakeWorker()),
      spawnPython: () => {
        const worker = new FakeWorker();
        pythonWorkers.push(worker);
        return asWorker(worker);
      },
    });
    const events: GradLabEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    expect(pythonWorkers).toHaveLength(0); // not while the page loads...
    vi.advanceTimersByTime(1500);
    expect(pythonWorkers).toHaveLength(1); // ...but ready (and warming up) before any cell runs
    bridge.send({ type: 'runPython', runId: 'cell-1', source: 'print(1)' });
    expect(pythonWorkers).toHaveLength(1);
    expect(pythonWorkers[0].posted).toEqual([{ type: 'runPython', runId: 'cell-1', source: 'print(1)' }]);
    pythonWorkers[0].reply({ type: 'pyOutput', runId: 'cell-1', text: '1\n' });
    pythonWorkers[0].reply({ type: 'pyDone', runId: 'cell-1', ok: true });
    expect(pythonWorkers[0].terminated).toBe(true);
    vi.advanceTimersByTime(1500);
    expect(pythonWorkers).toHaveLength(2); // the next spare

    bridge.send({ type: 'runPython', runId: 'cell-2', source: 'while True:\n    pass\n' });
    bridge.send({ type: 'stopPython', runId: 'cell-2' });
    expect(pythonWorkers[1].terminated).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'pyDone', runId: 'cell-2', ok: false, stopped: true });
    bridge.send({ type: 'runPython', runId: 'cell-3', source: 'print(3)' }); // before the next spare is due
    expect(pythonWorkers).toHaveLength(3); // a fresh worker at once, and no stray spare later
    vi.advanceTimersByTime(5000);
    expect(pythonWorkers).toHaveLength(3);
    expect(pythonWorkers[2].posted).toEqual([{ type: 'runPython', runId: 'cell-3', source: 'print(3)' }]);
    expect(events.map((e) => e.type)).toEqual(['pyOutput', 'pyDone', 'pyDone']);
  });

  it('reports a Python worker that fails under a program and runs the next program in a fresh one', () => {
    const pythonWorkers: FakeWorker[] = [];
    const bridge = createWebBridge({
      spawnTraining: () => asWorker(new FakeWorker()),
      spawnPython: () => {
        const worker = new FakeWorker();
        pythonWorkers.push(worker);
        return asWorker(worker);
      },
    });
    const events: GradLabEvent[] = [];
    bridge.onEvent((event) => events.push(event));
    bridge.send({ type: 'runPython', runId: 'hog', source: 'x = [0] * 10**9' });
    let prevented = false;
    pythonWorkers[0].onerror?.({ message: 'Uncaught RangeError: Array buffer allocation failed', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true); // the page's console does not get it as an uncaught error
    expect(pythonWorkers[0].terminated).toBe(true);
    expect(events).toEqual([{ type: 'pyDone', runId: 'hog', ok: false, errorLine: 'MemoryError', runnerLost: 'outOfMemory' }]);

    bridge.send({ type: 'runPython', runId: 'broken', source: 'print(1)' });
    pythonWorkers[1].onerror?.({ message: 'Uncaught SyntaxError: bad module', preventDefault: () => {} });
    expect(events.at(-1)).toEqual({
      type: 'pyDone',
      runId: 'broken',
      ok: false,
      errorLine: 'SystemError: the Python runner stopped unexpectedly (Uncaught SyntaxError: bad module)',
      runnerLost: 'crashed',
    });

    bridge.send({ type: 'runPython', runId: 'next', source: 'print(2)' });
    expect(pythonWorkers).toHaveLength(3);
    pythonWorkers[2].reply({ type: 'pyDone', runId: 'next', ok: true });
    expect(events.at(-1)).toEqual({ type: 'pyDone', runId: 'next', ok: true });
  });
});
