import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataFileError, MAX_VALUES } from '../../../src-main/data/errors';
import { formatCsv, formatFloat32, parseCsv, parseCsvText } from '../../../src-main/data/csv';
import { bytesOf, fixture, thrown } from './helpers/fixtures';

describe('parseCsv', () => {
  it('reads one column without a header as values', () => {
    const data = parseCsvText('1\n2.5\n-3e2\n');
    expect(data).toEqual({ kind: 'values', values: Float32Array.of(1, 2.5, -300), shape: [3] });
  });

  it('reads one column with a header and keeps its name', () => {
    const data = parseCsv(fixture('one-column-header.csv'));
    expect(data.kind).toBe('values');
    if (data.kind !== 'values') return;
    expect(Array.from(data.values)).toEqual([115, 21]);
    expect(data.name).toBe('y');
  });

  it('reads two comma-separated columns as x and y', () => {
    const data = parseCsvText('x,y\n1,115\n2,21\n');
    expect(data).toEqual({ kind: 'xy', x: Float32Array.of(1, 2), y: Float32Array.of(115, 21), shape: [2], names: { x: 'x', y: 'y' } });
  });

  it('handles a BOM, CRLF, semicolons and decimal commas', () => {
    const data = parseCsv(fixture('semicolon-bom-decimal-comma.csv'));
    expect(data).toMatchObject({ kind: 'xy', names: { x: 'x', y: 'y' } });
    if (data.kind !== 'xy') return;
    expect(Array.from(data.x)).toEqual([1.5, 3]);
    expect(Array.from(data.y)).toEqual([2.25, 4.5]);
  });

  it('handles tabs, UTF-16 spreadsheet exports, quotes, comments, blank lines and trailing separators', () => {
    const tab = parseCsv(fixture('tab.tsv'));
    expect(tab.kind === 'xy' && Array.from(tab.y)).toEqual([2, 4]);
    const utf16 = parseCsv(fixture('utf16.csv'));
    expect(utf16.kind === 'xy' && Array.from(utf16.x)).toEqual([1, 3]);
    const messy = parseCsvText('# made by hand\n"x","y",\n\n"1",2,\n3,"4",\n\n');
    expect(messy.kind === 'xy' && [Array.from(messy.x), Array.from(messy.y)]).toEqual([[1, 3], [2, 4]]);
  });

  it('rejects an empty file', () => {
    const error = thrown(() => parseCsv(fixture('empty.csv'), { source: 'empty.csv' }));
    expect(error).toBeInstanceOf(DataFileError);
    expect(error.code).toBe('empty');
    expect(error.message).toBe('empty.csv is empty: it has no numbers. Put one number per line (or x and y per line, separated by commas).');
    expect(thrown(() => parseCsvText('  \n\n# only a comment\n')).code).toBe('empty');
  });

  it('rejects a header without numbers', () => {
    const error = thrown(() => parseCsvText('x,y\n'));
    expect(error.code).toBe('empty');
    expect(error.message).toContain('has a header (x, y) but no numbers under it');
  });

  it('names line and column of a non-number', () => {
    const error = thrown(() => parseCsv(fixture('not-a-number.csv'), { source: 'not-a-number.csv' }));
    expect(error.code).toBe('not-a-number');
    expect(error.message).toBe('Line 2, column 2: "frog" is not a number. Use digits with a decimal point, like 2.5 or -1e3.');
    expect(error.position).toEqual({ line: 2, column: 2 });
  });

  it('counts lines from the top of the file, including the header and blank lines', () => {
    const error = thrown(() => parseCsvText('x,y\n\n1,2\n3,0x10\n'));
    expect(error.position).toEqual({ line: 4, column: 2 });
    expect(error.message).toContain('"0x10" is not a number');
  });

  it('rejects an empty cell, nan, inf and numbers beyond float32', () => {
    expect(thrown(() => parseCsvText('1,2\n3,\n4,5')).message).toBe('Line 2, column 2 is empty; put a number there or delete the row.');
    expect(thrown(() => parseCsvText('1\nnan\n')).message).toContain('Line 2, column 1: "nan" is not a number');
    expect(thrown(() => parseCsvText('1\nInfinity\n')).code).toBe('not-a-number');
    expect(thrown(() => parseCsvText('1\n1e39\n')).message).toBe('Line 2, column 1: 1e39 is too large for float32 (the largest is about 3.4e38).');
  });

  it('refuses a file of more lines than values can be trained on in its first quick pass (issue 13: 16.7M lines)', () => {
    // The last line is not a number: a parser that read every number first would report that instead.
    const text = `${'1\n'.repeat(MAX_VALUES + 1)}frog\n`;
    const error = thrown(() => parseCsvText(text, { source: 'lines.csv' }));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('lines.csv holds more than 16,777,216 values; GradLab trains on at most 16,777,216. Use a smaller sample of the data.');
    // two columns: the cap counts values, so half as many lines already exceed it
    const pairs = thrown(() => parseCsvText('1,2\n'.repeat(MAX_VALUES / 2 + 1), { source: 'pairs.csv' }));
    expect(pairs.message).toBe('pairs.csv holds 16,777,218 values; GradLab trains on at most 16,777,216. Use a smaller sample of the data.');
  });

  it('rejects ragged rows naming both lines', () => {
    const error = thrown(() => parseCsv(fixture('ragged.csv')));
    expect(error.code).toBe('ragged');
    expect(error.message).toBe('Line 3 has 1 value but the header has 2; every row needs the same number of columns.');
    expect(thrown(() => parseCsvText('1,2\n3,4,5\n')).message).toBe('Line 2 has 3 values but line 1 has 2; every row needs the same number of columns.');
  });

  it('rejects more than two columns (wrong shape)', () => {
    const error = thrown(() => parseCsv(fixture('three-columns.csv'), { source: 'three-columns.csv' }));
    expect(error.code).toBe('shape');
    expect(error.message).toBe(
      'three-columns.csv has 3 columns (its header, separated by commas); GradLab reads one column (the values) or two (x, then y). Remove the extra columns.',
    );
  });

  it('rejects a quote that never closes', () => {
    expect(thrown(() => parseCsvText('1,"2\n')).message).toBe('Line 1: a quote (") opens a cell but never closes it. Close the quote or remove it.');
  });

  it('round-trips any float32 values through formatCsv (property)', () => {
    const float32 = fc.float({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(float32, float32), { minLength: 1, maxLength: 50 }), fc.boolean(), (pairs, header) => {
        const x = Float32Array.from(pairs.map((p) => p[0]));
        const y = Float32Array.from(pairs.map((p) => p[1]));
        const text = formatCsv([{ name: 'x', values: x }, { name: 'y', values: y }], header);
        const data = parseCsvText(text);
        expect(data.kind).toBe('xy');
        if (data.kind !== 'xy') return;
        // Object.is-equal element by element, so -0 and 0 are told apart too.
        expect(Array.from(data.x).map((v, i) => Object.is(v, x[i]))).not.toContain(false);
        expect(Array.from(data.y).map((v, i) => Object.is(v, y[i]))).not.toContain(false);
      }),
      { numRuns: 200 },
    );
  });

  it('formats float32 values with the fewest digits that read back exactly', () => {
    expect(formatFloat32(0.1)).toBe('0.1');
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(183.07989501953125)).toBe('183.0799');
    expect(formatFloat32(1e-45)).toBe('1e-45');
    expect(formatFloat32(-0)).toBe('-0');
  });

  it('takes bytes as an ArrayBuffer too', () => {
    const bytes = bytesOf('4\n5\n');
    const data = parseCsv(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(data.kind === 'values' && Array.from(data.values)).toEqual([4, 5]);
  });
});
