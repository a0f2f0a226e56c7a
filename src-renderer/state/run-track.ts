// One training run as the window knows it, built from the worker's events: its phase, the latest
// parameters and the one before, the recording (losses and parameters for charts and replay), the
// newest picture for image data, live setting changes, and how it ended. Pure: no bridge, no
// Svelte; the lab's run and the presenter's run both keep one (TrainingRun wraps it).
import type { GradLabEvent, ParamView, RunPictures, RunState, SettingChange, TrainConfig, WorkerLostCause } from '../../src-main/contract/messages';
import { drawRunPictures } from '../../src-main/data/pictures';
import { makeRunSummary, type RunSummary } from '../../src-main/data/session';
import { restoredRecording, RunRecording, savedParameters } from './run-recording';

export type Phase = 'idle' | 'starting' | RunState;

/** How a run ended badly (or early), said once and kept until dismissed or a new run starts. */
export type RunNotice =
  | { kind: 'diverged'; epoch: number; lastFiniteEpoch: number; lastFiniteLoss: number | null; learningRate: number; message: string | null }
  /** cause: how the worker was lost, worded by the window (absent where the worker's owner could not tell). */
  | { kind: 'restarted'; reason: string; cause?: WorkerLostCause }
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

/** The newest pictures of an image run (at most ~10 a second), as the worker drew them. */
export interface LivePicture {
  pictures: RunPictures;
  /** All of w as of `epoch`, when the update carried it (a run that is not training) or a session saved it. */
  wImage: Float32Array | null;
  b: number;
  epoch: number;
  loss: number | null;
}

type TrainingEvent = Extract<GradLabEvent, { type: 'update' | 'finished' | 'diverged' | 'error' | 'workerRestarted' }>;
type Update = Extract<GradLabEvent, { type: 'update' }>;

const ACTIVE: readonly Phase[] = ['starting', 'running', 'paused'];
/** The trainer sends w whole up to this length (worker-core's fullParamLimit), a summary beyond. */
const FULL_VIEW_LIMIT = 64;

function summarize(values: Float32Array): RunSummary['w'] {
  return makeRunSummary({ epochs: 0, losses: null, finalLoss: 0, w: values, b: 0, keepValues: false }).w;
}

/**
 * The run's data. The lab's Float32Arrays are never written after they are made (an edit makes new
 * ones), so the run keeps the very array it was started with: nothing copies 786,432 values on
 * Run, and the frog panel sees the same x and y and does not draw frogs A and B again.
 */
