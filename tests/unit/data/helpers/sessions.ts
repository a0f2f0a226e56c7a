import type { Session } from '../../../../src-main/data/session';

export function numbersSession(overrides: Partial<Session> = {}): Session {
  return {
    savedAt: '2026-01-01T00:00:00.000Z',
    appVersion: '0.1.0',
    language: 'zh-CN',
    lesson: { id: 'part3-linear-regression', step: 4 },
    data: { kind: 'numbers', x: Float32Array.of(1, 2), y: Float32Array.of(115, 21), shape: [2], sources: { x: null, y: 'targets.csv' } },
    settings: {
      model: 'perValue',
      learningRate: 0.01,
      epochs: 100,
      initialW: { kind: 'values', values: [1, 2] },
      initialB: 0,
      epochsPerSecond: null,
      targetLoss: null,
    },
    run: {
      epochs: 100,
      finalLoss: 183.07989501953125,
      b: 45.11032485961914,
      w: { length: 2, min: -9.431371688842773, max: 51.82602310180664, mean: 21.197325706481934, first: [51.82602310180664, -9.431371688842773] },
      wValues: Float32Array.of(51.82602310180664, -9.431371688842773),
      lossHistory: Float32Array.of(6642.5, 6334.3515625),
    },
    ...overrides,
  };
}

/** An image session with side x side greyscale pixels (deterministic pseudo-random values). */
export function imageSession(side: number, channels: 1 | 3 = 1): Session {
  const n = side * side * channels;
  const pixels = (seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 2654435761 + seed) % 1000) / 1000);
  return numbersSession({
    language: 'en',
    data: {
      kind: 'images',
      shape: { width: side, height: side, channels },
      options: { side, fit: 'crop', color: channels === 1 ? 'grey' : 'rgb', scale: '0..1' },
      x: { name: 'frog-sitting-olive-64.png', path: null, bundledId: 'sitting-olive', pixels: pixels(1) },
      y: { name: 'my frog.png', path: '/home/ana/my frog.png', bundledId: null, pixels: pixels(2) },
    },
    settings: { model: 'perValue', learningRate: 0.1, epochs: 1000, initialW: { kind: 'ones' }, initialB: 0, epochsPerSecond: 30, targetLoss: 0.001 },
    run: null,
  });
}
