// The one contract between renderer, preload, main and the workers.
// Requests (renderer -> worker) and events (worker -> renderer) are discriminated unions on
// `type`, and every message carries the run id it belongs to. Main validates every request
// against `requestSchema` before a worker sees it. Pure TypeScript + valibot: no Node, DOM or
// Electron imports, so every layer can import it.
import * as v from 'valibot';

export type RunId = string;

/** How w starts: given values, all ones, all zeros, or seeded random (torch.rand after manual_seed). */
export type InitialWeights =
  | { kind: 'values'; values: number[] }
  | { kind: 'ones' }
  | { kind: 'zeros' }
  | { kind: 'random'; seed: number };

/** Image geometry when x and y are pixel vectors (row-major, channels last). */
export interface ImageShape {
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface TrainConfig {
  x: Float32Array | number[];
  y: Float32Array | number[];
  initialW: InitialWeights;
  initialB: number;
  learningRate: number;
  epochs: number;
  /** Stop early once the loss is below this. */
  targetLoss?: number;
  /** null: as fast as possible; otherwise epochs per second (>= 1) for slow-motion demos. */
  epochsPerSecond?: number | null;
  /** Start paused (used by step-by-step demos). */
  startPaused?: boolean;
  image?: ImageShape;
  /** Classroom mistake: never zero the gradients, so they pile up epoch after epoch. */
  skipZeroGrad?: boolean;
}

/** Requests, keyed by type. */
export interface RequestMap {
  start: { type: 'start'; runId: RunId; config: TrainConfig };
  pause: { type: 'pause'; runId: RunId };
  resume: { type: 'resume'; runId: RunId };
  step: { type: 'step'; runId: RunId; count: number };
  stop: { type: 'stop'; runId: RunId };
  reset: { type: 'reset'; runId: RunId };
  setLearningRate: { type: 'setLearningRate'; runId: RunId; learningRate: number };
  setSpeed: { type: 'setSpeed'; runId: RunId; epochsPerSecond: number | null };
  setTargetLoss: { type: 'setTargetLoss'; runId: RunId; targetLoss: number | null };
  runPython: { type: 'runPython'; runId: RunId; source: string };
  stopPython: { type: 'stopPython'; runId: RunId };
}
export type Request = RequestMap[keyof RequestMap];

/** A parameter vector as sent to the window: every value when short, otherwise a summary. */
export type ParamView =
  | { kind: 'full'; values: Float32Array }
  | {
      kind: 'summary';
      length: number;
      min: number;
      max: number;
      mean: number;
      /** Chosen indices (e.g. the first few) and their values. */
      indices: number[];
      values: number[];
    };

export type RunState = 'running' | 'paused' | 'finished' | 'stopped' | 'diverged';

/** Time a run spent, measured inside the worker (ms). */
export interface RunStats {
  /** Running epochs (forward, backward, update, recording the loss). */
  trainingMs: number;
  /** Building and posting updates (summaries, predictions, copies, postMessage). */
  streamingMs: number;
  /** Updates posted. */
  updates: number;
}

/** Events, keyed by type. */
export interface EventMap {
  update: {
    type: 'update';
    runId: RunId;
    state: RunState;
    /** Epochs completed so far. */
    epoch: number;
    /** Loss of every epoch since the previous update, in order (transferred, not copied). */
    losses: Float32Array;
    /** Epoch number of losses[0] (1-based). A receiver keeps its first firstEpoch-1 losses and
     * appends these; after a `reset` the update has epoch 0, firstEpoch 1 and no losses. */
    firstEpoch: number;
    w: ParamView;
    wGrad: ParamView;
    b: number;
    bGrad: number;
    learningRate: number;
    epochsPerSecond: number;
    /** Prediction w*x + b for image data, at most ~10 per second. */
    prediction?: Float32Array;
    /** The speed setting (null: as fast as possible); epochsPerSecond above is the measured rate. */
    speedLimit?: number | null;
    /** The current target loss, null when none. */
    targetLoss?: number | null;
    /** Epochs the run is configured for. */
    totalEpochs?: number;
  };
  finished: {
    type: 'finished';
    runId: RunId;
    reason: 'epochs' | 'target' | 'stopped';
    epoch: number;
    loss: number;
    /** Where the worker's time went during this run (for benchmarks and diagnostics). */
    stats?: RunStats;
  };
  diverged: {
    type: 'diverged';
    runId: RunId;
    /** 1-based epoch whose loss was nan/inf (w and b are the values that produced it). */
    epoch: number;
    lastFiniteLoss: number | null;
    learningRate: number;
    /** Ready-to-show explanation with the suggestion to lower the learning rate. */
    message?: string;
  };
  error: { type: 'error'; runId: RunId; message: string };
  workerRestarted: { type: 'workerRestarted'; runId: RunId; reason: string };
  pyOutput: { type: 'pyOutput'; runId: RunId; text: string };
  pyDone: {
    type: 'pyDone';
    runId: RunId;
    ok: boolean;
    /** The last line of Python's traceback, e.g. "NameError: name 'w' is not defined". */
    errorLine?: string;
    /** 1-based line of the error in the source, when known. */
    line?: number;
    stopped?: boolean;
  };
  /** A command from the desktop shell (application menu); runId is APP_RUN_ID. */
  appCommand: { type: 'appCommand'; runId: RunId; command: AppCommand };
}

/** Commands the Electron menu sends to the window. */
export type AppCommand = 'showShortcuts' | 'showAbout' | 'togglePresenter' | 'openSession' | 'saveSession';
/** Run id for messages that belong to the app, not to a run. */
export const APP_RUN_ID = 'app';
export type GradLabEvent = EventMap[keyof EventMap];

/** What the renderer sees: implemented by the Electron preload and by the Web Worker bridge. */
export interface GradLabBridge {
  readonly platform: 'electron' | 'web';
  send(request: Request): void;
  onEvent(listener: (event: GradLabEvent) => void): () => void;
}

// ---- validation (main checks every request before a worker sees it) ----

const runId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const finiteNumber = v.pipe(v.number(), v.finite());
/** Every element a finite number, checked in one plain loop: valibot's per-element pipeline
 * needs most of a second for a 786,432-value image, and a start request is checked in main and
 * again in the worker. Accepts and refuses exactly what v.array(finiteNumber) does. */
function isFiniteNumberArray(input: unknown): input is number[] {
  if (!Array.isArray(input)) return false;
  for (let i = 0; i < input.length; i++) {
    const value: unknown = input[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  }
  return true;
}
const finiteNumberList = v.custom<number[]>(isFiniteNumberArray, 'Expected an array of finite numbers');
const numberArray = v.union([v.instance(Float32Array), finiteNumberList], 'Expected a Float32Array or an array of finite numbers');

const initialWeightsSchema = v.variant('kind', [
  v.object({ kind: v.literal('values'), values: finiteNumberList }),
  v.object({ kind: v.literal('ones') }),
  v.object({ kind: v.literal('zeros') }),
  v.object({ kind: v.literal('random'), seed: v.pipe(v.number(), v.integer()) }),
]);

const trainConfigSchema = v.object({
  x: numberArray,
  y: numberArray,
  initialW: initialWeightsSchema,
  initialB: finiteNumber,
  learningRate: v.pipe(finiteNumber, v.minValue(0)),
  epochs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000)),
  targetLoss: v.optional(finiteNumber),
  epochsPerSecond: v.optional(v.nullable(v.pipe(finiteNumber, v.minValue(1)))),
  startPaused: v.optional(v.boolean()),
  image: v.optional(
    v.object({
      width: v.pipe(v.number(), v.integer(), v.minValue(1)),
      height: v.pipe(v.number(), v.integer(), v.minValue(1)),
      channels: v.union([v.literal(1), v.literal(3)]),
    }),
  ),
  skipZeroGrad: v.optional(v.boolean()),
});

