// JSON numbers: a list, nested lists (any rectangular shape), or {"x": [...], "y": [...]}.
// Pure TS. Items in messages are named by their index path, e.g. [2][0] or y[3].
// Before JSON.parse sees the text, one quick pass refuses nesting deeper than MAX_JSON_DEPTH and
// more numbers than can be trained on; every walk over the parsed value is iterative.
import { DataFileError, MAX_VALUES, moreThanMaxValues, quoteForMessage, type TextPosition } from './errors';
import { findJsonErrorOffset, outlineJson } from './json-position';
import { dataMessage, type MessageParam } from './messages';
import { checkValueCount, decodeText, float32Problem, toBytes, type NumericData } from './numbers';

export interface JsonOptions {
  source?: string;
}

const ACCEPTED_FORMS = dataMessage('json.forms');

/** Deepest nesting accepted: numbers data has a few levels (NumPy allows 32 dimensions). */
export const MAX_JSON_DEPTH = 32;

function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function describe(value: unknown): MessageParam {
  if (value === null) return dataMessage('json.kind.value', { value: 'null' });
  if (Array.isArray(value)) return dataMessage('json.kind.list');
  if (typeof value === 'string') return dataMessage('json.kind.text', { text: quoteForMessage(value) });
  if (typeof value === 'object') return dataMessage('json.kind.object');
  return dataMessage('json.kind.value', { value: String(value) });
}

/** Walks a nested list, checking it is rectangular and all numbers; returns shape and values. */
function flattenNested(root: unknown, label: string, source: MessageParam): { shape: number[]; values: Float32Array } {
  if (!Array.isArray(root)) {
    throw new DataFileError('shape', dataMessage('json.notList', { source, what: label || dataMessage('json.theData'), kind: describe(root), forms: ACCEPTED_FORMS }));
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
    throw new DataFileError('empty', dataMessage('json.emptyList', { source, what: label || dataMessage('json.theList') }));
  }
  checkValueCount(count, source);
  const values = new Float32Array(count);
  let next = 0;
  // Depth-first over the lists with an explicit stack: lists[d] is the list being read at depth d
  // and at[d] the index of its item being read; the item's path is at[0..d] ("[2][0]").
  const lists: unknown[][] = [root];
  const at: number[] = [0];
  const item = () => `${label}${at.map((i) => `[${i}]`).join('')}`;
  const first = (depth: number) => `${label}${'[0]'.repeat(depth)}`;
  while (lists.length > 0) {
    const d = lists.length - 1;
    const list = lists[d];
    if (at[d] === list.length) {
      lists.pop();
      at.pop();
      if (at.length > 0) at[at.length - 1]++;
      continue;
    }
    const node = list[at[d]];
    if (d + 1 === shape.length) {
      if (Array.isArray(node)) throw new DataFileError('ragged', dataMessage('json.listNotNumber', { source, item: item(), first: first(d + 1) }));
      if (typeof node !== 'number') throw new DataFileError('not-a-number', dataMessage('json.notNumber', { source, item: item(), kind: describe(node) }));
      const problem = float32Problem(node);
      if (problem) throw new DataFileError('not-a-number', dataMessage('json.badNumber', { source, item: item(), value: String(node), problem }));
      values[next++] = node;
      at[d]++;
      continue;
    }
    if (!Array.isArray(node)) {
      throw new DataFileError('ragged', dataMessage('json.notListThere', { source, item: item(), kind: describe(node), count: shape[d + 1], first: first(d + 1) }));
    }
    if (node.length !== shape[d + 1]) {
      throw new DataFileError('ragged', dataMessage('json.rowLength', { source, item: item(), count: node.length, first: first(d + 1), expected: shape[d + 1] }));
    }
    lists.push(node);
    at.push(0);
  }
  return { shape, values };
}

export function parseJsonText(text: string, options: JsonOptions = {}): NumericData {
  const source: MessageParam = options.source ?? dataMessage('source.json');
  if (text.trim() === '') {
    throw new DataFileError('empty', dataMessage('json.empty', { source, forms: ACCEPTED_FORMS }));
  }
  // {"x": [...], "y": [...]} may hold twice the values one list may
  const maxNumbers = text.trimStart().startsWith('{') ? 2 * MAX_VALUES : MAX_VALUES;
  const outline = outlineJson(text, MAX_JSON_DEPTH, maxNumbers);
  if (outline.tooManyAt >= 0) throw moreThanMaxValues(source);
  if (outline.tooDeepAt >= 0) {
    const position = positionAt(text, outline.tooDeepAt);
    throw new DataFileError('too-deep', dataMessage('json.tooDeep', { source, line: position.line, column: position.column, max: MAX_JSON_DEPTH }), position);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    void error; // engines word (and place) this differently; find the spot ourselves
    const offset = findJsonErrorOffset(text);
    const position = positionAt(text, offset < 0 ? text.length : offset);
    const ended = offset < 0 || offset >= text.trimEnd().length;
    const what = dataMessage(ended ? 'json.endsEarly' : 'json.invalid');
    throw new DataFileError('syntax', dataMessage('json.syntax', { source, line: position.line, column: position.column, what, forms: ACCEPTED_FORMS }), position);
  }

  if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
    const object = root as Record<string, unknown>;
    if (!('x' in object) || !('y' in object)) {
      const keys = Object.keys(object);
      const described = keys.length ? dataMessage('json.keys', { list: keys.map((k) => JSON.stringify(k)).join(', ') }) : dataMessage('json.noKeys');
      throw new DataFileError('shape', dataMessage('json.objectKeys', { source, keys: described }));
    }
    const x = flattenNested(object.x, 'x', source);
    const y = flattenNested(object.y, 'y', source);
    if (x.values.length !== y.values.length || x.shape.join() !== y.shape.join()) {
      throw new DataFileError('shape', dataMessage('json.shapes', { source, x: x.shape.join(', '), y: y.shape.join(', ') }));
    }
    return { kind: 'xy', x: x.values, y: y.values, shape: x.shape };
  }
  const flat = flattenNested(root, '', source);
  return { kind: 'values', values: flat.values, shape: flat.shape };
}

export function parseJson(bytes: Uint8Array | ArrayBuffer, options: JsonOptions = {}): NumericData {
  return parseJsonText(decodeText(toBytes(bytes)), options);
}
