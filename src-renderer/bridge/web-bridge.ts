// Browser edition: the same requests and events as Electron, carried by Web Workers.
// Training runs in one long-lived worker, watched by a heartbeat (a hung worker is replaced,
// as the desktop's supervisor does). Each Python program runs in a worker that Stop terminates
// outright, so even `while True:` ends at once; a spare one waits for the next program and
// warms up the runner while it waits (python/warm-up.ts).
import type { GradLabBridge, GradLabEvent, Request } from '../../src-main/contract/messages';
import { startHeartbeat, HEARTBEAT_RUN_ID, type Heartbeat } from '../../src-main/contract/heartbeat';

type Listener = (event: GradLabEvent) => void;

function spawnTrainingWorker(): Worker {
  return new Worker(new URL('../../src-main/training/worker-web.ts', import.meta.url), { type: 'module', name: 'gradlab-training' });
}

function spawnPythonWorker(): Worker {
  return new Worker(new URL('../../src-main/python/worker-web.ts', import.meta.url), { type: 'module', name: 'gradlab-python' });
}

/** What the bridge needs of a worker (a Web Worker; tests pass stand-ins). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror'>;

export interface WebBridgeOptions {
  spawnTraining?: () => WorkerLike;
  spawnPython?: () => WorkerLike;
  /** Heartbeat timing (defaults: a ping a second, 10 s of silence means hung). */
  heartbeat?: { intervalMs?: number; timeoutMs?: number; startupTimeoutMs?: number };
  /** How long after the page opens, or a program ends, the spare Python worker starts (default 1.5 s). */
  spareDelayMs?: number;
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
  const replaceTraining = (worker: WorkerLike, reason: string) => {
    worker.terminate();
    if (trainingWorker !== worker) return;
    trainingWorker = null;
    heartbeat?.stop();
    heartbeat = null;
    // the window keeps what it has; the next request starts a fresh worker
    emit({ type: 'workerRestarted', runId: lastTrainingRunId, reason });
  };
  const training = (): WorkerLike => {
    if (trainingWorker) return trainingWorker;
    const worker = newTrainingWorker();
    const beat = startHeartbeat({
      ...options.heartbeat,
      sendPing: (seq) => worker.postMessage({ type: 'ping', runId: HEARTBEAT_RUN_ID, seq }),
      onHung: (silentMs) =>
        replaceTraining(worker, `The training worker stopped responding (no answer for ${Math.round(silentMs / 1000)} s) and was restarted.`),
    });
    worker.onmessage = (e: MessageEvent<GradLabEvent>) => {
      if (!beat.received(e.data)) emit(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      replaceTraining(worker, e.message || 'The training worker stopped unexpectedly.');
    };
    trainingWorker = worker;
    heartbeat = beat;
    return worker;
  };

  let pythonWorker: WorkerLike | null = null;
  let sparePython: WorkerLike | null = null;
  let pythonRunId = '';
  // The spare starts a moment later, so its warm-up does not compete with the page loading or
  // with what the learner does right after a cell ends (on a two-core laptop it would).
  const spareDelayMs = options.spareDelayMs ?? 1500;
  let spareTimer: ReturnType<typeof setTimeout> | null = null;
  const prepareSparePython = () => {
    if (sparePython || spareTimer !== null) return;
    spareTimer = setTimeout(() => {
      spareTimer = null;
      sparePython ??= newPythonWorker();
    }, spareDelayMs);
  };
  const stopPython = (announce: boolean) => {
    if (!pythonWorker) return;
    pythonWorker.terminate();
    pythonWorker = null;
    prepareSparePython();
    if (announce) emit({ type: 'pyDone', runId: pythonRunId, ok: false, stopped: true });
  };

  prepareSparePython();
  return {
    platform: 'web',
    send(request: Request) {
      switch (request.type) {
        case 'runPython': {
          stopPython(true);
          if (spareTimer !== null) clearTimeout(spareTimer);
          spareTimer = null;
          const worker = sparePython ?? newPythonWorker();
          sparePython = null;
          pythonRunId = request.runId;
          worker.onmessage = (e: MessageEvent<GradLabEvent>) => {
            emit(e.data);
            if (e.data.type === 'pyDone' && pythonWorker === worker) {
              worker.terminate();
              pythonWorker = null;
              prepareSparePython();
            }
          };
          worker.onerror = (e) => {
            e.preventDefault();
            if (pythonWorker === worker) pythonWorker = null;
            worker.terminate();
            prepareSparePython();
            emit({ type: 'pyDone', runId: request.runId, ok: false, errorLine: `InternalError: ${e.message}` });
          };
          pythonWorker = worker;
          worker.postMessage(request);
          return;
        }
        case 'stopPython':
          if (request.runId === pythonRunId) stopPython(true);
          return;
        default: {
          lastTrainingRunId = request.runId;
          // Structured clone copies x and y: the window keeps its own data while the run works on its copy.
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
