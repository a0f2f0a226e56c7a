// Image pixels -> training vectors, and back for display. Decoding is the platform's job
// (createImageBitmap / OffscreenCanvas in the renderer); this module starts from decoded RGBA
// (an ImageData-like {width, height, data}) and is pure TS, so the renderer, workers and Node
// tests share it. It also reads image dimensions from file headers, so a 200-megapixel image is
// refused before anyone tries to decode it.
import type { ImageShape, PixelScale } from '../contract/messages';
import { DataFileError } from './errors';
import { dataMessage, type MessageParam } from './messages';
import { toBytes } from './numbers';

export interface RgbaPixels {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, row-major, not premultiplied (as ImageData gives). */
  data: Uint8ClampedArray | Uint8Array;
}

/** crop: cut the middle square out; letterbox: fit the whole image and pad the rest. */
export type ImageFit = 'crop' | 'letterbox';
export type ImageColor = 'grey' | 'rgb';
export type ImageScale = PixelScale;

export interface ImageVectorOptions {
  /** Side of the square result in pixels, 16..512 (default 64). */
  side?: number;
  fit?: ImageFit;
  color?: ImageColor;
  scale?: ImageScale;
  /** Colour behind transparent pixels and in letterbox bars, 0..255 each (default white). */
  background?: [number, number, number];
}

export interface ImageVector {
  /** Row-major, channels last, as the contract's ImageShape describes. */
  values: Float32Array;
  shape: ImageShape;
}

export const MIN_IMAGE_SIDE = 16;
export const MAX_IMAGE_SIDE = 512;
export const DEFAULT_IMAGE_SIDE = 64;
export const MAX_SOURCE_MEGAPIXELS = 50;

export const DEFAULT_IMAGE_OPTIONS: Required<ImageVectorOptions> = {
  side: DEFAULT_IMAGE_SIDE,
  fit: 'crop',
  color: 'grey',
  scale: '0..1',
  background: [255, 255, 255],
};

/** Rec. 601 luma, the weights PIL's convert('L') and torchvision's rgb_to_grayscale use. */
const LUMA = [0.299, 0.587, 0.114] as const;

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

export const IMAGE_EXTENSIONS: Record<string, ImageFormat> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  bmp: 'bmp',
  webp: 'webp',
};

export const IMAGE_MIME_TYPES: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
};

function formatMegapixels(width: number, height: number): string {
  const mp = (width * height) / 1e6;
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1);
}

/** Throws a clear message for images GradLab will not decode (call before decoding). */
export function checkImageDimensions(width: number, height: number, source: MessageParam = dataMessage('source.image')): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new DataFileError('image-size', dataMessage('image.noSize', { source, width, height }));
  }
  if (width * height > MAX_SOURCE_MEGAPIXELS * 1e6) {
    throw new DataFileError(
      'image-too-large',
      dataMessage('image.tooLarge', {
        source,
        width: width.toLocaleString('en'),
        height: height.toLocaleString('en'),
        mp: formatMegapixels(width, height),
        max: MAX_SOURCE_MEGAPIXELS,
        side: DEFAULT_IMAGE_SIDE,
      }),
    );
  }
}

export function checkImageSide(side: number): void {
  if (!Number.isInteger(side) || side < MIN_IMAGE_SIDE || side > MAX_IMAGE_SIDE) {
    throw new DataFileError('bad-option', dataMessage('image.side', { min: MIN_IMAGE_SIDE, max: MAX_IMAGE_SIDE, side }));
  }
}

// ---- dimensions from file headers (no decoding) ----

export interface ImageHeaderInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/**
 * Width and height from the first bytes of a PNG, JPEG, GIF, BMP or WebP file; null when the
 * bytes are none of these or too short to tell.
 */
