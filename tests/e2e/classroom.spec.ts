// Classroom mode in the browser edition: the presenter flow driven by a clicker's keys alone, each
// deliberate mistake and its fix, the compare overlay, replay, the audience tab, screenshots at
// projector sizes whose smallest text is measured (>= 24 px), every page of every lesson and every
// panel measured for anything cut off at 1024x768, 1280x800 and 1920x1080 in both languages, and
// the focus kept inside presenter mode and given back after it.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { openLabSection } from './helpers';
import { presenterCuts, topBarRows } from './presenter-fit';

const SHOTS = 'test-results/screenshots';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Opens the app in a language, on the worked-example lesson. */
async function openApp(page: Page, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto('/');
  await page
    .getByRole('button', { name: lang === 'en' ? /English/ : /简体中文/ })
    .first()
    .click();
  const nav = page.getByRole('navigation', { name: lang === 'en' ? /lessons/i : /课程/ });
  await nav.getByRole('button', { name: lang === 'en' ? /worked example/i : /例子|示例|算例/ }).first().click();
}

async function enterPresenter(page: Page): Promise<Locator> {
  await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => {});
  await page.keyboard.press('F5');
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  return presenter;
}

/** Epochs done, read from the caption ("… · Epoch 12 · loss 3.2"); 0 before the first epoch. */
async function captionEpoch(page: Page): Promise<number> {
  const text = (await page.getByTestId('presenter-caption').textContent()) ?? '';
  const match = /Epoch ([\d,]+)/.exec(text) ?? /第 ([\d,]+) 轮/.exec(text);
  return match ? Number(match[1].replace(/,/g, '')) : 0;
}

/**
 * The smallest font size among visible text inside `selector` (text nodes with a rendered box in
 * the viewport; KaTeX's screen-reader MathML copy is clipped to nothing and does not count).
 */
async function smallestText(page: Page, selector: string): Promise<{ size: number; text: string; count: number }> {
  return page.evaluate((rootSelector) => {
    const root = document.querySelector(rootSelector);
    if (!root) throw new Error(`no ${rootSelector}`);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let smallest = { size: Infinity, text: '', count: 0 };
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      if (!text.trim()) continue;
      const element = node.parentElement;
      if (!element || element.closest('.katex-mathml, option, script, style')) continue;
      if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const visible = [...range.getClientRects()].some((r) => r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh);
      if (!visible) continue;
      const size = parseFloat(getComputedStyle(element).fontSize);
      smallest.count += 1;
      if (size < smallest.size) smallest = { size, text: text.trim().slice(0, 40), count: smallest.count };
    }
    return smallest;
  }, selector);
}

/**
 * Where the live column is too short for the chart and the update written out together, the update
 * is a view of its own in the chart's place: this shows it (and does nothing where both fit).
 */
async function showArithmetic(page: Page): Promise<void> {
  if ((await page.getByTestId('presenter-live').getAttribute('data-compact')) === 'true') await page.getByTestId('chart-arithmetic').click();
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(150); // one chart frame
  await page.screenshot({ path: `${SHOTS}/classroom-${name}.png` });
}

