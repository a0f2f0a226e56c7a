// Session files (desktop only): request and response over one invoke channel
// (SESSION_FILES_CHANNEL in ./channels).
//
// The window asks, main answers. Paths never come from the window on trust: main only writes or
// reads a path its own dialog just returned or one on its own recent-files list; any other path
// the window mentions is ignored (Save then asks where to save).
import * as v from 'valibot';
import { firstIssue } from './first-issue';

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
