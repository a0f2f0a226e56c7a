// Launches the real desktop app. Runs only where an Electron binary exists (the release
// workflow downloads one); everywhere else it skips with the reason.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const distPath = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const executable = distPath ? join(distPath, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron') : '';
const available = Boolean(distPath) && existsSync(executable);

test.skip(!available, 'No Electron binary here: set ELECTRON_OVERRIDE_DIST_PATH to an Electron 45 dist to run the desktop tests.');

test('the desktop app opens one secure window showing GradLab', async () => {
  const app = await electron.launch({ executablePath: executable, args: ['.', '--no-sandbox'], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
  const page = await app.firstWindow();
  await expect(page.getByRole('banner')).toContainText('GradLab');
  // Sandbox + contextIsolation + no nodeIntegration: the page sees neither Node nor ipcRenderer.
  const exposed = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
  }));
  expect(exposed).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
  expect(await page.evaluate(() => window.gradlab?.platform)).toBe('electron');
  await app.close();
});

test('the menu opens the shortcuts overlay and the audience window follows presenter mode', async () => {
  const app = await electron.launch({ executablePath: executable, args: ['.', '--no-sandbox'] });
  const page = await app.firstWindow();
  await expect(page.getByRole('banner')).toContainText('GradLab');
  await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('shortcuts')?.click());
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');

  const audiencePromise = app.waitForEvent('window');
  await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('audience')?.click());
  const audience = await audiencePromise;
  expect(audience.url()).toContain('audience=1');
  await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('presenter')?.click());
  await expect(page.getByTestId('presenter')).toBeVisible();
  await expect(audience.locator('body')).not.toContainText(/waiting|等待/i, { timeout: 10_000 });
  await app.close();
});

test('training runs through IPC, the training process and the MessagePort', async () => {
  const app = await electron.launch({ executablePath: executable, args: ['.', '--no-sandbox'] });
  const page = await app.firstWindow();
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: /^(Load|载入)$/ }).click();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('stat-loss')).toHaveText('loss = 183.0799', { timeout: 30_000 });
  await expect(page.getByTestId('stat-w')).toHaveText('w = [51.8260, -9.4314]');
  await app.close();
});

// ---- sessions through Electron's dialogs (the dialogs are stubbed in the main process) ----

/** A fresh user-data folder (recent list, autosave) and a folder for session files. */
function tempDirs() {
  const root = mkdtempSync(join(tmpdir(), 'gradlab-electron-'));
  const userData = join(root, 'userData');
  const files = join(root, 'files');
  mkdirSync(files);
  return { root, userData, files };
}

async function launchWith(userData: string, extraArgs: string[] = []) {
  const app = await electron.launch({ executablePath: executable, args: ['.', '--no-sandbox', `--user-data-dir=${userData}`, ...extraArgs] });
  const page = await app.firstWindow();
  await expect(page.getByRole('banner')).toContainText('GradLab');
  // "Close without saving" (button 1) whenever the unsaved-changes prompt appears, so closing never blocks a test.
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBoxSync = (() => 1) as typeof dialog.showMessageBoxSync;
  });
  return { app, page };
}

/** The next save or open dialog answers with `path` (null: Cancel). */
async function answerDialogs(app: ElectronApplication, kind: 'save' | 'open', path: string | null) {
  await app.evaluate(
    ({ dialog }, { kind, path }) => {
      if (kind === 'save') {
        dialog.showSaveDialog = (async () => ({ canceled: path === null, filePath: path ?? '' })) as typeof dialog.showSaveDialog;
      } else {
        dialog.showOpenDialog = (async () => ({ canceled: path === null, filePaths: path ? [path] : [] })) as typeof dialog.showOpenDialog;
      }
    },
    { kind, path },
  );
}

const clickMenu = (app: ElectronApplication, id: string) => app.evaluate(({ Menu }, id) => Menu.getApplicationMenu()?.getMenuItemById(id)?.click(), id);

