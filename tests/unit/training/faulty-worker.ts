// A training worker for the supervisor's fault tests (test-only: no build bundles it, nothing in
// src-main reaches it): the real host on the real channel, except that starting a run whose id is
//   "throw"        throws an uncaught exception inside the worker;
//   "exit"         ends the worker with exit code 3 (the way a crash would);
//   "hang"         starts the run for real and then, once it has streamed an update past epoch 0,
//                  gets stuck in an endless loop (alive, never answering: only the heartbeat can tell);
//   "heap"         fills V8's heap until V8 gives up: a fatal error ("Reached heap limit"), which
//                  ends the process it happens in (the supervisor starts this one with a small heap);
//   "invalid-size" grows one array past V8's largest (~134M slots): "Fatal JavaScript invalid
//                  size error", which no heap limit or resourceLimits prevents.
import { createTrainingHost } from '../../../src-main/training/worker-core';
import { supervisorChannel } from '../../../src-main/training/worker-channel-node';

const channel = supervisorChannel();
/** Set by the "hang" run: the worker gets stuck once an update past epoch 0 has gone out. */
let hangArmed = false;
const host = createTrainingHost(
  (event, transfer) => {
    channel.post(event, transfer);
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
channel.listen((raw) => {
  const message = raw as { type: string; runId: string };
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
  if (message.type === 'start' && message.runId === 'invalid-size') {
    const slots: number[] = [];
    for (;;) slots.push(0);
  }
  // (after a streamed update rather than after a while: a loaded machine may not stream one in time)
  if (message.type === 'start' && message.runId === 'hang') hangArmed = true;
  host.handleMessage(message);
});
