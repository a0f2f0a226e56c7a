import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeNpyFloat32, parseNpy, parseNpyArray, parseNpyHeader } from '../../../src-main/data/npy';
import { fixture, thrown } from './helpers/fixtures';

const twoByThree = [1.5, -2.25, 3, 4, 5.5, -6.75];

describe('parseNpy (files written by NumPy)', () => {
  it('reads float32, C order, format 1.0', () => {
    const array = parseNpyArray(fixture('f4-c-2x3.npy'));
    expect(array.header).toMatchObject({ version: [1, 0], descr: '<f4', fortranOrder: false, shape: [2, 3] });
    expect(Array.from(array.values)).toEqual(twoByThree);
  });

  it('reads format versions 2.0 and 3.0', () => {
    for (const name of ['f4-v2.npy', 'f4-v3.npy']) {
      const array = parseNpyArray(fixture(name));
      expect(array.header.version[0]).toBe(name === 'f4-v2.npy' ? 2 : 3);
      expect(Array.from(array.values)).toEqual(twoByThree);
    }
  });

  it('reads big-endian float64 and Fortran order into row-major values', () => {
    expect(Array.from(parseNpyArray(fixture('f8-be-2x3.npy')).values)).toEqual(twoByThree);
    const fortran = parseNpyArray(fixture('f4-fortran-2x3.npy'));
    expect(fortran.header.fortranOrder).toBe(true);
    expect(Array.from(fortran.values)).toEqual(twoByThree);
    const fortran3d = parseNpyArray(fixture('f4-fortran-3d.npy'));
    expect(fortran3d.shape).toEqual([2, 3, 4]);
    expect(Array.from(fortran3d.values)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('reads integer, unsigned, bool and float16 dtypes in either byte order', () => {
    expect(Array.from(parseNpyArray(fixture('i8-le-5.npy')).values)).toEqual([1, -2, 3, 2 ** 40, -7]);
    expect(Array.from(parseNpyArray(fixture('i2-be-4.npy')).values)).toEqual([1, -2, 300, -32768]);
    expect(Array.from(parseNpyArray(fixture('u1-4.npy')).values)).toEqual([0, 1, 128, 255]);
    expect(Array.from(parseNpyArray(fixture('bool-3.npy')).values)).toEqual([1, 0, 1]);
    expect(Array.from(parseNpyArray(fixture('f2-3.npy')).values)).toEqual([0.5, -1.25, 65504]);
  });

  it('reads any shape: a scalar and a 3-d array', () => {
    expect(parseNpy(fixture('f4-scalar.npy'))).toEqual({ kind: 'values', values: Float32Array.of(2.5), shape: [] });
    const cube = parseNpy(fixture('f4-3d-2x2x2.npy'));
    expect(cube.kind === 'values' && cube.shape).toEqual([2, 2, 2]);
  });

  it('rejects a truncated file, saying how much is missing', () => {
    const error = thrown(() => parseNpy(fixture('f4-truncated.npy'), { source: 'f4-truncated.npy' }));
    expect(error.code).toBe('truncated');
    expect(error.message).toBe(
      'f4-truncated.npy is truncated: its header promises 6 float32 values of shape (2, 3) — 24 bytes — but only 19 bytes follow. Save or copy the file again.',
    );
    const header = thrown(() => parseNpy(fixture('f4-truncated-header.npy'), { source: 'x.npy' }));
    expect(header.code).toBe('truncated');
    expect(header.message).toBe('x.npy is truncated: its header should be 118 bytes but the file ends after 20. Save it again.');
    expect(thrown(() => parseNpy(fixture('f4-c-2x3.npy').subarray(0, 7))).code).toBe('truncated');
  });

  it('rejects files that are not .npy (bad magic) and empty files', () => {
    const error = thrown(() => parseNpy(fixture('lesson-xy.json'), { source: 'lesson-xy.npy' }));
    expect(error.code).toBe('bad-magic');
    expect(error.message).toBe(
      'lesson-xy.npy is not a NumPy .npy file: it does not start with the bytes "\\x93NUMPY". Save the array with np.save, or pick the right file.',
    );
    expect(thrown(() => parseNpy(new Uint8Array(0), { source: 'e.npy' })).message).toBe('e.npy is empty (0 bytes). Save the array again with np.save.');
    expect(thrown(() => parseNpy(fixture('empty-0.npy'))).message).toBe('The .npy file holds an empty array (shape (0)); it needs at least one number.');
  });

  it('rejects unsupported dtypes with what they are', () => {
    expect(thrown(() => parseNpy(fixture('c8-2.npy'))).message).toBe(
      'The .npy file holds complex numbers (dtype "<c8"); GradLab reads float16/32/64, int8..int64, uint8..uint64 and bool. Save a plain float array instead, e.g. np.save("data.npy", a.astype(np.float32)).',
    );
    expect(thrown(() => parseNpy(fixture('str-2.npy'))).message).toContain('holds text (unicode strings) (dtype "<U4")');
    const structured = thrown(() => parseNpy(fixture('structured-2.npy')));
    expect(structured.code).toBe('unsupported-dtype');
    expect(structured.message).toContain('holds a structured array');
  });

  it('rejects values beyond float32 and unknown format versions', () => {
    expect(thrown(() => parseNpy(fixture('f8-overflow.npy'))).message).toBe(
      'The .npy file: value number 2 (counting in row-major order) is not a finite number in float32 (nan, inf, or larger than about 3.4e38). Replace it before training.',
    );
    const bytes = fixture('f4-c-2x3.npy').slice();
    bytes[6] = 4;
    expect(thrown(() => parseNpyHeader(bytes)).message).toContain('uses .npy format version 4.0; GradLab reads versions 1, 2 and 3.');
  });

  it('rejects a damaged header', () => {
    const bytes = fixture('f4-c-2x3.npy').slice();
    const text = new TextDecoder().decode(bytes.subarray(10, 60));
    const at = text.indexOf("'shape'");
    bytes[10 + at] = '!'.charCodeAt(0);
    const error = thrown(() => parseNpy(bytes));
    expect(error.code).toBe('bad-header');
    expect(error.message).toMatch(/^The \.npy header is damaged \(something unexpected at character \d+\)\./);
  });

  it('writes .npy files byte for byte like np.save', () => {
    expect(encodeNpyFloat32(Float32Array.from(twoByThree), [2, 3])).toEqual(fixture('f4-c-2x3.npy'));
    expect(encodeNpyFloat32(Float32Array.of(1, 2))).toEqual(fixture('lesson-x.npy'));
  });

  it('round-trips float32 arrays of any shape (property)', () => {
    const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(shapeArb, fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 256, maxLength: 256 }), (shape, pool) => {
        const count = shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from(pool.slice(0, count));
        const array = parseNpyArray(encodeNpyFloat32(values, shape));
        expect(array.shape).toEqual(shape);
        expect(Array.from(array.values).map((v, i) => Object.is(v, values[i]))).not.toContain(false);
      }),
      { numRuns: 200 },
    );
  });
});
