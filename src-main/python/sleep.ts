// How time.sleep blocks by default (the host may pass its own sleep to the interpreter).
import type { Context } from './context';

const nowMs: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * The default sleep: blocks the thread with Atomics.wait in short steps, letting the host check in
 * (flush output) between them; where a thread cannot wait (a browser's main thread) it spins.
 */
export function blockingSleep(seconds: number, cx: Pick<Context, 'housekeeping'>): void {
  cx.housekeeping();
  const until = nowMs() + seconds * 1000;
  if (typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined') {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      const left = until - nowMs();
      if (left <= 0) break;
      try {
        Atomics.wait(cell, 0, 0, Math.min(left, 25));
      } catch {
        while (nowMs() < until) {
          /* main threads cannot Atomics.wait: spin */
        }
        break;
      }
      cx.housekeeping();
    }
  } else
    while (nowMs() < until) {
      /* spin */
    }
}
