// Save / Save As / Open / Open Recent as main answers them, on a real temporary folder with a fake
// dialog (no Electron): atomic saves, untrusted paths, corrupt files, the recent list.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSession, serializeSession } from '../../../src-main/data/session';
import { MAX_RECENT_FILES, writeFileAtomic } from '../../../src-main/data/session-store.node.js';
import { createSessionFileHandlers, sessionPathsFromArgv, withSessionExtension, type SessionFilesDeps } from '../../../src-main/electron/session-files';
import { validateSessionFileRequest, type RecentSession, type SessionFileRef, type SessionFileResult } from '../../../src-main/contract/session-files';
import { numbersSession } from '../data/helpers/sessions';

let dir: string;
let docs: string;
let userData: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradlab-files-'));
  docs = join(dir, 'Documents');
  userData = join(dir, 'userData');
  mkdirSync(docs);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A dialog that answers from a queue (null = the learner pressed Cancel) and records what it was shown. */
function fakeDialogs(answers: (string | null)[] = []) {
  const shown: { kind: 'save' | 'open'; at: string }[] = [];
  return {
    shown,
    answers,
    dialogs: {
      chooseSavePath: vi.fn(async (defaultPath: string) => {
        shown.push({ kind: 'save' as const, at: defaultPath });
        return answers.shift() ?? null;
      }),
      chooseOpenPath: vi.fn(async (defaultDir: string) => {
        shown.push({ kind: 'open' as const, at: defaultDir });
        return answers.shift() ?? null;
      }),
    },
  };
}

function setup(answers: (string | null)[] = [], extra: Partial<SessionFilesDeps> = {}) {
  const fake = fakeDialogs(answers);
  const recentChanges: { recent: RecentSession[]; touched: string | null }[] = [];
  let minute = 0;
  const handlers = createSessionFileHandlers({
    dialogs: fake.dialogs,
    userDataDir: userData,
    documentsDir: docs,
    onRecentChange: (recent, touched) => recentChanges.push({ recent, touched }),
    now: () => new Date(Date.UTC(2026, 10, 27, 9, minute++)),
    ...extra,
  });
  return { handlers, fake, recentChanges };
}

const text = (language: 'en' | 'zh-CN' = 'en') => serializeSession(numbersSession({ language }), new Date('2026-11-27T09:00:00Z'));
const saveRequest = (over: Record<string, unknown> = {}) => ({ method: 'saveSession', text: text(), saveAs: false, suggestedName: 'gradlab-2026-11-27-0900.gradlab', target: null, ...over });

/** Any successful answer, seen through one shape (fields a method does not return are simply absent). */
type Ok = { ok: true; file: SessionFileRef; text?: string; recent: RecentSession[]; dropped?: string[] };
function expectOk(result: SessionFileResult): Ok {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Ok;
}

