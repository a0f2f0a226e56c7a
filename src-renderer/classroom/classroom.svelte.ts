// Classroom mode's state: presenter on/off, the lesson step, the blank screen, the deliberate
// mistakes, the compared runs and the replay position, plus the presenter's own training run.
// Everything goes through the bridge (training worker, Python runner); nothing here trains.
// The training worker runs one run at a time, so a presenter run replaces whatever ran before.
import { bridge, newRunId } from '../bridge';
import { APP_RUN_ID } from '../../src-main/contract/channels';
import type { GradLabEvent, RunState, TrainConfig } from '../../src-main/contract/messages';
import { CompareBook, type AddResult } from './compare';
import { RunRecording, clampPosition, scrub } from './replay';
import { configWithMistake, fixVectorLoss, lessonExampleConfig, VECTOR_LOSS_PROGRAM, type MistakeId } from './mistakes';
import { moveStep } from './steps';
import { isPresenterToggleKey } from './keys';

export type Panel = 'lesson' | 'mistakes' | 'compare';
export type ChartKind = 'loss' | 'grads' | 'images';
/** What the presenter's live run trains: the lesson's worked example, or the data in the lab. */
export type DataSource = 'example' | 'lab';

/** The newest picture of the live run (image data only, at most ~10 a second). */
export interface LivePicture {
  prediction: Float32Array;
  wImage: Float32Array | null;
  b: number;
  epoch: number;
  loss: number | null;
}
export type LivePhase = 'idle' | 'starting' | RunState;

/** Slow-motion choices (epochs per second); null trains as fast as the worker can. */
export const SPEEDS: readonly (number | null)[] = [1, 2, 5, 20, null];

export type ClassroomNotice =
  | { kind: 'diverged'; epoch: number; learningRate: number; lossIsNan: boolean }
  | { kind: 'error'; message: string }
  | { kind: 'restarted'; reason: string }
  | { kind: 'fixed' };

export interface PythonRun {
  runId: string;
  source: string;
  status: 'running' | 'done';
  output: string;
  ok: boolean | null;
  errorLine: string | null;
  line: number | null;
  /** This run is the fixed program. */
  fixed: boolean;
}

const LIVE_ACTIVE: readonly LivePhase[] = ['starting', 'running', 'paused'];

class ClassroomState {
  // ---- presentation ----
  presenter = $state(false);
  blank = $state(false);
  stepIndex = $state(0);
  stepCount = $state(0);
  lessonId = $state('');
  panel = $state<Panel>('lesson');
  chart = $state<ChartKind>('loss');
  logScale = $state(false);
  speed = $state<number | null>(2);
  /** The w element whose update the arithmetic writes out. */
  wIndex = $state(0);

  // ---- the presenter's live run ----
  phase = $state<LivePhase>('idle');
  dataSource = $state<DataSource>('example');
  baseConfig = $state.raw<TrainConfig>(lessonExampleConfig(100));
  picture = $state.raw<LivePicture | null>(null);
  /** The lab's current config, null while its data is invalid (App.svelte connects it). */
  private labConfig: () => TrainConfig | null = () => null;
  /** The config of the current run (the base config with the mistake, if one is on). */
  runConfig = $state.raw<TrainConfig | null>(null);
  recording = $state.raw(new RunRecording());
  /** Bumped on every change to `recording` (it is mutated in place). */
  version = $state(0);
  notice = $state.raw<ClassroomNotice | null>(null);
  private liveRunId: string | null = null;
  /** A pause/resume the window shows before the worker confirms it. */
  private pendingPhase: 'running' | 'paused' | null = null;

  // ---- replay ----
  replayOn = $state(false);
  replayPosition = $state(0);

  // ---- mistakes ----
  mistake = $state<MistakeId | null>(null);
  python = $state.raw<PythonRun | null>(null);

  // ---- compare ----
  compare = $state.raw(new CompareBook());
  compareVersion = $state(0);
  compareEpochs = $state(100);
  compareProblem = $state<'full' | 'duplicate' | 'invalid' | null>(null);

  liveActive = $derived(LIVE_ACTIVE.includes(this.phase));
  canReplay = $derived(!LIVE_ACTIVE.includes(this.phase) && this.phase !== 'idle' && this.version >= 0 && this.recording.epochCount > 0);

  private unsubscribe: (() => void) | null = null;

