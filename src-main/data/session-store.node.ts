// Node-only (main process, CLI, tests): saving and opening .gradlab files on disk, the recent
// files list and the autosave that keeps edited data across restarts.
//
// Saves are atomic: the new content goes to a temporary file in the same directory, is flushed
// to disk (fsync), and then renamed over the old file. A crash or kill at any moment leaves
// either the complete old file or the complete new one, never a mix.
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { dataMessage } from './messages';
import { parseSession, serializeSession, SessionFileError, type Session } from './session';

/** Writes bytes to `path` atomically (temp file + fsync + rename + directory fsync). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const target = resolve(path);
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  // The rename itself lives in the directory; flush it too where the platform allows it.
  try {
    const dirHandle = await fs.open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // Windows cannot open directories; its rename is already durable enough (MoveFileEx).
  }
}

export async function saveSessionFile(path: string, session: Session, now: Date = new Date()): Promise<void> {
  await writeFileAtomic(path, serializeSession(session, now));
}

/** Reads and parses a .gradlab file; file-system problems become SessionFileError messages too. */
export async function openSessionFile(path: string): Promise<Session> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? dataMessage('session.reason.missing')
        : code === 'EACCES' || code === 'EPERM'
          ? dataMessage('session.reason.permission')
          : code === 'EISDIR'
            ? dataMessage('session.reason.folder')
            : String(code ?? error);
    throw new SessionFileError('foreign', dataMessage('session.cannotOpen', { name: basename(path), reason }));
  }
  return parseSession(text);
}

// ---- recent files ----

export const MAX_RECENT_FILES = 10;
const RECENT_FILE_NAME = 'recent-sessions.json';

export interface RecentFile {
  path: string;
  name: string;
  /** ISO time it was last opened or saved. */
  openedAt: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

async function readRecentRaw(userDataDir: string): Promise<RecentFile[]> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(join(userDataDir, RECENT_FILE_NAME), 'utf8'));
    const files = (parsed as { files?: unknown })?.files;
    if (!Array.isArray(files)) return [];
    return files.filter(
      (f): f is RecentFile => typeof f?.path === 'string' && typeof f?.name === 'string' && typeof f?.openedAt === 'string',
    );
  } catch {
    // A missing or damaged list is not worth bothering the learner about: start a new one.
    return [];
  }
}

async function writeRecent(userDataDir: string, files: RecentFile[]): Promise<void> {
  await fs.mkdir(userDataDir, { recursive: true });
  await writeFileAtomic(join(userDataDir, RECENT_FILE_NAME), JSON.stringify({ version: 1, files }, null, 1) + '\n');
}

/** Same file, whatever the spelling (and on Windows/macOS whatever the letter case). */
export function samePath(a: string, b: string): boolean {
  const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
  return caseInsensitive ? resolve(a).toLowerCase() === resolve(b).toLowerCase() : resolve(a) === resolve(b);
}

/** The recent sessions, newest first; files that no longer exist are dropped from the list. */
export async function listRecentFiles(userDataDir: string): Promise<RecentFile[]> {
  return (await pruneRecentFiles(userDataDir)).files;
}

/** Like listRecentFiles, and also says which entries were dropped (so the window can tell the learner). */
export async function pruneRecentFiles(userDataDir: string): Promise<{ files: RecentFile[]; dropped: RecentFile[] }> {
  const all = await readRecentRaw(userDataDir);
  const files: RecentFile[] = [];
  const dropped: RecentFile[] = [];
  for (const file of all) (files.length < MAX_RECENT_FILES && (await exists(file.path)) ? files : dropped).push(file);
  if (files.length !== all.length) await writeRecent(userDataDir, files);
  return { files, dropped: dropped.filter((f) => !files.some((kept) => samePath(kept.path, f.path))) };
}

/** Puts `path` at the top of the recent list (once), keeping at most MAX_RECENT_FILES. */
export async function addRecentFile(userDataDir: string, path: string, now: Date = new Date()): Promise<RecentFile[]> {
  const absolute = resolve(path);
  const rest = (await readRecentRaw(userDataDir)).filter((f) => !samePath(f.path, absolute));
  const files = [{ path: absolute, name: basename(absolute), openedAt: now.toISOString() }, ...rest];
  const present: RecentFile[] = [];
  for (const file of files) {
    if (present.length >= MAX_RECENT_FILES) break;
    if (await exists(file.path)) present.push(file);
  }
  await writeRecent(userDataDir, present);
  return present;
}

export async function removeRecentFile(userDataDir: string, path: string): Promise<RecentFile[]> {
  const files = (await readRecentRaw(userDataDir)).filter((f) => !samePath(f.path, path));
  await writeRecent(userDataDir, files);
  return files;
}

export async function clearRecentFiles(userDataDir: string): Promise<void> {
  await writeRecent(userDataDir, []);
}

// ---- autosave: the learner's current work, restored on the next start ----

export function autosavePath(userDataDir: string): string {
  return join(userDataDir, 'autosave.gradlab');
}

export async function saveAutosave(userDataDir: string, session: Session): Promise<void> {
  await fs.mkdir(userDataDir, { recursive: true });
  await saveSessionFile(autosavePath(userDataDir), session);
}

/** The autosaved session, or null when there is none or it cannot be read (it is only a convenience). */
export async function loadAutosave(userDataDir: string): Promise<Session | null> {
  try {
    return await openSessionFile(autosavePath(userDataDir));
  } catch {
    return null;
  }
}

/** Whether a process with this id exists (signal 0 only asks; EPERM means it exists but is not ours). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** writeFileAtomic's temporary names: `.<file>.<pid>.<12 hex digits>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes temporary files left by saves that were killed midway: those of a process that no
 * longer exists at once, the others once they are older than `olderThanMs` (a save still
 * writing keeps touching its file). Main calls it for every folder a session is saved to or
 * opened from; it never throws.
 */
export async function removeStaleTempFiles(dir: string, olderThanMs = 60_000, isAlive: (pid: number) => boolean = processExists): Promise<number> {
  let removed = 0;
  const now = Date.now();
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const match = TEMP_FILE.exec(name);
    if (!match) continue;
    const full = join(dir, name);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat?.isFile()) continue;
    const pid = Number(match[1]);
    const orphaned = pid !== process.pid && !isAlive(pid);
    if (orphaned || now - stat.mtimeMs > olderThanMs) {
      await fs.rm(full, { force: true }).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}
