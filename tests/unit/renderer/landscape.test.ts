// The landscape view's pure parts: starting values a click writes into the lab's fields, the
// coordinates it prints, the data it sends before a run, and the contour levels.
import { describe, expect, it } from 'vitest';
import { contourLevels, firstStep, fixed4, landscapeData, startPoint, withStartValue } from '../../../src-renderer/landscape/landscape';
import { labViewStrings } from '../../../src-renderer/landscape/strings';

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

describe('where a run starts and where its first update takes it (the map reaches both)', () => {
  const line = { model: 'shared' as const, x: [1, 2, 3], y: [2, 4, 6], initialW: { kind: 'values' as const, values: [0.5] }, initialB: 0, learningRate: 0.1, epochs: 10 };
  it('the shared model on y = 2x: w 0.5 -> 1.9, b 0 -> 0.6 (gradients -14 and -6)', () => {
    const [start, after] = firstStep(line, [{ kind: 'w', index: 0 }, { kind: 'b' }]);
    expect(start).toEqual({ p: 0.5, q: 0 });
    expect(after.p).toBeCloseTo(1.9, 6);
    expect(after.q).toBeCloseTo(0.6, 6);
    expect(startPoint(line, [{ kind: 'w', index: 0 }, { kind: 'b' }])).toEqual({ p: 0.5, q: 0 });
  });
  it('the per-value worked example: w[0] 1 -> 2.14, b 0 -> 1.31 (the lesson’s -114 and -131)', () => {
    const example = { x: [1, 2], y: [115, 21], initialW: { kind: 'values' as const, values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 };
    const [, after] = firstStep(example, [{ kind: 'w', index: 0 }, { kind: 'b' }]);
    expect(after.p).toBeCloseTo(2.14, 6);
    expect(after.q).toBeCloseTo(1.31, 6);
  });
  it('a starting w not known before the run (seeded random) gives nothing', () => {
    expect(firstStep({ ...line, initialW: { kind: 'random', seed: 1 } }, [{ kind: 'w', index: 0 }, { kind: 'b' }])).toEqual([]);
  });
});

describe("the lab views' epoch numbers", () => {
  it('are grouped as the run status writes them, in both languages', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const strings = labViewStrings[lang];
      for (const text of [strings.graphEpoch(71548), strings.graphAtValues(71548), strings.graphEpochRebuilt(71548), strings.graphEpochShort(71548), strings.landscapeEpoch(71548)]) {
        expect(text, text).toContain('71,548');
        expect(text, text).not.toContain('71548');
      }
    }
  });
});
