// How a runner process is started, the same on every platform that gives it a process of its own
// (utilityProcess on the desktop, child_process.fork in Node).
import { DEFAULT_MEMORY_BUDGET } from '../context';

export type WarmUpMode = 'idle' | 'before' | 'off';

export interface RunnerSettings {
  /** 'idle' (default): warm up in slices while waiting as the spare; 'before': fully, before the
   * first program (pyrun); 'off': not at all (`pyrun --no-warm-up`). */
  warmUp?: WarmUpMode;
  /** The learner's memory budget in MB: tensors and Python objects together (default 768). */
  memoryMb?: number;
  /** V8's heap limit in MB (default `heapLimitMb(memoryMb)`); tests set it below the budget to
   * see V8 itself run out of memory. */
  heapMb?: number;
}

/** Enough for every lesson many times over, and far below what a laptop can give a process. */
export const DEFAULT_MEMORY_MB = DEFAULT_MEMORY_BUDGET / (1024 * 1024);

/**
 * V8's own heap limit for the runner process. The budget is checked between loop turns and
 * before large allocations, so memory can overshoot it by one step (an array that doubles, a
 * big temporary): V8 gets twice the budget plus room for the runner itself, so the budget's
 * MemoryError comes first and V8's fatal out-of-memory could only ever end the runner.
 */
export function heapLimitMb(memoryMb: number): number {
  return 2 * memoryMb + 512;
}

/**
 * V8 flags for the speed of a learner's loop (issue 18), measured with `npm run bench:py`:
 * - --no-concurrent-recompilation: V8 optimises hot functions on a background thread and keeps
 *   running the slow code until that finishes. On a busy machine the background thread waits
 *   for a core, so the warm-up (python/warm-up.ts) ended with its hottest functions (the
 *   backward pass, graph recording) still queued, and the learner's first few thousand epochs
 *   ran unoptimised: 2-3x slower, and by how much changed from run to run. Optimising on the
 *   runner's own thread finishes it inside the warm-up.
 * - --min-semi-space-size: a young generation of 16 MB from the start instead of 1 MB that
 *   grows, so the garbage of a small loop (a few KB per epoch) is collected every few thousand
 *   epochs rather than every few hundred; each collection costs about the same (little of it
 *   survives), so there are fewer pauses to vary.
 */
export const RUNNER_SPEED_FLAGS: readonly string[] = ['--no-concurrent-recompilation', '--min-semi-space-size=16'];

/** The runner's argv and the V8 flags it is started with. */
export function runnerArguments(settings: RunnerSettings): { args: string[]; execArgv: string[] } {
  const memoryMb = settings.memoryMb ?? DEFAULT_MEMORY_MB;
  return {
    args: [`--warm-up=${settings.warmUp ?? 'idle'}`, `--memory-mb=${memoryMb}`],
    // --expose-gc: the budget collects garbage before it refuses (node-memory.node.ts); a
    // learner's program cannot reach JavaScript's globals, so it cannot call gc() itself
    execArgv: [`--max-old-space-size=${settings.heapMb ?? heapLimitMb(memoryMb)}`, '--expose-gc', ...RUNNER_SPEED_FLAGS],
  };
}
