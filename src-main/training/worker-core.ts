// The training host: runs one training run at a time and answers every control in the contract (src-main/contract).
// Runtime-agnostic (no Node, DOM or Electron imports): worker-node.ts wires it to a
// worker_threads parentPort, worker-web.ts to a Web Worker's `self`, tests call it directly.
//
// Timing model
// - Epochs run in slices of at most `sliceMs` (8 ms) and then yield to the event loop, so a
//   control message waits at most one slice (or one epoch, if a single epoch takes longer).
// - Updates are batched: at most one per `frameMs` (1/60 s) however fast epochs run, carrying
//   every loss since the previous update. When building an update gets expensive (w/wGrad
//   summaries over 786,432 values) the interval stretches so that streaming stays a small
//   share (`maxStreamingShare`) of the time; training throughput always wins.
// - State changes (pause, end of a step, finish, stop, divergence, reset) are posted at once,
//   so the final state always arrives, followed by `finished` or `diverged`.
import type { EventMap, GradLabEvent, ParamView, Request, RunId, RunState, RunStats, SettingChange, TrainConfig } from '../contract/messages';
import { validateRequest } from '../contract/validate-request';
import { Float32Series } from '../contract/series';
import { summarize } from './summary';
import { LinearRegressionTrainer, describeConfigProblem } from './trainer';

export type PostEvent = (event: GradLabEvent, transfer?: ArrayBuffer[]) => void;

