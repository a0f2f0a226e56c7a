// Frog images, data files and sessions end to end in the browser edition. Written against the
// integrated app: it needs the lead to place ImageDataLoader, LiveFrogPanel (shown once image data
// is loaded), DataFileLoader and SessionMenu in the lab pane, and to send `image` in the
// TrainConfig of image data (see the images/sessions report). Selectors are roles and labels,
// plus the test ids of the components themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openEnglish, openLabSection } from './helpers';

const fixtures = join(import.meta.dirname, '../fixtures/data');

/** The canvas's RGBA bytes. */
const pixelsOf = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));

function countDifferentPixels(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) count++;
  return count;
}

/** The loss the frog panel's text alternative states. */
function lossIn(summary: string | null): number {
  const match = /Loss (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(summary ?? '');
  if (!match) throw new Error(`No loss in the frog summary "${summary}"`);
  return Number(match[1]);
}

/** Mean |a - b| over the red channel (the images are grey), in 0..255 steps. */
function meanDistance(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]);
  return sum / (a.length / 4);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A 60-byte PNG whose IHDR claims width x height: the size check must refuse it before decoding. */
function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0]))), // far too little data for the claimed size
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function loadSimilarFrogs(page: Page): Promise<void> {
  await openLabSection(page, 'images');
  await page.getByRole('button', { name: 'Similar frogs' }).click();
  await expect(page.getByTestId('image-loaded')).toContainText('64 × 64 greyscale, 4,096 values each');
  await expect(page.getByTestId('frog-panel')).toBeVisible();
}

test('the bundled similar frogs train 200 epochs and the prediction image changes', async ({ page }) => {
  const errors = await openEnglish(page);
  await loadSimilarFrogs(page);
  // The preset starts from w = ones, b = 0 with the manifest's learning rate.
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.1');
  await page.getByLabel('Epochs', { exact: true }).fill('200');
  const frogA = await pixelsOf(page.getByTestId('frog-a'));
  const frogB = await pixelsOf(page.getByTestId('frog-b'));
  expect(frogA.length).toBe(64 * 64 * 4);
  expect(countDifferentPixels(frogA, frogB)).toBeGreaterThan(0);
  await expect(page.getByTestId('frog-summary')).toContainText('No prediction yet');

  // One epoch: w = 1, b = 0 have hardly moved, so the prediction still looks like frog B.
  await page.getByTestId('step-1').click();
  await expect(page.getByTestId('frog-summary')).toContainText(/Epoch 1\. Loss \d/);
  const early = await pixelsOf(page.getByTestId('frog-prediction'));
  expect(meanDistance(early, frogB)).toBeLessThan(1);
  const earlyLoss = lossIn(await page.getByTestId('frog-summary').textContent());

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
  await expect(page.getByTestId('stat-epoch')).toHaveText('200');
  await expect(page.getByTestId('frog-summary')).toContainText('Epoch 200.');
  const late = await pixelsOf(page.getByTestId('frog-prediction'));
  // b (and w) learned: hundreds of pixels of the prediction moved, and the loss went down.
  expect(countDifferentPixels(early, late)).toBeGreaterThan(200);
  expect(lossIn(await page.getByTestId('frog-summary').textContent())).toBeLessThan(earlyLoss);
  // The heatmap of w was drawn (not blank) and explained.
  const heatmap = await pixelsOf(page.getByTestId('frog-heatmap'));
  expect(heatmap.some((v, i) => i % 4 !== 3 && v !== 0)).toBe(true);
  // It shows the real w (update.wImage), not w worked out from the prediction: no pixel is the
  // grey of "unknown" (where frog B is almost black, w = (ŷ − b) / x could not be read), and its
  // range is exactly the range of the w the trainer summarised (one channel: a pixel is one w).
  await expect(page.getByTestId('frog-panel')).toContainText("Each pixel shows that pixel's own w");
  await expect(page.getByTestId('frog-panel')).not.toContainText('worked out from the prediction');
  let unknownPixels = 0;
  for (let i = 0; i < heatmap.length; i += 4) if (heatmap[i] === 150 && heatmap[i + 1] === 150 && heatmap[i + 2] === 150) unknownPixels++;
  expect(unknownPixels).toBe(0);
  const legend = (await page.getByTestId('frog-panel').locator('.legend').textContent()) ?? '';
  const range = /range (-?[\d.e+-]+) to (-?[\d.e+-]+)/.exec(legend);
  const stats = /min (-?[\d.e+-]+), mean -?[\d.e+-]+, max (-?[\d.e+-]+)/.exec((await page.getByTestId('stat-w').textContent()) ?? '');
  expect(range, legend).not.toBeNull();
  expect(stats).not.toBeNull();
  expect(Number(range![1])).toBeCloseTo(Number(stats![1]), 3);
  expect(Number(range![2])).toBeCloseTo(Number(stats![2]), 3);
  expect(errors).toEqual([]);
});

