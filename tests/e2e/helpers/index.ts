// Shared by the end-to-end specs: open the browser edition, collect page errors, open the lab's
// folding sections, count what a chart drew.
import { expect, type Page } from '@playwright/test';

/** Returns the list that the page's errors and console errors land in from now on. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** Opens the app with English chosen and returns the list that page errors and console errors land in. */
export async function openEnglish(page: Page): Promise<string[]> {
  const errors = watchErrors(page);
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

/**
 * Opens the app in `lang` with fresh storage at the first load of the test only (a reload keeps what
 * the test stored), at `size`; returns the list that page errors and console errors land in.
 */
export async function openFresh(page: Page, lang: 'en' | 'zh-CN', storageKey: string, size = { width: 1280, height: 800 }): Promise<string[]> {
  const errors = watchErrors(page);
  await page.setViewportSize(size);
  await page.addInitScript(
    ({ value, key }) => {
      if (!sessionStorage.getItem(key)) {
        localStorage.clear();
        localStorage.setItem('gradlab.lang', value);
        sessionStorage.setItem(key, '1');
      }
    },
    { value: lang, key: storageKey },
  );
  await page.goto('/');
  return errors;
}

/** Opens one of the lab's folding sections (Data, Starting values, Frog images, Numbers from a file) unless it is open. */
export async function openLabSection(page: Page, section: 'data' | 'start' | 'images' | 'numbers'): Promise<void> {
  const fold = page.getByTestId(`fold-${section}`);
  if (!(await fold.evaluate((details) => (details as HTMLDetailsElement).open))) await fold.locator('summary').click();
  await expect(fold).toHaveAttribute('open', '');
}

/** Non-background pixels drawn on a lab chart's canvas (`data-chart` = loss, weights, grads...). */
export async function drawnPixels(page: Page, chart: string): Promise<number> {
  return page.locator(`[data-chart="${chart}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) count++;
    return count;
  });
}