test.describe('presenter mode', () => {
  test('a lesson presented with the keys alone: F5, PageDown/PageUp, →, Space, B, Esc', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await openApp(page);
    // A marker that a page reload (the browser's own F5) would wipe.
    await page.evaluate(() => Object.assign(window, { classroomMarker: 'still here' }));
    await enterPresenter(page);

    const count = page.getByTestId('presenter-step-count');
    await expect(count).toHaveText(/^Step 1 of (\d+)$/);
    const total = Number(/of (\d+)/.exec((await count.textContent()) ?? '')![1]);
    expect(total).toBeGreaterThan(4);
    const content = page.getByTestId('presenter-step-content');
    const first = await content.textContent();
    await page.keyboard.press('PageDown');
    await expect(count).toHaveText(`Step 2 of ${total}`);
    await expect(content).not.toHaveText(first ?? '');
    await page.keyboard.press('PageDown');
    await expect(count).toHaveText(`Step 3 of ${total}`);
    await page.keyboard.press('PageUp');
    await expect(count).toHaveText(`Step 2 of ${total}`);
    // Through to the end; one more PageDown goes on to the next lesson, PageUp comes back.
    const title = page.getByTestId('presenter-title');
    await expect(title).toHaveText('The worked example: 100 and 2000 epochs');
    for (let i = 2; i < total; i++) await page.keyboard.press('PageDown');
    await expect(count).toHaveText(`Step ${total} of ${total}`);
    await page.keyboard.press('PageDown');
    await expect(title).toHaveText('Turning one frog into another');
    await expect(count).toHaveText(/^Step 1 of \d+$/);
    await page.keyboard.press('PageUp');
    await expect(title).toHaveText('The worked example: 100 and 2000 epochs');
    await expect(count).toHaveText(`Step ${total} of ${total}`);
    for (let i = 1; i < total; i++) await page.keyboard.press('PageUp');
    await expect(count).toHaveText(`Step 1 of ${total}`);
    await page.keyboard.press('PageDown');

    // → trains exactly one epoch: the lesson's first update, written out by hand.
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Paused · Epoch 1 · loss 6642\.5000/);
    await expect(page.getByTestId('arith-before-w[0]')).toHaveText('1.0000');
    await expect(page.getByTestId('arith-grad-w[0]')).toHaveText('-114.0000');
    await expect(page.getByTestId('arith-step-w[0]')).toHaveText('-1.1400');
    await expect(page.getByTestId('arith-after-w[0]')).toHaveText('2.1400');
    await expect(page.getByTestId('arith-grad-b')).toHaveText('-131.0000');
    await expect(page.getByTestId('arith-after-b')).toHaveText('1.3100');
    await expect(page.getByTestId('arith-prediction')).toHaveText('y_hat[0] = 2.1400 × 1 + 1.3100 = 3.4500 (y = 115)');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Epoch 2 · /);
    await expect(page.getByTestId('arith-before-w[0]')).toHaveText('2.1400');
    await expect(page.getByTestId('arith-check')).toHaveAttribute('data-checks', 'true');
    await expect(page.getByTestId('arith-check')).toHaveText('✓');

    // Space runs in slow motion (2 epochs per second by default), Space again pauses.
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/^Training/);
    await expect.poll(() => captionEpoch(page), { timeout: 8000 }).toBeGreaterThanOrEqual(4);
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/^Paused/);
    const paused = await captionEpoch(page);
    await page.waitForTimeout(1200);
    expect(await captionEpoch(page)).toBeLessThanOrEqual(paused + 1);
    const settled = await captionEpoch(page);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => captionEpoch(page)).toBe(settled + 1);
    // The arithmetic always shows the latest single update.
    await expect(page.getByTestId('arith-check')).toHaveAttribute('data-checks', 'true');

    // B blanks and unblanks the screen.
    await page.keyboard.press('b');
    await expect(page.getByTestId('presenter-blanked')).toBeVisible();
    await shoot(page, 'blank-1024x768');
    await page.keyboard.press('b');
    await expect(page.getByTestId('presenter-blanked')).toHaveCount(0);

    // Esc leaves presenter mode; F5 enters and leaves again.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('presenter')).toHaveCount(0);
    // The app's own Space / → shortcuts never fired underneath: the lab's run was never started.
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'idle');
    await page.keyboard.press('F5');
    await expect(page.getByTestId('presenter')).toBeVisible();
    await expect(page.getByTestId('presenter-step-count')).toHaveText(`Step 2 of ${total}`);
    await page.keyboard.press('F5');
    await expect(page.getByTestId('presenter')).toHaveCount(0);
    // F5 never reloaded the page.
    expect(await page.evaluate(() => (window as unknown as { classroomMarker?: string }).classroomMarker)).toBe('still here');
    expect(errors).toEqual([]);
  });

  test("presents the lab's data: the frogs train in presenter mode with their pictures, the same numbers as the lab", async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto('/');
    await page.getByRole('button', { name: /English/ }).first().click();
    await openLabSection(page, 'images');
    await page.getByRole('button', { name: 'Similar frogs' }).click();
    await expect(page.getByTestId('image-loaded')).toContainText('4,096 values each');
    // The lab's own run of the frogs, for comparison.
    await page.getByLabel('Epochs', { exact: true }).fill('300');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
    const labLoss = /loss = (\S+)/.exec((await page.getByTestId('stat-loss').textContent()) ?? '')![1];

    await enterPresenter(page);
    const data = page.getByTestId('presenter-data');
    await expect(data).toHaveValue('example');
    await expect(page.getByTestId('chart-images')).toHaveCount(0); // the worked example is no image
    await expect(data.locator('option[value="lab"]')).toHaveText("The lab's data (4,096 values)");
    await data.selectOption('lab');
    await expect(page.getByTestId('chart-images')).toBeVisible();
    // One epoch by hand: the arithmetic uses frog pixels, not the worked example.
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Paused · Epoch 1 · loss /);
    await expect(page.getByTestId('presenter-caption')).not.toHaveText(/6642\.5/);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText(`Finished · Epoch 300 · loss ${labLoss}`, { timeout: 30_000 });

    await page.getByTestId('chart-images').click();
    const frogs = page.getByTestId('live-images');
    await expect(frogs.getByTestId('frog-summary')).toContainText('Epoch 300.');
    // The prediction is drawn (not blank) and close to frog A after training.
    const pixels = (testId: string) =>
      frogs.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data));
    const [target, prediction] = [await pixels('frog-a'), await pixels('frog-prediction')];
    expect(prediction.some((v, i) => i % 4 !== 3 && v !== 255)).toBe(true);
    const meanDifference = target.reduce((sum, v, i) => sum + Math.abs(v - prediction[i]), 0) / target.length;
    expect(meanDifference).toBeLessThan(20);
    const smallest = await smallestText(page, '[data-testid="presenter"]');
    expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
    await shoot(page, 'lab-frogs-1024x768');

    // Back to the worked example: no pictures, the lesson's numbers.
    await data.selectOption('example');
    await expect(page.getByTestId('chart-images')).toHaveCount(0);
    await expect(page.getByTestId('live-chart')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Paused · Epoch 1 · loss 6642\.5000/);
    expect(errors).toEqual([]);
  });

  test("offers the lab's data only while it is valid, and says so in Chinese too", async ({ page }) => {
    const errors = watchErrors(page);
    await openApp(page, 'zh-CN');
    await page.locator('[data-cell="x-0"]').fill('abc');
    await enterPresenter(page);
    const data = page.getByTestId('presenter-data');
    await expect(data.locator('option[value="lab"]')).toBeDisabled();
    await expect(data.locator('option[value="lab"]')).toHaveText('实验区的数据（还没有：请先在实验区输入或载入数据）');
    await expect(data.locator('option[value="example"]')).toHaveText('课程示例（2 个值）');
    await page.keyboard.press('Escape');
    await page.locator('[data-cell="x-0"]').fill('3');
    await enterPresenter(page);
    await expect(data.locator('option[value="lab"]')).toBeEnabled();
    await data.selectOption('lab');
    await page.keyboard.press('ArrowRight');
    // x = [3, 2] now: the first loss is ((3 - 115)^2 + (4 - 21)^2) / 2 = 6416.5
    await expect(page.getByTestId('presenter-caption')).toHaveText(/第 1 轮 · 损失 6416\.5000/);
    expect(errors).toEqual([]);
  });

  for (const size of [
    { width: 1024, height: 768 },
    { width: 1920, height: 1080 },
  ]) {
    test(`reads from afar at ${size.width}x${size.height}: smallest text >= 24 px on every panel`, async ({ page }) => {
      const errors = watchErrors(page);
      await page.setViewportSize(size);
      await openApp(page);
      await enterPresenter(page);
      const tag = `${size.width}x${size.height}`;
      const measured: Record<string, number> = {};

      // A lesson step with formulas (the first epoch by hand), with a few epochs trained.
      for (let i = 0; i < 2; i++) await page.keyboard.press('PageDown');
      await expect(page.locator('[data-testid="presenter-step-content"] .katex').first()).toBeVisible();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('arith-after-w[0]')).toBeVisible();
      let smallest = await smallestText(page, '[data-testid="presenter"]');
      measured.lesson = smallest.size;
      expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
      expect(smallest.count).toBeGreaterThan(20);
      await shoot(page, `lesson-${tag}`);

      // The code step.
      await page.keyboard.press('PageDown');
      smallest = await smallestText(page, '[data-testid="presenter"]');
      measured.code = smallest.size;
      expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
      await shoot(page, `code-${tag}`);

      // The mistakes panel with PyTorch's error.
      await page.getByTestId('panel-mistakes').click();
      await page.getByTestId('mistake-vectorLoss').click();
      await expect(page.getByTestId('py-error')).toBeVisible();
      smallest = await smallestText(page, '[data-testid="presenter"]');
      measured.mistakes = smallest.size;
      expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
      await shoot(page, `mistakes-${tag}`);

      // The compare panel and its overlay.
      await page.getByTestId('panel-compare').click();
      await page.getByTestId('compare-preset').click();
      await page.getByTestId('compare-run').click();
      await expect(page.locator('[data-testid="compare-run-row"][data-status="finished"]')).toHaveCount(3, { timeout: 30_000 });
      smallest = await smallestText(page, '[data-testid="presenter"]');
      measured.compare = smallest.size;
      expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
      await shoot(page, `compare-${tag}`);
      console.log(`classroom smallest text at ${tag}: ${JSON.stringify(measured)} px`);
      expect(errors).toEqual([]);
    });
  }
});

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** Waits until the presenter shows another page than `before` (its title and step counter). */
async function pageChanged(page: Page, before: string): Promise<void> {
  const where = async () => `${await page.getByTestId('presenter-title').textContent()} · ${await page.getByTestId('presenter-step-count').textContent()}`;
  await expect.poll(where).not.toBe(before);
}

