// int64 in its BigInt64Array against PyTorch 1.13 on 900 values across the whole range
// (tests/fixtures/engine/int64.json, made by gen_int64.py): conversions to float32 (one rounding
// from int64, ties to even) and float64, wrapping + - *, floor // and %, float64 -> int64
// truncation (x86's INT64_MIN for out-of-range values). Negative controls show the tests can
// tell exact int64 from what a Float64Array of integers gave.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { torch } from '../../../src-main/engine';
import type { Tensor } from '../../../src-main/engine';
import * as ops from '../../../src-main/engine/ops/index';
import { int64ToFloat32 } from '../../../src-main/engine/dtype';

interface Fixture {
  values: string[];
  other: string[];
  float32: string[];
  float64: string[];
  add: string[];
  sub: string[];
  mul: string[];
  floordiv: string[];
  remainder: string[];
  floats: string[];
  truncated: string[];
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/int64.json'), 'utf8')) as Fixture;
const big = (xs: string[]): bigint[] => xs.map((x) => BigInt(x));
const int64 = (xs: bigint[]): Tensor => torch.tensor(xs);
const values = int64(big(fixture.values));
const other = int64(big(fixture.other));
const list = (t: Tensor): unknown[] => t.tolist() as unknown[];

describe('int64 (BigInt64Array storage) against PyTorch', () => {
  it('keeps every value exactly, 2^63 - 1 and -2^63 included', () => {
    expect(values.data).toBeInstanceOf(BigInt64Array);
    expect(list(values)).toEqual(big(fixture.values));
  });

  it('converts to float32 with one rounding and to float64 as PyTorch does', () => {
    expect(list(values.to('float32'))).toEqual(fixture.float32.map(Number));
    expect(list(values.to('float64'))).toEqual(fixture.float64.map(Number));
  });

  it('negative control: rounding through a double first differs from PyTorch somewhere', () => {
    const twice = big(fixture.values).map((v) => Math.fround(Number(v)));
    expect(twice.filter((v, i) => v !== Number(fixture.float32[i])).length).toBeGreaterThan(0);
  });

  it('adds, subtracts and multiplies wrapping around as C does', () => {
    expect(list(values.add(other))).toEqual(big(fixture.add));
    expect(list(values.sub(other))).toEqual(big(fixture.sub));
    expect(list(values.mul(other))).toEqual(big(fixture.mul));
  });

  it('negative control: products in doubles are not the wrapped int64 products', () => {
    const asDoubles = big(fixture.values).map((v, i) => BigInt.asIntN(64, BigInt(Math.trunc(Number(v) * Number(fixture.other[i])) || 0)));
    expect(asDoubles.filter((v, i) => v !== BigInt(fixture.mul[i])).length).toBeGreaterThan(0);
  });

  it('floor-divides and takes remainders with the divisor sign', () => {
    const divisor = ops.where(ops.compare('eq', other, 0n), torch.tensor(7n), other);
    expect(list(ops.floorDivide(values, divisor))).toEqual(big(fixture.floordiv));
    expect(list(ops.remainder(values, divisor))).toEqual(big(fixture.remainder));
  });

  it('raises ZeroDivisionError for an integer // 0 and % 0', () => {
    expect(() => ops.floorDivide(torch.tensor([7n]), 0n)).toThrow('ZeroDivisionError');
    expect(() => ops.remainder(torch.tensor([7n]), 0n)).toThrow('ZeroDivisionError');
  });

  it('truncates float64 to int64 (NaN and out-of-range values give -2^63)', () => {
    const floats = torch.tensor(fixture.floats.map(Number), { dtype: 'float64' });
    expect(list(floats.to('int64'))).toEqual(big(fixture.truncated));
  });

  it('int64ToFloat32 is round-to-nearest-even of the exact value (property)', () => {
    // reference: the nearer of the two floats around v, ties to the even mantissa, in exact integers
    const reference = (v: bigint): number => {
      const f = Math.fround(Number(v));
      const candidates = [f, ...[-1, 1].map((d) => {
        const a = new Float32Array([f]);
        const u = new Int32Array(a.buffer);
        u[0] += d;
        return a[0];
      })].filter(Number.isInteger);
      let best = candidates[0];
      for (const c of candidates.slice(1)) {
        const dc = BigInt(c) - v;
        const db = BigInt(best) - v;
        const ac = dc < 0n ? -dc : dc;
        const ab = db < 0n ? -db : db;
        const even = (x: number): boolean => (new Uint32Array(new Float32Array([x]).buffer)[0] & 1) === 0;
        if (ac < ab || (ac === ab && even(c))) best = c;
      }
      return best;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        expect(int64ToFloat32(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });
});
