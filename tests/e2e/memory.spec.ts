// A learner's program that would exhaust memory in the browser edition: a Web Worker cannot
// measure its heap, and one that runs out takes Chromium's whole tab down, so the runner's
// budget estimates what the program holds (python/memory-estimate.ts) and raises MemoryError in
// time. The cell shows Python's MemoryError, the page lives on, and the next program runs.
import { expect, test, type Locator, type Page } from '@playwright/test';

const run = { en: 'Run', 'zh-CN': '运行' } as const;

async function openFirstLesson(page: Page, lang: 'en' | 'zh-CN'): Promise<Locator> {
  await page.addInitScript((value) => {
    localStorage.clear();
    localStorage.setItem('gradlab.lang', value);
  }, lang);
  await page.goto('/');
  await page.locator('.lesson-link').first().click();
  const cell = page.locator('article.gl-lesson .code-cell[data-cell-index="0"]');
  await expect(cell).toBeVisible();
  return cell;
}

async function runCode(cell: Locator, lang: 'en' | 'zh-CN', source: string): Promise<void> {
  await cell.getByRole('textbox').fill(source);
  await cell.getByRole('button', { name: run[lang] }).click();
}

for (const lang of ['en', 'zh-CN'] as const) {
  test(`${lang}: a program that keeps growing a list ends in MemoryError; the tab and the next program live on`, async ({ page }) => {
    test.setTimeout(240_000);
    const crashed: string[] = [];
    page.on('crash', () => crashed.push('the tab crashed'));
    const cell = await openFirstLesson(page, lang);
    await runCode(cell, lang, 'print("growing")\nrows = []\nwhile True:\n    rows.append([0.5] * 10000)\n');
    await expect(cell).toHaveAttribute('data-status', 'error', { timeout: 120_000 });
    await expect(cell.locator('.stdout')).toHaveText('growing\n');
    await expect(cell).toContainText('MemoryError');

    await runCode(cell, lang, 'import torch\na = torch.ones(50000)\nb = a.reshape(1, 50000) * a.reshape(50000, 1)\n');
    await expect(cell).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
    await expect(cell).toContainText('MemoryError');

    await runCode(cell, lang, 'import torch\nprint(torch.ones(3).sum())\n');
    await expect(cell).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    await expect(cell.locator('.stdout')).toHaveText('tensor(3.)\n');
    expect(crashed).toEqual([]);
  });
}
