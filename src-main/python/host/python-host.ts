// Runs each Python program in a runner of its own: a separate OS process on the desktop
// (Electron's utilityProcess) and in Node (child_process.fork), a Web Worker in the browser
// edition. Whatever the program does, only its runner suffers: Stop kills the runner (ending even
// `while True:` at once), and a runner that dies on its own (out of memory, killed, crashed)
// ends the program with a clear pyDone while the host carries on with a fresh one.
// One spare runner waits for the next program and warms up the runner's compiled code while it
// waits (python/warm-up.ts), so a cell's training loop is fast from its first epoch.
// Platform-free: each platform hands in a `SpawnRunner`; tests drive real child processes.
import type { GradLabEvent, RunId } from '../../contract/messages';
import { errorMessage } from '../../contract/error-message';

/** How a runner ended, as far as its owner could tell. */
export interface RunnerExit {
  /** The process's exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it (POSIX), e.g. 'SIGKILL'. */
  signal: string | null;
  /** True when it died of memory exhaustion (V8's heap limit or an allocation that failed). */
  outOfMemory: boolean;
  /** What the platform said about the end, when it said more than a code (a worker's error message). */
  reason?: string;
}

/** One runner as the host sees it; each platform adapts its own kind of process or worker. */
export interface RunnerProcess {
  /** Sends a request; throws (or fails silently) when the runner is gone, which `onExit` reports. */
  post(message: unknown): void;
  onMessage(listener: (event: GradLabEvent) => void): void;
  /** Called once, however the runner ended (including after `kill`). */
  onExit(listener: (exit: RunnerExit) => void): void;
  /** Ends the runner at once, whatever it is doing. */
  kill(): void;
  /** The OS process id, where there is one (diagnostics and tests). */
  readonly pid?: number;
}

export type SpawnRunner = () => RunnerProcess;

export interface PythonHost {
  /** recordGraph: also record the autograd graph the program builds (sent back in pyDone.graph). */
  run(runId: RunId, source: string, recordGraph?: boolean): void;
  stop(runId: RunId): void;
  /** Ends every runner for good (no spare is started again). */
  dispose(): void;
}

export interface PythonHostOptions {
  spawn: SpawnRunner;
  emit: (event: GradLabEvent) => void;
  /** How long after start-up, or a program's end, the spare starts (default 1.5 s), so its
   * warm-up does not compete with the window loading or with what the learner does next. */
  spareDelayMs?: number;
  /** Keep a spare runner waiting for the next program (default true; pyrun runs one program). */
  spare?: boolean;
}

/** What V8 and Node print when a process dies for memory ("... JavaScript heap out of memory",
 * "Fatal JavaScript invalid size error", "Fatal process out of memory"). */
export function isOutOfMemoryReport(text: string): boolean {
  return /out of memory|invalid size error|allocation failed|invalid array length/i.test(text);
}

/** The text a learner sees when the runner died under a program (Python's own words where it has them). */
export function lostRunnerErrorLine(exit: RunnerExit): string {
  if (exit.outOfMemory) return 'MemoryError';
  const how = exit.reason ?? (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`);
  return `SystemError: the Python runner stopped unexpectedly (${how})`;
}

interface Runner {
  process: RunnerProcess;
  exited: boolean;
  /** The program it runs; null while it waits as the spare. */
  runId: RunId | null;
  /** The program finished or was stopped: nothing more is forwarded. */
  done: boolean;
}

export function createPythonHost(options: PythonHostOptions): PythonHost {
  const { emit } = options;
  const spareDelayMs = options.spareDelayMs ?? 1500;
  let current: Runner | null = null;
  let spare: Runner | null = null;
  let disposed = false;
  let spareTimer: ReturnType<typeof setTimeout> | null = null;

  /** Starts a runner; throws when the platform cannot start one at all. */
  const start = (): Runner => {
    const runner: Runner = { process: options.spawn(), exited: false, runId: null, done: false };
    runner.process.onMessage((event) => {
      if (runner.done || runner.runId === null || event.runId !== runner.runId) return;
      if (event.type === 'pyDone') finish(runner);
      emit(event);
    });
    runner.process.onExit((exit) => {
      runner.exited = true;
      if (spare === runner) spare = null;
      if (runner.done || runner.runId === null) return;
      finish(runner);
      emit({ type: 'pyDone', runId: runner.runId, ok: false, errorLine: lostRunnerErrorLine(exit), runnerLost: exit.outOfMemory ? 'outOfMemory' : 'crashed' });
    });
    return runner;
  };

  const startSpare = (): void => {
    try {
      spare = start();
    } catch {
      // no spare this time; the next program tries again and reports what went wrong
    }
  };

  const prepareSpare = (): void => {
    if (spare || disposed || spareTimer !== null || options.spare === false) return;
    if (spareDelayMs <= 0) {
      startSpare();
      return;
    }
    spareTimer = setTimeout(() => {
      spareTimer = null;
      if (!spare && !disposed) startSpare();
    }, spareDelayMs);
    // a waiting spare must not keep a CLI or a test process alive
    (spareTimer as { unref?: () => void }).unref?.();
  };

  const takeRunner = (): Runner => {
    if (spareTimer !== null) clearTimeout(spareTimer);
    spareTimer = null;
    const waiting = spare;
    spare = null;
    return waiting && !waiting.exited ? waiting : start();
  };

  /** The program is over: its runner is killed (each program gets a fresh one) and a spare prepared. */
  const finish = (runner: Runner): void => {
    runner.done = true;
    if (current === runner) current = null;
    if (!runner.exited) runner.process.kill();
    prepareSpare();
  };

  const stopCurrent = (): void => {
    const runner = current;
    if (!runner || runner.runId === null) return;
    finish(runner);
    emit({ type: 'pyDone', runId: runner.runId, ok: false, stopped: true });
  };

  prepareSpare();
  return {
    run(runId, source, recordGraph = false) {
      if (disposed) return;
      stopCurrent();
      let runner: Runner;
      try {
        runner = takeRunner();
      } catch (error) {
        const reason = errorMessage(error);
        emit({ type: 'pyDone', runId, ok: false, errorLine: `SystemError: the Python runner could not be started (${reason})`, runnerLost: 'crashed' });
        return;
      }
      runner.runId = runId;
      current = runner;
      try {
        runner.process.post({ type: 'runPython', runId, source, ...(recordGraph ? { recordGraph } : {}) });
      } catch {
        // the runner is already gone; its exit reports it (as a lost runner) to the window
      }
    },
    stop(runId) {
      if (current?.runId === runId) stopCurrent();
    },
    dispose() {
      disposed = true;
      if (spareTimer !== null) clearTimeout(spareTimer);
      spareTimer = null;
      for (const runner of [current, spare]) {
        if (!runner) continue;
        runner.done = true;
        if (!runner.exited) runner.process.kill();
      }
      current = null;
      spare = null;
    },
  };
}
