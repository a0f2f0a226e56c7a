// The session document without a window: "unsaved changes", the browser's copy, Save and Open
// through a fake file backend, and the keys and desktop commands that ask for them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, serializeSession, type Session } from '../../../src-main/data/session';
import type { AutosaveRecord } from '../../../src-renderer/session/autosave';
import { browserFiles, type FileBackend, type OpenOutcome, type SaveOutcome } from '../../../src-renderer/session/file-backends';
import { SessionDocument, type AutosaveStore } from '../../../src-renderer/session/session-document';
import { sessionCommandAction, sessionKeyAction } from '../../../src-renderer/session/session-keys';
import { float32ToBase64 } from '../../../src-main/data/base64';

// Counts the base64 encodings the document asks for (the real encoder does the work).
vi.mock('../../../src-main/data/base64', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src-main/data/base64')>();
  return { ...actual, float32ToBase64: vi.fn(actual.float32ToBase64) };
});

/** The app's state as the document sees it: y can be edited. */
function fakeApp(y = [115, 21]) {
  const app = {
    y,
    applied: [] as { session: Session; source: string }[],
    refuse: false,
    getSession: (): Session => ({
      savedAt: '2026-11-27T07:00:00.000Z',
      appVersion: '0.1.0',
      language: 'en',
      lesson: null,
      data: { kind: 'numbers', x: Float32Array.of(1, 2), y: Float32Array.from(app.y), shape: [2], sources: { x: null, y: null } },
      settings: { ...DEFAULT_SETTINGS },
      run: null,
    }),
    applySession: (session: Session, how: { source: string }) => {
      if (app.refuse) throw new Error('the app cannot take this session');
      app.applied.push({ session, source: how.source });
      if (session.data?.kind === 'numbers') app.y = Array.from(session.data.y);
    },
  };
  return app;
}

