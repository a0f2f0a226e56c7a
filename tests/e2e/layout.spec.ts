// The lab as one screen (issue 16): from 1280x800 up, Run, the live "Loss per epoch" chart and
// the current values share the viewport while training (with the frogs for image data); at
// 1024x768 the run bar stays put while the lab scrolls; why Run cannot start is said next to it.
import { expect, test, type FileChooser, type Locator, type Page } from '@playwright/test';
import { drawnPixels, openEnglish, openFresh, openLabSection } from './helpers';

/** The element's whole box lies inside the viewport. */
async function fullyInView(page: Page, locator: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const box = await locator.boundingBox();
  expect(box, 'the element is on the page').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height + 0.5);
}

test('at 1280x800, after the worked example\'s 100 epochs, Run, the loss chart and the final loss are on screen together', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const errors = await openEnglish(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100');
  await expect(page.getByTestId('stat-loss')).toHaveText('loss = 183.0799');
  await fullyInView(page, page.getByTestId('run-button'));
  await expect(page.getByTestId('run-button')).toHaveText('Run');
  await fullyInView(page, page.locator('[data-chart="loss"]'));
  await expect(page.locator('[data-chart="loss"] h3')).toHaveText('Loss per epoch');
  await fullyInView(page, page.getByTestId('stat-loss'));
  expect(await drawnPixels(page, 'loss')).toBeGreaterThan(500);
  expect(errors).toEqual([]);
});

test('at 1280x800 a frog run shows Run, the loss chart, the final loss and the frog panel together', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const errors = await openEnglish(page);
  await openLabSection(page, 'images');
  await page.getByRole('button', { name: 'Similar frogs' }).click();
  await expect(page.getByTestId('frog-panel')).toBeVisible();
  await page.getByLabel('Epochs', { exact: true }).fill('200');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 200', { timeout: 30_000 });
  await expect(page.getByTestId('frog-summary')).toContainText('Epoch 200.');
  await expect(page.getByTestId('stat-loss')).toHaveText(/^loss = \d/);
  for (const locator of [page.getByTestId('run-button'), page.locator('[data-chart="loss"]'), page.getByTestId('stat-loss'), page.getByTestId('frog-panel')]) {
    await fullyInView(page, locator);
  }
  expect(errors).toEqual([]);
});

for (const [width, height] of [
  [1920, 1080],
  [1024, 768],
] as const) {
  test(`at ${width}x${height} the run bar stays at the top, next to the chart, while the lab scrolls during training`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const errors = await openEnglish(page);
    // A run long enough to still be training while the lab is scrolled.
    await page.getByLabel('Epochs', { exact: true }).fill('100000000');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'running');
    await expect(page.getByTestId('run-button')).toHaveText('Pause');
    await fullyInView(page, page.getByTestId('run-button'));
    // The chart begins right under the bar.
    const bar = (await page.getByTestId('run-bar').boundingBox())!;
    const chart = (await page.locator('[data-chart="loss"]').boundingBox())!;
    expect(chart.y - (bar.y + bar.height)).toBeLessThan(60);
    await page.locator('#lab-pane').evaluate((pane) => pane.scrollTo(0, pane.scrollHeight));
    await expect(page.getByTestId('fold-numbers')).toBeInViewport();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'running');
    await fullyInView(page, page.getByTestId('run-button'));
    await fullyInView(page, page.getByTestId('stop-button'));
    await fullyInView(page, page.getByLabel('Learning rate', { exact: true }));
    // The controls work from there: Pause, then Stop.
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'paused');
    await page.getByTestId('stop-button').click();
    await expect(page.getByTestId('run-status')).toContainText('Stopped at epoch');
    expect(errors).toEqual([]);
  });
}

test('why Run cannot start is said right next to it, and its button goes to the field', async ({ page }) => {
  const errors = await openEnglish(page);
  await openLabSection(page, 'start');
  await page.getByTestId('w-values').fill('1, 2, 3');
  await expect(page.getByTestId('run-button')).toBeDisabled();
  const note = page.getByTestId('run-blocker');
  await expect(note).toContainText('w has 3 values but x has 2.');
  // Right next to Run: in the run bar, on Run's row or straight under it.
  const run = (await page.getByTestId('run-button').boundingBox())!;
  const box = (await note.boundingBox())!;
  const bar = (await page.getByTestId('run-bar').boundingBox())!;
  expect(box.y).toBeLessThan(run.y + run.height + 12);
  expect(box.y + box.height).toBeLessThanOrEqual(bar.y + bar.height);
  await expect(page.getByTestId('run-button')).toHaveAccessibleDescription(/w has 3 values but x has 2/);
  await page.locator('#lab-pane').evaluate((pane) => pane.scrollTo(0, 0));
  await note.getByRole('button', { name: 'Go to it' }).click();
  await expect(page.locator('#w-kind')).toBeFocused();
  await page.getByTestId('w-values').fill('1, 2');
  await expect(note).toBeHidden();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  expect(errors).toEqual([]);
});

