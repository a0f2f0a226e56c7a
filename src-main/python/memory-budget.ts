// The learner's memory budget: tensors and Python objects together. The host measures what the
// runner uses (a MemoryMeter: V8's heap plus memory outside it, where tensors live) or, where it
// cannot (a Web Worker), the budget estimates what the program holds (memory-estimate.ts); it
// raises Python's MemoryError when a program would go past its limit:
//  - before every large allocation whose size is known (tensor storage through the engine's
//    allocation guard, tolist(), materialising a range), so a huge request fails at once;
//  - between loop turns (Interpreter.housekeeping), for memory that grows a little at a time
//    (`while True: l.append(0)`).
// The runner's V8 heap limit sits well above the budget, so V8 itself never runs out first.
import { arenaIdleBytes } from '../engine';
import { PyException } from './errors';

/** What the host can tell about the runner's memory. */
export interface MemoryMeter {
  /** Bytes the runner uses now (garbage not yet collected included). */
  usedBytes(): number;
  /** Collects garbage now, where the platform allows it, so usedBytes() counts live memory only. */
  collect?(): void;
}

/**
 * A look at live memory (a walk over what the program holds without a meter, a garbage
 * collection with one) costs time in proportion to what the program holds, so the budget looks
 * again only after the program has run this many times as long as the last look took: looking
 * stays a small part of the time (a walk over a few objects takes microseconds, so small programs
 * are walked at every check), while memory can outgrow the budget only for a short while.
 */
const RUN_PER_LOOK = 4;
/** ...but never longer than this between looks (ms), or a program holding much could outrun them. */
const MAX_LOOK_GAP_MS = 100;
/**
 * The part of its budget a program must have free once garbage was collected for it. A program
 * whose live memory sits just under its budget would otherwise be collected again every few
 * megabytes, each time over all it holds (seconds for 700 MB of small strings), and spend its
 * time collecting instead of reaching MemoryError.
 */
const FREE_AFTER_COLLECTION = 1 / 16;

export class MemoryBudget {
  /** Without a meter: the last estimate of what the program holds, and when the next walk is due. */
  private estimated = 0;
  private nextWalkAt = 0;
  /** With a meter: when the next garbage collection may be asked for between loop turns. */
  private nextCollectAt = 0;

  constructor(
    /** The most bytes a program may use (Infinity: no budget). */
    readonly limitBytes: number,
    private readonly meter: MemoryMeter | null,
    /** Used without a meter; with neither, only single allocations larger than the budget are refused. */
    private readonly estimate: (() => number) | null = null,
  ) {}

  /** Raises MemoryError unless `bytes` more fit in the budget. */
  reserve(bytes: number): void {
    if (!(bytes <= this.limitBytes)) throw outOfMemory();
    const meter = this.meter;
    if (meter === null) {
      if (this.estimated + bytes > this.limitBytes) throw outOfMemory();
      return;
    }
    if (programBytes(meter) + bytes <= this.limitBytes) return;
    // garbage counts until it is collected: look again at live memory before refusing (between
    // loop turns, not sooner than RUN_PER_LOOK times the last collection's time after it: till
    // then, memory over the budget is taken to be garbage the collection found last time)
    if (meter.collect === undefined) throw outOfMemory();
    const started = performance.now();
    if (bytes === 0 && started < this.nextCollectAt) return;
    meter.collect();
    const ended = performance.now();
    this.nextCollectAt = ended + Math.min(RUN_PER_LOOK * (ended - started), MAX_LOOK_GAP_MS);
    const live = programBytes(meter);
    if (live + bytes > this.limitBytes || live > this.limitBytes * (1 - FREE_AFTER_COLLECTION)) throw outOfMemory();
  }

  /** Raises MemoryError when the program already uses more than its budget. */
  check(): void {
    if (this.meter === null && this.estimate !== null) {
      const started = performance.now();
      if (started < this.nextWalkAt) return;
      this.estimated = this.estimate();
      const ended = performance.now();
      this.nextWalkAt = ended + Math.min(RUN_PER_LOOK * (ended - started), MAX_LOOK_GAP_MS);
    }
    this.reserve(0);
  }
}

/** What the runner uses, less the part of the engine's arena no tensor holds (reserved in one piece up front). */
function programBytes(meter: MemoryMeter): number {
  return meter.usedBytes() - arenaIdleBytes();
}

/** CPython's MemoryError carries no message. */
function outOfMemory(): PyException {
  return new PyException('MemoryError', '');
}
