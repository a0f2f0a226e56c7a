// CSV (and semicolon/tab separated) numbers: one column (values) or two (x, y), header optional.
// Pure TS. Positions in messages are 1-based; `column` counts cells, as a spreadsheet does.
import { DataFileError, MAX_VALUES, moreThanMaxValues, quoteForMessage } from './errors';
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

/** Calls `visit` with each line that holds data (not blank, not a # comment), in order, with its 1-based number. */
function forEachContentLine(text: string, visit: (line: number, content: string) => void): void {
  const n = text.length;
  let start = 0;
  for (let line = 1; ; line++) {
    let end = start;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    const content = text.slice(start, end);
    if (content.trim() !== '' && !isComment(content)) visit(line, content);
    if (end >= n) return;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}

/** Whether a line's last cell is blank ("1,2," and "1,2, " but not "1,2" or one cell alone). */
function endsWithEmptyCell(text: string, delimiter: CsvDelimiter, line: number): boolean {
  if (text.includes('"')) {
    const cells = splitLine(text, delimiter, line);
    return cells.length > 1 && cells[cells.length - 1].trim() === '';
  }
  const last = text.lastIndexOf(delimiter);
  return last >= 0 && text.slice(last + 1).trim() === '';
}

/** How many lines (with the delimiter checked on the first ones) to look at before deciding it. */
const DELIMITER_SAMPLE = 20;

/**
 * The first pass: the delimiter, how many data lines there are, and whether every one ends with a
 * separator. It stops as soon as there are more lines than values can be trained on, so an
 * oversized file is refused after one quick scan, before any number is parsed.
 */
function surveyLines(text: string, options: CsvOptions, source: MessageParam): { lines: number; delimiter: CsvDelimiter | null; allTrailing: boolean } {
  const sample: { line: number; text: string }[] = [];
  let lines = 0;
  let delimiter: CsvDelimiter | null | undefined = options.delimiter;
  let allTrailing = true;
  const decide = (): CsvDelimiter | null => {
    delimiter ??= detectDelimiter(sample.map((l) => l.text));
    for (const l of sample) allTrailing &&= delimiter !== null && endsWithEmptyCell(l.text, delimiter, l.line);
    sample.length = 0;
    return delimiter;
  };
  forEachContentLine(text, (line, content) => {
    // every line but a header holds at least one value
    if (++lines > MAX_VALUES + 1) throw moreThanMaxValues(source);
    if (delimiter === undefined || sample.length > 0) {
      sample.push({ line, text: content });
      if (sample.length === DELIMITER_SAMPLE) decide();
    } else if (allTrailing) {
      allTrailing = delimiter !== null && endsWithEmptyCell(content, delimiter, line);
    }
  });
  return { lines, delimiter: decide(), allTrailing: allTrailing && lines > 0 };
}

export function parseCsvText(text: string, options: CsvOptions = {}): NumericData {
  const source: MessageParam = options.source ?? dataMessage('source.csv');
  const survey = surveyLines(text, options, source);
  if (survey.lines === 0) {
    throw new DataFileError('empty', dataMessage('csv.empty', { source }));
  }
  const { delimiter } = survey;
  // With commas splitting cells, "1,5" cannot mean one and a half; with ; or tab it can.
  const allowDecimalComma = delimiter === ';' || delimiter === '\t';
  const cellsOf = (content: string, line: number): string[] => {
    const cells = splitLine(content, delimiter, line);
    // Some spreadsheet exports end every row with a separator; when all rows do, that empty last
    // cell means nothing. (One row ending in a separator is a missing number, reported below.)
    if (survey.allTrailing) cells.pop();
    return cells;
  };

  // The second pass: the first line is a header when none of its cells is a number; every other
  // line is a row, read straight into the columns (their length is known from the first pass).
  let header: string[] | null = null;
  let headerRow: Row | null = null;
  let firstRow: Row | null = null;
  let columns: Float32Array[] = [];
  let rows = 0;
  forEachContentLine(text, (line, content) => {
    const row = { line, cells: cellsOf(content, line) };
    if (headerRow === null && firstRow === null && row.cells.every((c) => parseNumberStrict(c, allowDecimalComma) === null && c.trim() !== '')) {
      header = row.cells.map((c) => c.trim());
      headerRow = row;
      return;
    }
    if (firstRow === null) {
      firstRow = row;
      columns = startColumns(headerRow ?? row, header, row);
    }
    readRow(row, rows++, columns, header, firstRow);
  });
  if (rows === 0) throw new DataFileError('empty', dataMessage('csv.headerOnly', { source, header: (header ?? []).join(', ') }));
  const names: string[] | null = header;
  if (columns.length === 1) return { kind: 'values', values: columns[0], shape: [rows], ...(names ? { name: names[0] } : {}) };
  return { kind: 'xy', x: columns[0], y: columns[1], shape: [rows], ...(names ? { names: { x: names[0], y: names[1] } } : {}) };

  /** Checks the column count against the first row (and the header) and makes the columns. */
  function startColumns(top: Row, head: string[] | null, firstData: Row): Float32Array[] {
    const columnCount = head ? head.length : firstData.cells.length;
    if (columnCount > 2) {
      const where = head ? dataMessage('csv.where.header') : dataMessage('csv.where.line', { line: firstData.line });
      const separators = dataMessage(delimiter ? SEPARATOR_NAMES[delimiter] : 'csv.separators.none');
      throw new DataFileError('shape', dataMessage('csv.tooManyColumns', { source, count: columnCount, where, separators }), { line: top.line, column: 3 });
    }
    const rowCount = survey.lines - (head ? 1 : 0);
    checkValueCount(rowCount * columnCount, source);
    return Array.from({ length: columnCount }, () => new Float32Array(rowCount));
  }

  /** Reads one row's numbers into the columns, or says exactly which cell is wrong. */
  function readRow(row: Row, r: number, into: Float32Array[], head: string[] | null, firstRow: Row): void {
    const columnCount = into.length;
    if (row.cells.length !== columnCount) {
      const reference = head ? dataMessage('csv.reference.header', { count: columnCount }) : dataMessage('csv.reference.line', { line: firstRow.line, count: columnCount });
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
        throw new DataFileError('not-a-number', dataMessage('csv.notNumber', { line: row.line, column: c + 1, cell: quoteForMessage(cell.trim()) }), position);
      }
      const problem = float32Problem(value);
      if (problem) throw new DataFileError('not-a-number', dataMessage('csv.badNumber', { line: row.line, column: c + 1, cell: cell.trim(), problem }), position);
      into[c][r] = value;
    });
  }
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
