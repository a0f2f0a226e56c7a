// Number series in one growing typed array: a run's loss curve (the worker's and the window's
// copy), and the window's recorded parameters. A 10-million-epoch loss curve needs 40 MB as
// float32 (at most twice that right after a doubling), where a plain number[] would need several
// times more and stall the GC. In the contract because both ends keep a run this way: the
// training worker and the window (the one layer both may import).

const INITIAL_CAPACITY = 1024;

type FloatArray = Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

class GrowableSeries<T extends FloatArray> {
  private buffer: T;
  private count = 0;

  constructor(
    private readonly allocate: (length: number) => T,
    initialCapacity = INITIAL_CAPACITY,
  ) {
    this.buffer = allocate(Math.max(1, initialCapacity));
  }

  /** Number of values stored. */
  get length(): number {
    return this.count;
  }

  /** Bytes currently reserved; grows by doubling, so at most about twice what is in use. */
  get capacityBytes(): number {
    return this.buffer.byteLength;
  }

  push(value: number): void {
    if (this.count === this.buffer.length) this.grow(this.count + 1);
    this.buffer[this.count++] = value;
  }

  /** Appends many values at once (e.g. a streamed update's `losses`). */
  append(values: ArrayLike<number>): void {
    this.writeAt(this.count, values);
  }

  /**
   * Writes `values` from 0-based `index` on, growing as needed. Skipped positions between the end
   * and `index` become NaN (never drawn as data); values after the written ones are kept.
   */
  writeAt(index: number, values: ArrayLike<number>): void {
    const end = index + values.length;
    if (end > this.buffer.length) this.grow(end);
    if (index > this.count) this.buffer.fill(Number.NaN, this.count, index);
    this.buffer.set(values, index);
    if (end > this.count) this.count = end;
  }

  /** The value at 0-based `index`. */
  at(index: number): number {
    if (index < 0 || index >= this.count) throw new RangeError(`Index ${index} is outside 0..${this.count - 1}`);
    return this.buffer[index];
  }

  /** The last value, or undefined when empty. */
  last(): number | undefined {
    return this.count > 0 ? this.buffer[this.count - 1] : undefined;
  }

  /** Forgets everything from `length` on. */
  truncate(length: number): void {
    this.count = Math.max(0, Math.min(this.count, length));
  }

  clear(): void {
    this.count = 0;
  }

  /** Keeps only the values whose index passes `keep`, in order (thins a long recording). */
  retain(keep: (index: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) if (keep(i)) this.buffer[kept++] = this.buffer[i];
    this.count = kept;
  }

  /** A copy of [start, end): safe to transfer to another thread. */
  copy(start = 0, end = this.count): T {
    return this.buffer.slice(Math.max(0, start), Math.min(end, this.count)) as T;
  }

  /** A view without copying; valid until the next write that grows the buffer. */
  view(start = 0, end = this.count): T {
    return this.buffer.subarray(Math.max(0, start), Math.min(end, this.count)) as T;
  }

  private grow(minimum: number): void {
    let capacity = this.buffer.length * 2;
    while (capacity < minimum) capacity *= 2;
    const next = this.allocate(capacity);
    next.set(this.buffer.subarray(0, this.count));
    this.buffer = next;
  }
}

/** float32 values: losses, w, b and gradients (the trainer computes in float32). */
export class Float32Series extends GrowableSeries<Float32Array<ArrayBuffer>> {
  constructor(initialCapacity = INITIAL_CAPACITY) {
    super((length) => new Float32Array(length), initialCapacity);
  }
}

/** float64 values: epoch numbers beyond float32's exact integers, learning rates as typed. */
export class Float64Series extends GrowableSeries<Float64Array<ArrayBuffer>> {
  constructor(initialCapacity = INITIAL_CAPACITY) {
    super((length) => new Float64Array(length), initialCapacity);
  }
}