/**
 * Opens presenter mode on the first lesson at `size` in `lang` with two epochs stepped by hand (so
 * the update written out is on screen), and returns a measuring function that collects what is cut
 * off (and a top bar of more than one row) into `cut`.
 */
async function presentForFit(page: Page, size: { width: number; height: number }, lang: 'en' | 'zh-CN', cut: string[]): Promise<(where: string) => Promise<void>> {
  await page.setViewportSize(size);
  await openApp(page, lang);
  await page.locator('.lesson-link').first().click();
  await enterPresenter(page);
  await page.getByTestId('presenter-speed').selectOption('max');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('arith-after-w[0]')).toBeVisible();
  await expect(page.getByTestId('arith-prediction')).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  return async (where: string) => {
    // The presenter refits in the frame after its content changes: measure once that frame is drawn.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (const problem of await presenterCuts(page)) cut.push(`${where}: ${problem}`);
    const rows = await topBarRows(page);
    if (rows !== 1) cut.push(`${where}: the top bar takes ${rows} rows`);
  };
}

test.describe('presenter mode fits the stage', () => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      test(`${size.width}x${size.height} ${lang}: nothing is cut off on any page of any lesson, and the top bar is one row`, async ({ page }) => {
        test.setTimeout(240_000);
        const errors = watchErrors(page);
        const cut: string[] = [];
        const measure = await presentForFit(page, size, lang, cut);
        const lessonCount = await page.locator('.lesson-link').count();
        // Every page of every lesson: PageDown goes on from each lesson's last page to the next lesson.
        let pages = 0;
        const titles = new Set<string>();
        for (;;) {
          const where = `${await page.getByTestId('presenter-title').textContent()} · ${await page.getByTestId('presenter-step-count').textContent()}`;
          titles.add((await page.getByTestId('presenter-title').textContent()) ?? '');
          await measure(where);
          pages += 1;
          if (await page.getByTestId('step-next').isDisabled()) break;
          await page.keyboard.press('PageDown');
          await pageChanged(page, where);
        }
        expect(titles.size).toBe(lessonCount);
        expect(pages).toBeGreaterThan(8 * lessonCount);
        console.log(`presenter ${size.width}x${size.height} ${lang}: ${pages} pages measured`);
        expect(cut).toEqual([]);
        // The app followed the presenter to the last lesson.
        await page.keyboard.press('Escape');
        await expect(page.locator('.lesson-link').last()).toHaveAttribute('aria-current', 'page');
        expect(errors).toEqual([]);
      });
    }
  }
});

