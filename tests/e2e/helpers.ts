// Shared by the end-to-end specs: open the browser edition in English and collect page errors.
import { expect, type Page } from '@playwright/test';

/** Opens the app with English chosen and returns the list that page errors and console errors land in. */
export async function openEnglish(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    try {
      localStorage.setItem('gradlab.lang', 'en');
    } catch {
      // storage unavailable: the app follows the browser language (en-US here)
    }
  });
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('GradLab');
  return errors;
}

/** Opens one of the lab's folding sections (Data, Starting values, Frog images, Numbers from a file) unless it is open. */
export async function openLabSection(page: Page, section: 'data' | 'start' | 'images' | 'numbers'): Promise<void> {
  const fold = page.getByTestId(`fold-${section}`);
  if (!(await fold.evaluate((details) => (details as HTMLDetailsElement).open))) await fold.locator('summary').click();
  await expect(fold).toHaveAttribute('open', '');
}