test('Save, Save As, Open and Open Recent go through the dialogs and the atomic writer', async () => {
  const dirs = tempDirs();
  const { app, page } = await launchWith(dirs.userData);
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: /^(Load|载入)$/ }).click();
  await page.locator('[data-cell="y-1"]').fill('22');

  // File › Save on an unnamed session asks where (stubbed), then writes the file.
  const frogs = join(dirs.files, 'frogs.gradlab');
  await answerDialogs(app, 'save', frogs);
  await clickMenu(app, 'save');
  await expect(page.getByTestId('session-file')).toHaveText('frogs.gradlab');
  await expect.poll(() => existsSync(frogs)).toBe(true);
  expect(JSON.parse(readFileSync(frogs, 'utf8')).data.y).toEqual([115, 22]);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe('frogs.gradlab — GradLab');

  // Save again: no dialog (a dialog now would answer Cancel), same file.
  await answerDialogs(app, 'save', null);
  await page.locator('[data-cell="y-1"]').fill('23');
  await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe('• frogs.gradlab — GradLab');
  await clickMenu(app, 'save');
  await expect.poll(() => JSON.parse(readFileSync(frogs, 'utf8')).data.y).toEqual([115, 23]);
  expect(readdirSync(dirs.files)).toEqual(['frogs.gradlab']); // no temporary file left behind

  // Save As to a name typed without the extension.
  await answerDialogs(app, 'save', join(dirs.files, 'copy'));
  await clickMenu(app, 'saveAs');
  await expect(page.getByTestId('session-file')).toHaveText('copy.gradlab');
  expect(existsSync(join(dirs.files, 'copy.gradlab'))).toBe(true);

  // Open Recent in the menu (rebuilt by main, newest first): frogs.gradlab is the second entry.
  await page.locator('[data-cell="y-1"]').fill('40');
  const labels = await app.evaluate(({ Menu }) => [0, 1].map((i) => Menu.getApplicationMenu()?.getMenuItemById(`recent-${i}`)?.label));
  expect(labels).toEqual(['copy.gradlab', 'frogs.gradlab']);
  await clickMenu(app, 'recent-1');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('23');
  await expect(page.getByTestId('session-file')).toHaveText('frogs.gradlab');

  // A damaged file from the Open dialog: a clear message, nothing changed, not on the recent list.
  const cut = join(dirs.files, 'cut.gradlab');
  writeFileSync(cut, readFileSync(frogs, 'utf8').slice(0, 150));
  await answerDialogs(app, 'open', cut);
  await clickMenu(app, 'open');
  await expect(page.getByTestId('session-message')).toContainText(/cut\.gradlab (is a damaged GradLab session|是一个已损坏的 GradLab 会话)/);
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('23');
  expect(await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('recent-2')?.label)).toBeUndefined();

  // A recent file deleted behind GradLab's back: clicking it says so and drops it.
  rmSync(join(dirs.files, 'copy.gradlab'));
  const copyIndex = await app.evaluate(({ Menu }) => (Menu.getApplicationMenu()?.getMenuItemById('recent-0')?.label === 'copy.gradlab' ? 0 : 1));
  await clickMenu(app, `recent-${copyIndex}`);
  await expect(page.getByTestId('session-message')).toContainText(/copy\.gradlab (is no longer there|已经不在原处)/);
  await expect.poll(() => app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('recent-1')?.label)).toBeUndefined();

  // The window cannot make main read a path of its choosing.
  const refused = await page.evaluate((path) => window.gradlab!.files!.openRecent(path), join(dirs.root, 'elsewhere.gradlab'));
  expect(refused).toMatchObject({ ok: false, problem: { kind: 'refused' } });
  await app.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

test('edited data survives quitting and starting the app again (autosave in the app:// origin)', async () => {
  const dirs = tempDirs();
  const first = await launchWith(dirs.userData);
  await first.page.getByTestId('preset-select').selectOption('lesson-example');
  await first.page.getByRole('button', { name: /^(Load|载入)$/ }).click();
  await first.page.locator('[data-cell="y-1"]').fill('77');
  await expect(first.page.getByTestId('session-state')).toHaveText(/Unsaved changes|有未保存的修改/);
  await first.app.close();

  const second = await launchWith(dirs.userData);
  await expect(second.page.locator('[data-cell="y-1"]')).toHaveValue('77', { timeout: 15_000 });
  await expect(second.page.getByTestId('session-message')).toContainText(/GradLab keeps a copy on this computer|GradLab 在这台电脑上保留了一份副本/);
  await second.app.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

test('a .gradlab file given on the command line (the file association) opens in the window', async () => {
  const dirs = tempDirs();
  const first = await launchWith(dirs.userData);
  await first.page.getByTestId('preset-select').selectOption('lesson-example');
  await first.page.getByRole('button', { name: /^(Load|载入)$/ }).click();
  await first.page.locator('[data-cell="y-1"]').fill('64');
  const path = join(dirs.files, 'double-clicked.gradlab');
  await answerDialogs(first.app, 'save', path);
  await clickMenu(first.app, 'saveAs');
  await expect.poll(() => existsSync(path)).toBe(true);
  await first.app.close();

  const second = await launchWith(join(dirs.root, 'fresh-userData'), [path]);
  await expect(second.page.locator('[data-cell="y-1"]')).toHaveValue('64', { timeout: 15_000 });
  await expect(second.page.getByTestId('session-file')).toHaveText('double-clicked.gradlab');
  await second.app.close();
  rmSync(dirs.root, { recursive: true, force: true });
});

test('closing with unsaved changes: the prompt’s Save saves, then the window closes', async () => {
  const dirs = tempDirs();
  const { app, page } = await launchWith(dirs.userData);
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: /^(Load|载入)$/ }).click();
  await page.locator('[data-cell="y-1"]').fill('31');
  await expect(page.getByTestId('session-state')).toHaveText(/Unsaved changes|有未保存的修改/);
  const path = join(dirs.files, 'before-closing.gradlab');
  await answerDialogs(app, 'save', path);
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBoxSync = (() => 0) as typeof dialog.showMessageBoxSync; // "Save…"
  });
  const windowClosed = page.waitForEvent('close');
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
  await windowClosed;
  expect(existsSync(path)).toBe(true);
  expect(JSON.parse(readFileSync(path, 'utf8')).data.y).toEqual([115, 31]);
  await app.close().catch(() => undefined); // on Linux and Windows the app has quit with its last window
  rmSync(dirs.root, { recursive: true, force: true });
});