test.describe('presenter mode fits the stage with every panel', () => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      test(`${size.width}x${size.height} ${lang}: nothing is cut off with each mistake, its fix, compare and replay`, async ({ page }) => {
        test.setTimeout(180_000);
        const errors = watchErrors(page);
        const cut: string[] = [];
        const measureOnly = await presentForFit(page, size, lang, cut);
        const tag = `${lang}-${size.width}x${size.height}`;
        const measure = async (where: string) => {
          await measureOnly(where);
          await shoot(page, `fit-${where.replace(/[^a-z0-9]+/gi, '-')}-${tag}`);
        };
        await measure('stepped by hand');
        // The mistakes, each switched on and run (the training ones with Space), then fixed.
        await page.getByTestId('panel-mistakes').click();
        for (const mistake of ['noZeroGrad', 'lrTimes100'] as const) {
          await page.getByTestId(`mistake-${mistake}`).click();
          await measure(`mistake ${mistake} ready`);
          await page.getByTestId('presenter-run').click();
          await expect(page.getByTestId('presenter-caption')).not.toHaveText(/^(Training|Starting|训练中|正在启动)/, { timeout: 20_000 });
          await expect(page.getByTestId('presenter-caption')).toHaveText(/(100|Diverged|发散)/, { timeout: 20_000 });
          await measure(`mistake ${mistake} after the run`);
          await page.getByTestId(`fix-${mistake}`).click();
          await expect(page.getByTestId('presenter-caption')).toHaveText(/ 100 /, { timeout: 20_000 });
          await measure(`mistake ${mistake} fixed`);
        }
        await page.getByTestId('mistake-vectorLoss').click();
        await expect(page.getByTestId('py-error')).toBeVisible({ timeout: 20_000 });
        await measure('mistake vectorLoss error');
        await page.getByTestId('fix-vectorLoss').click();
        await expect(page.getByTestId('py-fixed')).toBeVisible({ timeout: 20_000 });
        await measure('mistake vectorLoss fixed');

        // Compare, with a run that diverges, in linear and log scale.
        await page.getByTestId('panel-compare').click();
        for (const lr of ['0.01', '0.1', '1']) {
          await page.getByTestId('compare-lr').fill(lr);
          await page.getByTestId('compare-add').click();
        }
        await page.getByTestId('compare-run').click();
        await expect(page.locator('[data-testid="compare-run-row"][data-status="queued"], [data-testid="compare-run-row"][data-status="running"]')).toHaveCount(0, { timeout: 30_000 });
        await measure('compare');
        await page.getByTestId('log-scale').click();
        await measure('compare log scale');

        // A finished run (the vector loss's program left none behind), then its replay.
        await page.getByTestId('panel-lesson').click();
        await page.getByTestId('presenter-run').click();
        await expect(page.getByTestId('presenter-caption')).toHaveText(/ 100 /, { timeout: 20_000 });
        await measure('finished run');
        // On the shorter screens the update written out is a view of its own, in the chart's place.
        const compact = await page.getByTestId('presenter-live').getAttribute('data-compact');
        if (size.height < 1000) expect(compact).toBe('true');
        if (compact === 'true') {
          await page.getByTestId('chart-arithmetic').click();
          await expect(page.getByTestId('arith-prediction')).toBeVisible();
          await expect(page.getByTestId('live-chart')).toHaveCount(0);
          await measure('the update in the chart place');
          await page.getByTestId('chart-loss').click();
          await expect(page.getByTestId('live-chart')).toBeVisible();
        }
        await page.getByTestId('replay-toggle').click();
        await expect(page.getByTestId('replay-slider')).toBeVisible();
        await measure('replay');
        expect(cut).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }
});

