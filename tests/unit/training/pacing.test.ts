// A run's pacing as plain arithmetic on made-up clock readings: the speed limit, the chunk of
// epochs between clock reads, when updates and pictures are due, and the measured rate.
import { describe, expect, it } from 'vitest';
import { RunPacing } from '../../../src-main/training/pacing';

const limits = { frameMs: 1000 / 60, predictionIntervalMs: 100, maxStreamingShare: 0.015 };

describe('speed limit', () => {
  it('lets one epoch run at a time, as many as the time since the anchor allows, and says when the next may run', () => {
    const pacing = new RunPacing(limits, 0, 10); // 10 epochs per second from t=0
    expect(pacing.epochsAllowed(0, 0)).toBe(1); // the first epoch runs at once
    expect(pacing.epochsAllowed(50, 1)).toBe(0);
    expect(pacing.resumeAt(1)).toBe(100);
    expect(pacing.epochsAllowed(100, 1)).toBe(1);
    expect(pacing.epochsAllowed(150, 2)).toBe(0);
    expect(pacing.resumeAt(2)).toBe(200);
  });

  it('a new speed counts from the moment it is set (no catching up on lost time)', () => {
    const pacing = new RunPacing(limits, 0, 1);
    pacing.setSpeed(2, 10_000, 3); // 10 s later, 3 epochs done: a catch-up would allow many more
    expect(pacing.epochsAllowed(10_000, 3)).toBe(1);
    expect(pacing.epochsAllowed(10_100, 4)).toBe(0);
    expect(pacing.resumeAt(4)).toBe(10_500);
  });

  it('without a limit hands out the chunk (clock stride)', () => {
    const pacing = new RunPacing(limits, 0, null);
    expect(pacing.epochsAllowed(0, 0)).toBe(1);
    pacing.adaptStride(1, 0.01);
    expect(pacing.epochsAllowed(1, 1)).toBe(2);
  });
});

describe('clock stride', () => {
  it('doubles while a chunk is quicker than 0.05 ms, up to 256, and halves when one takes over 0.2 ms', () => {
    const pacing = new RunPacing(limits, 0, null);
    for (let i = 0; i < 20; i++) pacing.adaptStride(pacing.clockStride, 0.01);
    expect(pacing.clockStride).toBe(256);
    pacing.adaptStride(256, 0.5);
    expect(pacing.clockStride).toBe(128);
    pacing.adaptStride(128, 0.1); // within 0.05-0.2 ms: stays
    expect(pacing.clockStride).toBe(128);
  });

  it('learns nothing from a short chunk (the end of a run or a step) or under a speed limit', () => {
    const pacing = new RunPacing(limits, 0, null);
    pacing.adaptStride(1, 0.01);
    pacing.adaptStride(1, 0.01); // stride is 2 now: a chunk of 1 says nothing about it
    expect(pacing.clockStride).toBe(2);
    pacing.setSpeed(5, 0, 0);
    pacing.adaptStride(2, 0.01);
    expect(pacing.clockStride).toBe(2);
  });
});

describe('updates and pictures', () => {
  it('allows an update per frame while updates are cheap', () => {
    const pacing = new RunPacing(limits, 0, null);
    expect(pacing.nextUpdateAt).toBe(-Infinity); // the first one goes out at once
    pacing.noteUpdate(100, 0.05);
    expect(pacing.nextUpdateAt).toBeCloseTo(100 + 1000 / 60);
  });

  it('spaces updates out so that building them stays within the streaming share', () => {
    const pacing = new RunPacing(limits, 0, null);
    pacing.noteUpdate(0, 3); // 3 ms per update at 1.5 %: one every 200 ms
    expect(pacing.minPostInterval).toBeCloseTo(200);
  });

  it('lets one stalled update (the thread descheduled) count at most three times the estimate', () => {
    const pacing = new RunPacing(limits, 0, null);
    pacing.noteUpdate(0, 1);
    pacing.noteUpdate(20, 500);
    // 0.8 * 1 + 0.2 * min(500, 3) = 1.4 ms, not 100.8 ms
    expect(pacing.minPostInterval).toBeCloseTo(1.4 / 0.015);
  });

  it('makes a picture due every 100 ms, later when pictures are costly, and at once after forgetPicture', () => {
    const pacing = new RunPacing(limits, 0, null);
    expect(pacing.pictureDue(0)).toBe(true);
    pacing.notePicture(0, 0.5);
    expect(pacing.pictureDue(99)).toBe(false);
    expect(pacing.pictureDue(100)).toBe(true);
    pacing.notePicture(100, 30); // 0.7 * 0.5 + 0.3 * 30 = 9.35 ms -> every 623 ms
    expect(pacing.pictureDue(700)).toBe(false);
    expect(pacing.pictureDue(100 + 9.35 / 0.015)).toBe(true);
    pacing.forgetPicture();
    expect(pacing.pictureDue(101)).toBe(true);
  });
});

describe('measured rate', () => {
  it('reads the first rate at once, then refreshes it every 250 ms; 0 when not running', () => {
    const pacing = new RunPacing(limits, 0, null);
    expect(pacing.measureRate(10, 100, true)).toBe(10_000);
    expect(pacing.measureRate(200, 5000, true)).toBe(10_000); // within 250 ms of the last reading
    expect(pacing.measureRate(260, 5100, true)).toBe(20_000); // 5000 epochs in 250 ms
    expect(pacing.measureRate(300, 5200, false)).toBe(0);
  });

  it('starts over when the run starts running again', () => {
    const pacing = new RunPacing(limits, 0, null);
    pacing.measureRate(100, 1000, true);
    pacing.restartRate(5000, 1000);
    expect(pacing.measuredRate).toBe(0);
    expect(pacing.measureRate(5010, 1010, true)).toBe(1000);
  });
});