function fakeCopy(initial: AutosaveRecord | null = null) {
  const copy = { db: initial, local: null as AutosaveRecord | null, pending: [] as (() => void)[] };
  const store: AutosaveStore = {
    read: async () => copy.db ?? copy.local,
    // The IndexedDB write completes only when the test says so.
    write: (record) => new Promise<void>((resolve) => copy.pending.push(() => ((copy.db = record), resolve()))),
    writeNow: (record) => ((copy.local = record), true),
  };
  const flush = async () => {
    for (const finish of copy.pending.splice(0)) finish();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { copy, store, flush };
}

function fakeDesktop(): FileBackend & { saved: string[]; next: { save?: SaveOutcome; open?: OpenOutcome } } {
  const backend = {
    edition: 'desktop' as const,
    words: { saved: 'desk.saved' as const, restored: 'desk.restored' as const },
    saved: [] as string[],
    next: {} as { save?: SaveOutcome; open?: OpenOutcome },
    async save(text: string) {
      backend.saved.push(text);
      return backend.next.save ?? { ok: true, file: { name: 'lesson.gradlab', path: 'C:/lessons/lesson.gradlab' }, savedName: 'lesson.gradlab', recent: [] };
    },
    async open() {
      return backend.next.open ?? { ok: false, canceled: true };
    },
    recent: async () => ({ recent: [], dropped: [] }),
    clearRecent: async () => [],
  };
  return backend;
}

describe('SessionDocument', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('an edit makes the session dirty and is copied after a pause; saving makes it clean', async () => {
    const app = fakeApp();
    const { copy, store, flush } = fakeCopy();
    const files = fakeDesktop();
    const dirtyChanges: boolean[] = [];
    const doc = new SessionDocument({ ...app, files, autosave: store, onDirtyChange: (d) => dirtyChanges.push(d) });
    await doc.start();
    doc.changed(app.getSession());
    expect(doc.dirty).toBe(false);
    expect(copy.pending).toHaveLength(0); // an untouched start is not copied

    app.y = [115, 22];
    doc.changed(app.getSession());
    expect(copy.pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(700);
    expect(doc.dirty).toBe(true);
    expect(doc.title).toBe('• GradLab');
    await flush();
    expect(copy.db?.dirty).toBe(true);

    expect(await doc.save()).toBe(true);
    expect(doc.dirty).toBe(false);
    expect(doc.file).toEqual({ name: 'lesson.gradlab', path: 'C:/lessons/lesson.gradlab' });
    expect(doc.title).toBe('lesson.gradlab — GradLab');
    expect(doc.message).toMatchObject({ tone: 'ok', key: 'desk.saved', params: { name: 'lesson.gradlab' } });
    expect(files.saved[0]).toBe(serializeSession(app.getSession()));
    expect(dirtyChanges).toEqual([true, false]);
    doc.dispose();
  });

  it('a copy due while a run trains waits for the run to end', async () => {
    const app = fakeApp();
    const { copy, store } = fakeCopy();
    let busy = false;
    const captured: number[] = [];
    const doc = new SessionDocument({
      ...app,
      getSession: () => (captured.push(Date.now()), app.getSession()),
      files: fakeDesktop(),
      autosave: store,
      isBusy: () => busy,
    });
    await doc.start();
    doc.changed(app.getSession());
    app.y = [115, 22];
    doc.changed(app.getSession()); // the edit right before Run
    captured.length = 0;
    busy = true; // Run
    await vi.advanceTimersByTimeAsync(10_000);
    expect(captured).toEqual([]); // not even captured while training
    expect(copy.pending).toHaveLength(0);
    busy = false; // the run ended: the app reports its state again
    doc.changed(app.getSession());
    await vi.advanceTimersByTimeAsync(700);
    expect(copy.pending).toHaveLength(1);
    expect(doc.dirty).toBe(true);
    doc.dispose();
  });

  it('encodes each image array once: later copies and saves reuse it until the array is replaced', async () => {
    const n = 64 * 64 * 3;
    const pixels = (seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 997) / 997);
    const app = { x: pixels(1), y: pixels(2), learningRate: 0.1 };
    const getSession = (): Session => ({
      savedAt: '2026-11-27T07:00:00.000Z',
      appVersion: '0.1.0',
      language: 'en',
      lesson: null,
      data: {
        kind: 'images',
        shape: { width: 64, height: 64, channels: 3 },
        options: { side: 64, fit: 'crop', color: 'rgb', scale: '0..1' },
        x: { name: 'a.png', path: null, bundledId: null, pixels: app.x },
        y: { name: 'b.png', path: null, bundledId: null, pixels: app.y },
      },
      settings: { ...DEFAULT_SETTINGS, learningRate: app.learningRate },
      run: null,
    });
    const { copy, store, flush } = fakeCopy();
    const files = fakeDesktop();
    const doc = new SessionDocument({ getSession, applySession: () => {}, files, autosave: store });
    await doc.start();
    const encode = vi.mocked(float32ToBase64);
    encode.mockClear();
    const encodingsOf = (array: Float32Array) => encode.mock.calls.filter(([values]) => values === array).length;
    doc.changed(getSession()); // the loaded images: the baseline
    for (const lr of [0.2, 0.3]) {
      app.learningRate = lr;
      doc.changed(getSession());
      await vi.advanceTimersByTimeAsync(700);
      await vi.runAllTimersAsync(); // the copy of new image data is prepared in short tasks first
      await flush();
      expect(JSON.parse(copy.db!.text).settings.learningRate).toBe(lr);
    }
    await doc.save();
    expect(encodingsOf(app.x)).toBe(1);
    expect(encodingsOf(app.y)).toBe(1);
    expect(doc.dirty).toBe(false);
    // The texts are the ordinary session file (the test's own encode calls come after the count).
    expect(files.saved[0]).toBe(serializeSession(getSession()));
    expect(copy.db!.text.replace(/"savedAt": "[^"]*"/, '')).toBe(serializeSession(getSession()).replace(/"savedAt": "[^"]*"/, ''));
    // An edit of y replaces its array: that one is encoded again, x is not.
    encode.mockClear();
    const oldY = app.y;
    app.y = pixels(3);
    doc.changed(getSession());
    await vi.advanceTimersByTimeAsync(700);
    await vi.runAllTimersAsync(); // the copy of new image data is prepared in short tasks first
    expect(doc.dirty).toBe(true);
    expect(encodingsOf(app.y)).toBe(1);
    expect(encodingsOf(app.x)).toBe(0);
    // Back to equal values in another array: the digest sees no change to save.
    app.y = oldY.slice();
    doc.changed(getSession());
    await vi.advanceTimersByTimeAsync(700);
    await vi.runAllTimersAsync(); // the copy of new image data is prepared in short tasks first
    expect(doc.dirty).toBe(false);
    doc.dispose();
  });

  it("new image data is digested and encoded one array and one step per task before it is copied; an edit meanwhile copies the newer state", async () => {
    const n = 64 * 64 * 3;
    const pixels = (seed: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 997) / 997);
    const app = { data: null as Session['data'], learningRate: 0.1 };
    const getSession = (): Session => ({ ...fakeApp().getSession(), data: app.data, settings: { ...DEFAULT_SETTINGS, learningRate: app.learningRate } });
    const tasks: (() => void)[] = [];
    const { copy, store, flush } = fakeCopy();
    const doc = new SessionDocument({ getSession, applySession: () => {}, files: fakeDesktop(), autosave: store, nextTask: () => new Promise((resolve) => tasks.push(resolve)) });
    await doc.start();
    doc.changed(getSession()); // the start: the baseline
    const encode = vi.mocked(float32ToBase64);
    encode.mockClear();
    const x = pixels(1);
    const y = pixels(2);
    const image = (values: Float32Array, name: string) => ({ name, path: null, bundledId: null, pixels: values });
    app.data = { kind: 'images', shape: { width: 64, height: 64, channels: 3 }, options: { side: 64, fit: 'crop', color: 'rgb', scale: '0..1' }, x: image(x, 'a.png'), y: image(y, 'b.png') };
    doc.changed(getSession()); // the images are loaded
    await vi.advanceTimersByTimeAsync(700);
    const runTask = async () => {
      tasks.shift()!();
      await vi.advanceTimersByTimeAsync(0);
    };
    // digest x, base64 x, digest y, base64 y: one per task, nothing copied until all are done
    for (const encodedSoFar of [0, 1, 1, 2]) {
      expect(tasks).toHaveLength(1);
      expect(copy.pending).toHaveLength(0);
      await runTask();
      expect(encode.mock.calls.length).toBe(encodedSoFar);
    }
    expect(tasks).toHaveLength(0);
    expect(copy.pending).toHaveLength(1);
    await flush();
    expect(JSON.parse(copy.db!.text).data.kind).toBe('images');
    expect(doc.dirty).toBe(true);

    // Replaced y, then another edit before its preparation ends: only the newer state is copied.
    app.data = { ...app.data, y: image(pixels(3), 'c.png') };
    doc.changed(getSession());
    await vi.advanceTimersByTimeAsync(700);
    await runTask(); // y's digest
    app.learningRate = 0.5;
    doc.changed(getSession());
    await runTask(); // y's base64: prepared, but the edit's own copy is due
    expect(copy.pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(700); // nothing left to prepare: copied at once
    expect(tasks).toHaveLength(0);
    await flush();
    expect(JSON.parse(copy.db!.text).settings.learningRate).toBe(0.5);
    expect(JSON.parse(copy.db!.text).data.y.name).toBe('c.png');
    expect(encode.mock.calls.length).toBe(3); // x once, each y once
    doc.dispose();
  });

  it('a save right after an edit, before the pause ends, is still copied, and a reload meanwhile keeps it', async () => {
    const app = fakeApp();
    const { copy, store } = fakeCopy();
    const doc = new SessionDocument({ ...app, files: fakeDesktop(), autosave: store });
    await doc.start();
    doc.changed(app.getSession());
    app.y = [1, 2];
    doc.changed(app.getSession());
    expect(await doc.save()).toBe(true);
    expect(copy.pending).toHaveLength(1); // the IndexedDB copy is on its way...
    // ...and the page unloads before it lands: localStorage gets it at once.
    expect(doc.beforeUnload()).toBe(false);
    expect(copy.local?.dirty).toBe(false);
    expect(copy.local?.text).toBe(serializeSession(app.getSession()));
    doc.dispose();
  });

  it('brings back last time’s copy (dirty as it was) unless the app refuses it', async () => {
    const saved = fakeApp([7, 8]);
    const record: AutosaveRecord = { text: serializeSession(saved.getSession()), dirty: true, time: 1, file: { name: 'old.gradlab', path: '/tmp/old.gradlab' } };
    const app = fakeApp();
    const doc = new SessionDocument({ ...app, files: fakeDesktop(), autosave: fakeCopy(record).store });
    await doc.start();
    expect(app.y).toEqual([7, 8]);
    expect(app.applied[0].source).toBe('autosave');
    expect(doc.message?.key).toBe('desk.restored');
    expect(doc.file).toEqual({ name: 'old.gradlab', path: '/tmp/old.gradlab' });
    doc.changed(app.getSession());
    expect(doc.dirty).toBe(true);

    const refusing = fakeApp();
    refusing.refuse = true;
    const fresh = new SessionDocument({ ...refusing, files: browserFiles(() => {}), autosave: fakeCopy(record).store });
    await fresh.start();
    fresh.changed(refusing.getSession());
    expect(fresh.dirty).toBe(false);
    expect(fresh.message).toBeNull();
    expect(fresh.file).toBeNull();
  });

  it('opening: a good file replaces the data and is clean; a damaged or refused one changes nothing and says why', async () => {
    const app = fakeApp();
    const files = fakeDesktop();
    const doc = new SessionDocument({ ...app, files, autosave: null });
    await doc.start();
    const other = fakeApp([3, 4]);
    files.next.open = { ok: true, name: 'b.gradlab', text: serializeSession(other.getSession()), file: { name: 'b.gradlab', path: '/x/b.gradlab' } };
    await doc.open({ kind: 'dialog' });
    expect(app.y).toEqual([3, 4]);
    expect(doc.message?.key).toBe('msg.opened');
    doc.changed(app.getSession());
    expect(doc.dirty).toBe(false);

    files.next.open = { ok: true, name: 'cut.gradlab', text: serializeSession(other.getSession()).slice(0, 100), file: { name: 'cut.gradlab', path: '/x/cut.gradlab' } };
    await doc.open({ kind: 'dialog' });
    expect(doc.message).toMatchObject({ tone: 'error', kept: true });
    expect(doc.file?.name).toBe('b.gradlab');

    app.refuse = true;
    files.next.open = { ok: true, name: 'c.gradlab', text: serializeSession(other.getSession()), file: { name: 'c.gradlab', path: '/x/c.gradlab' } };
    await doc.open({ kind: 'dialog' });
    expect(doc.message).toMatchObject({ tone: 'error', key: 'error.invalid', detail: 'the app cannot take this session' });
    expect(doc.file?.name).toBe('b.gradlab');
  });

  it('a failed save keeps the work unsaved and says why; a canceled one says nothing', async () => {
    const app = fakeApp();
    const files = fakeDesktop();
    const doc = new SessionDocument({ ...app, files, autosave: null });
    await doc.start();
    doc.changed(app.getSession());
    app.y = [9, 9];
    await vi.advanceTimersByTimeAsync(0);
    doc.changed(app.getSession());
    await vi.advanceTimersByTimeAsync(700);
    expect(doc.dirty).toBe(true);
    files.next.save = { ok: false, canceled: true };
    expect(await doc.save()).toBe(false);
    expect(doc.message).toBeNull();
    files.next.save = { ok: false, canceled: false, problem: { key: 'error.write', params: { name: 'a.gradlab', reason: 'disk full' } } };
    expect(await doc.save()).toBe(false);
    expect(doc.message).toMatchObject({ tone: 'error', key: 'error.write', kept: true });
    expect(doc.dirty).toBe(true);
  });

  it('the browser edition downloads a stamped file and keeps the file it came from', async () => {
    const app = fakeApp();
    const downloads: string[] = [];
    const doc = new SessionDocument({ ...app, files: browserFiles((name) => downloads.push(name), () => new Date(2026, 10, 27, 8, 5, 9)), autosave: null });
    await doc.start();
    expect(await doc.save()).toBe(true);
    expect(downloads).toEqual(['gradlab-2026-11-27-0805.gradlab']);
    expect(doc.message).toMatchObject({ key: 'msg.saved', params: { name: downloads[0] } });
    expect(doc.file).toBeNull();
    await doc.open({ kind: 'picked', file: new File(['{}'], 'notes.json') });
    expect(doc.message).toMatchObject({ tone: 'error', key: 'error.extension' });
  });
});

