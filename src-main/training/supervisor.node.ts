// Node side of training: owns the worker_threads worker, validates every request before the
// worker sees it, forwards the worker's events, and replaces a worker that throws, crashes or
// is killed (telling the window with a `workerRestarted` event). Plain functions, no Electron:
// the Electron main process wires `send` to IPC and `onEvent` to a MessagePortMain.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { GradLabEvent, RunId } from '../contract/messages';
import { validateRequest } from '../contract/validate-request';
import { HEARTBEAT_RUN_ID, startHeartbeat, type Heartbeat, type HeartbeatOptions } from '../contract/heartbeat';
import { errorMessage } from '../contract/error-message';

/**
 * The training worker's V8 heap limit (MB). Its data lives in typed arrays outside this heap; the
 * largest run the contract allows (MAX_VALUES values sent as plain number arrays) needs well under
 * half of it. A worker that grows past it ends alone with ERR_WORKER_OUT_OF_MEMORY and is replaced
 * like any crashed worker, instead of growing into the memory of the app's main process.
 * (No heap limit stops every V8 fatal error: one that cannot be handled ends the whole process,
 * which is why the learner's Python runs in a process of its own. Training runs only the app's own
 * code on inputs the contract bounds.)
 */
export const TRAINING_HEAP_MB = 2048;

export interface TrainingSupervisorOptions {
  /** Every event for the window (main forwards it on the window's MessagePortMain, which copies it). */
  onEvent: (event: GradLabEvent) => void;
  /**
   * The worker script. Production: the bundled worker (.js/.cjs/.mjs built from
   * src-main/training/worker-node.ts). A .ts path runs through tsx (dev and tests).
   * Default: worker-node.ts next to this module (only works when running from source).
   */
  workerPath?: string | URL;
  /** Give up restarting after this many crashes within `restartWindowMs` (default 5 in 60 s). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Extra worker_threads options (resourceLimits default to a TRAINING_HEAP_MB heap). */
  workerOptions?: Omit<WorkerOptions, 'eval'>;
  /**
   * Hung-worker detection (contract/heartbeat.ts): a ping every `intervalMs`; a worker silent for
   * `timeoutMs` (`startupTimeoutMs` before its first answer) is terminated and replaced like a
   * crashed one. Defaults 1 s / 10 s / 60 s; `false` turns it off.
   */
  heartbeat?: Pick<HeartbeatOptions, 'intervalMs' | 'timeoutMs' | 'startupTimeoutMs'> | false;
}

export interface TrainingSupervisor {
  /** Validates and forwards a request; an invalid one is answered with an `error` event. Returns whether it was forwarded. */
  send(message: unknown): boolean;
  /** The live worker (tests use it to kill the worker); null after dispose or while given up. */
  readonly worker: Worker | null;
  /** How many times the worker has been replaced after a fault. */
  readonly restarts: number;
  /** Resolves once the current worker has started and is ready for messages. */
  ready(): Promise<void>;
  /** Terminates the worker for good (no restart, no events). */
  dispose(): Promise<void>;
}

function defaultWorkerPath(): URL {
  return new URL('./worker-node.ts', import.meta.url);
}

function toFileUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  return path.startsWith('file:') ? new URL(path) : pathToFileURL(path);
}

/** The ESM entry of tsx's API, resolved from this package (used to run a .ts worker). */
function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  const cjsEntry = require.resolve('tsx/esm/api');
  const esmEntry = join(dirname(cjsEntry), 'index.mjs');
  return pathToFileURL(existsSync(esmEntry) ? esmEntry : cjsEntry).href;
}

