// The lab's typed fields <-> a session, through the real .gradlab text.
import { describe, expect, it } from 'vitest';
import { makeRunSummary, parseSession, serializeSession } from '../../../src-main/data/session';
import { captureSession, cellsToValues, labFromSession, valuesToCells, type LabFields } from '../../../src-renderer/session/glue';

const lab = (overrides: Partial<LabFields> = {}): LabFields => ({
  model: 'perValue',
  xCells: ['1', '2'],
  yCells: ['115', '21'],
  wKind: 'values',
  wValuesText: '1, 2',
  seedText: '42',
  bText: '0',
  lrText: '0.01',
  epochsText: '100',
  epochsPerSecond: null,
  ...overrides,
});

describe('lab <-> session', () => {
  it('round-trips the lesson example through a .gradlab file', () => {
    const session = captureSession({ language: 'en', lessonId: 'worked-example', lab: lab(), images: null, run: null });
    const back = labFromSession(parseSession(serializeSession(session)));
    expect(back.lab).toEqual({ ...lab(), epochsPerSecond: null, skipZeroGrad: false });
    expect(back.images).toBeNull();
  });

  it('keeps the shared model (one w and b for all points)', () => {
    const shared = lab({ model: 'shared', xCells: ['1', '2', '3'], yCells: ['2', '4', '6'], wValuesText: '0.5' });
    const back = labFromSession(parseSession(serializeSession(captureSession({ language: 'en', lessonId: null, lab: shared, images: null, run: null }))));
    expect(back.lab).toMatchObject({ model: 'shared', wValuesText: '0.5', xCells: ['1', '2', '3'] });
  });

  it('keeps the speed (the number shown, not the default 10) and "Forget zero_grad"', () => {
    const session = captureSession({ language: 'en', lessonId: null, lab: lab({ epochsPerSecond: 25, limitedSpeed: 25, skipZeroGrad: true }), images: null, run: null });
    const back = labFromSession(parseSession(serializeSession(session)));
    expect(back.lab).toMatchObject({ epochsPerSecond: 25, limitedSpeed: 25, skipZeroGrad: true });
  });

  it('keeps float32 pixels exactly through text cells', () => {
    const pixels = Float32Array.from({ length: 300 }, (_, i) => Math.fround(i / 255));
    expect(cellsToValues(valuesToCells(pixels))).toEqual(pixels);
    // the same through a fresh copy of the cells, which has to be parsed
    expect(cellsToValues([...valuesToCells(pixels)])).toEqual(pixels);
  });

  it('reads the values of cells it wrote without parsing, and agrees with parsing them', () => {
    const values = [0.5, 1e-45, -3, 1e39, 7];
    const cells = valuesToCells(values);
    const parsed = cellsToValues([...cells]);
    expect(cellsToValues(cells)).toEqual(parsed);
    expect(Array.from(parsed!)).toEqual([0.5, Math.fround(1e-45), -3, Infinity, 7]);
    // nan and inf print as words, which are not numbers in a cell
    for (const bad of [[1, Number.NaN], [Number.POSITIVE_INFINITY]]) {
      expect(cellsToValues(valuesToCells(bad))).toBeNull();
      expect(cellsToValues([...valuesToCells(bad)])).toBeNull();
    }
  });

  it('saves images as images with their options and sources, and restores them', () => {
    const pixels = Float32Array.from({ length: 256 }, (_, i) => Math.fround((i % 17) / 16));
    const images = {
      image: { width: 16, height: 16, channels: 1 as const },
      options: { side: 16, fit: 'crop' as const, color: 'grey' as const, scale: '0..1' as const },
      sources: { x: { name: 'b.png', bundledId: 'sitting-olive' }, y: { name: 'a.png', bundledId: null } },
    };
    const session = captureSession({
      language: 'zh-CN',
      lessonId: null,
      lab: lab({ xCells: valuesToCells(pixels), yCells: valuesToCells(pixels.map((v) => 1 - v)), wKind: 'ones', wValuesText: '' }),
      images,
      run: { ...makeRunSummary({ epochs: 3, losses: Float32Array.of(0.5, 0.4, 0.3), finalLoss: 0.3, w: new Float32Array(0), b: 0.2, keepValues: false }), w: { length: 256, min: 0.9, max: 1.1, mean: 1, first: [1, 0.95] } },
    });
    expect(session.data?.kind).toBe('images');
    expect(session.run?.w).toEqual({ length: 256, min: 0.9, max: 1.1, mean: 1, first: [1, 0.95] });
    expect(session.run?.wValues).toBeNull();
    const back = labFromSession(parseSession(serializeSession(session)));
    expect(back.images).toEqual(images);
    expect(back.loaded?.x).toEqual(pixels);
    expect(back.lab.wKind).toBe('ones');
  });

  it('stores no data while a cell is not a number or the lengths differ (settings still saved)', () => {
    expect(captureSession({ language: 'en', lessonId: null, lab: lab({ yCells: ['115', 'abc'] }), images: null, run: null }).data).toBeNull();
    const uneven = captureSession({ language: 'en', lessonId: null, lab: lab({ yCells: ['115'], lrText: '0.5' }), images: null, run: null });
    expect(uneven.data).toBeNull();
    expect(uneven.settings.learningRate).toBe(0.5);
  });
});
