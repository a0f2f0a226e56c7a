// Number formatting like PyTorch's printout, min/max decimation, and the growing history buffer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fmt4, fmtDuration, fmtInput, fmtVector } from '../../../src-renderer/lib/format';
import { decimateMinMax, tableStride, type SeriesSource } from '../../../src-renderer/lib/decimate';

const f32 = Math.fround;

describe('fmt4', () => {
  it('prints float32 values with 4 decimals like PyTorch', () => {
    expect(fmt4(f32(183.07994))).toBe('183.0799');
    expect(fmt4(f32(51.826))).toBe('51.8260');
    expect(fmt4(f32(-9.4314))).toBe('-9.4314');
    expect(fmt4(-0)).toBe('0.0000');
    expect(fmt4(1.5e10)).toBe('1.5000e+10');
    expect(fmt4(0.00001234)).toBe('1.2340e-05');
    expect(fmt4(-1.67e-6)).toBe('-1.6700e-06');
    expect(fmt4(2e100)).toBe('2.0000e+100');
    expect(fmt4(Infinity)).toBe('inf');
    expect(fmt4(NaN)).toBe('nan');
  });
  it('writes whole inputs without decimals, as the lesson does by hand', () => {
    expect(fmtInput(1)).toBe('1');
    expect(fmtInput(0.5)).toBe('0.5000');
  });
  it('shortens long vectors around "..."', () => {
    expect(fmtVector(new Float32Array([f32(51.826), f32(-9.4314)]))).toBe('[51.8260, -9.4314]');
    expect(fmtVector(Array.from({ length: 10 }, (_, i) => i))).toBe('[0.0000, 1.0000, 2.0000, ..., 7.0000, 8.0000, 9.0000]');
  });
  it('formats durations', () => {
    expect(fmtDuration(5)).toBe('0:05');
    expect(fmtDuration(3725)).toBe('1:02:05');
  });
});

const arraySource = (values: number[]): SeriesSource => ({ length: values.length, x: (i) => i + 1, y: (i) => values[i] });

describe('decimateMinMax', () => {
  it('returns every finite point when there are few', () => {
    expect(decimateMinMax(arraySource([3, NaN, 1]), -Infinity, Infinity, 100)).toEqual([
      { x: 1, y: 3 },
      { x: 3, y: 1 },
    ]);
  });

  it('keeps a single spike among ten million points and stays within two points per pixel', () => {
    const n = 10_000_000;
    const values = new Float32Array(n).fill(1);
    values[7_654_321] = 1000;
    values[1_234_567] = -5;
    const source: SeriesSource = { length: n, x: (i) => i + 1, y: (i) => values[i] };
    const points = decimateMinMax(source, -Infinity, Infinity, 800);
    expect(points.length).toBeLessThanOrEqual(1602);
    expect(points).toContainEqual({ x: 7_654_322, y: 1000 });
    expect(points).toContainEqual({ x: 1_234_568, y: -5 });
    expect(points[0].x).toBe(1);
    expect(points[points.length - 1].x).toBe(n);
  });

  it('limits itself to the visible range (plus one point either side)', () => {
    const points = decimateMinMax(arraySource(Array.from({ length: 100 }, (_, i) => i)), 10, 20, 1000);
    expect(points[0].x).toBe(9);
    expect(points[points.length - 1].x).toBe(21);
  });

  it('leaves out non-positive values on a log axis', () => {
    const points = decimateMinMax(arraySource([1, 0, -1, 2]), -Infinity, Infinity, 10, (y) => Number.isFinite(y) && y > 0);
    expect(points.map((p) => p.y)).toEqual([1, 2]);
  });

  it('always keeps the global minimum and maximum, in x order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 400 }), (values, buckets) => {
        const points = decimateMinMax(arraySource(values), -Infinity, Infinity, buckets);
        const ys = points.map((p) => p.y);
        expect(Math.min(...ys)).toBe(Math.min(...values));
        expect(Math.max(...ys)).toBe(Math.max(...values));
        for (let i = 1; i < points.length; i++) expect(points[i].x).toBeGreaterThan(points[i - 1].x);
        expect(points.length).toBeLessThanOrEqual(Math.max(values.length, 2 * buckets + 2));
      }),
    );
  });

  it('picks a table stride that keeps at most the requested rows', () => {
    expect(tableStride(100, 2000)).toBe(1);
    expect(Math.ceil(10_000_000 / tableStride(10_000_000, 2000))).toBeLessThanOrEqual(2000);
  });
});