test('"Skip to the lab" focuses the lab without moving the window', async ({ page }) => {
  await openEnglish(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the lab' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#lab-pane')).toBeFocused();
  const shifted = await page.evaluate(() => [document.scrollingElement!.scrollTop, document.querySelector('.theme-root')!.scrollTop, document.querySelector('header')!.getBoundingClientRect().top]);
  expect(shifted).toEqual([0, 0, 0]);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('run-status')).toContainText('Finished at epoch 100');
});

for (const [width, height] of [
  [1920, 1080],
  [1280, 800],
  [1024, 768],
] as const) {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`at ${width}x${height} (${lang}) the lab's choices show their longest option whole: presets, model, initial w, speed`, async ({ page }) => {
      const errors = await openFresh(page, lang, 'gradlab.e2e.selects', { width, height });
      await openLabSection(page, 'data');
      await openLabSection(page, 'start');
      const cut = await page.evaluate(() =>
        ['#preset-select', '#model-kind', '#w-kind', '[data-testid="run-bar"] .speed select'].flatMap((selector) => {
          const select = document.querySelector<HTMLSelectElement>(selector);
          if (!select) return [`${selector} is missing`];
          // The width the select needs for its longest option, measured on a copy outside any box.
          const copy = select.cloneNode(true) as HTMLSelectElement;
          copy.style.cssText = 'position: absolute; width: max-content; max-width: none; visibility: hidden';
          copy.removeAttribute('id');
          select.after(copy);
          const needed = copy.getBoundingClientRect().width;
          copy.remove();
          const box = select.getBoundingClientRect();
          const fold = select.closest('details, section')!.getBoundingClientRect();
          const problems: string[] = [];
          if (box.width + 0.5 < needed) problems.push(`${selector} is ${Math.round(box.width)} px wide, its longest option needs ${Math.round(needed)} px`);
          if (box.right > fold.right + 0.5) problems.push(`${selector} reaches ${Math.round(box.right - fold.right)} px past its box`);
          return problems;
        }),
      );
      expect(cut).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
}

// A session message (here: a file that is not a session) gets a row of its own under the header's
// first row: it used to widen the session toolbar's box so the language switch, the theme and
// Presenter mode dropped to a row of their own, and at 1024 wide the toolbar sat above the title.
for (const size of [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`${size.width}x${size.height} ${lang}: a session message takes its own row; the header's tools stay beside the session buttons`, async ({ page }) => {
      // Listen for the file chooser from the start (as sessions.spec does): enabling the
      // interception takes a moment, and a listener added just before the key press can miss it.
      const choosers: FileChooser[] = [];
      page.on('filechooser', (chooser) => choosers.push(chooser));
      const errors = await openFresh(page, lang, 'gradlab.e2e.layout-message', size);
      await page.getByTestId('session-state').click();
      await page.keyboard.press('Control+o');
      await expect.poll(() => choosers.length).toBe(1);
      await choosers[0].setFiles({ name: 'broken.gradlab', mimeType: 'application/json', buffer: Buffer.from('{"format":"nope"}') });
      const message = page.getByTestId('session-message');
      await expect(message).toBeVisible();
      const top = async (locator: Locator) => (await locator.boundingBox())!;
      const [title, save, presenter, box, lessons] = await Promise.all([
        top(page.locator('.app-header h1')),
        top(page.getByTestId('session-save')),
        top(page.getByRole('button', { name: lang === 'en' ? 'Presenter mode' : '演示模式' })),
        top(message),
        top(page.locator('.app-header .lessons')),
      ]);
      // one first row: title, session buttons and Presenter mode centred on the same line
      const middle = (b: { y: number; height: number }) => b.y + b.height / 2;
      expect(Math.abs(middle(save) - middle(title))).toBeLessThan(12);
      expect(Math.abs(middle(presenter) - middle(title))).toBeLessThan(12);
      // the message under that row, as wide as the header, and above the lessons
      expect(box.y).toBeGreaterThanOrEqual(Math.max(save.y + save.height, presenter.y + presenter.height) - 1);
      expect(box.width).toBeGreaterThan(size.width * 0.9);
      expect(lessons.y).toBeGreaterThanOrEqual(box.y + box.height - 1);
      expect(errors).toEqual([]);
    });
  }
}
