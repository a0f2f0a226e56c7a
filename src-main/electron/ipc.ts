// Every message from the window passes through here: validated against the one contract,
// then routed to the training supervisor or the Python host. Plain functions, no Electron,
// so the validation is tested without a window.
import type { GradLabEvent, Request, RunId } from '../contract/messages';
import { validateRequest } from '../contract/validate-request';

export interface TrainingTarget {
  send(request: Request): void;
}

export interface PythonTarget {
  /** recordGraph: also record the autograd graph (sent back in pyDone.graph). */
  run(runId: RunId, source: string, recordGraph?: boolean): void;
  stop(runId: RunId): void;
}

export interface RouterDeps {
  training: TrainingTarget;
  python: PythonTarget;
  emit(event: GradLabEvent): void;
}

/** Returns a handler for one raw message; false when it was refused. */
export function createRequestRouter(deps: RouterDeps): (raw: unknown) => boolean {
  return (raw) => {
    const checked = validateRequest(raw);
    if (!checked.ok) {
      deps.emit({ type: 'error', runId: runIdOf(raw), message: `Refused a malformed request from the window. ${checked.error}` });
      return false;
    }
    const request = checked.request;
    switch (request.type) {
      case 'runPython':
        deps.python.run(request.runId, request.source, request.recordGraph === true);
        break;
      case 'stopPython':
        deps.python.stop(request.runId);
        break;
      default:
        deps.training.send(request);
    }
    return true;
  };
}

function runIdOf(raw: unknown): RunId {
  if (raw && typeof raw === 'object' && 'runId' in raw) {
    const id = (raw as { runId: unknown }).runId;
    if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  }
  return 'unknown';
}
