// Loads one of the bundled frog pairs as lab data: used by the image loader's buttons and by the
// frog lesson's "load this pair" buttons.
import { bundledPngUrl, frogManifest } from './bundled';
import { decodeBundledImage, vectorize, type DecodedImage, type ProgressListener } from './decode';
import { buildFrogPreset, firstPairOfKind, type PairKind } from './frog-presets';
import type { LoadedImages } from './types';

export interface LoadedPair {
  data: LoadedImages;
  /** Decoded frog A (y) and frog B (x), for thumbnails. */
  decoded: { a: DecodedImage; b: DecodedImage };
}

export async function loadBundledPair(kind: PairKind, lang: 'zh-CN' | 'en', onProgress?: ProgressListener): Promise<LoadedPair | null> {
  const pairId = firstPairOfKind(frogManifest, kind);
  if (!pairId) return null;
  const preset = buildFrogPreset(frogManifest, pairId);
  const nameA = preset.frogA.names[lang];
  const nameB = preset.frogB.names[lang];
  onProgress?.({ stage: 'decoding', name: nameA, width: preset.image.width, height: preset.image.height });
  const [a, b] = await Promise.all([
    decodeBundledImage(bundledPngUrl(preset.frogA.png), nameA, preset.frogA.id),
    decodeBundledImage(bundledPngUrl(preset.frogB.png), nameB, preset.frogB.id),
  ]);
  const yVector = await vectorize(a, preset.options, onProgress);
  const xVector = await vectorize(b, preset.options, onProgress);
  return {
    decoded: { a, b },
    data: {
      x: xVector.values,
      y: yVector.values,
      image: xVector.shape,
      label: preset.names[lang],
      options: preset.options,
      sources: { x: { name: preset.frogB.png, bundledId: preset.frogB.id }, y: { name: preset.frogA.png, bundledId: preset.frogA.id } },
      settings: preset.settings,
    },
  };
}
