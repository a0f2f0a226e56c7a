// A numbers file (CSV, JSON, .npy) -> what the lab receives, or a translatable problem. Pure, so
// every bad input is unit tested; nothing is handed over unless the whole file is good. A big
// file is parsed in a Web Worker (numbers-worker.ts), so the window stays responsive meanwhile.
import { checkFileSize } from '../../src-main/data/errors';
import { loadDataFile } from '../../src-main/data/load';
import { problemFromError, type LoadProblem } from './problems';
import type { LoadedNumbers } from './types';

export type NumbersResult = { ok: true; data: LoadedNumbers } | { ok: false; problem: LoadProblem };

/** What the page posts to numbers-worker.ts. */
export interface NumbersRequest {
  name: string;
  bytes: Uint8Array;
  column: 'x' | 'y';
}

/** Files above this many bytes are parsed in a worker; smaller ones take less time than starting one. */
export const OFF_THREAD_BYTES = 256 * 1024;

/** Parses in a fresh worker (ended afterwards); the bytes are handed over, not copied. */
function parseInWorker(request: NumbersRequest): Promise<NumbersResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./numbers-worker.ts', import.meta.url), { type: 'module', name: 'gradlab-numbers' });
    worker.onmessage = (event: MessageEvent<NumbersResult>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(event.message || 'the file reader stopped'));
    };
    worker.postMessage(request, [request.bytes.buffer]);
  });
}

/**
 * Reads and parses a picked or dropped numbers file: a file too large to train on is refused
 * before it is read, and a big one is parsed off the page's thread (in place where there are no
 * workers, e.g. in unit tests).
 */
export async function readNumbersFileFrom(file: File, column: 'x' | 'y'): Promise<NumbersResult> {
  try {
    checkFileSize(file.size, file.name);
  } catch (error) {
    return { ok: false, problem: problemFromError(error, file.name) };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length < OFF_THREAD_BYTES || typeof Worker === 'undefined') return readNumbersFile(file.name, bytes, column);
  return parseInWorker({ name: file.name, bytes, column });
}

/** `column`: where a single column of values goes (x or y). */
/** Image files (whole or damaged) belong in the frog loader, where they are resized and turned into pixels. */
const IMAGE_NAME = /\.(png|jpe?g|webp|bmp|gif)$/i;

export function readNumbersFile(name: string, bytes: Uint8Array, column: 'x' | 'y'): NumbersResult {
  if (IMAGE_NAME.test(name)) return { ok: false, problem: { key: 'error.imageAsNumbers', params: { name } } };
  let loaded: ReturnType<typeof loadDataFile>;
  try {
    loaded = loadDataFile(name, bytes);
  } catch (error) {
    return { ok: false, problem: problemFromError(error, name, bytes.subarray(0, 64)) };
  }
  if (loaded.fileKind === 'image') return { ok: false, problem: { key: 'error.imageAsNumbers', params: { name } } };
  if (loaded.kind === 'xy') return { ok: true, data: { kind: 'xy', name, x: loaded.x, y: loaded.y, shape: loaded.shape } };
  if (loaded.values.length === 0) return { ok: false, problem: { key: 'error.empty', params: { name } } };
  return { ok: true, data: { kind: 'values', name, column, values: loaded.values, shape: loaded.shape } };
}
