// The landscape view's pure parts: which parameters it can show, their values in a recorded
// snapshot, the starting values a click sets, the map's geometry and colours, contour levels.
import type { ModelKind, ParamRef, TrainConfig } from '../../src-main/contract/messages';
import type { ParamSnapshot } from '../state/run-recording';
import { wAt } from '../state/run-recording';

export const GRID = 64;

export function paramName(ref: ParamRef, model: ModelKind): string {
  return ref.kind === 'b' ? 'b' : model === 'shared' ? 'w' : `w[${ref.index}]`;
}

/** A parameter's value in a recorded snapshot (NaN when that element was not recorded). */
export function valueIn(snapshot: ParamSnapshot, ref: ParamRef): number {
  return ref.kind === 'b' ? snapshot.b : wAt(snapshot, ref.index);
}

/** Where a run of `config` starts on the map of `params` (null when its starting w is not known before the run). */
export function startPoint(config: TrainConfig, params: readonly [ParamRef, ParamRef]): { p: number; q: number } | null {
  const data = landscapeData(config);
  if (!data) return null;
  const at = (ref: ParamRef) => (ref.kind === 'b' ? Math.fround(data.b) : data.w[data.model === 'shared' ? 0 : ref.index]);
  const p = at(params[0]);
  const q = at(params[1]);
  return p === undefined || q === undefined ? null : { p, q };
}

/**
 * Where a run of `config` starts and where its first update takes it, on the map of `params`
 * (plain gradient descent on the mean squared error; empty when the starting w is not known).
 * The map reaches both, so a first step that overshoots the valley is drawn on it.
 */
export function firstStep(config: TrainConfig, params: readonly [ParamRef, ParamRef]): { p: number; q: number }[] {
  const data = landscapeData(config);
  if (!data) return [];
  const { x, y, w, b } = data;
  const n = x.length;
  const shared = data.model === 'shared';
  const wGrad = new Float64Array(w.length);
  let bGrad = 0;
  for (let i = 0; i < n; i++) {
    const r = (shared ? w[0] : w[i]) * x[i] + b - y[i];
    bGrad += (2 * r) / n;
    wGrad[shared ? 0 : i] += (2 * r * x[i]) / n;
  }
  const lr = config.learningRate;
  const at = (ref: ParamRef, after: boolean) => {
    const k = shared ? 0 : ref.kind === 'w' ? ref.index : 0;
    return ref.kind === 'b' ? b - (after ? lr * bGrad : 0) : w[k] - (after ? lr * wGrad[k] : 0);
  };
  return [false, true].map((after) => ({ p: at(params[0], after), q: at(params[1], after) })).filter((pt) => Number.isFinite(pt.p) && Number.isFinite(pt.q));
}

/** The data and starting values of a config, as a landscape request's `data` (null: not known before the run, e.g. seeded random w). */
export function landscapeData(config: TrainConfig): { model: ModelKind; x: Float32Array; y: Float32Array; w: Float32Array; b: number } | null {
  const model = config.model ?? 'perValue';
  const x = Float32Array.from(config.x);
  const y = Float32Array.from(config.y);
  const count = model === 'shared' ? 1 : x.length;
  const init = config.initialW;
  let w: Float32Array;
  if (init.kind === 'values') w = Float32Array.from(init.values);
  else if (init.kind === 'ones' || init.kind === 'zeros') w = new Float32Array(count).fill(init.kind === 'ones' ? 1 : 0);
  else return null;
  if (w.length !== count) return null;
  return { model, x, y, w, b: config.initialB };
}

/** A starting value as the lab's fields take it: up to 4 decimals, no trailing zeros. */
export function startText(value: number): string {
  const text = String(Number(value.toFixed(4)));
  return text === '-0' ? '0' : text;
}

/** A coordinate with exactly four decimals (the minimum and the run's position). */
export function fixed4(value: number): string {
  const text = value.toFixed(4);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

export interface StartFields {
  model: ModelKind;
  wKind: 'values' | 'ones' | 'zeros' | 'random';
  wValuesText: string;
  bText: string;
}

/** Largest w written out as a list when a click changes one element of an all-ones/zeros w. */
const MAX_W_LIST = 1000;

/**
 * The fields after setting `ref` to `value`; null when w cannot be edited element by element here
 * (seeded random w, or too many values to write out).
 */
export function withStartValue(fields: StartFields, ref: ParamRef, value: number, n: number): Partial<StartFields> | null {
  if (ref.kind === 'b') return { bText: startText(value) };
  if (fields.model === 'shared') return { wKind: 'values', wValuesText: startText(value) };
  let values: string[];
  if (fields.wKind === 'values') values = fields.wValuesText.split(/[\s,，;]+/).filter((piece) => piece !== '');
  else if ((fields.wKind === 'ones' || fields.wKind === 'zeros') && n <= MAX_W_LIST) values = Array.from({ length: n }, () => (fields.wKind === 'ones' ? '1' : '0'));
  else return null;
  if (ref.index >= values.length) return null;
  values[ref.index] = startText(value);
  return { wKind: 'values', wValuesText: values.join(', ') };
}

/** Contour levels: spaced evenly in log(loss - min), so the bowl's floor and its walls both get lines. */
export function contourLevels(loss: Float32Array, count = 12): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of loss) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return [];
  const floor = (hi - lo) * 1e-4;
  const levels: number[] = [];
  for (let k = 1; k <= count; k++) levels.push(lo + floor * ((hi - lo) / floor) ** (k / (count + 1)));
  return levels;
}

// a viridis-like ramp: dark (low loss) to bright (high loss)
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** RGBA pixels of the grid (row 0 at the top = the highest q), coloured by log of the loss above its minimum. */
export function heatmapPixels(loss: Float32Array, size: number): Uint8ClampedArray<ArrayBuffer> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of loss) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const floor = Math.max((hi - lo) * 1e-4, 1e-30);
  const span = Math.log((hi - lo + floor) / floor) || 1;
  const out = new Uint8ClampedArray(size * size * 4);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = loss[r * size + c];
      const t = Math.min(1, Math.max(0, Math.log((v - lo + floor) / floor) / span));
      const x = t * (RAMP.length - 1);
      const i = Math.min(RAMP.length - 2, Math.floor(x));
      const f = x - i;
      const at = ((size - 1 - r) * size + c) * 4;
      for (let ch = 0; ch < 3; ch++) out[at + ch] = RAMP[i][ch] + (RAMP[i + 1][ch] - RAMP[i][ch]) * f;
      out[at + 3] = 255;
    }
  }
  return out;
}
