// The app-side callbacks: images into the lab, image shape only while the data is still the image,
// sessions and exports built from the lab and the run.
import { describe, expect, it } from 'vitest';
import { parseSession, serializeSession } from '../../../src-main/data/session';
import { createSessionWiring, fitWeightsToData, imageShapeOf, loadImagesIntoLab, loadNumbersIntoLab, withImage, type ImageHolder, type MutableLab } from '../../../src-renderer/session/wiring';
import { runBlockers } from '../../../src-renderer/lib/blockers';
import { checkData, checkParams } from '../../../src-renderer/lib/validate';
import type { LoadedImages } from '../../../src-renderer/images/types';
import { EventFeed } from '../../../src-renderer/state/feed';
import { TrainingRun } from '../../../src-renderer/state/training-run';

/** A run store with no worker behind it (nothing trains in these tests). */
const newRun = () => new TrainingRun({ feed: new EventFeed({ onEvent: () => () => {} }), send: () => {}, newRunId: () => 'run-1' });

const newLab = (): MutableLab => ({
  xCells: ['1', '2'],
  yCells: ['115', '21'],
  wKind: 'values',
  wValuesText: '1, 2',
  seedText: '42',
  bText: '0',
  lrText: '0.01',
  epochsText: '100',
  epochsPerSecond: null,
  element: 1,
});

const frogs = (): LoadedImages => ({
  x: Float32Array.from({ length: 256 }, (_, i) => Math.fround(i / 255)),
  y: Float32Array.from({ length: 256 }, (_, i) => Math.fround(1 - i / 255)),
  image: { width: 16, height: 16, channels: 1 },
  label: 'Two similar frogs',
  options: { side: 16, fit: 'crop', color: 'grey', scale: '0..1' },
  sources: { x: { name: 'b.png', bundledId: 'sitting-olive' }, y: { name: 'a.png', bundledId: 'sitting-green' } },
  settings: { initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.1, epochs: 1000 },
});

describe('app wiring', () => {
  it('puts a bundled pair into the lab with its settings, and sends image only while the data is the image', () => {
    const lab = newLab();
    const holder: ImageHolder = { images: null };
    loadImagesIntoLab(lab, holder, frogs());
    expect(lab.xCells).toHaveLength(256);
    expect([lab.wKind, lab.bText, lab.lrText, lab.epochsText, lab.element]).toEqual(['ones', '0', '0.1', '1000', 0]);
    expect(lab.image).toEqual({ width: 16, height: 16, channels: 1, scale: '0..1' }); // the scale: the worker draws the pictures in it
    const config = { x: new Float32Array(256), y: new Float32Array(256), initialW: { kind: 'ones' as const }, initialB: 0, learningRate: 0.1, epochs: 5 };
    const sent = withImage(config, lab, holder)!;
    expect(sent.image).toEqual({ width: 16, height: 16, channels: 1, scale: '0..1' });
    expect(sent.image).not.toBe(holder.images!.image); // a plain copy, safe to post to a worker
    lab.xCells = lab.xCells.slice(0, 10); // edited to another length: no longer an image
    expect(imageShapeOf(lab, holder)).toBeNull();
    expect(withImage(config, lab, holder)).toBe(config);
  });

  it('numbers replace the images', () => {
    const lab = newLab();
    const holder: ImageHolder = { images: null };
    loadImagesIntoLab(lab, holder, frogs());
    loadNumbersIntoLab(lab, holder, { kind: 'values', name: 'x.npy', column: 'y', values: Float32Array.of(3, 4), shape: [2] });
    expect(holder.images).toBeNull();
    expect(lab.image).toBeNull();
    expect(lab.yCells).toEqual(['3', '4']);
  });

  it('saves and re-applies an image session, and exports the run config with its image', () => {
    const lab = newLab();
    const holder: ImageHolder = { images: null };
    loadImagesIntoLab(lab, holder, frogs());
    const run = newRun();
    const wiring = createSessionWiring({ lab, holder, run, config: () => null, language: () => 'en', lessonId: () => 'frogs' });
    const text = serializeSession(wiring.getSession());
    const other = newLab();
    const otherHolder: ImageHolder = { images: null };
    const languages: string[] = [];
    createSessionWiring({ lab: other, holder: otherHolder, run, config: () => null, language: () => 'en', lessonId: () => null, setLanguage: (l) => languages.push(l) }).applySession(
      parseSession(text),
      { source: 'file', name: 'frogs.gradlab' },
    );
    expect(other.xCells).toEqual(lab.xCells);
    expect(other.lrText).toBe('0.1');
    expect(otherHolder.images).toEqual(holder.images);
    expect(other.image).toEqual({ width: 16, height: 16, channels: 1, scale: '0..1' });
    expect(languages).toEqual(['en']);
    expect(wiring.getExport()).toMatchObject({ config: null, w: null, wLength: 0, b: null });
  });

  it('keeps the last valid data in the session while a cell is being fixed, and none for an empty lab', () => {
    const lab = newLab();
    const holder: ImageHolder = { images: null };
    const run = newRun();
    const wiring = createSessionWiring({ lab, holder, run, config: () => null, language: () => 'en', lessonId: () => null });
    expect(wiring.getSession().data).toMatchObject({ kind: 'numbers', y: Float32Array.of(115, 21) });
    lab.yCells = ['115', '2x'];
    expect(wiring.getSession().data).toMatchObject({ kind: 'numbers', y: Float32Array.of(115, 21) });
    lab.yCells = ['115', '25'];
    expect(wiring.getSession().data).toMatchObject({ kind: 'numbers', y: Float32Array.of(115, 25) });
    lab.xCells = [];
    lab.yCells = [];
    expect(wiring.getSession().data).toBeNull();
  });
});