test('a 200-megapixel PNG and other bad images are refused and the loaded frogs stay', async ({ page }) => {
  await openEnglish(page);
  await loadSimilarFrogs(page);
  const before = await pixelsOf(page.getByTestId('frog-b'));
  const chooseA = page.getByLabel('Choose image for Frog A (y, the target)');
  const chooseB = page.getByLabel('Choose image for Frog B (x, the input)');
  const error = page.getByTestId('image-error');

  await chooseB.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: pngClaiming(20000, 10000) });
  await expect(error).toContainText('huge.png is 20,000 × 10,000 pixels (200 megapixels). GradLab opens images up to 50 megapixels.');
  await expect(error).toContainText('Nothing was changed');
  // The staged frog B is still the bundled one, and so is the data trained on.
  await expect(page.getByTestId('image-slot-b-name')).toContainText('64 × 64 pixels');
  expect(countDifferentPixels(before, await pixelsOf(page.getByTestId('frog-b')))).toBe(0);

  // The same message in Chinese after a language switch (the problem is kept, not its text).
  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(error).toContainText('huge.png 有 20,000 × 10,000 像素（200 百万像素）');
  await page.getByRole('button', { name: 'English' }).click();

  await chooseA.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.concat([pngClaiming(32, 32).subarray(0, 33), Buffer.from('not pixels')]) });
  await expect(error).toContainText('The browser could not decode broken.png');
  await chooseA.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
  await expect(error).toContainText('empty.png is empty (0 bytes)');
  await chooseA.setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2\n3,4\n') });
  await expect(error).toContainText('numbers.csv is not an image');
  await chooseA.setInputFiles({ name: 'notes.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK') });
  await expect(error).toContainText('notes.docx is not a file GradLab can load here');
  expect(countDifferentPixels(before, await pixelsOf(page.getByTestId('frog-b')))).toBe(0);

  // Every format the platform decodes is staged with its size (GIF: its first frame).
  for (const file of ['small-40x24.jpg', 'small-40x24.webp', 'small-40x24-lossless.webp', 'small-40x24.bmp', 'small-40x24.gif']) {
    await chooseB.setInputFiles(join(fixtures, file));
    await expect(page.getByTestId('image-slot-b-name')).toContainText(`${file}: 40 × 24 pixels`);
  }
  // Dropping a file on a frog's box stages it too.
  const dropped = readFileSync(join(fixtures, 'small-40x24-alpha.webp')).toString('base64');
  await page.getByTestId('image-slot-a').evaluate((box, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.webp', { type: 'image/webp' }));
    box.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, dropped);
  await expect(page.getByTestId('image-slot-a-name')).toContainText('dropped.webp: 40 × 24 pixels');
  expect(countDifferentPixels(before, await pixelsOf(page.getByTestId('frog-b')))).toBe(0);

  // A good image of another size is staged, and only used when confirmed.
  await chooseB.setInputFiles(join(fixtures, 'small-40x24.png'));
  await expect(page.getByTestId('image-slot-b-name')).toContainText('small-40x24.png: 40 × 24 pixels');
  expect(countDifferentPixels(before, await pixelsOf(page.getByTestId('frog-b')))).toBe(0);
  await page.getByRole('button', { name: 'Use these images as x and y' }).click();
  await expect(page.getByTestId('image-loaded')).toContainText('small-40x24.png');
  expect(countDifferentPixels(before, await pixelsOf(page.getByTestId('frog-b')))).toBeGreaterThan(0);
});

