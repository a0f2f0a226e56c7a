// One utilityProcess (a Node.js child process started through Chromium's service API) as the
// small process interface both of its users share: the Python runner (utility-runner.ts, a
// python-host RunnerProcess) and the training worker (utility-training.ts, a TrainingProcess).
// It keeps the end of the child's stderr and V8's fatal-error report, so an exit can say whether
// the process died for memory.
import { utilityProcess } from 'electron';
import type { GradLabEvent } from '../contract/messages';

const STDERR_TAIL_CHARS = 4096;

export interface UtilityWorkerExit {
  code: number | null;
  /** utilityProcess reports no signal, only the exit code. */
  signal: null;
  outOfMemory: boolean;
}

export interface UtilityWorker {
  post(message: unknown): void;
  /** Its messages are the contract's events (the child posts nothing else). */
  onMessage(listener: (event: GradLabEvent) => void): void;
  onExit(listener: (exit: UtilityWorkerExit) => void): void;
  kill(): void;
  readonly pid?: number;
}

export interface UtilityWorkerOptions {
  args: string[];
  /** V8 flags: the heap limit, and nothing that opens the process up (--inspect is refused by the fuses anyway). */
  execArgv: string[];
  /** Shown in the OS's task manager and app.getAppMetrics(), so a learner can tell what the extra process is. */
  serviceName: string;
  /** Whether the child's last words (stderr's tail and V8's fatal report) say it died for memory. */
  isOutOfMemory: (report: string) => boolean;
}

/** Starts the bundled `entry` (dist/main/*.cjs, inside app.asar); only after app 'ready'. */
export function utilityWorker(entry: string, options: UtilityWorkerOptions): UtilityWorker {
  const child = utilityProcess.fork(entry, options.args, {
    execArgv: options.execArgv,
    serviceName: options.serviceName,
    // It talks through its port only: no input, no output; stderr is read for V8's last words.
    stdio: ['ignore', 'ignore', 'pipe'],
    // macOS: no native library that is not signed as the app is (the default, said out loud: the
    // process loads only the app's own bundled JavaScript).
    allowLoadingUnsignedLibraries: false,
  });
  // The window never talks to this process directly: main validates every request before posting
  // it here, and the events come back to main, which forwards them on the window's event port.
  let report = '';
  child.stderr?.on('data', (chunk: Buffer | string) => {
    report = (report + String(chunk)).slice(-STDERR_TAIL_CHARS);
  });
  // V8's fatal errors (its heap limit, an allocation it cannot satisfy) come with their location
  child.on('error', (_type, location) => {
    report += `\n${location}`;
  });
  const listeners: ((exit: UtilityWorkerExit) => void)[] = [];
  let exited: UtilityWorkerExit | null = null;
  child.on('exit', (code) => {
    exited = { code, signal: null, outOfMemory: options.isOutOfMemory(report) };
    for (const listener of listeners.splice(0)) listener(exited);
  });
  return {
    post(message) {
      if (!exited) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      if (exited) listener(exited);
      else listeners.push(listener);
    },
    kill() {
      child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
