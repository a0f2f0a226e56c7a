// The lab's chart lines, built from the run store: the loss per epoch, and w and b (or their
// gradients) as recorded with every update. The live charts and the exported PNGs share them.
import type { RunRecording } from '../state/run-recording';
import type { ChartPicture } from './export-png';
import type { SettingChange, TrainConfig } from '../../src-main/contract/messages';
import { settingMarkers, type ChartMarker } from './markers';
import { lossSource, trajectorySource, type Series } from './types';

export const LAB_CHART_IDS = ['loss', 'weights', 'grads'] as const;
export type LabChartId = (typeof LAB_CHART_IDS)[number];

export function lossSeries(label: string, losses: Float32Array): Series[] {
  return [{ label, source: lossSource(losses) }];
}

/** w[i] and b (kind 'values') or their gradients (kind 'grads') over the recorded updates. */
export function recordedSeries(recording: RunRecording | null, kind: 'values' | 'grads'): Series[] {
  return (recording?.series(kind) ?? []).map((s) => ({ label: s.label, source: trajectorySource(s.epochs, s.values) }));
}

/** What an exported lab chart shows: its title, lines and axis titles in the window's language. */
export function labChartPicture(
  id: LabChartId,
  run: { losses: Float32Array; recording: RunRecording | null },
  t: (key: 'chart.loss' | 'chart.weights' | 'chart.grads' | 'chart.epoch' | 'chart.value' | 'stats.loss') => string,
  markers: ChartMarker[] = [],
): ChartPicture {
  const base = { xLabel: t('chart.epoch'), markers };
  switch (id) {
    case 'loss':
      return { ...base, title: t('chart.loss'), series: lossSeries(t('stats.loss'), run.losses), yLabel: t('stats.loss') };
    case 'weights':
      return { ...base, title: t('chart.weights'), series: recordedSeries(run.recording, 'values'), yLabel: t('chart.value') };
    case 'grads':
      return { ...base, title: t('chart.grads'), series: recordedSeries(run.recording, 'grads'), yLabel: t('chart.value') };
  }
}

/** Marks for the learning-rate and zero_grad changes of the run (its start is the reference). */
export function labMarkers(run: { startedConfig: TrainConfig | null; settingChanges: readonly SettingChange[] }, t: (key: 'chart.zeroGradOff' | 'chart.zeroGradOn') => string): ChartMarker[] {
  const start = run.startedConfig;
  return settingMarkers(start ? { learningRate: start.learningRate, skipZeroGrad: start.skipZeroGrad ?? false } : null, run.settingChanges, {
    zeroGradOff: t('chart.zeroGradOff'),
    zeroGradOn: t('chart.zeroGradOn'),
  });
}