test.describe('presenter mode for assistive technology', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`axe finds no serious or critical problem on any panel (${lang})`, async ({ page }) => {
      await openApp(page, lang);
      await enterPresenter(page);
      await page.getByTestId('presenter-speed').selectOption('max');
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('arith-after-w[0]')).toBeVisible();
      const findings: string[] = [];
      for (const panel of ['lesson', 'mistakes', 'compare'] as const) {
        await page.getByTestId(`panel-${panel}`).click();
        const results = await new AxeBuilder({ page }).include('[data-testid="presenter"]').analyze();
        for (const v of results.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') findings.push(`${panel}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
        }
      }
      expect(findings).toEqual([]);
    });
  }
});

test.describe('presenter mode keeps the focus', () => {
  test('Tab and Shift+Tab stay inside presenter mode, the page behind is inert, and Esc gives the focus back', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page);
    const opener = page.getByRole('button', { name: /Presenter mode/ });
    await opener.focus();
    await page.keyboard.press('Enter');
    const presenter = page.getByTestId('presenter');
    await expect(presenter).toBeVisible();
    const inside = () => page.evaluate(() => document.querySelector('[data-testid="presenter"]')!.contains(document.activeElement));
    // Round and round: every stop is inside, and Tab comes back to where it started.
    const stops: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
      stops.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent?.trim() ?? ''));
    }
    const cycle = stops.indexOf(stops[0], 1);
    expect(cycle).toBeGreaterThan(5);
    expect(stops.slice(cycle, cycle + 5)).toEqual(stops.slice(0, 5));
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    // The app behind cannot be reached (inert), even by a click.
    expect(await page.evaluate(() => (document.querySelector('main#lab-pane, #lab-pane') as HTMLElement | null)?.closest('[inert]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await expect(presenter).toHaveCount(0);
    await expect(opener).toBeFocused();
    expect(await page.evaluate(() => document.querySelectorAll('[inert]').length)).toBe(0);

    // F5 from a field in the lab: Esc puts the focus back into that field.
    const field = page.getByTestId('lr-field');
    await field.focus();
    await page.keyboard.press('F5');
    await expect(presenter).toBeVisible();
    expect(await inside()).toBe(true);
    await page.keyboard.press('Escape');
    await expect(field).toBeFocused();
  });
});

