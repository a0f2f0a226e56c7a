// A run as the window received it: the loss of every epoch, and the parameters of every update
// (one per epoch in slow motion and when stepping, one per display frame when fast). The lab's
// trajectory charts, the presenter's replay and its hand arithmetic all read this one record.
// Parameters are kept in columns (one series per reported w element), not one object per update,
// so a long run stays compact; past MAX_SNAPSHOTS the older half is thinned to every other update.
import type { ParamView } from '../../src-main/contract/messages';
import { Float32Series, Float64Series } from '../../src-main/contract/series';
import type { RecordedParameters } from '../../src-main/data/session';

/** The parameters after `epoch` updates (epoch 0 = the starting values). */
export interface ParamSnapshot {
  epoch: number;
  /** w's recorded elements: every element when short, the summary's chosen ones when long. */
  wIndices: number[];
  w: number[];
  wGrad: number[];
  b: number;
  bGrad: number;
  learningRate: number;
}

/** The fields of an `update` event the recording needs. */
export interface UpdateLike {
  epoch: number;
  firstEpoch: number;
  losses: ArrayLike<number>;
  w: ParamView;
  wGrad: ParamView;
  b: number;
  bGrad: number;
  learningRate: number;
  /** Every epoch's parameters since the previous update (see EventMap['update'].paramTrace). */
  paramTrace?: Float64Array;
}

/** w[index] in a snapshot, or NaN when the trainer did not report that element. */
export function wAt(snapshot: ParamSnapshot, index: number): number {
  const at = snapshot.wIndices.indexOf(index);
  return at >= 0 ? snapshot.w[at] : Number.NaN;
}

export function wGradAt(snapshot: ParamSnapshot, index: number): number {
  const at = snapshot.wIndices.indexOf(index);
  return at >= 0 ? snapshot.wGrad[at] : Number.NaN;
}

export interface ReplayFrame {
  /** The replay position: epochs completed (0 = before training). */
  epoch: number;
  /** Loss measured during this epoch (null at position 0). */
  loss: number | null;
  /** Newest parameters recorded at or before this epoch. */
  snapshot: ParamSnapshot | null;
  /** True when the parameters were recorded at exactly this epoch. */
  exact: boolean;
}

/** A recorded parameter over the updates, for a chart: x = epochs[i], y = values[i]. */
export interface RecordedSeries {
  label: string;
  epochs: Float64Array;
  values: Float32Array;
}

/** Updates kept before the older half is thinned (about 20 MB at 64 reported elements). */
export const MAX_SNAPSHOTS = 40_000;
/** The newest updates are never thinned: stepping and slow motion need them one by one. */
const KEEP_NEWEST = 1024;

function reported(view: ParamView): { indices: number[]; values: ArrayLike<number> } {
  if (view.kind === 'full') return { indices: Array.from(view.values, (_, i) => i), values: view.values };
  return { indices: view.indices, values: view.values };
}

function valueAt(view: ParamView, index: number, position: number, indices: readonly number[]): number {
  if (view.kind === 'full') return index < view.values.length ? view.values[index] : Number.NaN;
  // A summary names its elements; look the index up only when it is not at the same position.
  if (view.indices[position] === indices[position]) return view.values[position] ?? Number.NaN;
  const at = view.indices.indexOf(index);
  return at >= 0 ? view.values[at] : Number.NaN;
}

export class RunRecording {
  private readonly lossSeries = new Float32Series();
  private readonly epochs = new Float64Series(256);
  private indices: number[] | null = null;
  private wColumns: Float32Series[] = [];
  private wGradColumns: Float32Series[] = [];
  private readonly bColumn = new Float32Series(256);
  private readonly bGradColumn = new Float32Series(256);
  private readonly lrColumn = new Float64Series(256);

  /**
   * @param observe called before every read: a Svelte subscriber (createSubscriber) makes each
   * read reactive; the default does nothing, so the recording works anywhere.
   */
  constructor(private readonly observe: () => void = () => {}) {}

  /** Epochs whose loss is known (the last replay position). */
  get epochCount(): number {
    this.observe();
    return this.lossSeries.length;
  }

  /** Every loss so far, epoch 1 first (a view: copy it to keep it). */
  losses(): Float32Array {
    this.observe();
    return this.lossSeries.view();
  }

