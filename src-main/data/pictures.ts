// An image run's pictures as canvases show them: the prediction w*x + b as RGBA, w as a heatmap
// and how far the prediction is from frog A. The training worker draws them (update.pictures),
// so the window's thread does no work per pixel while a run trains; a run restored from a
// session is drawn with the same functions once. Pure TypeScript, tested in Node.
import type { ImageShape, PixelScale, RunPictures } from '../contract/messages';
import { DataFileError } from './errors';
import { vectorToRgba } from './image';
import { dataMessage } from './messages';

/** Grey for heatmap pixels whose weight cannot be known (nan). */
export const UNKNOWN_RGB = [150, 150, 150] as const;

export interface Heatmap {
  rgba: Uint8ClampedArray;
  /** Smallest and largest per-pixel weight shown (channels averaged); null when none is known. */
  min: number | null;
  max: number | null;
  /** Pixels shown grey because their weight is unknown (nan or infinite). */
  unknown: number;
}

function checkLength(length: number, shape: ImageShape, what: 'image.valuesShape' | 'image.weightsShape'): void {
  const { width, height, channels } = shape;
  if (length !== width * height * channels) throw new DataFileError('shape', dataMessage(what, { count: length, width, height, channels }));
}

/**
 * The prediction as a picture, drawn as vectorToRgba draws any image vector (clipped to the
 * scale's range, nan black: one pixel writer for frogs and predictions alike), and the mean and
 * largest |prediction - y| (a nan difference is the largest: the text then says so).
 */
export function predictionPicture(
  prediction: ArrayLike<number>,
  y: ArrayLike<number>,
  shape: ImageShape,
  scale: PixelScale = '0..1',
): { rgba: Uint8ClampedArray; meanAbs: number; maxAbs: number } {
  checkLength(prediction.length, shape, 'image.valuesShape');
  checkLength(y.length, shape, 'image.valuesShape');
  return { rgba: vectorToRgba(prediction, shape, scale), ...absoluteErrors(prediction, y) };
}

/** Mean and largest |a - b| over two vectors of the same length (a nan difference is the largest). */
function absoluteErrors(a: ArrayLike<number>, b: ArrayLike<number>): { meanAbs: number; maxAbs: number } {
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    if (d > maxAbs || d !== d) maxAbs = d;
  }
  return { meanAbs: a.length ? sum / a.length : 0, maxAbs };
}

/**
 * w as a heatmap: white at `centre` (w = 1 keeps a pixel as it is), red above, blue below, the
 * colour's strength the distance from the centre relative to the largest one. RGB weights are
 * averaged per pixel; a pixel with no finite weight is grey. A single w (the shared model) is
 * every pixel's weight.
 */
export function weightsHeatmap(w: ArrayLike<number>, shape: ImageShape, centre = 1): Heatmap {
  const { width, height, channels } = shape;
  const count = width * height;
  const shared = w.length === 1;
  if (!shared) checkLength(w.length, shape, 'image.weightsShape');
  const perPixel = new Float64Array(count);
  let spread = 0;
  let min = Infinity;
  let max = -Infinity;
  let unknown = 0;
  for (let i = 0; i < count; i++) {
    let sum = 0;
    let known = 0;
    for (let c = 0; c < channels; c++) {
      const value = shared ? w[0] : w[i * channels + c];
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
    if (mean < min) min = mean;
    if (mean > max) max = mean;
    const distance = Math.abs(mean - centre);
    if (distance > spread) spread = distance;
  }
  const rgba = new Uint8ClampedArray(count * 4);
  for (let i = 0, o = 0; i < count; i++, o += 4) {
    rgba[o + 3] = 255;
    const mean = perPixel[i];
    if (mean !== mean) {
      rgba[o] = UNKNOWN_RGB[0];
      rgba[o + 1] = UNKNOWN_RGB[1];
      rgba[o + 2] = UNKNOWN_RGB[2];
      continue;
    }
    const t = spread > 0 ? (mean - centre) / spread : 0;
    const fade = 255 * (1 - Math.abs(t));
    rgba[o] = t > 0 ? 255 : fade;
    rgba[o + 1] = fade;
    rgba[o + 2] = t < 0 ? 255 : fade;
  }
  const none = unknown === count;
  return { rgba, min: none ? null : min, max: none ? null : max, unknown };
}

/** Both pictures of an image run and the error numbers: what `update.pictures` carries. */
export function drawRunPictures(
  prediction: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  shape: ImageShape,
  scale: PixelScale = '0..1',
): RunPictures {
  const picture = predictionPicture(prediction, y, shape, scale);
  const heatmap = weightsHeatmap(w, shape);
  return {
    width: shape.width,
    height: shape.height,
    prediction: picture.rgba,
    heatmap: heatmap.rgba,
    wMin: heatmap.min,
    wMax: heatmap.max,
    meanAbsError: picture.meanAbs,
    maxAbsError: picture.maxAbs,
  };
}

/** The RGBA buffers a `RunPictures` owns, to transfer rather than copy. */
export function pictureBuffers(pictures: RunPictures): ArrayBuffer[] {
  return [pictures.prediction.buffer as ArrayBuffer, pictures.heatmap.buffer as ArrayBuffer];
}
