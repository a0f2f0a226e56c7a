// Shared pieces of the numeric parsers: the result type, text decoding, strict number reading.
// Pure TS (no Node, DOM-free apart from TextDecoder, which browsers, workers and Node all have).
import { DataFileError, MAX_VALUES, tooManyValues } from './errors';
import { dataMessage, type DataMessage, type MessageParam } from './messages';

/**
 * What a data file gives: either one set of values (the learner decides whether it is x or y) or
 * x and y together (two CSV columns, a JSON {"x": [...], "y": [...]}). Values are float32 because
 * training is; `shape` is the array's shape (row-major), [n] for a plain list.
 */
export type NumericData =
  | { kind: 'values'; values: Float32Array; shape: number[]; name?: string }
  | { kind: 'xy'; x: Float32Array; y: Float32Array; shape: number[]; names?: { x: string; y: string } };

/** Plain decimal or scientific notation, nothing else ("0x10", "1_000", "", " " are not numbers). */
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** "1,5" as written where a comma is the decimal mark (only used when commas do not split cells). */
const DECIMAL_COMMA_PATTERN = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;

/** Reads one number strictly; returns null when the text is not a number at all. */
export function parseNumberStrict(text: string, allowDecimalComma = false): number | null {
  const trimmed = text.trim();
  if (NUMBER_PATTERN.test(trimmed)) return Number(trimmed);
  if (allowDecimalComma && DECIMAL_COMMA_PATTERN.test(trimmed)) return Number(trimmed.replace(',', '.'));
  return null;
}

/** Why a parsed number cannot be trained on (it would become inf in float32), or null if fine. */
export function float32Problem(value: number): DataMessage | null {
  if (!Number.isFinite(value)) return dataMessage('number.notFinite');
  // Compare after rounding: 3.4028235e38 is written above the largest float32 but rounds to it.
  if (!Number.isFinite(Math.fround(value))) return dataMessage('number.tooLarge');
  return null;
}

export function checkValueCount(count: number, what: MessageParam): void {
  if (count > MAX_VALUES) throw tooManyValues(count, what);
}

/**
 * Bytes -> text. Honours a UTF-8 BOM and the UTF-16 BOMs that spreadsheet programs write
 * ("Unicode text" exports); everything else is read as UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // TextDecoder drops a leading UTF-8 BOM by itself.
  return new TextDecoder('utf-8').decode(bytes);
}

export function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** Throws unless x and y can be trained together (w has x's shape, so y must match it). */
export function checkXYMatch(xLength: number, yLength: number): void {
  if (xLength === 0 || yLength === 0) {
    throw new DataFileError('empty', dataMessage('xy.noValues', { which: xLength === 0 ? 'x' : 'y' }));
  }
  if (xLength !== yLength) {
    throw new DataFileError('shape', dataMessage('xy.lengths', { x: xLength, y: yLength }));
  }
}
