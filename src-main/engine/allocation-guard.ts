// One hook for whoever runs untrusted code on the engine: the Python runner's memory budget is
// asked before every large allocation, so `torch.ones(50000, 50000)` raises MemoryError at once
// instead of taking gigabytes (and minutes) first. The guard throws to refuse; the engine lets
// the error pass. Without a guard (the trainer, tests) it costs one null check.

/** Refuses an allocation of `bytes` by throwing; returns to allow it. */
export type AllocationGuard = (bytes: number) => void;

/** Smaller allocations are not worth asking about: the runner measures memory between loop turns anyway. */
export const GUARDED_MIN_BYTES = 1024 * 1024;

let guard: AllocationGuard | null = null;

/** Installs `next` (null removes it); returns the guard it replaced, to be put back afterwards. */
export function setAllocationGuard(next: AllocationGuard | null): AllocationGuard | null {
  const previous = guard;
  guard = next;
  return previous;
}

/** Asks the guard, if any, whether `bytes` more may be allocated (it throws if not). */
export function guardAllocation(bytes: number): void {
  if (guard !== null && bytes >= GUARDED_MIN_BYTES) guard(bytes);
}
