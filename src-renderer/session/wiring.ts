// Ready-made callbacks for the app: put loaded images/numbers into the lab, and build
// getSession / applySession / getExport for SessionMenu. Structural types only (no import of the
// app's stores), so the app passes its `lab` and `run` objects and keeps ownership of them.
import { trainConfigFromSession, type RunSummary, type Session } from '../../src-main/data/session';
import type { InitialWeights, ParamView, SettingChange, TrainConfig, TrainImage } from '../../src-main/contract/messages';
import type { LoadedImages, LoadedNumbers } from '../images/types';
import { captureSession, labFromSession, valuesToCells, type ImageFields, type LabFields } from './glue';
import type { ExportSource } from './session-io';

/** The lab store's fields this module writes (lab.svelte.ts's LabState has them all). */
export interface MutableLab extends LabFields {
  limitedSpeed?: number;
  skipZeroGrad?: boolean;
  xCells: string[];
  yCells: string[];
  element: number;
  /** The lab's own image geometry (lab.svelte.ts adds it to the run config); kept in step here. */
  image?: TrainImage | null;
}

/** Where the app keeps the image description of its data (a $state field of its own). */
export interface ImageHolder {
  images: ImageFields | null;
}

/** The run store as sessions and exports use it (state/training-run.ts's TrainingRun). */
export interface RunView {
  losses: Float32Array;
  current: { w: ParamView; wGrad: ParamView; b: number; bGrad: number } | null;
  /** The config the current run started with (null without a run) and its confirmed live changes. */
  startedConfig: TrainConfig | null;
  settingChanges: readonly SettingChange[];
  /** All of w as of the latest epoch, when the window has it. */
  fullW(): Float32Array | null;
  /** What a session keeps of the run, and how an opened session brings it back. */
  summary(): RunSummary | null;
  restore(origin: TrainConfig, summary: RunSummary): void;
  reset(): void;
}

/**
 * The config a saved run started with: the session's data with the run's own starting settings
 * (files from before those were kept: the session's settings, which a run leaves unchanged).
 */
export function savedRunOrigin(session: Session): TrainConfig | null {
  const config = trainConfigFromSession(session);
  const started = session.run?.started;
  if (!config || !started) return config;
  const { model, learningRate, epochs, initialW, initialB, skipZeroGrad, targetLoss } = started;
  const { model: _settingsModel, ...data } = config;
  const runModel = model ?? config.model;
  return { ...data, ...(runModel === 'shared' ? { model: runModel } : {}), learningRate, epochs, initialW, initialB, skipZeroGrad, ...(targetLoss !== null ? { targetLoss } : {}) };
}

/** The image shape while the lab's data is still the loaded image (same number of values), else null. */
export function imageShapeOf(lab: Pick<LabFields, 'xCells' | 'yCells'>, holder: ImageHolder): TrainImage | null {
  const images = holder.images;
  if (!images) return null;
  const n = images.image.width * images.image.height * images.image.channels;
  if (lab.xCells.length !== n || lab.yCells.length !== n) return null;
  // A fresh plain object: the holder may be a $state proxy, and a proxy cannot be posted to the worker.
  return { width: images.image.width, height: images.image.height, channels: images.image.channels, scale: images.options.scale };
}

/** TrainConfig plus `image` while the data is an image (so the worker sends predictions). */
export function withImage(config: TrainConfig | null, lab: Pick<LabFields, 'xCells' | 'yCells'>, holder: ImageHolder): TrainConfig | null {
  const image = imageShapeOf(lab, holder);
  return config && image ? { ...config, image } : config;
}

/**
 * After new data: a list of starting w values that no longer has one value per x is replaced by
 * `fallback` (the bundled frogs' all ones), so Run works at once. Returns true when it replaced it.
 */
export function fitWeightsToData(lab: MutableLab, fallback: InitialWeights): boolean {
  if (lab.wKind !== 'values') return false;
  const given = lab.wValuesText.trim() === '' ? 0 : lab.wValuesText.split(/\s*[,，;\s]\s*/).filter(Boolean).length;
  // the shared model has one w for all points, whatever their number
  if (given === (lab.model === 'shared' ? 1 : lab.xCells.length)) return false;
  lab.wKind = fallback.kind;
  lab.wValuesText = fallback.kind === 'values' ? fallback.values.join(', ') : '';
  if (fallback.kind === 'random') lab.seedText = String(fallback.seed);
  return true;
}

