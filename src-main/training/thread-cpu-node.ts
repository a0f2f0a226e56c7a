// CPU time of the calling thread, for benchmarks: wall-clock time on a shared machine also
// counts the moments other processes had the CPU, CPU time does not. Node 20 has no per-thread
// CPU clock (process.cpuUsage() adds up every thread), so on Linux this reads the scheduler's
// own total for the thread (/proc/thread-self/sched, nanosecond resolution; ~30 µs a read,
// so it is read at the start and the end of a run only). Elsewhere there is no such clock: null.
import { readFileSync } from 'node:fs';

const SCHED_FILE = '/proc/thread-self/sched';
const SUM_EXEC_RUNTIME = /se\.sum_exec_runtime\s*:\s*([\d.]+)/;

function readSchedMs(): number | null {
  try {
    const match = SUM_EXEC_RUNTIME.exec(readFileSync(SCHED_FILE, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A function giving this thread's CPU time in ms (call it on the thread you measure), or null where there is none. */
export function threadCpuClock(): (() => number) | null {
  if (process.platform !== 'linux' || readSchedMs() === null) return null;
  return () => readSchedMs() ?? Number.NaN;
}
