// One training run as the host keeps it: the trainer and its loss history, where the run stands,
// what the window has been told, and its pacing (pacing.ts).
import type { RunId, RunState, RunStats, SettingChange, TrainConfig } from '../contract/messages';
import { Float32Series } from '../contract/series';
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
}

/** A new run (throws what the trainer throws for data it cannot train on). */
export function createRun(id: RunId, config: TrainConfig, limits: PacingLimits, now: number, cpuNow: number | null): Run {
  return {
    id,
    config,
    trainer: new LinearRegressionTrainer(config),
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
  };
}

/** Whether the run is still going (running or paused), as opposed to ended. */
export function isLive(run: Run): boolean {
  return run.status === 'running' || run.status === 'paused';
}
