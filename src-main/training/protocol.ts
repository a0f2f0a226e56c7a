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
  /** Classroom mistake, live: from the next epoch on, leave out (true) or put back (false)
   * `w.grad.zero_()` / `b.grad.zero_()` at the end of each epoch. Acknowledged by the next update. */
  setSkipZeroGrad: { type: 'setSkipZeroGrad'; runId: RunId; skipZeroGrad: boolean };
  /** Heartbeat (supervisor / bridge -> worker): the worker answers `pong` with the same seq
   * between two slices of epochs; no answer in time means the worker hangs (see heartbeat.ts). */
  ping: { type: 'ping'; runId: RunId; seq: number };
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
  /** Wall-clock time from the start of the run to its end, measured inside the worker (ms). */
  wallMs?: number;
  /** CPU time the worker's thread used over the same span (ms), where the platform can tell
   * (Linux worker_threads); with wallMs it shows how much the machine took the thread away. */
  cpuMs?: number;
}

/** Events, keyed by type. */
/** Training settings changed live, in force from epoch `fromEpoch` (1-based) on. */
export interface SettingChange {
  fromEpoch: number;
  learningRate: number;
  skipZeroGrad: boolean;
}

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
    /** Whether the run leaves out zero_grad (the classroom mistake); follows setSkipZeroGrad. */
    skipZeroGrad?: boolean;
    /** w itself as the image's pixels (image data only; same w as this update, sent with
     * `prediction`, so at most ~10 per second, and always in the final update). */
    wImage?: Float32Array;
    /** Live setLearningRate / setSkipZeroGrad changes since the previous update, with the epoch
     * each took effect from (an exported script replays them); absent when there were none. */
    settingChanges?: SettingChange[];
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
/** Run id for messages that belong to the app, not to a run. */
export const APP_RUN_ID = 'app';
export type GradLabEvent = EventMap[keyof EventMap];

