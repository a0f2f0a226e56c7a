// Moving through a replay of the presenter's run (the run itself is recorded by
// state/run-recording.ts: replaying position p shows epoch p's loss and the newest parameters
// recorded at or before epoch p).
import { clampPosition } from '../state/run-recording';

/** Moving through a replay: one epoch per arrow press, a tenth of the run with Shift. */
export function scrub(position: number, direction: 1 | -1, count: number, big = false): number {
  const stride = big ? Math.max(1, Math.round(count / 10)) : 1;
  return clampPosition(position + direction * stride, count);
}
