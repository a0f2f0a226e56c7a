// Web Worker entry of the training worker (browser edition). The renderer's browser bridge
// starts it with
//   new Worker(new URL('../../src-main/training/worker-web.ts', import.meta.url), { type: 'module' })
// and exchanges the same contract messages as the Electron edition. Messages come straight
// from the page, so every one is validated here. Compiled with the WebWorker library
// (src-main/tsconfig.webworker.json): postMessage and addEventListener are this worker's own.
import type { GradLabEvent } from '../contract/messages';
import { createTrainingHost } from './worker-core';

/** The next event-loop turn without setTimeout's 4 ms clamping: a message to ourselves. */
function messageChannelTurn(): (fn: () => void) => void {
  const channel = new MessageChannel();
  const queue: Array<() => void> = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

const host = createTrainingHost((event: GradLabEvent, transfer?: ArrayBuffer[]) => postMessage(event, transfer ?? []), {
  nextTurn: messageChannelTurn(),
});

addEventListener('message', (event) => host.handleMessage(event.data));
