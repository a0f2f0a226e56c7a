// The current training run as the window knows it, fed only by bridge events. Commands go out
// through the bridge; nothing here runs training itself.
import { bridge, newRunId } from '../bridge';
import type { GradLabEvent, ParamView, RunState, SettingChange, TrainConfig } from '../../src-main/contract/messages';
import { GrowingFloat32, TrajectoryRecorder, emptyTrajectory, type Trajectory } from './series';
import { paramAt, trackedIndices } from '../lib/params';

export type Phase = 'idle' | 'starting' | RunState;

export type Notice =
  | { kind: 'diverged'; epoch: number; lastFiniteLoss: number | null; learningRate: number }
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

const ACTIVE: readonly Phase[] = ['starting', 'running', 'paused'];

class RunStore {
  runId = $state<string | null>(null);
  phase = $state<Phase>('idle');
  totalEpochs = $state(0);
  epoch = $state(0);
  epochsPerSecond = $state(0);
  /** The data of the current run (the editor may change meanwhile). */
  x = $state.raw<Float32Array>(new Float32Array(0));
  y = $state.raw<Float32Array>(new Float32Array(0));
  /** Loss of every epoch so far; index 0 is epoch 1. A view replaced on every update. */
  losses = $state.raw<Float32Array>(new Float32Array(0));
  current = $state.raw<Snapshot | null>(null);
  previous = $state.raw<Snapshot | null>(null);
  trajectory = $state.raw<Trajectory>(emptyTrajectory);
  notice = $state.raw<Notice | null>(null);
  lrChange = $state.raw<{ learningRate: number; epoch: number } | null>(null);
  /** Whether the run leaves out zero_grad (the classroom mistake), as the worker last confirmed it. */
  skipZeroGrad = $state(false);
  /** The latest live switch of skipZeroGrad and the first epoch it applies to (for the note under the controls). */
  zeroGradChange = $state.raw<{ skipZeroGrad: boolean; epoch: number } | null>(null);
  /** The config the current run started with, and the live changes the worker confirmed (for the PyTorch export). */
  startedConfig = $state.raw<TrainConfig | null>(null);
  settingChanges = $state.raw<SettingChange[]>([]);

  lastLoss = $derived(this.losses.length ? this.losses[this.losses.length - 1] : null);
  active = $derived(ACTIVE.includes(this.phase));
  progress = $derived(this.totalEpochs > 0 ? Math.min(1, this.epoch / this.totalEpochs) : 0);
  secondsLeft = $derived(this.epochsPerSecond > 0 && this.phase === 'running' ? (this.totalEpochs - this.epoch) / this.epochsPerSecond : null);

  private pendingPhase: 'running' | 'paused' | null = null;
  /** A skipZeroGrad switch sent but not yet confirmed by an update (updates sent before it do not undo it). */
  private pendingSkipZeroGrad: boolean | null = null;
  private lossStore = new GrowingFloat32();
  private recorder: TrajectoryRecorder | null = null;
  private trackedW: number[] = [];

  /** Updates that arrived since the last frame; applied together so the window re-renders once per frame. */
  private queued: Extract<GradLabEvent, { type: 'update' }>[] = [];
  private frame = 0;

  constructor() {
    bridge.onEvent((event) => this.receive(event));
  }

  private receive(event: GradLabEvent): void {
    if (event.type === 'update' && typeof requestAnimationFrame === 'function') {
      this.queued.push(event);
      if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
      return;
    }
    // Anything else (finished, diverged, ...) comes after the updates before it.
    this.flush();
    this.handle(event);
  }

