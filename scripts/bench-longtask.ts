// `npm run bench:longtask`: the longest task on the window's main thread while it trains a
// 512x512 RGB frog pair (786,432 values), in Debian's Chromium against the built browser edition
// (run `npm run build:web` first). A task over 50 ms is a frame the user sees stall. Prints the
// longest tasks with their start after Run, the frames over 50 ms and the machine's load; with
// --profile it also samples the main thread with the CPU profiler and prints the functions that
// took most time inside those tasks; with --trace it records Chromium's trace and prints what each
// task over 50 ms on the window's main thread was made of (script, style, layout, paint, canvas,
// garbage collection, message handling: the trace events' self time); `--cpu-over=MS` lists every
// task that took more than MS of CPU as well, whatever its wall time (on a busy machine wall time
// mostly measures the other processes); `--profile=MS` keeps only the first MS after Run in the
// profile (the run-start tasks). Measured and printed, never asserted in a test.
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { openBuiltEdition } from './bench-browser';

const WATCH_MS = 8000;
const profile = process.argv.some((a) => a === '--profile' || a.startsWith('--profile='));
/** --profile=MS: only the first MS milliseconds after the profiler starts (just before Run). */
const profileMs = Number(process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length) ?? Infinity);
const trace = process.argv.includes('--trace');
/** With --trace, also list tasks that took more than this much CPU (ms), whatever their wall time. */
const cpuOverUs = Number(process.argv.find((a) => a.startsWith('--cpu-over='))?.slice('--cpu-over='.length) ?? Infinity) * 1000;
/** --autosave: also watch the loading of the images and the first autosave copy of them. */
const watchCopy = process.argv.includes('--autosave');
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 3);

interface Watch {
  tasks: { start: number; duration: number }[];
  frames: number[];
}

/**
 * Loads the bundled similar frogs at 512x512 in RGB (786,432 values each) as x and y. With
 * `watchCopy`, also returns the main-thread tasks over 50 ms from the click on "Use" until the
 * browser's copy of the session (autosave) holds the images: loading, drawing and the first copy.
 */
async function loadBigFrogs(page: Page, watchCopy = false): Promise<number[]> {
  const fold = page.getByTestId('fold-images');
  if (!(await fold.evaluate((details) => (details as HTMLDetailsElement).open))) await fold.locator('summary').click();
  await page.getByTestId('frogs-similar').click();
  await page.getByText('64 × 64 greyscale, 4,096 values each').waitFor();
  await page.getByLabel('Side (pixels)').fill('512');
  await page.getByLabel('Colours').selectOption('rgb');
  if (watchCopy) {
    await page.evaluate(() => {
      const state = { tasks: [] as number[], copies: 0 };
      (window as unknown as { __load: typeof state }).__load = state;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) state.tasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const record = args[0] as { text?: unknown } | null;
        if (typeof record?.text === 'string' && record.text.includes('"width": 512')) state.copies++;
        return put.apply(this, args);
      };
    });
  }
  await page.getByTestId('images-use').click();
  await page.getByText('512 × 512 RGB, 786,432 values each').waitFor({ timeout: 120_000 });
  let loadTasks: number[] = [];
  if (watchCopy) {
    await page.waitForFunction(() => (window as unknown as { __load: { copies: number } }).__load.copies > 0, null, { timeout: 120_000, polling: 100 });
    // the task that wrote the copy has ended by now; one more frame lets its long-task entry arrive
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    loadTasks = await page.evaluate(() => (window as unknown as { __load: { tasks: number[] } }).__load.tasks);
  }
  // Enough epochs that a quiet machine is still training when the watch ends and Stop is pressed.
  await page.getByLabel('Epochs', { exact: true }).fill('1000000');
  return loadTasks;
}

async function watchRun(page: Page, beforeRun: () => Promise<void>): Promise<Watch> {
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
  await beforeRun();
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
function hotFunctions(p: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 15, untilMs = Infinity): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let at = 0;
  p.samples.forEach((id, i) => {
    at += (p.timeDeltas[i] ?? 0) / 1000;
    if (at > untilMs) return;
    const frame = byId.get(id)!.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `    ${ms.toFixed(1).padStart(8)} ms  ${name}`);
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time inside the event (wall time minus the time the OS ran something else). */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string } };
}

/**
 * The renderer main thread's tasks over 50 ms in a Chromium trace, with the CPU time the thread
 * got during each (on a loaded machine far less than the wall time) and the trace events that took
 * it (self time: an event's CPU time minus that of the events nested in it), largest first.
 */
