// The Python runner as a Node child process (child_process.fork), for the pyrun CLI and the
// tests: the same RunnerProcess the desktop gets from Electron's utilityProcess, so the host
// code that manages runners is exercised for real without Electron.
import { fork } from 'node:child_process';
import { isOutOfMemoryReport, type RunnerExit, type RunnerProcess } from './python-host';
import { runnerArguments, type RunnerSettings } from './runner-settings';
import { bundledEntry } from './source-bundle.node.js';

/** The end of the child's stderr that is kept (V8's out-of-memory report is in it). */
const STDERR_TAIL_CHARS = 4096;

/**
 * Starts `entry` (the bundled runner-process.cjs, or runner-process.node.ts from source, which is
 * bundled first as the app's build bundles it: source-bundle.node.ts) as a child process.
 */
export function forkRunner(entry: string, settings: RunnerSettings = {}): RunnerProcess {
  const { args, execArgv } = runnerArguments(settings);
  const child = fork(entry.endsWith('.ts') ? bundledEntry(entry) : entry, args, {
    execArgv,
    // the runner talks through IPC only; stderr is read for V8's last words
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // structured clone, as utilityProcess and workers use: typed arrays, NaN and Infinity survive
    serialization: 'advanced',
  });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exitListeners: ((exit: RunnerExit) => void)[] = [];
  let exited: RunnerExit | null = null;
  const reportExit = (code: number | null, signal: string | null): void => {
    if (exited) return;
    exited = { code, signal, outOfMemory: isOutOfMemoryReport(stderrTail) };
    for (const listener of exitListeners) listener(exited);
  };
  // 'close' comes after stderr has been read to its end; 'error' covers a child that never started
  child.on('close', (code, signal) => reportExit(code, signal));
  child.on('error', () => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) reportExit(null, null);
  });
  return {
    post(message) {
      // a closed channel reports through the callback (and then 'close'), never as a throw
      child.send(message as object, () => undefined);
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
