// A run as the presenter received it, kept for replay: the loss of every epoch, and the
// parameters of every update (one per epoch in slow motion, one per frame when fast). Replaying
// position p shows epoch p's loss and the newest parameters recorded at or before epoch p.
import type { ParamView } from '../../src-main/contract/messages';

/** The parameters after `epoch` updates (epoch 0 = the starting values). */
export interface ParamSnapshot {
  epoch: number;
  /** w's reported elements: every element when short, the summary's chosen ones when long. */
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
}

function viewEntries(view: ParamView): { indices: number[]; values: number[] } {
  if (view.kind === 'full') return { indices: Array.from(view.values, (_, i) => i), values: Array.from(view.values) };
  return { indices: view.indices.slice(), values: view.values.slice() };
}

export function snapshotOf(update: UpdateLike): ParamSnapshot {
  const w = viewEntries(update.w);
  const grad = viewEntries(update.wGrad);
  return {
    epoch: update.epoch,
    wIndices: w.indices,
    w: w.values,
    wGrad: w.indices.map((index) => {
      const at = grad.indices.indexOf(index);
      return at >= 0 ? grad.values[at] : Number.NaN;
    }),
    b: update.b,
    bGrad: update.bGrad,
    learningRate: update.learningRate,
  };
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

export class RunRecording {
  private lossBuffer = new Float32Array(256);
  private lossCount = 0;
  readonly snapshots: ParamSnapshot[] = [];

  /** Epochs whose loss is known (the last replay position). */
  get epochCount(): number {
    return this.lossCount;
  }

  /** Every loss so far, epoch 1 first (a view: copy it to keep it). */
  losses(): Float32Array {
    return this.lossBuffer.subarray(0, this.lossCount);
  }

  lossAt(epoch: number): number | null {
    return epoch >= 1 && epoch <= this.lossCount ? this.lossBuffer[epoch - 1] : null;
  }

  get last(): ParamSnapshot | null {
    return this.snapshots.length ? this.snapshots[this.snapshots.length - 1] : null;
  }

  add(update: UpdateLike): void {
    const start = update.firstEpoch - 1;
    const end = start + update.losses.length;
    if (end > this.lossBuffer.length) {
      let capacity = this.lossBuffer.length;
      while (capacity < end) capacity *= 2;
      const grown = new Float32Array(capacity);
      grown.set(this.lossBuffer.subarray(0, this.lossCount));
      this.lossBuffer = grown;
    }
    if (start > this.lossCount) this.lossBuffer.fill(Number.NaN, this.lossCount, start);
    this.lossBuffer.set(update.losses, start);
    this.lossCount = Math.max(this.lossCount, end);
    const snapshot = snapshotOf(update);
    // Several updates can report the same epoch (pause, speed change): the newest wins.
    while (this.snapshots.length && this.snapshots[this.snapshots.length - 1].epoch >= snapshot.epoch) this.snapshots.pop();
    this.snapshots.push(snapshot);
  }

  /** Index of the newest snapshot with epoch <= `epoch`, or -1. Binary search: replays can be long. */
  snapshotIndexAt(epoch: number): number {
    let low = 0;
    let high = this.snapshots.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.snapshots[mid].epoch <= epoch) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  frameAt(position: number): ReplayFrame {
    const epoch = clampPosition(position, this.lossCount);
    const index = this.snapshotIndexAt(epoch);
    const snapshot = index >= 0 ? this.snapshots[index] : null;
    return { epoch, loss: this.lossAt(epoch), snapshot, exact: snapshot !== null && snapshot.epoch === epoch };
  }

  /** The two snapshots around one single update ending at or before `epoch` (for the hand arithmetic). */
  stepPairAt(epoch: number): { before: ParamSnapshot; after: ParamSnapshot } | null {
    const newest = this.snapshotIndexAt(epoch);
    // Looks back a little only: a fast run has no single-epoch pairs, and scanning it all would be waste.
    for (let i = newest; i >= 1 && i > newest - 64; i--) {
      const after = this.snapshots[i];
      const before = this.snapshots[i - 1];
      if (after.epoch === before.epoch + 1) return { before, after };
    }
    return null;
  }
}

/** A replay position kept within 0..count (whole epochs). */
export function clampPosition(position: number, count: number): number {
  if (!Number.isFinite(position)) return position > 0 ? Math.max(0, count) : 0;
  return Math.min(Math.max(0, count), Math.max(0, Math.round(position)));
}

/** Moving through a replay: one epoch per arrow press, a tenth of the run with Shift. */
export function scrub(position: number, direction: 1 | -1, count: number, big = false): number {
  const stride = big ? Math.max(1, Math.round(count / 10)) : 1;
  return clampPosition(position + direction * stride, count);
}