  lossAt(epoch: number): number | null {
    this.observe();
    return epoch >= 1 && epoch <= this.lossSeries.length ? this.lossSeries.at(epoch - 1) : null;
  }

  /** The latest loss, or null before the first epoch. */
  get lastLoss(): number | null {
    this.observe();
    return this.lossSeries.last() ?? null;
  }

  /** Updates recorded (after thinning). */
  get snapshotCount(): number {
    this.observe();
    return this.epochs.length;
  }

  /** The w elements recorded with every update. */
  get wIndices(): readonly number[] {
    this.observe();
    return this.indices ?? [];
  }

  snapshotAt(position: number): ParamSnapshot {
    this.observe();
    const indices = this.indices ?? [];
    return {
      epoch: this.epochs.at(position),
      wIndices: indices.slice(),
      w: this.wColumns.map((column) => column.at(position)),
      wGrad: this.wGradColumns.map((column) => column.at(position)),
      b: this.bColumn.at(position),
      bGrad: this.bGradColumn.at(position),
      learningRate: this.lrColumn.at(position),
    };
  }

  get last(): ParamSnapshot | null {
    const count = this.snapshotCount;
    return count ? this.snapshotAt(count - 1) : null;
  }

  /** Losses written at their epochs (firstEpoch is 1-based), without parameters. */
  addLosses(firstEpoch: number, losses: ArrayLike<number>): void {
    if (losses.length > 0) this.lossSeries.writeAt(firstEpoch - 1, losses);
  }

  /** Adds an update; `traceOffset` is added to its trace's epochs (a continued run's worker counts from 1). */
  add(update: UpdateLike, traceOffset = 0): void {
    this.addLosses(update.firstEpoch, update.losses);
    if (!this.indices) {
      this.indices = reported(update.w).indices.slice();
      this.wColumns = this.indices.map(() => new Float32Series(256));
      this.wGradColumns = this.indices.map(() => new Float32Series(256));
    }
    const indices = this.indices;
    // A traced run: one snapshot per epoch before this update's own (w is whole, so column k is w[k]).
    const trace = update.paramTrace;
    const width = 2 * indices.length + 4;
    if (trace && update.w.kind === 'full' && indices.length === update.w.values.length && trace.length % width === 0) {
      for (let row = 0; row < trace.length; row += width) {
        const epoch = trace[row] + traceOffset;
        if (epoch >= update.epoch) break;
        this.startSnapshot(epoch);
        for (let k = 0; k < indices.length; k++) {
          this.wColumns[k].push(trace[row + 1 + k]);
          this.wGradColumns[k].push(trace[row + 1 + indices.length + k]);
        }
        this.endSnapshot(trace[row + width - 3], trace[row + width - 2], trace[row + width - 1]);
      }
    }
    this.startSnapshot(update.epoch);
    indices.forEach((index, k) => {
      this.wColumns[k].push(valueAt(update.w, index, k, indices));
      this.wGradColumns[k].push(valueAt(update.wGrad, index, k, indices));
    });
    this.endSnapshot(update.b, update.bGrad, update.learningRate);
  }

  /** Opens the snapshot of `epoch`; several can report the same epoch (pause, speed change): the newest wins. */
  private startSnapshot(epoch: number): void {
    let count = this.epochs.length;
    while (count > 0 && this.epochs.at(count - 1) >= epoch) count--;
    if (count < this.epochs.length) this.truncateSnapshots(count);
    this.epochs.push(epoch);
  }

  private endSnapshot(b: number, bGrad: number, learningRate: number): void {
    this.bColumn.push(b);
    this.bGradColumn.push(bGrad);
    this.lrColumn.push(learningRate);
    if (this.epochs.length > MAX_SNAPSHOTS) this.thin();
  }

  private columns(): (Float32Series | Float64Series)[] {
    return [this.epochs, ...this.wColumns, ...this.wGradColumns, this.bColumn, this.bGradColumn, this.lrColumn];
  }

  private truncateSnapshots(length: number): void {
    for (const column of this.columns()) column.truncate(length);
  }

  /** Every other update of the older part goes; the first (the starting values) and the newest stay. */
  private thin(): void {
    const protectFrom = this.epochs.length - KEEP_NEWEST;
    const keep = (i: number) => i === 0 || i >= protectFrom || i % 2 === 0;
    for (const column of this.columns()) column.retain(keep);
  }

