// Presenter mode driven by a clicker's keys alone: F5 in and out (never a reload), PageDown/PageUp
// through a lesson and on to the next, → one epoch written out by hand, Space slow motion, B blank.
import { expect, test } from '@playwright/test';
import { watchErrors, openApp, enterPresenter, captionEpoch, shoot } from './helpers/classroom';

test.describe('presenter mode', () => {
  test('a lesson presented with the keys alone: F5, PageDown/PageUp, →, Space, B, Esc', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await openApp(page);
    // A marker that a page reload (the browser's own F5) would wipe.
    await page.evaluate(() => Object.assign(window, { classroomMarker: 'still here' }));
    await enterPresenter(page);

    const count = page.getByTestId('presenter-step-count');
    await expect(count).toHaveText(/^Step 1 of (\d+)$/);
    const total = Number(/of (\d+)/.exec((await count.textContent()) ?? '')![1]);
    expect(total).toBeGreaterThan(4);
    const content = page.getByTestId('presenter-step-content');
    const first = await content.textContent();
    await page.keyboard.press('PageDown');
    await expect(count).toHaveText(`Step 2 of ${total}`);
    await expect(content).not.toHaveText(first ?? '');
    await page.keyboard.press('PageDown');
    await expect(count).toHaveText(`Step 3 of ${total}`);
    await page.keyboard.press('PageUp');
    await expect(count).toHaveText(`Step 2 of ${total}`);
    // Through to the end; one more PageDown goes on to the next lesson, PageUp comes back.
    const title = page.getByTestId('presenter-title');
    await expect(title).toHaveText('The worked example: 100 and 2000 epochs');
    for (let i = 2; i < total; i++) await page.keyboard.press('PageDown');
    await expect(count).toHaveText(`Step ${total} of ${total}`);
    await page.keyboard.press('PageDown');
    await expect(title).toHaveText('Turning one frog into another');
    await expect(count).toHaveText(/^Step 1 of \d+$/);
    await page.keyboard.press('PageUp');
    await expect(title).toHaveText('The worked example: 100 and 2000 epochs');
    await expect(count).toHaveText(`Step ${total} of ${total}`);
    for (let i = 1; i < total; i++) await page.keyboard.press('PageUp');
    await expect(count).toHaveText(`Step 1 of ${total}`);
    await page.keyboard.press('PageDown');

    // → trains exactly one epoch: the lesson's first update, written out by hand.
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Paused · Epoch 1 · loss 6642\.5000/);
    await expect(page.getByTestId('arith-before-w[0]')).toHaveText('1.0000');
    await expect(page.getByTestId('arith-grad-w[0]')).toHaveText('-114.0000');
    await expect(page.getByTestId('arith-step-w[0]')).toHaveText('-1.1400');
    await expect(page.getByTestId('arith-after-w[0]')).toHaveText('2.1400');
    await expect(page.getByTestId('arith-grad-b')).toHaveText('-131.0000');
    await expect(page.getByTestId('arith-after-b')).toHaveText('1.3100');
    await expect(page.getByTestId('arith-prediction')).toHaveText('y_hat[0] = 2.1400 × 1 + 1.3100 = 3.4500 (y = 115)');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Epoch 2 · /);
    await expect(page.getByTestId('arith-before-w[0]')).toHaveText('2.1400');
    await expect(page.getByTestId('arith-check')).toHaveAttribute('data-checks', 'true');
    await expect(page.getByTestId('arith-check')).toHaveText('✓');

    // Space runs in slow motion (2 epochs per second by default), Space again pauses.
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/^Training/);
    await expect.poll(() => captionEpoch(page), { timeout: 8000 }).toBeGreaterThanOrEqual(4);
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/^Paused/);
    const paused = await captionEpoch(page);
    await page.waitForTimeout(1200);
    expect(await captionEpoch(page)).toBeLessThanOrEqual(paused + 1);
    const settled = await captionEpoch(page);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => captionEpoch(page)).toBe(settled + 1);
    // The arithmetic always shows the latest single update.
    await expect(page.getByTestId('arith-check')).toHaveAttribute('data-checks', 'true');

    // B blanks and unblanks the screen.
    await page.keyboard.press('b');
    await expect(page.getByTestId('presenter-blanked')).toBeVisible();
    await shoot(page, 'blank-1024x768');
    await page.keyboard.press('b');
    await expect(page.getByTestId('presenter-blanked')).toHaveCount(0);

    // Esc leaves presenter mode; F5 enters and leaves again.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('presenter')).toHaveCount(0);
    // The app's own Space / → shortcuts never fired underneath: the lab's run was never started.
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'idle');
    await page.keyboard.press('F5');
    await expect(page.getByTestId('presenter')).toBeVisible();
    await expect(page.getByTestId('presenter-step-count')).toHaveText(`Step 2 of ${total}`);
    await page.keyboard.press('F5');
    await expect(page.getByTestId('presenter')).toHaveCount(0);
    // F5 never reloaded the page.
    expect(await page.evaluate(() => (window as unknown as { classroomMarker?: string }).classroomMarker)).toBe('still here');
    expect(errors).toEqual([]);
  });
});
