// Checks the lab's inputs and turns them into a TrainConfig. Every problem is reported where it is
// (column + row, or field) as a catalog key with parameters, so it shows in either language.
// Nothing is dropped or corrected: a run only starts from input that is entirely valid.
import type { InitialWeights, ModelKind, TrainConfig } from '../../src-main/contract/messages';
import type { MessageKey } from '../i18n/en';
import { parseCell, splitList } from './parse';

export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export type Column = 'x' | 'y';

export interface DataCheck {
  x: Float32Array;
  y: Float32Array;
  /** Problems by cell, keyed "x:0" (0-based row). */
  cellProblems: Map<string, Problem>;
  /** Problems about the data as a whole (length mismatch, no data). */
  overall: Problem[];
  ok: boolean;
}

export const cellKey = (column: Column, row: number): string => `${column}:${row}`;

function checkColumn(column: Column, cells: readonly string[], values: Float32Array, problems: Map<string, Problem>): void {
  for (let row = 0; row < cells.length; row++) {
    const result = parseCell(cells[row]);
    if (result.ok) values[row] = result.value;
    else if (result.reason === 'empty') problems.set(cellKey(column, row), { key: 'data.errorEmpty' });
    else problems.set(cellKey(column, row), { key: 'data.errorNotNumber', params: { text: cells[row].trim() } });
  }
}

export function checkData(xCells: readonly string[], yCells: readonly string[]): DataCheck {
  const x = new Float32Array(xCells.length);
  const y = new Float32Array(yCells.length);
  const cellProblems = new Map<string, Problem>();
  checkColumn('x', xCells, x, cellProblems);
  checkColumn('y', yCells, y, cellProblems);
  const overall: Problem[] = [];
  if (xCells.length === 0 && yCells.length === 0) overall.push({ key: 'data.errorNoData' });
  if (xCells.length !== yCells.length) {
    overall.push({ key: 'data.errorLengthMismatch', params: { nx: xCells.length, ny: yCells.length } });
    // Mark the rows that have no partner, in the longer column, so the learner sees where.
    const longer: Column = xCells.length > yCells.length ? 'x' : 'y';
    const from = Math.min(xCells.length, yCells.length);
    const to = Math.max(xCells.length, yCells.length);
    for (let row = from; row < to; row++) {
      const key = cellKey(longer, row);
      if (!cellProblems.has(key)) {
        cellProblems.set(key, { key: longer === 'x' ? 'data.errorMissingY' : 'data.errorMissingX', params: { row: row + 1 } });
      }
    }
  }
  return { x, y, cellProblems, overall, ok: cellProblems.size === 0 && overall.length === 0 };
}

export type WeightKind = InitialWeights['kind'];

export interface ParamInputs {
  /** 'perValue' when absent: one w per x value. 'shared': one w for all points. */
  model?: ModelKind;
  wKind: WeightKind;
  wValuesText: string;
  seedText: string;
  bText: string;
  lrText: string;
  epochsText: string;
}

export interface ParamCheck {
  model: ModelKind;
  problems: Partial<Record<'w' | 'seed' | 'b' | 'lr' | 'epochs', Problem>>;
  initialW: InitialWeights | null;
  initialB: number | null;
  learningRate: number | null;
  epochs: number | null;
  ok: boolean;
}

export const MAX_EPOCHS = 100_000_000;

export function parseLearningRate(text: string): number | null {
  const cell = parseCell(text);
  return cell.ok && cell.value >= 0 ? cell.value : null;
}

export function checkParams(inputs: ParamInputs, dataLength: number): ParamCheck {
  const problems: ParamCheck['problems'] = {};
  let initialW: InitialWeights | null = null;
  switch (inputs.wKind) {
    case 'values': {
      const pieces = splitList(inputs.wValuesText);
      const values: number[] = [];
      for (let i = 0; i < pieces.length; i++) {
        const cell = parseCell(pieces[i]);
        if (!cell.ok) {
          problems.w = { key: 'params.errorWValue', params: { i: i + 1, text: pieces[i] } };
          break;
        }
        values.push(cell.value);
      }
      if (!problems.w && inputs.model === 'shared' && values.length !== 1) {
        problems.w = { key: 'params.errorWShared', params: { nw: values.length } };
      } else if (!problems.w && inputs.model !== 'shared' && values.length !== dataLength) {
        problems.w = { key: 'params.errorWLength', params: { nw: values.length, nx: dataLength } };
      }
      if (!problems.w) initialW = { kind: 'values', values };
      break;
    }
    case 'random': {
      const seed = parseCell(inputs.seedText);
      if (seed.ok && Number.isInteger(seed.value)) initialW = { kind: 'random', seed: seed.value };
      else problems.seed = { key: 'params.errorSeed' };
      break;
    }
    case 'ones':
      initialW = { kind: 'ones' };
      break;
    case 'zeros':
      initialW = { kind: 'zeros' };
      break;
  }
  const b = parseCell(inputs.bText);
  if (!b.ok) problems.b = { key: 'params.errorB' };
  const learningRate = parseLearningRate(inputs.lrText);
  if (learningRate === null) problems.lr = { key: 'params.errorLr' };
  const epochsCell = parseCell(inputs.epochsText);
  const epochs = epochsCell.ok && Number.isInteger(epochsCell.value) && epochsCell.value >= 1 && epochsCell.value <= MAX_EPOCHS ? epochsCell.value : null;
  if (epochs === null) problems.epochs = { key: 'params.errorEpochs' };
  return {
    model: inputs.model ?? 'perValue',
    problems,
    initialW,
    initialB: b.ok ? b.value : null,
    learningRate,
    epochs,
    ok: Object.keys(problems).length === 0,
  };
}

/** The config to send, or null while anything is invalid. */
export function buildConfig(data: DataCheck, params: ParamCheck): TrainConfig | null {
  if (!data.ok || !params.ok || !params.initialW || params.initialB === null || params.learningRate === null || params.epochs === null) return null;
  return {
    ...(params.model === 'shared' ? { model: 'shared' as const } : {}),
    x: data.x,
    y: data.y,
    initialW: params.initialW,
    initialB: params.initialB,
    learningRate: params.learningRate,
    epochs: params.epochs,
  };
}
