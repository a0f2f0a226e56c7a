// Node entry of the training worker. The app runs it as a process of its own (Electron's
// utilityProcess on the desktop, child_process.fork in the CLI and the tests; bundled as
// dist/main/training-worker.cjs), so a V8 fatal error in training ends only this process;
// `npm run bench:train` runs it in a worker_threads thread. It exchanges the contract's messages
// with the supervisor over whichever channel it was started with (worker-channel-node.ts).
import type { GradLabEvent } from '../contract/messages';
import { createTrainingHost } from './worker-core';
import { threadCpuClock } from './thread-cpu-node';
import { supervisorChannel } from './worker-channel-node';

const channel = supervisorChannel();
const host = createTrainingHost(
  (event: GradLabEvent, transfer?: ArrayBuffer[]) => channel.post(event, transfer),
  // The run's thread CPU time goes into `finished.stats.cpuMs` (bench:train shows it next to wall time).
  { threadCpuMs: threadCpuClock(), nextTurn: (fn) => void setImmediate(fn) },
);

// Messages were validated by the supervisor already; validating again is cheap and keeps the
// worker safe if someone else ever posts to it.
channel.listen((message) => host.handleMessage(message));
