// Sessions in the window: the browser edition's keyboard shortcuts (download / file picker), the
// title with the file name and the unsaved mark, and the desktop edition's renderer side driven
// through a stand-in for the preload's `window.gradlab.files` (the real Electron paths are in
// tests/electron/app.spec.ts, which needs an Electron binary).
import { readFileSync } from 'node:fs';
import { expect, test, type FileChooser, type Page } from '@playwright/test';
import { openEnglish } from './helpers';

const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

async function loadLessonExample(page: Page) {
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('21');
}

test('browser edition: Ctrl+S and Shift+Ctrl+S download the session, Ctrl+O opens the picker; the title follows', async ({ page }) => {
  // Listen for the file chooser from the start: enabling the interception takes a moment, and a
  // listener added just before the key press can miss the chooser it opens.
  const choosers: FileChooser[] = [];
  page.on('filechooser', (chooser) => choosers.push(chooser));
  const errors = await openEnglish(page);
  await expect(page).toHaveTitle('GradLab');
  await loadLessonExample(page);
  await page.locator('[data-cell="y-1"]').fill('22');
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');
  await expect(page).toHaveTitle('• GradLab');

  // Focus outside the cell so the shortcut is the page's (it works from a cell too).
  await page.getByTestId('session-state').click();
  const [saved] = await Promise.all([page.waitForEvent('download'), page.keyboard.press(`${mod}+s`)]);
  expect(saved.suggestedFilename()).toMatch(/^gradlab-\d{4}-\d{2}-\d{2}-\d{4}\.gradlab$/);
  const savedText = readFileSync((await saved.path())!, 'utf8');
  expect(JSON.parse(savedText).data.y).toEqual([115, 22]);
  await expect(page.getByTestId('session-state')).toHaveText('All changes saved');
  await expect(page).toHaveTitle('GradLab');

  await page.locator('[data-cell="y-1"]').fill('23');
  const [savedAs] = await Promise.all([page.waitForEvent('download'), page.keyboard.press(`${mod}+Shift+s`)]);
  expect(JSON.parse(readFileSync((await savedAs.path())!, 'utf8')).data.y).toEqual([115, 23]);

  await page.locator('[data-cell="y-1"]').fill('30');
  await page.keyboard.press(`${mod}+o`);
  await expect.poll(() => choosers.length).toBe(1);
  await choosers[0].setFiles({ name: 'lesson.gradlab', mimeType: 'application/json', buffer: Buffer.from(savedText) });
  await expect(page.getByTestId('session-message')).toContainText('Opened lesson.gradlab');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('22');
  await expect(page.getByTestId('session-file')).toHaveText('lesson.gradlab');
  await expect(page).toHaveTitle('lesson.gradlab — GradLab');
  await page.locator('[data-cell="y-1"]').fill('24');
  await expect(page).toHaveTitle('• lesson.gradlab — GradLab');
  // The browser edition has no recent list or Save As button: those need the desktop's dialogs.
  await expect(page.getByTestId('session-recent')).toHaveCount(0);
  await expect(page.getByTestId('session-save-as')).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** Stands in for the preload: the real web bridge is replaced by one whose `files` keeps files in a Map. */
async function installFakeDesktop(page: Page) {
  await page.addInitScript(() => {
    type Recent = { path: string; name: string; openedAt: string };
    const disk = new Map<string, string>();
    const recent: Recent[] = [];
    const calls: { method: string; args: unknown }[] = [];
    const listeners = new Set<(event: unknown) => void>();
    const dialogAnswers: (string | null)[] = [];
    const nameOf = (path: string) => path.split('/').pop() ?? path;
    const remember = (path: string) => {
      const at = recent.findIndex((f) => f.path === path);
      if (at >= 0) recent.splice(at, 1);
      recent.unshift({ path, name: nameOf(path), openedAt: new Date().toISOString() });
      return recent.slice();
    };
    const files = {
      async saveSession(args: { text: string; saveAs: boolean; suggestedName: string; target: string | null }) {
        calls.push({ method: 'saveSession', args });
        let path = !args.saveAs && args.target && disk.has(args.target) ? args.target : null;
        if (!path) {
          path = dialogAnswers.shift() ?? null;
          if (!path) return { ok: false, canceled: true };
        }
        disk.set(path, args.text);
        return { ok: true, file: { path, name: nameOf(path) }, recent: remember(path) };
      },
      async openSession() {
        calls.push({ method: 'openSession', args: null });
        const path = dialogAnswers.shift() ?? null;
        if (!path) return { ok: false, canceled: true };
        return { ok: true, file: { path, name: nameOf(path) }, text: disk.get(path), recent: remember(path) };
      },
      async openRecent(path: string) {
        calls.push({ method: 'openRecent', args: path });
        if (!disk.has(path)) {
          const at = recent.findIndex((f) => f.path === path);
          if (at >= 0) recent.splice(at, 1);
          return { ok: false, canceled: false, problem: { kind: 'missing', name: nameOf(path) }, recent: recent.slice() };
        }
        return { ok: true, file: { path, name: nameOf(path) }, text: disk.get(path), recent: remember(path) };
      },
      async recentSessions() {
        calls.push({ method: 'recentSessions', args: null });
        return { ok: true, recent: recent.slice(), dropped: [] };
      },
      async clearRecent() {
        recent.length = 0;
        return { ok: true, recent: [], dropped: [] };
      },
    };
    const fake = {
      platform: 'electron',
      files,
      send() {},
      onEvent(listener: (event: unknown) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const closes = { count: 0 };
    Object.assign(window, {
      gradlab: fake,
      close: () => {
        closes.count++;
      },
      fakeDesktop: { disk, calls, dialogAnswers, closes, emit: (event: unknown) => listeners.forEach((l) => l(event)) },
    });
  });
}

type FakeDesktop = {
  disk: Map<string, string>;
  calls: { method: string; args: unknown }[];
  dialogAnswers: (string | null)[];
  /** How often the page called window.close(). */
  closes: { count: number };
  emit(event: unknown): void;
};
declare global {
  interface Window {
    /** The stand-in's controls (page side only; callbacks passed to page.evaluate run in the page). */
    fakeDesktop: FakeDesktop;
  }
}

test('desktop edition (renderer side): Save asks once then writes to the same file, Save As, Open Recent from the menu, a missing recent file', async ({ page }) => {
  await installFakeDesktop(page);
  const errors = await openEnglish(page);
  await loadLessonExample(page);
  await page.locator('[data-cell="y-1"]').fill('22');

  // The menu's Save (Ctrl+S is its accelerator): main's dialog answers /home/ada/frogs.gradlab.
  await page.evaluate(() => window.fakeDesktop.dialogAnswers.push('/home/ada/frogs.gradlab'));
  await page.evaluate(() => window.fakeDesktop.emit({ type: 'appCommand', runId: 'app', command: 'saveSession' }));
  await expect(page.getByTestId('session-message')).toContainText('Saved frogs.gradlab.');
  await expect(page.getByTestId('session-state')).toHaveText('All changes saved');
  await expect(page).toHaveTitle('frogs.gradlab — GradLab');
  const first = await page.evaluate(() => window.fakeDesktop.calls.find((c) => c.method === 'saveSession')?.args);
  expect(first).toMatchObject({ saveAs: false, target: null, suggestedName: expect.stringMatching(/^gradlab-.*\.gradlab$/) });

  // Save again after an edit: the window hands back the file it came from; no dialog answer needed.
  await page.locator('[data-cell="y-1"]').fill('23');
  await expect(page).toHaveTitle('• frogs.gradlab — GradLab');
  await page.getByTestId('session-save').click();
  await expect(page.getByTestId('session-state')).toHaveText('All changes saved');
  const second = await page.evaluate(() => window.fakeDesktop.calls.filter((c) => c.method === 'saveSession')[1]?.args);
  expect(second).toMatchObject({ saveAs: false, target: '/home/ada/frogs.gradlab', suggestedName: 'frogs.gradlab' });
  expect(JSON.parse((await page.evaluate(() => window.fakeDesktop.disk.get('/home/ada/frogs.gradlab')))!).data.y).toEqual([115, 23]);

  // In the desktop edition Ctrl+S is left to the menu: the page does not save by itself.
  await page.locator('[data-cell="y-1"]').fill('24');
  await page.getByTestId('session-state').click();
  await page.keyboard.press(`${mod}+s`);
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');

  // Save As (menu command) to a second file; Cancel in the dialog changes nothing.
  await page.evaluate(() => window.fakeDesktop.dialogAnswers.push(null));
  await page.evaluate(() => window.fakeDesktop.emit({ type: 'appCommand', runId: 'app', command: 'saveSessionAs' }));
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');
  await page.evaluate(() => window.fakeDesktop.dialogAnswers.push('/home/ada/copy.gradlab'));
  await page.getByTestId('session-save-as').click();
  await expect(page).toHaveTitle('copy.gradlab — GradLab');

  // The recent list in the session menu, newest first; opening frogs.gradlab from it brings 23 back.
  await page.getByTestId('session-recent').locator('summary').click();
  await expect(page.getByTestId('session-recent-item')).toHaveText(['copy.gradlab', 'frogs.gradlab']);
  await page.getByTestId('session-recent-item').filter({ hasText: 'frogs.gradlab' }).click();
  await expect(page.getByTestId('session-message')).toContainText('Opened frogs.gradlab');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('23');
  await expect(page).toHaveTitle('frogs.gradlab — GradLab');

  // File › Open Recent in the menu sends the entry's path; the file was deleted meanwhile.
  await page.evaluate(() => window.fakeDesktop.disk.delete('/home/ada/copy.gradlab'));
  await page.evaluate(() => window.fakeDesktop.emit({ type: 'appCommand', runId: 'app', command: 'openRecent', path: '/home/ada/copy.gradlab' }));
  await expect(page.getByTestId('session-message')).toContainText('copy.gradlab is no longer there (moved or deleted?), so it was removed from the recent list.');
  await expect(page.getByTestId('session-message')).toContainText('Nothing was changed');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('23');

  // The same message in Chinese.
  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(page.getByTestId('session-message')).toContainText('copy.gradlab 已经不在原处');
  expect(errors).toEqual([]);
});

test('desktop edition (renderer side): after a reload the session still knows its file, so Save does not ask', async ({ page }) => {
  await installFakeDesktop(page);
  await openEnglish(page);
  await loadLessonExample(page);
  await page.evaluate(() => window.fakeDesktop.dialogAnswers.push('/home/ada/kept.gradlab'));
  await page.getByTestId('session-save').click();
  await expect(page).toHaveTitle('kept.gradlab — GradLab');
  await page.locator('[data-cell="y-1"]').fill('25');
  await expect(page).toHaveTitle('• kept.gradlab — GradLab');
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('25');
  await expect(page.getByTestId('session-message')).toContainText('GradLab keeps a copy on this computer');
  await expect(page.getByTestId('session-file')).toHaveText('kept.gradlab');
  await page.getByTestId('session-save').click();
  // The fake disk is new after the reload, so the window's path is all that can name the target.
  await expect
    .poll(() => page.evaluate(() => window.fakeDesktop.calls.find((c) => c.method === 'saveSession')?.args))
    .toMatchObject({ saveAs: false, target: '/home/ada/kept.gradlab', suggestedName: 'kept.gradlab' });
});

test('a data file’s problem is worded in Chinese down to the parser’s detail line, and follows a language switch', async ({ page }) => {
  const errors = await openEnglish(page);
  await loadLessonExample(page);
  const error = page.getByTestId('data-file-error');
  await page.getByLabel('Choose a data file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2\n3,abc\n') });
  await expect(error).toContainText('Details: Line 2, column 2: "abc" is not a number. Use digits with a decimal point, like 2.5 or -1e3.');
  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(error).toContainText('详细信息：第 2 行第 2 列："abc" 不是数。请用数字和小数点来写，比如 2.5 或 -1e3。');
  await expect(error).not.toContainText('is not a number');
  await page.getByLabel('选择数据文件').setInputFiles({ name: 'cut.npy', mimeType: 'application/octet-stream', buffer: Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1]) });
  await expect(error).toContainText('cut.npy 被截断了：它在 .npy 文件头中间就结束了（7 字节）。请重新保存。');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('21');
  expect(errors).toEqual([]);
});

