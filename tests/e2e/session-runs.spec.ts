// A session keeps its run (issue 16): after a reload, or opened from its file, the run is back as it
// ended — the loss, the charts, the arithmetic, the status and the speed — and it continues to the
// same numbers as one uninterrupted run, a learning-rate change made while it trained included, and
// a run that forgot zero_grad carrying on from its piled-up gradients.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { drawnPixels, openEnglish } from './helpers';

async function saveSession(page: Page): Promise<string> {
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save session' }).click()]);
  return readFileSync((await saved.path())!, 'utf8');
}

/** A new window with nothing remembered, the session opened from its file. */
async function openInNewWindow(browser: Browser, text: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await openEnglish(page);
  await page.getByLabel('Open session…').setInputFiles({ name: 'run.gradlab', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('session-message')).toContainText('Opened run.gradlab');
  return page;
}

const numbers = async (page: Page) => ({
  loss: await page.getByTestId('stat-loss').textContent(),
  w: await page.getByTestId('stat-w').textContent(),
  b: await page.getByTestId('stat-b').textContent(),
  wGrad: await page.getByTestId('stat-wgrad').textContent(),
});

test('save, reload, open: the worked example\'s run is back with its loss, charts, arithmetic, status and speed', async ({ page, browser }) => {
  const errors = await openEnglish(page);
  await page.getByLabel('Speed', { exact: true }).selectOption('limited');
  await page.getByLabel('Epochs per second').fill('2000');
  await page.getByLabel('Epochs per second').press('Tab');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  await expect(page.getByTestId('stat-loss')).toHaveText('loss = 183.0799');
  const text = await saveSession(page);
  expect(JSON.parse(text).run).toMatchObject({ epochs: 100, state: 'finished', started: { learningRate: 0.01, epochs: 100 } });

  const checkRunIsBack = async (p: Page) => {
    await expect(p.getByTestId('run-status')).toContainText('Finished at epoch 100');
    await expect(p.getByTestId('stat-loss')).toHaveText('loss = 183.0799');
    await expect(p.getByTestId('stat-w')).toHaveText('w = [51.8260, -9.4314]');
    await expect(p.getByTestId('stat-b')).toHaveText('b = 45.1103');
    await expect(p.getByTestId('progress-text')).toContainText('Epoch 100 of 100');
    await expect(p.getByTestId('arith-prediction')).toContainText('51.8260 × 1 + 45.1103 = 96.9363');
    await expect.poll(() => drawnPixels(p, 'loss')).toBeGreaterThan(500);
    await p.getByRole('tab', { name: 'w and b over the epochs' }).click();
    await expect.poll(() => drawnPixels(p, 'weights')).toBeGreaterThan(500);
    await expect(p.getByLabel('Epochs per second')).toHaveValue('2000');
    await expect(p.getByTestId('run-button')).toHaveText('Run');
  };

  // A reload brings it back from the browser's copy.
  await page.reload();
  await expect(page.getByTestId('session-message')).toContainText('Your work from last time is back');
  await checkRunIsBack(page);

  // And the file brings it back in a window that remembers nothing.
  const other = await openInNewWindow(browser, text);
  await checkRunIsBack(other);
  // Run starts over: the same 100 epochs give the same numbers again.
  await other.getByTestId('run-button').click();
  await expect(other.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  await expect(other.getByTestId('stat-loss')).toHaveText('loss = 183.0799');
  expect(errors).toEqual([]);
});

test('a run saved mid-way after a learning-rate change continues to the numbers of the uninterrupted run', async ({ page, browser }) => {
  const errors = await openEnglish(page);
  const lr = page.getByLabel('Learning rate', { exact: true });
  const stepTo = async (epoch: number) => {
    await page.getByTestId('step-n').click();
    await expect(page.getByTestId('stat-epoch')).toHaveText(String(epoch));
  };
  await page.getByLabel('Epochs per multi-step').fill('20');

  // The reference: epochs 1-40 at lr 0.01, then 0.001 to epoch 100, in one go.
  await stepTo(20);
  await stepTo(40);
  await lr.fill('0.001');
  await lr.press('Enter');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  const reference = await numbers(page);

  // The same run saved at epoch 60.
  await page.getByTestId('reset-button').click();
  await lr.fill('0.01');
  await stepTo(20);
  await stepTo(40);
  await lr.fill('0.001');
  await lr.press('Enter');
  await stepTo(60);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Stopped at epoch 60');
  const text = await saveSession(page);
  expect(JSON.parse(text).run.settingChanges).toEqual([{ fromEpoch: 41, learningRate: 0.001, skipZeroGrad: false }]);

  const other = await openInNewWindow(browser, text);
  await expect(other.getByTestId('run-status')).toContainText('Stopped at epoch 60');
  await expect(other.getByTestId('stat-lr')).toHaveText('lr = 0.001');
  const resume = other.getByTestId('continue-button');
  await expect(resume).toHaveText('Continue to epoch 100');
  await resume.click();
  await expect(other.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  expect(await numbers(other)).toEqual(reference);
  // The exported script is still one run: lr 0.01 from the start, 0.001 from epoch 41.
  await other.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([other.waitForEvent('download'), other.getByRole('button', { name: 'PyTorch script, plain tensors (.py)' }).click()]);
  const script = readFileSync((await download.path())!, 'utf8').split('\n');
  expect(script).toContain('learning_rate = 0.01');
  expect(script.slice(script.indexOf('changes = {') + 1, script.indexOf('}'))).toEqual(['    41: (0.001, False),']);
  expect(errors).toEqual([]);
});

test('a run that forgets zero_grad, saved at epoch 40, continues with its piled-up gradients to the numbers of the uninterrupted run', async ({ page, browser }) => {
  const errors = await openEnglish(page);
  await page.getByTestId('skip-zero-grad').check();
  // The reference: 100 epochs without zero_grad in one go (the classroom mistake's 4993.1631).
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  const reference = await numbers(page);
  expect(reference.loss).toBe('loss = 4993.1631');

  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('skip-zero-grad')).toBeChecked();
  await page.getByLabel('Epochs per multi-step').fill('40');
  await page.getByTestId('step-n').click();
  await expect(page.getByTestId('stat-epoch')).toHaveText('40');
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Stopped at epoch 40');
  const text = await saveSession(page);
  expect(JSON.parse(text).run.started).toMatchObject({ skipZeroGrad: true });

  const other = await openInNewWindow(browser, text);
  await expect(other.getByTestId('run-status')).toContainText('Stopped at epoch 40');
  await expect(other.getByTestId('skip-zero-grad')).toBeChecked();
  await other.getByTestId('continue-button').click();
  await expect(other.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  expect(await numbers(other)).toEqual(reference);
  expect(errors).toEqual([]);
});
