// Data files into the lab: good ones become x/y, every bad one becomes a message and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNumbersFile } from '../../../src-renderer/images/numbers';
import { imageTooLargeProblem, problemFromError } from '../../../src-renderer/images/problems';
import { fillImageString } from '../../../src-renderer/images/strings';
import { shrinkTarget } from '../../../src-renderer/images/decode';
import { DataFileError } from '../../../src-main/data/errors';
import { loadDataFile } from '../../../src-main/data/load';

const fixtures = join(import.meta.dirname, '../../fixtures/data');
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

describe('numbers files', () => {
  it('loads x and y together from a JSON object', () => {
    const result = readNumbersFile('lesson-xy.json', bytesOf('lesson-xy.json'), 'x');
    expect(result.ok).toBe(true);
    if (!result.ok || result.data.kind !== 'xy') throw new Error('expected x and y');
    expect(Array.from(result.data.x)).toEqual([1, 2]);
    expect(Array.from(result.data.y)).toEqual([115, 21]);
  });

  it('puts a single .npy array into the chosen column', () => {
    const result = readNumbersFile('lesson-x.npy', bytesOf('lesson-x.npy'), 'y');
    expect(result.ok).toBe(true);
    if (!result.ok || result.data.kind !== 'values') throw new Error('expected values');
    expect(result.data.column).toBe('y');
    expect(result.data.values.length).toBeGreaterThan(0);
  });

  const bad: [string, string, RegExp][] = [
    ['not-a-number.csv', 'error.numbers', /not a number|number/i],
    ['not-a-number.json', 'error.numbers', /number/i],
    ['ragged.csv', 'error.numbers', /.+/],
    ['f4-truncated.npy', 'error.numbers', /.+/],
    ['f4-truncated-header.npy', 'error.numbers', /.+/],
  ];
  for (const [file, key, detail] of bad) {
    it(`refuses ${file} with its message`, () => {
      const result = readNumbersFile(file, bytesOf(file), 'x');
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problem.key).toBe(key);
      expect(result.problem.params.name).toBe(file);
      expect(result.problem.detail).toMatch(detail);
    });
  }

  it('refuses an empty file as empty', () => {
    const result = readNumbersFile('empty.csv', bytesOf('empty.csv'), 'x');
    expect(result).toEqual({ ok: false, problem: { key: 'error.empty', params: { name: 'empty.csv' } } });
    expect(fillImageString('en', 'error.empty', { name: 'empty.csv' })).toBe('empty.csv is empty (0 bytes). Pick another file.');
  });

  it('refuses a wrong extension and an image in the numbers loader', () => {
    const xlsx = readNumbersFile('table.xlsx', Uint8Array.of(1, 2, 3), 'x');
    expect(xlsx.ok === false && xlsx.problem.key).toBe('error.wrongExtension');
    // An image, whole or damaged, is sent to the frog loader; the message does not list .png as accepted here.
    const png = readNumbersFile('small-40x24.png', bytesOf('small-40x24.png'), 'x');
    expect(png.ok === false && png.problem.key).toBe('error.imageAsNumbers');
    const broken = readNumbersFile('broken.PNG', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 1, 2), 'y');
    expect(broken.ok === false && broken.problem.key).toBe('error.imageAsNumbers');
    const text = fillImageString('en', 'error.imageAsNumbers', { name: 'broken.PNG' });
    expect(text).toContain('Frog images');
    expect(text).not.toContain('.png');
  });
});

describe('image problems', () => {
  it('says a 200-megapixel PNG is too large from its header alone, in both languages', () => {
    const bytes = bytesOf('huge-200mp-header.png');
    let thrown: unknown = null;
    try {
      loadDataFile('huge.png', bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataFileError);
    const problem = problemFromError(thrown, 'huge.png', bytes);
    expect(problem).toEqual(imageTooLargeProblem('huge.png', 20000, 10000));
    expect(fillImageString('en', problem.key, problem.params)).toBe(
      'huge.png is 20,000 × 10,000 pixels (200 megapixels). GradLab opens images up to 50 megapixels. Make it smaller in an image editor first; the lesson uses 64 × 64 anyway.',
    );
    expect(fillImageString('zh-CN', problem.key, problem.params)).toContain('20,000 × 10,000 像素（200 百万像素）');
  });

  it('maps an empty image to the empty message and anything unexpected to a read error', () => {
    let thrown: unknown = null;
    try {
      loadDataFile('blank.png', new Uint8Array(0));
    } catch (error) {
      thrown = error;
    }
    expect(problemFromError(thrown, 'blank.png')).toEqual({ key: 'error.empty', params: { name: 'blank.png' } });
    expect(problemFromError(new Error('disk gone'), 'a.png')).toEqual({ key: 'error.read', params: { name: 'a.png', reason: 'disk gone' } });
  });

  it('shrinks only images larger than 2048 on a side, keeping the aspect ratio', () => {
    expect(shrinkTarget(2048, 1000)).toBeNull();
    expect(shrinkTarget(4096, 2048)).toEqual({ width: 2048, height: 1024 });
    expect(shrinkTarget(3000, 7000)).toEqual({ width: 878, height: 2048 });
  });
});
