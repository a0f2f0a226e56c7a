// Launches the real desktop app. Runs only where an Electron binary exists (the release
// workflow downloads one); everywhere else it skips with the reason.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
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

test('training runs through IPC, the worker thread and the MessagePort', async () => {
  const app = await electron.launch({ executablePath: executable, args: ['.', '--no-sandbox'] });
  const page = await app.firstWindow();
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: /^(Load|载入)$/ }).click();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('stat-loss')).toHaveText('loss = 183.0799', { timeout: 30_000 });
  await expect(page.getByTestId('stat-w')).toHaveText('w = [51.8260, -9.4314]');
  await app.close();
});