test.describe('compare with a run that diverges', () => {
  test('the diverged run does not flatten the others, and no tick label repeats', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openApp(page);
    await enterPresenter(page);
    await page.getByTestId('panel-compare').click();
    for (const lr of ['0.01', '0.1', '1']) {
      await page.getByTestId('compare-lr').fill(lr);
      await page.getByTestId('compare-add').click();
    }
    await page.getByTestId('compare-run').click();
    await expect(page.locator('[data-testid="compare-run-row"][data-status="diverged"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(page.locator('[data-testid="compare-run-row"][data-status="finished"]')).toHaveCount(2, { timeout: 30_000 });
    const chart = page.getByTestId('compare-chart').locator('[data-y-max]');
    await expect(chart).toHaveAttribute('data-legend', 'lr = 0.01 | lr = 0.1 | lr = 1 (diverged)');
    // The axis ends just above the largest loss of the runs that did not diverge (6642.5 at epoch 1),
    // at a round number.
    await expect.poll(async () => Number(await chart.getAttribute('data-y-max'))).toBe(7000);
    const ticks = ((await chart.getAttribute('data-y-ticks')) ?? '').split(' | ').filter((t) => t !== '');
    expect(ticks.length).toBeGreaterThan(2);
    expect(new Set(ticks).size).toBe(ticks.length);
    await shoot(page, 'compare-diverged-1920x1080');
    await page.getByTestId('log-scale').click();
    await expect(chart).toHaveAttribute('data-scale', 'logarithmic');
    await expect.poll(async () => Number(await chart.getAttribute('data-y-max'))).toBe(10000);
    const logTicks = ((await chart.getAttribute('data-y-ticks')) ?? '').split(' | ').filter((t) => t !== '');
    expect(new Set(logTicks).size).toBe(logTicks.length);
    await shoot(page, 'compare-diverged-log-1920x1080');
  });
});

test.describe('deliberate mistakes', () => {
  test('each switch shows its effect and its one-click fix works', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page);
    await enterPresenter(page);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('panel-mistakes').click();
    const caption = page.getByTestId('presenter-caption');
    const gradB = page.getByTestId('arith-grad-b');

    // 1. Forgetting zero_grad: the gradients chart is shown and the gradients pile up. Switching
    // the mistake on does not train by itself: the class sees the run start when Run is pressed.
    await page.getByTestId('mistake-noZeroGrad').click();
    await expect(caption).toHaveText('Ready: press Space to train');
    await expect(page.getByTestId('live-chart')).toHaveAttribute('data-series', '3');
    await page.getByTestId('presenter-run').click();
    await expect(page.getByTestId('live-chart').locator('[data-legend]')).toHaveAttribute('data-legend', 'w[0].grad | w[1].grad | b.grad');
    // The run goes wrong: after 100 epochs the loss is far above the lesson's 183.0799.
    await expect(caption).toHaveText('Finished · Epoch 100 · loss 4993.1631', { timeout: 20_000 });
    // Epoch by epoch (→ starts a fresh run with the mistake still on): each gradient adds to the last.
    await page.keyboard.press('ArrowRight');
    await expect(caption).toHaveText(/Epoch 1 · loss 6642\.5000/);
    await showArithmetic(page);
    await expect(gradB).toHaveText('-131.0000');
    await page.keyboard.press('ArrowRight');
    await expect(caption).toHaveText(/Epoch 2 · /);
    await expect(gradB).toHaveText('-257.5600'); // -131 + -126.56
    await expect(page.getByTestId('arith-grad-w[0]')).toHaveText('-225.5500');
    await page.keyboard.press('ArrowRight');
    await expect(gradB).toHaveText('-375.4329');
    await expect(page.getByTestId('arith-check')).toHaveAttribute('data-checks', 'true');
    await shoot(page, 'zero-grad-1280x800');
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('fix-noZeroGrad').click();
    await expect(page.getByTestId('presenter-notice')).toHaveAttribute('data-kind', 'fixed');
    await expect(caption).toHaveText('Finished · Epoch 100 · loss 183.0799', { timeout: 20_000 });
    await expect(gradB).toHaveText('-13.0476');
    await expect(page.getByTestId('replay-toggle')).toBeVisible();

    // 2. Learning rate × 100: the loss runs to inf/nan and the message explains it.
    await page.getByTestId('chart-grads').click();
    await page.getByTestId('mistake-lrTimes100').click();
    await expect(caption).toHaveText('Ready: press Space to train');
    await page.keyboard.press('Space');
    const notice = page.getByTestId('presenter-notice');
    await expect(notice).toHaveAttribute('data-kind', 'diverged', { timeout: 20_000 });
    await expect(notice).toContainText(/The loss became (inf|nan) at epoch \d+\. With learning rate 1 /);
    await expect(notice).toContainText('Lower the learning rate');
    await expect(caption).toHaveText(/^Diverged/);
    await shoot(page, 'diverged-1280x800');
    await page.getByTestId('fix-lrTimes100').click();
    await expect(caption).toHaveText('Finished · Epoch 100 · loss 183.0799', { timeout: 20_000 });
    await expect(notice).toHaveAttribute('data-kind', 'fixed');

    // 3. A loss without mean: Python's traceback with PyTorch's RuntimeError, in the chart's place
    // (nothing trains beside it), then .mean() fixes it.
    await page.getByTestId('mistake-vectorLoss').click();
    const error = page.getByTestId('py-error');
    await expect(error).toContainText('RuntimeError: grad can be implicitly created only for scalar outputs', { timeout: 20_000 });
    await expect(error.locator('.traceback')).toHaveText(
      'Traceback (most recent call last):\n  File "lesson.py", line 8, in <module>\n    loss.backward()\nRuntimeError: grad can be implicitly created only for scalar outputs',
    );
    await expect(page.getByTestId('live-chart')).toHaveCount(0);
    await expect(caption).toHaveText('A loss without mean');
    // Run (Space) runs the program again; no training starts.
    await page.keyboard.press('Space');
    await expect(error).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('live-chart')).toHaveCount(0);
    await expect(page.getByTestId('py-output')).toContainText('tensor([0., 4.], grad_fn=<PowBackward0>)');
    await expect(page.locator('.program li.bad')).toHaveText('loss.backward()');
    await shoot(page, 'vector-loss-1280x800');
    await page.getByTestId('fix-vectorLoss').click();
    await expect(page.getByTestId('py-fixed')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('py-output')).toHaveText('tensor(2., grad_fn=<MeanBackward0>)\ntensor([0., 4.])\n');
    await expect(page.locator('.program li.changed')).toHaveText('loss = ((y_hat - y) ** 2).mean()');
    await expect(page.getByTestId('py-error')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('the divergence is explained in Chinese too', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await openApp(page, 'zh-CN');
    await enterPresenter(page);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('panel-mistakes').click();
    await page.getByTestId('mistake-lrTimes100').click();
    await page.getByTestId('presenter-run').click();
    const notice = page.getByTestId('presenter-notice');
    await expect(notice).toHaveAttribute('data-kind', 'diverged', { timeout: 20_000 });
    await expect(notice).toContainText(/第 \d+ 轮时损失变成了 (inf|nan)。学习率 1 太大/);
    await expect(notice).toContainText('把学习率调小（试试 0.1）');
    const smallest = await smallestText(page, '[data-testid="presenter"]');
    expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
    await shoot(page, 'diverged-zh-CN-1024x768');
    await page.getByTestId('fix-lrTimes100').click();
    await expect(page.getByTestId('presenter-caption')).toHaveText('训练完成 · 第 100 轮 · 损失 183.0799', { timeout: 20_000 });
  });
});

