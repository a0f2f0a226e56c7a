// The frog panel's pixel logic: clipping the prediction, the heatmap colours, and reading w back
// from a prediction the real trainer made.
import { describe, expect, it } from 'vitest';
import {
  clipPixel,
  fullWeights,
  heatmapRgba,
  predictionError,
  UNKNOWN_RGB,
  vectorImageRgba,
  weightsFromPrediction,
} from '../../../src-renderer/images/pixels';
import { LinearRegressionTrainer } from '../../../src-main/training/trainer';

const grey = (width: number, height: number) => ({ width, height, channels: 1 as const });
const rgbAt = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 4));

describe('prediction clipping', () => {
  it('clips to the scale and shows nan as black', () => {
    expect(clipPixel(-0.3, '0..1')).toBe(0);
    expect(clipPixel(1.7, '0..1')).toBe(1);
    expect(clipPixel(0.25, '0..1')).toBe(0.25);
    expect(clipPixel(300, '0..255')).toBe(255);
    expect(clipPixel(NaN, '0..255')).toBe(0);
  });

  it('turns a prediction outside 0..1 into valid grey pixels', () => {
    const rgba = vectorImageRgba(Float32Array.of(-0.5, 0.5, 1.7, NaN), grey(2, 2), '0..1');
    expect(rgbAt(rgba, 0)).toEqual([0, 0, 0, 255]);
    expect(rgbAt(rgba, 1)).toEqual([128, 128, 128, 255]);
    expect(rgbAt(rgba, 2)).toEqual([255, 255, 255, 255]);
    expect(rgbAt(rgba, 3)).toEqual([0, 0, 0, 255]);
  });

  it('keeps RGB channels apart and reads 0..255 values as they are', () => {
    const rgba = vectorImageRgba(Float32Array.of(10, 300, -4), { width: 1, height: 1, channels: 3 }, '0..255');
    expect(rgbAt(rgba, 0)).toEqual([10, 255, 0, 255]);
  });
});

describe('w heatmap', () => {
  it('is white at w = 1, full red at the largest w, full blue at the smallest', () => {
    const map = heatmapRgba(Float32Array.of(1, 3, -1, 2), grey(2, 2));
    expect(rgbAt(map.rgba, 0)).toEqual([255, 255, 255, 255]);
    expect(rgbAt(map.rgba, 1)).toEqual([255, 0, 0, 255]);
    expect(rgbAt(map.rgba, 2)).toEqual([0, 0, 255, 255]);
    // halfway to the largest distance (2): half faded red
    expect(rgbAt(map.rgba, 3)).toEqual([255, 128, 128, 255]);
    expect([map.min, map.max, map.unknown]).toEqual([-1, 3, 0]);
  });

  it('shows unknown weights grey and leaves them out of the range', () => {
    const map = heatmapRgba(Float32Array.of(NaN, 0.5, 1, 1), grey(2, 2));
    expect(rgbAt(map.rgba, 0)).toEqual([...UNKNOWN_RGB, 255]);
    expect(rgbAt(map.rgba, 1)).toEqual([0, 0, 255, 255]);
    expect([map.min, map.max, map.unknown]).toEqual([0.5, 1, 1]);
  });

  it('averages the three channels of an RGB pixel', () => {
    const map = heatmapRgba(Float32Array.of(1, 1, 4, 1, 1, 1), { width: 2, height: 1, channels: 3 });
    expect(rgbAt(map.rgba, 0)).toEqual([255, 0, 0, 255]);
    expect(rgbAt(map.rgba, 1)).toEqual([255, 255, 255, 255]);
    expect(map.max).toBe(2);
  });

  it('is all white when every w equals the centre, and refuses a wrong length', () => {
    const map = heatmapRgba(new Float32Array(4).fill(1), grey(2, 2));
    expect(Array.from(map.rgba)).toEqual(new Array(16).fill(255));
    expect(() => heatmapRgba(new Float32Array(3), grey(2, 2))).toThrow(/3 weights do not match a 2 × 2/);
  });
});

describe('w read back from the prediction', () => {
  it('recovers w from a real trainer prediction and the b sent with it', () => {
    const n = 64;
    const x = Float32Array.from({ length: n }, (_, i) => (i % 9) / 8); // includes exact zeros
    const y = Float32Array.from({ length: n }, (_, i) => ((i * 7) % 13) / 12);
    const trainer = new LinearRegressionTrainer({ x, y, initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.5, epochs: 50 });
    for (let i = 0; i < 30; i++) trainer.runEpoch();
    // What the worker sends with an update: predict() of the current w and b, and that b.
    const prediction = trainer.predict();
    const w = weightsFromPrediction(prediction, x, trainer.bValue, { kind: 'ones' }, 0.02);
    const actual = trainer.wValues;
    let moved = 0;
    for (let i = 0; i < n; i++) {
      if (x[i] === 0) expect(w[i], `w[${i}] where x = 0`).toBe(1);
      else expect(Math.abs(w[i] - actual[i]), `w[${i}]`).toBeLessThan(1e-4);
      if (Math.abs(actual[i] - 1) > 1e-3) moved++;
    }
    expect(moved).toBeGreaterThan(n / 2); // w really learned, so the check is not trivially w = 1
  });

  it('marks weights unknown where x is too small, and where x = 0 with a random start', () => {
    const w = weightsFromPrediction(Float32Array.of(0.5, 0.5, 2), Float32Array.of(0.001, 0, 1), 0, { kind: 'random', seed: 1 }, 0.02);
    expect(Number.isNaN(w[0])).toBe(true);
    expect(Number.isNaN(w[1])).toBe(true);
    expect(w[2]).toBe(2);
  });

  it('takes a full w as is and ignores a summary', () => {
    const values = Float32Array.of(1, 2);
    expect(fullWeights({ kind: 'full', values })).toBe(values);
    expect(fullWeights({ kind: 'summary', length: 4096, min: 0, max: 1, mean: 0.5, indices: [0], values: [1] })).toBeNull();
    expect(fullWeights(null)).toBeNull();
  });
});

describe('prediction error for the text alternative', () => {
  it('gives the mean and the largest absolute difference', () => {
    expect(predictionError(Float32Array.of(0, 1, 0.5), Float32Array.of(0.5, 1, 0))).toEqual({ meanAbs: 1 / 3, maxAbs: 0.5 });
    expect(() => predictionError(new Float32Array(2), new Float32Array(3))).toThrow(/2 values but y has 3/);
  });
});
