import { describe, expect, it } from 'vitest';
import {
  checkImageDimensions,
  imageToVector,
  readImageDimensions,
  vectorToRgba,
  type RgbaPixels,
} from '../../../src-main/data/image';
import { fixture, thrown } from './helpers/fixtures';
import { decodePngForTests } from './helpers/png';

function solid(width: number, height: number, rgba: [number, number, number, number]): RgbaPixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(rgba, i * 4);
  return { width, height, data };
}

function painted(width: number, height: number, paint: (x: number, y: number) => [number, number, number, number]): RgbaPixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 4);
  return { width, height, data };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('imageToVector', () => {
  it('defaults to a 64x64 greyscale square scaled to 0..1', () => {
    const { values, shape } = imageToVector(solid(100, 80, [255, 0, 0, 255]));
    expect(shape).toEqual({ width: 64, height: 64, channels: 1 });
    expect(values.length).toBe(64 * 64);
    // Rec. 601 luma of pure red
    for (const v of values) expect(v).toBeCloseTo(0.299, 6);
  });

  it('keeps RGB channels last, row-major, and can scale to 0..255', () => {
    const { values, shape } = imageToVector(solid(20, 20, [255, 128, 0, 255]), { side: 16, color: 'rgb', scale: '0..255' });
    expect(shape).toEqual({ width: 16, height: 16, channels: 3 });
    expect(Array.from(values.subarray(0, 6))).toEqual([255, 128, 0, 255, 128, 0]);
  });

  it('shrinks by area average: a 1-pixel checkerboard becomes even grey', () => {
    const board = painted(32, 32, (x, y) => ((x + y) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const { values } = imageToVector(board, { side: 16 });
    for (const v of values) expect(v).toBeCloseTo(0.5, 6);
  });

  it('shrinks by a non-integer ratio without losing brightness', () => {
    const stripes = painted(50, 50, (x) => (x % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const { values } = imageToVector(stripes, { side: 16 });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
  });

  it('centre-crops a wide image to its middle square', () => {
    // 64x32: black borders of 16 columns each side, white in the middle 32 columns.
    const wide = painted(64, 32, (x) => (x >= 16 && x < 48 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const { values } = imageToVector(wide, { side: 32, fit: 'crop' });
    expect(Math.min(...values)).toBe(1);
  });

  it('letterboxes a wide image with background bars above and below', () => {
    const wide = solid(32, 16, [255, 255, 255, 255]);
    const { values } = imageToVector(wide, { side: 16, fit: 'letterbox', background: [0, 0, 0] });
    const row = (y: number) => Array.from(values.subarray(y * 16, (y + 1) * 16));
    for (const y of [0, 1, 2, 3, 12, 13, 14, 15]) expect(row(y)).toEqual(new Array(16).fill(0));
    for (let y = 4; y < 12; y++) expect(row(y)).toEqual(new Array(16).fill(1));
  });

  it('puts transparent pixels on the background colour', () => {
    const clear = solid(16, 16, [0, 0, 0, 0]);
    expect(Math.min(...imageToVector(clear, { side: 16 }).values)).toBeCloseTo(1, 6);
    const halfRed = solid(16, 16, [255, 0, 0, 128]);
    const { values } = imageToVector(halfRed, { side: 16, color: 'rgb', background: [0, 0, 255] });
    expect(values[0]).toBeCloseTo(128 / 255, 5);
    expect(values[2]).toBeCloseTo(127 / 255, 5);
  });

  it('enlarges bilinearly: constant stays constant, a ramp stays a ramp', () => {
    expect(new Set(imageToVector(solid(16, 16, [10, 20, 30, 255]), { side: 48, scale: '0..255' }).values).size).toBe(1);
    const ramp = painted(16, 16, (x) => [x * 16, x * 16, x * 16, 255]);
    const { values } = imageToVector(ramp, { side: 32 });
    const row = Array.from(values.subarray(0, 32));
    for (let i = 1; i < 32; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
    expect(row[0]).toBe(0);
    expect(row[31]).toBeCloseTo(240 / 255, 6);
  });

  it("matches ImageMagick's area average on the bundled frogs within one level (2:1 and 8:3)", () => {
    const cases = [
      ['frog-sitting-green-128.png', 'frog-green-128-box-64.png', 64],
      ['frog-leaping-brown-128.png', 'frog-leaping-128-scale-48.png', 48],
    ] as const;
    for (const [source, reference, side] of cases) {
      const ours = imageToVector(decodePngForTests(fixture(`../../../assets/images/${source}`)), { side, color: 'rgb', scale: '0..255' });
      const theirs = decodePngForTests(fixture(reference));
      const theirsRgb = Array.from(theirs.data).filter((_, i) => i % 4 !== 3);
      expect(maxAbsDiff(ours.values, theirsRgb)).toBeLessThanOrEqual(1);
    }
  });

  it('rejects sides outside 16..512 and pixel data of the wrong length', () => {
    expect(thrown(() => imageToVector(solid(20, 20, [0, 0, 0, 255]), { side: 8 })).message).toBe(
      'The image side must be a whole number from 16 to 512 pixels, not 8.',
    );
    expect(thrown(() => imageToVector(solid(20, 20, [0, 0, 0, 255]), { side: 513 })).code).toBe('bad-option');
    expect(thrown(() => imageToVector({ width: 10, height: 10, data: new Uint8ClampedArray(12) })).message).toBe(
      'The image: 12 bytes of pixels do not fit 10 × 10 RGBA (400 bytes).',
    );
  });
});

describe('image limits and headers', () => {
  it('refuses 200-megapixel dimensions before decoding', () => {
    const error = thrown(() => checkImageDimensions(20000, 10000, 'big-frog.png'));
    expect(error.code).toBe('image-too-large');
    expect(error.message).toBe(
      'big-frog.png is 20,000 × 10,000 pixels (200 megapixels); GradLab opens images up to 50 megapixels. Shrink it in an image editor first — the lesson uses 64 × 64 anyway.',
    );
    expect(() => checkImageDimensions(7000, 7000)).not.toThrow();
    expect(thrown(() => checkImageDimensions(0, 10)).code).toBe('image-size');
  });

  it('reads width and height from PNG, JPEG, GIF, BMP and WebP headers', () => {
    for (const name of ['small-40x24.png', 'small-40x24.jpg', 'small-40x24.gif', 'small-40x24.bmp', 'small-40x24.webp', 'small-40x24-lossless.webp', 'small-40x24-alpha.webp']) {
      expect(readImageDimensions(fixture(name)), name).toMatchObject({ width: 40, height: 24 });
    }
    expect(readImageDimensions(fixture('huge-200mp-header.png'))).toEqual({ format: 'png', width: 20000, height: 10000 });
    expect(readImageDimensions(fixture('huge-200mp-header.jpg'))).toEqual({ format: 'jpeg', width: 20000, height: 10000 });
    expect(readImageDimensions(fixture('lesson-xy.json'))).toBeNull();
  });
});

describe('vectors back to pixels', () => {
  it('vectorToRgba clips the prediction to the displayable range', () => {
    const rgba = vectorToRgba([-0.5, 0.5, 2, 1], { width: 2, height: 2, channels: 1 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(Array.from(vectorToRgba([300, 0, -4], { width: 1, height: 1, channels: 3 }, '0..255'))).toEqual([255, 0, 0, 255]);
    expect(thrown(() => vectorToRgba([1, 2, 3], { width: 2, height: 2, channels: 1 })).code).toBe('shape');
  });
});
