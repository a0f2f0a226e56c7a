// The training worker's owner on the desktop and in Node: keeps one training worker ready (an OS
// process of its own, see training-process.ts), validates every request before the worker sees
// it, forwards the worker's events, and replaces a worker that crashes, runs out of memory, is
// killed or stops answering, telling the window with a `workerRestarted` event for the run it
// ended. Nothing else changes: the next request goes to the fresh worker. Platform-free: the
// platform hands in a SpawnTraining (Electron's utilityProcess, child_process.fork in Node).
import type { GradLabEvent, RunId, WorkerLostCause } from '../contract/messages';
import { validateRequest } from '../contract/validate-request';
import { HEARTBEAT_RUN_ID, startHeartbeat, type Heartbeat, type HeartbeatOptions } from '../contract/heartbeat';
import type { SpawnTraining, TrainingExit, TrainingProcess } from './training-process';

export interface TrainingSupervisorOptions {
  /** Every event for the window (main forwards it on the window's MessagePortMain, which copies it). */
  onEvent: (event: GradLabEvent) => void;
  /** Starts a training worker (utilityTraining on the desktop, forkTraining in Node). */
  spawn: SpawnTraining;
  /** Give up restarting after this many crashes within `restartWindowMs` (default 5 in 60 s). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /**
   * Hung-worker detection (contract/heartbeat.ts): a ping every `intervalMs`; a worker silent for
   * `timeoutMs` (`startupTimeoutMs` before its first answer) is killed and replaced like a
   * crashed one. Defaults 1 s / 10 s / 60 s; `false` turns it off.
   */
  heartbeat?: Pick<HeartbeatOptions, 'intervalMs' | 'timeoutMs' | 'startupTimeoutMs'> | false;
}

export interface TrainingSupervisor {
  /** Validates and forwards a request; an invalid one is answered with an `error` event. Returns whether it was forwarded. */
  send(message: unknown): boolean;
  /** The live worker (tests kill it); null after dispose or while given up. */
  readonly worker: TrainingProcess | null;
  /** How many times the worker has been replaced after a fault. */
  readonly restarts: number;
  /** Resolves once the current worker has answered (its code is loaded and it takes requests). */
  ready(): Promise<void>;
  /** Ends the worker for good (no restart, no events); resolves once it has exited. */
  dispose(): Promise<void>;
}

/** Ends a reason with a full stop so the next sentence can follow. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** An uncaught error's own words, without the "Error: " Node prints before a plain Error's message. */
function plainReason(reason: string): string {
  return reason.replace(/^Error: /, '');
}

/** Why a worker ended, in English for logs and the `reason` field (the window words `cause` itself). */
export function describeExit(exit: TrainingExit): { cause: WorkerLostCause; reason: string } {
  if (exit.outOfMemory) {
    return { cause: 'outOfMemory', reason: `The training worker ran out of memory${exit.reason ? ` (${exit.reason})` : ''}` };
  }
  if (exit.signal) return { cause: 'crashed', reason: `The training worker was killed (signal ${exit.signal})` };
  if (exit.reason) return { cause: 'crashed', reason: `The training worker crashed: ${plainReason(exit.reason)}` };
  if (exit.code === 0) return { cause: 'crashed', reason: 'The training worker exited unexpectedly' };
  return { cause: 'crashed', reason: `The training worker was terminated (exit code ${exit.code})` };
}

export function createTrainingSupervisor(options: TrainingSupervisorOptions): TrainingSupervisor {
  const maxRestarts = options.maxRestarts ?? 5;
  const restartWindowMs = options.restartWindowMs ?? 60_000;
  const crashTimes: number[] = [];
  let worker: TrainingProcess | null = null;
  let online: Promise<void> = Promise.resolve();
  let ended: Promise<void> = Promise.resolve();
  let disposed = false;
  let restarts = 0;
  let activeHeartbeat: Heartbeat | null = null;
  /** The run the window last started: a crash is reported against it. */
  let lastRunId: RunId = '';

  function emit(event: GradLabEvent): void {
    try {
      options.onEvent(event);
    } catch {
      // A failing listener (a window that is gone) must not take the supervisor down with it.
    }
  }

  function start(): void {
    const current = options.spawn();
    worker = current;
    let faulted = false;
    let heartbeat: Heartbeat | null = null;
    activeHeartbeat?.stop();
    let answered: () => void = () => undefined;
    let gone: () => void = () => undefined;
    online = new Promise((resolve) => (answered = resolve));
    ended = new Promise((resolve) => (gone = resolve));
    const fault = (cause: WorkerLostCause, reason: string) => {
      if (faulted || disposed || worker !== current) return;
      faulted = true;
      heartbeat?.stop();
      worker = null;
      current.kill();
      recover(cause, reason);
    };
    if (options.heartbeat !== false) {
      heartbeat = activeHeartbeat = startHeartbeat({
        ...options.heartbeat,
        // Unreferenced: the heartbeat alone must not keep a process (CLI, tests) alive.
        setTimer: (fn, ms) => {
          const timer = setTimeout(fn, ms);
          (timer as { unref?: () => void }).unref?.();
          return timer;
        },
        sendPing: (seq) => {
          if (worker === current) current.post({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq });
        },
        onHung: (silentMs) =>
          fault(
            'hung',
            `The training worker stopped responding (no answer for ${(silentMs / 1000).toFixed(1)} s: ` +
              'it is stuck in an endless loop or a deadlock), so it was stopped.',
          ),
      });
    } else {
      // Without a heartbeat, one ping still tells `ready()` when the worker's code has loaded.
      current.post({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq: 0 });
    }
    current.onMessage((event) => {
      answered();
      // Every message proves the worker alive; heartbeat answers stay here.
      if (heartbeat?.received(event) || event.type === 'pong' || disposed) return;
      emit(event);
    });
    current.onExit((exit) => {
      answered();
      gone();
      heartbeat?.stop();
      const { cause, reason } = describeExit(exit);
      fault(cause, reason);
    });
  }

  function recover(cause: WorkerLostCause, reason: string): void {
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
    // The fresh worker starts at once, so it is loaded by the time the learner presses Run again.
    start();
    emit({ type: 'workerRestarted', runId: lastRunId, cause, reason: `${sentence(reason)} A fresh training worker was started; start the run again.` });
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
      (worker as TrainingProcess).post(request);
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
      activeHeartbeat?.stop();
      const current = worker;
      worker = null;
      if (!current) return;
      current.kill();
      await ended;
    },
  };
}