  constructor() {
    this.unsubscribe = bridge.onEvent((event) => this.handle(event));
  }

  // ---- presenter mode ----

  setPresenter(on: boolean): void {
    this.presenter = on;
    if (!on) this.blank = false;
  }

  togglePresenter(): void {
    this.setPresenter(!this.presenter);
  }

  private lastToggle: { source: 'key' | 'menu'; at: number } | null = null;

  /**
   * F5 arrives twice in Electron on some systems: as the page's keydown and as the menu
   * accelerator's 'togglePresenter' command. One press must toggle once, so the second source
   * is ignored when it follows the first within a moment.
   */
  toggleFrom(source: 'key' | 'menu', now = Date.now()): void {
    const last = this.lastToggle;
    if (last && last.source !== source && now - last.at < 400) return;
    this.lastToggle = { source, at: now };
    this.togglePresenter();
  }

  toggleBlank(): void {
    this.blank = !this.blank;
  }

  /** Called by the presenter view when it shows a lesson; a different lesson starts at its first step. */
  showLesson(lessonId: string, stepCount: number): void {
    if (lessonId !== this.lessonId) {
      this.lessonId = lessonId;
      this.stepIndex = 0;
    }
    this.stepCount = stepCount;
    this.stepIndex = moveStep(this.stepIndex, 0, stepCount);
  }

  nextStep(): void {
    this.stepIndex = moveStep(this.stepIndex, 1, this.stepCount);
  }

  previousStep(): void {
    this.stepIndex = moveStep(this.stepIndex, -1, this.stepCount);
  }

  // ---- what the live run trains ----

  connectLab(getConfig: () => TrainConfig | null): void {
    this.labConfig = getConfig;
  }

  /** How many values the lab's data has (null while it is invalid, so there is nothing to train). */
  labValueCount(): number | null {
    return this.labConfig()?.x.length ?? null;
  }

  /**
   * Trains the worked example or the lab's data (its learning rate, epochs and start values too)
   * from the next run on. Returns false, changing nothing, when the lab has no valid data.
   */
  setDataSource(source: DataSource): boolean {
    const config = source === 'lab' ? this.labConfig() : lessonExampleConfig(100);
    if (!config) return false;
    if (source !== this.dataSource) this.clearLive();
    this.dataSource = source;
    this.baseConfig = config;
    if (this.wIndex >= config.x.length) this.wIndex = 0;
    if (this.chart === 'images' && !config.image) this.chart = 'loss';
    return true;
  }

  /** Other data was chosen: the view goes back to "ready", and a live run of the old data stops. */
  private clearLive(): void {
    if (this.liveRunId && this.liveActive) this.send({ type: 'stop', runId: this.liveRunId });
    this.liveRunId = null;
    this.runConfig = null;
    this.resetLiveView();
    this.notice = null;
    this.phase = 'idle';
  }

  /** An empty recording, no picture, no replay: what a new run (or new data) starts from. */
  private resetLiveView(): void {
    this.recording = new RunRecording();
    this.version += 1;
    this.picture = null;
    this.replayOn = false;
    this.replayPosition = 0;
    this.pendingPhase = null;
  }

  // ---- the live run ----

  private send(request: Parameters<typeof bridge.send>[0]): void {
    bridge.send(request);
  }

  /** Starts the lesson example (with the active training mistake, if any) at the chosen speed. */
  startLive(options: { paused?: boolean } = {}): void {
    if (this.liveRunId && this.liveActive) this.send({ type: 'stop', runId: this.liveRunId });
    // The lab's data as it is now (it may have been edited since it was chosen).
    if (this.dataSource === 'lab') this.setDataSource(this.labConfig() ? 'lab' : 'example');
    const trainingMistake = this.mistake === 'vectorLoss' ? null : this.mistake;
    const config = configWithMistake(this.baseConfig, trainingMistake);
    const runId = newRunId('class');
    this.liveRunId = runId;
    this.runConfig = config;
    this.resetLiveView();
    if (this.notice?.kind !== 'fixed') this.notice = null;
    this.phase = 'starting';
    this.send({ type: 'start', runId, config: { ...config, epochsPerSecond: this.speed, startPaused: options.paused ?? false } });
  }