export interface TrainingHostOptions {
  /** Clock in ms (default performance.now). */
  now?: () => number;
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
  /** Runs `fn` on the next event-loop turn, between two slices of epochs: setImmediate in Node,
   * a MessageChannel in a Web Worker (no 4 ms clamping); setTimeout(fn, 0) by default. */
  nextTurn?: (fn: () => void) => void;
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

type Status = RunState;

interface Run {
  id: RunId;
  config: TrainConfig;
  trainer: LinearRegressionTrainer;
  history: Float32Series;
  status: Status;
  totalEpochs: number;
  /** Epochs left before pausing again after `step`; null when running freely. */
  stepBudget: number | null;
  epochsPerSecond: number | null;
  targetLoss: number | null;
  /** The speed limit counts epochs from this moment/epoch (reset on resume, step, setSpeed). */
  anchorTime: number;
  anchorEpoch: number;
  /** Epochs already covered by posted updates. */
  postedEpoch: number;
  /** A setting changed and the window has not been told yet. */
  dirty: boolean;
  lastPostAt: number;
  lastPredictionAt: number;
  minPostInterval: number;
  postCostMs: number;
  predictionInterval: number;
  predictionCostMs: number;
  /** Live setting changes not yet posted (see EventMap['update'].settingChanges). */
  settingChanges: SettingChange[];
  /** A state was posted without its picture; the next update must carry one. */
  owesPrediction: boolean;
  rateTime: number;
  rateEpoch: number;
  measuredRate: number;
  stats: RunStats;
  /** Epochs between two clock reads while running flat out (adapts to ~0.05-0.2 ms). */
  clockStride: number;
  /** Clock and thread CPU clock when the run started (for stats.wallMs / stats.cpuMs). */
  startedAt: number;
  cpuStartedAt: number | null;
}

const DEFAULTS = {
  sliceMs: 8,
  frameMs: 1000 / 60,
  predictionIntervalMs: 100,
  fullParamLimit: 64,
  summaryIndexCount: 8,
  maxStreamingShare: 0.015,
};

/**
 * Full values when short, otherwise min/max/mean plus the first few entries. The summary is one
 * pass (summary.ts: a SIMD kernel over the engine's arena, ~15x faster than a JS loop at
 * 786,432 values); min and max ignore the sign of zero.
 */
export function paramView(values: Float32Array | null, size: number, fullLimit: number, indexCount: number): ParamView {
  if (size <= fullLimit) return { kind: 'full', values: values ? values.slice(0, size) : new Float32Array(size) };
  const count = Math.min(indexCount, size);
  const indices = Array.from({ length: count }, (_, i) => i);
  if (!values) return { kind: 'summary', length: size, min: 0, max: 0, mean: 0, indices, values: indices.map(() => 0) };
  const { min, max, sum } = summarize(values, size);
  return { kind: 'summary', length: size, min, max, mean: sum / size, indices, values: indices.map((i) => values[i]) };
}

export function createTrainingHost(post: PostEvent, options: TrainingHostOptions = {}): TrainingHost {
  const settings = { ...DEFAULTS, ...options };
  const clock = options.now ?? (() => performance.now());
  const cpuClock = options.threadCpuMs ?? null;
  const immediate = options.nextTurn ?? ((fn: () => void) => void setTimeout(fn, 0));
  let current: Run | null = null;
  let disposed = false;

  // ---- wake-up scheduling: one pending wake at a time, the earliest wins ----
  let wakeAt = Infinity;
  let wakeToken = 0;
  let wakeTimer: ReturnType<typeof setTimeout> | null = null;

  function cancelWake(): void {
    wakeToken++;
    wakeAt = Infinity;
    if (wakeTimer !== null) clearTimeout(wakeTimer);
    wakeTimer = null;
  }

  function wake(at: number): void {
    if (disposed || at >= wakeAt) return;
    cancelWake();
    wakeAt = at;
    const token = wakeToken;
    const run = () => {
      if (token !== wakeToken) return;
      wakeAt = Infinity;
      wakeTimer = null;
      pump();
    };
    const delay = at - clock();
    if (delay <= 0) immediate(run);
    else wakeTimer = setTimeout(run, Math.ceil(delay));
  }

  function emit(event: GradLabEvent, transfer?: ArrayBuffer[]): void {
    if (!disposed) post(event, transfer);
  }

  function sendError(runId: RunId, message: string): void {
    emit({ type: 'error', runId, message });
  }

  // ---- updates ----

  /** Posts the run's state; returns whether it carried a prediction. */
  function postUpdate(run: Run, forcePrediction: boolean): boolean {
    const started = clock();
    const trainer = run.trainer;
    const epoch = trainer.epoch;
    if (run.status === 'running') {
      const elapsed = started - run.rateTime;
      if (elapsed >= 250 || (run.measuredRate === 0 && elapsed > 0 && epoch > run.rateEpoch)) {
        run.measuredRate = ((epoch - run.rateEpoch) * 1000) / elapsed;
        run.rateTime = started;
        run.rateEpoch = epoch;
      }
    } else {
      run.measuredRate = 0;
    }
    const losses = run.history.copy(run.postedEpoch, epoch);
    const w = paramView(trainer.wValues, trainer.size, settings.fullParamLimit, settings.summaryIndexCount);
    const wGrad = paramView(trainer.wGradValues, trainer.size, settings.fullParamLimit, settings.summaryIndexCount);
    const event: EventMap['update'] = {
      type: 'update',
      runId: run.id,
      state: run.status,
      epoch,
      losses,
      firstEpoch: run.postedEpoch + 1,
      w,
      wGrad,
      b: trainer.bValue,
      bGrad: trainer.bGradValue,
      learningRate: trainer.learningRate,
      epochsPerSecond: run.measuredRate,
      speedLimit: run.epochsPerSecond,
      targetLoss: run.targetLoss,
      totalEpochs: run.totalEpochs,
      skipZeroGrad: trainer.skipZeroGrad,
    };
    if (run.settingChanges.length > 0) {
      event.settingChanges = run.settingChanges;
      run.settingChanges = [];
    }
    const transfer: ArrayBuffer[] = [losses.buffer as ArrayBuffer];
    if (w.kind === 'full') transfer.push(w.values.buffer as ArrayBuffer);
    if (wGrad.kind === 'full') transfer.push(wGrad.values.buffer as ArrayBuffer);
    let predictionMs = 0;
    if (run.config.image && (forcePrediction || started - run.lastPredictionAt >= run.predictionInterval)) {
      const predictionStarted = clock();
      event.prediction = trainer.predict(); // what the w and b in this update predict
      // w itself as a picture (the summary above cannot show where w grew or shrank).
      event.wImage = trainer.wValues.slice(0, trainer.size);
      transfer.push(event.prediction.buffer as ArrayBuffer, event.wImage.buffer as ArrayBuffer);
      run.lastPredictionAt = started;
      predictionMs = clock() - predictionStarted;
      // Same budget idea as for updates: a prediction of 786,432 values on a slow machine may
      // take several ms, so the ~10/s thin out rather than slow training down.
      run.predictionCostMs = run.predictionCostMs === 0 ? predictionMs : run.predictionCostMs * 0.7 + predictionMs * 0.3;
      run.predictionInterval = Math.max(settings.predictionIntervalMs, run.predictionCostMs / settings.maxStreamingShare);
      run.owesPrediction = false;
    }
    emit(event, transfer);
    run.postedEpoch = epoch;
    run.dirty = false;
    const finished = clock();
    run.lastPostAt = finished;
    run.stats.streamingMs += finished - started;
    run.stats.updates++;
    // Smoothed cost of one update; the interval grows so updates take <= maxStreamingShare.
    // Predictions are left out (they have their own limit of ~10/s). A sample is capped at 3x the running estimate: on a busy
    // machine the thread can be descheduled mid-update, and one such stall should not thin out
    // the stream for seconds.
    const cost = finished - started - predictionMs;
    run.postCostMs = run.postCostMs === 0 ? cost : run.postCostMs * 0.8 + Math.min(cost, run.postCostMs * 3) * 0.2;
    run.minPostInterval = Math.max(settings.frameMs, run.postCostMs / settings.maxStreamingShare);
    return event.prediction !== undefined;
  }

  function lastFiniteLoss(run: Run): number | null {
    return run.history.length > 0 ? run.history.at(run.history.length - 1) : null;
  }

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
    const lastFinite = lastFiniteLoss(run);
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
      run.owesPrediction = true;
      acknowledge(run);
    }
  }

  function anchorSpeed(run: Run): void {
    run.anchorTime = clock();
    run.anchorEpoch = run.trainer.epoch;
  }

  function setRunning(run: Run): void {
    if (run.status !== 'running') {
      run.status = 'running';
      run.rateTime = clock();
      run.rateEpoch = run.trainer.epoch;
      run.measuredRate = 0;
    }
    anchorSpeed(run);
  }

  /** Notes a live learning-rate or zero_grad change: it applies from the next epoch on. */
  function recordSettingChange(run: Run): void {
    const change: SettingChange = { fromEpoch: run.trainer.epoch + 1, learningRate: run.trainer.learningRate, skipZeroGrad: run.trainer.skipZeroGrad };
    const last = run.settingChanges.at(-1);
    // Several changes before the same epoch (a dragged slider): only the last one counts.
    if (last && last.fromEpoch === change.fromEpoch) run.settingChanges[run.settingChanges.length - 1] = change;
    else run.settingChanges.push(change);
  }

  /** Tells the window about a changed setting, coalesced to at most one update per frame. */
  function acknowledge(run: Run): void {
    run.dirty = true;
    wake(run.lastPostAt + run.minPostInterval);
  }

  // ---- the training loop ----

  function pump(): void {
    const run = current;
    if (!run || disposed) return;
    try {
      pumpRun(run);
    } catch (error) {
      // An engine failure ends this run but keeps the worker (and the window's state) alive.
      const message = error instanceof Error ? error.message : String(error);
      sendError(run.id, `Training failed at epoch ${run.trainer.epoch + 1}: ${message}`);
      if (run.status === 'running' || run.status === 'paused') endRun(run, 'stopped', 'stopped');
    }
  }

  type SliceEnd = 'yield' | 'wait' | 'epochs' | 'target' | 'diverged' | 'stepped';

  /**
   * Runs epochs until the slice is used up, an update is due, the speed limit says wait, or
   * the run reaches an end. `wakeAt` receives when to continue for 'yield' and 'wait'.
   */
  function runSlice(run: Run, startedAt: number, wakeAt: { at: number }): SliceEnd {
    const sliceEnd = startedAt + settings.sliceMs;
    const trainer = run.trainer;
    let now = startedAt;
    for (;;) {
      if (trainer.epoch >= run.totalEpochs) return 'epochs';
      // Epochs until the next clock read: one under a speed limit (it needs the time before each
      // epoch), otherwise a chunk. At 2 values an epoch takes a few microseconds and reading the
      // clock a noticeable part of that, so the chunk adapts to about 0.05-0.2 ms: slice ends and
      // due updates are not delayed noticeably.
      let chunk = 1;
      if (run.epochsPerSecond !== null) {
        const done = trainer.epoch - run.anchorEpoch;
        const allowed = Math.floor(((now - run.anchorTime) * run.epochsPerSecond) / 1000) + 1;
        if (done >= allowed) {
          wakeAt.at = run.anchorTime + (done * 1000) / run.epochsPerSecond;
          return 'wait';
        }
      } else {
        chunk = run.clockStride;
      }
      chunk = Math.min(chunk, run.totalEpochs - trainer.epoch);
      if (run.stepBudget !== null) chunk = Math.min(chunk, run.stepBudget);
      const done = trainer.runEpochs(chunk, run.history, run.targetLoss);
      if (run.stepBudget !== null) run.stepBudget -= done;
      const loss = trainer.lastLoss as number;
      if (!Number.isFinite(loss)) return 'diverged';
      if (trainer.epoch >= run.totalEpochs) return 'epochs';
      if (run.targetLoss !== null && loss < run.targetLoss) return 'target';
      if (run.stepBudget === 0) return 'stepped';
      const previous = now;
      now = clock();
      if (chunk === run.clockStride && run.epochsPerSecond === null) {
        const perRead = now - previous;
        if (perRead < 0.05 && run.clockStride < 256) run.clockStride *= 2;
        else if (perRead > 0.2 && run.clockStride > 1) run.clockStride = Math.max(1, run.clockStride >> 1);
      }
      // Yield when the slice is used up, or when an update is due (so updates go out every
      // frame rather than at the next slice boundary).
      if (now >= sliceEnd || now >= run.lastPostAt + run.minPostInterval) {
        wakeAt.at = now;
        return 'yield';
      }
    }
  }

  function pumpRun(run: Run): void {
    let now = clock();
    let nextWake = Infinity;
    if (run.status === 'running') {
      const wakeAt = { at: Infinity };
      const outcome = runSlice(run, now, wakeAt);
      const sliceStart = now;
      now = clock();
      run.stats.trainingMs += now - sliceStart;
      switch (outcome) {
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
          nextWake = wakeAt.at;
      }
    }
    if (run.trainer.epoch > run.postedEpoch || run.dirty) {
      const flushAt = run.lastPostAt + run.minPostInterval;
      if (now >= flushAt) postUpdate(run, run.owesPrediction);
      else nextWake = Math.min(nextWake, flushAt);
    }
    if (nextWake < Infinity) wake(nextWake);
  }

  // ---- controls ----

  function start(runId: RunId, config: TrainConfig): void {
    const problem = describeConfigProblem(config);
    if (problem) return sendError(runId, `Cannot start training: ${problem}`);
    let trainer: LinearRegressionTrainer;
    try {
      trainer = new LinearRegressionTrainer(config);
    } catch (error) {
      return sendError(runId, `Cannot start training: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A new run replaces the old one; the old one still gets its final state.
    const previous = current;
    if (previous && (previous.status === 'running' || previous.status === 'paused')) endRun(previous, 'stopped', 'stopped');
    // Its buffers go to the next run of the same size (see trainer.ts: the arena would fill up).
    previous?.trainer.dispose();
    cancelWake();
    const now = clock();
    const run: Run = {
      id: runId,
      config,
      trainer,
      history: new Float32Series(Math.min(Math.max(config.epochs, 16), 1 << 16)),
      status: config.startPaused ? 'paused' : 'running',
      totalEpochs: config.epochs,
      stepBudget: null,
      epochsPerSecond: config.epochsPerSecond ?? null,
      targetLoss: config.targetLoss ?? null,
      anchorTime: now,
      anchorEpoch: 0,
      postedEpoch: 0,
      dirty: false,
      lastPostAt: -Infinity,
      lastPredictionAt: -Infinity,
      minPostInterval: settings.frameMs,
      postCostMs: 0,
      predictionInterval: settings.predictionIntervalMs,
      predictionCostMs: 0,
      owesPrediction: false,
      settingChanges: [],
      rateTime: now,
      rateEpoch: 0,
      measuredRate: 0,
      stats: { trainingMs: 0, streamingMs: 0, updates: 0 },
      clockStride: 1,
      startedAt: now,
      cpuStartedAt: cpuClock ? cpuClock() : null,
    };
    current = run;
    postUpdate(run, true); // the initial state (epoch 0), so the window can draw w and b at once
    if (run.status === 'running') wake(clock());
  }

  function requireRun(request: Request): Run | null {
    const run = current;
    if (run && run.id === request.runId) return run;
    const known = run ? ` (the current run is "${run.id}")` : ' (no run has been started)';
    sendError(request.runId, `Cannot ${request.type}: there is no training run "${request.runId}"${known}. Start a run first, or use the runId of the current run.`);
    return null;
  }

  /** Whether the run can train further; otherwise tells the window why not. */
  function canContinue(run: Run, action: string): boolean {
    if (run.status === 'running' || run.status === 'paused') return true;
    if (run.status === 'finished' && run.trainer.epoch < run.totalEpochs) return true; // stopped at the target loss
    const why =
      run.status === 'diverged'
        ? 'it diverged (the loss became nan or inf); lower the learning rate and reset it'
        : run.status === 'stopped'
          ? 'it was stopped; reset it or start a new run'
          : `all ${run.totalEpochs} epochs are done; reset it or start a new run with more epochs`;
    sendError(run.id, `Cannot ${action} run "${run.id}": ${why}.`);
    return false;
  }

  function handle(request: Request): void {
    if (disposed) return;
    switch (request.type) {
      case 'start':
        return start(request.runId, request.config);
      case 'pause': {
        const run = requireRun(request);
        if (!run) return;
        // Pausing a run that already ended is a harmless race with its last epoch: ignore it.
        if (run.status === 'running' || run.status === 'paused') pauseRun(run);
        return;
      }
      case 'resume': {
        const run = requireRun(request);
        if (!run || !canContinue(run, 'resume')) return;
        run.stepBudget = null;
        setRunning(run);
        acknowledge(run);
        wake(clock());
        return;
      }
      case 'step': {
        const run = requireRun(request);
        if (!run || !canContinue(run, 'step')) return;
        run.stepBudget = request.count;
        setRunning(run);
        wake(clock());
        return;
      }
      case 'stop': {
        const run = requireRun(request);
        if (run && (run.status === 'running' || run.status === 'paused')) {
          cancelWake();
          endRun(run, 'stopped', 'stopped');
        }
        return;
      }
      case 'reset': {
        const run = requireRun(request);
        if (!run) return;
        cancelWake();
        run.trainer.reset();
        run.history.clear();
        run.postedEpoch = 0;
        run.status = 'paused';
        run.stepBudget = null;
        run.lastPredictionAt = -Infinity;
        run.settingChanges = []; // the reset run starts from the current settings
        postUpdate(run, true);
        return;
      }
      case 'setLearningRate':
      case 'setSkipZeroGrad': {
        // The two settings that change the numbers: the window's PyTorch export replays them.
        const run = requireRun(request);
        if (!run) return;
        if (request.type === 'setLearningRate') run.trainer.learningRate = request.learningRate;
        else run.trainer.skipZeroGrad = request.skipZeroGrad;
        recordSettingChange(run);
        acknowledge(run);
        return;
      }
      case 'setSpeed': {
        const run = requireRun(request);
        if (!run) return;
        run.epochsPerSecond = request.epochsPerSecond;
        anchorSpeed(run);
        acknowledge(run);
        if (run.status === 'running') wake(clock());
        return;
      }
      case 'setTargetLoss': {
        const run = requireRun(request);
        if (!run) return;
        run.targetLoss = request.targetLoss;
        acknowledge(run);
        return;
      }
      case 'ping':
        // Answered here, between two slices of epochs: proof that the worker is not stuck.
        emit({ type: 'pong', runId: request.runId, seq: request.seq });
        return;
      case 'runPython':
      case 'stopPython':
        if (options.onOtherRequest) return options.onOtherRequest(request);
        return sendError(request.runId, `${request.type} is not handled by the training worker: send it to the Python runner.`);
    }
  }

  return {
    handle(request) {
      try {
        handle(request);
      } catch (error) {
        sendError(request.runId, `Training request "${request.type}" failed: ${error instanceof Error ? error.message : String(error)}`);
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
      cancelWake();
      current?.trainer.dispose();
      current = null;
    },
  };
}
