// The bundled frog pairs (assets/images/frogs.json) as one-click presets: which PNG is frog A (y)
// and frog B (x), and the settings that show the lesson's point. Pure: the manifest is passed
// in, so unit tests read the real file from disk.
import type { ImageShape, InitialWeights } from '../../src-main/contract/messages';
import type { ImageColor, ImageFit, ImageScale } from '../../src-main/data/image';
import { DEFAULT_IMAGE_SIDE, MAX_IMAGE_SIDE, MIN_IMAGE_SIDE } from '../../src-main/data/image';

export type PairKind = 'similar' | 'different';
type Names = { 'zh-CN': string; en: string };

export interface FrogManifest {
  version: number;
  images: { id: string; names: Names; svg: string; png: Record<string, string> }[];
  pairs: { id: string; kind: PairKind; names: Names; frogA: string; frogB: string }[];
  suggestedSettings: {
    side: number;
    color: ImageColor;
    scale: ImageScale;
    initialW: InitialWeights;
    initialB: number;
    learningRate: number;
    epochs: number;
  };
}

export interface ImageOptions {
  side: number;
  fit: ImageFit;
  color: ImageColor;
  scale: ImageScale;
}

export interface TrainingSettings {
  initialW: InitialWeights;
  initialB: number;
  learningRate: number;
  epochs: number;
}

export interface FrogPreset {
  pairId: string;
  kind: PairKind;
  names: Names;
  /** Frog A is y (the target), frog B is x (the input). */
  frogA: { id: string; names: Names; png: string };
  frogB: { id: string; names: Names; png: string };
  options: ImageOptions;
  image: ImageShape;
  settings: TrainingSettings;
}

/**
 * The PNG to decode for a side: the smallest rendering at least that big (downscaling a larger
 * drawing keeps edges clean), else the largest there is.
 */
export function pickPng(png: Record<string, string>, side: number): string {
  const sizes = Object.keys(png)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  if (sizes.length === 0) throw new Error('The frog manifest lists an image without PNG renderings.');
  const size = sizes.find((n) => n >= side) ?? sizes[sizes.length - 1];
  return png[String(size)];
}

/** Builds the preset for one pair; `side` overrides the manifest's suggested side. */
export function buildFrogPreset(manifest: FrogManifest, pairId: string, side?: number): FrogPreset {
  const pair = manifest.pairs.find((p) => p.id === pairId);
  if (!pair) throw new Error(`The frog manifest has no pair "${pairId}".`);
  const image = (id: string) => {
    const found = manifest.images.find((i) => i.id === id);
    if (!found) throw new Error(`The frog pair "${pairId}" names an image "${id}" that the manifest does not list.`);
    return found;
  };
  const s = manifest.suggestedSettings;
  const chosenSide = side ?? s.side ?? DEFAULT_IMAGE_SIDE;
  if (!Number.isInteger(chosenSide) || chosenSide < MIN_IMAGE_SIDE || chosenSide > MAX_IMAGE_SIDE) {
    throw new RangeError(`The image side must be a whole number from ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE}, not ${chosenSide}.`);
  }
  const a = image(pair.frogA);
  const b = image(pair.frogB);
  return {
    pairId: pair.id,
    kind: pair.kind,
    names: pair.names,
    frogA: { id: a.id, names: a.names, png: pickPng(a.png, chosenSide) },
    frogB: { id: b.id, names: b.names, png: pickPng(b.png, chosenSide) },
    options: { side: chosenSide, fit: 'crop', color: s.color, scale: s.scale },
    image: { width: chosenSide, height: chosenSide, channels: s.color === 'rgb' ? 3 : 1 },
    settings: { initialW: s.initialW, initialB: s.initialB, learningRate: s.learningRate, epochs: s.epochs },
  };
}

/** The first pair of a kind ("similar frogs" and "different frogs" buttons). */
export function firstPairOfKind(manifest: FrogManifest, kind: PairKind): string | null {
  return manifest.pairs.find((p) => p.kind === kind)?.id ?? null;
}