test('bad data files give their message and change nothing; a good one loads', async ({ page }) => {
  await openEnglish(page);
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('21');
  const choose = page.getByLabel('Choose a data file');
  const error = page.getByTestId('data-file-error');

  const bad: [string, Buffer, string][] = [
    ['not-a-number.csv', readFileSync(join(fixtures, 'not-a-number.csv')), 'not-a-number.csv could not be used as data'],
    ['f4-truncated.npy', readFileSync(join(fixtures, 'f4-truncated.npy')), 'f4-truncated.npy could not be used as data'],
    ['ragged.json', readFileSync(join(fixtures, 'ragged.json')), 'ragged.json could not be used as data'],
    ['empty.csv', Buffer.alloc(0), 'empty.csv'],
    ['table.xlsx', Buffer.from('PK'), 'table.xlsx is not a file GradLab can load here'],
    // An image (here a damaged one) is sent to the frog loader, not told that .png is accepted.
    ['broken.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'broken.png is an image. Images become x and y under “Frog images”'],
  ];
  for (const [name, buffer, message] of bad) {
    await choose.setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    await expect(error).toContainText(message);
    await expect(error).toContainText('Nothing was changed');
    await expect(page.locator('[data-cell="x-0"]')).toHaveValue('1');
    await expect(page.locator('[data-cell="y-1"]')).toHaveValue('21');
  }

  await choose.setInputFiles({ name: 'pair.json', mimeType: 'application/json', buffer: Buffer.from('{"x": [3, 4, 5], "y": [7, 9, 11]}') });
  await expect(page.getByTestId('data-file-loaded')).toContainText('x and y with 3 values each');
  await expect(page.locator('[data-cell="x-2"]')).toHaveValue('5');
  await expect(page.locator('[data-cell="y-2"]')).toHaveValue('11');
});

test('sessions: save, a damaged file changes nothing, edits survive a reload, exports download', async ({ page }) => {
  await openEnglish(page);
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.locator('[data-cell="y-1"]').fill('22');
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');

  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save session' }).click()]);
  expect(saved.suggestedFilename()).toMatch(/^gradlab-\d{4}-\d{2}-\d{2}-\d{4}\.gradlab$/);
  const savedText = readFileSync((await saved.path())!, 'utf8');
  expect(JSON.parse(savedText).data.y).toEqual([115, 22]);
  await expect(page.getByTestId('session-state')).toHaveText('All changes saved');

  // A cut-off copy of that file: a clear message, and the lab keeps what it had.
  const open = page.getByLabel('Open session…');
  await open.setInputFiles({ name: 'cut.gradlab', mimeType: 'application/json', buffer: Buffer.from(savedText.slice(0, 200)) });
  await expect(page.getByTestId('session-message')).toContainText('cut.gradlab is a damaged GradLab session');
  await expect(page.getByTestId('session-message')).toContainText('Nothing was changed');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('22');
  await open.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await expect(page.getByTestId('session-message')).toContainText('notes.json is not a .gradlab file');

  // The saved file opens again after an edit, bringing 22 back.
  await page.locator('[data-cell="y-1"]').fill('30');
  await open.setInputFiles({ name: 'lesson.gradlab', mimeType: 'application/json', buffer: Buffer.from(savedText) });
  await expect(page.getByTestId('session-message')).toContainText('Opened lesson.gradlab');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('22');

  // An unsaved edit: leaving asks first, and after a reload the edit is back.
  await page.locator('[data-cell="y-1"]').fill('23');
  await expect(page.getByTestId('session-state')).toHaveText('Unsaved changes');
  const prompts: string[] = [];
  page.on('dialog', (dialog) => {
    prompts.push(dialog.type());
    void dialog.accept();
  });
  await page.reload();
  expect(prompts).toEqual(['beforeunload']);
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('23');
  await expect(page.getByTestId('session-message')).toContainText('Your work from last time is back');

  // Exports after a short run.
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
  const download = async (item: string) => {
    await page.getByText('Export', { exact: true }).click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: item }).click()]);
    return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
  };
  const loss = await download('Loss history (CSV)');
  // y = [115, 23] now: epoch 1's loss is ((1 - 115)^2 + (4 - 23)^2) / 2 = 6678.5.
  expect(loss.bytes.toString('utf8')).toMatch(/^epoch,loss\n1,6678\.5\n2,/);
  const params = await download('Parameters w and b (CSV)');
  expect(params.bytes.toString('utf8')).toMatch(/^parameter,index,value(,grad)?\nw,0,/);
  const chart = await download('Chart “Loss” (PNG)');
  expect(chart.name).toMatch(/\.png$/);
  expect([...chart.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const script = await download('PyTorch script, plain tensors (.py)');
  expect(script.bytes.toString('utf8')).toContain('import torch');
  expect(script.bytes.toString('utf8')).toContain('y = torch.tensor([115.0, 23.0])');
  const nnScript = await download('PyTorch script, torch.nn + optim (.py)');
  expect(nnScript.name).toMatch(/^gradlab-run-nn-.*\.py$/);
  expect(nnScript.bytes.toString('utf8')).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)');
  expect(nnScript.bytes.toString('utf8')).toContain('y = torch.tensor([115.0, 23.0])');
});

