// Browser edition: the same requests and events as Electron, carried by Web Workers.
// Training runs in one long-lived worker, watched by a heartbeat (a hung worker is replaced,
// as the desktop's supervisor does). It is started a moment after the page opens, not on the
// first Run: starting a worker (its thread, its module) on Run put that work on the run's first
// frames. Each Python program runs in a worker of its own under the
// desktop's Python host (python/host/python-host.ts): Stop terminates it outright, so even
// `while True:` ends at once, a worker that fails is reported and replaced, and a spare one waits
// for the next program and warms up the runner while it waits (python/warm-up.ts).
import type { GradLabBridge, GradLabEvent, Request, WorkerLostCause } from '../../src-main/contract/messages';
import { startHeartbeat, HEARTBEAT_RUN_ID, type Heartbeat } from '../../src-main/contract/heartbeat';
import { createPythonHost, isOutOfMemoryReport, type RunnerExit, type RunnerProcess } from '../../src-main/python/host/python-host';

type Listener = (event: GradLabEvent) => void;

function spawnTrainingWorker(): Worker {
  return new Worker(new URL('../../src-main/training/worker-web.ts', import.meta.url), { type: 'module', name: 'gradlab-training' });
}

function spawnPythonWorker(): Worker {
  return new Worker(new URL('../../src-main/python/worker-web.ts', import.meta.url), { type: 'module', name: 'gradlab-python' });
}

/** What the bridge needs of a worker (a Web Worker; tests pass stand-ins). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror'>;

/**
 * A Python Web Worker as one of the host's runners. A worker that fails (an error it did not
 * catch, a failed allocation) is terminated and reported as ended, so the host tells the cell and
 * uses a fresh worker next time. (A worker that exhausts V8's heap takes the whole tab down in
 * Chromium, which no page can catch: the runner's memory budget is what prevents that.)
 */
function webWorkerRunner(worker: WorkerLike): RunnerProcess {
  let exited: RunnerExit | null = null;
  const exitListeners: ((exit: RunnerExit) => void)[] = [];
  const end = (exit: RunnerExit) => {
    if (exited) return;
    exited = exit;
    worker.terminate();
    for (const listener of exitListeners) listener(exit);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    const message = e.message || 'the worker failed';
    end({ code: null, signal: null, outOfMemory: isOutOfMemoryReport(message), reason: message });
  };
  return {
    post: (message) => worker.postMessage(message),
    onMessage(listener) {
      worker.onmessage = (e: MessageEvent<GradLabEvent>) => listener(e.data);
    },
    onExit(listener) {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    kill: () => end({ code: null, signal: null, outOfMemory: false, reason: 'terminated' }),
  };
}

export interface WebBridgeOptions {
  spawnTraining?: () => WorkerLike;
  spawnPython?: () => WorkerLike;
  /** Heartbeat timing (defaults: a ping a second, 10 s of silence means hung). */
  heartbeat?: { intervalMs?: number; timeoutMs?: number; startupTimeoutMs?: number };
  /** How long after the page opens, or a program ends, the spare Python worker starts (default 1.5 s). */
  spareDelayMs?: number;
  /** How long after the page opens, or a worker was replaced, the training worker starts if no request started it (default 1 s). */
  trainingStartDelayMs?: number;
}

export function createWebBridge(options: WebBridgeOptions = {}): GradLabBridge {
  const newTrainingWorker = options.spawnTraining ?? spawnTrainingWorker;
  const newPythonWorker = options.spawnPython ?? spawnPythonWorker;
  const listeners = new Set<Listener>();
  const emit = (event: GradLabEvent) => {
    for (const listener of listeners) listener(event);
  };

  let trainingWorker: WorkerLike | null = null;
  let heartbeat: Heartbeat | null = null;
  let lastTrainingRunId = '';
  let startTimer: ReturnType<typeof setTimeout> | null = null;
  /** Starts the training worker a moment from now, unless a request starts it first. */
  const startTrainingSoon = () => {
    if (startTimer) clearTimeout(startTimer);
    startTimer = setTimeout(() => {
      startTimer = null;
      training();
    }, options.trainingStartDelayMs ?? 1000);
  };
  const replaceTraining = (worker: WorkerLike, cause: WorkerLostCause, reason: string) => {
    worker.terminate();
    if (trainingWorker !== worker) return;
    trainingWorker = null;
    heartbeat?.stop();
    heartbeat = null;
    // the window keeps what it has; a fresh worker starts for the next request (or a moment later)
    emit({ type: 'workerRestarted', runId: lastTrainingRunId, cause, reason });
    startTrainingSoon();
  };
  const training = (): WorkerLike => {
    if (trainingWorker) return trainingWorker;
    if (startTimer) clearTimeout(startTimer);
    startTimer = null;
    const worker = newTrainingWorker();
    const beat = startHeartbeat({
      ...options.heartbeat,
      sendPing: (seq) => worker.postMessage({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq }),
      onHung: (silentMs) =>
        replaceTraining(worker, 'hung', `The training worker stopped responding (no answer for ${Math.round(silentMs / 1000)} s) and was restarted.`),
    });
    worker.onmessage = (e: MessageEvent<GradLabEvent>) => {
      if (!beat.received(e.data)) emit(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const reason = e.message || 'The training worker stopped unexpectedly.';
      replaceTraining(worker, isOutOfMemoryReport(reason) ? 'outOfMemory' : 'crashed', reason);
    };
    trainingWorker = worker;
    heartbeat = beat;
    return worker;
  };

  // Each program in a Web Worker of its own, managed by the same host as the desktop's runner
  // processes (stop, spare, replacement). Its spare starts a moment later, so the warm-up does not
  // compete with the page loading or with what the learner does right after a cell ends.
  startTrainingSoon();

  const python = createPythonHost({
    spawn: () => webWorkerRunner(newPythonWorker()),
    emit,
    spareDelayMs: options.spareDelayMs ?? 1500,
  });

  return {
    platform: 'web',
    send(request: Request) {
      switch (request.type) {
        case 'runPython':
          python.run(request.runId, request.source, request.recordGraph === true);
          return;
        case 'stopPython':
          python.stop(request.runId);
          return;
        default: {
          lastTrainingRunId = request.runId;
          // Structured clone copies x and y: the window keeps its own data while the run works on its
          // copy. (A slice() and a transfer measured no cheaper on the window's thread: ~5 ms either way at 512x512 RGB.)
          training().postMessage(request);
        }
      }
    },
    onEvent(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
