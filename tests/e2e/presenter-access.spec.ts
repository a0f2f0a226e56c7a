// Presenter mode for assistive technology and the keyboard: axe finds no serious or critical
// problem on any panel, the focus stays inside presenter mode and returns where it was after Esc.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openApp, enterPresenter } from './helpers/classroom';

test.describe('presenter mode for assistive technology', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`axe finds no serious or critical problem on any panel (${lang})`, async ({ page }) => {
      await openApp(page, lang);
      await enterPresenter(page);
      await page.getByTestId('presenter-speed').selectOption('max');
      await page.keyboard.press('ArrowRight');
      await expect(page.getByTestId('arith-after-w[0]')).toBeVisible();
      const findings: string[] = [];
      for (const panel of ['lesson', 'mistakes', 'compare'] as const) {
        await page.getByTestId(`panel-${panel}`).click();
        const results = await new AxeBuilder({ page }).include('[data-testid="presenter"]').analyze();
        for (const v of results.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') findings.push(`${panel}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
        }
      }
      expect(findings).toEqual([]);
    });
  }
});

test.describe('presenter mode keeps the focus', () => {
  test('Tab and Shift+Tab stay inside presenter mode, the page behind is inert, and Esc gives the focus back', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page);
    const opener = page.getByRole('button', { name: /Presenter mode/ });
    await opener.focus();
    await page.keyboard.press('Enter');
    const presenter = page.getByTestId('presenter');
    await expect(presenter).toBeVisible();
    const inside = () => page.evaluate(() => document.querySelector('[data-testid="presenter"]')!.contains(document.activeElement));
    // Round and round: every stop is inside, and Tab comes back to where it started.
    const stops: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
      stops.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent?.trim() ?? ''));
    }
    const cycle = stops.indexOf(stops[0], 1);
    expect(cycle).toBeGreaterThan(5);
    expect(stops.slice(cycle, cycle + 5)).toEqual(stops.slice(0, 5));
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    // The app behind cannot be reached (inert), even by a click.
    expect(await page.evaluate(() => (document.querySelector('main#lab-pane, #lab-pane') as HTMLElement | null)?.closest('[inert]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await expect(presenter).toHaveCount(0);
    await expect(opener).toBeFocused();
    expect(await page.evaluate(() => document.querySelectorAll('[inert]').length)).toBe(0);

    // F5 from a field in the lab: Esc puts the focus back into that field.
    const field = page.getByTestId('lr-field');
    await field.focus();
    await page.keyboard.press('F5');
    await expect(presenter).toBeVisible();
    expect(await inside()).toBe(true);
    await page.keyboard.press('Escape');
    await expect(field).toBeFocused();
  });
});