  /** Space: run, pause, or resume; after a run ended, a fresh run. */
  runPause(): void {
    if (this.replayOn) this.replayOn = false;
    const runId = this.liveRunId;
    switch (this.phase) {
      case 'running':
      case 'starting':
        if (runId) {
          this.send({ type: 'pause', runId });
          this.phase = 'paused';
          this.pendingPhase = 'paused';
        }
        return;
      case 'paused':
        if (runId) {
          this.send({ type: 'resume', runId });
          this.phase = 'running';
          this.pendingPhase = 'running';
        }
        return;
      default:
        this.startLive();
    }
  }

  /** →: exactly one epoch (pausing first when running; starting paused when nothing runs). */
  stepEpoch(): void {
    if (!this.liveActive || !this.liveRunId) this.startLive({ paused: true });
    else if (this.phase === 'running' || this.phase === 'starting') this.send({ type: 'pause', runId: this.liveRunId });
    this.phase = 'paused';
    this.pendingPhase = 'paused';
    this.send({ type: 'step', runId: this.liveRunId!, count: 1 });
  }

  setSpeed(speed: number | null): void {
    this.speed = speed;
    if (this.liveRunId && this.liveActive) this.send({ type: 'setSpeed', runId: this.liveRunId, epochsPerSecond: speed });
  }

  // ---- replay ----

  setReplay(on: boolean): void {
    if (on && !this.canReplay) return;
    this.replayOn = on;
    if (on) this.replayPosition = this.recording.epochCount;
  }

  setReplayPosition(position: number): void {
    this.replayPosition = clampPosition(position, this.recording.epochCount);
  }

  scrubReplay(direction: 1 | -1, big = false): void {
    this.replayPosition = scrub(this.replayPosition, direction, this.recording.epochCount, big);
  }

  // ---- mistakes ----

  /** Switches a mistake on (and shows its effect at once) or off. */
  setMistake(mistake: MistakeId | null): void {
    if (mistake === null) return this.fixMistake();
    this.mistake = mistake;
    this.panel = 'mistakes';
    this.notice = null;
    if (mistake === 'vectorLoss') {
      this.runProgram(VECTOR_LOSS_PROGRAM, false);
      return;
    }
    this.chart = mistake === 'noZeroGrad' ? 'grads' : 'loss';
    if (mistake === 'lrTimes100') this.logScale = true;
    this.startLive();
  }

  /** The one-click fix for the active mistake: correct the program or config and run it again. */
  fixMistake(): void {
    const mistake = this.mistake;
    this.mistake = null;
    if (mistake === 'vectorLoss') {
      this.runProgram(fixVectorLoss(this.python?.source ?? VECTOR_LOSS_PROGRAM), true);
      return;
    }
    if (mistake === 'noZeroGrad' || mistake === 'lrTimes100') {
      this.notice = { kind: 'fixed' };
      this.startLive();
    }
  }

  runProgram(source: string, fixed: boolean): void {
    if (this.python?.status === 'running') this.send({ type: 'stopPython', runId: this.python.runId });
    const runId = newRunId('class-py');
    this.python = { runId, source, status: 'running', output: '', ok: null, errorLine: null, line: null, fixed };
    this.send({ type: 'runPython', runId, source });
  }

  // ---- compare ----

  addCompareRun(learningRate: number): AddResult {
    const result = this.compare.add(learningRate);
    this.compareProblem = result.ok ? null : result.reason;
    this.compareVersion += 1;
    return result;
  }

  removeCompareRun(key: string): void {
    const removed = this.compare.remove(key);
    if (removed?.status === 'running' && removed.runId) {
      this.send({ type: 'stop', runId: removed.runId });
      this.startNextCompare();
    }
    this.compareProblem = null;
    this.compareVersion += 1;
  }

  clearCompare(): void {
    const running = this.compare.running;
    if (running?.runId) this.send({ type: 'stop', runId: running.runId });
    this.compare.clear();
    this.compareProblem = null;
    this.compareVersion += 1;
  }

  /** Runs every listed learning rate again, one after another. */
  runCompare(): void {
    const running = this.compare.running;
    if (running?.runId) this.send({ type: 'stop', runId: running.runId });
    this.compare.requeueAll();
    this.compareVersion += 1;
    this.startNextCompare();
  }

