// What the image and data loaders hand to the lab (the app decides where it goes).
import type { ImageShape } from '../../src-main/contract/messages';
import type { ImageOptions, TrainingSettings } from './frog-presets';

export interface ImageSourceInfo {
  /** File name shown to the learner, e.g. "frog-sitting-green-64.png". */
  name: string;
  /** Id in assets/images/frogs.json for a bundled frog, else null. */
  bundledId: string | null;
}

export interface LoadedImages {
  /** Frog B's pixels (the input), row-major, channels last. */
  x: Float32Array;
  /** Frog A's pixels (the target). */
  y: Float32Array;
  image: ImageShape;
  /** "Green frog, sitting and Olive frog, sitting" — for status lines and session titles. */
  label: string;
  options: ImageOptions;
  sources: { x: ImageSourceInfo; y: ImageSourceInfo };
  /** Starting values and settings that go with a bundled pair; null for the learner's own files. */
  settings: TrainingSettings | null;
}

export type LoadedNumbers =
  | { kind: 'xy'; name: string; x: Float32Array; y: Float32Array; shape: number[] }
  | { kind: 'values'; name: string; column: 'x' | 'y'; values: Float32Array; shape: number[] };

export const IMAGE_ACCEPT = '.png,.jpg,.jpeg,.webp,.bmp,.gif,image/png,image/jpeg,image/webp,image/bmp,image/gif';
export const NUMBERS_ACCEPT = '.csv,.tsv,.txt,.json,.npy';
