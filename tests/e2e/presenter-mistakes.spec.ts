// The deliberate mistakes in presenter mode: forgetting zero_grad, a 100× learning rate and a loss
// without mean, each with its effect on screen and its one-click fix, in both languages.
import { expect, test } from '@playwright/test';
import { watchErrors, openApp, enterPresenter, smallestText, showArithmetic, shoot } from './helpers/classroom';

test.describe('deliberate mistakes', () => {
  test('each switch shows its effect and its one-click fix works', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page);
    await enterPresenter(page);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('panel-mistakes').click();
    const caption = page.getByTestId('presenter-caption');
    const gradB = page.getByTestId('arith-grad-b');

    // 1. Forgetting zero_grad: the gradients chart is shown and the gradients pile up. Switching
    // the mistake on does not train by itself: the class sees the run start when Run is pressed.
    await page.getByTestId('mistake-noZeroGrad').click();
    await expect(caption).toHaveText('Ready: press Space to train');
    await expect(page.getByTestId('live-chart')).toHaveAttribute('data-series', '3');
    await page.getByTestId('presenter-run').click();
    await expect(page.getByTestId('live-chart').locator('[data-legend]')).toHaveAttribute('data-legend', 'w[0].grad | w[1].grad | b.grad');
    // The run goes wrong: after 100 epochs the loss is far above the lesson's 183.0799.
    await expect(caption).toHaveText('Finished · Epoch 100 · loss 4993.1631', { timeout: 20_000 });
    // At full speed the gradients chart still has every epoch (it shows how they pile up), not a
    // point per display frame.
    await expect(page.getByTestId('live-chart').locator('[data-points]')).toHaveAttribute('data-points', '100');
    // Epoch by epoch (→ starts a fresh run with the mistake still on): each gradient adds to the last.
    await page.keyboard.press('ArrowRight');
    await expect(caption).toHaveText(/Epoch 1 · loss 6642\.5000/);
    await showArithmetic(page);
    await expect(gradB).toHaveText('-131.0000');
    await page.keyboard.press('ArrowRight');
    await expect(caption).toHaveText(/Epoch 2 · /);
    await expect(gradB).toHaveText('-257.5600'); // -131 + -126.56
    await expect(page.getByTestId('arith-grad-w[0]')).toHaveText('-225.5500');
    await page.keyboard.press('ArrowRight');
    await expect(gradB).toHaveText('-375.4329');
    await expect(page.getByTestId('arith-check')).toHaveAttribute('data-checks', 'true');
    await shoot(page, 'zero-grad-1280x800');
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('fix-noZeroGrad').click();
    await expect(page.getByTestId('presenter-notice')).toHaveAttribute('data-kind', 'fixed');
    await expect(caption).toHaveText('Finished · Epoch 100 · loss 183.0799', { timeout: 20_000 });
    await expect(gradB).toHaveText('-13.0476');
    await expect(page.getByTestId('replay-toggle')).toBeVisible();

    // 2. Learning rate × 100: the loss runs to inf/nan and the message explains it.
    await page.getByTestId('chart-grads').click();
    await page.getByTestId('mistake-lrTimes100').click();
    await expect(caption).toHaveText('Ready: press Space to train');
    await page.keyboard.press('Space');
    const notice = page.getByTestId('presenter-notice');
    await expect(notice).toHaveAttribute('data-kind', 'diverged', { timeout: 20_000 });
    await expect(notice).toContainText(/The loss became (inf|nan) at epoch \d+\. With learning rate 1 /);
    await expect(notice).toContainText('Lower the learning rate');
    await expect(caption).toHaveText(/^Diverged/);
    await shoot(page, 'diverged-1280x800');
    await page.getByTestId('fix-lrTimes100').click();
    await expect(caption).toHaveText('Finished · Epoch 100 · loss 183.0799', { timeout: 20_000 });
    await expect(notice).toHaveAttribute('data-kind', 'fixed');

    // 3. A loss without mean: Python's traceback with PyTorch's RuntimeError, in the chart's place
    // (nothing trains beside it), then .mean() fixes it.
    await page.getByTestId('mistake-vectorLoss').click();
    const error = page.getByTestId('py-error');
    await expect(error).toContainText('RuntimeError: grad can be implicitly created only for scalar outputs', { timeout: 20_000 });
    await expect(error.locator('.traceback')).toHaveText(
      'Traceback (most recent call last):\n  File "lesson.py", line 8, in <module>\n    loss.backward()\nRuntimeError: grad can be implicitly created only for scalar outputs',
    );
    await expect(page.getByTestId('live-chart')).toHaveCount(0);
    await expect(caption).toHaveText('A loss without mean');
    // Run (Space) runs the program again; no training starts.
    await page.keyboard.press('Space');
    await expect(error).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('live-chart')).toHaveCount(0);
    await expect(page.getByTestId('py-output')).toContainText('tensor([0., 4.], grad_fn=<PowBackward0>)');
    await expect(page.locator('.program li.bad')).toHaveText('loss.backward()');
    await shoot(page, 'vector-loss-1280x800');
    await page.getByTestId('fix-vectorLoss').click();
    await expect(page.getByTestId('py-fixed')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('py-output')).toHaveText('tensor(2., grad_fn=<MeanBackward0>)\ntensor([0., 4.])\n');
    await expect(page.locator('.program li.changed')).toHaveText('loss = ((y_hat - y) ** 2).mean()');
    await expect(page.getByTestId('py-error')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('the divergence is explained in Chinese too', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await openApp(page, 'zh-CN');
    await enterPresenter(page);
    await page.getByTestId('presenter-speed').selectOption('max');
    await page.getByTestId('panel-mistakes').click();
    await page.getByTestId('mistake-lrTimes100').click();
    await page.getByTestId('presenter-run').click();
    const notice = page.getByTestId('presenter-notice');
    await expect(notice).toHaveAttribute('data-kind', 'diverged', { timeout: 20_000 });
    await expect(notice).toContainText(/第 \d+ 轮时损失变成了 (inf|nan)。学习率 1 太大/);
    await expect(notice).toContainText('把学习率调小（试试 0.1）');
    const smallest = await smallestText(page, '[data-testid="presenter"]');
    expect(smallest.size, `smallest text "${smallest.text}"`).toBeGreaterThanOrEqual(24);
    await shoot(page, 'diverged-zh-CN-1024x768');
    await page.getByTestId('fix-lrTimes100').click();
    await expect(page.getByTestId('presenter-caption')).toHaveText('训练完成 · 第 100 轮 · 损失 183.0799', { timeout: 20_000 });
  });
});
