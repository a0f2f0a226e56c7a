// When the training host runs next: one pending wake-up, the earliest wins, cancel and dispose
// drop what is queued. Turns and timers are driven by hand (fake timers), no real waiting.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWakeScheduler } from '../../../src-main/training/wake';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  let now = 0;
  const turns: Array<() => void> = [];
  const wakes: number[] = [];
  const scheduler = createWakeScheduler({ now: () => now, nextTurn: (fn) => turns.push(fn), onWake: () => wakes.push(now) });
  const runTurns = () => turns.splice(0).forEach((fn) => fn());
  /** Moves the clock and the fake timers together, one millisecond at a time. */
  const advance = (ms: number) => {
    for (let i = 0; i < ms; i++) {
      now++;
      vi.advanceTimersByTime(1);
    }
  };
  return { scheduler, wakes, turns, runTurns, advance };
}

describe('wake scheduler', () => {
  it('runs a wake-up that is due now on the next turn, never synchronously', () => {
    const { scheduler, wakes, runTurns } = setup();
    scheduler.wakeAt(0);
    expect(wakes).toEqual([]);
    runTurns();
    expect(wakes).toEqual([0]);
  });

  it('runs a later wake-up on a timer, at its time', () => {
    const { scheduler, wakes, turns, advance } = setup();
    scheduler.wakeAt(20);
    expect(turns).toEqual([]);
    advance(19);
    expect(wakes).toEqual([]);
    advance(1);
    expect(wakes).toEqual([20]);
  });

  it('keeps one pending wake-up: an earlier one replaces it, a later one is ignored', () => {
    const { scheduler, wakes, advance } = setup();
    scheduler.wakeAt(50);
    scheduler.wakeAt(10);
    scheduler.wakeAt(30);
    advance(100);
    expect(wakes).toEqual([10]);
  });

  it('cancel drops a queued turn; a new wake-up after it still runs', () => {
    const { scheduler, wakes, runTurns } = setup();
    scheduler.wakeAt(0);
    scheduler.cancel();
    runTurns();
    expect(wakes).toEqual([]);
    scheduler.wakeAt(0);
    runTurns();
    expect(wakes).toEqual([0]);
  });

  it('after dispose nothing runs, queued or new', () => {
    const { scheduler, wakes, runTurns, advance } = setup();
    scheduler.wakeAt(5);
    scheduler.dispose();
    scheduler.wakeAt(0);
    runTurns();
    advance(10);
    expect(wakes).toEqual([]);
  });
});
