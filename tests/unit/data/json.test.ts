import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJson, parseJsonText } from '../../../src-main/data/json';
import { DataFileError, MAX_VALUES } from '../../../src-main/data/errors';
import { fixture, thrown } from './helpers/fixtures';

describe('parseJson', () => {
  it('reads a list of numbers', () => {
    expect(parseJsonText('[1, 2.5, -3e2]')).toEqual({ kind: 'values', values: Float32Array.of(1, 2.5, -300), shape: [3] });
  });

  it('reads nested lists with their shape, row-major', () => {
    const data = parseJsonText('[[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]');
    expect(data).toEqual({ kind: 'values', values: Float32Array.from({ length: 12 }, (_, i) => i + 1), shape: [3, 2, 2] });
  });

  it('reads {"x": [...], "y": [...]} as x and y', () => {
    expect(parseJson(fixture('lesson-xy.json'))).toEqual({ kind: 'xy', x: Float32Array.of(1, 2), y: Float32Array.of(115, 21), shape: [2] });
  });

  it('rejects an empty file and an empty list', () => {
    const empty = thrown(() => parseJsonText('  \n', { source: 'data.json' }));
    expect(empty.code).toBe('empty');
    expect(empty.message).toBe(
      'data.json is empty. Give a list of numbers like [1, 2, 3], a list of equal-length lists like [[1, 2], [3, 4]], or {"x": [1, 2], "y": [115, 21]}.',
    );
    expect(thrown(() => parseJsonText('[]')).message).toBe('The JSON file: the list is empty; it needs at least one number.');
    expect(thrown(() => parseJsonText('[[], []]')).code).toBe('empty');
  });

  it('names the item that is not a number', () => {
    const error = thrown(() => parseJson(fixture('not-a-number.json'), { source: 'not-a-number.json' }));
    expect(error.code).toBe('not-a-number');
    expect(error.message).toBe('not-a-number.json: item [1] is "two" (text), not a number.');
    expect(thrown(() => parseJsonText('[[1, 2], [3, null]]')).message).toBe('The JSON file: item [1][1] is null, not a number.');
    expect(thrown(() => parseJsonText('{"x": [1, 2], "y": [3, {"a": 1}]}')).message).toBe('The JSON file: item y[1] is an object, not a number.');
    expect(thrown(() => parseJsonText('[1e39]')).message).toBe('The JSON file: item [0] (1e+39) is too large for float32 (the largest is about 3.4e38).');
  });

  it('rejects ragged nesting (wrong shape)', () => {
    const error = thrown(() => parseJson(fixture('ragged.json')));
    expect(error.code).toBe('ragged');
    expect(error.message).toBe('The JSON file: row [1] has 2 items but [0] has 3; every row needs the same length.');
    expect(thrown(() => parseJsonText('[1, [2]]')).message).toBe('The JSON file: item [1] is a list, but [0] is a number; every row needs the same shape.');
    expect(thrown(() => parseJsonText('[[1], 2]')).message).toBe(
      'The JSON file: item [1] is 2, but a list of 1 is expected there (like [0]); every row needs the same shape.',
    );
  });

  it('rejects x and y of different shapes, and objects without x and y', () => {
    expect(thrown(() => parseJsonText('{"x": [1, 2, 3], "y": [1, 2]}')).message).toBe(
      'The JSON file: x has shape [3] but y has shape [2]; they must match, because w*x + b is compared with y value by value.',
    );
    expect(thrown(() => parseJsonText('{"inputs": [1], "targets": [2]}')).message).toBe(
      'The JSON file holds an object with keys "inputs", "targets"; an object needs both "x" and "y" lists, e.g. {"x": [1, 2], "y": [115, 21]}.',
    );
    expect(thrown(() => parseJsonText('"frog"')).code).toBe('shape');
    expect(thrown(() => parseJsonText('{"x": 1, "y": [1]}')).message).toContain('x is 1, not a list');
  });

  it('reports where JSON breaks off or goes wrong', () => {
    const truncated = thrown(() => parseJson(fixture('truncated.json'), { source: 'truncated.json' }));
    expect(truncated.code).toBe('syntax');
    expect(truncated.message).toMatch(/^truncated\.json, line 1, column \d+: the JSON ends too early \(is the file cut off\?\)/);
    const broken = thrown(() => parseJsonText('[1,\n 2,\n x]'));
    expect(broken.message).toMatch(/^The JSON file, line 3, column 2: this is not valid JSON\./);
    expect(broken.position).toEqual({ line: 3, column: 2 });
  });

  it('refuses nesting deeper than 32 levels with a DataFileError, never a stack overflow (issue 13: 2,279 nested "[")', () => {
    for (const text of ['['.repeat(2279), `${'['.repeat(2279)}1${']'.repeat(2279)}`, `{"x": ${'['.repeat(100_000)}`, ` \n${'[{'.repeat(40)}`]) {
      const error = thrown(() => parseJsonText(text, { source: 'deep.json' }));
      expect(error.code).toBe('too-deep');
      expect(error.message).toMatch(/^deep\.json, line \d+, column \d+: the lists are nested more than 32 levels deep\./);
      expect((error as DataFileError).text('zh-CN')).toContain('列表嵌套超过了 32 层');
    }
    expect(thrown(() => parseJsonText('['.repeat(2279), { source: 'deep.json' })).position).toEqual({ line: 1, column: 33 });
    // 32 levels are fine, and brackets inside strings do not count
    const deepest = parseJsonText(`${'['.repeat(32)}1${']'.repeat(32)}`);
    expect(deepest.shape).toHaveLength(32);
    expect(thrown(() => parseJsonText(`{"x": ["${'['.repeat(100)}"], "y": [1]}`)).code).toBe('not-a-number');
  });

  it('stops counting at the value cap, before JSON.parse builds anything', () => {
    const error = thrown(() => parseJsonText(`[${'1,'.repeat(MAX_VALUES)}1]`, { source: 'big.json' }));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('big.json holds more than 16,777,216 values; GradLab trains on at most 16,777,216. Use a smaller sample of the data.');
    // x and y together may hold twice as many (each is checked against the cap on its own)
    expect(parseJsonText('{"x": [1, -2e3, 3.5], "y": [4, 5, 6]}')).toMatchObject({ kind: 'xy', shape: [3] });
  });

  it('round-trips nested float32 arrays (property)', () => {
    const float32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.array(float32, { minLength: 25, maxLength: 25 }), (rows, cols, pool) => {
        const nested = Array.from({ length: rows }, (_, r) => pool.slice(r * cols, (r + 1) * cols));
        const data = parseJsonText(JSON.stringify(nested));
        expect(data.kind === 'values' && data.shape).toEqual([rows, cols]);
        if (data.kind === 'values') expect(Array.from(data.values)).toEqual(pool.slice(0, rows * cols));
      }),
      { numRuns: 100 },
    );
  });
});
