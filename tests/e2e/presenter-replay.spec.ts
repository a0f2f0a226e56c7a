// Presenter mode's replay: a finished run scrubbed with the arrow keys and the slider.
import { expect, test } from '@playwright/test';
import { openApp, enterPresenter, showArithmetic } from './helpers/classroom';

test.describe('replay', () => {
  test('replay scrubs through a finished run with the arrow keys and the slider', async ({ page }) => {
    await openApp(page);
    await enterPresenter(page);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('presenter').focus();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText('Finished · Epoch 100 · loss 183.0799', { timeout: 20_000 });
    await page.getByTestId('replay-toggle').click();
    const position = page.getByTestId('replay-position');
    await expect(position).toHaveText('Epoch 100 of 100');
    await expect(page.getByTestId('replay-params')).toHaveText('w = [51.8260, -9.4314], b = 45.1103');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(position).toHaveText('Epoch 98 of 100');
    await page.keyboard.press('ArrowRight');
    await expect(position).toHaveText('Epoch 99 of 100');
    await page.keyboard.press('Home');
    await expect(position).toHaveText('Epoch 0 of 100');
    await expect(page.getByTestId('replay-params')).toHaveText('w = [1.0000, 2.0000], b = 0.0000');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText('Replay · Epoch 1 · loss 6642.5000');
    // The slider scrubs too.
    await page.getByTestId('replay-slider').fill('50');
    await expect(position).toHaveText('Epoch 50 of 100');
    await showArithmetic(page);
    await expect(page.getByTestId('arith-prediction')).toContainText(/y_hat\[0\] = -?\d+\.\d{4} × 1 \+ -?\d+\.\d{4} = -?\d+\.\d{4} \(y = 115\)/);
    await page.getByTestId('replay-toggle').click();
    await expect(page.getByTestId('presenter-caption')).toHaveText('Finished · Epoch 100 · loss 183.0799');
  });
});
