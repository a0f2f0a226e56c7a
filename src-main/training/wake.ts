// When the training host runs next: one pending wake-up at a time, and the earliest one wins.
// A wake-up due now runs on the next event-loop turn (so control messages get in between two
// slices of epochs); a later one on a timer.

export interface WakeSchedulerOptions {
  /** Clock in ms. */
  now: () => number;
  /** Runs `fn` on the next event-loop turn. */
  nextTurn: (fn: () => void) => void;
  /** What to run when the wake-up is due. */
  onWake: () => void;
}

export interface WakeScheduler {
  /** Runs `onWake` at `at` (clock ms) unless an earlier wake-up is already pending. */
  wakeAt(at: number): void;
  /** Drops the pending wake-up, if any. */
  cancel(): void;
  /** Cancels and refuses every later wake-up. */
  dispose(): void;
}

export function createWakeScheduler({ now, nextTurn, onWake }: WakeSchedulerOptions): WakeScheduler {
  let pendingAt = Infinity;
  // Each wake-up carries the token it was scheduled with; cancel() bumps it, so a turn or timer
  // that was already queued does nothing when it finally runs.
  let token = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function cancel(): void {
    token++;
    pendingAt = Infinity;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  return {
    wakeAt(at) {
      if (disposed || at >= pendingAt) return;
      cancel();
      pendingAt = at;
      const mine = token;
      const run = () => {
        if (mine !== token) return;
        pendingAt = Infinity;
        timer = undefined;
        onWake();
      };
      const delay = at - now();
      if (delay <= 0) nextTurn(run);
      else timer = setTimeout(run, Math.ceil(delay));
    },
    cancel,
    dispose() {
      disposed = true;
      cancel();
    },
  };
}
