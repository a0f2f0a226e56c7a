// chart.js with only the pieces GradLab draws, and one requestAnimationFrame batch for every
// chart redraw: however many updates arrive in a frame, each chart redraws at most once. A frame
// spends at most FRAME_BUDGET_MS on charts; charts left over draw first in the next frame, so on a
// slow machine the charts take turns instead of dragging the whole window below 60 fps.
import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Title } from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Title, zoomPlugin);

export { Chart };

const pending = new Map<object, () => void>();
let frame = 0;

const FRAME_BUDGET_MS = 6;

function flush(): void {
  frame = 0;
  const started = performance.now();
  // Map order is insertion order and a drawn chart re-enters at the end: charts take turns.
  for (const [owner, job] of pending) {
    pending.delete(owner);
    job();
    if (performance.now() - started > FRAME_BUDGET_MS) break;
  }
  if (pending.size) frame = requestAnimationFrame(flush);
}

/** Runs `draw` in the next animation frame; a later request for the same owner replaces an earlier one. */
export function scheduleDraw(owner: object, draw: () => void): void {
  pending.set(owner, draw);
  if (!frame) frame = requestAnimationFrame(flush);
}

export function cancelDraw(owner: object): void {
  pending.delete(owner);
}

export interface ChartColors {
  /** Tick labels and axis titles. */
  text: string;
  /** Chart titles (the body text colour). */
  title: string;
  grid: string;
  series: string[];
}

/** Colours from the active theme's CSS variables (read from the element so overrides apply). */
export function themeColors(element: Element): ChartColors {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text-muted', '#555'),
    title: read('--text', '#111'),
    grid: read('--chart-grid', '#ddd'),
    series: [1, 2, 3, 4, 5, 6].map((i) => read(`--series-${i}`, '#36c')),
  };
}
