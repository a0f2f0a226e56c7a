// Presenter mode trains the lab's data when asked (the frogs with their pictures, the same numbers
// as the lab) and offers it only while it is valid.
import { expect, test } from '@playwright/test';
import { openLabSection } from './helpers';
import { watchErrors, openApp, enterPresenter, smallestText, shoot } from './helpers/classroom';

test.describe('presenter mode with the lab\'s data', () => {
  test("presents the lab's data: the frogs train in presenter mode with their pictures, the same numbers as the lab", async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto('/');
    await page.getByRole('button', { name: /English/ }).first().click();
    await openLabSection(page, 'images');
    await page.getByRole('button', { name: 'Similar frogs' }).click();
    await expect(page.getByTestId('image-loaded')).toContainText('4,096 values each');
    // The lab's own run of the frogs, for comparison.
    await page.getByLabel('Epochs', { exact: true }).fill('300');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
    const labLoss = /loss = (\S+)/.exec((await page.getByTestId('stat-loss').textContent()) ?? '')![1];

    await enterPresenter(page);
    const data = page.getByTestId('presenter-data');
    await expect(data).toHaveValue('example');
    await expect(page.getByTestId('chart-images')).toHaveCount(0); // the worked example is no image
    await expect(data.locator('option[value="lab"]')).toHaveText("The lab's data (4,096 values)");
    await data.selectOption('lab');
    await expect(page.getByTestId('chart-images')).toBeVisible();
    // One epoch by hand: the arithmetic uses frog pixels, not the worked example.
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Paused · Epoch 1 · loss /);
    await expect(page.getByTestId('presenter-caption')).not.toHaveText(/6642\.5/);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('presenter-caption')).toHaveText(`Finished · Epoch 300 · loss ${labLoss}`, { timeout: 30_000 });

    await page.getByTestId('chart-images').click();
    const frogs = page.getByTestId('live-images');
    // The pictures are the last epoch's (the caption above says the epoch; the summary the error).
    await expect(frogs.getByTestId('frog-summary')).toHaveAttribute('data-epoch', '300');
    await expect(frogs.getByTestId('frog-summary')).toContainText('per pixel on average');
    // The prediction is drawn (not blank) and close to frog A after training.
    const pixels = (testId: string) =>
      frogs.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data));
    const [target, prediction] = [await pixels('frog-a'), await pixels('frog-prediction')];
    expect(prediction.some((v, i) => i % 4 !== 3 && v !== 255)).toBe(true);
    const meanDifference = target.reduce((sum, v, i) => sum + Math.abs(v - prediction[i]), 0) / target.length;
    expect(meanDifference).toBeLessThan(20);
    const smallest = await smallestText(page, '[data-testid="presenter"]');
    expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
    await shoot(page, 'lab-frogs-1024x768');

    // Back to the worked example: no pictures, the lesson's numbers.
    await data.selectOption('example');
    await expect(page.getByTestId('chart-images')).toHaveCount(0);
    await expect(page.getByTestId('live-chart')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('presenter-caption')).toHaveText(/Paused · Epoch 1 · loss 6642\.5000/);
    expect(errors).toEqual([]);
  });

  test("offers the lab's data only while it is valid, and says so in Chinese too", async ({ page }) => {
    const errors = watchErrors(page);
    await openApp(page, 'zh-CN');
    await page.locator('[data-cell="x-0"]').fill('abc');
    await enterPresenter(page);
    const data = page.getByTestId('presenter-data');
    await expect(data.locator('option[value="lab"]')).toBeDisabled();
    await expect(data.locator('option[value="lab"]')).toHaveText('实验区的数据（还没有：请先在实验区输入或载入数据）');
    await expect(data.locator('option[value="example"]')).toHaveText('课程示例（2 个值）');
    await page.keyboard.press('Escape');
    await page.locator('[data-cell="x-0"]').fill('3');
    await enterPresenter(page);
    await expect(data.locator('option[value="lab"]')).toBeEnabled();
    await data.selectOption('lab');
    await page.keyboard.press('ArrowRight');
    // x = [3, 2] now: the first loss is ((3 - 115)^2 + (4 - 21)^2) / 2 = 6416.5
    await expect(page.getByTestId('presenter-caption')).toHaveText(/第 1 轮 · 损失 6416\.5000/);
    expect(errors).toEqual([]);
  });
});
