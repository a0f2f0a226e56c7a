// What the learner set up in the lab: data cells (kept exactly as typed), starting values and
// settings. Validation and the TrainConfig are derived, never stored.
import { buildConfig, checkData, checkParams, parseLearningRate, type Column, type WeightKind } from '../lib/validate';
import { makePreset, type PresetId } from '../lib/presets';
import { parseSpreadsheetPaste } from '../lib/parse';
import type { InitialWeights, ModelKind, TrainImage } from '../../src-main/contract/messages';

/** Data handed over by a loader (images, CSV, .npy): numbers, not text, plus optional settings. */
export interface LoadedData {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Pixel geometry when x and y are images; sent with the run so the trainer streams predictions. */
  image?: TrainImage | null;
  initialW?: InitialWeights;
  initialB?: number;
  learningRate?: number;
  epochs?: number;
}

/** Shortest text that reads back as the same float32 (what the trainer will use anyway). */
const float32Text = (value: number): string => String(Math.fround(value));

class LabState {
  /** The model trained: one weight per value (the lesson's) or one shared w and b (the classic line fit). */
  model = $state<ModelKind>('perValue');
  // Replaced (not mutated) on every edit: $state.raw keeps a 786k-cell column cheap.
  xCells = $state.raw<string[]>([]);
  yCells = $state.raw<string[]>([]);
  wKind = $state<WeightKind>('values');
  wValuesText = $state('');
  seedText = $state('42');
  bText = $state('0');
  lrText = $state('0.01');
  epochsText = $state('100');
  /** null: as fast as possible. */
  epochsPerSecond = $state<number | null>(null);
  limitedSpeed = $state(10);
  stepCount = $state(10);
  /** Element whose arithmetic is written out (0-based). */
  element = $state(0);
  /** The "forgot zero_grad" mistake for the next run (a running run is switched through run.setSkipZeroGrad). */
  skipZeroGrad = $state(false);

  /** Image geometry of the loaded data; dropped from the run config once the cell count no longer matches it. */
  image = $state.raw<TrainImage | null>(null);

  data = $derived(checkData(this.xCells, this.yCells));
  params = $derived(
    checkParams(
      { model: this.model, wKind: this.wKind, wValuesText: this.wValuesText, seedText: this.seedText, bText: this.bText, lrText: this.lrText, epochsText: this.epochsText },
      this.xCells.length,
    ),
  );
  config = $derived.by(() => {
    const config = buildConfig(this.data, this.params);
    const image = this.image;
    const withMistake = config && this.skipZeroGrad ? { ...config, skipZeroGrad: true } : config;
    if (withMistake && image && image.width * image.height * image.channels === withMistake.x.length) return { ...withMistake, image };
    return withMistake;
  });
  learningRate = $derived(parseLearningRate(this.lrText));

  /**
   * Switches the model. Given w values are carried over so they still fit: the shared model keeps
   * the first one, the per-value model repeats the shared one for every x.
   */
  setModel(model: ModelKind): void {
    if (model === this.model) return;
    if (this.wKind === 'values') {
      const first = this.wValuesText.split(/[\s,，;]+/).find((piece) => piece !== '') ?? '1';
      this.wValuesText = model === 'shared' ? first : Array.from({ length: Math.max(1, this.xCells.length) }, () => first).join(', ');
    }
    this.model = model;
  }

  cells(column: Column): string[] {
    return column === 'x' ? this.xCells : this.yCells;
  }

  private setCells(column: Column, cells: string[]): void {
    if (column === 'x') this.xCells = cells;
    else this.yCells = cells;
  }

  setCell(column: Column, row: number, text: string): void {
    const next = this.cells(column).slice();
    next[row] = text;
    this.setCells(column, next);
  }

  addRow(column: Column): void {
    this.setCells(column, [...this.cells(column), '']);
  }

  removeRow(column: Column, row: number): void {
    const next = this.cells(column).slice();
    next.splice(row, 1);
    this.setCells(column, next);
    if (this.element >= Math.max(1, this.xCells.length)) this.element = Math.max(0, this.xCells.length - 1);
  }

  /**
   * Pastes spreadsheet text starting at (column, row). Two or more pasted columns starting in x fill
   * x and y; rows beyond the table are added. Returns false for plain text (let the input handle it).
   */
  paste(column: Column, row: number, text: string): boolean {
    const grid = parseSpreadsheetPaste(text);
    if (!grid) return false;
    const targets: Column[] = column === 'x' && grid.some((cells) => cells.length > 1) ? ['x', 'y'] : [column];
    targets.forEach((target, offset) => {
      const next = this.cells(target).slice();
      grid.forEach((cells, i) => {
        const value = cells[offset];
        if (value !== undefined) next[row + i] = value;
      });
      // Gaps (pasting below the end) become empty cells, which are then marked, not invented.
      for (let i = 0; i < next.length; i++) if (next[i] === undefined) next[i] = '';
      this.setCells(target, next);
    });
    return true;
  }

  /** Replaces x and y (and optionally the settings) with loaded numbers; shown as editable cells like typed data. */
  loadArrays(data: LoadedData): void {
    this.xCells = Array.from(data.x, float32Text);
    this.yCells = Array.from(data.y, float32Text);
    this.image = data.image ?? null;
    const w = data.initialW;
    if (w) {
      this.wKind = w.kind;
      if (w.kind === 'values') this.wValuesText = w.values.map(float32Text).join(', ');
      if (w.kind === 'random') this.seedText = String(w.seed);
    }
    if (data.initialB !== undefined) this.bText = String(data.initialB);
    if (data.learningRate !== undefined) this.lrText = String(data.learningRate);
    if (data.epochs !== undefined) this.epochsText = String(data.epochs);
    this.element = 0;
  }

  loadPreset(id: PresetId, noisyPoints?: number): void {
    const preset = makePreset(id, noisyPoints);
    this.image = null;
    this.model = preset.model ?? 'perValue';
    this.xCells = preset.xCells;
    this.yCells = preset.yCells;
    this.wKind = preset.wKind;
    this.wValuesText = preset.wValuesText;
    this.seedText = preset.seedText;
    this.bText = preset.bText;
    this.lrText = preset.lrText;
    this.epochsText = preset.epochsText;
    this.element = 0;
  }
}

export const lab = new LabState();
// A first start opens with the lesson's worked example, ready to run.
lab.loadPreset('lesson-example');
