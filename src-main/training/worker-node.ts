// Node entry of the training worker (worker_threads): the supervisor starts this file (or its
// bundle) and exchanges the contract's messages with it over parentPort.
import { parentPort } from 'node:worker_threads';
import type { GradLabEvent } from '../contract/messages';
import { createTrainingHost } from './worker-core';
import { threadCpuClock } from './thread-cpu-node';

if (!parentPort) {
  throw new Error('worker-node.ts must run inside a worker_threads Worker (start it through the training supervisor).');
}
const port = parentPort;

const host = createTrainingHost(
  (event: GradLabEvent, transfer?: ArrayBuffer[]) => {
    port.postMessage(event, transfer ?? []);
  },
  // The run's thread CPU time goes into `finished.stats.cpuMs` (bench:train shows it next to wall time).
  { threadCpuMs: threadCpuClock(), nextTurn: (fn) => void setImmediate(fn) },
);

// Messages were validated by the supervisor already; validating again is cheap and keeps the
// worker safe if someone else ever posts to it.
port.on('message', (message: unknown) => host.handleMessage(message));