describe('session keys and commands', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, defaultPrevented: false, ...mods });
  it('Ctrl/Cmd+S saves, with Shift saves as, Ctrl/Cmd+O opens — in the browser only', () => {
    expect(sessionKeyAction(key('s'), false)).toEqual({ kind: 'save', saveAs: false });
    expect(sessionKeyAction(key('S', { shiftKey: true }), false)).toEqual({ kind: 'save', saveAs: true });
    expect(sessionKeyAction(key('o', { ctrlKey: false, metaKey: true }), false)).toEqual({ kind: 'open' });
    expect(sessionKeyAction(key('s'), true)).toBeNull();
    expect(sessionKeyAction(key('s', { altKey: true }), false)).toBeNull();
    expect(sessionKeyAction(key('s', { ctrlKey: false }), false)).toBeNull();
    expect(sessionKeyAction(key('o', { shiftKey: true }), false)).toBeNull();
  });
  it('maps the desktop menu’s commands', () => {
    expect(sessionCommandAction('saveSessionAs', {})).toEqual({ kind: 'save', saveAs: true });
    expect(sessionCommandAction('openRecent', { path: '/x/a.gradlab' })).toEqual({ kind: 'openRecent', path: '/x/a.gradlab' });
    expect(sessionCommandAction('openRecent', {})).toBeNull();
    expect(sessionCommandAction('toggleTheme', {})).toBeNull();
  });
});