  /** Index of the newest snapshot with epoch <= `epoch`, or -1. Binary search: replays can be long. */
  snapshotIndexAt(epoch: number): number {
    this.observe();
    let low = 0;
    let high = this.epochs.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.epochs.at(mid) <= epoch) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  frameAt(position: number): ReplayFrame {
    const count = this.epochCount;
    const epoch = clampPosition(position, count);
    const index = this.snapshotIndexAt(epoch);
    const snapshot = index >= 0 ? this.snapshotAt(index) : null;
    return { epoch, loss: this.lossAt(epoch), snapshot, exact: snapshot !== null && snapshot.epoch === epoch };
  }

  /** The two snapshots around one single update ending at or before `epoch` (for the hand arithmetic). */
  stepPairAt(epoch: number): { before: ParamSnapshot; after: ParamSnapshot } | null {
    const newest = this.snapshotIndexAt(epoch);
    // Looks back a little only: a fast run has no single-epoch pairs, and scanning it all would be waste.
    for (let i = newest; i >= 1 && i > newest - 64; i--) {
      if (this.epochs.at(i) === this.epochs.at(i - 1) + 1) return { before: this.snapshotAt(i - 1), after: this.snapshotAt(i) };
    }
    return null;
  }

  /**
   * The recorded values of up to `max` w elements and b (or their gradients), for the trajectory
   * charts. Views into the recording: valid until the next update.
   */
  series(kind: 'values' | 'grads', max = 4): RecordedSeries[] {
    this.observe();
    const epochs = this.epochs.view();
    const wColumns = kind === 'values' ? this.wColumns : this.wGradColumns;
    const suffix = kind === 'grads' ? '.grad' : '';
    const series: RecordedSeries[] = (this.indices ?? []).slice(0, max).map((index, k) => ({ label: `w[${index}]${suffix}`, epochs, values: wColumns[k].view() }));
    series.push({ label: `b${suffix}`, epochs, values: (kind === 'values' ? this.bColumn : this.bGradColumn).view() });
    return series;
  }
}

/** At most this many updates go into a session file (evenly spread, the last one always). */
export const SAVED_SNAPSHOTS = 2000;

/** The recorded parameters for a session file: every update of a short run, an even spread of a long one. */
export function savedParameters(recording: RunRecording, max = SAVED_SNAPSHOTS): RecordedParameters | null {
  const count = recording.snapshotCount;
  if (count === 0) return null;
  const stride = Math.max(1, Math.ceil(count / max));
  const picks: number[] = [];
  for (let i = 0; i < count; i += stride) picks.push(i);
  if (picks[picks.length - 1] !== count - 1) picks.push(count - 1);
  const snapshots = picks.map((i) => recording.snapshotAt(i));
  const column = (read: (s: ParamSnapshot) => number) => Float32Array.from(snapshots, read);
  const indices = recording.wIndices.slice();
  return {
    epochs: snapshots.map((s) => s.epoch),
    indices,
    w: indices.map((_, k) => column((s) => s.w[k])),
    wGrad: indices.map((_, k) => column((s) => s.wGrad[k])),
    b: column((s) => s.b),
    bGrad: column((s) => s.bGrad),
    learningRate: snapshots.map((s) => s.learningRate),
  };
}

/** A recording rebuilt from a session file: its losses and its recorded parameters. */
export function restoredRecording(losses: ArrayLike<number>, saved: RecordedParameters | null, observe?: () => void): RunRecording {
  const recording = new RunRecording(observe);
  recording.addLosses(1, losses);
  if (saved) {
    const view = (values: number[]): ParamView => ({ kind: 'summary', length: 0, min: NaN, max: NaN, mean: NaN, indices: saved.indices, values });
    saved.epochs.forEach((epoch, i) => {
      recording.add({
        epoch,
        firstEpoch: 1,
        losses: [],
        w: view(saved.w.map((column) => column[i])),
        wGrad: view(saved.wGrad.map((column) => column[i])),
        b: saved.b[i],
        bGrad: saved.bGrad[i],
        learningRate: saved.learningRate[i],
      });
    });
  }
  return recording;
}

/** A replay position kept within 0..count (whole epochs). */
export function clampPosition(position: number, count: number): number {
  if (!Number.isFinite(position)) return position > 0 ? Math.max(0, count) : 0;
  return Math.min(Math.max(0, count), Math.max(0, Math.round(position)));
}
