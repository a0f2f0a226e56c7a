// Charts as PNG files, drawn off screen at a fixed size from the run's data (not copied from the
// canvas on screen, which may be hidden behind a tab, scrolled away or not drawn yet): a title, both
// axis titles, a legend for several lines, in the light theme's colours on white, so the picture
// reads the same in a report whatever the window looked like.
import type { ChartConfiguration } from 'chart.js';
import { decimateMinMax } from '../lib/decimate';
import { axisValue, compactEpoch } from './axis-format';
import { markerPlugin, setMarkers, type ChartMarker } from './markers';
import { Chart, themeColors, type ChartColors } from './setup';
import type { Series } from './types';

export const EXPORT_WIDTH = 1200;
export const EXPORT_HEIGHT = 675;

export interface ChartPicture {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  logScale?: boolean;
  /** Epochs where a setting changed, marked as on screen. */
  markers?: ChartMarker[];
}

/** The light theme's chart colours, read from the stylesheet (so they follow app.css). */
function lightColors(): ChartColors {
  const probe = document.createElement('div');
  probe.className = 'theme-root';
  probe.dataset.theme = 'light';
  probe.hidden = true;
  document.body.append(probe);
  try {
    return themeColors(probe);
  } finally {
    probe.remove();
  }
}

/** Draws the chart on a detached canvas of EXPORT_WIDTH x EXPORT_HEIGHT pixels (destroy it after use). */
export function drawChartPicture(picture: ChartPicture, colors: ChartColors = lightColors()): Chart<'line', { x: number; y: number }[]> {
  const canvas = document.createElement('canvas');
  canvas.width = EXPORT_WIDTH;
  canvas.height = EXPORT_HEIGHT;
  const keep = picture.logScale ? (y: number) => Number.isFinite(y) && y > 0 : Number.isFinite;
  const font = { family: 'system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif' };
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: {
      datasets: picture.series.map((s, i) => {
        const color = colors.series[i % colors.series.length];
        return { label: s.label, data: decimateMinMax(s.source, -Infinity, Infinity, EXPORT_WIDTH, keep), borderColor: color, backgroundColor: color, borderWidth: 2.5, pointRadius: 0, tension: 0 };
      }),
    },
    options: {
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      parsing: false,
      normalized: true,
      spanGaps: false,
      events: [],
      layout: { padding: { top: 16, right: 36, bottom: 12, left: 16 } },
      scales: {
        x: {
          type: 'linear',
          ticks: { precision: 0, maxTicksLimit: 9, maxRotation: 0, color: colors.text, font: { ...font, size: 16 }, callback: (value) => compactEpoch(Number(value)) },
          grid: { color: colors.grid },
          title: { display: true, text: picture.xLabel, color: colors.text, font: { ...font, size: 18 } },
        },
        y: {
          type: picture.logScale ? 'logarithmic' : 'linear',
          ticks: { maxTicksLimit: 8, color: colors.text, font: { ...font, size: 16 }, callback: (value) => axisValue(Number(value)) },
          grid: { color: colors.grid },
          title: { display: true, text: picture.yLabel, color: colors.text, font: { ...font, size: 18 } },
        },
      },
      plugins: {
        title: { display: true, text: picture.title, color: colors.title, font: { ...font, size: 24, weight: 'bold' }, padding: { bottom: 12 } },
        legend: { display: picture.series.length > 1, labels: { color: colors.text, font: { ...font, size: 16 }, boxWidth: 18, boxHeight: 3 } },
        tooltip: { enabled: false },
      },
    },
    plugins: [
      {
        // Exported pictures have an opaque white background, painted before everything else.
        id: 'background',
        beforeDraw(chart) {
          const { ctx } = chart;
          ctx.save();
          ctx.fillStyle = '#ffffff';
          ctx.fillRect(0, 0, chart.width, chart.height);
          ctx.restore();
        },
      },
      markerPlugin,
    ],
  };
  const chart = new Chart(canvas, config);
  setMarkers(chart, picture.markers ?? [], colors.text, '15px system-ui, sans-serif');
  chart.draw();
  return chart;
}

/** The chart as a PNG file. */
export async function chartPngBlob(picture: ChartPicture): Promise<Blob> {
  const chart = drawChartPicture(picture);
  try {
    return await new Promise<Blob>((resolve, reject) =>
      chart.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the chart as PNG.'))), 'image/png'),
    );
  } finally {
    chart.destroy();
  }
}
