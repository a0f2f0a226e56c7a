// The training host: runs one training run at a time and answers every control in the contract
// (src-main/contract). Runtime-agnostic (no Node, DOM or Electron imports): worker-node.ts wires it
// to a worker_threads parentPort, worker-web.ts to a Web Worker's own messages, tests call it
// directly. The parts live beside it:
//   slice.ts     the hot loop: epochs in slices of at most `sliceMs` (8 ms), then a yield to the
//                event loop, so a control waits at most one slice (or one epoch, if longer);
//   pacing.ts    speed limit, when updates and pictures are due (at most one update per frame,
//                thinned out when building one gets costly), the measured rate;
//   update.ts    the `update` event itself;
//   controls.ts  which request does what, and the errors for the wrong run or an ended one;
//   wake.ts      when the next slice or flush runs.
// State changes (pause, end of a step, finish, stop, divergence, reset) are posted at once, so
// the final state always arrives, followed by `finished` or `diverged`. A run started with
// `waitForWindow` posts its first state and runs no epoch until the window's `windowReady` (or
// WINDOW_READY_TIMEOUT_MS), so the window draws that state without the training loop beside it.
import type { EventMap, GradLabEvent, Request, RunId, RunStats, TrainConfig } from '../contract/messages';
import { errorMessage } from '../contract/error-message';
import { validateRequest } from '../contract/validate-request';
import { dispatchControl, type ControlTarget } from './controls';
import { createRun, isLive, type Run } from './run';
import { runSlice } from './slice';
import { computeLandscape, inputFromData, LandscapeError } from './landscape';
import { graphAtValues, runValues } from './lab-graph';
import { describeConfigProblem } from './trainer';
import { addPictures, buildUpdate, noteSettingChange } from './update';
import { createWakeScheduler } from './wake';

export type PostEvent = (event: GradLabEvent, transfer?: ArrayBuffer[]) => void;

export interface TrainingHostOptions {
  /** Clock in ms (default performance.now). */
  now?: () => number;
  /** Runs `fn` on the next event-loop turn, between two slices of epochs: setImmediate in Node,
   * a MessageChannel in a Web Worker (no 4 ms clamping); setTimeout(fn, 0) by default. */
  nextTurn?: (fn: () => void) => void;
  /** Longest stretch of epochs between two yields to the event loop (ms). */
  sliceMs?: number;
  /** Shortest time between two streamed updates (ms); 1000/60 by default. */
  frameMs?: number;
  /** Shortest time between two prediction images for image configs (ms). */
  predictionIntervalMs?: number;
  /** w and wGrad are sent in full up to this many values, otherwise as a summary. */
  fullParamLimit?: number;
  /** How many leading indices a summary ParamView lists with their values. */
  summaryIndexCount?: number;
  /** Largest share of time building and posting updates may take before updates thin out. */
  maxStreamingShare?: number;
  /**
   * Requests that are not training controls (runPython, stopPython). Without a handler they
   * are answered with an `error` event naming where they should go.
   */
  onOtherRequest?: (request: Request) => void;
  /** This thread's CPU clock in ms (thread-cpu-node.ts in worker_threads), read at the start and
   * the end of a run to fill `stats.cpuMs`; absent where the platform has none. */
  threadCpuMs?: (() => number) | null;
}

export interface TrainingHost {
  /** A request already validated against the contract (the supervisor does that). */
  handle(request: Request): void;
  /** An untrusted message (Web Worker): validated first; invalid ones get an `error` event. */
  handleMessage(message: unknown): void;
  /** Id of the current run, or null before the first start. */
  readonly runId: RunId | null;
  /** A copy of the current run's full loss history (every epoch), or null without a run. */
  lossHistory(): Float32Array | null;
  /** Stops scheduling; nothing is posted afterwards. */
  dispose(): void;
}

const DEFAULTS = {
  sliceMs: 8,
  frameMs: 1000 / 60,
  predictionIntervalMs: 100,
  fullParamLimit: 64,
  summaryIndexCount: 8,
  maxStreamingShare: 0.015,
};

