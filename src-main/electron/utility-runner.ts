// The desktop's Python runner: a utilityProcess (utility-worker.ts) adapted to the host's
// RunnerProcess. A learner's program that exhausts memory or crashes V8 ends this process only;
// python-host.ts reports it and starts a fresh one. The same host runs on child_process.fork in
// tests (fork-runner.node.ts).
import { isOutOfMemoryReport, type RunnerProcess } from '../python/host/python-host';
import { runnerArguments, type RunnerSettings } from '../python/host/runner-settings';
import { utilityWorker } from './utility-worker';

/** Starts the bundled runner (dist/main/python-runner.cjs); only after app 'ready'. */
export function utilityRunner(entry: string, settings: RunnerSettings = {}): RunnerProcess {
  const { args, execArgv } = runnerArguments(settings);
  return utilityWorker(entry, { args, execArgv, serviceName: 'GradLab Python runner', isOutOfMemory: isOutOfMemoryReport });
}