  private flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const queued = this.queued;
    this.queued = [];
    for (const update of queued) this.handle(update);
  }

  private clear(): void {
    this.lossStore = new GrowingFloat32();
    this.losses = this.lossStore.view();
    this.recorder = null;
    this.trackedW = [];
    this.trajectory = emptyTrajectory;
    this.current = null;
    this.previous = null;
    this.notice = null;
    this.lrChange = null;
    this.epoch = 0;
    this.epochsPerSecond = 0;
    this.pendingPhase = null;
    this.zeroGradChange = null;
    this.pendingSkipZeroGrad = null;
    this.settingChanges = [];
  }

  start(config: TrainConfig, options: { epochsPerSecond: number | null; startPaused?: boolean }): void {
    if (this.active && this.runId) bridge.send({ type: 'stop', runId: this.runId });
    this.queued = [];
    this.clear();
    const runId = newRunId('train');
    this.runId = runId;
    this.phase = 'starting';
    this.totalEpochs = config.epochs;
    this.skipZeroGrad = config.skipZeroGrad ?? false;
    this.startedConfig = config;
    this.x = Float32Array.from(config.x);
    this.y = Float32Array.from(config.y);
    bridge.send({
      type: 'start',
      runId,
      config: { ...config, epochsPerSecond: options.epochsPerSecond, startPaused: options.startPaused ?? false },
    });
  }

  pause(): void {
    if (this.runId && (this.phase === 'running' || this.phase === 'starting')) {
      bridge.send({ type: 'pause', runId: this.runId });
      // Shown at once; the worker's next update confirms it.
      this.phase = 'paused';
      this.pendingPhase = 'paused';
    }
  }

  resume(): void {
    if (this.runId && this.phase === 'paused') {
      bridge.send({ type: 'resume', runId: this.runId });
      this.phase = 'running';
      this.pendingPhase = 'running';
    }
  }

  step(count: number): void {
    if (!this.runId || !this.active) return;
    if (this.phase === 'running') this.pause();
    bridge.send({ type: 'step', runId: this.runId, count: Math.max(1, Math.floor(count)) });
  }

  stop(): void {
    if (this.runId && this.active) bridge.send({ type: 'stop', runId: this.runId });
  }

  /** Forgets the run: the worker drops it and the window returns to its empty state. */
  reset(): void {
    if (this.runId) bridge.send({ type: 'reset', runId: this.runId });
    this.runId = null;
    this.phase = 'idle';
    this.totalEpochs = 0;
    this.x = new Float32Array(0);
    this.y = new Float32Array(0);
    this.startedConfig = null;
    this.clear();
  }

  setLearningRate(learningRate: number): void {
    if (!this.runId || !this.active) return;
    bridge.send({ type: 'setLearningRate', runId: this.runId, learningRate });
    this.lrChange = { learningRate, epoch: this.epoch + 1 };
  }

  /** Switches the "forgot zero_grad" mistake on or off from the next epoch of the running run. */
  setSkipZeroGrad(skipZeroGrad: boolean): void {
    if (!this.runId || !this.active || skipZeroGrad === this.skipZeroGrad) return;
    bridge.send({ type: 'setSkipZeroGrad', runId: this.runId, skipZeroGrad });
    // Shown at once; the worker's next update confirms it.
    this.skipZeroGrad = skipZeroGrad;
    this.pendingSkipZeroGrad = skipZeroGrad;
    this.zeroGradChange = { skipZeroGrad, epoch: this.epoch + 1 };
  }

  setSpeed(epochsPerSecond: number | null): void {
    if (this.runId && this.active) bridge.send({ type: 'setSpeed', runId: this.runId, epochsPerSecond });
  }

  handle(event: GradLabEvent): void {
    if (event.type === 'pyOutput' || event.type === 'pyDone') return;
    if (event.type === 'workerRestarted') {
      // The worker died: keep every value shown so far, say what happened, allow a fresh Run.
      if (this.runId && (event.runId === this.runId || event.runId === '')) {
        if (this.active) this.phase = 'stopped';
        this.notice = { kind: 'restarted', reason: event.reason };
      }
      return;
    }
    if (event.runId !== this.runId) return;
    switch (event.type) {
      case 'update':
        this.applyUpdate(event);
        break;
      case 'finished':
        this.epoch = event.epoch;
        this.phase = event.reason === 'stopped' ? 'stopped' : 'finished';
        if (event.reason === 'target') this.notice = { kind: 'target', epoch: event.epoch };
        break;
      case 'diverged':
        this.epoch = Math.max(this.epoch, event.epoch);
        this.phase = 'diverged';
        this.notice = { kind: 'diverged', epoch: event.epoch, lastFiniteLoss: event.lastFiniteLoss, learningRate: event.learningRate };
        break;
      case 'error':
        this.notice = { kind: 'error', message: event.message };
        if (this.active) this.phase = 'stopped';
        break;
    }
  }

  private applyUpdate(event: Extract<GradLabEvent, { type: 'update' }>): void {
    if (event.losses.length > 0) {
      this.lossStore.writeAt(event.firstEpoch - 1, event.losses);
      this.losses = this.lossStore.view();
    }
    this.epoch = event.epoch;
    this.epochsPerSecond = event.epochsPerSecond;
    // A pause/resume the window already shows is not undone by an update the worker sent before it
    // saw the request; terminal states always apply.
    const settled = event.state !== 'running' && event.state !== 'paused';
    if (settled || this.pendingPhase === null || event.state === this.pendingPhase) {
      this.phase = event.state;
      this.pendingPhase = null;
    }
    if (event.skipZeroGrad !== undefined) {
      if (this.pendingSkipZeroGrad === null || event.skipZeroGrad === this.pendingSkipZeroGrad) {
        this.skipZeroGrad = event.skipZeroGrad;
        this.pendingSkipZeroGrad = null;
      }
    }
    // In order; for one epoch the last change counts (the export keeps only that one).
    if (event.settingChanges) this.settingChanges = [...this.settingChanges, ...event.settingChanges];
    const snapshot: Snapshot = { epoch: event.epoch, w: event.w, wGrad: event.wGrad, b: event.b, bGrad: event.bGrad, learningRate: event.learningRate };
    if (!this.current || this.current.epoch !== snapshot.epoch) this.previous = this.current;
    this.current = snapshot;
    if (!this.recorder) {
      this.trackedW = trackedIndices(event.w);
      this.recorder = new TrajectoryRecorder([...this.trackedW.map((i) => `w[${i}]`), 'b']);
    }
    if (event.epoch > this.recorder.lastEpoch) {
      this.recorder.record(
        event.epoch,
        [...this.trackedW.map((i) => paramAt(event.w, i) ?? NaN), event.b],
        [...this.trackedW.map((i) => paramAt(event.wGrad, i) ?? NaN), event.bGrad],
      );
      this.trajectory = this.recorder.snapshot();
    }
  }
}

export const run = new RunStore();
