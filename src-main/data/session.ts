// .gradlab session files: a versioned JSON document with the learner's data (numbers, or image
// references plus their pixels), settings, lesson position, language and a summary of the last
// run. Pure TS + valibot; saving to disk atomically is session-store.node.ts's job.
//
// Float vectors are stored exactly: short ones as JSON numbers (float32 values written as
// doubles read back bit for bit), long ones as base64 of little-endian float32 bytes.
import * as v from 'valibot';
import type { ImageShape, InitialWeights, ModelKind, SettingChange, TrainConfig } from '../contract/messages';
import { base64ToFloat32 } from './base64';
import { encodeBase64, floatDigest, SplicedPayloads, type FloatEncodings, type FloatPayload } from './float-encodings';
import type { ImageColor, ImageFit, ImageScale } from './image';
import { findJsonErrorOffset } from './json-position';
import { dataMessage, formatDataMessage, type DataMessage } from './messages';

export const SESSION_FORMAT = 'gradlab-session';
/** Bump when the format changes incompatibly; older files keep opening (migrate in parseSession). */
export const SESSION_VERSION = 1;
export const SESSION_EXTENSION = 'gradlab';
export const SESSION_FILE_FILTERS = [{ name: 'GradLab session', extensions: [SESSION_EXTENSION] }];
/** Vectors longer than this are stored as base64 float32 instead of a JSON list. */
const INLINE_LIMIT = 64;

export type Language = 'zh-CN' | 'en';

export interface SessionImage {
  /** Shown to the learner, e.g. "frog-sitting-green-64.png". */
  name: string;
  /** Where it was loaded from, when it was a file; null for bundled or pasted images. */
  path: string | null;
  /** Id in assets/images/frogs.json for a bundled frog. */
  bundledId: string | null;
  /** The vector trained on (after crop/resize/greyscale/scale), row-major, channels last. */
  pixels: Float32Array;
}

export interface SessionImageOptions {
  side: number;
  fit: ImageFit;
  color: ImageColor;
  scale: ImageScale;
}

export type SessionData =
  | { kind: 'numbers'; x: Float32Array; y: Float32Array; shape: number[]; sources: { x: string | null; y: string | null } }
  | { kind: 'images'; shape: ImageShape; options: SessionImageOptions; x: SessionImage; y: SessionImage };

export interface SessionSettings {
  /** The lab's model ('perValue' in files written before the shared model existed). */
  model: ModelKind;
  learningRate: number;
  epochs: number;
  initialW: InitialWeights;
  initialB: number;
  /** null: as fast as possible. */
  epochsPerSecond: number | null;
  targetLoss: number | null;
  /** The "forget zero_grad" mistake for the next run (absent in older files: false). */
  skipZeroGrad?: boolean;
}

/** Statistics of w; a value is null when it is nan/inf (a diverged run). */
export interface WeightSummary {
  length: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** The first few values (up to 8), for a glance without the whole vector. */
  first: (number | null)[];
}

export interface RunSummary {
  epochs: number;
  /** The last epoch's loss (before its update); null when it was nan/inf. */
  finalLoss: number | null;
  /** null when it was nan/inf. */
  b: number | null;
  w: WeightSummary;
  /** All of w, so a reopened session can continue or show the heatmap; null if not kept. */
  wValues: Float32Array | null;
  lossHistory: Float32Array | null;
  // What brings the run itself back (files from before these were kept have none of them):
  /** How the run stood when it was saved. */
  state?: RunEndState | null;
  /** The settings the run started with (its data is the session's data). */
  started?: RunStart | null;
  /** Learning-rate and zero_grad changes made while it trained, each from the epoch it applied. */
  settingChanges?: SettingChange[];
  /** The gradients of the last epoch (w.grad whole, when w is kept whole). */
  wGrad?: Float32Array | null;
  bGrad?: number | null;
  /** Parameters recorded while it trained, for its charts (at most a few thousand updates). */
  recording?: RecordedParameters | null;
}

/** A saved run is shown as it ended; one saved while training or paused comes back stopped. */
export type RunEndState = 'finished' | 'stopped' | 'diverged';

export interface RunStart {
  /** The model it trained (absent in files from before the shared model: the settings' model). */
  model?: ModelKind;
  learningRate: number;
  epochs: number;
  initialW: InitialWeights;
  initialB: number;
  skipZeroGrad: boolean;
  targetLoss: number | null;
}

