// axe on the lab's main views in both languages: every fold open (data, starting values, frog
// images, numbers from a file), each tab of the views while a frog run is shown, a run brought
// back from a session with its Continue button, and the shortcuts overlay. No serious or critical
// finding is allowed in the window; the lesson pane is checked by lessons.spec.ts.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

type Lang = 'en' | 'zh-CN';

const WORDS = {
  en: { similarFrogs: 'Similar frogs', finished: 'Finished' },
  'zh-CN': { similarFrogs: '相似的青蛙', finished: '已完成' },
} as const;

async function openIn(page: Page, lang: Lang): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.addInitScript((value) => localStorage.setItem('gradlab.lang', value), lang);
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('GradLab');
  return errors;
}

async function openFold(page: Page, section: 'data' | 'start' | 'images' | 'numbers'): Promise<void> {
  const fold = page.getByTestId(`fold-${section}`);
  if (!(await fold.evaluate((details) => (details as HTMLDetailsElement).open))) await fold.locator('summary').click();
  await expect(fold).toHaveAttribute('open', '');
}

/** Serious and critical findings in the window outside the lesson pane, one line each. */
async function seriousFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).exclude('#lesson-pane').analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).slice(0, 4).join(' | ')}`);
}

for (const lang of ['en', 'zh-CN'] as const) {
  test(`axe finds no serious or critical problem in the lab's views (${lang})`, async ({ page }) => {
    // Several full-page analyses: minutes on a busy 2-core machine.
    test.setTimeout(240_000);
    const errors = await openIn(page, lang);
    const findings: string[] = [];
    const check = async (when: string) => findings.push(...(await seriousFindings(page)).map((f) => `${when}: ${f}`));

    for (const fold of ['data', 'start', 'images', 'numbers'] as const) await openFold(page, fold);
    await check('every fold open');

    await page.getByRole('button', { name: WORDS[lang].similarFrogs }).click();
    await expect(page.getByTestId('frog-panel')).toBeVisible();
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toContainText(WORDS[lang].finished, { timeout: 60_000 });
    for (const view of ['arithmetic', 'weights', 'grads', 'fit', 'graph'] as const) {
      await page.getByTestId(`view-tab-${view}`).click();
      await check(`frog run, ${view} view`);
    }

    // The run comes back from the browser's copy, ready to continue or start over.
    await page.reload();
    await expect(page.getByTestId('session-message')).toBeVisible();
    await expect(page.getByTestId('run-status')).toContainText(WORDS[lang].finished);
    await check('restored run');

    await page.keyboard.press('?');
    await expect(page.getByRole('dialog')).toBeVisible();
    await check('shortcuts overlay');

    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
  });
}
