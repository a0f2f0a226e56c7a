// Save, Save As, Open and Open Recent for .gradlab sessions on the desktop: the answers to the
// window's SessionFileRequests. Plain functions over injected dialogs and file-system pieces, so
// the tests drive them with a real temporary folder and a fake dialog; main.ts passes Electron's.
//
// Trust: the window never chooses a path. Main writes or reads only a path its own dialog just
// returned or one on its own recent list; a path the window hands back that is neither is
// ignored (Save then asks where to save; Open Recent is refused).
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseSession, SessionFileError, SESSION_EXTENSION } from '../data/session';
import { addRecentFile, clearRecentFiles, pruneRecentFiles, removeRecentFile, removeStaleTempFiles, samePath, writeFileAtomic, type RecentFile } from '../data/session-store.node.js';
import { MAX_SESSION_FILE_BYTES, validateSessionFileRequest, type FileFailureCause, type RecentSession, type SessionFileProblem, type SessionFileRef, type SessionFileRequestMap, type SessionFileResult, type SessionFileResultMap } from '../contract/session-files';
import { errorMessage } from '../contract/error-message';

/** The two native dialogs, reduced to what the handlers need (null: the learner cancelled). */
export interface SessionDialogs {
  /** Where to save; `defaultPath` is a full path with the suggested file name. */
  chooseSavePath(defaultPath: string): Promise<string | null>;
  /** Which session to open; `defaultDir` is where the dialog starts. */
  chooseOpenPath(defaultDir: string): Promise<string | null>;
}

/** File-system pieces, replaceable in tests (e.g. a writer that fails halfway). */
export interface SessionFileSystem {
  /** Must leave the previous file intact when it fails (the default is the atomic writer). */
  writeFile(path: string, text: string): Promise<void>;
  /** Size in bytes, or an error with an errno `code` (ENOENT, EACCES, EISDIR…). */
  size(path: string): Promise<number>;
  readText(path: string): Promise<string>;
}

export interface SessionFilesDeps {
  dialogs: SessionDialogs;
  /** Where the recent list lives (Electron's userData). */
  userDataDir: string;
  /** Where the first Save As and Open dialogs start (Electron's documents folder). */
  documentsDir: string;
  fs?: Partial<SessionFileSystem>;
  /** Told after the recent list changed (main rebuilds the menu and tells the OS). */
  onRecentChange?: (recent: RecentSession[], touched: string | null) => void;
  now?: () => Date;
}

export const realFileSystem: SessionFileSystem = {
  writeFile: (path, text) => writeFileAtomic(path, text),
  size: async (path) => {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR' });
    return stat.size;
  },
  readText: (path) => fs.readFile(path, 'utf8'),
};

export interface SessionFileHandlers {
  /** Answers one raw request from the window (validated here); never throws. */
  handle(raw: unknown): Promise<SessionFileResult>;
  /** The recent list as main's menu shows it (missing files dropped). */
  recent(): Promise<RecentSession[]>;
  clearRecent(): Promise<void>;
  /**
   * Trusts a path the operating system handed over (a double-clicked .gradlab file, via the
   * command line or macOS's open-file), so the window may then open it with `openRecent`.
   */
  trust(path: string): void;
}

/** The .gradlab files on a command line (the file association passes them as arguments), made absolute. */
export function sessionPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv.slice(1).filter((arg) => !arg.startsWith('-') && extname(arg).toLowerCase() === `.${SESSION_EXTENSION}`).map((arg) => resolve(cwd, arg));
}

const toRecent = (files: RecentFile[]): RecentSession[] => files.map(({ path, name, openedAt }) => ({ path, name, openedAt }));

/** Session files end in .gradlab: a name typed without it gets it (the open dialog filters on it). */
export function withSessionExtension(path: string): string {
  return extname(path).toLowerCase() === `.${SESSION_EXTENSION}` ? path : `${path}.${SESSION_EXTENSION}`;
}