export function readImageDimensions(input: Uint8Array | ArrayBuffer): ImageHeaderInfo | null {
  const bytes = toBytes(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (n: number) => bytes.length >= n;
  if (has(24) && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') {
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (has(10) && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (has(26) && ascii(bytes, 0, 2) === 'BM') {
    const headerSize = view.getUint32(14, true);
    if (headerSize === 12) return { format: 'bmp', width: view.getUint16(18, true), height: view.getUint16(20, true) };
    return { format: 'bmp', width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  if (has(30) && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    const chunk = ascii(bytes, 12, 4);
    if (chunk === 'VP8 ') return { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    if (chunk === 'VP8L') {
      const b1 = bytes[22], b2 = bytes[23], b3 = bytes[24];
      return { format: 'webp', width: 1 + (((b1 & 0x3f) << 8) | bytes[21]), height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)) };
    }
    if (chunk === 'VP8X') {
      const u24 = (o: number) => bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16);
      return { format: 'webp', width: 1 + u24(24), height: 1 + u24(27) };
    }
    return null;
  }
  if (has(4) && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1];
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
        i += 2;
        continue;
      }
      const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isStartOfFrame) return { format: 'jpeg', height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
      i += 2 + view.getUint16(i + 2);
    }
    return null;
  }
  return null;
}

// ---- resampling ----

/** For each output pixel along one axis: the first source index and the weights from there. */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array[];
}

/**
 * Shrinking: area average (each output pixel is the mean of the source area it covers, with
 * fractional edges). Enlarging: bilinear between pixel centres, edges clamped.
 */
function axisWeights(sourceLength: number, targetLength: number): AxisWeights {
  const start = new Int32Array(targetLength);
  const count = new Int32Array(targetLength);
  const weights: Float64Array[] = [];
  const ratio = sourceLength / targetLength;
  for (let j = 0; j < targetLength; j++) {
    if (ratio >= 1) {
      const from = j * ratio;
      const to = Math.min(sourceLength, (j + 1) * ratio);
      const first = Math.floor(from);
      const last = Math.min(sourceLength - 1, Math.ceil(to) - 1);
      const w = new Float64Array(last - first + 1);
      for (let i = first; i <= last; i++) w[i - first] = (Math.min(i + 1, to) - Math.max(i, from)) / ratio;
      start[j] = first;
      count[j] = w.length;
      weights.push(w);
    } else {
      const centre = (j + 0.5) * ratio - 0.5;
      const lower = Math.floor(centre);
      const t = centre - lower;
      const a = Math.max(0, Math.min(sourceLength - 1, lower));
      const b = Math.max(0, Math.min(sourceLength - 1, lower + 1));
      if (a === b) {
        start[j] = a;
        count[j] = 1;
        weights.push(Float64Array.of(1));
      } else {
        start[j] = a;
        count[j] = 2;
        weights.push(Float64Array.of(1 - t, t));
      }
    }
  }
  return { start, count, weights };
}

interface Placement {
  sourceX: number;
  sourceY: number;
  sourceWidth: number;
  sourceHeight: number;
  targetX: number;
  targetY: number;
  targetWidth: number;
  targetHeight: number;
}

function place(width: number, height: number, side: number, fit: ImageFit): Placement {
  if (fit === 'crop') {
    const square = Math.min(width, height);
    return {
      sourceX: Math.floor((width - square) / 2),
      sourceY: Math.floor((height - square) / 2),
      sourceWidth: square,
      sourceHeight: square,
      targetX: 0,
      targetY: 0,
      targetWidth: side,
      targetHeight: side,
    };
  }
  const scale = side / Math.max(width, height);
  const targetWidth = Math.max(1, Math.min(side, Math.round(width * scale)));
  const targetHeight = Math.max(1, Math.min(side, Math.round(height * scale)));
  return {
    sourceX: 0,
    sourceY: 0,
    sourceWidth: width,
    sourceHeight: height,
    targetX: Math.floor((side - targetWidth) / 2),
    targetY: Math.floor((side - targetHeight) / 2),
    targetWidth,
    targetHeight,
  };
}

/**
 * Turns decoded RGBA pixels into the vector x or y is trained on: a square of `side` pixels
 * (centre-cropped or letterboxed), greyscale or RGB, scaled to 0..1 or 0..255. Transparent
 * pixels are put on the background colour first.
 */
