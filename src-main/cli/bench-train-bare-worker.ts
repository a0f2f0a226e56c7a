// Worker entry for the bare side of `npm run bench:train` (see bench-train-bare.ts):
// { type: 'data', x, y } makes the loop's tensors; { type: 'run', epochs } answers with the Measured.
import { parentPort } from 'node:worker_threads';
import { BareLoop } from './bench-train-bare';

if (!parentPort) throw new Error('bench-train-bare-worker.ts must run inside a worker_threads Worker');
const port = parentPort;
let loop: BareLoop | null = null;

port.on('message', (message: { type: 'data'; x: Float32Array; y: Float32Array } | { type: 'run'; epochs: number }) => {
  if (message.type === 'data') {
    loop = new BareLoop(message.x, message.y);
    port.postMessage({ type: 'ready' });
  } else {
    port.postMessage({ type: 'measured', measured: loop!.run(message.epochs) });
  }
});
