// A numbers file (CSV, JSON, .npy) -> what the lab receives, or a translatable problem. Pure, so
// every bad input is unit tested; nothing is handed over unless the whole file is good.
import { loadDataFile } from '../../src-main/data/load';
import { problemFromError, type LoadProblem } from './problems';
import type { LoadedNumbers } from './types';

export type NumbersResult = { ok: true; data: LoadedNumbers } | { ok: false; problem: LoadProblem };

/** `column`: where a single column of values goes (x or y). */
export function readNumbersFile(name: string, bytes: Uint8Array, column: 'x' | 'y'): NumbersResult {
  let loaded: ReturnType<typeof loadDataFile>;
  try {
    loaded = loadDataFile(name, bytes);
  } catch (error) {
    return { ok: false, problem: problemFromError(error, name, bytes.subarray(0, 64)) };
  }
  if (loaded.fileKind === 'image') {
    // Images belong in the frog loader, where they are resized and turned into pixels.
    return { ok: false, problem: { key: 'error.wrongExtension', params: { name } } };
  }
  if (loaded.kind === 'xy') return { ok: true, data: { kind: 'xy', name, x: loaded.x, y: loaded.y, shape: loaded.shape } };
  if (loaded.values.length === 0) return { ok: false, problem: { key: 'error.empty', params: { name } } };
  return { ok: true, data: { kind: 'values', name, column, values: loaded.values, shape: loaded.shape } };
}
