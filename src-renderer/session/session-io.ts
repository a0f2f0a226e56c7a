// Pure pieces of sessions and exports in the browser edition: reading an opened file into a Session
// or a translatable problem, file names, the fingerprint that tells whether there are unsaved
// changes, and the files each export downloads. No DOM, so all of it is unit tested.
import { parseSession, sessionDigestText, SessionFileError, SESSION_EXTENSION, type Session } from '../../src-main/data/session';
import type { FloatEncodings } from '../../src-main/data/float-encodings';
import { exportPyTorchScript, lossHistoryCsv, parametersCsv } from '../../src-main/data/export';
import { formatDataMessage, isDataMessage, type DataMessage, type MessageLang } from '../../src-main/data/messages';
import type { InitialWeights, SettingChange, TrainConfig } from '../../src-main/contract/messages';
import type { FileFailureCause, SessionFileProblem } from '../../src-main/contract/session-files';
import type { SessionStringKey } from './strings';
import type { ChartPicture } from '../charts/export-png';
import { errorMessage } from '../../src-main/contract/error-message';

export interface SessionProblem {
  key: SessionStringKey;
  params: Record<string, string | number>;
  detail?: string;
  /** The detail as a message id plus parameters: shown in the learner's language instead of `detail`. */
  detailMessage?: DataMessage;
  /** Parameters that are themselves catalog keys, translated when shown (so a language switch re-words them). */
  translated?: Record<string, SessionStringKey>;
}

/** Larger files are refused before reading: a 512 x 512 RGB pair with a long run is far below this. */
export const MAX_SESSION_MB = 256;

export type OpenResult = { ok: true; session: Session } | { ok: false; problem: SessionProblem };

export function checkSessionFile(name: string, sizeBytes: number): SessionProblem | null {
  if (!name.toLowerCase().endsWith(`.${SESSION_EXTENSION}`)) return { key: 'error.extension', params: { name } };
  if (sizeBytes > MAX_SESSION_MB * 1024 * 1024) {
    return { key: 'error.tooBig', params: { name, mb: Math.round(sizeBytes / 1024 / 1024), max: MAX_SESSION_MB } };
  }
  return null;
}

const ERROR_KEYS: Record<SessionFileError['code'], SessionStringKey> = {
  empty: 'error.empty',
  'not-json': 'error.notJson',
  foreign: 'error.foreign',
  'newer-version': 'error.newerVersion',
  invalid: 'error.invalid',
};

/** Parses an opened file's text; a damaged or foreign file becomes a problem, never a partial session. */
export function openSessionText(name: string, text: string): OpenResult {
  try {
    return { ok: true, session: parseSession(text) };
  } catch (error) {
    if (error instanceof SessionFileError) return { ok: false, problem: { key: ERROR_KEYS[error.code], params: { name }, detail: error.message, detailMessage: error.detail } };
    return { ok: false, problem: { key: 'error.read', params: { name, reason: errorMessage(error) } } };
  }
}

const CAUSE_KEYS: Record<Exclude<FileFailureCause, 'other'>, SessionStringKey> = {
  'no-folder': 'cause.noFolder',
  'no-permission': 'cause.noPermission',
  'is-folder': 'cause.isFolder',
  'disk-full': 'cause.diskFull',
  'read-only': 'cause.readOnly',
};

/** A problem main reported for a desktop Save or Open, in the window's words (reasons translated where known). */
export function problemFromFiles(problem: SessionFileProblem): SessionProblem {
  switch (problem.kind) {
    case 'session': {
      const detailMessage = isDataMessage(problem.detailMessage) ? problem.detailMessage : undefined;
      return { key: ERROR_KEYS[problem.code], params: { name: problem.name }, detail: problem.detail, ...(detailMessage ? { detailMessage } : {}) };
    }
    case 'missing':
      return { key: 'error.missing', params: { name: problem.name } };
    case 'tooBig':
      return { key: 'error.tooBig', params: { name: problem.name, mb: problem.mb, max: problem.maxMb } };
    case 'refused':
      return { key: 'error.refused', params: { reason: problem.reason } };
    case 'read':
    case 'write': {
      const key = problem.kind === 'read' ? 'error.read' : 'error.write';
      if (problem.cause === 'other') return { key, params: { name: problem.name, reason: problem.reason } };
      return { key, params: { name: problem.name, reason: problem.reason }, translated: { reason: CAUSE_KEYS[problem.cause] } };
    }
  }
}

/** A problem's detail line in `lang`: the message worded there when known, else the English detail. */
export function problemDetail(problem: Pick<SessionProblem, 'detail' | 'detailMessage'>, lang: MessageLang): string | undefined {
  return problem.detailMessage ? formatDataMessage(problem.detailMessage, lang) : problem.detail;
}

