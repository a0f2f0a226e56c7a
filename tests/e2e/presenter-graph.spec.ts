// Presenter mode's graph and loss landscape views (issue 17): the lab's autograd graph and the
// loss landscape of the presenter's own run, in the chart's place at projector sizes, in both
// languages; nothing cut off at 1024x768, 1280x800 and 1920x1080; the clicker's keys keep working
// while they are shown; axe finds no serious or critical problem.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { enterPresenter, openApp, shoot, SIZES, watchErrors } from './helpers/classroom';
import { presenterCuts } from './helpers/presenter-fit';

/** Opens the app in `lang` on the worked-example lesson, then presenter mode (F5) at full speed. */
async function present(page: Page, lang: 'en' | 'zh-CN'): Promise<void> {
  await openApp(page, lang);
  await enterPresenter(page);
  await page.getByTestId('presenter-speed').selectOption('max');
  await page.evaluate(() => document.fonts.ready);
}

/** What presenter mode cuts off, measured once the frame after the last change is drawn. */
async function cuts(page: Page, where: string): Promise<string[]> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const problems = await presenterCuts(page);
  // the graph's picture is a pan-and-zoom window (its own text is not measured): the window itself must fit
  const pictureOutside = await page.evaluate(() => {
    const live = document.querySelector('[data-testid="presenter-live"]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="presenter-live"] .graph-view, [data-testid="presenter-live"] svg')].some((el) => {
      const r = el.getBoundingClientRect();
      return r.height < 40 || r.left < live.left - 1 || r.top < live.top - 1 || r.right > live.right + 1 || r.bottom > live.bottom + 1;
    });
  });
  if (pictureOutside) problems.push('the picture is too small or reaches past the live column');
  return problems.map((problem) => `${where}: ${problem}`);
}

const caption = (page: Page) => page.getByTestId('presenter-caption');

test.describe('presenter mode shows the graph and the loss landscape', () => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      test(`${size.width}x${size.height} ${lang}: the epoch's graph with the lesson's numbers and the landscape, nothing cut off`, async ({ page }) => {
        test.setTimeout(120_000);
        const errors = watchErrors(page);
        await page.setViewportSize(size);
        await present(page, lang);
        const tag = `${lang}-${size.width}x${size.height}`;
        const cut: string[] = [];

        // The graph view, chosen before the run: → trains epoch 1 and the graph shows the lesson's hand-worked gradients.
        await page.getByTestId('chart-graph').click();
        await expect(page.getByTestId('chart-graph')).toHaveAttribute('aria-pressed', 'true');
        await expect(page.getByTestId('live-graph')).toBeVisible();
        await page.keyboard.press('ArrowRight');
        const graph = page.getByTestId('live-graph');
        await expect(page.getByTestId('lab-graph-epoch')).toContainText(lang === 'en' ? 'epoch 1' : '第 1 轮');
        await expect(graph).toContainText('[-114, -34]');
        await expect(graph).toContainText('-131');
        cut.push(...(await cuts(page, 'graph after epoch 1')));
        await shoot(page, `graph-epoch1-${tag}`);

        // The run to its end (Space): the graph follows to the last epoch.
        await page.keyboard.press('Space');
        await expect(caption(page)).toHaveText(/ 100 /, { timeout: 30_000 });
        await expect(page.getByTestId('lab-graph-epoch')).toContainText(lang === 'en' ? 'epoch 100' : '第 100 轮');
        cut.push(...(await cuts(page, 'graph after the run')));
        await shoot(page, `graph-finished-${tag}`);

        // The landscape of the finished run: the path and the lowest point.
        await page.getByTestId('chart-landscape').click();
        await expect(page.getByTestId('landscape-path')).toBeVisible();
        await expect(page.getByTestId('landscape-minimum')).toContainText(/w\[0\]/);
        cut.push(...(await cuts(page, 'landscape after the run')));
        await shoot(page, `landscape-finished-${tag}`);

        expect(cut).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }
});

