// A run's loss curve stored as float32 in one growing buffer. A 10-million-epoch run needs
// 40 MB this way (at most twice that while the buffer is mostly empty after a doubling),
// where a plain number[] would need several times more and stall the GC. Pure TypeScript, so
// the renderer can keep its copy of the curve the same way.

const INITIAL_CAPACITY = 1024;

export class LossHistory {
  private buffer: Float32Array;
  private count = 0;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.buffer = new Float32Array(Math.max(1, initialCapacity));
  }

  /** Number of losses stored (= epochs recorded). */
  get length(): number {
    return this.count;
  }

  /** Bytes currently reserved; grows by doubling, so at most about twice what is in use. */
  get capacityBytes(): number {
    return this.buffer.byteLength;
  }

  push(loss: number): void {
    if (this.count === this.buffer.length) this.grow(this.count + 1);
    this.buffer[this.count++] = loss;
  }

  /** Appends many losses at once (e.g. a streamed update's `losses`). */
  append(losses: ArrayLike<number>): void {
    const needed = this.count + losses.length;
    if (needed > this.buffer.length) this.grow(needed);
    if (losses instanceof Float32Array) this.buffer.set(losses, this.count);
    else for (let i = 0; i < losses.length; i++) this.buffer[this.count + i] = losses[i];
    this.count = needed;
  }

  /** Loss of the epoch at 0-based `index`. */
  at(index: number): number {
    if (index < 0 || index >= this.count) throw new RangeError(`Loss index ${index} is outside 0..${this.count - 1}`);
    return this.buffer[index];
  }

  /** Forgets everything from `length` on (used when a run is reset or the window re-syncs). */
  truncate(length: number): void {
    this.count = Math.max(0, Math.min(this.count, length));
  }

  clear(): void {
    this.count = 0;
  }

  /** A copy of losses [start, end): safe to transfer to another thread. */
  copy(start = 0, end = this.count): Float32Array {
    return this.buffer.slice(Math.max(0, start), Math.min(end, this.count));
  }

  /** A view without copying; valid until the next push/append. */
  view(start = 0, end = this.count): Float32Array {
    return this.buffer.subarray(Math.max(0, start), Math.min(end, this.count));
  }

  private grow(minimum: number): void {
    let capacity = this.buffer.length * 2;
    while (capacity < minimum) capacity *= 2;
    const next = new Float32Array(capacity);
    next.set(this.buffer.subarray(0, this.count));
    this.buffer = next;
  }
}
