// Hung-worker detection, shared by the training supervisor (training/supervisor.ts) and the browser bridge:
// a worker stuck in an endless loop or a deadlock neither crashes nor exits, so nothing else
// notices it. Every `intervalMs` the owner sends `{ type: 'ping', runId: HEARTBEAT_RUN_ID, seq }`;
// the training host answers `pong` between two slices of epochs (a slice is <= 8 ms, one epoch
// at 786,432 values a few ms), so a healthy worker answers within milliseconds even while it
// trains flat out. No answer for `timeoutMs` -> `onHung(silentMs)`: the owner terminates the
// worker, starts a fresh one and tells the window (`workerRestarted`).
//
// A fresh worker first loads its code (through tsx in development, a few seconds on a busy
// machine), so until its first answer the longer `startupTimeoutMs` applies. Pure TypeScript,
// no Node or DOM imports: timers and the clock are passed in for tests.

/** runId of heartbeat pings and pongs (not a training run). */
export const HEARTBEAT_RUN_ID = 'heartbeat';

export interface HeartbeatOptions {
  /** Posts a ping to the worker. */
  sendPing(seq: number): void;
  /** The worker did not answer in time; `silentMs` is how long it has been silent. Called once. */
  onHung(silentMs: number): void;
  /** Between pings (default 1000 ms). */
  intervalMs?: number;
  /** A worker that answered before is hung after this long without an answer (default 10,000 ms:
   * far above any legitimate pause: an epoch at 786,432 values, a GC, a busy 2-core machine). */
  timeoutMs?: number;
  /** Before the first answer (the worker is still loading its code; default 60,000 ms). */
  startupTimeoutMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface Heartbeat {
  /** Call with every message from the worker: any `pong` (or other message) proves it is alive. Returns true for a pong (the owner should not forward it). */
  received(message: unknown): boolean;
  /** Stops pinging (the worker was terminated or replaced). */
  stop(): void;
  /** Milliseconds since the worker last answered (or since start). */
  readonly silentMs: number;
  /** Whether the worker has answered at least once. */
  readonly answered: boolean;
}

export const HEARTBEAT_DEFAULTS = { intervalMs: 1000, timeoutMs: 10_000, startupTimeoutMs: 60_000 } as const;

/** Whether a worker message is a heartbeat answer. */
export function isPong(message: unknown): message is { type: 'pong'; runId: string; seq: number } {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'pong';
}

/** Starts pinging at once; one Heartbeat per worker (make a new one for a replacement worker). */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const intervalMs = options.intervalMs ?? HEARTBEAT_DEFAULTS.intervalMs;
  const timeoutMs = options.timeoutMs ?? HEARTBEAT_DEFAULTS.timeoutMs;
  const startupTimeoutMs = Math.max(timeoutMs, options.startupTimeoutMs ?? HEARTBEAT_DEFAULTS.startupTimeoutMs);
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));

  let lastAnswerAt = now();
  let answered = false;
  let stopped = false;
  let seq = 0;
  let timer: unknown = null;

  function tick(): void {
    timer = null;
    if (stopped) return;
    const silent = now() - lastAnswerAt;
    if (silent >= (answered ? timeoutMs : startupTimeoutMs)) {
      stopped = true;
      options.onHung(silent);
      return;
    }
    options.sendPing(seq++);
    timer = setTimer(tick, intervalMs);
  }

  timer = setTimer(tick, 0);

  return {
    received(message) {
      if (!stopped) {
        lastAnswerAt = now();
        answered = true;
      }
      return isPong(message);
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    get silentMs() {
      return now() - lastAnswerAt;
    },
    get answered() {
      return answered;
    },
  };
}