  private startNextCompare(): void {
    const next = this.compare.nextToStart();
    if (!next) return;
    // The worker runs one run at a time: the live run (if any) ends here.
    if (this.liveRunId && this.liveActive) this.phase = 'stopped';
    const runId = newRunId('class-cmp');
    this.compare.markStarted(next.key, runId);
    this.compareVersion += 1;
    const config: TrainConfig = { ...this.baseConfig, learningRate: next.learningRate, epochs: this.compareEpochs, skipZeroGrad: false };
    this.send({ type: 'start', runId, config: { ...config, epochsPerSecond: null, startPaused: false } });
  }

  // ---- events ----

  handle(event: GradLabEvent): void {
    if (event.type === 'appCommand') {
      if (event.runId === APP_RUN_ID && event.command === 'togglePresenter') this.toggleFrom('menu');
      return;
    }
    if (event.type === 'pyOutput' || event.type === 'pyDone') return this.handlePython(event);
    if (event.type === 'workerRestarted') {
      if (this.liveActive && (event.runId === this.liveRunId || event.runId === '')) {
        this.phase = 'stopped';
        this.notice = { kind: 'restarted', reason: event.reason };
      }
      const running = this.compare.running;
      if (running && (event.runId === running.runId || event.runId === '')) {
        const { startNext } = this.compare.apply({ type: 'error', runId: running.runId!, message: event.reason });
        this.compareVersion += 1;
        if (startNext) this.startNextCompare();
      }
      return;
    }
    if (event.runId === this.liveRunId) return this.handleLive(event);
    if (event.type === 'update' || event.type === 'finished' || event.type === 'diverged' || event.type === 'error') {
      const { changed, startNext } = this.compare.apply(event);
      if (changed) this.compareVersion += 1;
      if (startNext) this.startNextCompare();
    }
  }

  private handleLive(event: GradLabEvent): void {
    switch (event.type) {
      case 'update': {
        this.recording.add(event);
        this.version += 1;
        if (event.prediction) {
          const loss = this.recording.epochCount > 0 ? this.recording.lossAt(this.recording.epochCount) : null;
          this.picture = { prediction: event.prediction, wImage: event.wImage ?? null, b: event.b, epoch: event.epoch, loss };
        }
        // A pause/resume the window already shows is not undone by an update the worker sent before
        // it saw the request; terminal states always apply.
        const settled = event.state !== 'running' && event.state !== 'paused';
        if (settled || this.pendingPhase === null || event.state === this.pendingPhase) {
          this.phase = event.state;
          this.pendingPhase = null;
        }
        return;
      }
      case 'finished':
        this.phase = event.reason === 'stopped' ? 'stopped' : 'finished';
        return;
      case 'diverged':
        this.phase = 'diverged';
        this.notice = { kind: 'diverged', epoch: event.epoch, learningRate: event.learningRate, lossIsNan: /became nan/.test(event.message ?? '') };
        return;
      case 'error':
        this.notice = { kind: 'error', message: event.message };
        if (this.liveActive) this.phase = 'stopped';
        return;
    }
  }

  private handlePython(event: Extract<GradLabEvent, { type: 'pyOutput' | 'pyDone' }>): void {
    const run = this.python;
    if (!run || event.runId !== run.runId) return;
    if (event.type === 'pyOutput') {
      this.python = { ...run, output: run.output + event.text };
      return;
    }
    this.python = {
      ...run,
      status: 'done',
      ok: event.ok,
      errorLine: event.errorLine ?? (event.stopped ? 'Stopped' : null),
      line: event.line ?? null,
    };
  }

  /** For tests and hot reload: stop listening to the bridge. */
  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

export const classroom = new ClassroomState();

let shortcutsInstalled = false;

/** Whether installPresenterShortcuts() is active (then F5 inside the presenter is left to it). */
export function presenterShortcutsInstalled(): boolean {
  return shortcutsInstalled;
}

/**
 * F5 (and Shift+F5, which clickers send) toggles presenter mode from anywhere in the app, and
 * never reloads the page. The Electron menu's 'togglePresenter' command arrives through the
 * bridge and is handled by the classroom state itself. Returns the uninstaller.
 */
export function installPresenterShortcuts(target: Window = window): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (!isPresenterToggleKey(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!event.repeat) classroom.toggleFrom('key');
  };
  target.addEventListener('keydown', onKey, { capture: true });
  shortcutsInstalled = true;
  return () => {
    target.removeEventListener('keydown', onKey, { capture: true });
    shortcutsInstalled = false;
  };
}
