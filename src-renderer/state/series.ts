// Growing typed-array storage for the run's history. Appends write into spare capacity; the
// reactive state receives a new view object (subarray, no copy) so $state.raw consumers update.

export class GrowingFloat32 {
  private buffer: Float32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float32Array(initialCapacity);
  }

  private ensure(capacity: number): void {
    if (capacity <= this.buffer.length) return;
    let next = this.buffer.length || 1024;
    while (next < capacity) next *= 2;
    const grown = new Float32Array(next);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Writes `values` starting at `index` (0-based), growing as needed; gaps stay NaN so they are never drawn as data. */
  writeAt(index: number, values: ArrayLike<number>): void {
    const end = index + values.length;
    this.ensure(end);
    if (index > this.length) this.buffer.fill(NaN, this.length, index);
    this.buffer.set(values, index);
    if (end > this.length) this.length = end;
  }

  push(value: number): void {
    this.ensure(this.length + 1);
    this.buffer[this.length++] = value;
  }

  /** A view of the filled part (shares memory with the buffer until the next growth). */
  view(): Float32Array {
    return this.buffer.subarray(0, this.length);
  }
}

export class GrowingFloat64 {
  private buffer = new Float64Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = value;
  }

  view(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** One recorded value per update for a few chosen parameters (w[i] and b) and their gradients. */
export interface Trajectory {
  length: number;
  epochs: Float64Array;
  /** Series names, e.g. ["w[0]", "w[1]", "b"]. */
  labels: string[];
  values: Float32Array[];
  grads: Float32Array[];
}

export const emptyTrajectory: Trajectory = { length: 0, epochs: new Float64Array(0), labels: [], values: [], grads: [] };

export class TrajectoryRecorder {
  private readonly epochs = new GrowingFloat64();
  private readonly values: GrowingFloat32[];
  private readonly grads: GrowingFloat32[];

  constructor(readonly labels: string[]) {
    this.values = labels.map(() => new GrowingFloat32(256));
    this.grads = labels.map(() => new GrowingFloat32(256));
  }

  get lastEpoch(): number {
    return this.epochs.length ? this.epochs.view()[this.epochs.length - 1] : -1;
  }

  record(epoch: number, values: number[], grads: number[]): void {
    this.epochs.push(epoch);
    values.forEach((v, i) => this.values[i].push(v));
    grads.forEach((g, i) => this.grads[i].push(g));
  }

  snapshot(): Trajectory {
    return {
      length: this.epochs.length,
      epochs: this.epochs.view(),
      labels: this.labels,
      values: this.values.map((s) => s.view()),
      grads: this.grads.map((s) => s.view()),
    };
  }
}
