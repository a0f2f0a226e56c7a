// Decoding image files with the platform (createImageBitmap, then a canvas's getImageData) and
// turning them into training vectors with src-main/data/image.ts. The size is read from the
// file's header and checked before anything is decoded, so a 200-megapixel image is refused
// without allocating its pixels. Stages are reported so the window can show progress.
import { DataFileError } from '../../src-main/data/errors';
import { checkImageDimensions, IMAGE_EXTENSIONS, imageToVector, readImageDimensions, type ImageVector, type RgbaPixels } from '../../src-main/data/image';
import { extensionOf, loadDataFile, NUMBER_EXTENSIONS } from '../../src-main/data/load';
import type { ImageOptions } from './frog-presets';
import { problemFromError, type LoadProblem } from './problems';

export type DecodeStage =
  | { stage: 'reading'; name: string; done: number; total: number }
  | { stage: 'checking'; name: string }
  | { stage: 'decoding'; name: string; width: number; height: number }
  | { stage: 'resizing'; name: string; side: number };

export type ProgressListener = (progress: DecodeStage) => void;

/** Decoded pixels kept so a change of side/colour/fit re-makes the vector without decoding again. */
export interface DecodedImage {
  name: string;
  /** Size of the file's image (before any pre-shrinking). */
  width: number;
  height: number;
  pixels: RgbaPixels;
  /** Set for bundled frogs (frogs.json id). */
  bundledId: string | null;
}

export class LoadFailure extends Error {
  readonly problem: LoadProblem;
  constructor(problem: LoadProblem) {
    super(problem.detail ?? problem.key);
    this.problem = problem;
  }
}

/**
 * Images wider or taller than this are shrunk by the decoder itself (createImageBitmap's resize)
 * to at most this size before their pixels are read: 512 is the largest side trained on, and
 * this keeps a 50-megapixel photo from needing 200 MB of RGBA.
 */
export const PRE_SHRINK_SIDE = 2048;
/** Files above this size are read in chunks with progress. */
const HEADER_BYTES = 256 * 1024;

const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function readAll(file: Blob, name: string, onProgress?: ProgressListener): Promise<Uint8Array> {
  const total = file.size;
  if (!onProgress || total < 2 * 1024 * 1024 || typeof file.stream !== 'function') return new Uint8Array(await file.arrayBuffer());
  const out = new Uint8Array(total);
  const reader = file.stream().getReader();
  let done = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    out.set(chunk.value, done);
    done += chunk.value.length;
    onProgress({ stage: 'reading', name, done, total });
  }
  return out.subarray(0, done);
}

/** Size at most PRE_SHRINK_SIDE on the longer side, keeping the aspect ratio. */
export function shrinkTarget(width: number, height: number, limit = PRE_SHRINK_SIDE): { width: number; height: number } | null {
  const longer = Math.max(width, height);
  if (longer <= limit) return null;
  const factor = limit / longer;
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
}

function pixelsOf(bitmap: ImageBitmap): RgbaPixels {
  const { width, height } = bitmap;
  let context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    context = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!context) throw new Error('this browser gave no 2D canvas to read pixels with');
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, width, height);
  return { width, height, data: data.data };
}

async function bitmapFrom(source: Blob | HTMLImageElement, shrink: { width: number; height: number } | null): Promise<ImageBitmap> {
  // Pixel values as stored: no colour-profile conversion, no premultiplied alpha (as PIL reads them).
  const options: ImageBitmapOptions = { premultiplyAlpha: 'none', colorSpaceConversion: 'none' };
  if (shrink) Object.assign(options, { resizeWidth: shrink.width, resizeHeight: shrink.height, resizeQuality: 'high' });
  return createImageBitmap(source, options);
}

/**
 * Reads, checks and decodes an image file. Throws LoadFailure (with a translatable problem) for
 * anything the learner should hear about; nothing else is touched.
 */
export async function decodeImageFile(file: File, onProgress?: ProgressListener): Promise<DecodedImage> {
  const name = file.name;
  onProgress?.({ stage: 'checking', name });
  let head: Uint8Array;
  try {
    head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  } catch (error) {
    throw new LoadFailure(problemFromError(error, name));
  }
  const extension = extensionOf(name);
  if (!(extension in IMAGE_EXTENSIONS) && (NUMBER_EXTENSIONS as readonly string[]).concat('gradlab').includes(extension)) {
    throw new LoadFailure({ key: 'error.notImage', params: { name } });
  }
  // Extension, emptiness and the header's size, before the rest of the file is even read.
  let info: ReturnType<typeof loadDataFile>;
  try {
    info = loadDataFile(name, head);
  } catch (error) {
    throw new LoadFailure(problemFromError(error, name, head));
  }
  if (info.fileKind !== 'image') throw new LoadFailure({ key: 'error.notImage', params: { name } });
  const bytes = file.size > head.length ? await readAll(file, name, onProgress).catch((error: unknown) => {
    throw new LoadFailure(problemFromError(error, name));
  }) : head;
  // A JPEG whose size comes after a long EXIF block: read the header again from the whole file.
  let width = info.width;
  let height = info.height;
  if (width === null || height === null) {
    const header = readImageDimensions(bytes);
    if (header) {
      try {
        checkImageDimensions(header.width, header.height, name);
      } catch (error) {
        throw new LoadFailure(problemFromError(error, name, bytes));
      }
      width = header.width;
      height = header.height;
    }
  }
  onProgress?.({ stage: 'decoding', name, width: width ?? 0, height: height ?? 0 });
  await nextFrame();
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: info.mimeType });
  let bitmap: ImageBitmap;
  try {
    bitmap = await bitmapFrom(blob, width !== null && height !== null ? shrinkTarget(width, height) : null);
  } catch {
    throw new LoadFailure({ key: 'error.decode', params: { name, format: info.format.toUpperCase() } });
  }
  try {
    // When the header did not tell, the decoder's size is checked before reading the pixels.
    const w = width ?? bitmap.width;
    const h = height ?? bitmap.height;
    try {
      checkImageDimensions(w, h, name);
    } catch (error) {
      if (error instanceof DataFileError) throw new LoadFailure(problemFromError(error, name, bytes));
      throw error;
    }
    const pixels = pixelsOf(bitmap);
    return { name, width: w, height: h, pixels, bundledId: null };
  } finally {
    bitmap.close();
  }
}

/** Decodes a bundled PNG (by URL) through an <img> element. */
export async function decodeBundledImage(url: string, name: string, bundledId: string): Promise<DecodedImage> {
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  try {
    await img.decode();
  } catch {
    throw new LoadFailure({ key: 'error.decode', params: { name, format: 'PNG' } });
  }
  const bitmap = await bitmapFrom(img, null);
  try {
    return { name, width: bitmap.width, height: bitmap.height, pixels: pixelsOf(bitmap), bundledId };
  } finally {
    bitmap.close();
  }
}

/** The decoded image as the vector trained on. */
export async function vectorize(image: DecodedImage, options: ImageOptions, onProgress?: ProgressListener): Promise<ImageVector> {
  onProgress?.({ stage: 'resizing', name: image.name, side: options.side });
  await nextFrame();
  try {
    return imageToVector(image.pixels, options, image.name);
  } catch (error) {
    throw new LoadFailure(problemFromError(error, image.name));
  }
}