function longTraceTasks(events: TraceEvent[], top = 6): string[] {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return ['    (no renderer main thread in the trace)'];
  const slices = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const lines: string[] = [];
  const firstTs = slices[0]?.ts ?? 0;
  let mostCpu: TraceEvent | null = null;
  let totalCpu = 0;
  let i = 0;
  while (i < slices.length) {
    const task = slices[i];
    const end = task.ts + task.dur!;
    let j = i + 1;
    while (j < slices.length && slices[j].ts < end) j++;
    if ((task.tdur ?? 0) > (mostCpu?.tdur ?? 0)) mostCpu = task;
    totalCpu += task.tdur ?? 0;
    if (task.dur! > 50_000 || (task.tdur ?? 0) > cpuOverUs) {
      // self time per event name inside the task, from a stack of open events
      const self = new Map<string, number>(); // CPU (else wall) self time per event name, µs
      const stack: { event: TraceEvent; child: number }[] = [];
      const close = (until: number) => {
        while (stack.length && stack.at(-1)!.event.ts + stack.at(-1)!.event.dur! <= until) {
          const { event, child } = stack.pop()!;
          const label = event.name === 'FunctionCall' && event.args?.data?.functionName ? `FunctionCall ${event.args.data.functionName}` : event.name;
          // CPU time where the trace has it (a loaded machine stretches wall time, not CPU time)
          const spent = event.tdur ?? event.dur!;
          self.set(label, (self.get(label) ?? 0) + spent - child);
          if (stack.length) stack.at(-1)!.child += spent;
        }
      };
      for (let k = i; k < j; k++) {
        close(slices[k].ts);
        stack.push({ event: slices[k], child: 0 });
      }
      close(Infinity);
      const parts = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
      const cpu = task.tdur === undefined ? '' : ` (${(task.tdur / 1000).toFixed(0)} ms of CPU)`;
      lines.push(`    ${(task.dur! / 1000).toFixed(0)} ms task${cpu} at +${((task.ts - firstTs) / 1e6).toFixed(2)} s: ${parts.map(([name, us]) => `${name} ${(us / 1000).toFixed(0)}`).join(', ')}`);
    }
    i = j;
  }
  if (!lines.length) lines.push('    (no task over 50 ms in the trace)');
  if (mostCpu) lines.push(`    the task that took most CPU: ${(mostCpu.tdur! / 1000).toFixed(0)} ms of CPU in ${(mostCpu.dur! / 1000).toFixed(0)} ms at +${((mostCpu.ts - firstTs) / 1e6).toFixed(2)} s`);
  const span = slices.length ? (slices.at(-1)!.ts + slices.at(-1)!.dur! - firstTs) / 1e6 : 0;
  lines.push(`    the main thread's tasks used ${(totalCpu / 1000).toFixed(0)} ms of CPU in the ${span.toFixed(1)} s traced`);
  return lines;
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc', 'toplevel', 'disabled-by-default-v8.gc', 'v8'];

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
      // --autosave --trace: the trace covers the loading and the first copy instead of the run
      const traceLoad = watchCopy && trace;
      if (traceLoad) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const loadTasks = await loadBigFrogs(page, watchCopy);
      if (watchCopy) {
        const sorted = [...loadTasks].sort((a, b) => b - a);
        console.log(`  round ${round + 1}, loading the images until the first autosave copy holds them: longest task ${(sorted[0] ?? 0).toFixed(0)} ms; tasks over 50 ms: [${sorted.map((d) => d.toFixed(0)).join(', ')}]; load ${loadavg()[0].toFixed(1)}`);
      }
      if (traceLoad) {
        const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
        console.log('  loading and first copy: main-thread tasks over 50 ms (or --cpu-over) and what took their CPU time:');
        console.log(longTraceTasks(events).join('\n'));
      }
      const cdp = profile ? await context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      }
      if (trace && !traceLoad) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const watch = await watchRun(page, async () => {
        if (cdp) await cdp.send('Profiler.start');
      });
      const traced = trace && !traceLoad ? ((JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents) : null;
      const longest = [...watch.tasks].sort((a, b) => b.duration - a.duration);
      const slowFrames = watch.frames.filter((f) => f > 50).length;
      console.log(
        `  round ${round + 1}: longest task ${(longest[0]?.duration ?? 0).toFixed(0)} ms; ${watch.tasks.length} tasks over 50 ms ` +
          `[${longest.slice(0, 5).map((t) => `${t.duration.toFixed(0)} ms at +${(t.start / 1000).toFixed(2)} s`).join(', ')}]; ` +
          `worst frame ${Math.max(0, ...watch.frames).toFixed(0)} ms, ${slowFrames} of ${watch.frames.length} frames over 50 ms; ` +
          `load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
      );
      if (traced) {
        console.log('  tasks over 50 ms on the main thread in the trace, and what took their CPU time (ms, self time per trace event):');
        console.log(longTraceTasks(traced).join('\n'));
      }
      if (cdp) {
        const { profile: p } = await cdp.send('Profiler.stop');
        console.log('  main-thread self time by function:');
        console.log(hotFunctions(p as unknown as Parameters<typeof hotFunctions>[0], 25, profileMs).join('\n'));
      }
      await context.close();
    }
  } finally {
    await close();
  }
}

await main();
