// Shared by the presenter-mode specs (presenter-*.spec.ts): open the app on the worked example,
// enter presenter mode, read the caption, measure the smallest text, take screenshots, and set up
// the stage-fitting measurements at the three projector sizes.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { presenterCuts, topBarRows } from './presenter-fit';

export { watchErrors } from './index';

export const SHOTS = 'test-results/screenshots';

/** Opens the app in a language, on the worked-example lesson. */
export async function openApp(page: Page, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto('/');
  await page
    .getByRole('button', { name: lang === 'en' ? /English/ : /简体中文/ })
    .first()
    .click();
  const nav = page.getByRole('navigation', { name: lang === 'en' ? /lessons/i : /课程/ });
  await nav.getByRole('button', { name: lang === 'en' ? /worked example/i : /例子|示例|算例/ }).first().click();
}

export async function enterPresenter(page: Page): Promise<Locator> {
  await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => {});
  await page.keyboard.press('F5');
  const presenter = page.getByTestId('presenter');
  await expect(presenter).toBeVisible();
  return presenter;
}

/** Opens the compare panel with one queued run for each learning rate. */
export async function openCompare(page: Page, learningRates: string[]): Promise<void> {
  await page.getByTestId('panel-compare').click();
  for (const lr of learningRates) {
    await page.getByTestId('compare-lr').fill(lr);
    await page.getByTestId('compare-add').click();
  }
}

/** Epochs done, read from the caption ("… · Epoch 12 · loss 3.2"); 0 before the first epoch. */
export async function captionEpoch(page: Page): Promise<number> {
  const text = (await page.getByTestId('presenter-caption').textContent()) ?? '';
  const match = /Epoch ([\d,]+)/.exec(text) ?? /第 ([\d,]+) 轮/.exec(text);
  return match ? Number(match[1].replace(/,/g, '')) : 0;
}

/**
 * The smallest font size among visible text inside `selector` (text nodes with a rendered box in
 * the viewport; KaTeX's screen-reader MathML copy is clipped to nothing and does not count).
 */
export async function smallestText(page: Page, selector: string): Promise<{ size: number; text: string; count: number }> {
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
export async function showArithmetic(page: Page): Promise<void> {
  if ((await page.getByTestId('presenter-live').getAttribute('data-compact')) === 'true') await page.getByTestId('chart-arithmetic').click();
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(150); // one chart frame
  await page.screenshot({ path: `${SHOTS}/classroom-${name}.png` });
}

export const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** Waits until the presenter shows another page than `before` (its title and step counter). */
export async function pageChanged(page: Page, before: string): Promise<void> {
  const where = async () => `${await page.getByTestId('presenter-title').textContent()} · ${await page.getByTestId('presenter-step-count').textContent()}`;
  await expect.poll(where).not.toBe(before);
}

/**
 * Opens presenter mode on the first lesson at `size` in `lang` with two epochs stepped by hand (so
 * the update written out is on screen), and returns a measuring function that collects what is cut
 * off (and a top bar of more than one row) into `cut`.
 */
export async function presentForFit(page: Page, size: { width: number; height: number }, lang: 'en' | 'zh-CN', cut: string[]): Promise<(where: string) => Promise<void>> {
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
