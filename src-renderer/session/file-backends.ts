// Where a session file goes, one backend per edition. The desktop asks main (its dialogs, its
// atomic writer, the recent list); the browser downloads what it saves and reads the file the
// learner picked. The session document (session-document.ts) speaks to either the same way.
import type { RecentSession, SessionFilesApi } from '../../src-main/contract/session-files';
import { errorMessage } from '../../src-main/contract/error-message';
import { checkSessionFile, problemFromFiles, stampedName, type SessionProblem } from './session-io';
import type { SessionStringKey } from './strings';

/** The file a session came from: a path on the desktop (main checks it before writing), just a name in the browser. */
export interface SessionFile {
  name: string;
  path: string | null;
}

type Failure = { ok: false; canceled: boolean; problem?: SessionProblem; recent?: RecentSession[] };
/** `file` null: the session's file stays what it was (a browser download is not "the file"). */
export type SaveOutcome = { ok: true; file: SessionFile | null; savedName: string; recent?: RecentSession[] } | Failure;
export type OpenOutcome = { ok: true; name: string; text: string; file: SessionFile; recent?: RecentSession[] } | Failure;
/** What to open: main's dialog or a recent entry (desktop), or the file the learner picked (browser). */
export type OpenSource = { kind: 'dialog' } | { kind: 'recent'; path: string } | { kind: 'picked'; file: File };

export interface FileBackend {
  readonly edition: 'desktop' | 'browser';
  /** Said after a save, and after the copy from last time came back. */
  readonly words: { saved: SessionStringKey; restored: SessionStringKey };
  save(text: string, options: { saveAs: boolean; current: SessionFile | null }): Promise<SaveOutcome>;
  open(source: OpenSource): Promise<OpenOutcome>;
  /** The recent list (desktop only): files that vanished are dropped and named. */
  recent(): Promise<{ recent: RecentSession[]; dropped: string[] } | null>;
  clearRecent(): Promise<RecentSession[] | null>;
}

/** The desktop edition: main's dialogs and writer, through the preload's small files API. */
export function desktopFiles(files: SessionFilesApi, now: () => Date = () => new Date()): FileBackend {
  return {
    edition: 'desktop',
    words: { saved: 'desk.saved', restored: 'desk.restored' },
    async save(text, { saveAs, current }) {
      const result = await files.saveSession({ text, saveAs, suggestedName: current?.name ?? stampedName(now(), 'gradlab'), target: current?.path ?? null });
      if (result.ok) return { ok: true, file: { name: result.file.name, path: result.file.path }, savedName: result.file.name, recent: result.recent };
      return result.canceled ? { ok: false, canceled: true } : { ok: false, canceled: false, problem: problemFromFiles(result.problem), recent: result.recent };
    },
    async open(source) {
      const name = source.kind === 'recent' ? source.path : '';
      try {
        const result = source.kind === 'recent' ? await files.openRecent(source.path) : await files.openSession();
        if (result.ok) return { ok: true, name: result.file.name, text: result.text, file: { name: result.file.name, path: result.file.path }, recent: result.recent };
        return result.canceled ? { ok: false, canceled: true } : { ok: false, canceled: false, problem: problemFromFiles(result.problem), recent: result.recent };
      } catch (error) {
        return { ok: false, canceled: false, problem: { key: 'error.read', params: { name, reason: errorMessage(error) } } };
      }
    },
    async recent() {
      try {
        const result = await files.recentSessions();
        return result.ok ? { recent: result.recent, dropped: result.dropped } : null;
      } catch {
        return null; // the list is a convenience; Open still works
      }
    },
    async clearRecent() {
      const result = await files.clearRecent();
      return result.recent;
    },
  };
}

/** The browser edition: Save downloads (the browser decides the folder), Open reads a picked file. */
export function browserFiles(download: (name: string, blob: Blob) => void, now: () => Date = () => new Date()): FileBackend {
  return {
    edition: 'browser',
    words: { saved: 'msg.saved', restored: 'msg.restored' },
    async save(text) {
      const name = stampedName(now(), 'gradlab');
      download(name, new Blob([text], { type: 'application/json' }));
      return { ok: true, file: null, savedName: name };
    },
    async open(source) {
      if (source.kind !== 'picked') return { ok: false, canceled: true };
      const file = source.file;
      const problem = checkSessionFile(file.name, file.size);
      if (problem) return { ok: false, canceled: false, problem };
      try {
        return { ok: true, name: file.name, text: await file.text(), file: { name: file.name, path: null } };
      } catch (error) {
        return { ok: false, canceled: false, problem: { key: 'error.read', params: { name: file.name, reason: errorMessage(error) } } };
      }
    },
    recent: async () => null,
    clearRecent: async () => null,
  };
}