test.describe('compare and replay', () => {
  test('three learning rates overlaid in one chart with a legend; log scale; at most four', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openApp(page);
    await enterPresenter(page);
    await page.getByTestId('panel-compare').click();
    for (const lr of ['0.001', '0.01', '0.1']) {
      await page.getByTestId('compare-lr').fill(lr);
      await page.getByTestId('compare-add').click();
    }
    await expect(page.getByTestId('compare-run-row')).toHaveCount(3);
    await page.getByTestId('compare-run').click();
    await expect(page.locator('[data-testid="compare-run-row"][data-status="finished"]')).toHaveCount(3, { timeout: 30_000 });
    const chart = page.getByTestId('compare-chart');
    await expect(chart).toHaveAttribute('data-series', '3');
    await expect(chart.locator('[data-legend]')).toHaveAttribute('data-legend', 'lr = 0.001 | lr = 0.01 | lr = 0.1');
    await expect(chart.locator('[data-scale]')).toHaveAttribute('data-scale', 'linear');
    await page.getByTestId('log-scale').click();
    await expect(page.getByTestId('log-scale')).toHaveAttribute('aria-pressed', 'true');
    await expect(chart.locator('[data-scale]')).toHaveAttribute('data-scale', 'logarithmic');
    await shoot(page, 'compare-log-1920x1080');

    // A fourth is allowed, a fifth is refused with a message; duplicates too.
    await page.getByTestId('compare-lr').fill('0.05');
    await page.getByTestId('compare-add').click();
    await expect(page.getByTestId('compare-run-row')).toHaveCount(4);
    await page.getByTestId('compare-lr').fill('0.2');
    await page.getByTestId('compare-add').click();
    await expect(page.getByRole('alert')).toHaveText('At most four runs: remove one first.');
    await expect(page.getByTestId('compare-run-row')).toHaveCount(4);
    expect(errors).toEqual([]);
  });

  test('replay scrubs through a finished run with the arrow keys and the slider', async ({ page }) => {
    await openApp(page);
    await enterPresenter(page);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('presenter').focus();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText('Finished · Epoch 100 · loss 183.0799', { timeout: 20_000 });
    await page.getByTestId('replay-toggle').click();
    const position = page.getByTestId('replay-position');
    await expect(position).toHaveText('Epoch 100 of 100');
    await expect(page.getByTestId('replay-params')).toHaveText('w = [51.8260, -9.4314], b = 45.1103');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(position).toHaveText('Epoch 98 of 100');
    await page.keyboard.press('ArrowRight');
    await expect(position).toHaveText('Epoch 99 of 100');
    await page.keyboard.press('Home');
    await expect(position).toHaveText('Epoch 0 of 100');
    await expect(page.getByTestId('replay-params')).toHaveText('w = [1.0000, 2.0000], b = 0.0000');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText('Replay · Epoch 1 · loss 6642.5000');
    // The slider scrubs too.
    await page.getByTestId('replay-slider').fill('50');
    await expect(position).toHaveText('Epoch 50 of 100');
    await showArithmetic(page);
    await expect(page.getByTestId('arith-prediction')).toContainText(/y_hat\[0\] = -?\d+\.\d{4} × 1 \+ -?\d+\.\d{4} = -?\d+\.\d{4} \(y = 115\)/);
    await page.getByTestId('replay-toggle').click();
    await expect(page.getByTestId('presenter-caption')).toHaveText('Finished · Epoch 100 · loss 183.0799');
  });
});

