// The learner's memory budget: tensors and Python objects together. The host measures what the
// runner uses (a MemoryMeter: V8's heap plus memory outside it, where tensors live), and the
// budget raises Python's MemoryError when a program would go past its limit:
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

export class MemoryBudget {
  constructor(
    /** The most bytes a program may use (Infinity: no budget). */
    readonly limitBytes: number,
    /** Without a meter, only single allocations larger than the whole budget are refused. */
    private readonly meter: MemoryMeter | null,
  ) {}

  /** Raises MemoryError unless `bytes` more fit in the budget. */
  reserve(bytes: number): void {
    if (!(bytes <= this.limitBytes)) throw outOfMemory();
    const meter = this.meter;
    if (meter === null || programBytes(meter) + bytes <= this.limitBytes) return;
    // garbage counts until it is collected: look again at live memory before refusing
    if (meter.collect === undefined) throw outOfMemory();
    meter.collect();
    if (programBytes(meter) + bytes > this.limitBytes) throw outOfMemory();
  }

  /** Raises MemoryError when the program already uses more than its budget. */
  check(): void {
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
