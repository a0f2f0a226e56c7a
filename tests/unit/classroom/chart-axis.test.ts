import { describe, expect, it } from 'vitest';
import { compareAxisMax, tickLabels } from '../../../src-renderer/classroom/chart-data';
import type { CompareRun } from '../../../src-renderer/classroom/compare';

function run(learningRate: number, status: CompareRun['status'], losses: number[]): CompareRun {
  return { key: String(learningRate), learningRate, color: '#fff', status, runId: null, losses, message: null };
}

describe('compareAxisMax', () => {
  it('lets the chart choose while no run diverged', () => {
    expect(compareAxisMax([run(0.01, 'finished', [10, 5]), run(0.1, 'finished', [20, 1])], false)).toBeUndefined();
  });

  it('ends the axis just above the runs that did not diverge, so they are not flattened', () => {
    const runs = [run(0.01, 'finished', [6642.5, 100]), run(0.1, 'finished', [300, 2]), run(1, 'diverged', [1e30, Infinity, Number.NaN])];
    // 5 % headroom (6974.6), rounded up to two significant digits.
    expect(compareAxisMax(runs, false)).toBe(7000);
    expect(compareAxisMax([run(0.1, 'finished', [0.0123]), run(1, 'diverged', [1e30])], false)).toBeCloseTo(0.013, 12);
    // On a log scale: the next power of ten.
    expect(compareAxisMax(runs, true)).toBe(10_000);
  });

  it('lets the chart choose when every run diverged', () => {
    expect(compareAxisMax([run(1, 'diverged', [1e30]), run(2, 'diverged', [Infinity])], false)).toBeUndefined();
  });
});

describe('tickLabels', () => {
  it('uses as many digits as keep neighbouring labels apart', () => {
    expect(tickLabels([1e30, 1.5e30, 2e30], false)).toEqual(['1e+30', '1.5e+30', '2e+30']);
    expect(tickLabels([0, 2000, 4000, 6000], false)).toEqual(['0', '2000', '4000', '6000']);
    expect(tickLabels([1.23e-5, 1.24e-5], false)).toEqual(['1.23e-5', '1.24e-5']);
  });

  it('labels only powers of ten on a log scale', () => {
    expect(tickLabels([1, 2, 5, 10, 20, 100, 1e6], true)).toEqual(['1', '', '', '10', '', '100', '1e+6']);
  });
});
