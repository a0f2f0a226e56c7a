// A training run the window starts and watches: commands go out through `send`, the run's events
// come back through the feed into a RunTrack, and every read is reactive through one Svelte
// subscriber (createSubscriber), so components re-render when an event changed the run — no
// version counters. Updates are applied as they arrive: the worker posts at most one per display
// frame, and the charts batch their redraws per animation frame (charts/setup.ts).
import { createSubscriber } from 'svelte/reactivity';
import type { GradLabEvent, Request, SettingChange, TrainConfig } from '../../src-main/contract/messages';
import type { RunSummary } from '../../src-main/data/session';
import type { EventFeed, SendRequest } from './feed';
import { RunRecording } from './run-recording';
import { isActive, RunTrack, type LivePicture, type Phase, type RunNotice, type Snapshot } from './run-track';

export interface RunLink {
  feed: EventFeed;
  send: SendRequest;
  /** A fresh id for each worker run. */
  newRunId: () => string;
  /**
   * Ask for every epoch's parameters (TrainConfig.traceEpochs), so a fast run's charts show its
   * shape: the presenter's gradients chart. The lab leaves it off: its landscape keeps one map
   * extent per run, and a traced path shows early overshoots leaving it.
   */
  traceEpochs?: boolean;
  /**
   * Runs `fn` once the window has painted what it shows now (default: after the next animation
   * frame; at once where there are no frames, as in unit tests). A run's first epoch waits for
   * that (TrainConfig.waitForWindow / `windowReady`).
   */
  afterPaint?: (fn: () => void) => void;
}

/** After the next frame is painted: a task queued from requestAnimationFrame runs once that frame is done. */
function afterNextPaint(fn: () => void): void {
  if (typeof requestAnimationFrame !== 'function') return fn();
  requestAnimationFrame(() => setTimeout(fn, 0));
}

export interface StartOptions {
  epochsPerSecond: number | null;
  startPaused?: boolean;
}

const EMPTY = new Float32Array(0);

/** w.grad and b.grad of the run's latest epoch, when the window has all of them. */
function piledGradients(track: RunTrack): { w: Float32Array; b: number } | null {
  const current = track.current;
  if (!current || current.epoch !== track.epoch || current.wGrad.kind !== 'full' || !Number.isFinite(current.bGrad)) return null;
  return { w: current.wGrad.values, b: current.bGrad };
}