/** Column i of every array belongs to one recorded update. */
export interface RecordedParameters {
  epochs: number[];
  /** The w elements recorded (all of a short w, a few of a long one). */
  indices: number[];
  w: Float32Array[];
  wGrad: Float32Array[];
  b: Float32Array;
  bGrad: Float32Array;
  learningRate: number[];
}

export interface Session {
  /** ISO time of the save. */
  savedAt: string;
  appVersion: string | null;
  language: Language;
  lesson: { id: string; step: number } | null;
  data: SessionData | null;
  settings: SessionSettings;
  run: RunSummary | null;
}

export type SessionErrorCode = 'empty' | 'not-json' | 'foreign' | 'newer-version' | 'invalid';

export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
  readonly code: SessionErrorCode;
  /** The sentence as an id plus parameters (messages.ts), for wording it in either language; `message` is the English. */
  readonly detail: DataMessage;
  constructor(code: SessionErrorCode, detail: DataMessage) {
    super(formatDataMessage(detail, 'en'));
    this.code = code;
    this.detail = detail;
  }
}

export const DEFAULT_SETTINGS: SessionSettings = {
  model: 'perValue',
  learningRate: 0.01,
  epochs: 100,
  initialW: { kind: 'values', values: [1, 2] },
  initialB: 0,
  epochsPerSecond: null,
  targetLoss: null,
};

// ---- schema of the file (version 1) ----

const finite = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const floatList = v.union([
  v.array(finite),
  v.object({ encoding: v.literal('float32-base64'), length: count, data: v.string() }),
]);
const initialWeights = v.variant('kind', [
  v.object({ kind: v.literal('values'), values: v.array(finite) }),
  v.object({ kind: v.literal('ones') }),
  v.object({ kind: v.literal('zeros') }),
  v.object({ kind: v.literal('random'), seed: v.pipe(v.number(), v.integer()) }),
]);
const imageRef = v.object({
  name: v.string(),
  path: v.nullable(v.string()),
  bundledId: v.nullable(v.string()),
  pixels: floatList,
});
const side = v.pipe(v.number(), v.integer(), v.minValue(1));
const dataSchema = v.variant('kind', [
  v.object({
    kind: v.literal('numbers'),
    x: floatList,
    y: floatList,
    shape: v.array(count),
    sources: v.optional(v.object({ x: v.nullable(v.string()), y: v.nullable(v.string()) })),
  }),
  v.object({
    kind: v.literal('images'),
    shape: v.object({ width: side, height: side, channels: v.picklist([1, 3]) }),
    options: v.object({
      side,
      fit: v.picklist(['crop', 'letterbox']),
      color: v.picklist(['grey', 'rgb']),
      scale: v.picklist(['0..1', '0..255']),
    }),
    x: imageRef,
    y: imageRef,
  }),
]);
const sessionSchemaV1 = v.object({
  format: v.literal(SESSION_FORMAT),
  version: v.literal(1),
  savedAt: v.string(),
  appVersion: v.optional(v.nullable(v.string()), null),
  language: v.picklist(['zh-CN', 'en']),
  lesson: v.nullable(v.object({ id: v.string(), step: count })),
  data: v.nullable(dataSchema),
  settings: v.object({
    model: v.optional(v.picklist(['perValue', 'shared']), 'perValue'),
    learningRate: v.pipe(finite, v.minValue(0)),
    epochs: count,
    initialW: initialWeights,
    initialB: finite,
    epochsPerSecond: v.nullable(v.pipe(finite, v.minValue(1))),
    targetLoss: v.optional(v.nullable(finite), null),
    skipZeroGrad: v.optional(v.boolean()),
  }),
  run: v.nullable(
    v.object({
      epochs: count,
      finalLoss: v.nullable(finite),
      b: v.nullable(finite),
      w: v.object({
        length: count,
        min: v.nullable(finite),
        max: v.nullable(finite),
        mean: v.nullable(finite),
        first: v.array(v.nullable(finite)),
      }),
      wValues: v.optional(v.nullable(floatList), null),
      lossHistory: v.optional(v.nullable(floatList), null),
      state: v.optional(v.nullable(v.picklist(['finished', 'stopped', 'diverged']))),
      started: v.optional(
        v.nullable(
          v.object({
            model: v.optional(v.picklist(['perValue', 'shared'])),
            learningRate: v.pipe(finite, v.minValue(0)),
            epochs: count,
            initialW: initialWeights,
            initialB: finite,
            skipZeroGrad: v.boolean(),
            targetLoss: v.nullable(finite),
          }),
        ),
      ),
      settingChanges: v.optional(v.array(v.object({ fromEpoch: v.pipe(count, v.minValue(1)), learningRate: v.pipe(finite, v.minValue(0)), skipZeroGrad: v.boolean() }))),
      wGrad: v.optional(v.nullable(floatList)),
      bGrad: v.optional(v.nullable(finite)),
      recording: v.optional(
        v.nullable(
          v.object({
            epochs: v.array(count),
            indices: v.array(count),
            w: v.array(floatList),
            wGrad: v.array(floatList),
            b: floatList,
            bGrad: floatList,
            learningRate: v.array(v.pipe(finite, v.minValue(0))),
          }),
        ),
      ),
    }),
  ),
});
type FloatListJson = v.InferOutput<typeof floatList>;

