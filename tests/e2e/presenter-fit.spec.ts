// Presenter mode on a projector: the smallest text on every panel is >= 24 px, and every page of
// every lesson and every panel is measured for anything cut off (helpers/presenter-fit.ts) at
// 1024x768, 1280x800 and 1920x1080 in both languages.
import { expect, test } from '@playwright/test';
import { watchErrors, openApp, enterPresenter, smallestText, shoot, SIZES, pageChanged, presentForFit, openCompare } from './helpers/classroom';
import { pageThought, presenterCuts, type PageThought } from './helpers/presenter-fit';
import { openLabSection } from './helpers';

test.describe('presenter mode reads from afar', () => {
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

test.describe('presenter mode fits the stage', () => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      test(`${size.width}x${size.height} ${lang}: nothing is cut off on any page of any lesson, no page is a fragment of a thought, and the top bar is one row`, async ({ page }) => {
        test.setTimeout(240_000);
        const errors = watchErrors(page);
        const cut: string[] = [];
        // A page that starts mid-sentence, or a step's page that ends leading into its next page.
        const fragments: string[] = [];
        let before: (PageThought & { where: string }) | null = null;
        const measure = await presentForFit(page, size, lang, cut);
        const lessonCount = await page.locator('.lesson-link').count();
        // Every page of every lesson: PageDown goes on from each lesson's last page to the next lesson.
        let pages = 0;
        const titles = new Set<string>();
        for (;;) {
          const where = `${await page.getByTestId('presenter-title').textContent()} · ${await page.getByTestId('presenter-step-count').textContent()}`;
          titles.add((await page.getByTestId('presenter-title').textContent()) ?? '');
          await measure(where);
          const thought = await pageThought(page);
          if (thought.startsMidSentence) fragments.push(`${where} starts mid-sentence: "${thought.startsMidSentence}"`);
          if (before?.endsLeadingOn && before.step === thought.step) fragments.push(`${before.where} ends leading on: "${before.endsLeadingOn}"`);
          if (/[`$*]/.test(thought.sectionName ?? '')) fragments.push(`${where} shows raw Markdown in its section name: "${thought.sectionName}"`);
          before = { ...thought, where };
          pages += 1;
          if (await page.getByTestId('step-next').isDisabled()) break;
          await page.keyboard.press('PageDown');
          await pageChanged(page, where);
        }
        expect(titles.size).toBe(lessonCount);
        expect(pages).toBeGreaterThan(8 * lessonCount);
        console.log(`presenter ${size.width}x${size.height} ${lang}: ${pages} pages measured`);
        expect(cut).toEqual([]);
        expect(fragments).toEqual([]);
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
        await openCompare(page, ['0.01', '0.1', '1']);
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

test.describe('presenter mode shows the frog pictures whole', () => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      test(`${size.width}x${size.height} ${lang}: the Images view cuts no caption, key or summary, and its pictures are large`, async ({ page }) => {
        const errors = watchErrors(page);
        await page.setViewportSize(size);
        await page.goto('/');
        await page.getByRole('button', { name: lang === 'en' ? /English/ : /简体中文/ }).first().click();
        await openLabSection(page, 'images');
        await page.getByTestId('fold-images').getByRole('button', { name: lang === 'en' ? 'Similar frogs' : '相似的青蛙' }).click();
        await expect(page.getByTestId('image-loaded')).toBeVisible();
        await enterPresenter(page);
        await page.getByTestId('presenter-data').selectOption('lab');
        await page.getByTestId('presenter-speed').selectOption('max');
        await page.keyboard.press('Space');
        await expect(page.getByTestId('presenter-run')).toHaveText(lang === 'en' ? 'Run again' : '重新运行', { timeout: 60_000 });
        await page.getByTestId('chart-images').click();
        const frogs = page.getByTestId('live-images');
        // The heatmap's key (both its parts) and the error summary are drawn once the run sent its pictures.
        await expect(frogs.locator('.legend')).toContainText(lang === 'en' ? /red w > 1.*from .* to / : /红 w > 1.*从 .* 到 /);
        await expect(frogs.getByTestId('frog-summary')).toContainText(lang === 'en' ? 'per pixel on average' : '每个像素平均相差');
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        expect(await presenterCuts(page)).toEqual([]);
        // Each picture is drawn at least 120 px square (a canvas scaled to fit its cell: the smaller side).
        for (const id of ['frog-a', 'frog-b', 'frog-prediction', 'frog-heatmap']) {
          const box = (await frogs.getByTestId(id).boundingBox())!;
          expect(Math.min(box.width, box.height), id).toBeGreaterThanOrEqual(120);
        }
        await shoot(page, `images-${lang}-${size.width}x${size.height}`);
        expect(errors).toEqual([]);
      });
    }
  }
});
