// Presenter mode's compare panel: learning rates overlaid in one chart with a legend, log scale,
// at most four runs; a diverged run neither flattens the others nor repeats tick labels.
import { expect, test } from '@playwright/test';
import { watchErrors, openApp, enterPresenter, shoot, openCompare } from './helpers/classroom';

test.describe('compare with a run that diverges', () => {
  test('the diverged run does not flatten the others, and no tick label repeats', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openApp(page);
    await enterPresenter(page);
    await openCompare(page, ['0.01', '0.1', '1']);
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

test.describe('compare', () => {
  test('three learning rates overlaid in one chart with a legend; log scale; at most four', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openApp(page);
    await enterPresenter(page);
    await openCompare(page, ['0.001', '0.01', '0.1']);
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
});