/** Starts a worker_threads worker; a .ts entry runs through tsx (development, tests, the benches). */
export function spawnTrainingThread(path: string | URL, extra: TrainingSupervisorOptions['workerOptions'] = {}): Worker {
  const url = toFileUrl(path);
  if (!fileURLToPath(url).endsWith('.ts')) return new Worker(url, extra);
  // Node 20 does not apply `--import tsx` hooks to a worker's entry file, so a tiny bootstrap
  // registers tsx inside the worker and then imports the TypeScript entry.
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl())}).then((api) => { api.register(); ` +
    `return import(${JSON.stringify(url.href)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { ...extra, eval: true });
}

/** Ends a reason with a full stop so the next sentence can follow. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function createTrainingSupervisor(options: TrainingSupervisorOptions): TrainingSupervisor {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  const maxRestarts = options.maxRestarts ?? 5;
  const restartWindowMs = options.restartWindowMs ?? 60_000;
  const crashTimes: number[] = [];
  let worker: Worker | null = null;
  let online: Promise<void> = Promise.resolve();
  let disposed = false;
  let restarts = 0;
  let activeHeartbeat: Heartbeat | null = null;
  const stopHeartbeat = () => activeHeartbeat?.stop();
  /** The run the window last started: a crash is reported against it. */
  let lastRunId: RunId = '';

  function emit(event: GradLabEvent): void {
    try {
      options.onEvent(event);
    } catch (error) {
      // A failing listener must not take the supervisor down with it.
      console.error('[training supervisor] onEvent listener threw:', error);
    }
  }

  function start(): void {
    const current = spawnTrainingThread(workerPath, {
      ...options.workerOptions,
      resourceLimits: { maxOldGenerationSizeMb: TRAINING_HEAP_MB, ...options.workerOptions?.resourceLimits },
    });
    worker = current;
    let faulted = false;
    let heartbeat: Heartbeat | null = null;
    activeHeartbeat?.stop();
    online = new Promise((resolve) => {
      current.once('online', () => resolve());
      current.once('exit', () => resolve());
    });
    const fault = (reason: string) => {
      if (faulted || disposed || worker !== current) return;
      faulted = true;
      heartbeat?.stop();
      worker = null;
      void current.terminate();
      recover(reason);
    };
    if (options.heartbeat !== false) {
      heartbeat = activeHeartbeat = startHeartbeat({
        ...options.heartbeat,
        // Unreferenced: the heartbeat alone must not keep a process (CLI, tests) alive.
        setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
        sendPing: (seq) => {
          if (worker === current) current.postMessage({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq });
        },
        onHung: (silentMs) =>
          fault(
            `The training worker stopped responding (no answer for ${(silentMs / 1000).toFixed(1)} s: ` +
              'it is stuck in an endless loop or a deadlock), so it was stopped.',
          ),
      });
      current.once('exit', () => heartbeat?.stop());
    }
    current.on('message', (event: GradLabEvent) => {
      // Every message proves the worker alive; heartbeat answers stay here.
      if (heartbeat?.received(event)) return;
      emit(event);
    });
    current.on('messageerror', (error) => {
      emit({ type: 'error', runId: lastRunId, message: `A training message could not be read: ${error.message}` });
    });
    current.on('error', (error) => fault(`The training worker crashed: ${errorMessage(error)}`));
    current.on('exit', (code) =>
      fault(
        code === 0
          ? 'The training worker exited unexpectedly.'
          : `The training worker was terminated (exit code ${code}).`,
      ),
    );
  }

  function recover(reason: string): void {
    const now = Date.now();
    crashTimes.push(now);
    while (crashTimes.length > 0 && now - crashTimes[0] > restartWindowMs) crashTimes.shift();
    if (crashTimes.length > maxRestarts) {
      emit({
        type: 'error',
        runId: lastRunId,
        message:
          `${sentence(reason)} It crashed ${crashTimes.length} times within ${Math.round(restartWindowMs / 1000)} s, ` +
          'so it was not restarted again; the next request will try once more. If this keeps happening, restart GradLab.',
      });
      return;
    }
    restarts++;
    start();
    emit({ type: 'workerRestarted', runId: lastRunId, reason: `${sentence(reason)} A fresh training worker was started; start the run again.` });
  }

  start();

  return {
    send(message) {
      if (disposed) return false;
      const result = validateRequest(message);
      if (!result.ok) {
        const runId = typeof (message as { runId?: unknown } | null)?.runId === 'string' ? (message as { runId: string }).runId : '';
        emit({ type: 'error', runId, message: result.error });
        return false;
      }
      const request = result.request;
      if (request.type === 'start') lastRunId = request.runId;
      if (!worker) {
        restarts++;
        start();
      }
      (worker as Worker).postMessage(request);
      return true;
    },
    get worker() {
      return worker;
    },
    get restarts() {
      return restarts;
    },
    ready() {
      return online;
    },
    async dispose() {
      disposed = true;
      stopHeartbeat();
      const current = worker;
      worker = null;
      if (current) await current.terminate();
    },
  };
}
