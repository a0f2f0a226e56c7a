// Classroom mode's state: presenter on/off, the lesson step, the blank screen, the deliberate
// mistakes, the compared runs and the replay position, plus the presenter's own training run.
// Requests go out through `send` and events come back through the window's one event feed
// (training worker, Python runner); nothing here trains. The training worker runs one run at a
// time, so a presenter run replaces whatever ran before. The live run is a TrainingRun, the same
// store the lab's run is.
import { newRunId } from '../bridge';
import type { GradLabEvent, TrainConfig, WorkerLostCause } from '../../src-main/contract/messages';
import type { EventFeed, SendRequest } from '../state/feed';
import { feed, sendRequest } from '../state/stores';
import { clampPosition, RunRecording } from '../state/run-recording';
import type { LivePicture, Phase } from '../state/run-track';
import { TrainingRun } from '../state/training-run';
import { CompareBook, type AddResult, type CompareRun } from './compare';
import { scrub } from './replay';
import { configWithMistake, fixVectorLoss, lessonExampleConfig, VECTOR_LOSS_PROGRAM, type MistakeId } from './mistakes';
import { moveStep } from './steps';
import { isPresenterToggleKey } from './keys';

export type Panel = 'lesson' | 'mistakes' | 'compare';
/** What the live column shows in the chart's place: a chart, the frogs, the epoch's graph or the loss landscape. */
export type ChartKind = 'loss' | 'grads' | 'images' | 'graph' | 'landscape';
/** What the presenter's live run trains: the lesson's worked example, or the data in the lab. */
export type DataSource = 'example' | 'lab';

export type LivePhase = Phase;

/** Slow-motion choices (epochs per second); null trains as fast as the worker can. */
export const SPEEDS: readonly (number | null)[] = [1, 2, 5, 20, null];

export type ClassroomNotice =
  | { kind: 'diverged'; epoch: number; learningRate: number; lossIsNan: boolean }
  | { kind: 'error'; message: string }
  | { kind: 'restarted'; reason: string; cause?: WorkerLostCause }
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