/** What the renderer sees: implemented by the Electron preload and by the Web Worker bridge. */
export interface GradLabBridge {
  readonly platform: 'electron' | 'web';
  send(request: Request): void;
  onEvent(listener: (event: GradLabEvent) => void): () => void;
  /** Session files through the desktop's own dialogs; absent in the browser edition (downloads and a file picker there). */
  readonly files?: SessionFilesApi;
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
  v.object({ type: v.literal('setSkipZeroGrad'), runId, skipZeroGrad: v.boolean() }),
  v.object({ type: v.literal('ping'), runId, seq: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
]);

export type ValidationResult = { ok: true; request: Request } | { ok: false; error: string };

/** "Invalid <what> at <field>: <what was wrong>", from valibot's first issue. */
function firstIssue(what: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return `Invalid ${what} at ${path || '(message)'}: ${issue.message}`;
}

/** Checks an untrusted message; the error names the field and what was wrong with it. */
export function validateRequest(message: unknown): ValidationResult {
  const result = v.safeParse(requestSchema, message);
  if (result.success) return { ok: true, request: result.output as Request };
  return { ok: false, error: firstIssue('request', result.issues) };
}

// ---- session files (desktop only): request and response over one invoke channel ----
//
// The window asks, main answers. Paths never come from the window on trust: main only writes or
// reads a path its own dialog just returned or one on its own recent-files list; any other path
// the window mentions is ignored (Save then asks where to save).

/** The ipcMain.handle channel for every SessionFileRequest. */
export const SESSION_FILES_CHANNEL = 'gradlab:session-files';
/** Largest session main writes or reads; the browser edition refuses larger files too. */
export const MAX_SESSION_FILE_BYTES = 256 * 1024 * 1024;
/** Longest path main hands out or accepts back (Windows long paths are up to 32,767). */
export const MAX_PATH_LENGTH = 32_767;

export interface SessionFileRef {
  /** Absolute path on disk (shown as a tooltip; handed back to main, which checks it). */
  path: string;
  /** The file name, shown in the title and the session menu. */
  name: string;
}

export interface RecentSession extends SessionFileRef {
  /** ISO time it was last opened or saved. */
  openedAt: string;
}

/** Why a file request did not work, as data: the window words it in the learner's language. */
export type SessionFileProblem =
  /** The file is not a readable session; `code` is SessionFileError's, `detail` its English sentence. */
  | {
      kind: 'session';
      code: 'empty' | 'not-json' | 'foreign' | 'newer-version' | 'invalid';
      name: string;
      detail: string;
      /** The same sentence as a message id plus parameters (src-main/data/messages.ts), worded by the window. */
      detailMessage?: { id: string; params: Record<string, unknown> };
    }
  /** A recent file that was moved or deleted; it has been dropped from the list. */
  | { kind: 'missing'; name: string }
  | { kind: 'tooBig'; name: string; mb: number; maxMb: number }
  | { kind: 'read'; name: string; reason: string; cause: FileFailureCause }
  /** Saving failed; the previous file (if any) is untouched. */
  | { kind: 'write'; name: string; reason: string; cause: FileFailureCause }
  /** The request itself was malformed (names the field). */
  | { kind: 'refused'; reason: string };

/** The usual reasons a read or write fails (from the errno), so the window can word them; `reason` is English. */
export type FileFailureCause = 'no-folder' | 'no-permission' | 'is-folder' | 'disk-full' | 'read-only' | 'other';

export interface SessionFileRequestMap {
  /** Save: to `target` when main trusts it (and saveAs is false), otherwise after asking where. */
  saveSession: { method: 'saveSession'; text: string; saveAs: boolean; suggestedName: string; target: string | null };
  /** Ask which file to open. */
  openSession: { method: 'openSession' };
  /** Open an entry of the recent list, or a file the OS handed to main (double-click); refused for any other path. */
  openRecent: { method: 'openRecent'; path: string };
  /** The recent list, newest first; files that vanished are dropped and named in `dropped`. */
  recentSessions: { method: 'recentSessions' };
  clearRecent: { method: 'clearRecent' };
}
export type SessionFileMethod = keyof SessionFileRequestMap;
export type SessionFileRequest = SessionFileRequestMap[SessionFileMethod];

type Canceled = { ok: false; canceled: true };
type Failed = { ok: false; canceled: false; problem: SessionFileProblem; recent: RecentSession[] };
type Opened = { ok: true; file: SessionFileRef; text: string; recent: RecentSession[] };

export interface SessionFileResultMap {
  saveSession: { ok: true; file: SessionFileRef; recent: RecentSession[] } | Canceled | Failed;
  openSession: Opened | Canceled | Failed;
  openRecent: Opened | Failed;
  recentSessions: { ok: true; recent: RecentSession[]; dropped: string[] } | Failed;
  clearRecent: { ok: true; recent: RecentSession[]; dropped: string[] } | Failed;
}
export type SessionFileResult = SessionFileResultMap[SessionFileMethod];

/** What the preload exposes as `window.gradlab.files` (each call one ipcRenderer.invoke). */
export interface SessionFilesApi {
  saveSession(args: Omit<SessionFileRequestMap['saveSession'], 'method'>): Promise<SessionFileResultMap['saveSession']>;
  openSession(): Promise<SessionFileResultMap['openSession']>;
  openRecent(path: string): Promise<SessionFileResultMap['openRecent']>;
  recentSessions(): Promise<SessionFileResultMap['recentSessions']>;
  clearRecent(): Promise<SessionFileResultMap['clearRecent']>;
}

/** A file name without folders or characters Windows refuses (the dialog's suggestion). */
const fileName = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(255),
  v.check((name) => !/[/\\:*?"<>|]/.test(name) && ![...name].some((ch) => ch.charCodeAt(0) < 32), 'Expected a file name without folders or special characters'),
);
const filePath = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_PATH_LENGTH));

export const sessionFileRequestSchema = v.variant('method', [
  v.strictObject({
    method: v.literal('saveSession'),
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_SESSION_FILE_BYTES, `Expected a session of at most ${MAX_SESSION_FILE_BYTES / 1024 / 1024} MB`)),
    saveAs: v.boolean(),
    suggestedName: fileName,
    target: v.nullable(filePath),
  }),
  v.strictObject({ method: v.literal('openSession') }),
  v.strictObject({ method: v.literal('openRecent'), path: filePath }),
  v.strictObject({ method: v.literal('recentSessions') }),
  v.strictObject({ method: v.literal('clearRecent') }),
]);

export type FileValidationResult = { ok: true; request: SessionFileRequest } | { ok: false; error: string };

/** Checks an untrusted file request; the error names the field and what was wrong with it. */
export function validateSessionFileRequest(message: unknown): FileValidationResult {
  const result = v.safeParse(sessionFileRequestSchema, message);
  if (result.success) return { ok: true, request: result.output as SessionFileRequest };
  return { ok: false, error: firstIssue('file request', result.issues) };
}