test('the audience tab follows the presenter: charts only, blank with it', async ({ page, context }) => {
  await openApp(page);
  const audience = await context.newPage();
  await audience.goto('/?audience=1');
  await expect(audience.getByTestId('audience')).toContainText(/Waiting for the presenter|等待演示者/);
  await page.bringToFront();
  await enterPresenter(page);
  await page.getByTestId('presenter-speed').selectOption('max');
  await page.getByTestId('presenter').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('presenter-caption')).toHaveText(/Finished · Epoch 100/, { timeout: 20_000 });
  await expect(audience.getByTestId('audience-chart')).toHaveAttribute('data-series', '1');
  await expect(audience.getByTestId('audience-caption')).toHaveText('Finished · Epoch 100 · loss 183.0799');
  await expect(audience.getByRole('button')).toHaveCount(0);
  await page.keyboard.press('b');
  await expect(audience.getByTestId('audience-blanked')).toBeVisible();
  await page.keyboard.press('b');
  await expect(audience.getByTestId('audience-chart')).toBeVisible();
  mkdirSync(SHOTS, { recursive: true });
  await audience.setViewportSize({ width: 1024, height: 768 });
  await audience.waitForTimeout(200);
  const smallest = await smallestText(audience, '[data-testid="audience"]');
  expect(smallest.size).toBeGreaterThanOrEqual(24);
  await audience.screenshot({ path: `${SHOTS}/classroom-audience-1024x768.png` });
  await page.keyboard.press('Escape');
  await expect(audience.getByTestId('audience')).toContainText('Waiting for the presenter');
});