const CAUSES: Record<string, { cause: FileFailureCause; reason: string }> = {
  ENOENT: { cause: 'no-folder', reason: 'the folder does not exist (moved or deleted?)' },
  EACCES: { cause: 'no-permission', reason: 'GradLab may not write or read there' },
  EPERM: { cause: 'no-permission', reason: 'GradLab may not write or read there' },
  EISDIR: { cause: 'is-folder', reason: 'it is a folder' },
  ENOSPC: { cause: 'disk-full', reason: 'the disk is full' },
  EROFS: { cause: 'read-only', reason: 'the disk is read-only' },
};

/** Why a read or write failed, in English plus a cause the window translates. */
export function failureOf(error: unknown): { cause: FileFailureCause; reason: string } {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && CAUSES[code]) || { cause: 'other', reason: errorMessage(error) };
}

export function createSessionFileHandlers(deps: SessionFilesDeps): SessionFileHandlers {
  const files: SessionFileSystem = { ...realFileSystem, ...deps.fs };
  // the recent list is saved atomically in userData too
  void removeStaleTempFiles(deps.userDataDir);
  const now = deps.now ?? (() => new Date());
  /** Paths this process's dialogs returned: trusted for Save as well as those on the recent list. */
  const chosen: string[] = [];
  /** The folder of the last file saved or opened, where the next dialog starts. */
  let lastDir: string | null = null;
  /** Recent entries dropped because their file vanished: opening one says so instead of refusing. */
  const forgotten: string[] = [];

  async function recentList(): Promise<{ recent: RecentSession[]; dropped: RecentFile[] }> {
    const { files: present, dropped } = await pruneRecentFiles(deps.userDataDir);
    forgotten.push(...dropped.map((f) => f.path));
    if (dropped.length > 0) deps.onRecentChange?.(toRecent(present), null);
    return { recent: toRecent(present), dropped };
  }

  /**
   * Remembers a file that was just saved or opened: top of the recent list, trusted, next dialogs
   * start there. Its folder is swept of temporary files that killed saves left behind.
   */
  async function remember(path: string): Promise<RecentSession[]> {
    lastDir = dirname(path);
    await removeStaleTempFiles(lastDir);
    if (!chosen.some((p) => samePath(p, path))) chosen.push(path);
    try {
      const recent = toRecent(await addRecentFile(deps.userDataDir, path, now()));
      deps.onRecentChange?.(recent, path);
      return recent;
    } catch {
      // The file itself is saved or opened; a recent list that cannot be written is not worth an error.
      return (await recentList()).recent;
    }
  }

  const fail = async (problem: SessionFileProblem): Promise<{ ok: false; canceled: false; problem: SessionFileProblem; recent: RecentSession[] }> => ({
    ok: false,
    canceled: false,
    problem,
    recent: (await recentList().catch(() => ({ recent: [] }))).recent,
  });

  async function isTrusted(path: string): Promise<boolean> {
    if (chosen.some((p) => samePath(p, path))) return true;
    return (await recentList()).recent.some((f) => samePath(f.path, path));
  }

  async function save(request: SessionFileRequestMap['saveSession']): Promise<SessionFileResultMap['saveSession']> {
    // Refuse text that would not open again: a session file is only ever replaced by a session.
    try {
      parseSession(request.text);
    } catch (error) {
      const detail = errorMessage(error);
      return fail({ kind: 'refused', reason: `The window sent something that is not a GradLab session, so nothing was written. ${detail}` });
    }
    let path: string | null = null;
    if (!request.saveAs && request.target && (await isTrusted(request.target))) path = resolve(request.target);
    if (!path) {
      const startDir = request.target && (await isTrusted(request.target)) ? dirname(request.target) : (lastDir ?? deps.documentsDir);
      const answer = await deps.dialogs.chooseSavePath(join(startDir, request.suggestedName));
      if (!answer) return { ok: false, canceled: true };
      path = withSessionExtension(resolve(answer));
    }
    const name = basename(path);
    try {
      await files.writeFile(path, request.text);
    } catch (error) {
      return fail({ kind: 'write', name, ...failureOf(error) });
    }
    const file: SessionFileRef = { path, name };
    return { ok: true, file, recent: await remember(path) };
  }

  /** Reads and checks a session; nothing is remembered unless it really is one. */
  async function open(path: string, fromRecent: boolean): Promise<SessionFileResultMap['openRecent']> {
    const name = basename(path);
    let size: number;
    try {
      size = await files.size(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (fromRecent) {
          forgotten.push(path);
          const recent = toRecent(await removeRecentFile(deps.userDataDir, path));
          deps.onRecentChange?.(recent, null);
          return { ok: false, canceled: false, problem: { kind: 'missing', name }, recent };
        }
        return fail({ kind: 'missing', name });
      }
      return fail({ kind: 'read', name, ...failureOf(error) });
    }
    if (size > MAX_SESSION_FILE_BYTES) {
      return fail({ kind: 'tooBig', name, mb: Math.round(size / 1024 / 1024), maxMb: MAX_SESSION_FILE_BYTES / 1024 / 1024 });
    }
    let text: string;
    try {
      text = await files.readText(path);
    } catch (error) {
      return fail({ kind: 'read', name, ...failureOf(error) });
    }
    try {
      parseSession(text);
    } catch (error) {
      if (error instanceof SessionFileError) return fail({ kind: 'session', code: error.code, name, detail: error.message, detailMessage: error.detail });
      return fail({ kind: 'read', name, ...failureOf(error) });
    }
    return { ok: true, file: { path, name }, text, recent: await remember(path) };
  }

  async function answer(raw: unknown): Promise<SessionFileResult> {
    const checked = validateSessionFileRequest(raw);
    if (!checked.ok) return fail({ kind: 'refused', reason: `Refused a malformed request from the window. ${checked.error}` });
    const request = checked.request;
    try {
      switch (request.method) {
        case 'saveSession':
          return await save(request);
        case 'openSession': {
          const answer = await deps.dialogs.chooseOpenPath(lastDir ?? deps.documentsDir);
          if (!answer) return { ok: false, canceled: true };
          return await open(resolve(answer), false);
        }
        case 'openRecent': {
          const { recent } = await recentList();
          const entry = recent.find((f) => samePath(f.path, request.path));
          if (entry) return await open(entry.path, true);
          const handedOver = chosen.find((p) => samePath(p, request.path));
          if (handedOver) return await open(handedOver, false);
          // Not on the list any more: it vanished (a listing dropped it), or the window made the path up.
          if (forgotten.some((p) => samePath(p, request.path))) return await fail({ kind: 'missing', name: basename(request.path) });
          return await fail({ kind: 'refused', reason: `${basename(request.path)} is not on the recent files list. Open it with Open Session.` });
        }
        case 'recentSessions': {
          const { recent, dropped } = await recentList();
          return { ok: true, recent, dropped: dropped.map((f) => f.name) };
        }
        case 'clearRecent':
          await clearRecentFiles(deps.userDataDir);
          deps.onRecentChange?.([], null);
          return { ok: true, recent: [], dropped: [] };
      }
    } catch (error) {
      return fail({ kind: 'read', name: '', ...failureOf(error) });
    }
  }

  // One request at a time: never two dialogs at once, and the recent list's read-change-write
  // steps of two requests cannot interleave (which could lose an entry).
  let queue: Promise<unknown> = Promise.resolve();
  function handle(raw: unknown): Promise<SessionFileResult> {
    const next = queue.then(() => answer(raw));
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    handle,
    recent: async () => (await recentList()).recent,
    clearRecent: async () => {
      await clearRecentFiles(deps.userDataDir);
      deps.onRecentChange?.([], null);
    },
    trust: (path) => {
      const absolute = resolve(path);
      if (!chosen.some((p) => samePath(p, absolute))) chosen.push(absolute);
    },
  };
}