// ---- helpers ----

/** Writes float vectors: long ones as base64 spliced in after JSON.stringify (float-encodings.ts). */
type FloatWriter = (values: Float32Array, unchanging?: boolean) => FloatListJson;

function floatWriter(payload: FloatPayload, spliced: SplicedPayloads): FloatWriter {
  return (values, unchanging = false) => {
    // JSON has no nan/inf (a diverged run's loss history ends in them), so those go as base64.
    if (values.length <= INLINE_LIMIT && values.every(Number.isFinite)) return Array.from(values);
    return { encoding: 'float32-base64', length: values.length, data: spliced.put(payload(values, unchanging)) };
  };
}

function decodeFloats(list: FloatListJson, where: string, allowNonFinite = false): Float32Array {
  if (Array.isArray(list)) return Float32Array.from(list);
  const values = base64ToFloat32(list.data);
  if (!values) throw invalid(dataMessage('session.invalid.base64', { where }));
  if (values.length !== list.length) throw invalid(dataMessage('session.invalid.length', { where, expected: list.length, actual: values.length }));
  for (let i = 0; i < values.length && !allowNonFinite; i++) {
    if (!Number.isFinite(values[i])) throw invalid(dataMessage('session.invalid.nonFinite', { where, index: i }));
  }
  return values;
}

function invalid(what: DataMessage): SessionFileError {
  return new SessionFileError('invalid', dataMessage('session.invalid', { what }));
}

/** Summary statistics of w for the run summary. */
export function summarizeWeights(w: ArrayLike<number>): WeightSummary {
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < w.length; i++) {
    min = Math.min(min, w[i]);
    max = Math.max(max, w[i]);
    sum += w[i];
  }
  const orNull = (x: number) => (Number.isFinite(x) ? x : null);
  const first = Array.from({ length: Math.min(8, w.length) }, (_, i) => orNull(w[i]));
  if (w.length === 0) return { length: 0, min: null, max: null, mean: null, first };
  return { length: w.length, min: orNull(min), max: orNull(max), mean: orNull(sum / w.length), first };
}

/** Builds a RunSummary from what the trainer reported. */
export function makeRunSummary(run: {
  epochs: number;
  losses: Float32Array | null;
  finalLoss: number;
  w: Float32Array;
  b: number;
  keepValues?: boolean;
}): RunSummary {
  return {
    epochs: run.epochs,
    finalLoss: Number.isFinite(run.finalLoss) ? run.finalLoss : null,
    b: Number.isFinite(run.b) ? run.b : null,
    w: summarizeWeights(run.w),
    wValues: run.keepValues === false ? null : run.w,
    lossHistory: run.losses,
  };
}

// ---- write ----

/**
 * The data's vectors that a session file holds as base64 (the long ones): never written once made,
 * so a FloatEncodings can prepare their encodings ahead of a save (FloatEncodings.prepare).
 */
export function longDataVectors(session: Session): Float32Array[] {
  const data = session.data;
  if (data === null) return [];
  const vectors = data.kind === 'numbers' ? [data.x, data.y] : [data.x.pixels, data.y.pixels];
  return vectors.filter((values) => values.length > INLINE_LIMIT);
}

/**
 * The .gradlab text. `encodings` (optional) remembers the base64 of the data's vectors, which must
 * then never be written after they were made; a run's vectors are encoded every time.
 */
export function serializeSession(session: Session, now: Date = new Date(), encodings?: FloatEncodings): string {
  return writeSession(session, now, encodings ? encodings.base64 : encodeBase64);
}

