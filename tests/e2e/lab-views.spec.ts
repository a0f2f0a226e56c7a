// The lab's views of issue 17, in the browser edition: the points with the fitted line of the
// shared model, the graph of one epoch of the lab's run (the lesson's hand-worked gradients after
// epoch 1), and the loss landscape; both languages, keyboard, axe, and screenshots for a person.
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { openFresh } from './helpers';

const SHOTS = 'test-results/screenshots';
const langs = ['en', 'zh-CN'] as const;
type Lang = (typeof langs)[number];
const words = {
  en: { load: 'Load', fit: 'Points and line', graph: 'Graph', landscape: 'Loss landscape' },
  'zh-CN': { load: '载入', fit: '数据点与直线', graph: '计算图', landscape: '损失地形' },
} as const;

async function open(page: Page, lang: Lang, size = { width: 1280, height: 800 }): Promise<string[]> {
  const errors = await openFresh(page, lang, 'gradlab.e2e.labviews', size);
  await expect(page.getByTestId('lab-views')).toBeVisible();
  return errors;
}

async function loadPreset(page: Page, lang: Lang, presetId: string): Promise<void> {
  await page.getByTestId('preset-select').selectOption(presetId);
  await page.getByRole('button', { name: words[lang].load, exact: true }).click();
}

