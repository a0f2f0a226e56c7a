// The `update` event built from a run: the losses since the last update, w and its gradient in
// full or summarised, the buffers to transfer, the pictures of image runs, live setting changes.
import { describe, expect, it } from 'vitest';
import type { SettingChange } from '../../../src-main/contract/messages';
import { createRun } from '../../../src-main/training/run';
import { drawRunPictures } from '../../../src-main/data/pictures';
import { addPictures, buildUpdate, noteSettingChange } from '../../../src-main/training/update';
import { bigConfig, lessonConfig, reference } from './helpers';

const limits = { frameMs: 1000 / 60, predictionIntervalMs: 100, maxStreamingShare: 0.015, fullParamLimit: 64, summaryIndexCount: 8 };

describe('buildUpdate', () => {
  it('carries the losses since the last posted epoch, full w and grads, and transfers exactly its own buffers', () => {
    const run = createRun('r', lessonConfig(100), limits, 0, null);
    run.trainer.runEpochs(5, run.history, null);
    run.postedEpoch = 2;
    const { event, transfer } = buildUpdate(run, 123, limits);
    expect(event).toMatchObject({ type: 'update', runId: 'r', state: 'running', epoch: 5, firstEpoch: 3, epochsPerSecond: 123, totalEpochs: 100, learningRate: 0.01 });
    expect(Array.from(event.losses)).toEqual(reference.lesson100.losses.slice(2, 5));
    if (event.w.kind !== 'full' || event.wGrad.kind !== 'full') throw new Error('expected full views');
    expect(transfer).toEqual([event.losses.buffer, event.w.values.buffer, event.wGrad.values.buffer]);
    expect(event.settingChanges).toBeUndefined();
    expect(event.pictures).toBeUndefined();
  });

  it('summarises a long w and transfers only the losses then', () => {
    const run = createRun('big', bigConfig(1000, 10), limits, 0, null);
    run.trainer.runEpochs(1, run.history, null);
    const { event, transfer } = buildUpdate(run, 0, limits);
    expect(event.w).toMatchObject({ kind: 'summary', length: 1000, indices: [0, 1, 2, 3, 4, 5, 6, 7] });
    expect(transfer).toEqual([event.losses.buffer]);
  });

  it('includes the pending setting changes', () => {
    const run = createRun('r', lessonConfig(100), limits, 0, null);
    run.trainer.learningRate = 0.02;
    noteSettingChange(run.settingChanges, run.trainer);
    expect(buildUpdate(run, 0, limits).event.settingChanges).toEqual([{ fromEpoch: 1, learningRate: 0.02, skipZeroGrad: false }]);
  });
});

describe('addPictures', () => {
  const image = { width: 2, height: 2, channels: 1 as const, scale: '0..255' as const };

  it('draws the prediction w*x+b of this update and the heatmap of its w, and transfers their buffers', () => {
    const run = createRun('img', bigConfig(4, 10, { image }), limits, 0, null);
    run.trainer.runEpochs(3, run.history, null);
    const { event, transfer } = buildUpdate(run, 0, limits);
    addPictures(event, run.trainer, image, transfer);
    const w = run.trainer.wValues.slice(0, 4);
    const x = run.config.x as Float32Array;
    const y = run.config.y as Float32Array;
    const prediction = run.trainer.predict();
    for (let i = 0; i < 4; i++) expect(prediction[i]).toBeCloseTo(w[i] * x[i] + run.trainer.bValue, 5);
    expect(event.pictures).toEqual(drawRunPictures(prediction, y, w, image, '0..255'));
    expect(transfer.slice(-2)).toEqual([event.pictures!.prediction.buffer, event.pictures!.heatmap.buffer]);
    // a running run's update leaves all of w out: the window needs it only once the run stops
    expect(event.wImage).toBeUndefined();
  });

  it('adds all of w when the run is not running', () => {
    const run = createRun('img', bigConfig(4, 10, { image }), limits, 0, null);
    run.trainer.runEpochs(3, run.history, null);
    run.status = 'paused';
    const { event, transfer } = buildUpdate(run, 0, limits);
    addPictures(event, run.trainer, image, transfer);
    expect(Array.from(event.wImage!)).toEqual(Array.from(run.trainer.wValues.slice(0, 4)));
    expect(transfer.at(-1)).toBe(event.wImage!.buffer);
  });

  it("draws the shared model's one w on every pixel and sends no wImage", () => {
    const run = createRun('img', bigConfig(4, 10, { image, model: 'shared', initialW: { kind: 'values', values: [0.5] } }), limits, 0, null);
    run.status = 'stopped';
    const { event, transfer } = buildUpdate(run, 0, limits);
    addPictures(event, run.trainer, image, transfer);
    expect(event.pictures).toMatchObject({ wMin: 0.5, wMax: 0.5 });
    expect(event.wImage).toBeUndefined();
  });
});

describe('noteSettingChange', () => {
  it('records the epoch a change applies from, keeping only the last of several before the same epoch', () => {
    const run = createRun('r', lessonConfig(100), limits, 0, null);
    const changes: SettingChange[] = [];
    run.trainer.learningRate = 0.02;
    noteSettingChange(changes, run.trainer);
    run.trainer.learningRate = 0.03; // the slider is still moving
    noteSettingChange(changes, run.trainer);
    run.trainer.runEpochs(4, run.history, null);
    run.trainer.skipZeroGrad = true;
    noteSettingChange(changes, run.trainer);
    expect(changes).toEqual([
      { fromEpoch: 1, learningRate: 0.03, skipZeroGrad: false },
      { fromEpoch: 5, learningRate: 0.03, skipZeroGrad: true },
    ]);
  });
});
