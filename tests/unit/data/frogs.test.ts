import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageToVector, readImageDimensions } from '../../../src-main/data/image';
import { trainToEnd } from '../../../src-main/training/trainer';
import { repoRoot } from './helpers/fixtures';
import { decodePngForTests } from './helpers/png';

const imagesDir = join(repoRoot, 'assets/images');
const manifest = JSON.parse(readFileSync(join(imagesDir, 'frogs.json'), 'utf8')) as {
  version: number;
  images: { id: string; names: Record<'zh-CN' | 'en', string>; svg: string; png: Record<string, string> }[];
  pairs: { id: string; kind: 'similar' | 'different'; names: Record<'zh-CN' | 'en', string>; frogA: string; frogB: string }[];
  suggestedSettings: { side: number; color: 'grey' | 'rgb'; learningRate: number; epochs: number; initialW: { kind: 'ones' } };
};
const hasConvert = spawnSync('convert', ['-version']).status === 0;

function frogVector(id: string, color: 'grey' | 'rgb' = 'grey') {
  const image = manifest.images.find((i) => i.id === id)!;
  return imageToVector(decodePngForTests(readFileSync(join(imagesDir, image.png['64']))), { side: 64, color });
}

describe('bundled frog images', () => {
  it('the manifest names existing files, both languages, and valid pairs', () => {
    expect(manifest.version).toBe(1);
    const ids = manifest.images.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const image of manifest.images) {
      expect(image.names['zh-CN'].length).toBeGreaterThan(0);
      expect(image.names.en.length).toBeGreaterThan(0);
      expect(existsSync(join(imagesDir, image.svg)), image.svg).toBe(true);
      for (const [size, file] of Object.entries(image.png)) {
        expect(readImageDimensions(readFileSync(join(imagesDir, file))), file).toEqual({ format: 'png', width: Number(size), height: Number(size) });
      }
    }
    for (const pair of manifest.pairs) {
      expect(ids).toContain(pair.frogA);
      expect(ids).toContain(pair.frogB);
      expect(pair.names['zh-CN'].length).toBeGreaterThan(0);
    }
    expect(manifest.pairs.filter((p) => p.kind === 'similar').length).toBeGreaterThanOrEqual(1);
    expect(manifest.pairs.filter((p) => p.kind === 'different').length).toBeGreaterThanOrEqual(1);
  });

  it('the SVGs are drawings made here: no embedded or linked pictures, and no constructs the rasteriser draws wrongly', () => {
    for (const image of manifest.images) {
      const svg = readFileSync(join(imagesDir, image.svg), 'utf8');
      expect(svg, image.svg).not.toMatch(/<image|href=|base64|<rect|transform=|opacity=/);
      expect(svg).toContain('Drawn by hand for');
      for (const shape of svg.match(/<(?:circle|ellipse|path)\b[^>]*>/g) ?? []) expect(shape, image.svg).toContain('stroke=');
    }
  });

  it.skipIf(!hasConvert)(`the PNGs are up to date with the SVGs${hasConvert ? '' : ' (skipped: ImageMagick convert is not installed)'}`, () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/data/tools/rasterize-frogs.node.ts', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it("teaches the lesson's point: the similar pair trains to a much lower loss than the different pairs", () => {
    const { epochs } = manifest.suggestedSettings;
    const frogA = new Map<string, Float32Array>();
    const losses: Record<string, number> = {};
    for (const learningRate of [0.01, 0.1]) {
      for (const pair of manifest.pairs) {
        const y = frogA.get(pair.frogA) ?? frogVector(pair.frogA).values;
        frogA.set(pair.frogA, y);
        const x = frogVector(pair.frogB).values;
        const result = trainToEnd({ x, y, initialW: { kind: 'ones' }, initialB: 0, learningRate, epochs });
        expect(result.epochs).toBe(epochs);
        losses[`${pair.id}@${learningRate}`] = result.loss!;
      }
      const similar = manifest.pairs.filter((p) => p.kind === 'similar').map((p) => losses[`${p.id}@${learningRate}`]);
      const different = manifest.pairs.filter((p) => p.kind === 'different').map((p) => losses[`${p.id}@${learningRate}`]);
      expect(Math.max(...similar), JSON.stringify(losses)).toBeLessThan(0.01);
      expect(Math.min(...different), JSON.stringify(losses)).toBeGreaterThan(0.05);
      expect(Math.min(...different) / Math.max(...similar), JSON.stringify(losses)).toBeGreaterThan(10);
    }
  }, 120_000);
});
