// The audience tab (browser edition, BroadcastChannel): charts only, following the presenter,
// blank with it, in projector type.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { openApp, enterPresenter, smallestText, SHOTS } from './helpers/classroom';

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
