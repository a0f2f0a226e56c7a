// The training worker as a Node child process (child_process.fork), for the CLI and the tests: the
// same TrainingProcess the desktop gets from Electron's utilityProcess, so the supervisor that
// manages it is exercised for real without Electron.
import { fork } from 'node:child_process';
import { isOutOfMemoryReport, STDERR_TAIL_CHARS, trainingExecArgv, type TrainingExit, type TrainingProcess } from './training-process';

/** What ended the process, from its stderr: V8's fatal error, else Node's uncaught-error line. */
function lastWords(stderr: string): string | undefined {
  const fatal = /FATAL ERROR: [^\n]*|Fatal JavaScript [^\n]*|Fatal process [^\n]*/.exec(stderr)?.[0];
  if (fatal) return fatal.trim();
  return /^(?:[A-Z]\w*)?Error(?: \[\w+\])?: .+$/m.exec(stderr)?.[0];
}

export interface ForkTrainingOptions {
  /** V8's heap limit for the process in MB (default TRAINING_HEAP_MB); tests set it low to see V8 run out. */
  heapMb?: number;
}

/**
 * Starts `entry`, the bundled training worker (dist/main/training-worker.cjs, built from
 * worker-node.ts), as a child process. A TypeScript entry has to be bundled first (tests and
 * benches use python/host/source-bundle.node.ts, as the app's build bundles it).
 */
export function forkTraining(entry: string, options: ForkTrainingOptions = {}): TrainingProcess {
  if (entry.endsWith('.ts')) throw new Error(`forkTraining runs a bundled entry, not ${entry}: bundle it first (source-bundle.node.ts)`);
  const child = fork(entry, [], {
    execArgv: trainingExecArgv(options.heapMb),
    // the worker talks through IPC only; stdout is the app's log, stderr is read for V8's last words
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    // structured clone, as workers and utilityProcess use: Float32Arrays, NaN and Infinity survive
    serialization: 'advanced',
  });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exitListeners: ((exit: TrainingExit) => void)[] = [];
  let exited: TrainingExit | null = null;
  const reportExit = (code: number | null, signal: string | null): void => {
    if (exited) return;
    const reason = lastWords(stderrTail);
    exited = { code, signal, outOfMemory: isOutOfMemoryReport(stderrTail), ...(reason ? { reason } : {}) };
    for (const listener of exitListeners.splice(0)) listener(exited);
  };
  // 'close' comes after stderr has been read to its end; 'error' covers a child that never started
  child.on('close', (code, signal) => reportExit(code, signal));
  child.on('error', () => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) reportExit(null, null);
  });
  return {
    post(message) {
      // a closed channel reports through the callback (and then 'close'), never as a throw
      if (child.connected) child.send(message as object, () => undefined);
    },
    onMessage(listener) {
      child.on('message', listener as (message: unknown) => void);
    },
    onExit(listener) {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    kill() {
      child.kill('SIGKILL');
    },
    get pid() {
      return child.pid;
    },
  };
}
