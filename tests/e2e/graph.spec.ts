// The Graph button of a code cell (issue 17): after Run, the cell's Graph dialog draws the autograd
// graph the code really built as SVG text (node names as PyTorch names them, x.grad's values),
// steps through backward() with the chain rule in real numbers, says why a vector root cannot
// start backward() (lesson 2), works in both languages, passes axe, and is screenshotted at
// 1280x800 and 1920x1080 for a person to look at.
import { expect, test, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { openFresh } from './helpers';

const SHOTS = 'test-results/screenshots';
const langs = ['en', 'zh-CN'] as const;
type Lang = (typeof langs)[number];
const words = {
  en: { run: 'Run', graph: 'Graph', step: 'Step ▶', start: '« Start', close: 'Close' },
  'zh-CN': { run: '运行', graph: '计算图', step: '下一步 ▶', start: '« 开头', close: '关闭' },
} as const;

const SQUARE_SUM = 'import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()\nprint(x.grad)\n';

async function open(page: Page, lang: Lang, size = { width: 1280, height: 800 }): Promise<string[]> {
  const errors = await openFresh(page, lang, 'gradlab.e2e.graph', size);
  await expect(page.locator('.gl-lesson')).toBeVisible();
  return errors;
}

function cell(page: Page, index: number): Locator {
  return page.locator(`article.gl-lesson .code-cell[data-cell-index="${index}"]`);
}

/** Replaces a cell's code, runs it and waits for the end; returns the cell. */
async function runCode(page: Page, lang: Lang, code: string, status: 'done' | 'error' = 'done'): Promise<Locator> {
  const target = cell(page, 0);
  await target.getByRole('textbox').fill(code);
  await target.getByRole('button', { name: words[lang].run, exact: true }).click();
  await expect(target).toHaveAttribute('data-status', status, { timeout: 30_000 });
  return target;
}

async function openGraph(page: Page, lang: Lang, target: Locator): Promise<Locator> {
  await target.getByRole('button', { name: words[lang].graph }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

for (const lang of langs) {
  test(`${lang}: the Graph button draws the graph the cell built, with x.grad, and steps through backward()`, async ({ page }) => {
    const errors = await open(page, lang);
    const target = await runCode(page, lang, SQUARE_SUM);
    await expect(target.locator('.stdout')).toHaveText('tensor([2., 4., 6.])\n');
    const dialog = await openGraph(page, lang, target);
    const svg = dialog.locator('svg.graph-svg');
    await expect(svg).toBeVisible();
    const texts = await svg.locator('text').allTextContents();
    const all = texts.join('\n');
    expect(all).toContain('MulBackward0');
    expect(all).toContain('SumBackward0');
    expect(all).toContain('AccumulateGrad');
    // the leaf box: x, its values, and x.grad = [2, 4, 6] after backward()
    expect(texts).toContain('x.grad = [2, 4, 6]');
    expect(texts).toContain('x = [1, 2, 3]');
    // the two edges MulBackward0 -> AccumulateGrad carried [1, 2, 3] each (x * x: the other factor)
    expect(texts.filter((t) => t === '[1, 2, 3]').length).toBeGreaterThanOrEqual(2);

    // step through: before backward, x.grad is None; step 3 is AccumulateGrad adding 2 + 4 + 6
    await dialog.getByRole('button', { name: words[lang].start }).click();
    await expect(svg.locator('text', { hasText: 'x.grad = None' })).toHaveCount(1);
    const stepButton = dialog.getByRole('button', { name: words[lang].step });
    await stepButton.click();
    await expect(dialog.locator('.explain')).toContainText('SumBackward0');
    await expect(svg.locator('.box.current')).toContainText('SumBackward0');
    await stepButton.click();
    await expect(dialog.locator('.explain')).toContainText('MulBackward0');
    // x * x: the unnamed product is called mul₁ (its box says so); each input's gradient is the other factor
    await expect(svg.locator('.box.current')).toContainText('mul₁');
    await expect(dialog.locator('.explain')).toContainText('∂y/∂x = ∂y/∂mul₁ × x = [1, 1, 1] × [1, 2, 3] = [1, 2, 3]');
    await stepButton.click();
    await expect(dialog.locator('.explain')).toContainText('x.grad = ∂y/∂x = [2, 4, 6]');
    await expect(svg.locator('text', { hasText: 'x.grad = [2, 4, 6]' })).toHaveCount(1);
    await expect(stepButton).toBeDisabled();

    const results = await new AxeBuilder({ page }).include('dialog').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/graph-cell-${lang}-1280x800.png` });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(target.getByRole('button', { name: words[lang].graph })).toBeFocused();
    expect(errors).toEqual([]);
  });
}

test('lesson 2: a vector loss is drawn, and the graph says why backward() needs one number', async ({ page }) => {
  await open(page, 'en');
  const code = 'import torch\nx = torch.tensor([1.0, 2.0])\ny = torch.tensor([1.0, 2.0])\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nloss = (w * x - y) ** 2\nprint(loss)\nloss.backward()\n';
  const target = await runCode(page, 'en', code, 'error');
  const dialog = await openGraph(page, 'en', target);
  await expect(dialog.getByTestId('vector-root')).toContainText('loss holds 2 numbers');
  await expect(dialog.locator('svg text', { hasText: 'PowBackward0' })).toHaveCount(1);
  await expect(dialog.locator('svg text', { hasText: 'w.grad = None' })).toHaveCount(1);
});

test('detach() and no-gradient inputs are drawn cut off; a cell without a graph says so', async ({ page }) => {
  await open(page, 'en');
  let target = await runCode(page, 'en', 'import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\na = x.detach()\nz = (a * x).sum()\nz.backward()\n');
  let dialog = await openGraph(page, 'en', target);
  await expect(dialog.locator('.box.kind-none')).toHaveCount(1);
  await expect(dialog.locator('.box.kind-detached')).toContainText('a = [1, 2, 3]');
  await expect(dialog.locator('.link-label.kind-detach')).toContainText('detach()');
  await dialog.getByRole('button', { name: 'Close' }).click();
  target = await runCode(page, 'en', 'import torch\nprint(torch.tensor([1.0]) * 2)\n');
  dialog = await openGraph(page, 'en', target);
  await expect(dialog).toContainText('no tensor has requires_grad=True');
});

test('a big graph: zoom, pan with the keyboard, and a screenshot at 1920x1080', async ({ page }) => {
  await open(page, 'en', { width: 1920, height: 1080 });
  const target = await runCode(page, 'en', 'import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\nw = torch.tensor([0.5, -0.5], requires_grad=True)\nh = x\nfor i in range(30):\n    h = h * w + x\nloss = h.sum()\nloss.backward()\n');
  const dialog = await openGraph(page, 'en', target);
  const svg = dialog.locator('svg.graph-svg');
  await expect(svg.locator('.box')).not.toHaveCount(0);
  // far-away uses of x and w are drawn as references beside their user
  await expect(svg.locator('.box.kind-ref').first()).toBeVisible();
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/graph-big-en-1920x1080.png` });
  const before = await svg.getAttribute('viewBox');
  await svg.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowDown');
  expect(await svg.getAttribute('viewBox')).not.toBe(before);
  await page.keyboard.press('0');
  await page.screenshot({ path: `${SHOTS}/graph-big-all-en-1920x1080.png` });
});
