// worker_threads entry of the Python runner (Electron main / Node). The host creates
// `new Worker(url_of_this_file)`, posts `runPython` requests and receives pyOutput / pyDone
// events; Stop = worker.terminate() (ends even `while True: pass` at once), then a fresh worker.
import { parentPort } from 'node:worker_threads';
import type { GradLabEvent } from '../contract/messages';
import { validateRequest } from '../contract/validate-request';
import { createPythonWorkerCore } from './worker-core';
import { warmUpWhileIdle } from './warm-up';

if (!parentPort) throw new Error('worker-node.ts must run inside a worker_threads Worker');
const port = parentPort;

const core = createPythonWorkerCore((event: GradLabEvent) => port.postMessage(event));

let requested = false;
port.on('message', (message: unknown) => {
  requested = true;
  const checked = validateRequest(message);
  if (!checked.ok) {
    const runId = typeof (message as { runId?: unknown })?.runId === 'string' ? (message as { runId: string }).runId : 'unknown';
    port.postMessage({ type: 'error', runId, message: checked.error } satisfies GradLabEvent);
    return;
  }
  core.handle(checked.request);
});

// While this worker waits as the spare for the next cell, compile the runner's hot paths (see
// warm-up.ts) so that cell's training loop runs at full speed from its first epoch.
warmUpWhileIdle(() => requested);
