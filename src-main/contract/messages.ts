// The messages between renderer, preload, main and the workers (training and Python).
// Requests (renderer -> worker) and events (worker -> renderer) are discriminated unions on
// `type`, and every message carries the run id it belongs to. Types only: main validates every
// request against the schema in ./validate-request before a worker sees it.
import type { CellGraph, RecordedGraph } from './graph';
import type { SessionFilesApi } from './session-files';

export type RunId = string;

/** How a training worker was lost: it ran out of memory, crashed or was killed, or stopped answering. */
export type WorkerLostCause = 'outOfMemory' | 'crashed' | 'hung';

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

/** What pixel values mean: 0..1 (white is 1) or 0..255 (white is 255). */
export type PixelScale = '0..1' | '0..255';

/** An image run's geometry, and the scale its pictures are drawn in ('0..1' when absent). */
export interface TrainImage extends ImageShape {
  scale?: PixelScale;
}

/**
 * The lab's model. 'perValue': the lesson's `w * x + b` with one weight per value (w has x's
 * shape). 'shared': the classic line fit y = w·x + b, one weight w and one bias b for all points.
 */
export type ModelKind = 'perValue' | 'shared';

/** One trainable parameter of the lab's model: an element of w, or b. */
export type ParamRef = { kind: 'w'; index: number } | { kind: 'b' };

export interface TrainConfig {
  /** 'perValue' when absent. For 'shared', initialW gives one value. */
  model?: ModelKind;
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
  /** x and y are pixels: the worker then draws the pictures (update.pictures). */
  image?: TrainImage;
  /** Classroom mistake: never zero the gradients, so they pile up epoch after epoch. */
  skipZeroGrad?: boolean;
  /**
   * Gradients already piled up (w.grad and b.grad of a run that forgot zero_grad, continued): the
   * first epoch adds its own to them, as the uninterrupted run would.
   */
  initialGrad?: { w: Float32Array | number[]; b: number };
  /**
   * Send the parameters of every epoch with the updates (`paramTrace`), so the charts of a fast run
   * show its shape and not one point per display frame. Honoured for w sent whole (short w) and
   * runs of at most TRACE_EPOCH_LIMIT epochs.
   */
  traceEpochs?: boolean;
  /**
   * Hold the first epoch until the window sends `windowReady` for this run (it has drawn the run's
   * first state), or for at most WINDOW_READY_TIMEOUT_MS: the window's run-start work (its first
   * frames, the first pictures, the charts) then does not share the cores with the training loop.
   */
  waitForWindow?: boolean;
}

/** The longest a run started with `waitForWindow` waits for the window's `windowReady` (ms). */
export const WINDOW_READY_TIMEOUT_MS = 1500;

/** The longest run whose every epoch's parameters an update carries (TrainConfig.traceEpochs). */
export const TRACE_EPOCH_LIMIT = 20_000;

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
  /** `recordGraph`: also record the autograd graph the program builds (pyDone.graph). */
  runPython: { type: 'runPython'; runId: RunId; source: string; recordGraph?: boolean };
  stopPython: { type: 'stopPython'; runId: RunId };
  /** Classroom mistake, live: from the next epoch on, leave out (true) or put back (false)
   * `w.grad.zero_()` / `b.grad.zero_()` at the end of each epoch. Acknowledged by the next update. */
  setSkipZeroGrad: { type: 'setSkipZeroGrad'; runId: RunId; skipZeroGrad: boolean };
  /** The window has drawn run `runId`'s first state (TrainConfig.waitForWindow): its epochs may start. */
  windowReady: { type: 'windowReady'; runId: RunId };
  /** Heartbeat (supervisor / bridge -> worker): the worker answers `pong` with the same seq
   * between two slices of epochs; no answer in time means the worker hangs (see heartbeat.ts beside this file). */
  ping: { type: 'ping'; runId: RunId; seq: number };
  /**
   * The lab's graph: while `on`, the training worker records the autograd graph of an epoch now
   * and then (at most a few times a second, and when the run pauses or ends) and posts
   * `labGraph`. Big tensors' summaries keep element `element` (the one the lab follows).
   */
  watchGraph: { type: 'watchGraph'; runId: RunId; on: boolean; element: number };
  /**
   * The lab's graph of a run that is not training (finished, stopped, paused, or restored from a
   * session): one forward and backward() from its values now, recorded, without an update;
   * answered by `labGraph` with `atValues`. The run `runId` when it is the worker's current run,
   * else `data` (the values the window has; `epoch`: the epochs they are after).
   */
  graphAt: {
    type: 'graphAt';
    runId: RunId;
    element: number;
    data?: { model: ModelKind; x: Float32Array | number[]; y: Float32Array | number[]; w: Float32Array | number[]; b: number; epoch: number };
  };
  /**
   * The loss over a size x size grid of two parameters, the others held at their current
   * values; answered by a `landscape` event. With `data`, for that data and those parameters;
   * without, for the run `runId` as it is now. `range`: the parameters' intervals (else chosen
   * around the minimum and the current values).
   */
  landscape: {
    type: 'landscape';
    runId: RunId;
    params: [ParamRef, ParamRef];
    size: number;
    range?: { p: [number, number]; q: [number, number] };
    data?: { model: ModelKind; x: Float32Array | number[]; y: Float32Array | number[]; w: Float32Array | number[]; b: number };
  };
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

/**
 * An image run's pictures, drawn by the training worker so the window does no work per pixel:
 * RGBA bytes (width * height * 4, row-major, transferred) ready for a canvas, and the numbers
 * the panel writes beside them.
 */
