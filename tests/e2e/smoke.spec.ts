// The browser edition opens cleanly: GradLab, its six lessons, both languages, no page errors.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

test('opens with no page errors, shows GradLab and the lessons, switches language', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/');
  await expect(page).toHaveTitle(/GradLab/);
  await expect(page.getByRole('banner')).toContainText('GradLab');

  await page.getByRole('button', { name: /English/ }).first().click();
  const lessonNav = page.getByRole('navigation', { name: /lessons/i });
  await expect(lessonNav.getByRole('link').or(lessonNav.getByRole('button')).or(lessonNav.getByRole('tab'))).toHaveCount(6);
  await expect(lessonNav).toContainText(/linear regression/i);

  await page.getByRole('button', { name: /简体中文/ }).first().click();
  await expect(page.getByRole('navigation', { name: /课程/ })).toContainText('线性回归');

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/smoke-zh-CN-1280x800.png' });
  expect(errors).toEqual([]);
});
