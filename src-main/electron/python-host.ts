// Runs each Python program in its own worker thread. Stop terminates the thread, which ends
// any program at once (a `while True:` included) without touching the window or training.
// One spare worker waits for the next program; while it waits it warms up the runner's
// compiled code (python/warm-up.ts), so a cell's training loop is fast from its first epoch.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { GradLabEvent, RunId } from '../contract/messages';
import type { PythonTarget } from './ipc';

export interface PythonHost extends PythonTarget {
  dispose(): Promise<void>;
}

/** Starts a worker for the given entry; tests pass one that can run TypeScript. */
export type SpawnWorker = (path: string | URL, options: WorkerOptions) => Worker;

export function createPythonHost(
  workerPath: string | URL,
  emit: (event: GradLabEvent) => void,
  options: WorkerOptions = {},
  spawn: SpawnWorker = (path, opts) => new Worker(path, opts),
  /** How long after start-up, or a program's end, the spare starts (as in the browser bridge). */
  spareDelayMs = 1500,
): PythonHost {
  let current: { worker: Worker; runId: RunId; done: boolean } | null = null;
  let spare: Worker | null = null;
  let disposed = false;
  let spareTimer: ReturnType<typeof setTimeout> | null = null;
  const prepareSpare = (): void => {
    if (spare || disposed || spareTimer !== null) return;
    if (spareDelayMs > 0) {
      spareTimer = setTimeout(() => {
        spareTimer = null;
        spawnSpare();
      }, spareDelayMs);
      spareTimer.unref?.();
    } else spawnSpare();
  };
  const spawnSpare = (): void => {
    if (spare || disposed) return;
    const worker = spawn(workerPath, options);
    // a spare that fails while it waits is simply replaced when it is needed
    worker.on('error', () => {
      if (spare === worker) spare = null;
    });
    worker.on('exit', () => {
      if (spare === worker) spare = null;
    });
    spare = worker;
  };
  const takeWorker = (): Worker => {
    if (spareTimer !== null) clearTimeout(spareTimer);
    spareTimer = null;
    const worker = spare ?? spawn(workerPath, options);
    spare = null;
    return worker;
  };

  const finish = (entry: NonNullable<typeof current>) => {
    entry.done = true;
    if (current === entry) current = null;
    void entry.worker.terminate();
    prepareSpare();
  };

  const stopCurrent = () => {
    if (!current) return;
    const entry = current;
    finish(entry);
    emit({ type: 'pyDone', runId: entry.runId, ok: false, stopped: true });
  };

  const host: PythonHost = {
    run(runId, source, recordGraph = false) {
      stopCurrent();
      const worker = takeWorker();
      const entry = { worker, runId, done: false };
      current = entry;
      worker.on('message', (event: GradLabEvent) => {
        if (entry.done) return;
        emit(event);
        if (event.type === 'pyDone') finish(entry);
      });
      worker.on('error', (error) => {
        if (entry.done) return;
        finish(entry);
        emit({ type: 'pyDone', runId, ok: false, errorLine: `InternalError: ${error.message}` });
      });
      worker.on('exit', (code) => {
        if (entry.done) return;
        finish(entry);
        emit({ type: 'pyDone', runId, ok: false, errorLine: `InternalError: the Python worker exited (code ${code})` });
      });
      worker.postMessage({ type: 'runPython', runId, source, ...(recordGraph ? { recordGraph } : {}) });
    },
    stop(runId) {
      if (current?.runId === runId) stopCurrent();
    },
    async dispose() {
      disposed = true;
      if (spareTimer !== null) clearTimeout(spareTimer);
      const entry = current;
      current = null;
      const waiting = spare;
      spare = null;
      if (waiting) await waiting.terminate();
      if (entry) {
        entry.done = true;
        await entry.worker.terminate();
      }
    },
  };
  prepareSpare();
  return host;
}
