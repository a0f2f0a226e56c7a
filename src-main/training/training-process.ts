// The training worker as its owner (supervisor.ts) sees it, whatever runs it: an OS process of its
// own on the desktop (Electron's utilityProcess, electron/utility-training.ts) and in Node's CLI
// and tests (child_process.fork, fork-training.node.ts), or a worker_threads thread
// (thread-training.node.ts, which `npm run bench:train` uses to time the bare loop beside it).
// A process is what keeps V8's fatal errors (an array grown past V8's largest size, an
// allocation V8 cannot make) away from the app: they end the process they happen in, and in a
// thread that is the app's main process. Platform-free: no Node, Electron or DOM imports.
import type { GradLabEvent } from '../contract/messages';

/** How a training worker ended, as far as its owner could tell. */
export interface TrainingExit {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it (POSIX), e.g. 'SIGKILL'. */
  signal: string | null;
  /** It died of memory exhaustion (V8's heap limit, or an allocation V8 could not make). */
  outOfMemory: boolean;
  /** What the platform said beyond a code (an uncaught error's message, V8's fatal error). */
  reason?: string;
}

export interface TrainingProcess {
  /** Sends a request (validated already). A gone worker drops it; `onExit` reports the end. */
  post(message: unknown): void;
  onMessage(listener: (event: GradLabEvent) => void): void;
  /** Called once, however the worker ended (including after `kill`). */
  onExit(listener: (exit: TrainingExit) => void): void;
  /** Ends the worker at once, whatever it is doing. */
  kill(): void;
  /** The OS process id, where the worker is a process (tests kill it with SIGKILL). */
  readonly pid?: number;
}

/** Starts one training worker; the supervisor calls it again for each replacement. */
export type SpawnTraining = () => TrainingProcess;

/** The training worker's V8 heap limit (MB), given to its process as --max-old-space-size (a
 * thread gets it as resourceLimits). Its data lives in typed arrays outside this heap; the largest
 * run the contract allows (MAX_VALUES values sent as plain number arrays) needs well under half
 * of it. A worker that grows past it ends alone and is replaced like any crashed worker. */
export const TRAINING_HEAP_MB = 2048;

/** The V8 flags a training process starts with. */
export function trainingExecArgv(heapMb: number = TRAINING_HEAP_MB): string[] {
  return [`--max-old-space-size=${heapMb}`];
}

/** What V8 and Node print when a process dies for memory ("JavaScript heap out of memory",
 * "Fatal JavaScript invalid size error", "Fatal process out of memory", a worker's
 * ERR_WORKER_OUT_OF_MEMORY "... reached its memory limit"). */
export function isOutOfMemoryReport(text: string): boolean {
  return /out of memory|invalid size error|allocation failed|invalid array length|memory limit/i.test(text);
}

/** The end of a worker's stderr kept for `isOutOfMemoryReport` (V8's last words are in it). */
export const STDERR_TAIL_CHARS = 4096;
