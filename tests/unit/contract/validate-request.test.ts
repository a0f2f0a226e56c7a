// The request schema's number arrays: same verdicts as a per-element check, for an image's
// 786,432 values too (main and the worker both validate every start request; `npm run
// bench:validate` measures how long that takes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_VALUES } from '../../../src-main/contract/limits';
import { validateRequest } from '../../../src-main/contract/validate-request';

const start = (x: unknown, initialW: unknown = { kind: 'ones' }) => ({
  type: 'start',
  runId: 'r',
  config: { x, y: [1, 2], initialW, initialB: 0, learningRate: 0.01, epochs: 10 },
});

describe('validateRequest for training data', () => {
  it('accepts Float32Arrays and arrays of finite numbers, refuses anything else with the field named', () => {
    expect(validateRequest(start([1, 2])).ok).toBe(true);
    expect(validateRequest(start(new Float32Array(2))).ok).toBe(true);
    expect(validateRequest(start([1, 2], { kind: 'values', values: [0.5, -3] })).ok).toBe(true);
    expect(validateRequest(start('1,2'))).toEqual({ ok: false, error: 'Invalid request at config.x: Expected a Float32Array or an array of finite numbers' });
    expect(validateRequest(start([1, 'a']))).toEqual({ ok: false, error: 'Invalid request at config.x: Expected finite numbers only, but [1] is "a"' });
    expect(validateRequest(start([1, Number.NaN])).ok).toBe(false);
    expect(validateRequest(start(new Float64Array(2))).ok).toBe(false);
    expect(validateRequest(start([1, 2], { kind: 'values', values: [Infinity] }))).toEqual({
      ok: false,
      error: 'Invalid request at config.initialW.values: Expected finite numbers only, but [0] is Infinity',
    });
    expect(validateRequest(start([1, 2], { kind: 'values', values: new Float32Array(2) }))).toEqual({
      ok: false,
      error: 'Invalid request at config.initialW.values: Expected an array of finite numbers',
    });
  });

  it('takes the piled-up gradients of a continued run as a Float32Array or finite numbers, and a finite b', () => {
    const withGrad = (initialGrad: unknown) => ({ ...start([1, 2]), config: { ...start([1, 2]).config, skipZeroGrad: true, initialGrad } });
    expect(validateRequest(withGrad({ w: new Float32Array([-114, -34]), b: -131 })).ok).toBe(true);
    expect(validateRequest(withGrad({ w: [-114, -34], b: -131 })).ok).toBe(true);
    expect(validateRequest(withGrad({ w: [-114, Number.NaN], b: -131 }))).toEqual({ ok: false, error: 'Invalid request at config.initialGrad.w: Expected finite numbers only, but [1] is NaN' });
    expect(validateRequest(withGrad({ w: [-114, -34] })).ok).toBe(false);
  });

  it("takes an image's scale (the worker draws the pictures in it) and refuses any other", () => {
    const withImage = (image: unknown) => ({ ...start([1, 2]), config: { ...start([1, 2]).config, image } });
    expect(validateRequest(withImage({ width: 2, height: 1, channels: 1 })).ok).toBe(true);
    expect(validateRequest(withImage({ width: 2, height: 1, channels: 1, scale: '0..255' })).ok).toBe(true);
    const wrong = validateRequest(withImage({ width: 2, height: 1, channels: 1, scale: '0..100' }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toMatch(/config\.image\.scale/);
  });

  it('refuses a Float32Array holding NaN or Infinity, naming the first one', () => {
    const x = new Float32Array([1, 2, 3]);
    x[2] = Number.NaN;
    expect(validateRequest(start(x))).toEqual({ ok: false, error: 'Invalid request at config.x: Expected finite numbers only, but [2] is NaN' });
    x[2] = 3;
    x[1] = -Infinity;
    expect(validateRequest(start(x))).toEqual({ ok: false, error: 'Invalid request at config.x: Expected finite numbers only, but [1] is -Infinity' });
    const request = start([1, 2]);
    request.config.y = new Float32Array([0, Infinity]) as unknown as number[];
    expect(validateRequest(request)).toEqual({ ok: false, error: 'Invalid request at config.y: Expected finite numbers only, but [1] is Infinity' });
  });

  it('caps x, y and the starting w at MAX_VALUES values, typed or not', () => {
    expect(validateRequest(start(new Float32Array(MAX_VALUES))).ok).toBe(true);
    expect(validateRequest(start(new Float32Array(MAX_VALUES + 1)))).toEqual({
      ok: false,
      error: 'Invalid request at config.x: Expected at most 16,777,216 values, got 16,777,217',
    });
    // A sparse array: the length alone is refused, before any element is looked at.
    const huge: number[] = [];
    huge.length = 100_000_000;
    expect(validateRequest(start([1, 2], { kind: 'values', values: huge }))).toEqual({
      ok: false,
      error: 'Invalid request at config.initialW.values: Expected at most 16,777,216 values, got 100,000,000',
    });
  });

  it('agrees with the typed-array check on arbitrary Float32Arrays', () => {
    fc.assert(
      fc.property(fc.float32Array(), (values) => {
        expect(validateRequest(start(values)).ok).toBe(values.every((v) => Number.isFinite(v)));
      }),
    );
  });

  it('agrees with a per-element check on arbitrary arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.string({ maxLength: 2 }))), (values) => {
        const expected = values.every((v) => typeof v === 'number' && Number.isFinite(v));
        expect(validateRequest(start(values)).ok).toBe(expected);
      }),
    );
  });

  it('accepts a 786,432-value number[] start request (x, y and w) and refuses it with one bad value at the end', () => {
    // How long this takes is measured by `npm run bench:validate`, not asserted here.
    const values = Array.from({ length: 786_432 }, (_, i) => i / 786_432);
    const request = { type: 'start', runId: 'big', config: { x: values, y: values, initialW: { kind: 'values', values }, initialB: 0, learningRate: 0.01, epochs: 1 } };
    expect(validateRequest(request).ok).toBe(true);
    const spoiled = [...values.slice(0, -1), Number.NaN];
    expect(validateRequest({ ...request, config: { ...request.config, y: spoiled } })).toEqual({
      ok: false,
      error: 'Invalid request at config.y: Expected finite numbers only, but [786431] is NaN',
    });
  });
});
