// The request schema's number arrays: same verdicts as a per-element check, fast enough for a
// 786,432-value image (main and the worker both validate every start request).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
    expect(validateRequest(start([1, 'a']))).toEqual({ ok: false, error: 'Invalid request at config.x: Expected a Float32Array or an array of finite numbers' });
    expect(validateRequest(start([1, Number.NaN])).ok).toBe(false);
    expect(validateRequest(start(new Float64Array(2))).ok).toBe(false);
    expect(validateRequest(start([1, 2], { kind: 'values', values: [Infinity] }))).toEqual({
      ok: false,
      error: 'Invalid request at config.initialW.values: Expected an array of finite numbers',
    });
  });

  it('agrees with a per-element check on arbitrary arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.string({ maxLength: 2 }))), (values) => {
        const expected = values.every((v) => typeof v === 'number' && Number.isFinite(v));
        expect(validateRequest(start(values)).ok).toBe(expected);
      }),
    );
  });

  it('checks a 786,432-value number[] start request (x, y and w) in well under a second', () => {
    const values = Array.from({ length: 786_432 }, (_, i) => i / 786_432);
    const started = performance.now();
    const result = validateRequest({ type: 'start', runId: 'big', config: { x: values, y: values, initialW: { kind: 'values', values }, initialB: 0, learningRate: 0.01, epochs: 1 } });
    const ms = performance.now() - started;
    console.log(`[measured] validating a 786,432-value number[] start request: ${ms.toFixed(1)} ms`);
    expect(result.ok).toBe(true);
    expect(ms).toBeLessThan(1000); // valibot's per-element v.array took ~800 ms for x alone here
  });
});
