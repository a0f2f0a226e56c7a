// The desktop's Python runner: a utilityProcess (a Node.js child process started through
// Chromium's service API), adapted to the host's RunnerProcess. A learner's program that
// exhausts memory or crashes V8 ends this process only; python-host.ts reports it and starts
// a fresh one. The same host runs on child_process.fork in tests (fork-runner.node.ts).
import { utilityProcess } from 'electron';
import { isOutOfMemoryReport, type RunnerExit, type RunnerProcess } from '../python/host/python-host';
import { runnerArguments, type RunnerSettings } from '../python/host/runner-settings';

const STDERR_TAIL_CHARS = 4096;

/** Starts the bundled runner (dist/main/python-runner.cjs); only after app 'ready'. */
export function utilityRunner(entry: string, settings: RunnerSettings = {}): RunnerProcess {
  const { args, execArgv } = runnerArguments(settings);
  const child = utilityProcess.fork(entry, args, { execArgv, serviceName: 'GradLab Python runner', stdio: ['ignore', 'ignore', 'pipe'] });
  let report = '';
  child.stderr?.on('data', (chunk: Buffer | string) => {
    report = (report + String(chunk)).slice(-STDERR_TAIL_CHARS);
  });
  // V8's fatal errors (its heap limit, an allocation it cannot satisfy) come with their location
  child.on('error', (_type, location) => {
    report += `\n${location}`;
  });
  const listeners: ((exit: RunnerExit) => void)[] = [];
  let exited: RunnerExit | null = null;
  child.on('exit', (code) => {
    exited = { code, signal: null, outOfMemory: isOutOfMemoryReport(report) };
    for (const listener of listeners) listener(exited);
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