async function openView(page: Page, lang: Lang, view: 'fit' | 'graph' | 'landscape'): Promise<void> {
  const tab = page.getByRole('tab', { name: words[lang][view], exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('lab-views').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function axeClean(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('[data-testid="lab-views"]').analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

for (const lang of langs) {
  test(`${lang}: the lab's graph after epoch 1 of the worked example shows the hand-worked gradients -114, -34, -131`, async ({ page }) => {
    const errors = await open(page, lang);
    await loadPreset(page, lang, 'lesson-example');
    await openView(page, lang, 'graph');
    await page.getByTestId('step-1').click();
    const view = page.getByTestId('lab-graph');
    const svg = view.locator('svg').first();
    await expect(svg).toContainText('MeanBackward0');
    for (const name of ['PowBackward0', 'SubBackward0', 'AddBackward0', 'MulBackward0', 'AccumulateGrad']) await expect(svg).toContainText(name);
    // the summary names the leaves' gradients after epoch 1's backward(): the lesson's numbers
    await expect(view).toContainText('[-114, -34]');
    await expect(view).toContainText('-131');
    await expect(svg).toContainText('6642.5');
    await expect(page.getByTestId('lab-graph-epoch')).toContainText(lang === 'en' ? 'epoch 1' : '第 1 轮');
    // the next step shows epoch 2's graph: the loss PyTorch prints for epoch 2
    await page.getByTestId('step-1').click();
    await expect(page.getByTestId('lab-graph-epoch')).toContainText(lang === 'en' ? 'epoch 2' : '第 2 轮');
    await expect(svg).toContainText('6334.35');
    await shoot(page, `lab-graph-${lang}-1280x800`);
    await axeClean(page);
    expect(errors).toEqual([]);
  });

  test(`${lang}: the Graph tab opened after the run stopped shows the last epoch's own graph, not the next one's`, async ({ page }) => {
    const errors = await open(page, lang);
    await loadPreset(page, lang, 'lesson-example');
    // Two epochs stepped with the Graph tab closed: no graph was recorded while they ran.
    await page.getByTestId('step-1').click();
    await expect(page.getByTestId('stat-loss')).toContainText('6642.5');
    await page.getByTestId('step-1').click();
    await expect(page.getByTestId('stat-loss')).toContainText('6334.3516');
    await openView(page, lang, 'graph');
    const caption = page.getByTestId('lab-graph-epoch');
    await expect(caption).toHaveAttribute('data-rebuilt', 'true');
    await expect(caption).toHaveAttribute('data-at-values', 'false');
    await expect(caption).toContainText(lang === 'en' ? 'epoch 2' : '第 2 轮');
    await expect(caption).toContainText(lang === 'en' ? 'worked out again from the values epoch 2 started from' : '由第 2 轮开始时的数值重新算出');
    // Epoch 2's loss, as the chart's last point says (the graph at the values after epoch 2 is epoch 3's: 6045.3066).
    const svg = page.getByTestId('lab-graph').locator('svg').first();
    await expect(svg).toContainText('6334.35');
    await expect(svg).not.toContainText('6045.3');
    await shoot(page, `lab-graph-rebuilt-${lang}-1280x800`);
    expect(errors).toEqual([]);
  });

  test(`${lang}: the points and the fitted line of the shared model move to y = 2x as it trains`, async ({ page }) => {
    const errors = await open(page, lang);
    await loadPreset(page, lang, 'line-2x');
    await openView(page, lang, 'fit');
    await expect(page.getByTestId('fit-plot').locator('circle')).toHaveCount(3);
    // before the run: the starting line y = 0.5x + 0.25
    await expect(page.getByTestId('fit-summary')).toContainText('y = 0.5·x + 0.25');
    const before = await page.getByTestId('fit-line').getAttribute('y2');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText(lang === 'en' ? 'Finished' : '已完成');
    await expect(page.getByTestId('fit-summary')).toContainText('y = 2·x');
    expect(await page.getByTestId('fit-line').getAttribute('y2')).not.toBe(before);
    await shoot(page, `lab-fit-${lang}-1280x800`);
    await axeClean(page);
    expect(errors).toEqual([]);
  });
}

for (const lang of langs) {
  test(`${lang}: the landscape of the shared model on y = 2x marks its lowest point w = 2, b = 0 and the run's path ends there`, async ({ page }) => {
    const errors = await open(page, lang);
    await loadPreset(page, lang, 'line-2x');
    await openView(page, lang, 'landscape');
    // before the run: the map of the data and the starting values, its minimum already exact
    const minimum = page.getByTestId('landscape-minimum');
    await expect(minimum).toContainText('w = 2.0000');
    await expect(minimum).toContainText('b = 0.0000');
    await expect(page.getByTestId('landscape-plot')).toContainText('(2.0000, 0.0000)');
    await expect(page.getByTestId('landscape-now')).toContainText('w = 0.5000');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText(lang === 'en' ? 'Finished' : '已完成');
    await expect(page.getByTestId('landscape-now')).toContainText('w = 2.0000');
    await expect(page.getByTestId('landscape-now')).toContainText('b = 0.0000');
    await expect(minimum).toContainText('w = 2.0000');
    await expect(page.getByTestId('landscape-path')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    await expect(page.getByTestId('landscape-left')).toHaveCount(0);
    await shoot(page, `lab-landscape-${lang}-1280x800`);
    await axeClean(page);
    expect(errors).toEqual([]);
  });
}

test('a learning rate that is too large zig-zags off the map; a click and the keyboard set the starting values', async ({ page }) => {
  const errors = await open(page, 'en');
  await loadPreset(page, 'en', 'line-2x');
  await openView(page, 'en', 'landscape');
  await expect(page.getByTestId('landscape-minimum')).toContainText('w = 2.0000');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.2');
  await page.getByLabel('Epochs', { exact: true }).fill('30');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText(/Finished|Diverged|diverged/);
  await expect(page.getByTestId('landscape-left')).toBeVisible();
  await shoot(page, 'lab-landscape-zigzag-en-1280x800');
  // Reset; the keyboard: arrows move a cross, Enter sets the starting values there
  await page.getByTestId('reset-button').click();
  const map = page.getByTestId('landscape-map');
  await map.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('landscape-cursor')).toContainText('Cross: w =');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('landscape-cursor')).toContainText('Starting values set');
  const wText = await page.getByTestId('w-values').inputValue();
  expect(Number(wText)).not.toBe(0.5);
  // a click near the marked minimum puts the start there (within a cell of the map)
  const mark = await page.getByTestId('landscape-minimum-mark').boundingBox();
  await page.mouse.click(mark!.x + mark!.width / 2, mark!.y + mark!.height / 2 + 1);
  await expect(page.getByTestId('landscape-cursor')).toContainText('Starting values set');
  expect(Math.abs(Number(await page.getByTestId('w-values').inputValue()) - 2)).toBeLessThan(0.2);
  expect(Math.abs(Number(await page.getByLabel('Initial b', { exact: true }).inputValue()))).toBeLessThan(0.3);
  expect(errors).toEqual([]);
});

for (const lang of langs) {
  test(`${lang}: the zig-zag preset (learning rate 0.17): each step jumps across the valley and back`, async ({ page }) => {
    const errors = await open(page, lang);
    await loadPreset(page, lang, 'line-2x-zigzag');
    await openView(page, lang, 'landscape');
    await expect(page.getByTestId('landscape-zigzag-hint')).toContainText('0.17');
    await expect(page.getByTestId('landscape-minimum')).toContainText('w = 2.0000');
    // one epoch per Step: every epoch is on the path
    for (let epoch = 1; epoch <= 6; epoch++) {
      await page.getByTestId('step-1').click();
      await expect(page.getByTestId('landscape-epoch')).toContainText(lang === 'en' ? `After epoch ${epoch}.` : `第 ${epoch} 轮之后`);
      await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'paused');
    }
    // w goes 0.5 -> 2.71 -> 0.78 -> 2.51 -> 1.00 -> 2.36 -> 1.18 (PyTorch): across the valley and back each step
    const d = (await page.getByTestId('landscape-path').getAttribute('d')) ?? '';
    const xs = d
      .slice(1)
      .split('L')
      .filter((pt, i, all) => i === 0 || pt !== all[i - 1])
      .map((pt) => Number(pt.split(',')[0]));
    expect(xs).toHaveLength(7);
    const turns = xs.slice(2).filter((x, i) => Math.sign(x - xs[i + 1]) !== Math.sign(xs[i + 1] - xs[i])).length;
    expect(turns).toBe(5);
    await expect(page.getByTestId('landscape-left')).toHaveCount(0);
    await expect(page.getByTestId('landscape-now')).toContainText('w = 1.1');
    await shoot(page, `lab-landscape-zigzag-${lang}-1280x800`);
    expect(errors).toEqual([]);
  });
}

test('the per-value model: two chosen parameters, the others held (said on screen)', async ({ page }) => {
  const errors = await open(page, 'en');
  await loadPreset(page, 'en', 'lesson-example');
  await openView(page, 'en', 'landscape');
  await expect(page.getByTestId('landscape-held')).toContainText('others held at their current values');
  await expect(page.getByTestId('landscape-plot')).toContainText('w[0]');
  await page.getByTestId('landscape-q').selectOption('1');
  await expect(page.getByTestId('landscape-plot')).toContainText('w[1]');
  await expect(page.getByTestId('landscape-held')).toContainText('b');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished');
  await expect(page.getByTestId('landscape-now')).toContainText('w[0] = 51.8260');
  expect(errors).toEqual([]);
});

test('the view tabs are reached and switched with the keyboard', async ({ page }) => {
  await open(page, 'en');
  const first = page.getByRole('tab', { name: 'The arithmetic', exact: true });
  await first.click();
  await first.press('End');
  const last = page.getByRole('tab').last();
  await expect(last).toBeFocused();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await last.press('Home');
  await expect(first).toBeFocused();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Graph', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Graph', exact: true })).toBeFocused();
  await expect(page.getByTestId('lab-graph')).toContainText('press Run or Step');
});
