// How a runner process is started, the same on every platform that gives it a process of its own
// (utilityProcess on the desktop, child_process.fork in Node).

export type WarmUpMode = 'idle' | 'before' | 'off';

export interface RunnerSettings {
  /** 'idle' (default): warm up in slices while waiting as the spare; 'before': fully, before the
   * first program (pyrun); 'off': not at all (`pyrun --no-warm-up`). */
  warmUp?: WarmUpMode;
  /** The learner's memory budget in MB: tensors and Python objects together (default 1024). */
  memoryMb?: number;
  /** V8's heap limit in MB (default `heapLimitMb(memoryMb)`); tests set it below the budget to
   * see V8 itself run out of memory. */
  heapMb?: number;
}

/** Enough for every lesson many times over, and far below what a laptop can give a process. */
export const DEFAULT_MEMORY_MB = 1024;

/**
 * V8's own heap limit for the runner process. A program's Python objects count against the
 * budget as estimates, so V8 gets twice the budget plus room for the runner itself: the budget's
 * MemoryError always comes first, and V8's fatal out-of-memory only ever ends the runner.
 */
export function heapLimitMb(memoryMb: number): number {
  return 2 * memoryMb + 512;
}

/** The runner's argv and the V8 flags it is started with. */
export function runnerArguments(settings: RunnerSettings): { args: string[]; execArgv: string[] } {
  const memoryMb = settings.memoryMb ?? DEFAULT_MEMORY_MB;
  return {
    args: [`--warm-up=${settings.warmUp ?? 'idle'}`, `--memory-mb=${memoryMb}`],
    execArgv: [`--max-old-space-size=${settings.heapMb ?? heapLimitMb(memoryMb)}`],
  };
}
