// Worker entry of `npm run bench:train`: the real training worker (worker-node.ts, unchanged,
// on parentPort) plus the bare loop (bench-train-bare.ts) on a second port from workerData, so
// the bench can time both in one thread: same isolate, same compiled engine code, same moments
// of the machine. On the bench port: { type: 'data', x, y } makes the loop's tensors and
// answers { type: 'ready' }; { type: 'run', epochs } answers { type: 'measured', measured }.
import { workerData, type MessagePort } from 'node:worker_threads';
import '../training/worker-node';
import { BareLoop } from './bench-train-bare';

const benchPort = (workerData as { benchPort?: MessagePort } | null)?.benchPort;
if (!benchPort) throw new Error('bench-train-worker.ts needs workerData.benchPort (bench-train.ts passes one)');
const port = benchPort;
let loop: BareLoop | null = null;

port.on('message', (message: { type: 'data'; x: Float32Array; y: Float32Array } | { type: 'run'; epochs: number }) => {
  if (message.type === 'data') {
    loop = new BareLoop(message.x, message.y);
    port.postMessage({ type: 'ready' });
  } else {
    if (!loop) throw new Error('bench-train-worker: send { type: "data" } before { type: "run" }');
    port.postMessage({ type: 'measured', measured: loop.run(message.epochs) });
  }
});