/** The window title: the file's name and a dot for unsaved changes ("GradLab" alone for an untouched, unnamed session). */
export function windowTitle(fileName: string | null, dirty: boolean): string {
  const base = fileName ? `${fileName} — GradLab` : 'GradLab';
  return dirty ? `• ${base}` : base;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** "gradlab-2026-11-27-0705" (local time) plus an extension. */
export function stampedName(now: Date, extension: string, prefix = 'gradlab'): string {
  return `${prefix}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.${extension}`;
}

const FIXED_TIME = new Date(0);
/**
 * What "unsaved changes" compares: the saved text without the save time, language and lesson
 * position (the app remembers those by itself; switching language is not an edit to lose), with
 * digests in place of the long vectors' base64 (remembered per array by `encodings`).
 */
export function sessionFingerprint(session: Session, encodings?: FloatEncodings): string {
  return sessionDigestText({ ...session, language: 'en', lesson: null }, FIXED_TIME, encodings);
}

export interface DownloadFile {
  name: string;
  type: string;
  data: string | Uint8Array;
}

export type ExportResult = { ok: true; files: DownloadFile[] } | { ok: false; problem: SessionProblem };

/** A chart the Export menu offers as a PNG. */
export interface ChartRef {
  id: string;
  /** Shown in the menu; defaults to the lab chart's name for "loss", "weights", "grads". */
  title?: string;
  /** What to draw: the chart is rendered off screen from this, whether or not it is shown. */
  picture: () => ChartPicture;
}

/** What the exports need from the app; any part may be missing (e.g. before a run). */
export interface ExportSource {
  /** The run's configuration (or the lab's, before a run); null while the data is invalid. */
  config: TrainConfig | null;
  /** Loss of every epoch so far, index 0 = epoch 1. */
  losses: Float32Array;
  /** The whole w when the window has it (null when only a summary of a long w arrived). */
  w: Float32Array | null;
  /** Length of w, even when only its summary is known. */
  wLength: number;
  b: number | null;
  wGrad: Float32Array | null;
  bGrad: number | null;
  /** The current run as it was started, and its live setting changes (null without a run). */
  run?: RunRecord | null;
}

export interface RunRecord {
  config: TrainConfig;
  settingChanges: readonly SettingChange[];
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.fround(a[i]) !== Math.fround(b[i])) return false;
  return true;
}

function sameStart(a: InitialWeights, b: InitialWeights): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'random' && b.kind === 'random') return a.seed === b.seed;
  if (a.kind === 'values' && b.kind === 'values') return sameValues(a.values, b.values);
  return true;
}

/**
 * What the PyTorch script reproduces. While the lab still describes the current run (same data,
 * start values and epochs, and the learning rate and zero_grad setting the run has now), that
 * run: its starting settings plus the changes made while it trained, so the script prints the
 * run's own numbers. Once the lab was edited, the lab's settings (the run they would start).
 */
export function scriptConfig(lab: TrainConfig, run: RunRecord | null | undefined): { config: TrainConfig; settingChanges: readonly SettingChange[] } {
  if (!run || run.settingChanges.length === 0) return { config: lab, settingChanges: [] };
  const started = run.config;
  const latest = run.settingChanges[run.settingChanges.length - 1];
  const same =
    sameValues(lab.x, started.x) &&
    sameValues(lab.y, started.y) &&
    sameStart(lab.initialW, started.initialW) &&
    Math.fround(lab.initialB) === Math.fround(started.initialB) &&
    lab.epochs === started.epochs &&
    (lab.targetLoss ?? null) === (started.targetLoss ?? null) &&
    lab.learningRate === latest.learningRate &&
    (lab.skipZeroGrad ?? false) === latest.skipZeroGrad;
  if (!same) return { config: lab, settingChanges: [] };
  return {
    config: { ...lab, learningRate: started.learningRate, skipZeroGrad: started.skipZeroGrad ?? false },
    settingChanges: run.settingChanges,
  };
}

export function lossExport(source: ExportSource, now: Date): ExportResult {
  if (source.losses.length === 0) return { ok: false, problem: { key: 'msg.nothingToExport', params: {} } };
  return { ok: true, files: [{ name: stampedName(now, 'csv', 'gradlab-loss'), type: 'text/csv', data: lossHistoryCsv(source.losses) }] };
}

export function parametersExport(source: ExportSource, now: Date): ExportResult {
  if (source.b === null) return { ok: false, problem: { key: 'msg.nothingToExport', params: {} } };
  if (!source.w) return { ok: false, problem: { key: 'msg.longW', params: { n: source.wLength.toLocaleString('en') } } };
  const text = parametersCsv({ w: source.w, b: source.b, wGrad: source.wGrad, bGrad: source.bGrad });
  return { ok: true, files: [{ name: stampedName(now, 'csv', 'gradlab-parameters'), type: 'text/csv', data: text }] };
}

/** Up to this many values the script holds the data itself (one download); beyond, a .npy sidecar. */
export const SCRIPT_INLINE_LIMIT = 100_000;

/** The PyTorch script of the run: the lessons' hand-written loop, or (form 'nn') lesson 6's torch.nn / torch.optim form. */
export function scriptExport(source: ExportSource, now: Date, title?: string, form: 'tensors' | 'nn' = 'tensors'): ExportResult {
  if (!source.config) return { ok: false, problem: { key: 'msg.noData', params: {} } };
  const base = stampedName(now, 'py', form === 'nn' ? 'gradlab-run-nn' : 'gradlab-run');
  const sidecarName = base.replace(/\.py$/, '-data.npy');
  const { config, settingChanges } = scriptConfig(source.config, source.run);
  const result = exportPyTorchScript(config, { inlineLimit: SCRIPT_INLINE_LIMIT, sidecarFormat: 'npy', sidecarName, title, settingChanges, form });
  const files: DownloadFile[] = [{ name: base, type: 'text/x-python', data: result.script }];
  if (result.sidecar) files.push({ name: result.sidecar.fileName, type: 'application/octet-stream', data: result.sidecar.bytes });
  return { ok: true, files };
}