/** ImageDataLoader's onLoaded: pixels become x and y cells; a bundled pair also sets w, b, lr, epochs. */
export function loadImagesIntoLab(lab: MutableLab, holder: ImageHolder, data: LoadedImages): void {
  lab.xCells = valuesToCells(data.x);
  lab.yCells = valuesToCells(data.y);
  lab.element = 0;
  holder.images = { image: data.image, options: data.options, sources: data.sources };
  lab.image = { width: data.image.width, height: data.image.height, channels: data.image.channels, scale: data.options.scale };
  if (data.settings) {
    const s = data.settings;
    lab.model = 'perValue'; // a bundled pair's settings have one w per pixel
    lab.wKind = s.initialW.kind;
    lab.wValuesText = s.initialW.kind === 'values' ? s.initialW.values.join(', ') : '';
    if (s.initialW.kind === 'random') lab.seedText = String(s.initialW.seed);
    lab.bText = String(s.initialB);
    lab.lrText = String(s.learningRate);
    lab.epochsText = String(s.epochs);
  }
}

/** DataFileLoader's onLoaded: x and y together, or one column; the data is numbers again. */
export function loadNumbersIntoLab(lab: MutableLab, holder: ImageHolder, data: LoadedNumbers): void {
  if (data.kind === 'xy') {
    lab.xCells = valuesToCells(data.x);
    lab.yCells = valuesToCells(data.y);
  } else if (data.column === 'x') lab.xCells = valuesToCells(data.values);
  else lab.yCells = valuesToCells(data.values);
  lab.element = 0;
  holder.images = null;
  lab.image = null;
}

export interface SessionWiring {
  getSession: () => Session;
  applySession: (session: Session, how: { source: 'file' | 'autosave'; name: string }) => void;
  getExport: () => ExportSource;
}

export function createSessionWiring(deps: {
  lab: MutableLab;
  holder: ImageHolder;
  run: RunView;
  /** The lab's current TrainConfig (null while invalid), e.g. () => lab.config. */
  config: () => TrainConfig | null;
  language: () => 'zh-CN' | 'en';
  lessonId: () => string | null;
  /** Called for sessions opened from a file (not for the autosave: the app remembers these itself). */
  setLanguage?: (lang: 'zh-CN' | 'en') => void;
  setLesson?: (lessonId: string) => void;
  appVersion?: string;
}): SessionWiring {
  const { lab, holder, run } = deps;
  // A session holds numbers, not half-typed text: while a cell is being fixed, the last valid data
  // is what gets saved (and autosaved), so a reload brings back that rather than an empty lab.
  let lastValidData: Session['data'] = null;
  return {
    getSession: () => {
      const session = captureSession({
        language: deps.language(),
        lessonId: deps.lessonId(),
        lab,
        images: imageShapeOf(lab, holder) ? holder.images : null,
        run: run.summary(),
        appVersion: deps.appVersion ?? null,
      });
      if (session.data) lastValidData = session.data;
      else if (lab.xCells.length > 0 || lab.yCells.length > 0) session.data = lastValidData;
      return session;
    },
    applySession: (session, how) => {
      const back = labFromSession(session);
      Object.assign(lab, back.lab);
      lab.element = 0;
      holder.images = back.images;
      lab.image = back.images ? { ...back.images.image, scale: back.images.options.scale } : null;
      // The run comes back as it ended (charts, values, status), ready to continue or start over.
      const origin = session.run ? savedRunOrigin(session) : null;
      if (session.run && origin) run.restore(origin, session.run);
      else run.reset();
      if (how.source === 'file') {
        deps.setLanguage?.(session.language);
        if (session.lesson) deps.setLesson?.(session.lesson.id);
      }
    },
    getExport: () => {
      const current = run.current;
      const w = current?.w ?? null;
      return {
        config: withImage(deps.config(), lab, holder),
        losses: run.losses,
        w: run.fullW(),
        wLength: w ? (w.kind === 'full' ? w.values.length : w.length) : 0,
        b: current?.b ?? null,
        wGrad: current?.wGrad.kind === 'full' ? current.wGrad.values : null,
        bGrad: current?.bGrad ?? null,
        run: run.startedConfig ? { config: run.startedConfig, settingChanges: run.settingChanges } : null,
      };
    },
  };
}
