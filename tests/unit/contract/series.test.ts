import { describe, expect, it } from 'vitest';
import { Float32Series, Float64Series } from '../../../src-main/contract/series';

describe('Float32Series', () => {
  it('doubles its float32 buffer and keeps every loss in order', () => {
    const history = new Float32Series(4);
    for (let i = 0; i < 1000; i++) history.push(i + 0.5);
    expect(history.length).toBe(1000);
    expect(history.capacityBytes).toBe(1024 * 4);
    expect(history.at(999)).toBe(999.5);
    expect(history.last()).toBe(999.5);
    expect(Array.from(history.copy(997))).toEqual([997.5, 998.5, 999.5]);
    history.append(new Float32Array([1, 2]));
    history.append([3]);
    expect(Array.from(history.view(1000))).toEqual([1, 2, 3]);
    history.truncate(2);
    expect(Array.from(history.copy())).toEqual([0.5, 1.5]);
    expect(() => history.at(2)).toThrow(RangeError);
  });

  it('writes at an index: gaps become NaN, later values are kept, float32 rounding applies', () => {
    const series = new Float32Series(2);
    series.writeAt(3, [1.1, 2]);
    expect(series.length).toBe(5);
    expect(Array.from(series.view())).toEqual([NaN, NaN, NaN, Math.fround(1.1), 2]);
    series.writeAt(0, [7]);
    expect(Array.from(series.view())).toEqual([7, NaN, NaN, Math.fround(1.1), 2]);
    expect(new Float32Series().last()).toBeUndefined();
  });

  it('retains the values a test keeps, in order', () => {
    const series = new Float32Series();
    series.append([0, 1, 2, 3, 4, 5]);
    series.retain((i) => i % 2 === 0 || i === 5);
    expect(Array.from(series.view())).toEqual([0, 2, 4, 5]);
  });

  it('holds 10 million epochs in about 40-64 MB', () => {
    const history = new Float32Series();
    const chunk = new Float32Array(1_000_000).fill(1.25);
    for (let i = 0; i < 10; i++) history.append(chunk);
    expect(history.length).toBe(10_000_000);
    expect(history.capacityBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(history.at(9_999_999)).toBe(1.25);
  });
});

describe('Float64Series', () => {
  it('keeps epoch numbers past float32 exact integers and learning rates as typed', () => {
    const series = new Float64Series(1);
    series.push(16_777_217);
    series.push(0.01);
    expect(Array.from(series.view())).toEqual([16_777_217, 0.01]);
  });
});
