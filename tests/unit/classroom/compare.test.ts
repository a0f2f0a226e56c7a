import { describe, expect, it } from 'vitest';
import { CompareBook, COMPARE_COLORS, MAX_COMPARE_RUNS, chartValue } from '../../../src-renderer/classroom/compare';
import { compareSeries, epochPoints } from '../../../src-renderer/classroom/chart-data';

describe('CompareBook', () => {
  it('holds up to four distinct learning rates, each with its own colour', () => {
    const book = new CompareBook();
    for (const lr of [0.001, 0.01, 0.1, 0.2]) expect(book.add(lr).ok).toBe(true);
    expect(book.add(0.3)).toEqual({ ok: false, reason: 'full' });
    expect(book.runs).toHaveLength(MAX_COMPARE_RUNS);
    expect(new Set(book.runs.map((r) => r.color)).size).toBe(4);
    expect(book.add(0.01)).toEqual({ ok: false, reason: 'duplicate' });
    expect(book.add(0)).toEqual({ ok: false, reason: 'invalid' });
    expect(book.add(Number.NaN)).toEqual({ ok: false, reason: 'invalid' });
    // A removed run frees its slot and its colour.
    const removed = book.remove(book.runs[1].key)!;
    expect(book.add(0.5).ok && book.runs[3].color).toBe(removed.color);
  });

  it('runs one at a time: the next starts only when the running one finishes or diverges', () => {
    const book = new CompareBook();
    book.add(0.001);
    book.add(0.01);
    book.add(1);
    const first = book.nextToStart()!;
    expect(first.learningRate).toBe(0.001);
    book.markStarted(first.key, 'r1');
    expect(book.nextToStart()).toBeNull();

    expect(book.apply({ type: 'update', runId: 'r1', firstEpoch: 1, losses: [5, 4] })).toEqual({ changed: true, startNext: false });
    expect(book.apply({ type: 'update', runId: 'r1', firstEpoch: 3, losses: [3] })).toEqual({ changed: true, startNext: false });
    expect(book.runs[0].losses).toEqual([5, 4, 3]);
    expect(book.apply({ type: 'update', runId: 'someone-else', firstEpoch: 1, losses: [1] }).changed).toBe(false);
    expect(book.apply({ type: 'finished', runId: 'r1', reason: 'epochs' })).toEqual({ changed: true, startNext: true });
    expect(book.runs[0].status).toBe('finished');

    const second = book.nextToStart()!;
    book.markStarted(second.key, 'r2');
    book.apply({ type: 'finished', runId: 'r2', reason: 'epochs' });
    const third = book.nextToStart()!;
    book.markStarted(third.key, 'r3');
    expect(book.apply({ type: 'diverged', runId: 'r3', epoch: 31 })).toEqual({ changed: true, startNext: true });
    expect(book.runs[2].status).toBe('diverged');
    expect(book.nextToStart()).toBeNull();
    expect(book.done).toBe(true);

    book.requeueAll();
    expect(book.runs.every((r) => r.status === 'queued' && r.losses.length === 0)).toBe(true);
    expect(book.done).toBe(false);
  });

  it('an error during a run marks it failed and moves on; a late finished event for it is ignored', () => {
    const book = new CompareBook();
    book.add(0.01);
    book.markStarted(book.runs[0].key, 'r1');
    expect(book.apply({ type: 'error', runId: 'r1', message: 'boom' })).toEqual({ changed: true, startNext: true });
    expect(book.runs[0]).toMatchObject({ status: 'failed', message: 'boom' });
    expect(book.apply({ type: 'finished', runId: 'r1', reason: 'stopped' })).toEqual({ changed: false, startNext: false });
  });
});

describe('chart data', () => {
  it('log scales and nan/inf become gaps', () => {
    expect(chartValue(Number.POSITIVE_INFINITY, false)).toBeNull();
    expect(chartValue(Number.NaN, false)).toBeNull();
    expect(chartValue(0, true)).toBeNull();
    expect(chartValue(0, false)).toBe(0);
    expect(chartValue(2.5, true)).toBe(2.5);
  });

  it('keeps every point of a short run and the extremes of a long one', () => {
    expect(epochPoints([3, 2, 1], 10, false)).toEqual([
      { x: 1, y: 3 },
      { x: 2, y: 2 },
      { x: 3, y: 1 },
    ]);
    const values = Array.from({ length: 10_000 }, (_, i) => 1000 - i / 10);
    values[5000] = 1e9; // a spike must survive the sampling
    const points = epochPoints(values, 200, false);
    expect(points.length).toBeLessThanOrEqual(300);
    expect(points.some((p) => p.x === 5001 && p.y === 1e9)).toBe(true);
    expect(points[0].x).toBe(1);
  });

  it('one series per compare run, labelled and coloured', () => {
    const book = new CompareBook();
    book.add(0.1);
    book.add(0.01);
    book.runs[0].losses = [4, 2];
    const series = compareSeries(book.runs, (run) => `lr = ${run.learningRate}`, false);
    expect(series.map((s) => s.label)).toEqual(['lr = 0.1', 'lr = 0.01']);
    expect(series[0].color).toBe(COMPARE_COLORS[0]);
    expect(series[0].points).toHaveLength(2);
  });
});