/**
 * The session as serializeSession writes it, but each base64 vector replaced by a digest of its
 * values: for telling whether two sessions differ without encoding them. Not a session file.
 */
export function sessionDigestText(session: Session, now: Date, encodings?: FloatEncodings): string {
  return writeSession(session, now, encodings ? encodings.digest : floatDigest);
}

function writeSession(session: Session, now: Date, payload: FloatPayload): string {
  const spliced = new SplicedPayloads();
  const encodeFloats = floatWriter(payload, spliced);
  const data = session.data;
  const json = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: now.toISOString(),
    appVersion: session.appVersion,
    language: session.language,
    lesson: session.lesson,
    data:
      data === null
        ? null
        : data.kind === 'numbers'
          ? { kind: 'numbers', x: encodeFloats(data.x, true), y: encodeFloats(data.y, true), shape: data.shape, sources: data.sources }
          : {
              kind: 'images',
              shape: data.shape,
              options: data.options,
              x: { ...data.x, pixels: encodeFloats(data.x.pixels, true) },
              y: { ...data.y, pixels: encodeFloats(data.y.pixels, true) },
            },
    settings: session.settings,
    run:
      session.run === null
        ? null
        : {
            ...session.run,
            wValues: session.run.wValues ? encodeFloats(session.run.wValues) : null,
            lossHistory: session.run.lossHistory ? encodeFloats(session.run.lossHistory) : null,
            wGrad: session.run.wGrad && encodeFloats(session.run.wGrad),
            recording: session.run.recording && encodeRecording(session.run.recording, encodeFloats),
          },
  };
  return spliced.fill(JSON.stringify(json, null, 1) + '\n');
}

function encodeRecording(recording: RecordedParameters, encodeFloats: FloatWriter) {
  return {
    epochs: recording.epochs,
    indices: recording.indices,
    w: recording.w.map((values) => encodeFloats(values)),
    wGrad: recording.wGrad.map((values) => encodeFloats(values)),
    b: encodeFloats(recording.b),
    bGrad: encodeFloats(recording.bGrad),
    learningRate: recording.learningRate,
  };
}

// ---- read ----

type RecordingJson = NonNullable<NonNullable<v.InferOutput<typeof sessionSchemaV1>['run']>['recording']>;

function decodeRecording(json: RecordingJson): RecordedParameters {
  const n = json.epochs.length;
  const column = (list: FloatListJson, where: string): Float32Array => {
    const values = decodeFloats(list, where, true);
    if (values.length !== n) throw invalid(dataMessage('session.invalid.length', { where, expected: n, actual: values.length }));
    return values;
  };
  if (json.w.length !== json.indices.length || json.wGrad.length !== json.indices.length) {
    throw invalid(dataMessage('session.invalid.length', { where: 'run.recording.w', expected: json.indices.length, actual: json.w.length }));
  }
  if (json.learningRate.length !== n) throw invalid(dataMessage('session.invalid.length', { where: 'run.recording.learningRate', expected: n, actual: json.learningRate.length }));
  return {
    epochs: json.epochs,
    indices: json.indices,
    w: json.w.map((list, i) => column(list, `run.recording.w.${i}`)),
    wGrad: json.wGrad.map((list, i) => column(list, `run.recording.wGrad.${i}`)),
    b: column(json.b, 'run.recording.b'),
    bGrad: column(json.bGrad, 'run.recording.bGrad'),
    learningRate: json.learningRate,
  };
}

function jsonErrorWhere(text: string): DataMessage {
  const offset = findJsonErrorOffset(text);
  if (offset < 0 || offset >= text.trimEnd().length) return dataMessage('session.where.endsEarly');
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return dataMessage('session.where.at', { line: before.length, column: before[before.length - 1].length + 1 });
}