export function createTrainingHost(post: PostEvent, options: TrainingHostOptions = {}): TrainingHost {
  const settings = { ...DEFAULTS, ...options };
  const clock = options.now ?? (() => performance.now());
  const cpuClock = options.threadCpuMs ?? null;
  const wake = createWakeScheduler({ now: clock, nextTurn: options.nextTurn ?? ((fn) => void setTimeout(fn, 0)), onWake: pump });
  let current: Run | null = null;
  /** The lab's graph view is open (watchGraph): every run records an epoch's graph now and then. */
  let graphView: { element: number } | null = null;
  let disposed = false;

  function emit(event: GradLabEvent, transfer?: ArrayBuffer[]): void {
    if (!disposed) post(event, transfer);
  }

  function sendError(runId: RunId, message: string): void {
    emit({ type: 'error', runId, message });
  }

  // ---- posting ----

  /** Posts the run's state; returns whether it carried the pictures. */
  function postUpdate(run: Run, forcePicture: boolean): boolean {
    const started = clock();
    const { pacing, trainer } = run;
    const rate = pacing.measureRate(started, trainer.epoch, run.status === 'running');
    const { event, transfer } = buildUpdate(run, rate, settings);
    let pictureMs = 0;
    const image = run.config.image;
    if (image && (forcePicture || pacing.pictureDue(started))) {
      const pictureStarted = clock();
      addPictures(event, trainer, image, transfer);
      pictureMs = clock() - pictureStarted;
      pacing.notePicture(started, pictureMs);
      run.owesPicture = false;
    }
    emit(event, transfer);
    run.settingChanges = [];
    run.postedEpoch = event.epoch;
    run.dirty = false;
    const finished = clock();
    run.stats.streamingMs += finished - started;
    run.stats.updates++;
    // Pictures are left out of the update's cost: they have their own budget.
    pacing.noteUpdate(finished, finished - started - pictureMs);
    return event.pictures !== undefined;
  }

  /** Tells the window about a changed setting, coalesced to at most one update per frame. */
  function acknowledge(run: Run): void {
    run.dirty = true;
    wake.wakeAt(run.pacing.nextUpdateAt);
  }

  // ---- how a run ends or stops ----

  function endRun(run: Run, status: 'finished' | 'stopped', reason: EventMap['finished']['reason']): void {
    run.status = status;
    run.stepBudget = null;
    postUpdate(run, true);
    const stats: RunStats = { ...run.stats, wallMs: clock() - run.startedAt };
    if (cpuClock && run.cpuStartedAt !== null) {
      const cpuMs = cpuClock() - run.cpuStartedAt;
      if (Number.isFinite(cpuMs)) stats.cpuMs = cpuMs;
    }
    emit({ type: 'finished', runId: run.id, reason, epoch: run.trainer.epoch, loss: run.trainer.lastLoss ?? Number.NaN, stats });
  }

  function divergeRun(run: Run): void {
    run.status = 'diverged';
    run.stepBudget = null;
    const epoch = run.trainer.epoch + 1;
    const lastFinite = run.history.length > 0 ? run.history.at(run.history.length - 1) : null;
    const learningRate = run.trainer.learningRate;
    postUpdate(run, true);
    const what = Number.isNaN(run.trainer.lastLoss) ? 'nan' : 'inf';
    const before = lastFinite === null ? 'before any finite loss' : `after the last finite loss ${lastFinite}`;
    emit({
      type: 'diverged',
      runId: run.id,
      epoch,
      lastFiniteLoss: lastFinite,
      learningRate,
      message:
        `Training diverged: the loss became ${what} at epoch ${epoch} (${before}). ` +
        `The learning rate ${learningRate} is too large for this data: lower it (try ${learningRate / 10}) and reset.`,
    });
  }

  function pauseRun(run: Run): void {
    run.status = 'paused';
    run.stepBudget = null;
    // The pause is confirmed at once; for image runs the picture of the paused state follows
    // in a second update (computing it would delay the confirmation at 786,432 values).
    if (!postUpdate(run, false) && run.config.image) {
      run.owesPicture = true;
      acknowledge(run);
    }
  }

  function setRunning(run: Run): void {
    const now = clock();
    if (run.status !== 'running') {
      run.status = 'running';
      run.pacing.restartRate(now, run.trainer.epoch);
    }
    run.pacing.anchor(now, run.trainer.epoch);
  }

  // ---- the training loop ----

  function pump(): void {
    const run = current;
    if (!run || disposed) return;
    try {
      pumpRun(run);
    } catch (error) {
      // An engine failure ends this run but keeps the worker (and the window's state) alive.
      sendError(run.id, `Training failed at epoch ${run.trainer.epoch + 1}: ${errorMessage(error)}`);
      if (isLive(run)) endRun(run, 'stopped', 'stopped');
    }
  }

  /**
   * The run's epochs may start: the window said it has drawn the run's first state, or waiting for
   * that timed out, or the learner resumed or stepped it. The wait does not count in its rate.
   */
  function releaseHold(run: Run, now: number): void {
    if (run.heldUntil === null) return;
    run.heldUntil = null;
    run.stats.windowWaitMs = now - run.startedAt;
    run.pacing.restartRate(now, run.trainer.epoch);
    run.pacing.anchor(now, run.trainer.epoch);
  }

  /** One slice of epochs (if running), then whatever update is due, then the next wake-up. */
  function pumpRun(run: Run): void {
    let now = clock();
    let nextWake = Infinity;
    if (run.heldUntil !== null && now >= run.heldUntil) releaseHold(run, now);
    if (run.status === 'running' && run.heldUntil !== null) {
      nextWake = run.heldUntil; // waiting for the window (TrainConfig.waitForWindow)
    } else if (run.status === 'running') {
      const sliceStart = now;
      const outcome = runSlice(run, clock, sliceStart, settings.sliceMs, (graph, epoch) => emit({ type: 'labGraph', runId: run.id, epoch, graph }));
      now = clock();
      run.stats.trainingMs += now - sliceStart;
      switch (outcome.end) {
        case 'epochs':
          return endRun(run, 'finished', 'epochs');
        case 'target':
          return endRun(run, 'finished', 'target');
        case 'diverged':
          return divergeRun(run);
        case 'stepped':
          return pauseRun(run);
        case 'yield':
        case 'wait':
          nextWake = outcome.resumeAt;
      }
    }
    if (run.trainer.epoch > run.postedEpoch || run.dirty) {
      const flushAt = run.pacing.nextUpdateAt;
      if (now >= flushAt) postUpdate(run, run.owesPicture);
      else nextWake = Math.min(nextWake, flushAt);
    }
    if (nextWake < Infinity) wake.wakeAt(nextWake);
  }

  // ---- the controls' actions (controls.ts decides which one a request gets) ----

  function start(runId: RunId, config: TrainConfig): void {
    const problem = describeConfigProblem(config);
    if (problem) return sendError(runId, `Cannot start training: ${problem}`);
    let run: Run;
    try {
      run = createRun(runId, config, settings, clock(), cpuClock ? cpuClock() : null);
    } catch (error) {
      return sendError(runId, `Cannot start training: ${errorMessage(error)}`);
    }
    // A new run replaces the old one; the old one still gets its final state.
    const previous = current;
    if (previous && isLive(previous)) endRun(previous, 'stopped', 'stopped');
    // Its buffers go to the next run of the same size (see trainer.ts: the arena would fill up).
    previous?.trainer.dispose();
    wake.cancel();
    // a run started while the lab's graph view is open records graphs from its first epoch
    if (graphView) run.graphWatch = { element: graphView.element, lastAt: -Infinity };
    current = run;
    postUpdate(run, true); // the initial state (epoch 0), so the window can draw w and b at once
    if (run.status === 'running') wake.wakeAt(run.heldUntil ?? clock());
  }

  const actions: ControlTarget = {
    get current() {
      return current;
    },
    start,
    pause: pauseRun,
    resume(run) {
      releaseHold(run, clock());
      run.stepBudget = null;
      setRunning(run);
      acknowledge(run);
      wake.wakeAt(clock());
    },
    step(run, count) {
      releaseHold(run, clock());
      run.stepBudget = count;
      setRunning(run);
      wake.wakeAt(clock());
    },
    stop(run) {
      wake.cancel();
      endRun(run, 'stopped', 'stopped');
    },
    reset(run) {
      wake.cancel();
      run.trainer.reset();
      run.history.clear();
      run.trace?.clear();
      run.postedEpoch = 0;
      run.status = 'paused';
      run.stepBudget = null;
      run.pacing.forgetPicture();
      run.settingChanges = []; // the reset run starts from the current settings
      postUpdate(run, true);
    },
    changeSetting(run, change) {
      if ('learningRate' in change) run.trainer.learningRate = change.learningRate;
      else run.trainer.skipZeroGrad = change.skipZeroGrad;
      noteSettingChange(run.settingChanges, run.trainer);
      acknowledge(run);
    },
    setSpeed(run, epochsPerSecond) {
      run.pacing.setSpeed(epochsPerSecond, clock(), run.trainer.epoch);
      acknowledge(run);
      if (run.status === 'running') wake.wakeAt(clock());
    },
    setTargetLoss(run, targetLoss) {
      run.targetLoss = targetLoss;
      acknowledge(run);
    },
    windowReady(run) {
      if (run.heldUntil === null) return;
      releaseHold(run, clock());
      if (run.status === 'running') wake.wakeAt(clock());
    },
    watchGraph(run, on, element) {
      graphView = on ? { element } : null;
      if (run) run.graphWatch = on ? { element, lastAt: -Infinity } : null;
    },
    graphAt(request, run) {
      const values = run ? runValues(run) : (request.data ?? null);
      if (!values) return; // the run was replaced and the window sent no values: nothing to draw
      const graph = graphAtValues(values, request.element);
      // no graph where the loss is nan/inf (a diverged run): the window says so itself; an error
      // event would be taken as the run's own
      if (graph) emit({ type: 'labGraph', runId: request.runId, epoch: run ? run.trainer.epoch : (request.data?.epoch ?? 0), graph, atValues: true });
    },
    landscape(request, run) {
      try {
        const input = run ? run.trainer.landscapeInput() : inputFromData(request.data!);
        const result = computeLandscape(input, request.params, request.size, request.range);
        emit({ type: 'landscape', runId: request.runId, epoch: run ? run.trainer.epoch : 0, ...result }, [result.loss.buffer as ArrayBuffer]);
      } catch (error) {
        if (!(error instanceof LandscapeError)) throw error;
        sendError(request.runId, `Cannot draw the loss landscape: ${error.message}.`);
      }
    },
    pong: (runId, seq) => emit({ type: 'pong', runId, seq }),
    error: sendError,
    other: options.onOtherRequest,
  };

  return {
    handle(request) {
      if (disposed) return;
      try {
        dispatchControl(request, actions);
      } catch (error) {
        sendError(request.runId, `Training request "${request.type}" failed: ${errorMessage(error)}`);
      }
    },
    handleMessage(message) {
      const result = validateRequest(message);
      if (result.ok) return this.handle(result.request);
      const runId = typeof (message as { runId?: unknown })?.runId === 'string' ? (message as { runId: string }).runId : '';
      sendError(runId, result.error);
    },
    get runId() {
      return current?.id ?? null;
    },
    lossHistory() {
      return current ? current.history.copy() : null;
    },
    dispose() {
      disposed = true;
      wake.dispose();
      current?.trainer.dispose();
      current = null;
    },
  };
}
