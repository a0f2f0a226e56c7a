// A training worker for the supervisor's fault tests: the real host, except that starting a run
// whose id is "throw" throws an uncaught exception inside the worker, "exit" ends the worker's
// thread with exit code 3 (the way a crash would), and "hang" starts the run for real and then,
// once it has streamed an update past epoch 0, gets stuck in an endless loop (the thread stays alive and
// never answers again: neither an error nor an exit, only the heartbeat can notice), and "heap"
// fills the thread's V8 heap until V8 gives up (Node then ends this thread, not the process).
import { parentPort } from 'node:worker_threads';
import { createTrainingHost } from '../../../src-main/training/worker-core';

const port = parentPort!;
/** Set by the "hang" run: the thread gets stuck once an update past epoch 0 has gone out. */
let hangArmed = false;
const host = createTrainingHost(
  (event, transfer) => {
    port.postMessage(event, transfer ?? []);
    if (hangArmed && event.type === 'update' && event.runId === 'hang' && event.epoch > 0) {
      hangArmed = false;
      setImmediate(() => {
        // An endless loop the optimiser cannot remove (it reads the clock every turn).
        while (performance.now() > 0) {
          // spin
        }
      });
    }
  },
  { nextTurn: (fn) => void setImmediate(fn) },
);
port.on('message', (message: { type: string; runId: string }) => {
  if (message.type === 'start' && message.runId === 'throw') {
    setImmediate(() => {
      throw new Error('simulated bug in the training worker');
    });
    return;
  }
  if (message.type === 'start' && message.runId === 'exit') process.exit(3);
  if (message.type === 'start' && message.runId === 'heap') {
    const rows: number[][] = [];
    for (;;) rows.push(new Array<number>(100_000).fill(rows.length));
  }
  // (after a streamed update rather than after a while: a loaded machine may not stream one in time)
  if (message.type === 'start' && message.runId === 'hang') hangArmed = true;
  host.handleMessage(message);
});