/** Parses a .gradlab file's text; every problem becomes a SessionFileError with a clear message. */
export function parseSession(text: string): Session {
  if (text.trim() === '') {
    throw new SessionFileError('empty', dataMessage('session.empty'));
  }
  let root: unknown;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    const looksLikeSession = text.includes(`"${SESSION_FORMAT}"`);
    throw new SessionFileError(
      looksLikeSession ? 'not-json' : 'foreign',
      dataMessage(looksLikeSession ? 'session.damagedJson' : 'session.foreignJson', { where: jsonErrorWhere(text) }),
    );
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root) || (root as { format?: unknown }).format !== SESSION_FORMAT) {
    throw new SessionFileError('foreign', dataMessage('session.foreign'));
  }
  const version = (root as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw invalid(dataMessage('session.invalid.version', { version: String(JSON.stringify(version)) }));
  }
  if (version > SESSION_VERSION) {
    throw new SessionFileError(
      'newer-version',
      dataMessage('session.newer', { version, supported: SESSION_VERSION }),
    );
  }
  const result = v.safeParse(sessionSchemaV1, root);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') || '(top level)';
    throw invalid(dataMessage('session.invalid.field', { path, issue: issue.message }));
  }
  const file = result.output;
  let data: SessionData | null = null;
  if (file.data?.kind === 'numbers') {
    const x = decodeFloats(file.data.x, 'data.x');
    const y = decodeFloats(file.data.y, 'data.y');
    if (x.length !== y.length) throw invalid(dataMessage('session.invalid.xy', { x: x.length, y: y.length }));
    const shapeCount = file.data.shape.reduce((a, b) => a * b, 1);
    if (shapeCount !== x.length) throw invalid(dataMessage('session.invalid.shape', { shape: file.data.shape.join(', '), count: x.length }));
    data = { kind: 'numbers', x, y, shape: file.data.shape, sources: file.data.sources ?? { x: null, y: null } };
  } else if (file.data?.kind === 'images') {
    const shape = file.data.shape as ImageShape;
    const expected = shape.width * shape.height * shape.channels;
    const images = (['x', 'y'] as const).map((key) => {
      const ref = file.data!.kind === 'images' ? file.data![key] : null!;
      const pixels = decodeFloats(ref.pixels, `data.${key}.pixels`);
      if (pixels.length !== expected) {
        throw invalid(dataMessage('session.invalid.image', { key, count: pixels.length, width: shape.width, height: shape.height, channels: shape.channels, expected }));
      }
      return { name: ref.name, path: ref.path, bundledId: ref.bundledId, pixels };
    });
    data = { kind: 'images', shape, options: file.data.options, x: images[0], y: images[1] };
  }
  const run: RunSummary | null = file.run
    ? {
        epochs: file.run.epochs,
        finalLoss: file.run.finalLoss,
        b: file.run.b,
        w: file.run.w,
        wValues: file.run.wValues ? decodeFloats(file.run.wValues, 'run.wValues', true) : null,
        lossHistory: file.run.lossHistory ? decodeFloats(file.run.lossHistory, 'run.lossHistory', true) : null,
        // Kept only by files that have them (older files bring back the summary alone).
        ...(file.run.state !== undefined ? { state: file.run.state } : {}),
        ...(file.run.started !== undefined ? { started: file.run.started } : {}),
        ...(file.run.settingChanges !== undefined ? { settingChanges: file.run.settingChanges } : {}),
        ...(file.run.wGrad !== undefined ? { wGrad: file.run.wGrad && decodeFloats(file.run.wGrad, 'run.wGrad', true) } : {}),
        ...(file.run.bGrad !== undefined ? { bGrad: file.run.bGrad } : {}),
        ...(file.run.recording !== undefined ? { recording: file.run.recording && decodeRecording(file.run.recording) } : {}),
      }
    : null;
  return {
    savedAt: file.savedAt,
    appVersion: file.appVersion ?? null,
    language: file.language,
    lesson: file.lesson,
    data,
    settings: { ...file.settings, targetLoss: file.settings.targetLoss ?? null } as SessionSettings,
    run,
  };
}

/** The run a session describes, ready for the trainer or exportPyTorchScript; null without data. */
export function trainConfigFromSession(session: Session): TrainConfig | null {
  const data = session.data;
  if (!data) return null;
  const { model, learningRate, epochs, initialW, initialB, epochsPerSecond, targetLoss } = session.settings;
  return {
    ...(model === 'shared' ? { model } : {}),
    x: data.kind === 'numbers' ? data.x : data.x.pixels,
    y: data.kind === 'numbers' ? data.y : data.y.pixels,
    initialW,
    initialB,
    learningRate,
    epochs,
    epochsPerSecond,
    ...(targetLoss !== null ? { targetLoss } : {}),
    ...(session.settings.skipZeroGrad ? { skipZeroGrad: true } : {}),
    ...(data.kind === 'images' ? { image: { ...data.shape, scale: data.options.scale } } : {}),
  };
}
