// `npm run bench:fps`: the window's frame rate while it trains, in Debian's Chromium against the
// built browser edition (run `npm run build:web` first). Two runs: 786,432 values (a 512x512 RGB
// image's worth, w shown as a summary) and a 10-million-epoch run of the lesson's example. For
// each it prints frames per second over 5 s, the 95th-percentile and worst frame, the epochs
// done, and the machine's load (a busy machine makes every number worse). Measured here and
// printed, never asserted in a test.
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { openBuiltEdition } from './bench-browser';

const MEASURE_MS = 5000;

/** requestAnimationFrame timings over `ms` milliseconds in the page. */
function measureFrames(page: Page, ms: number) {
  return page.evaluate(
    (duration) =>
      new Promise<{ frames: number; seconds: number; worstMs: number; p95Ms: number }>((resolve) => {
        const stamps: number[] = [];
        const tick = (time: number) => {
          stamps.push(time);
          if (time - stamps[0] < duration) requestAnimationFrame(tick);
          else {
            const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
            resolve({ frames: gaps.length, seconds: (stamps[stamps.length - 1] - stamps[0]) / 1000, worstMs: gaps[gaps.length - 1], p95Ms: gaps[Math.floor(gaps.length * 0.95)] });
          }
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

const epochOf = async (page: Page) => Number((await page.getByTestId('stat-epoch').textContent())!.replace(/,/g, ''));

async function waitForEpoch(page: Page, above: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await epochOf(page)) <= above) {
    if (Date.now() > deadline) throw new Error(`the run did not pass epoch ${above} within 2 minutes`);
    await page.waitForTimeout(200);
  }
}

async function run(page: Page, origin: string, label: string, setUp: (page: Page) => Promise<void>): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('gradlab.lang', 'en'));
  // tsx keeps function names with a __name helper that the page does not have
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto(origin);
  await setUp(page);
  await page.getByTestId('run-button').click();
  await waitForEpoch(page, 2);
  const before = await epochOf(page);
  const frames = await measureFrames(page, MEASURE_MS);
  const epochs = (await epochOf(page)) - before;
  await page.getByTestId('stop-button').click();
  const fps = frames.frames / frames.seconds;
  console.log(
    `  ${label.padEnd(28)} ${fps.toFixed(1).padStart(5)} fps over ${frames.seconds.toFixed(1)} s ` +
      `(p95 frame ${frames.p95Ms.toFixed(1)} ms, worst ${frames.worstMs.toFixed(1)} ms); ${epochs.toLocaleString('en')} epochs meanwhile; ` +
      `load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
  );
}

async function main(): Promise<void> {
  const { origin, browser, close } = await openBuiltEdition();
  try {
    console.log(`Frame rate while training (browser edition, headless Chromium, 1280x800, ${MEASURE_MS / 1000} s each):`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await run(await context.newPage(), origin, '786,432 values', async (page) => {
      await page.getByTestId('preset-select').selectOption('noisy-line');
      await page.getByLabel('Points for the noisy line').fill('786432');
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await page.getByText('Rows 1–50 of 786,432').waitFor();
      await page.getByLabel('Epochs', { exact: true }).fill('100000');
    });
    await run(await context.newPage(), origin, '10,000,000 epochs, 2 values', async (page) => {
      await page.getByTestId('preset-select').selectOption('lesson-example');
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await page.getByLabel('Learning rate', { exact: true }).fill('0.001');
      await page.getByLabel('Epochs', { exact: true }).fill('10000000');
    });
  } finally {
    await close();
  }
}

await main();
