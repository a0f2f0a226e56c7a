// Vertical marks on a chart at the epochs where the learning rate or the zero_grad setting changed
// while the run trained, each with a short label ("lr 0.001", "no zero_grad"), so a bend in the
// loss curve can be read against what caused it. A chart.js plugin shared by the live charts and
// the exported PNGs.
import type { Chart, Plugin } from 'chart.js';
import type { SettingChange } from '../../src-main/contract/messages';
import { fmtRateValue } from '../lib/format';

export interface ChartMarker {
  /** The epoch the change applied from. */
  x: number;
  label: string;
}

/** One marker per change: what changed compared with the setting before it. */
export function settingMarkers(start: { learningRate: number; skipZeroGrad: boolean } | null, changes: readonly SettingChange[], words: { zeroGradOff: string; zeroGradOn: string }): ChartMarker[] {
  if (!start) return [];
  let learningRate = start.learningRate;
  let skipZeroGrad = start.skipZeroGrad;
  const markers: ChartMarker[] = [];
  for (const change of changes) {
    const parts: string[] = [];
    if (change.learningRate !== learningRate) parts.push(`lr ${fmtRateValue(change.learningRate)}`);
    if (change.skipZeroGrad !== skipZeroGrad) parts.push(change.skipZeroGrad ? words.zeroGradOff : words.zeroGradOn);
    learningRate = change.learningRate;
    skipZeroGrad = change.skipZeroGrad;
    if (parts.length) markers.push({ x: change.fromEpoch, label: parts.join(', ') });
  }
  return markers;
}

const charts = new WeakMap<Chart, { markers: ChartMarker[]; color: string; font: string }>();

/** Sets what the plugin draws on `chart` (call before chart.update()). */
export function setMarkers(chart: Chart, markers: ChartMarker[], color: string, font = '12px system-ui, sans-serif'): void {
  charts.set(chart, { markers, color, font });
}

export const markerPlugin: Plugin = {
  id: 'gradlabMarkers',
  afterDatasetsDraw(chart) {
    const state = charts.get(chart);
    const x = chart.scales.x;
    // What was drawn, as "epoch@pixel" (the tests read it to find the line on the canvas).
    const drawn: string[] = [];
    chart.canvas.dataset.marks = '';
    if (!state || !x || state.markers.length === 0) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = state.color;
    ctx.fillStyle = state.color;
    ctx.font = state.font;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.textBaseline = 'top';
    const lineHeight = parseInt(state.font, 10) + 3 || 15;
    state.markers.forEach((marker, i) => {
      const px = x.getPixelForValue(marker.x);
      if (!Number.isFinite(px) || px < chartArea.left || px > chartArea.right) return;
      drawn.push(`${marker.x}@${Math.round(px)}`);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      // The label on the side with more room, just inside the plot.
      const width = ctx.measureText(marker.label).width;
      const right = px + 4 + width <= chartArea.right;
      ctx.textAlign = right ? 'left' : 'right';
      // Labels of changes close together take turns on three rows.
      ctx.fillText(marker.label, right ? px + 4 : px - 4, chartArea.top + 2 + (i % 3) * lineHeight);
    });
    ctx.restore();
    chart.canvas.dataset.marks = drawn.join(' ');
  },
};
