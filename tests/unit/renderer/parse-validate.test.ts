// Typed and pasted data: numbers are read, everything else is reported where it is and kept as typed.
import { describe, expect, it } from 'vitest';
import { parseCell, parseSpreadsheetPaste, splitList } from '../../../src-renderer/lib/parse';
import { buildConfig, cellKey, checkData, checkParams } from '../../../src-renderer/lib/validate';
import { makePreset } from '../../../src-renderer/lib/presets';

describe('parseCell', () => {
  it('reads decimal numbers with optional sign and exponent', () => {
    for (const [text, value] of [['3', 3], [' -2.5 ', -2.5], ['.5', 0.5], ['1e-3', 0.001], ['+4.', 4], ['1E3', 1000]] as const) {
      expect(parseCell(text)).toEqual({ ok: true, value });
    }
  });
  it('rejects what is not a plain number instead of guessing', () => {
    for (const text of ['abc', '1,5', '0x10', 'Infinity', 'NaN', '1 2', '--1', '1e400', '３']) {
      expect(parseCell(text), text).toEqual({ ok: false, reason: 'notNumber' });
    }
    expect(parseCell('   ')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('parseSpreadsheetPaste', () => {
  it('splits tab/newline clipboard text into rows and columns, keeping empty cells', () => {
    expect(parseSpreadsheetPaste('1\t115\r\n2\t21\r\n')).toEqual([['1', '115'], ['2', '21']]);
    expect(parseSpreadsheetPaste('1\n\n3')).toEqual([['1'], [''], ['3']]);
  });
  it('returns null for a single value so the normal paste happens', () => {
    expect(parseSpreadsheetPaste('42')).toBeNull();
  });
});

describe('splitList', () => {
  it('splits on commas (ASCII or Chinese) and spaces, keeping each piece as written', () => {
    expect(splitList('1, 2,3  4，5')).toEqual(['1', '2', '3', '4', '5']);
    expect(splitList('  ')).toEqual([]);
    expect(splitList('1, abc')).toEqual(['1', 'abc']);
  });
});

describe('checkData', () => {
  it('accepts equal-length numeric columns as float32', () => {
    const result = checkData(['1', '2'], ['115', '21']);
    expect(result.ok).toBe(true);
    expect([...result.x]).toEqual([1, 2]);
    expect(result.y).toBeInstanceOf(Float32Array);
  });

  it('marks a non-number in place, quoting what was typed', () => {
    const result = checkData(['1', 'two'], ['115', '21']);
    expect(result.ok).toBe(false);
    expect(result.cellProblems.get(cellKey('x', 1))).toEqual({ key: 'data.errorNotNumber', params: { text: 'two' } });
    expect(result.cellProblems.size).toBe(1);
  });

  it('marks every unpaired row of the longer column and reports both lengths', () => {
    const result = checkData(['1', '2', '3', '4'], ['5', '6']);
    expect(result.overall).toContainEqual({ key: 'data.errorLengthMismatch', params: { nx: 4, ny: 2 } });
    expect(result.cellProblems.get(cellKey('x', 2))).toEqual({ key: 'data.errorMissingY', params: { row: 3 } });
    expect(result.cellProblems.get(cellKey('x', 3))).toEqual({ key: 'data.errorMissingY', params: { row: 4 } });
    expect(result.cellProblems.has(cellKey('y', 2))).toBe(false);
  });

  it('treats an empty cell as a problem, not as zero', () => {
    const result = checkData(['1', ''], ['1', '2']);
    expect(result.cellProblems.get(cellKey('x', 1))).toEqual({ key: 'data.errorEmpty' });
  });
});

describe('checkParams and buildConfig', () => {
  const base = { wKind: 'values' as const, wValuesText: '1, 2', seedText: '42', bText: '0', lrText: '0.01', epochsText: '100' };

  it('builds the lesson example config', () => {
    const preset = makePreset('lesson-example');
    const data = checkData(preset.xCells, preset.yCells);
    const params = checkParams(preset, 2);
    expect(buildConfig(data, params)).toEqual({
      x: new Float32Array([1, 2]),
      y: new Float32Array([115, 21]),
      initialW: { kind: 'values', values: [1, 2] },
      initialB: 0,
      learningRate: 0.01,
      epochs: 100,
    });
  });

  it('reports a w of the wrong length, a bad learning rate and fractional epochs, and builds nothing', () => {
    const params = checkParams({ ...base, wValuesText: '1', lrText: '-1', epochsText: '2.5' }, 2);
    expect(params.problems.w).toEqual({ key: 'params.errorWLength', params: { nw: 1, nx: 2 } });
    expect(params.problems.lr?.key).toBe('params.errorLr');
    expect(params.problems.epochs?.key).toBe('params.errorEpochs');
    expect(buildConfig(checkData(['1', '2'], ['1', '2']), params)).toBeNull();
  });

  it('needs an integer seed for random w', () => {
    expect(checkParams({ ...base, wKind: 'random', seedText: '1.5' }, 2).problems.seed?.key).toBe('params.errorSeed');
    expect(checkParams({ ...base, wKind: 'random', seedText: '7' }, 2).initialW).toEqual({ kind: 'random', seed: 7 });
  });
});

describe('presets', () => {
  it('make valid data of the requested size, the same every time', () => {
    const a = makePreset('noisy-line', 786_432);
    expect(a.xCells).toHaveLength(786_432);
    expect(checkData(a.xCells, a.yCells).ok).toBe(true);
    expect(makePreset('noisy-line', 50).yCells).toEqual(makePreset('noisy-line', 50).yCells);
    const line = makePreset('perfect-line');
    expect(line.yCells).toEqual(line.xCells.map((x) => String(2 * Number(x) + 1)));
  });
});
