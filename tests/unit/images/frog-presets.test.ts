// The "similar frogs" / "different frogs" buttons, built from the real assets/images/frogs.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFrogPreset, firstPairOfKind, pickPng, type FrogManifest } from '../../../src-renderer/images/frog-presets';
import { readImageDimensions } from '../../../src-main/data/image';

const imagesDir = join(import.meta.dirname, '../../../assets/images');
const manifest = JSON.parse(readFileSync(join(imagesDir, 'frogs.json'), 'utf8')) as FrogManifest;

describe('frog presets', () => {
  it('has a similar and a different pair, each resolving to bundled 64-pixel PNGs', () => {
    for (const kind of ['similar', 'different'] as const) {
      const pairId = firstPairOfKind(manifest, kind);
      expect(pairId, kind).not.toBeNull();
      const preset = buildFrogPreset(manifest, pairId!);
      expect(preset.kind).toBe(kind);
      for (const frog of [preset.frogA, preset.frogB]) {
        const file = join(imagesDir, frog.png);
        expect(existsSync(file), frog.png).toBe(true);
        expect(readImageDimensions(readFileSync(file))).toEqual({ format: 'png', width: 64, height: 64 });
      }
      expect(preset.frogA.id).not.toBe(preset.frogB.id);
    }
  });

  it('starts from w = ones and b = 0 with the manifest learning rate and epochs, on a 64 x 64 grey image', () => {
    const preset = buildFrogPreset(manifest, firstPairOfKind(manifest, 'similar')!);
    expect(preset.settings).toEqual({
      initialW: { kind: 'ones' },
      initialB: 0,
      learningRate: manifest.suggestedSettings.learningRate,
      epochs: manifest.suggestedSettings.epochs,
    });
    expect(preset.settings.learningRate).toBeGreaterThan(0);
    expect(preset.image).toEqual({ width: 64, height: 64, channels: 1 });
    expect(preset.options).toEqual({ side: 64, fit: 'crop', color: 'grey', scale: '0..1' });
  });

  it('frog A is the target y and frog B the input x, as the manifest pairs them', () => {
    const pair = manifest.pairs.find((p) => p.kind === 'different')!;
    const preset = buildFrogPreset(manifest, pair.id);
    expect(preset.frogA.id).toBe(pair.frogA);
    expect(preset.frogB.id).toBe(pair.frogB);
  });

  it('picks the smallest rendering at least as big as the side, else the largest', () => {
    const png = { '64': 'a-64.png', '128': 'a-128.png' };
    expect(pickPng(png, 16)).toBe('a-64.png');
    expect(pickPng(png, 64)).toBe('a-64.png');
    expect(pickPng(png, 100)).toBe('a-128.png');
    expect(pickPng(png, 512)).toBe('a-128.png');
    expect(() => pickPng({}, 64)).toThrow(/without PNG renderings/);
  });

  it('uses a chosen side and refuses one outside 16..512 or an unknown pair', () => {
    const pairId = firstPairOfKind(manifest, 'similar')!;
    expect(buildFrogPreset(manifest, pairId, 100).image).toEqual({ width: 100, height: 100, channels: 1 });
    expect(buildFrogPreset(manifest, pairId, 100).frogA.png).toMatch(/-128\.png$/);
    expect(() => buildFrogPreset(manifest, pairId, 8)).toThrow(/from 16 to 512, not 8/);
    expect(() => buildFrogPreset(manifest, 'no-such-pair')).toThrow(/no pair "no-such-pair"/);
  });
});
