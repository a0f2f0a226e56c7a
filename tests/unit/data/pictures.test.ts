// An image run's pictures as the training worker draws them: the prediction's pixels and its
// distance from y in one pass, w as a heatmap (grey where unknown, one w for the shared model),
// and both together as update.pictures carries them.
import { describe, expect, it } from 'vitest';
import { vectorToRgba } from '../../../src-main/data/image';
import { drawRunPictures, pictureBuffers, predictionPicture, UNKNOWN_RGB, weightsHeatmap } from '../../../src-main/data/pictures';
import { LinearRegressionTrainer } from '../../../src-main/training/trainer';

const grey = (width: number, height: number) => ({ width, height, channels: 1 as const });
const rgbAt = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 4));

describe('predictionPicture', () => {
  it('draws a prediction outside 0..1 as valid grey pixels (nan black)', () => {
    const { rgba } = predictionPicture(Float32Array.of(-0.5, 0.5, 1.7, NaN), new Float32Array(4), grey(2, 2), '0..1');
    expect(rgbAt(rgba, 0)).toEqual([0, 0, 0, 255]);
    expect(rgbAt(rgba, 1)).toEqual([128, 128, 128, 255]);
    expect(rgbAt(rgba, 2)).toEqual([255, 255, 255, 255]);
    expect(rgbAt(rgba, 3)).toEqual([0, 0, 0, 255]);
  });

  it('keeps RGB channels apart and reads 0..255 values as they are', () => {
    const { rgba } = predictionPicture(Float32Array.of(10, 300, -4), new Float32Array(3), { width: 1, height: 1, channels: 3 }, '0..255');
    expect(rgbAt(rgba, 0)).toEqual([10, 255, 0, 255]);
  });

  it('draws exactly what vectorToRgba draws for the same values, grey and RGB', () => {
    const values = Float32Array.from({ length: 6 * 5 * 3 }, (_, i) => Math.sin(i * 1.7) * 0.8 + 0.5);
    values[7] = Number.NaN;
    const rgb = { width: 6, height: 5, channels: 3 as const };
    expect(predictionPicture(values, values, rgb).rgba).toEqual(vectorToRgba(values, rgb, '0..1'));
    const greyValues = values.subarray(0, 30);
    expect(predictionPicture(greyValues, greyValues, grey(6, 5), '0..255').rgba).toEqual(vectorToRgba(greyValues, grey(6, 5), '0..255'));
  });

  it('gives the mean and the largest absolute difference from y, nan as the largest', () => {
    const { meanAbs, maxAbs } = predictionPicture(Float32Array.of(0, 1, 0.5), Float32Array.of(0.5, 1, 0), { width: 3, height: 1, channels: 1 });
    expect(meanAbs).toBeCloseTo(1 / 3, 12);
    expect(maxAbs).toBe(0.5);
    expect(Number.isNaN(predictionPicture(Float32Array.of(0, NaN), Float32Array.of(3, 0), grey(2, 1)).maxAbs)).toBe(true);
  });

  it('refuses values that do not make the image', () => {
    expect(() => predictionPicture(new Float32Array(3), new Float32Array(4), grey(2, 2))).toThrow(/3 values do not make a 2 × 2 image/);
    expect(() => predictionPicture(new Float32Array(4), new Float32Array(5), grey(2, 2))).toThrow(/5 values do not make a 2 × 2 image/);
  });
});

