// CSV (and semicolon/tab separated) numbers: one column (values) or two (x, y), header optional.
// Pure TS. Positions in messages are 1-based; `column` counts cells, as a spreadsheet does.
import { DataFileError, quoteForMessage } from './errors';
import { dataMessage, type DataMessageId, type MessageParam } from './messages';
import { checkValueCount, decodeText, float32Problem, parseNumberStrict, toBytes, type NumericData } from './numbers';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvOptions {
  /** Found from the first lines when not given. */
  delimiter?: CsvDelimiter;
  /** Name used in messages, e.g. the file name. */
  source?: string;
}

interface Row {
  line: number;
  cells: string[];
}

const SEPARATOR_NAMES: Record<CsvDelimiter, DataMessageId> = { ',': 'csv.separators.comma', ';': 'csv.separators.semicolon', '\t': 'csv.separators.tab' };

/** Splits one line into cells; double quotes may wrap a cell ("" inside is a quote). */
function splitLine(text: string, delimiter: CsvDelimiter | null, line: number): string[] {
  if (delimiter === null) return [text];
  // Most numeric files have no quotes at all: split natively (much faster on big files).
  if (!text.includes('"')) return text.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (quoted) {
    throw new DataFileError('syntax', dataMessage('csv.openQuote', { line }), {
      line,
      column: cells.length + 1,
    });
  }
  cells.push(cell);
  return cells;
}

function countOutsideQuotes(text: string, ch: string): number {
  let count = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) count++;
  }
  return count;
}

/** Tab if the lines use tabs, else semicolon, else comma; null when every line is one cell. */
export function detectDelimiter(lines: string[]): CsvDelimiter | null {
  const sample = lines.slice(0, 20);
  for (const candidate of ['\t', ';', ','] as const) {
    if (sample.some((l) => countOutsideQuotes(l, candidate) > 0)) return candidate;
  }
  return null;
}

function isComment(text: string): boolean {
  return text.trimStart().startsWith('#');
}

export function parseCsvText(text: string, options: CsvOptions = {}): NumericData {
  const source: MessageParam = options.source ?? dataMessage('source.csv');
  const rawLines = text.split(/\r\n|\r|\n/);
  const content: { line: number; text: string }[] = [];
  rawLines.forEach((t, i) => {
    if (t.trim() !== '' && !isComment(t)) content.push({ line: i + 1, text: t });
  });
  if (content.length === 0) {
    throw new DataFileError('empty', dataMessage('csv.empty', { source }));
  }
  const delimiter = options.delimiter ?? detectDelimiter(content.map((c) => c.text));
  // With commas splitting cells, "1,5" cannot mean one and a half; with ; or tab it can.
  const allowDecimalComma = delimiter === ';' || delimiter === '\t';

  const rows: Row[] = content.map(({ line, text: t }) => ({ line, cells: splitLine(t, delimiter, line) }));
  // Some spreadsheet exports end every row with a separator; when all rows do, that empty last
  // cell means nothing. (One row ending in a separator is a missing number, reported below.)
  if (rows.every((r) => r.cells.length > 1 && r.cells[r.cells.length - 1].trim() === '')) {
    for (const row of rows) row.cells.pop();
  }

  let header: string[] | null = null;
  const first = rows[0];
  if (first.cells.every((c) => parseNumberStrict(c, allowDecimalComma) === null && c.trim() !== '')) {
    header = first.cells.map((c) => c.trim());
    rows.shift();
  }
  if (rows.length === 0) {
    throw new DataFileError('empty', dataMessage('csv.headerOnly', { source, header: header!.join(', ') }));
  }

  const columnCount = header ? header.length : rows[0].cells.length;
  if (columnCount > 2) {
    const where = header ? dataMessage('csv.where.header') : dataMessage('csv.where.line', { line: rows[0].line });
    const separators = dataMessage(delimiter ? SEPARATOR_NAMES[delimiter] : 'csv.separators.none');
    throw new DataFileError(
      'shape',
      dataMessage('csv.tooManyColumns', { source, count: columnCount, where, separators }),
      { line: header ? first.line : rows[0].line, column: 3 },
    );
  }
  checkValueCount(rows.length * columnCount, source);

  const columns = Array.from({ length: columnCount }, () => new Float32Array(rows.length));
  rows.forEach((row, r) => {
    if (row.cells.length !== columnCount) {
      const reference = header ? dataMessage('csv.reference.header', { count: columnCount }) : dataMessage('csv.reference.line', { line: rows[0].line, count: columnCount });
      throw new DataFileError(
        'ragged',
        dataMessage(row.cells.length === 1 ? 'csv.raggedOne' : 'csv.raggedMany', { line: row.line, count: row.cells.length, reference }),
        { line: row.line, column: Math.min(row.cells.length, columnCount) + 1 },
      );
    }
    row.cells.forEach((cell, c) => {
      const position = { line: row.line, column: c + 1 };
      if (cell.trim() === '') {
        throw new DataFileError('not-a-number', dataMessage('csv.emptyCell', { line: row.line, column: c + 1 }), position);
      }
      const value = parseNumberStrict(cell, allowDecimalComma);
      if (value === null) {
        throw new DataFileError(
          'not-a-number',
          dataMessage('csv.notNumber', { line: row.line, column: c + 1, cell: quoteForMessage(cell.trim()) }),
          position,
        );
      }
      const problem = float32Problem(value);
      if (problem) throw new DataFileError('not-a-number', dataMessage('csv.badNumber', { line: row.line, column: c + 1, cell: cell.trim(), problem }), position);
      columns[c][r] = value;
    });
  });

  if (columnCount === 1) {
    return { kind: 'values', values: columns[0], shape: [rows.length], ...(header ? { name: header[0] } : {}) };
  }
  return {
    kind: 'xy',
    x: columns[0],
    y: columns[1],
    shape: [rows.length],
    ...(header ? { names: { x: header[0], y: header[1] } } : {}),
  };
}

export function parseCsv(bytes: Uint8Array | ArrayBuffer, options: CsvOptions = {}): NumericData {
  return parseCsvText(decodeText(toBytes(bytes)), options);
}

/** Writes values as CSV ("x,y" rows, or one value a row), with float32 values round-tripping exactly. */
export function formatCsv(columns: { name: string; values: ArrayLike<number> }[], header = true): string {
  const length = columns.length ? columns[0].values.length : 0;
  const lines: string[] = header ? [columns.map((c) => c.name).join(',')] : [];
  for (let i = 0; i < length; i++) lines.push(columns.map((c) => formatFloat32(c.values[i])).join(','));
  return lines.join('\n') + '\n';
}

/** The shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612). */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const target = Math.fround(value);
  if (Object.is(target, -0)) return '-0';
  for (let digits = 1; digits <= 9; digits++) {
    const text = target.toPrecision(digits);
    if (Math.fround(Number(text)) === target) return String(Number(text));
  }
  return String(target);
}