/** What the presenter sees before its first run. */
const EMPTY_RECORDING = new RunRecording();

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
  /**
   * Where the live column has no room for the chart and the update together, which one it shows:
   * the update after → (one epoch by hand), the chart after Run.
   */
  updateView = $state(false);

  // ---- the presenter's live run ----
  readonly live: TrainingRun;
  dataSource = $state<DataSource>('example');
  baseConfig = $state.raw<TrainConfig>(lessonExampleConfig(100));
  /** The lab's current config, null while its data is invalid (App.svelte connects it). */
  private labConfig: () => TrainConfig | null = () => null;
  /** "Fixed" is said after a mistake's one-click fix, until the next mistake or other data. */
  private fixedNote = $state(false);

  // ---- replay ----
  replayOn = $state(false);
  replayPosition = $state(0);

  // ---- mistakes ----
  mistake = $state<MistakeId | null>(null);
  python = $state.raw<PythonRun | null>(null);

  // ---- compare ----
  readonly compare = new CompareBook();
  /** The compared runs as last changed (a fresh array each time the book changes). */
  compareRuns = $state.raw<CompareRun[]>([]);
  compareEpochs = $state(100);
  compareProblem = $state<'full' | 'duplicate' | 'invalid' | null>(null);


  private readonly unwatch: (() => void)[] = [];

  constructor(
    private readonly feed: EventFeed,
    private readonly send: SendRequest,
  ) {
    this.live = new TrainingRun({ feed, send, newRunId: () => newRunId('class'), traceEpochs: true });
    this.unwatch.push(feed.onCommand((command) => command === 'togglePresenter' && this.toggleFrom('menu')));
  }

  // ---- the live run, as the presenter shows it ----

  get phase(): LivePhase {
    return this.live.phase;
  }

  get liveActive(): boolean {
    return this.live.active;
  }

  /** The live run's recording (losses and parameters); reading it is reactive. */
  get recording(): RunRecording {
    return this.live.recording ?? EMPTY_RECORDING;
  }

  get picture(): LivePicture | null {
    return this.live.picture;
  }

  /** The config of the current run (the base config with the mistake, if one is on). */
  get runConfig(): TrainConfig | null {
    return this.live.startedConfig;
  }

  /** A finished, stopped or diverged run can be replayed. */
  get canReplay(): boolean {
    return !this.live.active && this.live.phase !== 'idle' && this.recording.epochCount > 0;
  }

  get notice(): ClassroomNotice | null {
    const notice = this.live.notice;
    if (!notice) return this.fixedNote ? { kind: 'fixed' } : null;
    switch (notice.kind) {
      case 'diverged':
        return { kind: 'diverged', epoch: notice.epoch, learningRate: notice.learningRate, lossIsNan: /became nan/.test(notice.message ?? '') };
      case 'target':
        return null;
      default:
        return notice;
    }
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

  /** The lessons in reading order (the presenter sets them): PageDown at a lesson's end goes on to the next. */
  lessonOrder = $state.raw<readonly string[]>([]);
  /** The app follows the presenter's lesson (App.svelte connects it). */
  private onLessonShown: (lessonId: string) => void = () => {};

  connectLessons(onLessonShown: (lessonId: string) => void): void {
    this.onLessonShown = onLessonShown;
  }

  /** The presenter opens on a lesson; a different lesson than last time starts at its first page. */
  presentLesson(lessonId: string): void {
    if (lessonId === this.lessonId) return;
    this.lessonId = lessonId;
    this.stepIndex = 0;
  }

  /** The shown lesson's pages were laid out (again): `index` is the page to show now. */
  setPages(count: number, index = this.stepIndex): void {
    this.stepCount = count;
    this.stepIndex = moveStep(index, 0, count);
  }

  nextStep(): void {
    if (this.stepCount === 0) return; // the lesson's pages are still being laid out
    if (this.stepIndex < this.stepCount - 1) {
      this.stepIndex += 1;
      return;
    }
    const next = this.lessonOrder[this.lessonOrder.indexOf(this.lessonId) + 1];
    if (next !== undefined && this.lessonOrder.includes(this.lessonId)) this.switchLesson(next, 0);
  }

  previousStep(): void {
    if (this.stepCount === 0) return;
    if (this.stepIndex > 0) {
      this.stepIndex -= 1;
      return;
    }
    const previous = this.lessonOrder[this.lessonOrder.indexOf(this.lessonId) - 1];
    // Its last page: the count is known once its pages are laid out (setPages clamps).
    if (previous !== undefined) this.switchLesson(previous, Number.MAX_SAFE_INTEGER);
  }

  /** Whether PageDown / PageUp lead anywhere from here (within the lesson or across lessons). */
  get canGoNext(): boolean {
    const at = this.lessonOrder.indexOf(this.lessonId);
    return this.stepIndex < this.stepCount - 1 || (at >= 0 && at < this.lessonOrder.length - 1);
  }

  get canGoPrevious(): boolean {
    return this.stepIndex > 0 || this.lessonOrder.indexOf(this.lessonId) > 0;
  }

  /** The lesson PageDown (or PageUp) would move to from a lesson's last (or first) page, if any. */
  get adjacentLesson(): { next: string | null; previous: string | null } {
    const at = this.lessonOrder.indexOf(this.lessonId);
    return {
      next: this.stepIndex >= this.stepCount - 1 && at >= 0 ? (this.lessonOrder[at + 1] ?? null) : null,
      previous: this.stepIndex <= 0 && at > 0 ? this.lessonOrder[at - 1] : null,
    };
  }

  private switchLesson(lessonId: string, page: number): void {
    this.lessonId = lessonId;
    this.stepIndex = page;
    this.stepCount = 0;
    this.onLessonShown(lessonId);
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
    this.live.reset();
    this.closeReplay();
    this.fixedNote = false;
  }

  /** No replay: what a new run (or new data) starts from. */
  private closeReplay(): void {
    this.replayOn = false;
    this.replayPosition = 0;
  }

  // ---- the live run ----

  /** Starts the lesson example (with the active training mistake, if any) at the chosen speed. */
  startLive(options: { paused?: boolean } = {}): void {
    // The lab's data as it is now (it may have been edited since it was chosen).
    if (this.dataSource === 'lab') this.setDataSource(this.labConfig() ? 'lab' : 'example');
    const trainingMistake = this.mistake === 'vectorLoss' ? null : this.mistake;
    // The fixed program's output gives the chart its place back once training starts again.
    if (this.programShown) this.python = null;
    this.closeReplay();
    this.live.start(configWithMistake(this.baseConfig, trainingMistake), { epochsPerSecond: this.speed, startPaused: options.paused ?? false });
  }

  /** Space: run, pause, or resume; after a run ended, a fresh run. */
  runPause(): void {
    if (this.programMistake) return this.runProgram(this.python?.source ?? VECTOR_LOSS_PROGRAM, false);
    if (this.replayOn) this.replayOn = false;
    this.updateView = false;
    switch (this.live.phase) {
      case 'running':
      case 'starting':
        return this.live.pause();
      case 'paused':
        return this.live.resume();
      default:
        this.startLive();
    }
  }

  /** →: exactly one epoch (pausing first when running; starting paused when nothing runs). */
  stepEpoch(): void {
    if (this.programMistake) return; // a program, not a training run: there are no epochs to step
    this.updateView = true;
    if (!this.live.active) this.startLive({ paused: true });
    this.live.step(1);
  }

  setSpeed(speed: number | null): void {
    this.speed = speed;
    this.live.setSpeed(speed);
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

  /**
   * Switches a mistake on, ready to show: the training mistakes wait for Run (Space), so the class
   * sees the start; the vector loss is a program, which runs at once and fails in backward()
   * (no training run goes on beside it). Switching it off fixes it (fixMistake).
   */
  setMistake(mistake: MistakeId | null): void {
    if (mistake === null) return this.fixMistake();
    this.mistake = mistake;
    this.panel = 'mistakes';
    this.fixedNote = false;
    this.live.reset();
    this.closeReplay();
    if (mistake === 'vectorLoss') {
      this.runProgram(VECTOR_LOSS_PROGRAM, false);
      return;
    }
    this.chart = mistake === 'noZeroGrad' ? 'grads' : 'loss';
    if (mistake === 'lrTimes100') this.logScale = true;
  }

  /** The vector-loss mistake is on: Run (Space) runs its program again instead of training. */
  get programMistake(): boolean {
    return this.mistake === 'vectorLoss';
  }

  /**
   * The mistakes panel shows the vector-loss program's result in the chart's place: while the
   * mistake is on, and after its fix (the fixed program's output) until another mistake or a run.
   */
  get programShown(): boolean {
    return this.panel === 'mistakes' && this.python !== null && (this.mistake === 'vectorLoss' || (this.mistake === null && this.python.fixed));
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
      this.fixedNote = true;
      this.startLive();
    }
  }

  private unwatchPython: (() => void) | null = null;

  runProgram(source: string, fixed: boolean): void {
    if (this.python?.status === 'running') this.send({ type: 'stopPython', runId: this.python.runId });
    this.unwatchPython?.();
    const runId = newRunId('class-py');
    this.python = { runId, source, status: 'running', output: '', ok: null, errorLine: null, line: null, fixed };
    this.unwatchPython = this.feed.watchRun(runId, (event) => this.handlePython(event));
    this.send({ type: 'runPython', runId, source });
  }

  // ---- compare ----

  addCompareRun(learningRate: number): AddResult {
    const result = this.compare.add(learningRate);
    this.compareProblem = result.ok ? null : result.reason;
    this.compareChanged();
    return result;
  }

  removeCompareRun(key: string): void {
    const removed = this.compare.remove(key);
    if (removed?.status === 'running' && removed.runId) {
      this.send({ type: 'stop', runId: removed.runId });
      this.startNextCompare();
    }
    this.compareProblem = null;
    this.compareChanged();
  }

  clearCompare(): void {
    const running = this.compare.running;
    if (running?.runId) this.send({ type: 'stop', runId: running.runId });
    this.compare.clear();
    this.compareProblem = null;
    this.compareChanged();
  }

  /** Runs every listed learning rate again, one after another. */
  runCompare(): void {
    const running = this.compare.running;
    if (running?.runId) this.send({ type: 'stop', runId: running.runId });
    this.compare.requeueAll();
    this.compareChanged();
    this.startNextCompare();
  }

  private unwatchCompare: (() => void) | null = null;

  private compareChanged(): void {
    this.compareRuns = this.compare.runs.map((run) => ({ ...run }));
  }

  private startNextCompare(): void {
    const next = this.compare.nextToStart();
    if (!next) return;
    // The worker runs one run at a time: the live run (if any) ends here.
    this.live.stop();
    const runId = newRunId('class-cmp');
    this.compare.markStarted(next.key, runId);
    this.unwatchCompare?.();
    this.unwatchCompare = this.feed.watchRun(runId, (event) => this.handleCompare(event));
    this.compareChanged();
    const config: TrainConfig = { ...this.baseConfig, learningRate: next.learningRate, epochs: this.compareEpochs, skipZeroGrad: false };
    this.send({ type: 'start', runId, config: { ...config, epochsPerSecond: null, startPaused: false } });
  }

  // ---- events ----

  private handleCompare(event: GradLabEvent): void {
    const running = this.compare.running;
    if (event.type === 'workerRestarted') {
      if (!running?.runId) return;
      const { startNext } = this.compare.apply({ type: 'error', runId: running.runId, message: event.reason });
      this.compareChanged();
      if (startNext) this.startNextCompare();
      return;
    }
    if (event.type === 'update' || event.type === 'finished' || event.type === 'diverged' || event.type === 'error') {
      const { changed, startNext } = this.compare.apply(event);
      if (changed) this.compareChanged();
      if (startNext) this.startNextCompare();
    }
  }

  private handlePython(event: GradLabEvent): void {
    const run = this.python;
    if (!run || event.runId !== run.runId || (event.type !== 'pyOutput' && event.type !== 'pyDone')) return;
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

  /** For tests and hot reload: stop listening to the feed. */
  dispose(): void {
    for (const stop of this.unwatch.splice(0)) stop();
    this.unwatchPython?.();
    this.unwatchCompare?.();
    this.live.dispose();
  }
}

export const classroom = new ClassroomState(feed, sendRequest);

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
