// The desktop's training worker: a utilityProcess (a Node.js child process started through
// Chromium's service API), adapted to the supervisor's TrainingProcess. A V8 fatal error in
// training (an array past V8's largest size, an allocation V8 cannot make, its heap limit) ends
// this process only; supervisor.ts reports it to the window and starts a fresh one. The same
// supervisor runs on child_process.fork in tests (training/fork-training.node.ts).
import { utilityProcess } from 'electron';
import { isOutOfMemoryReport, STDERR_TAIL_CHARS, trainingExecArgv, type TrainingExit, type TrainingProcess } from '../training/training-process';

/** Starts the bundled training worker (dist/main/training-worker.cjs); only after app 'ready'. */
export function utilityTraining(entry: string): TrainingProcess {
  const child = utilityProcess.fork(entry, [], {
    // Only V8's heap limit: a bounded heap, and no --inspect or other flags (the packaged app's
    // fuses refuse those anyway).
    execArgv: trainingExecArgv(),
    // Shown in the OS's task manager, so a learner can tell what the extra process is.
    serviceName: 'GradLab training',
    // No input; its log goes where main's goes; stderr is read for V8's last words (out of memory).
    stdio: ['ignore', 'inherit', 'pipe'],
    // macOS: no native library that is not signed as the app is (the default, said out loud: the
    // worker loads only the app's own bundled JavaScript).
    allowLoadingUnsignedLibraries: false,
  });
  // The window never talks to this process: main validates every request before posting it here,
  // and the worker's events come back to main, which forwards them on the window's event port.
  let report = '';
  child.stderr?.on('data', (chunk: Buffer | string) => {
    report = (report + String(chunk)).slice(-STDERR_TAIL_CHARS);
  });
  let fatal: string | undefined;
  // V8's fatal errors (its heap limit, an allocation it cannot satisfy) come with their location
  child.on('error', (_type, location) => {
    fatal = location;
    report += `\n${location}`;
  });
  const listeners: ((exit: TrainingExit) => void)[] = [];
  let exited: TrainingExit | null = null;
  child.on('exit', (code) => {
    exited = { code, signal: null, outOfMemory: isOutOfMemoryReport(report), ...(fatal ? { reason: fatal } : {}) };
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
