// A run's pacing: when epochs may run, when an update and a picture are due, and how fast the
// run really goes. Everything here is arithmetic on the clock readings the host passes in, so
// tests drive it with made-up times.
//
// - Speed limit (slow motion): epochs are counted from an anchor (the moment the limit was set,
//   or the run resumed or stepped), so a change of speed never makes up for lost time.
// - Flat out, the clock is read once per chunk of epochs; the chunk doubles or halves until a
//   chunk takes about 0.05-0.2 ms (at 2 values an epoch is a few microseconds and a clock read
//   a noticeable part of that).
// - Updates go out at most once per frame; when building one gets costly (summaries of 786,432
//   values) the interval stretches so that streaming stays under `maxStreamingShare` of the
//   time. Pictures (prediction and w image) have their own interval and the same budget.

export interface PacingLimits {
  /** Shortest time between two updates (ms). */
  frameMs: number;
  /** Shortest time between two pictures (ms). */
  predictionIntervalMs: number;
  /** Largest share of time building updates (and, separately, pictures) may take. */
  maxStreamingShare: number;
}

/** The measured rate is refreshed at most this often (ms). */
const RATE_WINDOW_MS = 250;
/** Chunk bounds while running flat out. */
const MAX_STRIDE = 256;
const STRIDE_FAST_MS = 0.05;
const STRIDE_SLOW_MS = 0.2;

export class RunPacing {
  /** Epochs per second, or null for as fast as possible. */
  epochsPerSecond: number | null;
  private anchorTime: number;
  private anchorEpoch: number;
  /** Epochs between two clock reads while running flat out. */
  clockStride = 1;

  /** When the last update went out, and the shortest wait before the next. */
  lastPostAt = -Infinity;
  minPostInterval: number;
  private postCostMs = 0;

  private lastPictureAt = -Infinity;
  private pictureInterval: number;
  private pictureCostMs = 0;

  private rateTime: number;
  private rateEpoch: number;
  /** Epochs per second over the last ~250 ms of running; 0 when not running. */
  measuredRate = 0;

  constructor(
    private readonly limits: PacingLimits,
    now: number,
    epochsPerSecond: number | null,
  ) {
    this.epochsPerSecond = epochsPerSecond;
    this.anchorTime = now;
    this.anchorEpoch = 0;
    this.rateTime = now;
    this.rateEpoch = 0;
    this.minPostInterval = limits.frameMs;
    this.pictureInterval = limits.predictionIntervalMs;
  }

  // ---- speed limit ----

  /** Starts counting the speed limit's epochs afresh from `epoch` at `now`. */
  anchor(now: number, epoch: number): void {
    this.anchorTime = now;
    this.anchorEpoch = epoch;
  }

  setSpeed(epochsPerSecond: number | null, now: number, epoch: number): void {
    this.epochsPerSecond = epochsPerSecond;
    this.anchor(now, epoch);
  }

  /**
   * How many epochs may run before the clock is read again: the chunk when running flat out,
   * one under a speed limit, and 0 when the speed limit says wait (until `resumeAt(epoch)`).
   */
  epochsAllowed(now: number, epoch: number): number {
    if (this.epochsPerSecond === null) return this.clockStride;
    const done = epoch - this.anchorEpoch;
    const allowed = Math.floor(((now - this.anchorTime) * this.epochsPerSecond) / 1000) + 1;
    return done >= allowed ? 0 : 1;
  }

  /** Under a speed limit: when epoch `epoch` + 1 may run. */
  resumeAt(epoch: number): number {
    const done = epoch - this.anchorEpoch;
    return this.anchorTime + (done * 1000) / (this.epochsPerSecond as number);
  }

  /** Adapts the chunk after a full chunk of `epochs` took `elapsedMs` while running flat out. */
  adaptStride(epochs: number, elapsedMs: number): void {
    if (epochs !== this.clockStride || this.epochsPerSecond !== null) return;
    if (elapsedMs < STRIDE_FAST_MS && this.clockStride < MAX_STRIDE) this.clockStride *= 2;
    else if (elapsedMs > STRIDE_SLOW_MS && this.clockStride > 1) this.clockStride = Math.max(1, this.clockStride >> 1);
  }

  // ---- updates and pictures ----

  /** When the next update may go out. */
  get nextUpdateAt(): number {
    return this.lastPostAt + this.minPostInterval;
  }

  /** An update went out at `at` and cost `costMs` (pictures left out). */
  noteUpdate(at: number, costMs: number): void {
    this.lastPostAt = at;
    // A sample counts at most 3x the running estimate: on a busy machine the thread can be
    // descheduled mid-update, and one such stall should not thin out the stream for seconds.
    this.postCostMs = this.postCostMs === 0 ? costMs : this.postCostMs * 0.8 + Math.min(costMs, this.postCostMs * 3) * 0.2;
    this.minPostInterval = Math.max(this.limits.frameMs, this.postCostMs / this.limits.maxStreamingShare);
  }

  pictureDue(now: number): boolean {
    return now - this.lastPictureAt >= this.pictureInterval;
  }

  /** A picture started at `at` and took `costMs`: a costly one (786,432 values on a slow
   * machine) spaces the next ones out rather than slowing training down. */
  notePicture(at: number, costMs: number): void {
    this.lastPictureAt = at;
    this.pictureCostMs = this.pictureCostMs === 0 ? costMs : this.pictureCostMs * 0.7 + costMs * 0.3;
    this.pictureInterval = Math.max(this.limits.predictionIntervalMs, this.pictureCostMs / this.limits.maxStreamingShare);
  }

  /** The next update carries a picture whatever the interval (after a reset). */
  forgetPicture(): void {
    this.lastPictureAt = -Infinity;
  }

  // ---- measured rate ----

  /** The run (re)starts running at `now` from `epoch`: the measured rate starts over. */
  restartRate(now: number, epoch: number): void {
    this.rateTime = now;
    this.rateEpoch = epoch;
    this.measuredRate = 0;
  }

  /** Refreshes the measured rate at most every 250 ms (at once for the first reading); 0 when not running. */
  measureRate(now: number, epoch: number, running: boolean): number {
    if (!running) return (this.measuredRate = 0);
    const elapsed = now - this.rateTime;
    if (elapsed >= RATE_WINDOW_MS || (this.measuredRate === 0 && elapsed > 0 && epoch > this.rateEpoch)) {
      this.measuredRate = ((epoch - this.rateEpoch) * 1000) / elapsed;
      this.rateTime = now;
      this.rateEpoch = epoch;
    }
    return this.measuredRate;
  }
}