export interface RunPictures {
  width: number;
  height: number;
  /** The prediction w*x + b, clipped to the pixel range (nan black). */
  prediction: Uint8ClampedArray;
  /** w as a heatmap: white at 1 (the pixel kept as it is), red above, blue below, grey unknown. */
  heatmap: Uint8ClampedArray;
  /** Smallest and largest per-pixel weight in the heatmap (channels averaged); null if none is known. */
  wMin: number | null;
  wMax: number | null;
  /** Mean and largest |prediction - y| over every value: how far the prediction is from frog A. */
  meanAbsError: number;
  maxAbsError: number;
}

export type RunState = 'running' | 'paused' | 'finished' | 'stopped' | 'diverged';

/** Time a run spent, measured inside the worker (ms). */
export interface RunStats {
  /** Running epochs (forward, backward, update, recording the loss). */
  trainingMs: number;
  /** Building and posting updates (summaries, predictions, copies, postMessage). */
  streamingMs: number;
  /** Updates posted. */
  updates: number;
  /** Wall-clock time from the start of the run to its end, measured inside the worker (ms). */
  wallMs?: number;
  /** CPU time the worker's thread used over the same span (ms), where the platform can tell
   * (Linux worker_threads); with wallMs it shows how much the machine took the thread away. */
  cpuMs?: number;
  /** How long the first epoch waited for the window's `windowReady` (TrainConfig.waitForWindow), ms. */
  windowWaitMs?: number;
}

/** Training settings changed live, in force from epoch `fromEpoch` (1-based) on. */
export interface SettingChange {
  fromEpoch: number;
  learningRate: number;
  skipZeroGrad: boolean;
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
    /** Image data: the prediction of this update's w and b and w itself, drawn (at most ~10 per
     * second, less when drawing them takes long, and always in an update that ends or pauses a run). */
    pictures?: RunPictures;
    /** The speed setting (null: as fast as possible); epochsPerSecond above is the measured rate. */
    speedLimit?: number | null;
    /** The current target loss, null when none. */
    targetLoss?: number | null;
    /** Epochs the run is configured for. */
    totalEpochs?: number;
    /** Whether the run leaves out zero_grad (the classroom mistake); follows setSkipZeroGrad. */
    skipZeroGrad?: boolean;
    /** All of w (per-value model on image data), same w as this update: only with `pictures` in an
     * update of a run that is not running (paused, stepped, ended), where the window keeps it to
     * continue, save or export the run. While a run trains only the pictures are sent. */
    wImage?: Float32Array;
    /** Live setLearningRate / setSkipZeroGrad changes since the previous update, with the epoch
     * each took effect from (an exported script replays them); absent when there were none. */
    settingChanges?: SettingChange[];
    /**
     * The parameters after each epoch since the previous update (TrainConfig.traceEpochs), one row
     * per epoch: [epoch, w[0..n), w.grad[0..n), b, b.grad, learning rate], n = w's length.
     */
    paramTrace?: Float64Array;
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
  /** The training worker ended under a run (`runId`, or '' for every run) and a fresh one took its
   * place. `reason` is English for logs; the window words `cause` in the learner's language. */
  workerRestarted: { type: 'workerRestarted'; runId: RunId; reason: string; cause?: WorkerLostCause };
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
    /** The autograd graph the program built (when the request asked for it). */
    graph?: CellGraph;
    /** The runner itself died under the program (out of memory, killed, crashed) and was
     * replaced; the window explains that nothing else was affected. */
    runnerLost?: 'outOfMemory' | 'crashed';
  };
  /** The graph of one epoch of the run (see `watchGraph`): after that epoch's backward() and update. */
  labGraph: {
    type: 'labGraph';
    runId: RunId;
    epoch: number;
    graph: RecordedGraph;
    /** Answer to `graphAt`: the graph one more forward and backward() build from the values after `epoch` (no update made). */
    atValues?: true;
  };
  /** Answer to a `landscape` request (or `error` when it cannot be computed). */
  landscape: {
    type: 'landscape';
    runId: RunId;
    params: [ParamRef, ParamRef];
    /** Epochs the run had completed (0 for `data` requests). */
    epoch: number;
    size: number;
    p: [number, number];
    q: [number, number];
    /** size * size losses, row r = q value r (from q[0] up), column c = p value c. */
    loss: Float32Array;
    /** The lowest point (exact: the loss is a quadratic in any two parameters); null when there is no single one. */
    minimum: { p: number; q: number; loss: number } | null;
    /** The current values of the two parameters. */
    at: { p: number; q: number };
  };
  /** Answer to a `ping` (never forwarded to the window by the supervisor). */
  pong: { type: 'pong'; runId: RunId; seq: number };
  /** A command from the desktop shell (application menu); runId is APP_RUN_ID. */
  appCommand: {
    type: 'appCommand';
    runId: RunId;
    command: AppCommand;
    /** For 'openRecent': which entry of main's recent-files list (the window hands it back to `files.openRecent`). */
    path?: string;
  };
}

/** Commands the Electron menu sends to the window. */
export type AppCommand =
  | 'showShortcuts'
  | 'showAbout'
  | 'togglePresenter'
  | 'openSession'
  | 'saveSession'
  | 'saveSessionAs'
  | 'openRecent'
  /** The close prompt's "Save": save (asking where if needed), then close the window once saved. */
  | 'saveAndClose';
export type GradLabEvent = EventMap[keyof EventMap];

/** What the renderer sees: implemented by the Electron preload and by the Web Worker bridge. */
export interface GradLabBridge {
  readonly platform: 'electron' | 'web';
  send(request: Request): void;
  onEvent(listener: (event: GradLabEvent) => void): () => void;
  /** Session files through the desktop's own dialogs; absent in the browser edition (downloads and a file picker there). */
  readonly files?: SessionFilesApi;
}
