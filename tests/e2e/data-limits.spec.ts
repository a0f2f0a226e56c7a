// Data files at the limits, in the browser edition: a big file is parsed in a Web Worker and
// loads; JSON nested thousands deep and a CSV with more lines than values can be trained on are
// refused with their message in both languages, and the learner's data stays as it was.
import { expect, test, type Page } from '@playwright/test';
import { openEnglish } from './helpers';

async function loadLessonExample(page: Page): Promise<void> {
  await page.getByTestId('preset-select').selectOption('lesson-example');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('21');
}

test('a 1 MB CSV is read off the page thread and loads', async ({ page }) => {
  const errors = await openEnglish(page);
  await loadLessonExample(page);
  const rows = 60_000;
  const csv = Array.from({ length: rows }, (_, i) => `${i},${(i * 0.5).toFixed(1)}`).join('\n');
  expect(csv.length).toBeGreaterThan(256 * 1024); // above the size that goes to the worker
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.getByLabel('Choose a data file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('data-file-loaded')).toContainText(`x and y with ${rows.toLocaleString('en')} values each`);
  expect(workers.some((url) => url.includes('numbers-worker'))).toBe(true);
  expect(errors).toEqual([]);
});

test('JSON nested 2,279 deep and a CSV of 16.7 million lines are refused in both languages; nothing changes', async ({ page }) => {
  test.setTimeout(180_000); // a 34 MB file crosses into the page first
  const errors = await openEnglish(page);
  await loadLessonExample(page);
  const error = page.getByTestId('data-file-error');
  await page.getByLabel('Choose a data file').setInputFiles({ name: 'deep.json', mimeType: 'application/json', buffer: Buffer.from('['.repeat(2279)) });
  await expect(error).toContainText('deep.json, line 1, column 33: the lists are nested more than 32 levels deep.');
  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(error).toContainText('deep.json，第 1 行第 33 列：列表嵌套超过了 32 层。');

  const lines = Buffer.from('1\n'.repeat(16_777_218));
  await page.getByLabel('选择数据文件').setInputFiles({ name: 'lines.csv', mimeType: 'text/csv', buffer: lines });
  await expect(error).toContainText('lines.csv 里的数超过了 16,777,216 个；GradLab 最多只能训练 16,777,216 个数。', { timeout: 60_000 });
  await expect(page.locator('[data-cell="x-0"]')).toHaveValue('1');
  await expect(page.locator('[data-cell="y-1"]')).toHaveValue('21');
  expect(errors).toEqual([]);
});
