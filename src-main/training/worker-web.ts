// Web Worker entry of the training worker (browser edition). The renderer's browser bridge
// starts it with
//   new Worker(new URL('../../src-main/training/worker-web.ts', import.meta.url), { type: 'module' })
// and exchanges the same contract messages as the Electron edition. Messages come straight
// from the page, so every one is validated here.
import type { GradLabEvent } from '../contract/messages';
import { createTrainingHost } from './worker-core';

/** The part of DedicatedWorkerGlobalScope used here (the project's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const scope = self as unknown as WorkerScope;

const host = createTrainingHost((event: GradLabEvent, transfer?: ArrayBuffer[]) => {
  scope.postMessage(event, transfer ?? []);
});

scope.addEventListener('message', (event: MessageEvent) => host.handleMessage(event.data));