function ownValues(values: Float32Array | number[]): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

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
  /** The data the run trains on (the editor may change meanwhile: it makes new arrays, never edits these). */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** The config the whole run started with (a continued run: its first part's, with the total epochs). */
  readonly origin: TrainConfig;
  /** Epochs done before this worker run started (a continued run). */
  readonly epochOffset: number;
  /** All of w as saved in a session (a restored run; a live one has it in `current` or `picture`). */
  private savedW: Float32Array | null = null;

  /** A pause/resume the window shows before the worker confirms it. */
  private pendingPhase: 'running' | 'paused' | null = null;
  /** A zero_grad switch sent but not yet confirmed (updates sent before it do not undo it). */
  private pendingSkipZeroGrad: boolean | null = null;

  /**
   * @param runId the worker's run id, null for a run restored from a session (nothing trains it)
   * @param config what the worker was asked to train (for a continued run: the continuation)
   * @param options.recording where losses and parameters go (default: a new one)
   * @param options.continues the run this one carries on: its recording, epochs and changes go on here
   */
  constructor(
    readonly runId: string | null,
    readonly config: TrainConfig,
    options: { recording?: RunRecording; continues?: RunTrack } = {},
  ) {
    const before = options.continues;
    this.recording = before?.recording ?? options.recording ?? new RunRecording();
    this.epochOffset = before?.epoch ?? 0;
    this.skipZeroGrad = config.skipZeroGrad ?? false;
    this.learningRate = config.learningRate;
    this.totalEpochs = this.epochOffset + config.epochs;
    this.epoch = this.epochOffset;
    this.x = before?.x ?? ownValues(config.x);
    this.y = before?.y ?? ownValues(config.y);
    this.origin = before ? { ...before.origin, epochs: this.totalEpochs } : config;
    if (before) {
      this.current = before.current;
      this.previous = before.previous;
      this.settingChanges = before.settingChanges.slice();
      // A continuation with other settings than the run ended with: a change from its first epoch.
      if (before.learningRate !== this.learningRate || before.skipZeroGrad !== this.skipZeroGrad) {
        this.settingChanges.push({ fromEpoch: this.epochOffset + 1, learningRate: this.learningRate, skipZeroGrad: this.skipZeroGrad });
      }
    }
  }

  readonly recording: RunRecording;

  /**
   * A run brought back from a session file: nothing trains it, it shows how it ended and can be
   * continued. `origin` is the run's starting config with the session's data.
   */
  static restore(origin: TrainConfig, summary: RunSummary, observe?: () => void): RunTrack {
    const losses = summary.lossHistory ?? new Float32Array(0);
    const track = new RunTrack(null, origin, { recording: restoredRecording(losses, summary.recording ?? null, observe) });
    const changes = summary.settingChanges ?? [];
    const last = changes[changes.length - 1];
    track.epoch = summary.epochs;
    track.totalEpochs = Math.max(origin.epochs, summary.epochs);
    track.settingChanges = changes.slice();
    track.learningRate = last?.learningRate ?? origin.learningRate;
    track.skipZeroGrad = last?.skipZeroGrad ?? origin.skipZeroGrad ?? false;
    track.phase = summary.state ?? (summary.epochs >= origin.epochs ? 'finished' : 'stopped');
    track.savedW = summary.wValues;
    const size = origin.x.length;
    const view = (values: Float32Array | null, stats: RunSummary['w'] | null): ParamView => {
      if (values && values.length <= FULL_VIEW_LIMIT) return { kind: 'full', values };
      const indices = track.recording.wIndices.length ? track.recording.wIndices.slice() : Array.from({ length: Math.min(8, size) }, (_, i) => i);
      const orNaN = (v: number | null | undefined) => (v === null || v === undefined ? Number.NaN : v);
      return {
        kind: 'summary',
        length: size,
        min: orNaN(stats?.min),
        max: orNaN(stats?.max),
        mean: orNaN(stats?.mean),
        indices,
        values: indices.map((i) => (values ? values[i] : orNaN(stats?.first[i]))),
      };
    };
    const wGrad = summary.wGrad ?? null;
    track.current = {
      epoch: summary.epochs,
      w: view(summary.wValues, summary.w),
      wGrad: wGrad ? view(wGrad, summarize(wGrad)) : view(null, null),
      b: summary.b ?? Number.NaN,
      bGrad: summary.bGrad ?? Number.NaN,
      learningRate: track.learningRate,
    };
    if (track.phase === 'diverged') {
      track.notice = { kind: 'diverged', epoch: summary.epochs + 1, lastFiniteEpoch: summary.epochs, lastFiniteLoss: summary.finalLoss, learningRate: track.learningRate, message: null };
    }
    // Image data: the prediction w·x + b of the saved w (float32, as the trainer computes it).
    if (origin.image && summary.wValues && summary.wValues.length === size && summary.b !== null) {
      const f = Math.fround;
      const b = summary.b;
      const w = summary.wValues;
      const prediction = Float32Array.from(track.x, (x, i) => f(f(w[i] * x) + b));
      // Drawn here, once: a restored run has no worker to draw it.
      const pictures = drawRunPictures(prediction, track.y, w, origin.image, origin.image.scale);
      track.picture = { pictures, wImage: w, b, epoch: summary.epochs, loss: summary.finalLoss };
    }
    return track;
  }

  /** All of w as of the latest epoch, when the window has it (short w, image data, a saved session). */
  fullW(): Float32Array | null {
    const current = this.current;
    if (!current) return null;
    if (current.w.kind === 'full') return current.w.values;
    if (this.picture?.wImage && this.picture.epoch === current.epoch) return this.picture.wImage;
    return this.savedW;
  }

  /** What a session file keeps of this run. */
  summary(): RunSummary | null {
    const current = this.current;
    if (!current || this.epoch === 0) return null;
    const w = this.fullW();
    const losses = this.recording.losses();
    const summary = makeRunSummary({
      epochs: this.epoch,
      losses: losses.slice(),
      finalLoss: losses.length ? losses[losses.length - 1] : Number.NaN,
      w: w ?? new Float32Array(0),
      b: current.b,
      keepValues: w !== null,
    });
    if (!w && current.w.kind === 'summary') {
      // Only a summary of a long w reached the window: keep that summary.
      const s = current.w;
      const orNull = (v: number) => (Number.isFinite(v) ? v : null);
      summary.w = { length: s.length, min: orNull(s.min), max: orNull(s.max), mean: orNull(s.mean), first: s.values.slice(0, 8).map(orNull) };
    }
    const origin = this.origin;
    summary.state = this.phase === 'finished' || this.phase === 'diverged' ? this.phase : 'stopped';
    summary.started = {
      model: origin.model ?? 'perValue',
      learningRate: origin.learningRate,
      epochs: this.totalEpochs,
      initialW: origin.initialW,
      initialB: origin.initialB,
      skipZeroGrad: origin.skipZeroGrad ?? false,
      targetLoss: origin.targetLoss ?? null,
    };
    summary.settingChanges = this.settingChanges.slice();
    summary.wGrad = current.wGrad.kind === 'full' ? current.wGrad.values : null;
    summary.bGrad = Number.isFinite(current.bGrad) ? current.bGrad : null;
    summary.recording = savedParameters(this.recording);
    return summary;
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
      this.notice = { kind: 'restarted', reason: event.reason, ...(event.cause ? { cause: event.cause } : {}) };
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
    this.recording.add(offset === 0 ? event : { ...event, epoch, firstEpoch: offset + event.firstEpoch }, offset);
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
    if (event.settingChanges) {
      for (const change of event.settingChanges) this.noteChange(offset === 0 ? change : { ...change, fromEpoch: offset + change.fromEpoch });
    }
    const snapshot: Snapshot = { epoch, w: event.w, wGrad: event.wGrad, b: event.b, bGrad: event.bGrad, learningRate: event.learningRate };
    if (!this.current || this.current.epoch !== snapshot.epoch) this.previous = this.current;
    this.current = snapshot;
    if (event.pictures) {
      this.picture = { pictures: event.pictures, wImage: event.wImage ?? null, b: event.b, epoch, loss: this.recording.lastLoss };
    }
  }

  /**
   * Keeps a confirmed change in order. For one epoch the last one counts (two requests before the
   * same epoch, e.g. Enter and then leaving the field, arrive in two updates), and a change back
   * to the settings already in force is none.
   */
  private noteChange(change: SettingChange): void {
    const changes = this.settingChanges;
    if (changes.at(-1)?.fromEpoch === change.fromEpoch) changes.pop();
    const before = changes.at(-1) ?? { learningRate: this.origin.learningRate, skipZeroGrad: this.origin.skipZeroGrad ?? false };
    if (before.learningRate !== change.learningRate || before.skipZeroGrad !== change.skipZeroGrad) changes.push(change);
  }
}

function isTrainingEvent(event: GradLabEvent): event is TrainingEvent {
  return event.type === 'update' || event.type === 'finished' || event.type === 'diverged' || event.type === 'error' || event.type === 'workerRestarted';
}
