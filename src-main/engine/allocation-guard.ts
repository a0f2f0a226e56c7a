// One hook for whoever runs untrusted code on the engine: the Python runner's memory budget is
// asked before every large allocation, so `torch.ones(50000, 50000)` raises MemoryError at once
// instead of taking gigabytes (and minutes) first, and again after every few megabytes of small
// ones, so a loop keeping many small tensors meets its budget as soon as it is spent. The guard
// throws to refuse; the engine lets the error pass. Without a guard (the trainer, tests) it costs
// one null check.

/** Refuses an allocation of `bytes` by throwing; returns to allow it (0: is what was allocated so far still allowed?). */
export type AllocationGuard = (bytes: number) => void;

/** Smaller allocations are not worth asking about one by one... */
export const GUARDED_MIN_BYTES = 1024 * 1024;
/** ...but once this many bytes of them were made since the guard was last asked, it is asked whether memory is still in budget. */
const SMALL_BYTES_PER_CHECK = 16 * GUARDED_MIN_BYTES;

let guard: AllocationGuard | null = null;
let smallBytes = 0;

/** Installs `next` (null removes it); returns the guard it replaced, to be put back afterwards. */
export function setAllocationGuard(next: AllocationGuard | null): AllocationGuard | null {
  const previous = guard;
  guard = next;
  smallBytes = 0;
  return previous;
}

/** Asks the guard, if any, whether `bytes` more may be allocated (it throws if not). */
export function guardAllocation(bytes: number): void {
  if (guard === null) return;
  if (bytes >= GUARDED_MIN_BYTES) guard(bytes);
  else if ((smallBytes += bytes) >= SMALL_BYTES_PER_CHECK) {
    smallBytes = 0;
    guard(0);
  }
}
