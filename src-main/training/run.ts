// One training run as the host keeps it: the trainer and its loss history, where the run stands,
// what the window has been told, and its pacing (pacing.ts).
import { TRACE_EPOCH_LIMIT, WINDOW_READY_TIMEOUT_MS, type RunId, type RunState, type RunStats, type SettingChange, type TrainConfig } from '../contract/messages';
import { Float32Series, Float64Series } from '../contract/series';
import type { GraphWatch } from './lab-graph';
import type { PacingLimits } from './pacing';
import { RunPacing } from './pacing';
import { LinearRegressionTrainer } from './trainer';

export interface Run {
  readonly id: RunId;
  readonly config: TrainConfig;
  readonly trainer: LinearRegressionTrainer;
  /** Every epoch's loss. */
  readonly history: Float32Series;
  status: RunState;
  readonly totalEpochs: number;
  /** Epochs left before pausing again after `step`; null when running freely. */
  stepBudget: number | null;
  targetLoss: number | null;
  /** Epochs already covered by posted updates. */
  postedEpoch: number;
  /** A setting changed and the window has not been told yet. */
  dirty: boolean;
  /** Live setting changes not yet posted (see EventMap['update'].settingChanges). */
  settingChanges: SettingChange[];
  /** A state was posted without its picture; the next update must carry one. */
  owesPicture: boolean;
  readonly pacing: RunPacing;
  readonly stats: RunStats;
  /** Clock and thread CPU clock when the run started (for stats.wallMs / stats.cpuMs). */
  readonly startedAt: number;
  readonly cpuStartedAt: number | null;
  /** The lab's graph view is open (lab-graph.ts); null otherwise. */
  graphWatch: GraphWatch | null;
  /** Each epoch's parameters since the last update (TrainConfig.traceEpochs), else null. */
  readonly trace: Float64Series | null;
  /**
   * Until when the first epoch waits for the window's `windowReady` (TrainConfig.waitForWindow);
   * null once it arrived, the wait timed out, or the run was not asked to wait.
   */
  heldUntil: number | null;
}

/** A new run (throws what the trainer throws for data it cannot train on). */
export function createRun(id: RunId, config: TrainConfig, limits: PacingLimits & { fullParamLimit?: number }, now: number, cpuNow: number | null): Run {
  const trainer = new LinearRegressionTrainer(config);
  const traced = config.traceEpochs === true && trainer.wSize <= (limits.fullParamLimit ?? 0) && config.epochs <= TRACE_EPOCH_LIMIT;
  return {
    id,
    config,
    trainer,
    history: new Float32Series(Math.min(Math.max(config.epochs, 16), 1 << 16)),
    status: config.startPaused ? 'paused' : 'running',
    totalEpochs: config.epochs,
    stepBudget: null,
    targetLoss: config.targetLoss ?? null,
    postedEpoch: 0,
    dirty: false,
    settingChanges: [],
    owesPicture: false,
    pacing: new RunPacing(limits, now, config.epochsPerSecond ?? null),
    stats: { trainingMs: 0, streamingMs: 0, updates: 0 },
    startedAt: now,
    cpuStartedAt: cpuNow,
    graphWatch: null,
    trace: traced ? new Float64Series(256) : null,
    heldUntil: config.waitForWindow && !config.startPaused ? now + WINDOW_READY_TIMEOUT_MS : null,
  };
}

/** Whether the run is still going (running or paused), as opposed to ended. */
export function isLive(run: Run): boolean {
  return run.status === 'running' || run.status === 'paused';
}
