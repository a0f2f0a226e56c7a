// Entry of the Python runner's own process: Electron's utilityProcess on the desktop,
// child_process.fork in Node (the pyrun CLI, tests). It receives `runPython` requests and posts
// pyOutput / pyDone events; the host kills it to stop a program and after each program, so a
// learner's program that exhausts memory or crashes V8 takes only this process down.
//
// Arguments (set by the host's spawner):
//   --warm-up=idle    warm up in slices while waiting as the spare (the app; the default)
//   --warm-up=before  warm up fully before the first program (pyrun: its timing is the program's)
//   --warm-up=off     no warm-up (`pyrun --no-warm-up`)
//   --memory-mb=N     the program's memory budget (tensors and Python objects together)
import type { GradLabEvent } from '../../contract/messages';
import { validateRequest } from '../../contract/validate-request';
import { answerRefusedRequest, createPythonWorkerCore } from '../worker-core';
import { warmUpRunner, warmUpWhileIdle } from '../warm-up';
import { nodeMemoryMeter } from './node-memory.node.js';

/** Electron's utilityProcess gives the child `process.parentPort`; Node's fork gives `process.send`. */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Channel {
  post(event: GradLabEvent): void;
  listen(handler: (message: unknown) => void): void;
}

function parentChannel(): Channel {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return { post: (event) => port.postMessage(event), listen: (handler) => port.on('message', (message) => handler(message.data)) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('runner-process.node.ts must be started by a Python host (utilityProcess or child_process.fork)');
  // Without its host the runner has no purpose: end with it rather than linger.
  process.on('disconnect', () => process.exit(0));
  return { post: (event) => void send(event), listen: (handler) => process.on('message', handler) };
}

const argument = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const warmUp = argument('warm-up') ?? 'idle';
const memoryMb = Number(argument('memory-mb'));
const channel = parentChannel();
const core = createPythonWorkerCore((event) => channel.post(event), {
  ...(Number.isFinite(memoryMb) && memoryMb > 0 ? { memoryBudget: memoryMb * 1024 * 1024 } : {}),
  memoryMeter: nodeMemoryMeter(),
});

if (warmUp === 'before') warmUpRunner();

let requested = false;
channel.listen((message) => {
  requested = true;
  const checked = validateRequest(message);
  if (!checked.ok) {
    channel.post(answerRefusedRequest(message, checked.error));
    return;
  }
  core.handle(checked.request);
});

// While this process waits as the spare for the next cell, compile the runner's hot paths (see
// warm-up.ts) so that cell's training loop runs at full speed from its first epoch.
if (warmUp === 'idle') warmUpWhileIdle(() => requested);