describe('Save and Save As', () => {
  it('asks where on the first save (starting in Documents with the suggested name), writes the session and lists it', async () => {
    const { handlers, fake, recentChanges } = setup([join(docs, 'frogs.gradlab')]);
    const result = expectOk(await handlers.handle(saveRequest()));
    expect(fake.shown).toEqual([{ kind: 'save', at: join(docs, 'gradlab-2026-11-27-0900.gradlab') }]);
    expect(result.file).toEqual({ path: join(docs, 'frogs.gradlab'), name: 'frogs.gradlab' });
    expect(readFileSync(join(docs, 'frogs.gradlab'), 'utf8')).toBe(text());
    expect(readdirSync(docs)).toEqual(['frogs.gradlab']); // no temporary file left
    expect(result.recent.map((f) => f.name)).toEqual(['frogs.gradlab']);
    expect(recentChanges.at(-1)).toMatchObject({ touched: join(docs, 'frogs.gradlab') });
  });

  it('Save writes to the file the session came from without asking; Save As asks, starting beside it', async () => {
    const { handlers, fake } = setup([join(docs, 'frogs.gradlab')]);
    const first = expectOk(await handlers.handle(saveRequest()));
    const again = expectOk(await handlers.handle(saveRequest({ text: text('zh-CN'), target: first.file.path })));
    expect(fake.shown).toHaveLength(1);
    expect(again.file.path).toBe(first.file.path);
    expect(parseSession(readFileSync(first.file.path, 'utf8')).language).toBe('zh-CN');

    mkdirSync(join(dir, 'elsewhere'));
    fake.answers.push(join(dir, 'elsewhere', 'copy.gradlab'));
    const copy = expectOk(await handlers.handle(saveRequest({ saveAs: true, target: first.file.path, suggestedName: 'frogs.gradlab' })));
    expect(fake.shown[1]).toEqual({ kind: 'save', at: join(docs, 'frogs.gradlab') });
    expect(copy.file.name).toBe('copy.gradlab');
    expect(copy.recent.map((f) => f.name)).toEqual(['copy.gradlab', 'frogs.gradlab']);
  });

  it('a path the window makes up is never written: Save asks instead', async () => {
    const planted = join(dir, 'not-yours.gradlab');
    writeFileSync(planted, 'precious');
    const { handlers, fake } = setup([null]);
    const result = await handlers.handle(saveRequest({ target: planted }));
    expect(result).toEqual({ ok: false, canceled: true });
    expect(fake.shown).toHaveLength(1);
    expect(fake.shown[0].at).toBe(join(docs, 'gradlab-2026-11-27-0900.gradlab'));
    expect(readFileSync(planted, 'utf8')).toBe('precious');
  });

  it('after a restart, Save still writes to a file on the recent list without asking', async () => {
    const first = setup([join(docs, 'kept.gradlab')]);
    expectOk(await first.handlers.handle(saveRequest()));
    const restarted = setup([]);
    const result = expectOk(await restarted.handlers.handle(saveRequest({ text: text('zh-CN'), target: join(docs, 'kept.gradlab') })));
    expect(restarted.fake.shown).toEqual([]);
    expect(result.file.name).toBe('kept.gradlab');
    expect(parseSession(readFileSync(join(docs, 'kept.gradlab'), 'utf8')).language).toBe('zh-CN');
  });

  it('adds .gradlab to a name typed without it', async () => {
    expect(withSessionExtension('/a/b/frogs')).toBe('/a/b/frogs.gradlab');
    expect(withSessionExtension('/a/b/frogs.GRADLAB')).toBe('/a/b/frogs.GRADLAB');
    expect(withSessionExtension('/a/b/notes.txt')).toBe('/a/b/notes.txt.gradlab');
    const { handlers } = setup([join(docs, 'frogs')]);
    const result = expectOk(await handlers.handle(saveRequest()));
    expect(result.file.name).toBe('frogs.gradlab');
    expect(existsSync(join(docs, 'frogs.gradlab'))).toBe(true);
  });

  it('requests are answered one at a time: two quick saves both land on the recent list, one dialog at a time', async () => {
    let open = 0;
    let most = 0;
    const answers = [join(docs, 'one.gradlab'), join(docs, 'two.gradlab')];
    const handlers = createSessionFileHandlers({
      userDataDir: userData,
      documentsDir: docs,
      dialogs: {
        chooseSavePath: async () => {
          most = Math.max(most, ++open);
          await new Promise((r) => setTimeout(r, 20));
          open--;
          return answers.shift() ?? null;
        },
        chooseOpenPath: async () => null,
      },
    });
    const [a, b] = await Promise.all([handlers.handle(saveRequest({ saveAs: true })), handlers.handle(saveRequest({ saveAs: true }))]);
    expect(most).toBe(1);
    expect([expectOk(a).file.name, expectOk(b).file.name]).toEqual(['one.gradlab', 'two.gradlab']);
    expect(expectOk(await handlers.handle({ method: 'recentSessions' })).recent.map((f) => f.name)).toEqual(['two.gradlab', 'one.gradlab']);
  });

  it('Cancel writes nothing and changes no list', async () => {
    const { handlers, recentChanges } = setup([null]);
    expect(await handlers.handle(saveRequest({ saveAs: true }))).toEqual({ ok: false, canceled: true });
    expect(readdirSync(docs)).toEqual([]);
    expect(recentChanges).toEqual([]);
  });

  it('a failing write leaves the previous file intact and says why', async () => {
    const path = join(docs, 'work.gradlab');
    const previous = text('zh-CN');
    await writeFileAtomic(path, previous);
    const { handlers, recentChanges } = setup([path], {
      fs: {
        // The disk fills up halfway through the temporary file.
        writeFile: async (target, content) => {
          writeFileSync(`${target}.partial.tmp`, content.slice(0, 50));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    });
    const result = await handlers.handle(saveRequest({ saveAs: true }));
    expect(result).toMatchObject({ ok: false, canceled: false, problem: { kind: 'write', name: 'work.gradlab', reason: 'the disk is full' } });
    expect(readFileSync(path, 'utf8')).toBe(previous);
    expect(recentChanges).toEqual([]);
  });

  it('a folder that vanished before the write gives a clear message (real file system)', async () => {
    const { handlers } = setup([join(dir, 'gone', 'work.gradlab')]);
    const result = await handlers.handle(saveRequest());
    expect(result).toMatchObject({ ok: false, problem: { kind: 'write', name: 'work.gradlab', reason: 'the folder does not exist (moved or deleted?)' } });
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });

  it('refuses to write text that is not a session, before any dialog', async () => {
    const { handlers, fake } = setup([join(docs, 'x.gradlab')]);
    const result = await handlers.handle(saveRequest({ text: '{"format":"something else"}' }));
    expect(result).toMatchObject({ ok: false, canceled: false, problem: { kind: 'refused' } });
    expect(fake.shown).toEqual([]);
    expect(readdirSync(docs)).toEqual([]);
  });
});

describe('Open', () => {
  it('opens a session chosen in the dialog and puts it on top of the recent list', async () => {
    const path = join(docs, 'lesson.gradlab');
    writeFileSync(path, text());
    const { handlers, fake, recentChanges } = setup([path]);
    const result = expectOk(await handlers.handle({ method: 'openSession' }));
    expect(fake.shown).toEqual([{ kind: 'open', at: docs }]);
    expect(result.text).toBe(text());
    expect(result.file).toEqual({ path, name: 'lesson.gradlab' });
    expect(result.recent[0].path).toBe(path);
    expect(recentChanges.at(-1)?.touched).toBe(path);
  });

  it('a damaged file gives its problem and is not added to the recent list', async () => {
    const cut = join(docs, 'cut.gradlab');
    writeFileSync(cut, text().slice(0, 120));
    const empty = join(docs, 'empty.gradlab');
    writeFileSync(empty, '');
    const foreign = join(docs, 'package.gradlab');
    writeFileSync(foreign, '{"name": "not a session"}');
    const { handlers, recentChanges } = setup([cut, empty, foreign]);
    expect(await handlers.handle({ method: 'openSession' })).toMatchObject({ ok: false, canceled: false, problem: { kind: 'session', code: 'not-json', name: 'cut.gradlab' } });
    expect(await handlers.handle({ method: 'openSession' })).toMatchObject({ problem: { kind: 'session', code: 'empty', name: 'empty.gradlab' } });
    const third = await handlers.handle({ method: 'openSession' });
    expect(third).toMatchObject({ problem: { kind: 'session', code: 'foreign', name: 'package.gradlab' }, recent: [] });
    if (!third.ok && !third.canceled && third.problem.kind === 'session') expect(third.problem.detail.length).toBeGreaterThan(10);
    expect(recentChanges).toEqual([]);
    expect(readFileSync(cut, 'utf8')).toBe(text().slice(0, 120)); // opening never changes the file
  });

  it('refuses a file larger than the limit without reading it', async () => {
    const path = join(docs, 'huge.gradlab');
    writeFileSync(path, text());
    const readText = vi.fn(async () => 'never');
    const { handlers } = setup([path], { fs: { size: async () => 300 * 1024 * 1024, readText } });
    expect(await handlers.handle({ method: 'openSession' })).toMatchObject({ problem: { kind: 'tooBig', name: 'huge.gradlab', mb: 300, maxMb: 256 } });
    expect(readText).not.toHaveBeenCalled();
  });

  it('Cancel and a folder', async () => {
    const { handlers } = setup([null, docs]);
    expect(await handlers.handle({ method: 'openSession' })).toEqual({ ok: false, canceled: true });
    expect(await handlers.handle({ method: 'openSession' })).toMatchObject({ problem: { kind: 'read', reason: 'it is a folder' } });
  });
});

describe('recent files', () => {
  async function saveMany(names: string[]) {
    const paths = names.map((n) => join(docs, n));
    const { handlers } = setup([...paths]);
    for (const _ of paths) expectOk(await handlers.handle(saveRequest({ saveAs: true })));
    return { handlers, paths };
  }

  it('newest first, no duplicates, at most MAX_RECENT_FILES', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}.gradlab`);
    const { handlers, paths } = await saveMany(names);
    expectOk(await handlers.handle({ method: 'openRecent', path: paths[5] }));
    expectOk(await handlers.handle({ method: 'openRecent', path: join(docs, '.', 's5.gradlab') }));
    const list = expectOk(await handlers.handle({ method: 'recentSessions' }));
    expect(list.recent).toHaveLength(MAX_RECENT_FILES);
    expect(list.recent.map((f) => f.name)).toEqual(['s5.gradlab', 's11.gradlab', 's10.gradlab', 's9.gradlab', 's8.gradlab', 's7.gradlab', 's6.gradlab', 's4.gradlab', 's3.gradlab', 's2.gradlab']);
    expect(list.dropped).toEqual([]);
  });

  it('a moved or deleted file is dropped and named, both when listing and when opening it', async () => {
    const { handlers, paths } = await saveMany(['a.gradlab', 'b.gradlab', 'c.gradlab']);
    rmSync(paths[0]);
    const list = expectOk(await handlers.handle({ method: 'recentSessions' }));
    expect(list.recent.map((f) => f.name)).toEqual(['c.gradlab', 'b.gradlab']);
    expect(list.dropped).toEqual(['a.gradlab']);
    // Clicking the entry a menu built earlier still says what happened.
    expect(await handlers.handle({ method: 'openRecent', path: paths[0] })).toMatchObject({ ok: false, problem: { kind: 'missing', name: 'a.gradlab' } });

    rmSync(paths[1]);
    const opened = await handlers.handle({ method: 'openRecent', path: paths[1] });
    expect(opened).toMatchObject({ ok: false, problem: { kind: 'missing', name: 'b.gradlab' } });
    if (!opened.ok && !opened.canceled) expect(opened.recent.map((f) => f.name)).toEqual(['c.gradlab']);
  });

  it('Open Recent refuses a path that is not on the list, without reading it', async () => {
    const secret = join(dir, 'secret.gradlab');
    writeFileSync(secret, text());
    const readText = vi.fn(async () => 'never');
    const { handlers } = setup([], { fs: { readText } });
    expect(await handlers.handle({ method: 'openRecent', path: secret })).toMatchObject({ ok: false, problem: { kind: 'refused' } });
    expect(readText).not.toHaveBeenCalled();
  });

  it('Clear empties the list and tells main (menu, OS list)', async () => {
    const { handlers } = await saveMany(['a.gradlab']);
    const changes: RecentSession[][] = [];
    const fresh = createSessionFileHandlers({ dialogs: fakeDialogs().dialogs, userDataDir: userData, documentsDir: docs, onRecentChange: (r) => changes.push(r) });
    expect(expectOk(await fresh.handle({ method: 'clearRecent' })).recent).toEqual([]);
    expect(changes).toEqual([[]]);
    expect(expectOk(await handlers.handle({ method: 'recentSessions' })).recent).toEqual([]);
  });
});

describe('files the operating system hands over (double-click on a .gradlab file)', () => {
  it('finds .gradlab paths on the command line, made absolute, skipping switches and the app path', () => {
    expect(sessionPathsFromArgv(['/opt/GradLab/gradlab', '--no-sandbox', 'lessons/frogs.gradlab', 'notes.txt', '/abs/Lesson.GRADLAB'], '/home/ada')).toEqual([
      '/home/ada/lessons/frogs.gradlab',
      '/abs/Lesson.GRADLAB',
    ]);
    expect(sessionPathsFromArgv(['/usr/bin/electron', '.', '--user-data-dir=/tmp/x'], '/repo')).toEqual([]);
  });

  it('a trusted path opens through openRecent and joins the recent list; untrusted ones stay refused', async () => {
    const handed = join(dir, 'from-file-manager.gradlab');
    writeFileSync(handed, text());
    const other = join(dir, 'other.gradlab');
    writeFileSync(other, text());
    const { handlers } = setup();
    handlers.trust(handed);
    const opened = expectOk(await handlers.handle({ method: 'openRecent', path: handed }));
    expect(opened.text).toBe(text());
    expect(opened.recent.map((f) => f.path)).toEqual([handed]);
    expect(await handlers.handle({ method: 'openRecent', path: other })).toMatchObject({ ok: false, problem: { kind: 'refused' } });
  });
});

describe('request validation', () => {
  it('refuses malformed requests with the field named, and never calls a dialog', async () => {
    const { handlers, fake } = setup([join(docs, 'x.gradlab')]);
    const bad: unknown[] = [
      null,
      { method: 'deleteEverything' },
      saveRequest({ saveAs: 'yes' }),
      saveRequest({ suggestedName: '../../etc/passwd' }),
      saveRequest({ suggestedName: 'C:\\Windows\\x.gradlab' }),
      saveRequest({ text: '' }),
      saveRequest({ target: 42 }),
      { method: 'openRecent', path: '' },
      { method: 'openSession', path: '/etc/passwd' }, // extra fields are not silently dropped
    ];
    for (const raw of bad) {
      const result = await handlers.handle(raw);
      expect(result, JSON.stringify(raw)).toMatchObject({ ok: false, canceled: false, problem: { kind: 'refused' } });
    }
    expect(fake.shown).toEqual([]);
    expect(validateSessionFileRequest(saveRequest({ saveAs: 'yes' }))).toEqual({ ok: false, error: expect.stringMatching(/^Invalid file request at saveAs: /) });
    expect(validateSessionFileRequest(saveRequest({ suggestedName: 'a/b.gradlab' }))).toEqual({ ok: false, error: expect.stringContaining('suggestedName') });
    expect(validateSessionFileRequest(saveRequest())).toMatchObject({ ok: true });
  });
});

describe('temporary files that killed saves leave behind', () => {
  /** Saves to `path` in a child process and SIGKILLs it mid-save (once its temporary file shows) until one is left behind. */
  async function killSavesUntilOneIsLeft(path: string): Promise<void> {
    const helper = join(process.cwd(), 'tests/unit/data/helpers/save-forever.ts');
    const folder = join(path, '..');
    for (let attempt = 0; attempt < 5; attempt++) {
      const child = spawn(process.execPath, ['--import', 'tsx', helper, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
      while (!readdirSync(folder).some((name) => name.endsWith('.tmp'))) await new Promise((r) => setImmediate(r));
      child.kill('SIGKILL');
      await exited;
      if (readdirSync(folder).some((name) => name.endsWith('.tmp'))) return;
    }
    throw new Error('in 5 attempts the kill never landed while a save was in progress');
  }

  it('are removed when a session is saved to their folder, and when one is opened from it (issue 13)', async () => {
    const work = join(docs, 'work.gradlab');
    await killSavesUntilOneIsLeft(work);
    // a save still in progress in this process (fresh) and someone else's hidden file stay
    const ours = `.other.gradlab.${process.pid}.0123456789ab.tmp`;
    writeFileSync(join(docs, ours), 'writing');
    writeFileSync(join(docs, '.notes.tmp'), 'not ours');
    const { handlers } = setup([work]);
    expectOk(await handlers.handle(saveRequest()));
    expect(readdirSync(docs).sort()).toEqual(['.notes.tmp', ours, 'work.gradlab']);

    // an old one of this process's (a save cut short by an error long ago) goes too, on Open
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(docs, ours), old, old);
    const { handlers: later } = setup([work]);
    await killSavesUntilOneIsLeft(work);
    const opened = expectOk(await later.handle({ method: 'openSession' }));
    expect(opened.file.name).toBe('work.gradlab');
    expect(readdirSync(docs).sort()).toEqual(['.notes.tmp', 'work.gradlab']);
  }, 120_000);
});
