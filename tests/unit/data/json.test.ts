import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJson, parseJsonText } from '../../../src-main/data/json';
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
