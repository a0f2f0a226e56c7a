// One training run as the window knows it, built from the worker's events: its phase, the latest
// parameters and the one before, the recording (losses and parameters for charts and replay), the
// newest picture for image data, live setting changes, and how it ended. Pure: no bridge, no
// Svelte; the lab's run and the presenter's run both keep one (TrainingRun wraps it).
import type { GradLabEvent, ParamView, RunState, SettingChange, TrainConfig } from '../../src-main/contract/messages';
import { RunRecording } from './run-recording';

export type Phase = 'idle' | 'starting' | RunState;

/** How a run ended badly (or early), said once and kept until dismissed or a new run starts. */
export type RunNotice =
  | { kind: 'diverged'; epoch: number; lastFiniteEpoch: number; lastFiniteLoss: number | null; learningRate: number; message: string | null }
  | { kind: 'restarted'; reason: string }
  | { kind: 'error'; message: string }
  | { kind: 'target'; epoch: number };

/** The parameters as of one update, kept so the arithmetic can show the step from the previous one. */
export interface Snapshot {
  epoch: number;
  w: ParamView;
  wGrad: ParamView;
  b: number;
  bGrad: number;
  learningRate: number;
}

/** The newest prediction of an image run (at most ~10 a second), with w as an image. */
export interface LivePicture {
  prediction: Float32Array;
  wImage: Float32Array | null;
  b: number;
  epoch: number;
  loss: number | null;
}

type TrainingEvent = Extract<GradLabEvent, { type: 'update' | 'finished' | 'diverged' | 'error' | 'workerRestarted' }>;
type Update = Extract<GradLabEvent, { type: 'update' }>;

const ACTIVE: readonly Phase[] = ['starting', 'running', 'paused'];

export function isActive(phase: Phase): boolean {
  return ACTIVE.includes(phase);
}

export class RunTrack {
  phase: Phase = 'starting';
  /** Epochs completed (counted from the start of the run this one continues, if any). */
  epoch = 0;
  epochsPerSecond = 0;
  current: Snapshot | null = null;
  previous: Snapshot | null = null;
  picture: LivePicture | null = null;
  notice: RunNotice | null = null;
  /** Whether the run leaves out zero_grad, as the worker last confirmed it (or as just asked). */
  skipZeroGrad: boolean;
  /** The learning rate of the latest epoch (follows live changes). */
  learningRate: number;
  /** Live learning-rate and zero_grad changes with the epoch each applied from, in order. */
  settingChanges: SettingChange[] = [];
  /** The run's epochs in total (a continued run: the epochs before it plus its own). */
  totalEpochs: number;
  /** The run's own copy of its data (the editor may change meanwhile). */
  readonly x: Float32Array;
  readonly y: Float32Array;

  /** A pause/resume the window shows before the worker confirms it. */
  private pendingPhase: 'running' | 'paused' | null = null;
  /** A zero_grad switch sent but not yet confirmed (updates sent before it do not undo it). */
  private pendingSkipZeroGrad: boolean | null = null;

  /**
   * @param runId the worker's run id, null for a run restored from a session (nothing trains it)
   * @param config what the worker was asked to train (for a continued run: the continuation)
   * @param recording where losses and parameters go; a continued run keeps its predecessor's
   * @param epochOffset epochs done before this worker run started (a continued run)
   */
  constructor(
    readonly runId: string | null,
    readonly config: TrainConfig,
    readonly recording: RunRecording = new RunRecording(),
    readonly epochOffset = 0,
  ) {
    this.skipZeroGrad = config.skipZeroGrad ?? false;
    this.learningRate = config.learningRate;
    this.totalEpochs = epochOffset + config.epochs;
    this.epoch = epochOffset;
    this.x = Float32Array.from(config.x);
    this.y = Float32Array.from(config.y);
  }

  get active(): boolean {
    return isActive(this.phase);
  }

  /** Shown at once after a pause or resume request; the worker's next update confirms it. */
  expectPhase(phase: 'running' | 'paused'): void {
    this.phase = phase;
    this.pendingPhase = phase;
  }

  /** Shown at once after a zero_grad switch request, from the next epoch. */
  expectSkipZeroGrad(skipZeroGrad: boolean): void {
    this.skipZeroGrad = skipZeroGrad;
    this.pendingSkipZeroGrad = skipZeroGrad;
  }

  /** Applies one of this run's events; returns false for events that change nothing here. */
  apply(event: GradLabEvent): boolean {
    if (!isTrainingEvent(event)) return false;
    if (event.type === 'workerRestarted') {
      // The worker died: keep every value shown so far and say what happened.
      if (this.active) this.phase = 'stopped';
      this.notice = { kind: 'restarted', reason: event.reason };
      return true;
    }
    switch (event.type) {
      case 'update':
        this.applyUpdate(event);
        return true;
      case 'finished':
        this.epoch = this.epochOffset + event.epoch;
        this.phase = event.reason === 'stopped' ? 'stopped' : 'finished';
        if (event.reason === 'target') this.notice = { kind: 'target', epoch: this.epoch };
        return true;
      case 'diverged': {
        const epoch = this.epochOffset + event.epoch;
        this.epoch = Math.max(this.epoch, epoch - 1);
        this.phase = 'diverged';
        this.notice = { kind: 'diverged', epoch, lastFiniteEpoch: epoch - 1, lastFiniteLoss: event.lastFiniteLoss, learningRate: event.learningRate, message: event.message ?? null };
        return true;
      }
      case 'error':
        this.notice = { kind: 'error', message: event.message };
        if (this.active) this.phase = 'stopped';
        return true;
    }
  }

  private applyUpdate(event: Update): void {
    const offset = this.epochOffset;
    const epoch = offset + event.epoch;
    this.recording.add(offset === 0 ? event : { ...event, epoch, firstEpoch: offset + event.firstEpoch });
    this.epoch = epoch;
    this.epochsPerSecond = event.epochsPerSecond;
    this.learningRate = event.learningRate;
    // A pause/resume the window already shows is not undone by an update the worker sent before it
    // saw the request; terminal states always apply.
    const settled = event.state !== 'running' && event.state !== 'paused';
    if (settled || this.pendingPhase === null || event.state === this.pendingPhase) {
      this.phase = event.state;
      this.pendingPhase = null;
    }
    if (event.skipZeroGrad !== undefined && (this.pendingSkipZeroGrad === null || event.skipZeroGrad === this.pendingSkipZeroGrad)) {
      this.skipZeroGrad = event.skipZeroGrad;
      this.pendingSkipZeroGrad = null;
    }
    // In order; for one epoch the last change counts (the export keeps only that one).
    if (event.settingChanges) {
      for (const change of event.settingChanges) this.settingChanges.push(offset === 0 ? change : { ...change, fromEpoch: offset + change.fromEpoch });
    }
    const snapshot: Snapshot = { epoch, w: event.w, wGrad: event.wGrad, b: event.b, bGrad: event.bGrad, learningRate: event.learningRate };
    if (!this.current || this.current.epoch !== snapshot.epoch) this.previous = this.current;
    this.current = snapshot;
    if (event.prediction) {
      // wImage (the real w, same update as the prediction) is missing only from older workers.
      this.picture = { prediction: event.prediction, wImage: event.wImage ?? null, b: event.b, epoch, loss: this.recording.lastLoss };
    }
  }
}

function isTrainingEvent(event: GradLabEvent): event is TrainingEvent {
  return event.type === 'update' || event.type === 'finished' || event.type === 'diverged' || event.type === 'error' || event.type === 'workerRestarted';
}
