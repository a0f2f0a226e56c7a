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

/** The runner's argv and the V8 flags it is started with. */
export function runnerArguments(settings: RunnerSettings): { args: string[]; execArgv: string[] } {
  const memoryMb = settings.memoryMb ?? DEFAULT_MEMORY_MB;
  return {
    args: [`--warm-up=${settings.warmUp ?? 'idle'}`, `--memory-mb=${memoryMb}`],
    // --expose-gc: the budget collects garbage before it refuses (node-memory.node.ts); a
    // learner's program cannot reach JavaScript's globals, so it cannot call gc() itself
    execArgv: [`--max-old-space-size=${settings.heapMb ?? heapLimitMb(memoryMb)}`, '--expose-gc'],
  };
}
