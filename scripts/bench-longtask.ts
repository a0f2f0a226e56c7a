// `npm run bench:longtask`: the longest task on the window's main thread while it trains a
// 512x512 RGB frog pair (786,432 values), in Debian's Chromium against the built browser edition
// (run `npm run build:web` first). A task over 50 ms is a frame the user sees stall. Prints the
// longest tasks with their start after Run, the frames over 50 ms and the machine's load; with
// --profile it also samples the main thread with the CPU profiler and prints the functions that
// took most time inside those tasks. Measured and printed, never asserted in a test.
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { openBuiltEdition } from './bench-browser';

const WATCH_MS = 8000;
const profile = process.argv.includes('--profile');
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 3);

interface Watch {
  tasks: { start: number; duration: number }[];
  frames: number[];
}

/** Loads the bundled similar frogs at 512x512 in RGB (786,432 values each) as x and y. */
async function loadBigFrogs(page: Page): Promise<void> {
  const fold = page.getByTestId('fold-images');
  if (!(await fold.evaluate((details) => (details as HTMLDetailsElement).open))) await fold.locator('summary').click();
  await page.getByTestId('frogs-similar').click();
  await page.getByText('64 × 64 greyscale, 4,096 values each').waitFor();
  await page.getByLabel('Side (pixels)').fill('512');
  await page.getByLabel('Colours').selectOption('rgb');
  await page.getByTestId('images-use').click();
  await page.getByText('512 × 512 RGB, 786,432 values each').waitFor({ timeout: 120_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('5000');
}

async function watchRun(page: Page): Promise<Watch> {
  await page.evaluate(() => {
    const state = { tasks: [] as { start: number; duration: number }[], frames: [] as number[], t0: 0, running: true };
    (window as unknown as { __watch: typeof state }).__watch = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.tasks.push({ start: entry.startTime - state.t0, duration: entry.duration });
    }).observe({ type: 'longtask' });
    let last = 0;
    const tick = (time: number) => {
      if (last) state.frames.push(time - last);
      last = time;
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    state.t0 = performance.now();
  });
  await page.getByTestId('run-button').click();
  await page.waitForTimeout(WATCH_MS);
  const watch = await page.evaluate(() => {
    const state = (window as unknown as { __watch: Watch & { running: boolean } }).__watch;
    state.running = false;
    return { tasks: state.tasks, frames: state.frames };
  });
  await page.getByTestId('stop-button').click();
  return watch;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function over the profile's samples, largest first. */
function hotFunctions(p: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 15): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `    ${ms.toFixed(1).padStart(8)} ms  ${name}`);
}

async function main(): Promise<void> {
  const { origin, browser, close } = await openBuiltEdition();
  try {
    console.log(`Main-thread tasks while training 512x512 RGB frogs (786,432 values), first ${WATCH_MS / 1000} s after Run, 1280x800:`);
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(() => localStorage.setItem('gradlab.lang', 'en'));
      // tsx keeps function names with a __name helper that the page does not have
      await page.addInitScript('globalThis.__name = (f) => f');
      await page.goto(origin);
      await loadBigFrogs(page);
      const cdp = profile ? await context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const watch = await watchRun(page);
      const longest = [...watch.tasks].sort((a, b) => b.duration - a.duration);
      const slowFrames = watch.frames.filter((f) => f > 50).length;
      console.log(
        `  round ${round + 1}: longest task ${(longest[0]?.duration ?? 0).toFixed(0)} ms; ${watch.tasks.length} tasks over 50 ms ` +
          `[${longest.slice(0, 5).map((t) => `${t.duration.toFixed(0)} ms at +${(t.start / 1000).toFixed(2)} s`).join(', ')}]; ` +
          `worst frame ${Math.max(0, ...watch.frames).toFixed(0)} ms, ${slowFrames} of ${watch.frames.length} frames over 50 ms; ` +
          `load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
      );
      if (cdp) {
        const { profile: p } = await cdp.send('Profiler.stop');
        console.log('  main-thread self time by function:');
        console.log(hotFunctions(p as unknown as Parameters<typeof hotFunctions>[0]).join('\n'));
      }
      await context.close();
    }
  } finally {
    await close();
  }
}

await main();