test('desktop edition (renderer side): the close prompt’s Save closes the window only once saved', async ({ page }) => {
  await installFakeDesktop(page);
  await openEnglish(page);
  await loadLessonExample(page);
  await page.locator('[data-cell="y-1"]').fill('26');
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');

  // Cancel in the save dialog: nothing saved, the window stays.
  await page.evaluate(() => window.fakeDesktop.dialogAnswers.push(null));
  await page.evaluate(() => window.fakeDesktop.emit({ type: 'appCommand', runId: 'app', command: 'saveAndClose' }));
  await expect.poll(() => page.evaluate(() => window.fakeDesktop.calls.filter((c) => c.method === 'saveSession').length)).toBe(1);
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');
  expect(await page.evaluate(() => window.fakeDesktop.closes.count)).toBe(0);

  // Saved: then the window closes itself.
  await page.evaluate(() => window.fakeDesktop.dialogAnswers.push('/home/ada/closing.gradlab'));
  await page.evaluate(() => window.fakeDesktop.emit({ type: 'appCommand', runId: 'app', command: 'saveAndClose' }));
  await expect.poll(() => page.evaluate(() => window.fakeDesktop.closes.count)).toBe(1);
  await expect(page.getByTestId('session-state')).toHaveText('All changes saved');
  expect(JSON.parse((await page.evaluate(() => window.fakeDesktop.disk.get('/home/ada/closing.gradlab')))!).data.y).toEqual([115, 26]);
});