test.describe('presenter mode offers the graph and the landscape with the mistakes', () => {
  for (const size of SIZES) {
    for (const lang of ['en', 'zh-CN'] as const) {
      test(`${size.width}x${size.height} ${lang}: the graph without zero_() piles up .grad; on a tall screen the 100x learning rate leaves the bowl on the landscape; nothing cut off`, async ({ page }) => {
        test.setTimeout(120_000);
        const errors = watchErrors(page);
        await page.setViewportSize(size);
        await present(page, lang);
        const tag = `${lang}-${size.width}x${size.height}`;
        const cut: string[] = [];
        await page.getByTestId('panel-mistakes').click();
        await page.getByTestId('mistake-lrTimes100').click();
        await page.getByTestId('chart-loss').click();
        await expect(page.getByTestId('chart-graph')).toBeVisible();
        // the landscape's map needs the wide stage, which the mistakes panel keeps only on a tall screen
        if (size.height < 1000) {
          await expect(page.getByTestId('chart-landscape')).toHaveCount(0);
        } else {
          await page.getByTestId('chart-landscape').click();
          await expect(page.getByTestId('live-landscape')).toBeVisible();
          await page.keyboard.press('ArrowRight');
          await expect(caption(page)).toHaveText(/(Epoch 1|第 1 轮)/);
          await page.keyboard.press('ArrowRight');
          await expect(caption(page)).toHaveText(/(Epoch 2|第 2 轮)/);
          await expect(page.getByTestId('landscape-path')).toBeVisible();
          cut.push(...(await cuts(page, 'landscape with the 100x learning rate')));
          await shoot(page, `mistake-landscape-${tag}`);
        }

        await page.getByTestId('mistake-noZeroGrad').click();
        // on short screens a new mistake shows the update in the chart's place; the chart views come back with Loss
        await page.getByTestId('chart-loss').click();
        await page.getByTestId('chart-graph').click();
        await expect(page.getByTestId('live-graph')).toBeVisible();
        await page.keyboard.press('ArrowRight');
        await expect(page.getByTestId('lab-graph-epoch')).toContainText(lang === 'en' ? 'epoch 1' : '第 1 轮');
        await page.keyboard.press('ArrowRight');
        await expect(page.getByTestId('lab-graph-epoch')).toContainText(lang === 'en' ? 'epoch 2' : '第 2 轮');
        cut.push(...(await cuts(page, 'graph without zero_()')));
        await shoot(page, `mistake-graph-${tag}`);
        expect(cut).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }
});

test.describe('presenter mode keeps its keys with the graph and the landscape shown', () => {
  test('the views are chosen with the keyboard, and →, Space, PageDown and B keep working', async ({ page }) => {
    test.setTimeout(90_000);
    const errors = watchErrors(page);
    await present(page, 'en');
    // Tab to the Graph button and choose it with Enter: a focused button keeps the clicker's keys.
    const graphButton = page.getByTestId('chart-graph');
    await graphButton.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('live-graph')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(caption(page)).toHaveText(/Epoch 1\b/);
    await expect(page.getByTestId('lab-graph-epoch')).toContainText('epoch 1');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('lab-graph-epoch')).toContainText('epoch 2');
    const step = await page.getByTestId('presenter-step-count').textContent();
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('presenter-step-count')).not.toHaveText(step ?? '');
    // The landscape: the map is a picture here (the arrows stay the clicker's), → still steps an epoch.
    await page.getByTestId('chart-landscape').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('landscape-plot')).toBeVisible();
    await expect(page.getByTestId('landscape-map')).not.toHaveAttribute('tabindex', /.*/);
    await page.keyboard.press('ArrowRight');
    await expect(caption(page)).toHaveText(/Epoch 3\b/);
    await expect(page.getByTestId('landscape-now')).toBeVisible();
    await page.keyboard.press('b');
    await expect(page.getByTestId('presenter-blanked')).toBeVisible();
    await page.keyboard.press('b');
    await expect(page.getByTestId('presenter-blanked')).toHaveCount(0);
    await page.keyboard.press('Space');
    await expect(caption(page)).toHaveText(/ 100 /, { timeout: 30_000 });
    await expect(page.getByTestId('landscape-path')).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test.describe('presenter mode graph and landscape for assistive technology', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`axe finds no serious or critical problem with either view (${lang})`, async ({ page }) => {
      await present(page, lang);
      await page.getByTestId('chart-graph').click();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('lab-graph-epoch')).toBeVisible();
      const findings: string[] = [];
      const check = async (view: string) => {
        const results = await new AxeBuilder({ page }).include('[data-testid="presenter"]').analyze();
        for (const v of results.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') findings.push(`${view}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
        }
      };
      await check('graph');
      await page.getByTestId('chart-landscape').click();
      await expect(page.getByTestId('landscape-plot')).toBeVisible();
      await check('landscape');
      expect(findings).toEqual([]);
    });
  }
});
