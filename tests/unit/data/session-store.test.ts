import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSession, serializeSession } from '../../../src-main/data/session';
import {
  addRecentFile,
  clearRecentFiles,
  listRecentFiles,
  loadAutosave,
  MAX_RECENT_FILES,
  openSessionFile,
  removeRecentFile,
  removeStaleTempFiles,
  saveAutosave,
  saveSessionFile,
  writeFileAtomic,
} from '../../../src-main/data/session-store.node.js';
import { repoRoot } from './helpers/fixtures';
import { imageSession, numbersSession } from './helpers/sessions';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradlab-sessions-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('saving and opening session files', () => {
  it('saves and opens a session (round trip through the disk)', async () => {
    const path = join(dir, 'frogs.gradlab');
    const session = imageSession(64);
    const when = new Date('2026-11-27T08:00:00Z');
    await saveSessionFile(path, session, when);
    expect(await openSessionFile(path)).toEqual({ ...session, savedAt: when.toISOString() });
    expect(readdirSync(dir)).toEqual(['frogs.gradlab']); // no temporary files left behind
  });

  it('replaces an existing file and keeps no temporary file', async () => {
    const path = join(dir, 'lesson.gradlab');
    await saveSessionFile(path, numbersSession());
    await saveSessionFile(path, numbersSession({ language: 'en' }));
    expect((await openSessionFile(path)).language).toBe('en');
    expect(readdirSync(dir)).toEqual(['lesson.gradlab']);
  });

  it('explains files that cannot be opened', async () => {
    await expect(openSessionFile(join(dir, 'gone.gradlab'))).rejects.toThrow('Cannot open gone.gradlab: it does not exist (moved or deleted?).');
    await expect(openSessionFile(dir)).rejects.toThrow(/^Cannot open gradlab-sessions-\w+: it is a folder\.$/);
    writeFileSync(join(dir, 'cut.gradlab'), serializeSession(numbersSession()).slice(0, 100));
    await expect(openSessionFile(join(dir, 'cut.gradlab'))).rejects.toThrow('This GradLab session file is damaged: it ends too early');
  });

  it('fails without touching the old file when the folder cannot be written', async () => {
    const path = join(dir, 'missing-folder', 'x.gradlab');
    await expect(saveSessionFile(path, numbersSession())).rejects.toThrow(/ENOENT/);
  });

  it('a writer killed (SIGKILL) in the middle of a save leaves the previous file intact', async () => {
    const path = join(dir, 'work.gradlab');
    const previous = numbersSession({ language: 'en' });
    await saveSessionFile(path, previous);
    const previousText = readFileSync(path, 'utf8');
    const helper = join(repoRoot, 'tests/unit/data/helpers/save-forever.ts');

    let killedMidSave = false;
    for (let attempt = 0; attempt < 5 && !killedMidSave; attempt++) {
      const child = spawn(process.execPath, ['--import', 'tsx', helper, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        child.on('exit', () => reject(new Error('the writer exited before it was ready')));
      });
      // Kill the moment a temporary file shows up: the writer is then inside writeFileAtomic.
      for (;;) {
        if (readdirSync(dir).some((name) => name.endsWith('.tmp'))) break;
        await new Promise((r) => setImmediate(r));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const leftovers = readdirSync(dir).filter((name) => name.endsWith('.tmp'));
      killedMidSave = leftovers.length > 0;

      // Whatever moment the kill hit, the file is a complete session: the old one or a new one.
      const text = readFileSync(path, 'utf8');
      const reopened = parseSession(text);
      if (text === previousText) expect(reopened).toEqual({ ...previous, savedAt: reopened.savedAt });
      else expect(reopened.data?.kind).toBe('images');
      // The temporary file the kill cut short is cleaned up on the next start.
      expect(await removeStaleTempFiles(dir, 0)).toBe(leftovers.length);
      expect(readdirSync(dir)).toEqual(['work.gradlab']);
    }
    expect(killedMidSave, 'in 5 attempts the kill never landed while a save was in progress').toBe(true);
  }, 120_000);

  it('writeFileAtomic writes bytes too', async () => {
    const path = join(dir, 'data.bin');
    await writeFileAtomic(path, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });
});

describe('recent files', () => {
  const touch = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, 'x');
    return path;
  };

  it('lists newest first, without duplicates, at most 10', async () => {
    const userData = join(dir, 'userData');
    const paths = Array.from({ length: 12 }, (_, i) => touch(`s${i}.gradlab`));
    for (const [i, p] of paths.entries()) await addRecentFile(userData, p, new Date(Date.UTC(2026, 0, 1, 0, i)));
    await addRecentFile(userData, paths[5], new Date(Date.UTC(2026, 0, 2)));
    await addRecentFile(userData, join(dir, '.', 's5.gradlab'), new Date(Date.UTC(2026, 0, 3)));
    const list = await listRecentFiles(userData);
    expect(list.length).toBe(MAX_RECENT_FILES);
    expect(list.map((f) => f.name)).toEqual(['s5.gradlab', 's11.gradlab', 's10.gradlab', 's9.gradlab', 's8.gradlab', 's7.gradlab', 's6.gradlab', 's4.gradlab', 's3.gradlab', 's2.gradlab']);
    expect(list[0]).toEqual({ path: paths[5], name: 's5.gradlab', openedAt: '2026-01-03T00:00:00.000Z' });
  });

  it('prunes files that no longer exist, and survives a damaged list', async () => {
    const userData = join(dir, 'userData');
    const a = touch('a.gradlab');
    const b = touch('b.gradlab');
    await addRecentFile(userData, a);
    await addRecentFile(userData, b);
    rmSync(a);
    expect((await listRecentFiles(userData)).map((f) => f.name)).toEqual(['b.gradlab']);
    expect(JSON.parse(readFileSync(join(userData, 'recent-sessions.json'), 'utf8')).files.length).toBe(1);
    expect((await removeRecentFile(userData, b)).length).toBe(0);
    writeFileSync(join(userData, 'recent-sessions.json'), '{"files": [{"path": 3}');
    expect(await listRecentFiles(userData)).toEqual([]);
    await addRecentFile(userData, b);
    await clearRecentFiles(userData);
    expect(await listRecentFiles(userData)).toEqual([]);
    expect(existsSync(join(userData, 'recent-sessions.json'))).toBe(true);
  });
});

describe('autosave', () => {
  it('keeps edited data across a restart and ignores a damaged autosave', async () => {
    const userData = join(dir, 'userData');
    expect(await loadAutosave(userData)).toBeNull();
    const session = numbersSession({ data: { kind: 'numbers', x: Float32Array.of(3, 4, 5), y: Float32Array.of(6, 8, 10), shape: [3], sources: { x: null, y: null } } });
    await saveAutosave(userData, session);
    expect((await loadAutosave(userData))?.data).toEqual(session.data);
    writeFileSync(join(userData, 'autosave.gradlab'), '{"format": "gradlab-session", "vers');
    expect(await loadAutosave(userData)).toBeNull();
  });
});
