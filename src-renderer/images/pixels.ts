// Pure pixel logic for the frog panel: the prediction as a displayable image (clipped), w as a
// heatmap, w worked out from the prediction when the trainer only sends a summary of a long w,
// and the numbers behind the text alternative. No DOM here, so it is unit tested in Node.
import type { ImageShape, InitialWeights, ParamView } from '../../src-main/contract/messages';
import { vectorToRgba, type ImageScale } from '../../src-main/data/image';

/** The largest value a pixel can show for a scale ("0..1" -> 1, "0..255" -> 255). */
export function scaleMax(scale: ImageScale): number {
  return scale === '0..1' ? 1 : 255;
}

/** A value clipped to what a pixel can show; nan shows as black (0). */
export function clipPixel(value: number, scale: ImageScale): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(0, Math.min(scaleMax(scale), value));
}

/** A vector (image or prediction w*x + b) as RGBA bytes for a canvas, clipped to the scale's range. */
export function vectorImageRgba(values: ArrayLike<number>, shape: ImageShape, scale: ImageScale): Uint8ClampedArray {
  return vectorToRgba(values, shape, scale);
}

/** Grey for heatmap pixels whose weight cannot be known. */
export const UNKNOWN_RGB = [150, 150, 150] as const;

export interface Heatmap {
  rgba: Uint8ClampedArray;
  /** Smallest and largest per-pixel weight shown (channels averaged); null when none is known. */
  min: number | null;
  max: number | null;
  /** Pixels shown grey because their weight is unknown (nan). */
  unknown: number;
}

/**
 * w as a heatmap: white at `centre` (w = 1 keeps a pixel as it is), red above, blue below, the
 * colour's strength the distance from the centre relative to the largest one. RGB weights are
 * averaged per pixel; nan weights (unknown) are grey.
 */
export function heatmapRgba(w: ArrayLike<number>, shape: ImageShape, centre = 1): Heatmap {
  const { width, height, channels } = shape;
  const count = width * height;
  if (w.length !== count * channels) {
    throw new RangeError(`${w.length} weights do not match a ${width} × ${height} image with ${channels} channel(s).`);
  }
  const perPixel = new Float64Array(count);
  let spread = 0;
  let min = Infinity;
  let max = -Infinity;
  let unknown = 0;
  for (let i = 0; i < count; i++) {
    let sum = 0;
    let known = 0;
    for (let c = 0; c < channels; c++) {
      const value = w[i * channels + c];
      if (Number.isFinite(value)) {
        sum += value;
        known++;
      }
    }
    if (known === 0) {
      perPixel[i] = NaN;
      unknown++;
      continue;
    }
    const mean = sum / known;
    perPixel[i] = mean;
    min = Math.min(min, mean);
    max = Math.max(max, mean);
    spread = Math.max(spread, Math.abs(mean - centre));
  }
  const rgba = new Uint8ClampedArray(count * 4);
  for (let i = 0; i < count; i++) {
    const o = i * 4;
    rgba[o + 3] = 255;
    if (Number.isNaN(perPixel[i])) {
      rgba[o] = UNKNOWN_RGB[0];
      rgba[o + 1] = UNKNOWN_RGB[1];
      rgba[o + 2] = UNKNOWN_RGB[2];
      continue;
    }
    const t = spread > 0 ? (perPixel[i] - centre) / spread : 0;
    const fade = 255 * (1 - Math.abs(t));
    rgba[o] = t > 0 ? 255 : fade;
    rgba[o + 1] = fade;
    rgba[o + 2] = t < 0 ? 255 : fade;
  }
  return { rgba, min: unknown === count ? null : min, max: unknown === count ? null : max, unknown };
}

/**
 * w read back from the prediction: w_i = (y_hat_i - b) / x_i, with the b of the same update (the
 * worker sends the prediction of the w and b in that update). Where |x_i| is below `minX` the
 * division would magnify rounding into noise, so w_i is unknown (nan) — except where x_i is
 * exactly 0: the gradient of w_i is then 0 every epoch, so w_i is still its starting value when
 * that is known.
 */
export function weightsFromPrediction(
  prediction: ArrayLike<number>,
  x: ArrayLike<number>,
  b: number,
  initialW: InitialWeights | null,
  minX: number,
): Float32Array {
  if (prediction.length !== x.length) throw new RangeError(`The prediction has ${prediction.length} values but x has ${x.length}.`);
  const w = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (Math.abs(xi) >= minX && xi !== 0) w[i] = (prediction[i] - b) / xi;
    else if (xi === 0 && initialW) w[i] = startingWeight(initialW, i);
    else w[i] = NaN;
  }
  return w;
}

function startingWeight(initialW: InitialWeights, i: number): number {
  switch (initialW.kind) {
    case 'ones':
      return 1;
    case 'zeros':
      return 0;
    case 'values':
      return initialW.values[i] ?? NaN;
    case 'random':
      return NaN; // torch.rand's values are not sent; unknown
  }
}

/** The whole w when the update carries every value, else null (a summary). */
export function fullWeights(view: ParamView | Float32Array | null | undefined): Float32Array | null {
  if (!view) return null;
  if (view instanceof Float32Array) return view;
  return view.kind === 'full' ? view.values : null;
}

export interface ErrorStats {
  /** Mean of |prediction - y|. */
  meanAbs: number;
  /** Largest |prediction - y|. */
  maxAbs: number;
}

/** How far the prediction is from frog A, for the text alternative. */
export function predictionError(prediction: ArrayLike<number>, y: ArrayLike<number>): ErrorStats {
  if (prediction.length !== y.length) throw new RangeError(`The prediction has ${prediction.length} values but y has ${y.length}.`);
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < y.length; i++) {
    const d = Math.abs(prediction[i] - y[i]);
    sum += d;
    if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
  }
  return { meanAbs: y.length ? sum / y.length : 0, maxAbs };
}

/** Largest |x_i| (for a threshold relative to the image's brightness). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}