export class TrainingRun {
  #track: RunTrack | null = null;
  #unwatch: (() => void) | null = null;
  #changed: (() => void) | null = null;
  readonly #subscribe = createSubscriber((update) => {
    this.#changed = update;
    return () => {
      this.#changed = null;
    };
  });
  /** The latest live learning-rate change (for the note under the controls). */
  #lrChange: { learningRate: number; epoch: number } | null = null;
  /** The latest live zero_grad switch and the first epoch it applies to. */
  #zeroGradChange: { skipZeroGrad: boolean; epoch: number } | null = null;
  /** The run whose worker waits for the window to show its first state (`windowReady`). */
  #awaitingFirstState: string | null = null;

  constructor(private readonly link: RunLink) {}

  #read(): RunTrack | null {
    this.#subscribe();
    return this.#track;
  }

  #notify(): void {
    this.#changed?.();
  }

  // ---- what the window shows ----

  get runId(): string | null {
    return this.#read()?.runId ?? null;
  }
  get phase(): Phase {
    return this.#read()?.phase ?? 'idle';
  }
  get active(): boolean {
    return isActive(this.phase);
  }
  get epoch(): number {
    return this.#read()?.epoch ?? 0;
  }
  get totalEpochs(): number {
    return this.#read()?.totalEpochs ?? 0;
  }
  get epochsPerSecond(): number {
    return this.#read()?.epochsPerSecond ?? 0;
  }
  get progress(): number {
    const total = this.totalEpochs;
    return total > 0 ? Math.min(1, this.epoch / total) : 0;
  }
  /** Seconds to the last epoch at the current rate, while running. */
  get secondsLeft(): number | null {
    const rate = this.epochsPerSecond;
    return rate > 0 && this.phase === 'running' ? (this.totalEpochs - this.epoch) / rate : null;
  }
  /** The run's data (the editor may change meanwhile). */
  get x(): Float32Array {
    return this.#read()?.x ?? EMPTY;
  }
  get y(): Float32Array {
    return this.#read()?.y ?? EMPTY;
  }
  /** The recording (losses, parameters per update); its reads are reactive too. */
  get recording(): RunRecording | null {
    return this.#read()?.recording ?? null;
  }
  /** Loss of every epoch so far; index 0 is epoch 1 (a fresh view after every change). */
  get losses(): Float32Array {
    return this.#read()?.recording.losses() ?? EMPTY;
  }
  get lastLoss(): number | null {
    return this.#read()?.recording.lastLoss ?? null;
  }
  get current(): Snapshot | null {
    return this.#read()?.current ?? null;
  }
  get previous(): Snapshot | null {
    return this.#read()?.previous ?? null;
  }
  get picture(): LivePicture | null {
    return this.#read()?.picture ?? null;
  }
  get notice(): RunNotice | null {
    return this.#read()?.notice ?? null;
  }
  /** Whether the run leaves out zero_grad (the classroom mistake). */
  get skipZeroGrad(): boolean {
    return this.#read()?.skipZeroGrad ?? false;
  }
  /** The config the run was started with (a continued run: its first part's, with the total epochs). */
  get startedConfig(): TrainConfig | null {
    return this.#read()?.origin ?? null;
  }
  /** True for a run brought back from a session file (nothing trains it until it is continued). */
  get restored(): boolean {
    const track = this.#read();
    return track !== null && track.runId === null;
  }
  /**
   * Whether the run can carry on from where it is: it ended (not diverged), the window has all of w,
   * and, when its last epoch forgot zero_grad, all of the piled-up gradients too (the next epoch
   * adds to them; the window has w.grad whole for short w only).
   */
  get canContinue(): boolean {
    const track = this.#read();
    return (
      track !== null &&
      (track.phase === 'finished' || track.phase === 'stopped') &&
      track.fullW() !== null &&
      Number.isFinite(track.current?.b ?? Number.NaN) &&
      (!track.skipZeroGrad || piledGradients(track) !== null)
    );
  }
  /** Live changes the worker confirmed, each with the epoch it applied from. */
  get settingChanges(): readonly SettingChange[] {
    return this.#read()?.settingChanges ?? [];
  }
  get lrChange(): { learningRate: number; epoch: number } | null {
    this.#subscribe();
    return this.#lrChange;
  }
  get zeroGradChange(): { skipZeroGrad: boolean; epoch: number } | null {
    this.#subscribe();
    return this.#zeroGradChange;
  }

  // ---- commands ----

  start(config: TrainConfig, options: StartOptions): void {
    this.#stopActive();
    const runId = this.link.newRunId();
    const track = new RunTrack(runId, config, { recording: new RunRecording(() => this.#subscribe()) });
    this.#adopt(track);
    this.#send({ type: 'start', runId, config: { ...config, ...this.#traced(), epochsPerSecond: options.epochsPerSecond, startPaused: options.startPaused ?? false } });
    this.#notify();
  }

  /**
   * Carries the run on to `totalEpochs` in a new worker run that starts from the current w and b:
   * the same numbers as one uninterrupted run, the epochs and charts going on where they were.
   * `settings` are the learning rate and zero_grad choice from here on.
   */
  continueTo(totalEpochs: number, settings: { learningRate: number; skipZeroGrad: boolean; epochsPerSecond: number | null }): boolean {
    const before = this.#track;
    if (!before || !this.canContinue || totalEpochs <= before.epoch) return false;
    const w = before.fullW()!;
    const piled = before.skipZeroGrad ? piledGradients(before) : null;
    const config: TrainConfig = {
      ...(before.origin.model ? { model: before.origin.model } : {}),
      x: before.x,
      y: before.y,
      initialW: { kind: 'values', values: Array.from(w) },
      initialB: before.current!.b,
      learningRate: settings.learningRate,
      epochs: totalEpochs - before.epoch,
      skipZeroGrad: settings.skipZeroGrad,
      ...(piled ? { initialGrad: piled } : {}),
      ...(before.origin.targetLoss !== undefined ? { targetLoss: before.origin.targetLoss } : {}),
      ...(before.origin.image ? { image: before.origin.image } : {}),
    };
    const runId = this.link.newRunId();
    this.#adopt(new RunTrack(runId, config, { continues: before }));
    this.#send({ type: 'start', runId, config: { ...config, ...this.#traced(), epochsPerSecond: settings.epochsPerSecond, startPaused: false } });
    this.#notify();
    return true;
  }

  /** Shows a run from a session file as it ended; `origin` is its starting config with the session's data. */
  restore(origin: TrainConfig, summary: RunSummary): void {
    this.#stopActive();
    this.#adopt(RunTrack.restore(origin, summary, () => this.#subscribe()));
    this.#notify();
  }

  /** All of w as of the latest epoch, when the window has it (short w, image data, a saved session). */
  fullW(): Float32Array | null {
    return this.#read()?.fullW() ?? null;
  }

  /** What a session file keeps of the run (null before its first epoch). */
  summary(): RunSummary | null {
    return this.#read()?.summary() ?? null;
  }

  pause(): void {
    const track = this.#track;
    if (!track?.runId || (track.phase !== 'running' && track.phase !== 'starting')) return;
    this.link.send({ type: 'pause', runId: track.runId });
    track.expectPhase('paused');
    this.#notify();
  }

  resume(): void {
    const track = this.#track;
    if (!track?.runId || track.phase !== 'paused') return;
    this.link.send({ type: 'resume', runId: track.runId });
    track.expectPhase('running');
    this.#notify();
  }

  /** Exactly `count` epochs (pausing first when running). */
  step(count: number): void {
    const track = this.#track;
    if (!track?.runId || !track.active) return;
    if (track.phase === 'running' || track.phase === 'starting') this.pause();
    this.link.send({ type: 'step', runId: track.runId, count: Math.max(1, Math.floor(count)) });
  }

  stop(): void {
    const track = this.#track;
    if (track?.runId && track.active) this.link.send({ type: 'stop', runId: track.runId });
  }

  /** Forgets the run: the worker drops it and the window returns to its empty state. */
  reset(): void {
    const runId = this.#track?.runId;
    if (runId) this.link.send({ type: 'reset', runId });
    this.#adopt(null);
    this.#notify();
  }

  setLearningRate(learningRate: number): void {
    const track = this.#track;
    if (!track?.runId || !track.active) return;
    this.link.send({ type: 'setLearningRate', runId: track.runId, learningRate });
    this.#lrChange = { learningRate, epoch: track.epoch + 1 };
    this.#notify();
  }

  /** Switches the "forgot zero_grad" mistake on or off from the next epoch of the running run. */
  setSkipZeroGrad(skipZeroGrad: boolean): void {
    const track = this.#track;
    if (!track?.runId || !track.active || skipZeroGrad === track.skipZeroGrad) return;
    this.link.send({ type: 'setSkipZeroGrad', runId: track.runId, skipZeroGrad });
    track.expectSkipZeroGrad(skipZeroGrad);
    this.#zeroGradChange = { skipZeroGrad, epoch: track.epoch + 1 };
    this.#notify();
  }

  setSpeed(epochsPerSecond: number | null): void {
    const track = this.#track;
    if (track?.runId && track.active) this.link.send({ type: 'setSpeed', runId: track.runId, epochsPerSecond });
  }

  dismissNotice(): void {
    if (!this.#track?.notice) return;
    this.#track.notice = null;
    this.#notify();
  }

  // ---- internals ----

  /**
   * Starts a worker run that holds its first epoch until the window has shown the run's first
   * state (the update the worker posts at once): the window's run-start work (new panels, the first
   * pictures, the charts' first draw) then has the cores to itself instead of sharing them with
   * the training loop. The worker waits at most WINDOW_READY_TIMEOUT_MS.
   */
  #send(start: Extract<Request, { type: 'start' }>): void {
    const paused = start.config.startPaused === true;
    this.#awaitingFirstState = paused ? null : start.runId;
    this.link.send(paused ? start : { ...start, config: { ...start.config, waitForWindow: true } });
  }

  /** Every epoch's parameters, when this run store asks for them (the worker sends them for short w and short runs). */
  #traced(): { traceEpochs?: true } {
    return this.link.traceEpochs ? { traceEpochs: true } : {};
  }

  #stopActive(): void {
    const track = this.#track;
    if (track?.runId && track.active) this.link.send({ type: 'stop', runId: track.runId });
  }

  #adopt(track: RunTrack | null): void {
    this.#unwatch?.();
    this.#unwatch = null;
    this.#track = track;
    this.#lrChange = null;
    this.#zeroGradChange = null;
    if (track?.runId) this.#unwatch = this.link.feed.watchRun(track.runId, (event) => this.#receive(track, event));
  }

  #receive(track: RunTrack, event: GradLabEvent): void {
    if (track !== this.#track) return;
    if (track.apply(event)) this.#notify();
    const runId = track.runId;
    if (event.type === 'update' && runId !== null && this.#awaitingFirstState === runId) {
      this.#awaitingFirstState = null;
      (this.link.afterPaint ?? afterNextPaint)(() => this.link.send({ type: 'windowReady', runId }));
    }
  }

  /** Stops listening (tests, hot reload). */
  dispose(): void {
    this.#adopt(null);
  }
}
