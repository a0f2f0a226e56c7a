// Training in a utilityProcess of its own (issue 13): killing that process mid-run ends only the
// run, the window says so, a fresh process takes over and the next Run trains to the lesson's
// numbers. Runs only where an Electron binary exists (the release workflow downloads one);
// everywhere else it skips with the reason. The same supervisor is tested with real child
// processes in tests/unit/training/worker.test.ts.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const distPath = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const executable = distPath ? join(distPath, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron') : '';
const available = Boolean(distPath) && existsSync(executable);

test.skip(!available, 'No Electron binary here: set ELECTRON_OVERRIDE_DIST_PATH to an Electron 45 dist to run the desktop tests.');

/** The pids of the app's training processes (utilityProcess.fork's serviceName names them). */
async function trainingPids(app: ElectronApplication): Promise<number[]> {
  return app.evaluate(({ app: electronApp }) =>
    electronApp
      .getAppMetrics()
      .filter((metric) => metric.type === 'Utility' && (metric.name === 'GradLab training' || metric.serviceName === 'GradLab training'))
      .map((metric) => metric.pid),
  );
}

test('training runs in a utilityProcess of its own; killing it mid-run fails only that run and the next Run trains', async () => {
  const app = await electron.launch({ executablePath: executable, args: ['.', '--no-sandbox', '--lang=en-US'] });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('banner')).toContainText('GradLab');
    // One training process, kept ready before any Run, and not the main process.
    await expect.poll(async () => (await trainingPids(app)).length, { timeout: 30_000 }).toBe(1);
    const [first] = await trainingPids(app);
    expect(first).not.toBe(await app.evaluate(() => process.pid));

    await page.getByTestId('preset-select').selectOption('lesson-example');
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await page.getByLabel('Epochs', { exact: true }).fill('100000');
    await page.getByLabel('Speed', { exact: true }).selectOption('limited');
    await page.getByLabel('Epochs per second').fill('20');
    await page.getByLabel('Epochs per second').press('Tab');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText('Running');
    await expect.poll(async () => Number((await page.getByTestId('stat-epoch').textContent())!.replace(/,/g, ''))).toBeGreaterThanOrEqual(3);

    // What a V8 fatal error in training would do to the process: end it at once.
    process.kill(first, 'SIGKILL');
    const notice = page.getByTestId('notice-restarted');
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(notice).toContainText('The training process stopped unexpectedly and was restarted (it crashed or was ended from outside)');
    await expect(page.getByTestId('run-status')).toContainText('Stopped');
    // The window and main went on; a fresh training process is there for the next Run.
    await expect.poll(async () => (await trainingPids(app)).filter((pid) => pid !== first).length, { timeout: 30_000 }).toBe(1);

    await page.getByLabel('Speed', { exact: true }).selectOption('max');
    await page.getByLabel('Epochs', { exact: true }).fill('100');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('stat-loss')).toHaveText('loss = 183.0799', { timeout: 30_000 });
    await expect(page.getByTestId('stat-w')).toHaveText('w = [51.8260, -9.4314]');
  } finally {
    await app.close();
  }
});
