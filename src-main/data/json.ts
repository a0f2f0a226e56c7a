// JSON numbers: a list, nested lists (any rectangular shape), or {"x": [...], "y": [...]}.
// Pure TS. Items in messages are named by their index path, e.g. [2][0] or y[3].
import { DataFileError, quoteForMessage, type TextPosition } from './errors';
import { findJsonErrorOffset } from './json-position';
import { checkValueCount, decodeText, float32Problem, toBytes, type NumericData } from './numbers';

export interface JsonOptions {
  source?: string;
}

const ACCEPTED_FORMS = 'a list of numbers like [1, 2, 3], a list of equal-length lists like [[1, 2], [3, 4]], or {"x": [1, 2], "y": [115, 21]}';

function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `${quoteForMessage(value)} (text)`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Walks a nested list, checking it is rectangular and all numbers; returns shape and values. */
function flattenNested(root: unknown, label: string, source: string): { shape: number[]; values: Float32Array } {
  if (!Array.isArray(root)) {
    throw new DataFileError('shape', `${source}: ${label || 'the data'} is ${describe(root)}, not a list. Give ${ACCEPTED_FORMS}.`);
  }
  const shape: number[] = [];
  let probe: unknown = root;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count === 0) {
    throw new DataFileError('empty', `${source}: ${label || 'the list'} is empty; it needs at least one number.`);
  }
  checkValueCount(count, source);
  const values = new Float32Array(count);
  let next = 0;
  const visit = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) {
        throw new DataFileError(
          'ragged',
          `${source}: item ${label}${path} is a list, but ${label}${'[0]'.repeat(depth)} is a number; every row needs the same shape.`,
        );
      }
      if (typeof node !== 'number') {
        throw new DataFileError('not-a-number', `${source}: item ${label}${path} is ${describe(node)}, not a number.`);
      }
      const problem = float32Problem(node);
      if (problem) throw new DataFileError('not-a-number', `${source}: item ${label}${path} (${node}) ${problem}.`);
      values[next++] = node;
      return;
    }
    if (!Array.isArray(node)) {
      throw new DataFileError(
        'ragged',
        `${source}: item ${label}${path} is ${describe(node)}, but a list of ${shape[depth]} is expected there (like ${label}${'[0]'.repeat(depth)}); every row needs the same shape.`,
      );
    }
    if (node.length !== shape[depth]) {
      throw new DataFileError(
        'ragged',
        `${source}: row ${label}${path} has ${node.length} items but ${label}${'[0]'.repeat(depth)} has ${shape[depth]}; every row needs the same length.`,
      );
    }
    node.forEach((child, i) => visit(child, depth + 1, `${path}[${i}]`));
  };
  visit(root, 0, '');
  return { shape, values };
}

export function parseJsonText(text: string, options: JsonOptions = {}): NumericData {
  const source = options.source ?? 'The JSON file';
  if (text.trim() === '') {
    throw new DataFileError('empty', `${source} is empty. Give ${ACCEPTED_FORMS}.`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    void error; // engines word (and place) this differently; find the spot ourselves
    const offset = findJsonErrorOffset(text);
    const position = positionAt(text, offset < 0 ? text.length : offset);
    const ended = offset < 0 || offset >= text.trimEnd().length;
    const what = ended ? 'the JSON ends too early (is the file cut off?)' : 'this is not valid JSON';
    throw new DataFileError('syntax', `${source}, line ${position.line}, column ${position.column}: ${what}. Give ${ACCEPTED_FORMS}.`, position);
  }

  if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
    const object = root as Record<string, unknown>;
    if (!('x' in object) || !('y' in object)) {
      const keys = Object.keys(object);
      throw new DataFileError(
        'shape',
        `${source} holds an object with ${keys.length ? `keys ${keys.map((k) => JSON.stringify(k)).join(', ')}` : 'no keys'}; an object needs both "x" and "y" lists, e.g. {"x": [1, 2], "y": [115, 21]}.`,
      );
    }
    const x = flattenNested(object.x, 'x', source);
    const y = flattenNested(object.y, 'y', source);
    if (x.values.length !== y.values.length || x.shape.join() !== y.shape.join()) {
      throw new DataFileError(
        'shape',
        `${source}: x has shape [${x.shape.join(', ')}] but y has shape [${y.shape.join(', ')}]; they must match, because w*x + b is compared with y value by value.`,
      );
    }
    return { kind: 'xy', x: x.values, y: y.values, shape: x.shape };
  }
  const flat = flattenNested(root, '', source);
  return { kind: 'values', values: flat.values, shape: flat.shape };
}

export function parseJson(bytes: Uint8Array | ArrayBuffer, options: JsonOptions = {}): NumericData {
  return parseJsonText(decodeText(toBytes(bytes)), options);
}
