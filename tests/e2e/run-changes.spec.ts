// Changes made while a run trains (issue 16): the loss chart marks where the learning rate and the
// "Forget zero_grad" switch changed, at the epoch each applied from, drawn on the canvas and said
// to screen readers, and the marks come back with the run after a reload.
import { expect, test, type Page } from '@playwright/test';
import { openEnglish } from './helpers';

/** The marks the loss chart drew, as [epoch, x pixel] pairs (the canvas's data-marks: "21@312 41@410"). */
async function drawnMarks(page: Page): Promise<[number, number][]> {
  const text = (await page.locator('[data-chart="loss"] canvas').getAttribute('data-marks')) ?? '';
  return text
    .split(' ')
    .filter((mark) => mark !== '')
    .map((mark) => mark.split('@').map(Number) as [number, number]);
}

/** Painted pixels in one column of the loss chart's canvas (a dashed mark paints about half of the plot's height). */
async function paintedInColumn(page: Page, x: number): Promise<number> {
  return page.locator('[data-chart="loss"] canvas').evaluate((canvas: HTMLCanvasElement, column) => {
    const scale = canvas.width / canvas.clientWidth;
    const data = canvas.getContext('2d')!.getImageData(Math.round(column * scale), 0, 1, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) count++;
    return count / scale;
  }, x);
}

test('the loss chart marks a learning-rate change and zero_grad switched off and on, where each applied, and keeps them after a reload', async ({ page }) => {
  const errors = await openEnglish(page);
  const stepTo = async (epoch: number) => {
    await page.getByTestId('step-n').click();
    await expect(page.getByTestId('stat-epoch')).toHaveText(String(epoch));
  };
  await page.getByLabel('Epochs per multi-step').fill('20');
  await stepTo(20);
  const lr = page.getByLabel('Learning rate', { exact: true });
  await lr.fill('0.001');
  await lr.press('Enter');
  await stepTo(40);
  await page.getByTestId('skip-zero-grad').check();
  await stepTo(60);
  await page.getByTestId('skip-zero-grad').uncheck();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });

  const said = 'Marked on it: from epoch 21, lr 0.001; from epoch 41, no zero_grad; from epoch 61, zero_grad again.';
  const checkMarks = async () => {
    await expect(page.getByTestId('loss-canvas')).toHaveAttribute('aria-label', new RegExp(said.replace(/[.;]/g, '\\$&')));
    await expect.poll(async () => (await drawnMarks(page)).map(([epoch]) => epoch)).toEqual([21, 41, 61]);
    const marks = await drawnMarks(page);
    // Left to right at even spacing (20 epochs apart each), and really drawn: a dashed line down the plot.
    expect(marks[1][1]).toBeGreaterThan(marks[0][1]);
    expect(Math.abs(marks[2][1] - marks[1][1] - (marks[1][1] - marks[0][1]))).toBeLessThanOrEqual(2);
    const between = await paintedInColumn(page, (marks[0][1] + marks[1][1]) / 2);
    for (const [, x] of marks) expect(await paintedInColumn(page, x)).toBeGreaterThan(between + 30);
  };
  await checkMarks();

  // The session keeps the changes: after a reload the run and its marks are back.
  await page.reload();
  await expect(page.getByTestId('session-message')).toContainText('Your work from last time is back');
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100');
  await checkMarks();
  expect(errors).toEqual([]);
});
