// worker_threads entry of the Python runner (Electron main / Node). The host creates
// `new Worker(url_of_this_file)`, posts `runPython` requests and receives pyOutput / pyDone
// events; Stop = worker.terminate() (ends even `while True: pass` at once), then a fresh worker.
import { parentPort } from 'node:worker_threads';
import { validateRequest, type GradLabEvent } from '../training/protocol';
import { createPythonWorkerCore } from './worker-core';
import { warmUpRunner } from './warm-up';

if (!parentPort) throw new Error('worker-node.ts must run inside a worker_threads Worker');
const port = parentPort;

const core = createPythonWorkerCore((event: GradLabEvent) => port.postMessage(event));

port.on('message', (message: unknown) => {
  const checked = validateRequest(message);
  if (!checked.ok) {
    const runId = typeof (message as { runId?: unknown })?.runId === 'string' ? (message as { runId: string }).runId : 'unknown';
    port.postMessage({ type: 'error', runId, message: checked.error } satisfies GradLabEvent);
    return;
  }
  core.handle(checked.request);
});

// Compile the runner's hot paths before the learner's first program (see warm-up.ts), so its
// training loop runs at full speed from the first epoch; a request that arrives meanwhile waits.
setTimeout(() => warmUpRunner(), 0);
