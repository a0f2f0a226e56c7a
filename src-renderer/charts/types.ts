import type { SeriesSource } from '../lib/decimate';

/** One line of a chart: its legend name and where its points come from. */
export interface Series {
  label: string;
  source: SeriesSource;
}

/** A loss history (index 0 = epoch 1) as a chart series source. */
export function lossSource(losses: Float32Array): SeriesSource {
  return { length: losses.length, x: (i) => i + 1, y: (i) => losses[i] };
}

/** A recorded trajectory (epochs + values of the same length) as a chart series source. */
export function trajectorySource(epochs: Float64Array, values: Float32Array): SeriesSource {
  return { length: Math.min(epochs.length, values.length), x: (i) => epochs[i], y: (i) => values[i] };
}
