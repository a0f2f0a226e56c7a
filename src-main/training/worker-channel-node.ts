// How a training worker talks to its supervisor, whichever way it was started: a worker_threads
// thread (parentPort), Electron's utilityProcess (process.parentPort) or child_process.fork
// (process.send, with 'advanced' serialization: structured clone, as the other two use).
import { parentPort } from 'node:worker_threads';
import type { GradLabEvent } from '../contract/messages';

export interface WorkerChannel {
  /** Posts an event; `transfer` moves its buffers where the channel can (a thread's port). */
  post(event: GradLabEvent, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: unknown) => void): void;
}

/** Electron's utilityProcess gives the child `process.parentPort` (messages arrive as `{ data }`). */
interface UtilityParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function supervisorChannel(): WorkerChannel {
  if (parentPort) {
    const port = parentPort;
    return { post: (event, transfer) => port.postMessage(event, transfer ?? []), listen: (handler) => port.on('message', handler) };
  }
  // Between processes a message is copied (structured clone), so there is nothing to transfer.
  const utility = (process as unknown as { parentPort?: UtilityParentPort }).parentPort;
  if (utility) {
    return { post: (event) => utility.postMessage(event), listen: (handler) => utility.on('message', (message) => handler(message.data)) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('a training worker must be started by the training supervisor (a utilityProcess, child_process.fork or a worker thread)');
  // Without its supervisor the worker has no purpose: end with it rather than linger.
  process.on('disconnect', () => process.exit(0));
  return { post: (event) => void send(event), listen: (handler) => process.on('message', handler) };
}
