// Web Worker entry of the Python runner (browser edition). The page creates it with
// `new Worker(new URL('./worker-web.ts', import.meta.url), { type: 'module' })`, posts
// `runPython` requests and receives pyOutput / pyDone events; Stop = worker.terminate().
import { validateRequest, type GradLabEvent } from '../training/protocol';
import { createPythonWorkerCore } from './worker-core';
import { warmUpRunner } from './warm-up';

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
declare const self: WorkerScope;

const core = createPythonWorkerCore((event: GradLabEvent) => self.postMessage(event));

self.onmessage = (event) => {
  const checked = validateRequest(event.data);
  if (!checked.ok) {
    const runId = typeof (event.data as { runId?: unknown })?.runId === 'string' ? (event.data as { runId: string }).runId : 'unknown';
    self.postMessage({ type: 'error', runId, message: checked.error } satisfies GradLabEvent);
    return;
  }
  core.handle(checked.request);
};

// Compile the runner's hot paths before the learner's first program (see warm-up.ts), so its
// training loop runs at full speed from the first epoch; a request that arrives meanwhile waits.
setTimeout(() => warmUpRunner(), 0);