test('a session with frog images saves and opens again with the same pixels', async ({ page }) => {
  await openEnglish(page);
  await loadSimilarFrogs(page);
  const similarB = await pixelsOf(page.getByTestId('frog-b'));
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save session' }).click()]);
  const savedText = readFileSync((await saved.path())!, 'utf8');
  expect(JSON.parse(savedText).data).toMatchObject({ kind: 'images', shape: { width: 64, height: 64, channels: 1 } });

  await page.getByRole('button', { name: 'Different frogs' }).click();
  await expect(page.getByTestId('image-loaded')).toContainText('different');
  expect(countDifferentPixels(similarB, await pixelsOf(page.getByTestId('frog-b')))).toBeGreaterThan(100);

  await page.getByLabel('Open session…').setInputFiles({ name: 'frogs.gradlab', mimeType: 'application/json', buffer: Buffer.from(savedText) });
  await expect(page.getByTestId('session-message')).toContainText('Opened frogs.gradlab');
  await expect(async () => expect(countDifferentPixels(similarB, await pixelsOf(page.getByTestId('frog-b')))).toBe(0)).toPass();
});

test('own images after a run: the old results go, w starts as ones for the new size, Run works and the frogs’ settings are offered', async ({ page }) => {
  const errors = await openEnglish(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100', { timeout: 30_000 });
  await expect(page.getByTestId('stat-loss')).toHaveText('loss = 183.0799');

  await openLabSection(page, 'images');
  await page.getByLabel('Choose image for Frog A (y, the target)').setInputFiles(join(fixtures, 'small-40x24.png'));
  await page.getByLabel('Choose image for Frog B (x, the input)').setInputFiles(join(fixtures, 'small-40x24.jpg'));
  await page.getByRole('button', { name: 'Use these images as x and y' }).click();
  await expect(page.getByTestId('image-loaded')).toContainText('small-40x24.png');

  // The worked example's run is gone; the two-value w list became ones, one per pixel.
  await expect(page.getByTestId('run-status')).toContainText('Not started');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('lab-message')).toContainText('w now starts as all ones, one value per pixel');
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(page.getByTestId('run-blocker')).toHaveCount(0);

  await page.getByTestId('use-frog-settings').click();
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.1');
  await expect(page.getByTestId('lab-message')).toHaveCount(0);
  await page.getByLabel('Epochs', { exact: true }).fill('20');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 20', { timeout: 30_000 });
  await expect(page.getByTestId('frog-panel')).toBeVisible();
  expect(errors).toEqual([]);
});
