// Web Worker entry of the Python runner (browser edition). The page creates it with
// `new Worker(new URL('./worker-web.ts', import.meta.url), { type: 'module' })`, posts
// `runPython` requests and receives pyOutput / pyDone events; Stop = worker.terminate().
import type { GradLabEvent } from '../contract/messages';
import { validateRequest } from '../contract/validate-request';
import { answerRefusedRequest, createPythonWorkerCore } from './worker-core';
import { warmUpWhileIdle } from './warm-up';

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
declare const self: WorkerScope;

const core = createPythonWorkerCore((event: GradLabEvent) => self.postMessage(event));

let requested = false;
self.onmessage = (event) => {
  requested = true;
  const checked = validateRequest(event.data);
  if (!checked.ok) {
    self.postMessage(answerRefusedRequest(event.data, checked.error));
    return;
  }
  core.handle(checked.request);
};

// While this worker waits as the spare for the next cell, compile the runner's hot paths (see
// warm-up.ts) so that cell's training loop runs at full speed from its first epoch.
warmUpWhileIdle(() => requested);
