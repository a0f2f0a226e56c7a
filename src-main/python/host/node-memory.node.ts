// The memory meter of a runner in its own Node process (utilityProcess or child_process.fork):
// V8's heap plus the memory V8 knows of outside it (tensor storage, the engine's WebAssembly
// arena), a few microseconds to read. The process is started with --expose-gc
// (runner-settings.ts), so the budget can look at live memory only before it refuses.
import { getHeapStatistics } from 'node:v8';
import type { MemoryMeter } from '../memory-budget';

export function nodeMemoryMeter(): MemoryMeter {
  const gc = (globalThis as { gc?: () => void }).gc;
  return {
    usedBytes() {
      const heap = getHeapStatistics();
      return heap.used_heap_size + heap.external_memory;
    },
    ...(gc ? { collect: () => gc() } : {}),
  };
}