describe('own data and Run', () => {
  it('own images (no settings) get w = ones like the bundled frogs, so Run has nothing to block it', () => {
    const lab = newLab();
    const holder: ImageHolder = { images: null };
    loadImagesIntoLab(lab, holder, { ...frogs(), settings: null });
    expect(runBlockers(checkData(lab.xCells, lab.yCells), checkParams(lab, lab.xCells.length))[0]).toMatchObject({ key: 'params.errorWLength', section: 'start' });
    expect(fitWeightsToData(lab, { kind: 'ones' })).toBe(true);
    expect(lab.wKind).toBe('ones');
    expect(runBlockers(checkData(lab.xCells, lab.yCells), checkParams(lab, lab.xCells.length))).toEqual([]);
    // A fitting list of values, and other kinds of w, stay as they are.
    const fitting = newLab();
    expect(fitWeightsToData(fitting, { kind: 'ones' })).toBe(false);
    expect(fitting.wValuesText).toBe('1, 2');
    // The shared model's one w fits any number of points.
    const shared: MutableLab = { ...newLab(), model: 'shared', xCells: ['1', '2', '3'], yCells: ['2', '4', '6'], wValuesText: '0.5' };
    expect(fitWeightsToData(shared, { kind: 'ones' })).toBe(false);
    expect(shared.wValuesText).toBe('0.5');
  });

  it('says first what to fix first, each with the field to go to', () => {
    const lab = { ...newLab(), xCells: ['1', 'x', '3'], lrText: '-1' };
    const blockers = runBlockers(checkData(lab.xCells, lab.yCells), checkParams(lab, lab.xCells.length));
    expect(blockers.map((b) => [b.key, b.section, b.field])).toEqual([
      ['data.errorLengthMismatch', 'data', '[data-cell]'],
      ['controls.cannotRun', 'data', '[data-cell="x-1"]'],
      ['params.errorWLength', 'start', '#w-kind'],
      ['params.errorLr', 'settings', '#lr-field'],
    ]);
  });
});
