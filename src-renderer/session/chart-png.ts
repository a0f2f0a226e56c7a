// Charts as PNG files. The charts component is not ours to change, so this finds a chart's canvas
// by its data-chart id (SeriesChart renders <section data-chart={id}>) and asks chart.js for the
// image (toBase64Image), painted on the page's surface colour so it is readable outside the app.
import { Chart } from 'chart.js';

/** The chart ids LabCharts renders. */
export const LAB_CHART_IDS = ['loss', 'weights', 'grads'] as const;

/** The chart's canvas, or null when it is not on screen (e.g. shown as a table). */
export function findChartCanvas(chartId: string, root: ParentNode = document): HTMLCanvasElement | null {
  return root.querySelector<HTMLCanvasElement>(`[data-chart="${CSS.escape(chartId)}"] canvas`);
}

/** A PNG of the chart on an opaque background; null when the chart is not on screen. */
export async function chartPngBlob(chartId: string, root: ParentNode = document): Promise<Blob | null> {
  const canvas = findChartCanvas(chartId, root);
  if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
  const chart = Chart.getChart(canvas);
  const source = new Image();
  source.src = chart ? chart.toBase64Image('image/png', 1) : canvas.toDataURL('image/png');
  await source.decode();
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const context = out.getContext('2d');
  if (!context) return null;
  const surface = getComputedStyle(canvas).getPropertyValue('--surface').trim() || '#ffffff';
  context.fillStyle = surface;
  context.fillRect(0, 0, out.width, out.height);
  context.drawImage(source, 0, 0);
  return new Promise((resolve) => out.toBlob((blob) => resolve(blob), 'image/png'));
}
