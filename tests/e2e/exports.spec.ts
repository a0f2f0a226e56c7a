// Exported chart PNGs are drawn off screen at a fixed size from the run's data: they hold the
// curve, a title and axis titles even when the chart is scrolled away, hidden behind a tab, or the
// window is in the dark theme (issue 16).
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openEnglish } from './helpers';

interface PixelReport {
  width: number;
  height: number;
  corners: number[][];
  /** Pixels close to each given colour. */
  colourCounts: number[];
  /** Dark (text-coloured) pixels in the top 70 rows and in the bottom 40 rows. */
  darkTop: number;
  darkBottom: number;
}

/** Decodes the PNG in the page and counts what a reader of the picture would see. */
async function readPng(page: Page, bytes: Buffer, colours: [number, number, number][]): Promise<PixelReport> {
  return page.evaluate(
    async ({ base64, colours }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      const at = (x: number, y: number) => Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
      const colourCounts = colours.map(() => 0);
      let darkTop = 0;
      let darkBottom = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          colours.forEach(([cr, cg, cb], k) => {
            if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 60) colourCounts[k]++;
          });
          if (r + g + b < 450) {
            if (y < 70) darkTop++;
            if (y >= height - 40) darkBottom++;
          }
        }
      }
      return { width, height, corners: [at(0, 0), at(width - 1, 0), at(0, height - 1), at(width - 1, height - 1)], colourCounts, darkTop, darkBottom };
    },
    { base64: bytes.toString('base64'), colours },
  );
}

// The light theme's series colours (app.css --series-1..3).
const BLUE: [number, number, number] = [0x1f, 0x5f, 0xbf];
const ORANGE: [number, number, number] = [0xc2, 0x41, 0x0c];
const GREEN: [number, number, number] = [0x15, 0x80, 0x3d];

test('chart PNGs hold the drawn data, a title and axis titles, at a fixed size, whatever is on screen', async ({ page }) => {
  const errors = await openEnglish(page);
  await page.getByTestId('theme-select').selectOption('dark');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100');
  // The loss chart scrolled out of view; w and b and the gradients are behind tabs, never drawn on screen.
  await page.locator('#lab-pane').evaluate((pane) => pane.scrollTo(0, pane.scrollHeight));
  await expect(page.locator('[data-chart="loss"]')).not.toBeInViewport();
  await expect(page.locator('[data-chart="weights"]')).toHaveCount(0);

  const download = async (item: string) => {
    await page.getByText('Export', { exact: true }).click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: item }).click()]);
    expect(file.suggestedFilename()).toMatch(/^gradlab-chart-\w+-.*\.png$/);
    return readFileSync((await file.path())!);
  };

  const lossPng = await download('Chart “Loss” (PNG)');
  writeFileSync(test.info().outputPath('loss.png'), lossPng);
  const loss = await readPng(page, lossPng, [BLUE]);
  expect([loss.width, loss.height]).toEqual([1200, 675]);
  for (const corner of loss.corners) expect(corner).toEqual([255, 255, 255, 255]);
  expect(loss.colourCounts[0]).toBeGreaterThan(1500); // the curve from 6642.5 down to 183.08, 2.5 px wide
  expect(loss.darkTop).toBeGreaterThan(300); // the title
  expect(loss.darkBottom).toBeGreaterThan(100); // the x axis title

  // w[0], w[1] and b: three lines in three colours, and a legend.
  const weights = await readPng(page, await download('Chart “w and b” (PNG)'), [BLUE, ORANGE, GREEN]);
  expect([weights.width, weights.height]).toEqual([1200, 675]);
  for (const count of weights.colourCounts) expect(count).toBeGreaterThan(600);

  const grads = await readPng(page, await download('Chart “Gradients” (PNG)'), [BLUE, ORANGE, GREEN]);
  for (const count of grads.colourCounts) expect(count).toBeGreaterThan(300);
  expect(errors).toEqual([]);
});

test('before any run a chart export says there is nothing to export', async ({ page }) => {
  await openEnglish(page);
  await page.getByText('Export', { exact: true }).click();
  await page.getByRole('button', { name: 'Chart “Loss” (PNG)' }).click();
  await expect(page.getByTestId('session-message')).toContainText('There is nothing to export yet');
});
