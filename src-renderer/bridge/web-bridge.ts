// Browser edition: the same requests and events as Electron, carried by Web Workers.
// Training runs in one long-lived worker; each Python program runs in a worker that Stop
// terminates outright, so even `while True:` ends at once.
import type { GradLabBridge, GradLabEvent, Request } from '../../src-main/training/protocol';

type Listener = (event: GradLabEvent) => void;

function spawnTrainingWorker(): Worker {
  return new Worker(new URL('../../src-main/training/worker-web.ts', import.meta.url), { type: 'module', name: 'gradlab-training' });
}

function spawnPythonWorker(): Worker {
  return new Worker(new URL('../../src-main/python/worker-web.ts', import.meta.url), { type: 'module', name: 'gradlab-python' });
}

export function createWebBridge(): GradLabBridge {
  const listeners = new Set<Listener>();
  const emit = (event: GradLabEvent) => {
    for (const listener of listeners) listener(event);
  };

  let trainingWorker: Worker | null = null;
  let lastTrainingRunId = '';
  const training = (): Worker => {
    if (trainingWorker) return trainingWorker;
    const worker = spawnTrainingWorker();
    worker.onmessage = (e: MessageEvent<GradLabEvent>) => emit(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      if (trainingWorker === worker) trainingWorker = null;
      emit({ type: 'workerRestarted', runId: lastTrainingRunId, reason: e.message || 'The training worker stopped unexpectedly.' });
    };
    trainingWorker = worker;
    return worker;
  };

  let pythonWorker: Worker | null = null;
  let pythonRunId = '';
  const stopPython = (announce: boolean) => {
    if (!pythonWorker) return;
    pythonWorker.terminate();
    pythonWorker = null;
    if (announce) emit({ type: 'pyDone', runId: pythonRunId, ok: false, stopped: true });
  };

  return {
    platform: 'web',
    send(request: Request) {
      switch (request.type) {
        case 'runPython': {
          stopPython(true);
          const worker = spawnPythonWorker();
          pythonRunId = request.runId;
          worker.onmessage = (e: MessageEvent<GradLabEvent>) => {
            emit(e.data);
            if (e.data.type === 'pyDone' && pythonWorker === worker) {
              worker.terminate();
              pythonWorker = null;
            }
          };
          worker.onerror = (e) => {
            e.preventDefault();
            if (pythonWorker === worker) pythonWorker = null;
            worker.terminate();
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
