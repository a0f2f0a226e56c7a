// Between the app's lab (text cells as typed, plus the loaded images) and a Session. Pure and
// structural — it takes plain fields, not the app's stores — so the app wires it with a few lines
// and it is unit tested without Svelte.
import { DEFAULT_SETTINGS, type RunSummary, type Session, type SessionData, type SessionSettings } from '../../src-main/data/session';
import type { ImageShape, InitialWeights } from '../../src-main/contract/messages';
import type { ImageOptions } from '../images/frog-presets';
import type { ImageSourceInfo, LoadedImages } from '../images/types';
import type { ParamInputs } from '../lib/validate';


/** The lab's inputs exactly as typed. */
export interface LabFields extends ParamInputs {
  xCells: readonly string[];
  yCells: readonly string[];
  epochsPerSecond: number | null;
  /** The number in the speed field (kept while the speed is "as fast as possible"). */
  limitedSpeed?: number;
  /** "Forget zero_grad" for the next run. */
  skipZeroGrad?: boolean;
}

/** Set while x and y are images (what ImageDataLoader handed over). */
export interface ImageFields {
  image: ImageShape;
  options: ImageOptions;
  sources: { x: ImageSourceInfo; y: ImageSourceInfo };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function numberOf(text: string): number | null {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * The values of cell arrays already read or written, by the array itself. The lab replaces its
 * cell arrays on every edit and never changes one in place ($state.raw in lab.svelte.ts), so an
 * array's values never change: the autosave, which captures the session while a 786,432-value
 * image run trains, reads them here instead of parsing every cell on the window's main thread.
 */
const knownValues = new WeakMap<readonly string[], Float32Array | null>();

/** Every cell as float32, or null when any is empty or not a number. Treat the result as read-only. */
export function cellsToValues(cells: readonly string[]): Float32Array | null {
  const known = knownValues.get(cells);
  if (known !== undefined) return known;
  const values = parseCells(cells);
  knownValues.set(cells, values);
  return values;
}

function parseCells(cells: readonly string[]): Float32Array | null {
  const values = new Float32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const value = numberOf(cells[i]);
    if (value === null) return null;
    values[i] = value;
  }
  return values;
}

/** Float32 values as cells; String() of the widened double reads back to the same float32. */
export function valuesToCells(values: ArrayLike<number>): string[] {
  const cells = Array.from(values as ArrayLike<number>, (v) => String(v));
  // What parsing these cells would give: nan and inf print as words, which are not numbers.
  let finite = true;
  for (let i = 0; i < values.length && finite; i++) finite = Number.isFinite(values[i]);
  knownValues.set(cells, finite ? Float32Array.from(values) : null);
  return cells;
}

function initialWeights(lab: LabFields): InitialWeights {
  switch (lab.wKind) {
    case 'ones':
      return { kind: 'ones' };
    case 'zeros':
      return { kind: 'zeros' };
    case 'random': {
      const seed = numberOf(lab.seedText);
      return { kind: 'random', seed: seed !== null && Number.isInteger(seed) ? seed : 42 };
    }
    case 'values': {
      const pieces = lab.wValuesText.trim() === '' ? [] : lab.wValuesText.trim().split(/\s*[,，;\s]\s*/).filter(Boolean);
      const values = pieces.map(numberOf);
      return values.every((v) => v !== null) ? { kind: 'values', values: values as number[] } : { kind: 'values', values: [] };
    }
  }
}

/**
 * The settings a session keeps. Text that is not a valid number falls back to the default for
 * that field (a session holds numbers, not half-typed text).
 */
export function settingsFromLab(lab: LabFields): SessionSettings {
  const lr = numberOf(lab.lrText);
  const epochs = numberOf(lab.epochsText);
  const b = numberOf(lab.bText);
  return {
    model: lab.model ?? 'perValue',
    learningRate: lr !== null && lr >= 0 ? lr : DEFAULT_SETTINGS.learningRate,
    epochs: epochs !== null && Number.isInteger(epochs) && epochs >= 0 ? epochs : DEFAULT_SETTINGS.epochs,
    initialW: initialWeights(lab),
    initialB: b ?? 0,
    epochsPerSecond: lab.epochsPerSecond !== null && lab.epochsPerSecond >= 1 ? lab.epochsPerSecond : null,
    targetLoss: null,
    skipZeroGrad: lab.skipZeroGrad ?? false,
  };
}

export function dataFromLab(lab: LabFields, images: ImageFields | null): SessionData | null {
  const x = cellsToValues(lab.xCells);
  const y = cellsToValues(lab.yCells);
  if (!x || !y || x.length !== y.length || x.length === 0) return null;
  if (images) {
    const { width, height, channels } = images.image;
    if (x.length === width * height * channels) {
      return {
        kind: 'images',
        shape: images.image,
        options: images.options,
        x: { name: images.sources.x.name, path: null, bundledId: images.sources.x.bundledId, pixels: x },
        y: { name: images.sources.y.name, path: null, bundledId: images.sources.y.bundledId, pixels: y },
      };
    }
  }
  return { kind: 'numbers', x, y, shape: [x.length], sources: { x: null, y: null } };
}

export function captureSession(input: {
  language: 'zh-CN' | 'en';
  lessonId: string | null;
  lab: LabFields;
  images: ImageFields | null;
  /** The last run as a session keeps it (TrainingRun.summary()); null before any. */
  run: RunSummary | null;
  appVersion?: string | null;
}): Session {
  return {
    savedAt: new Date().toISOString(),
    appVersion: input.appVersion ?? null,
    language: input.language,
    lesson: input.lessonId ? { id: input.lessonId, step: 0 } : null,
    data: dataFromLab(input.lab, input.images),
    settings: settingsFromLab(input.lab),
    run: input.run,
  };
}

function formatNumber(value: number): string {
  return String(value);
}

/** What to put back into the lab from a session (cells as text, images when it holds images). */
export function labFromSession(session: Session): { lab: Partial<LabFields>; images: ImageFields | null; loaded: LoadedImages | null } {
  const s = session.settings;
  const lab: Partial<LabFields> = {
    model: s.model,
    wKind: s.initialW.kind,
    wValuesText: s.initialW.kind === 'values' ? s.initialW.values.map(formatNumber).join(', ') : '',
    seedText: s.initialW.kind === 'random' ? String(s.initialW.seed) : '42',
    bText: formatNumber(s.initialB),
    lrText: formatNumber(s.learningRate),
    epochsText: String(s.epochs),
    epochsPerSecond: s.epochsPerSecond,
    skipZeroGrad: s.skipZeroGrad ?? false,
    ...(s.epochsPerSecond !== null ? { limitedSpeed: s.epochsPerSecond } : {}),
  };
  const data = session.data;
  if (!data) return { lab, images: null, loaded: null };
  if (data.kind === 'numbers') return { lab: { ...lab, xCells: valuesToCells(data.x), yCells: valuesToCells(data.y) }, images: null, loaded: null };
  const images: ImageFields = {
    image: data.shape,
    options: data.options,
    sources: { x: { name: data.x.name, bundledId: data.x.bundledId }, y: { name: data.y.name, bundledId: data.y.bundledId } },
  };
  const loaded: LoadedImages = {
    x: data.x.pixels,
    y: data.y.pixels,
    image: data.shape,
    label: `${data.y.name} / ${data.x.name}`,
    options: data.options,
    sources: images.sources,
    settings: null,
  };
  return { lab: { ...lab, xCells: valuesToCells(data.x.pixels), yCells: valuesToCells(data.y.pixels) }, images, loaded };
}
