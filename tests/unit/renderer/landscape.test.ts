// The landscape view's pure parts: starting values a click writes into the lab's fields, the
// coordinates it prints, the data it sends before a run, and the contour levels.
import { describe, expect, it } from 'vitest';
import { contourLevels, fixed4, landscapeData, withStartValue } from '../../../src-renderer/landscape/landscape';

describe('landscape view helpers', () => {
  it('a click sets b, the shared w, or one element of the per-value w (and refuses a seeded random w)', () => {
    const shared = { model: 'shared' as const, wKind: 'values' as const, wValuesText: '0.5', bText: '0.25' };
    expect(withStartValue(shared, { kind: 'w', index: 0 }, 1.99996, 3)).toEqual({ wKind: 'values', wValuesText: '2' });
    expect(withStartValue(shared, { kind: 'b' }, -0.00001, 3)).toEqual({ bText: '0' });
    const perValue = { model: 'perValue' as const, wKind: 'values' as const, wValuesText: '1, 2', bText: '0' };
    expect(withStartValue(perValue, { kind: 'w', index: 1 }, 3.25, 2)).toEqual({ wKind: 'values', wValuesText: '1, 3.25' });
    expect(withStartValue({ ...perValue, wKind: 'ones' }, { kind: 'w', index: 0 }, 4, 3)).toEqual({ wKind: 'values', wValuesText: '4, 1, 1' });
    expect(withStartValue({ ...perValue, wKind: 'random' }, { kind: 'w', index: 0 }, 4, 3)).toBeNull();
  });

  it('prints coordinates with four decimals and never -0.0000', () => {
    expect(fixed4(1.99999)).toBe('2.0000');
    expect(fixed4(-0.00001)).toBe('0.0000');
    expect(fixed4(-0.5)).toBe('-0.5000');
  });

  it('sends the data and the starting w before a run, or nothing when w is seeded random', () => {
    const base = { x: [1, 2, 3], y: [2, 4, 6], initialB: 0.25, learningRate: 0.1, epochs: 10 };
    expect(landscapeData({ ...base, model: 'shared', initialW: { kind: 'values', values: [0.5] } })).toMatchObject({ model: 'shared', w: Float32Array.from([0.5]), b: 0.25 });
    expect(landscapeData({ ...base, initialW: { kind: 'ones' } })?.w).toEqual(Float32Array.from([1, 1, 1]));
    expect(landscapeData({ ...base, initialW: { kind: 'random', seed: 1 } })).toBeNull();
  });

  it('spreads contour levels between the lowest and highest loss, denser near the floor', () => {
    const levels = contourLevels(Float32Array.from([0, 1, 10, 100]), 4);
    expect(levels).toHaveLength(4);
    expect(levels[0]).toBeGreaterThan(0);
    expect(levels[3]).toBeLessThan(100);
    expect(levels[1] - levels[0]).toBeLessThan(levels[3] - levels[2]);
    expect(contourLevels(Float32Array.from([3, 3]))).toEqual([]);
  });
});