describe('weightsHeatmap', () => {
  it('is white at w = 1, full red at the largest w, full blue at the smallest', () => {
    const map = weightsHeatmap(Float32Array.of(1, 3, -1, 2), grey(2, 2));
    expect(rgbAt(map.rgba, 0)).toEqual([255, 255, 255, 255]);
    expect(rgbAt(map.rgba, 1)).toEqual([255, 0, 0, 255]);
    expect(rgbAt(map.rgba, 2)).toEqual([0, 0, 255, 255]);
    // halfway to the largest distance (2): half faded red
    expect(rgbAt(map.rgba, 3)).toEqual([255, 128, 128, 255]);
    expect([map.min, map.max, map.unknown]).toEqual([-1, 3, 0]);
  });

  it('shows unknown weights grey and leaves them out of the range', () => {
    const map = weightsHeatmap(Float32Array.of(NaN, 0.5, 1, Infinity), grey(2, 2));
    expect(rgbAt(map.rgba, 0)).toEqual([...UNKNOWN_RGB, 255]);
    expect(rgbAt(map.rgba, 1)).toEqual([0, 0, 255, 255]);
    expect(rgbAt(map.rgba, 3)).toEqual([...UNKNOWN_RGB, 255]);
    expect([map.min, map.max, map.unknown]).toEqual([0.5, 1, 2]);
    expect(weightsHeatmap(Float32Array.of(NaN), grey(1, 1))).toMatchObject({ min: null, max: null, unknown: 1 });
  });

  it('averages the three channels of an RGB pixel', () => {
    const map = weightsHeatmap(Float32Array.of(1, 1, 4, 1, 1, 1), { width: 2, height: 1, channels: 3 });
    expect(rgbAt(map.rgba, 0)).toEqual([255, 0, 0, 255]);
    expect(rgbAt(map.rgba, 1)).toEqual([255, 255, 255, 255]);
    expect(map.max).toBe(2);
  });

  it('paints one w (the shared model) on every pixel', () => {
    const map = weightsHeatmap(Float32Array.of(0.25), { width: 2, height: 2, channels: 3 });
    for (let i = 0; i < 4; i++) expect(rgbAt(map.rgba, i)).toEqual([0, 0, 255, 255]);
    expect([map.min, map.max, map.unknown]).toEqual([0.25, 0.25, 0]);
  });

  it('is all white when every w equals the centre, and refuses a wrong length', () => {
    const map = weightsHeatmap(new Float32Array(4).fill(1), grey(2, 2));
    expect(Array.from(map.rgba)).toEqual(new Array(16).fill(255));
    expect(() => weightsHeatmap(new Float32Array(3), grey(2, 2))).toThrow(/3 weights do not match a 2 × 2/);
  });
});

describe('drawRunPictures', () => {
  it("draws a real trainer's prediction and w, with the numbers the panel writes", () => {
    const shape = { width: 4, height: 4, channels: 3 as const };
    const n = 48;
    const x = Float32Array.from({ length: n }, (_, i) => (i % 7) / 6);
    const y = Float32Array.from({ length: n }, (_, i) => ((i * 5) % 11) / 10);
    const trainer = new LinearRegressionTrainer({ x, y, initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.5, epochs: 20, image: shape });
    for (let i = 0; i < 20; i++) trainer.runEpoch();
    const prediction = trainer.predict();
    const w = trainer.wValues.slice(0, n);
    const pictures = drawRunPictures(prediction, y, w, shape, '0..1');
    expect(pictures).toMatchObject({ width: 4, height: 4 });
    expect(pictures.prediction).toEqual(vectorToRgba(prediction, shape, '0..1'));
    expect(pictures.heatmap).toEqual(weightsHeatmap(w, shape).rgba);
    const differences = Array.from(prediction, (p, i) => Math.abs(p - y[i]));
    expect(pictures.meanAbsError).toBeCloseTo(differences.reduce((a, b) => a + b) / n, 12);
    expect(pictures.maxAbsError).toBe(Math.max(...differences));
    const means = Array.from({ length: 16 }, (_, p) => (w[p * 3] + w[p * 3 + 1] + w[p * 3 + 2]) / 3);
    expect(pictures.wMin).toBeCloseTo(Math.min(...means), 12);
    expect(pictures.wMax).toBeCloseTo(Math.max(...means), 12);
    expect(pictures.wMax! - pictures.wMin!).toBeGreaterThan(0.01); // w really learned
    expect(pictureBuffers(pictures)).toEqual([pictures.prediction.buffer, pictures.heatmap.buffer]);
  });
});