export const requestSchema = v.variant('type', [
  v.object({ type: v.literal('start'), runId, config: trainConfigSchema }),
  v.object({ type: v.literal('pause'), runId }),
  v.object({ type: v.literal('resume'), runId }),
  v.object({ type: v.literal('step'), runId, count: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  v.object({ type: v.literal('stop'), runId }),
  v.object({ type: v.literal('reset'), runId }),
  v.object({ type: v.literal('setLearningRate'), runId, learningRate: v.pipe(finiteNumber, v.minValue(0)) }),
  v.object({ type: v.literal('setSpeed'), runId, epochsPerSecond: v.nullable(v.pipe(finiteNumber, v.minValue(1))) }),
  v.object({ type: v.literal('setTargetLoss'), runId, targetLoss: v.nullable(finiteNumber) }),
  v.object({ type: v.literal('runPython'), runId, source: v.pipe(v.string(), v.maxLength(200_000)) }),
  v.object({ type: v.literal('stopPython'), runId }),
]);

export type ValidationResult = { ok: true; request: Request } | { ok: false; error: string };

/** Checks an untrusted message; the error names the field and what was wrong with it. */
export function validateRequest(message: unknown): ValidationResult {
  const result = v.safeParse(requestSchema, message);
  if (result.success) return { ok: true, request: result.output as Request };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '(message)';
  return { ok: false, error: `Invalid request at ${path || '(message)'}: ${issue.message}` };
}
