// Which request does what: each control is checked against the current run (the right run id,
// a run that can still train) and handed to the host's action for it; anything else is answered
// with an error that says what to do instead. The actions themselves (worker-core.ts) know
// nothing about requests.
import type { Request, RunId, TrainConfig } from '../contract/messages';
import { isLive, type Run } from './run';

/** What the controls act on. */
export interface ControlTarget {
  /** The current run, or null before the first start. */
  readonly current: Run | null;
  start(runId: RunId, config: TrainConfig): void;
  pause(run: Run): void;
  resume(run: Run): void;
  step(run: Run, count: number): void;
  stop(run: Run): void;
  reset(run: Run): void;
  /** The two settings that change the numbers (an exported script replays them). */
  changeSetting(run: Run, change: { learningRate: number } | { skipZeroGrad: boolean }): void;
  setSpeed(run: Run, epochsPerSecond: number | null): void;
  setTargetLoss(run: Run, targetLoss: number | null): void;
  /** The window has drawn the run's first state: a run held for it (TrainConfig.waitForWindow) starts training. */
  windowReady(run: Run): void;
  /**
   * The lab's graph view opened (with the element it follows) or closed. It holds for the runs
   * started later too; `run` is the current run when the request named it (else null).
   */
  watchGraph(run: Run | null, on: boolean, element: number): void;
  /** The graph at a run's values now: the current run (`run`) or the request's data (run null). */
  graphAt(request: Extract<Request, { type: 'graphAt' }>, run: Run | null): void;
  /** A loss landscape, for the run (`run`) or for data sent with the request (run null). */
  landscape(request: Extract<Request, { type: 'landscape' }>, run: Run | null): void;
  /** Heartbeat answer. */
  pong(runId: RunId, seq: number): void;
  error(runId: RunId, message: string): void;
  /** Requests for another worker (runPython, stopPython), when the host has a handler for them. */
  other?: (request: Request) => void;
}

/** The current run when the request names it; otherwise tells the window and returns null. */
function requireRun(request: Request, target: ControlTarget): Run | null {
  const run = target.current;
  if (run && run.id === request.runId) return run;
  const known = run ? ` (the current run is "${run.id}")` : ' (no run has been started)';
  target.error(request.runId, `Cannot ${request.type}: there is no training run "${request.runId}"${known}. Start a run first, or use the runId of the current run.`);
  return null;
}

/** Whether the run can train further; otherwise tells the window why not. */
function canContinue(run: Run, action: string, target: ControlTarget): boolean {
  if (isLive(run)) return true;
  if (run.status === 'finished' && run.trainer.epoch < run.totalEpochs) return true; // stopped at the target loss
  const why =
    run.status === 'diverged'
      ? 'it diverged (the loss became nan or inf); lower the learning rate and reset it'
      : run.status === 'stopped'
        ? 'it was stopped; reset it or start a new run'
        : `all ${run.totalEpochs} epochs are done; reset it or start a new run with more epochs`;
  target.error(run.id, `Cannot ${action} run "${run.id}": ${why}.`);
  return false;
}

export function dispatchControl(request: Request, target: ControlTarget): void {
  switch (request.type) {
    case 'start':
      return target.start(request.runId, request.config);
    case 'ping':
      // Answered between two slices of epochs: proof that the worker is not stuck.
      return target.pong(request.runId, request.seq);
    case 'landscape':
      // with its own data it needs no run
      if (request.data) return target.landscape(request, null);
      break;
    case 'runPython':
    case 'stopPython':
      if (target.other) return target.other(request);
      return target.error(request.runId, `${request.type} is not handled by the training worker: send it to the Python runner.`);
  }
  // The lab's graph view may open before any run (its runs record graphs from their first epoch);
  // a landscape asked just after its run was replaced or reset is a harmless race, not an error
  // (an error would stop the window's new run).
  if (request.type === 'watchGraph') return target.watchGraph(target.current?.id === request.runId ? target.current : null, request.on, request.element);
  if (request.type === 'landscape' && target.current?.id !== request.runId) return;
  // the window's acknowledgement of a run it has already replaced: nothing waits for it
  if (request.type === 'windowReady') {
    if (target.current?.id === request.runId) target.windowReady(target.current);
    return;
  }
  // the window sends the values it has, for a run the worker no longer holds (replaced, restored)
  if (request.type === 'graphAt') return target.graphAt(request, target.current?.id === request.runId ? target.current : null);
  const run = requireRun(request, target);
  if (!run) return;
  switch (request.type) {
    case 'pause':
      // Pausing or stopping a run that already ended is a harmless race with its last epoch.
      if (isLive(run)) target.pause(run);
      return;
    case 'stop':
      if (isLive(run)) target.stop(run);
      return;
    case 'resume':
      if (canContinue(run, 'resume', target)) target.resume(run);
      return;
    case 'step':
      if (canContinue(run, 'step', target)) target.step(run, request.count);
      return;
    case 'reset':
      return target.reset(run);
    case 'setLearningRate':
      return target.changeSetting(run, { learningRate: request.learningRate });
    case 'setSkipZeroGrad':
      return target.changeSetting(run, { skipZeroGrad: request.skipZeroGrad });
    case 'setSpeed':
      return target.setSpeed(run, request.epochsPerSecond);
    case 'setTargetLoss':
      return target.setTargetLoss(run, request.targetLoss);
    case 'landscape':
      return target.landscape(request, run);
  }
}