export function imageToVector(pixels: RgbaPixels, options: ImageVectorOptions = {}, source: MessageParam = dataMessage('source.image')): ImageVector {
  const { side, fit, color, scale, background } = { ...DEFAULT_IMAGE_OPTIONS, ...options };
  checkImageSide(side);
  const { width, height, data } = pixels;
  checkImageDimensions(width, height, source);
  if (data.length !== width * height * 4) {
    throw new DataFileError('image-size', dataMessage('image.pixelBytes', { source, bytes: data.length, width, height, expected: width * height * 4 }));
  }
  const channels = color === 'grey' ? 1 : 3;
  const p = place(width, height, side, fit);
  const factor = scale === '0..1' ? 1 / 255 : 1;
  const bg = background.map((c) => Math.max(0, Math.min(255, c)));
  const bgValues = channels === 1 ? [LUMA[0] * bg[0] + LUMA[1] * bg[1] + LUMA[2] * bg[2]] : bg;

  // Horizontal pass: source rows (of the used rectangle) -> targetWidth columns, compositing
  // over the background and converting to grey on the way (both linear, so order is free).
  const horizontal = axisWeights(p.sourceWidth, p.targetWidth);
  const rowsPass = new Float32Array(p.sourceHeight * p.targetWidth * channels);
  const pixelValue = new Float64Array(3);
  for (let y = 0; y < p.sourceHeight; y++) {
    const rowStart = ((p.sourceY + y) * width + p.sourceX) * 4;
    for (let j = 0; j < p.targetWidth; j++) {
      const first = horizontal.start[j];
      const w = horizontal.weights[j];
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < w.length; k++) {
        const o = rowStart + (first + k) * 4;
        const alpha = data[o + 3] / 255;
        pixelValue[0] = data[o] * alpha + bg[0] * (1 - alpha);
        pixelValue[1] = data[o + 1] * alpha + bg[1] * (1 - alpha);
        pixelValue[2] = data[o + 2] * alpha + bg[2] * (1 - alpha);
        r += w[k] * pixelValue[0];
        g += w[k] * pixelValue[1];
        b += w[k] * pixelValue[2];
      }
      const out = (y * p.targetWidth + j) * channels;
      if (channels === 1) rowsPass[out] = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
      else {
        rowsPass[out] = r;
        rowsPass[out + 1] = g;
        rowsPass[out + 2] = b;
      }
    }
  }

  const values = new Float32Array(side * side * channels);
  for (let i = 0; i < side * side; i++) {
    for (let c = 0; c < channels; c++) values[i * channels + c] = bgValues[c] * factor;
  }
  const vertical = axisWeights(p.sourceHeight, p.targetHeight);
  for (let i = 0; i < p.targetHeight; i++) {
    const first = vertical.start[i];
    const w = vertical.weights[i];
    for (let j = 0; j < p.targetWidth; j++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * rowsPass[((first + k) * p.targetWidth + j) * channels + c];
        const clamped = Math.max(0, Math.min(255, sum));
        values[((p.targetY + i) * side + p.targetX + j) * channels + c] = clamped * factor;
      }
    }
  }
  return { values, shape: { width: side, height: side, channels } };
}

/**
 * A vector (an image, or the prediction w*x + b) back to RGBA bytes for a canvas, clipped to the
 * displayable range. `scale` says what the vector's values mean ("0..1" or "0..255").
 */
export function vectorToRgba(values: ArrayLike<number>, shape: ImageShape, scale: ImageScale = '0..1'): Uint8ClampedArray {
  const { width, height, channels } = shape;
  const count = width * height;
  if (values.length !== count * channels) {
    throw new DataFileError('shape', dataMessage('image.valuesShape', { count: values.length, width, height, channels }));
  }
  const factor = scale === '0..1' ? 255 : 1;
  const out = new Uint8ClampedArray(count * 4);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 3; c++) {
      const v = values[i * channels + (channels === 1 ? 0 : c)] * factor;
      out[i * 4 + c] = Number.isNaN(v) ? 0 : v; // Uint8ClampedArray clips and rounds
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}
