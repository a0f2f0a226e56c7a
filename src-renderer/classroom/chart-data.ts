// Turning recorded runs into chart series (pure, shared by the presenter and the audience view,
// and small enough to send over a BroadcastChannel several times a second).
import type { CompareRun } from './compare';
import { chartValue } from './compare';
import type { ParamSnapshot, RunRecording } from '../state/run-recording';
import { wGradAt } from '../state/run-recording';

export interface ChartPoint {
  x: number;
  /** null draws a gap (nan/inf, or <= 0 on a log scale). */
  y: number | null;
}

export interface ChartSeries {
  label: string;
  color: string;
  points: ChartPoint[];
}

/** Colours for the live charts (loss, then w[i] and b gradients), readable on black. */
export const LIVE_COLORS = ['#ffd400', '#00e5ff', '#ff5ccd', '#7dff6b', '#ffffff'] as const;

/**
 * At most `maxPoints` points of y[i] against x = i + 1 (epochs). Long runs keep, per bucket, the
 * highest and the lowest value, so a spike or a fall to inf is never sampled away.
 */
export function epochPoints(values: ArrayLike<number>, maxPoints: number, logScale: boolean): ChartPoint[] {
  const n = values.length;
  const points: ChartPoint[] = [];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) points.push({ x: i + 1, y: chartValue(values[i], logScale) });
    return points;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    let low = start;
    let high = start;
    let gap = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        gap = i;
        continue;
      }
      if (v < values[low] || !Number.isFinite(values[low])) low = i;
      if (v > values[high] || !Number.isFinite(values[high])) high = i;
    }
    const picks = [...new Set([low, high, ...(gap >= 0 ? [gap] : [])])].sort((a, b2) => a - b2);
    for (const i of picks) points.push({ x: i + 1, y: chartValue(values[i], logScale) });
  }
  return points;
}

/** The live loss curve of a recording. */
export function lossSeries(recording: RunRecording, label: string, logScale: boolean, maxPoints = 2000): ChartSeries {
  return { label, color: LIVE_COLORS[0], points: epochPoints(recording.losses(), maxPoints, logScale) };
}

/**
 * Gradient of each followed w element and of b, one point per recorded update (epoch 0, before
 * any backward, has no gradient and is left out).
 */
export function gradientSeries(recording: RunRecording, wIndices: number[], maxPoints = 2000): ChartSeries[] {
  const count = recording.snapshotCount;
  let first = 0;
  while (first < count && recording.snapshotAt(first).epoch <= 0) first++;
  const stride = Math.max(1, Math.ceil((count - first) / maxPoints));
  const picked: ParamSnapshot[] = [];
  for (let i = first; i < count; i += stride) picked.push(recording.snapshotAt(i));
  if (count > first && (count - 1 - first) % stride !== 0) picked.push(recording.snapshotAt(count - 1));
  const toPoint = (epoch: number, value: number): ChartPoint => ({ x: epoch, y: Number.isFinite(value) ? value : null });
  const series: ChartSeries[] = wIndices.map((index, k) => ({
    label: `w[${index}].grad`,
    color: LIVE_COLORS[(k + 1) % LIVE_COLORS.length],
    points: picked.map((s) => toPoint(s.epoch, wGradAt(s, index))),
  }));
  series.push({ label: 'b.grad', color: LIVE_COLORS[0], points: picked.map((s) => toPoint(s.epoch, s.bGrad)) });
  return series;
}

/** One series per compare run, labelled by its learning rate. */
export function compareSeries(runs: readonly CompareRun[], label: (run: CompareRun) => string, logScale: boolean, maxPoints = 1500): ChartSeries[] {
  return runs.map((run) => ({ label: label(run), color: run.color, points: epochPoints(run.losses, maxPoints, logScale) }));
}

/**
 * The top of the compare chart's loss axis: when some runs diverged, the axis is set by the runs
 * that did not (a diverged run's huge losses would flatten them to a line at zero); the diverged
 * ones climb out of the top. Undefined (the chart picks its own) when no run diverged or none is left.
 */
export function compareAxisMax(runs: readonly CompareRun[], logScale: boolean): number | undefined {
  if (!runs.some((run) => run.status === 'diverged')) return undefined;
  let max = -Infinity;
  for (const run of runs) {
    if (run.status === 'diverged') continue;
    for (const loss of run.losses) if (Number.isFinite(loss) && loss > max) max = loss;
  }
  if (!Number.isFinite(max) || max <= 0) return undefined;
  if (logScale) return 10 ** Math.ceil(Math.log10(max));
  // A little headroom, rounded up to two significant digits, so the top tick reads as a round number.
  const unit = 10 ** (Math.floor(Math.log10(max * 1.05)) - 1);
  return Math.ceil((max * 1.05) / unit) * unit;
}

function tickText(value: number, digits: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs >= 1e5 || abs < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    return `${trimmed}e${exponent}`;
  }
  return String(Number(value.toPrecision(Math.max(4, digits + 1))));
}

/**
 * Labels for an axis's ticks with as few digits as keep every label different (ticks 1e30,
 * 1.5e30 and 2e30 read "1e+30, 1.5e+30, 2e+30", never "1e+30, 2e+30, 2e+30"). On a log scale only
 * powers of ten are labelled.
 */
export function tickLabels(values: readonly number[], logScale: boolean): string[] {
  const labelled = values.map((value) => {
    if (!Number.isFinite(value)) return false;
    if (!logScale) return true;
    const exponent = Math.log10(Math.abs(value));
    return Math.abs(exponent - Math.round(exponent)) < 1e-9;
  });
  for (let digits = 0; digits <= 15; digits++) {
    const labels = values.map((value, i) => (labelled[i] ? tickText(value, digits) : ''));
    const shown = labels.filter((label) => label !== '');
    if (new Set(shown).size === shown.length) return labels;
  }
  return values.map((value, i) => (labelled[i] ? String(value) : ''));
}
