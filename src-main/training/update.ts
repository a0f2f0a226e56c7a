// What the window is told: a run's state as an `update` event, parameter vectors in full or as
// a summary, the pictures of image runs, and the live setting changes an export replays.
import type { EventMap, ParamView, SettingChange, TrainImage } from '../contract/messages';
import { drawRunPictures, pictureBuffers } from '../data/pictures';
import type { Run } from './run';
import { summarize } from './summary';
import type { LinearRegressionTrainer } from './trainer';

export type Update = EventMap['update'];

export interface ParamLimits {
  /** w and wGrad are sent in full up to this many values, otherwise as a summary. */
  fullParamLimit: number;
  /** How many leading indices a summary lists with their values. */
  summaryIndexCount: number;
}

/**
 * Full values when short, otherwise min/max/mean plus the first few entries. The summary is one
 * pass (summary.ts: a SIMD kernel over the engine's arena, ~15x faster than a JS loop at
 * 786,432 values); min and max ignore the sign of zero.
 */
export function paramView(values: Float32Array | null, size: number, fullLimit: number, indexCount: number): ParamView {
  if (size <= fullLimit) return { kind: 'full', values: values ? values.slice(0, size) : new Float32Array(size) };
  const count = Math.min(indexCount, size);
  const indices = Array.from({ length: count }, (_, i) => i);
  if (!values) return { kind: 'summary', length: size, min: 0, max: 0, mean: 0, indices, values: indices.map(() => 0) };
  const { min, max, sum } = summarize(values, size);
  return { kind: 'summary', length: size, min, max, mean: sum / size, indices, values: indices.map((i) => values[i]) };
}

/**
 * The run's state now: the losses since the last posted update, w and its gradient, b, the
 * settings, and the setting changes not yet posted. `transfer` lists the buffers the event owns
 * (fresh copies), so the worker can hand them over instead of copying them again.
 */
export function buildUpdate(run: Run, epochsPerSecond: number, limits: ParamLimits): { event: Update; transfer: ArrayBuffer[] } {
  const { trainer } = run;
  const epoch = trainer.epoch;
  const losses = run.history.copy(run.postedEpoch, epoch);
  const w = paramView(trainer.wValues, trainer.wSize, limits.fullParamLimit, limits.summaryIndexCount);
  const wGrad = paramView(trainer.wGradValues, trainer.wSize, limits.fullParamLimit, limits.summaryIndexCount);
  const event: Update = {
    type: 'update',
    runId: run.id,
    state: run.status,
    epoch,
    losses,
    firstEpoch: run.postedEpoch + 1,
    w,
    wGrad,
    b: trainer.bValue,
    bGrad: trainer.bGradValue,
    learningRate: trainer.learningRate,
    epochsPerSecond,
    speedLimit: run.pacing.epochsPerSecond,
    targetLoss: run.targetLoss,
    totalEpochs: run.totalEpochs,
    skipZeroGrad: trainer.skipZeroGrad,
  };
  if (run.settingChanges.length > 0) event.settingChanges = run.settingChanges;
  const transfer: ArrayBuffer[] = [losses.buffer as ArrayBuffer];
  if (run.trace && run.trace.length > 0) {
    event.paramTrace = run.trace.copy();
    run.trace.clear();
    transfer.push(event.paramTrace.buffer as ArrayBuffer);
  }
  if (w.kind === 'full') transfer.push(w.values.buffer as ArrayBuffer);
  if (wGrad.kind === 'full') transfer.push(wGrad.values.buffer as ArrayBuffer);
  return { event, transfer };
}

/**
 * Adds the image run's pictures, drawn here so the window's thread has no work per pixel: the
 * prediction of this update's w and b, w as a heatmap (the real w: the shared model's one w is
 * every pixel's) and the prediction's distance from y. A run that is not training also gets all
 * of w (`wImage`), which the window keeps to continue, save or export it.
 */
export function addPictures(event: Update, trainer: LinearRegressionTrainer, image: TrainImage, transfer: ArrayBuffer[]): void {
  const prediction = trainer.predict();
  // Views into the engine's memory, taken after predict() (which may grow it)
  const w = trainer.wValues.subarray(0, trainer.wSize);
  event.pictures = drawRunPictures(prediction, trainer.y.data as Float32Array, w, image, image.scale);
  transfer.push(...pictureBuffers(event.pictures));
  if (event.state !== 'running' && trainer.model === 'perValue') {
    event.wImage = w.slice();
    transfer.push(event.wImage.buffer as ArrayBuffer);
  }
}

/** Notes a live learning-rate or zero_grad change: it applies from the next epoch on. Several
 * changes before the same epoch (a dragged slider) leave only the last one. */
export function noteSettingChange(changes: SettingChange[], trainer: LinearRegressionTrainer): void {
  const change: SettingChange = { fromEpoch: trainer.epoch + 1, learningRate: trainer.learningRate, skipZeroGrad: trainer.skipZeroGrad };
  const last = changes.at(-1);
  if (last && last.fromEpoch === change.fromEpoch) changes[changes.length - 1] = change;
  else changes.push(change);
}
