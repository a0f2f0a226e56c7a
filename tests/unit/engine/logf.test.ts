// logf as glibc computes it (engine/logf.ts), against glibc itself on 4000 float32 values
// (tests/fixtures/engine/logf.json, made by gen_logf.py): zero, subnormals, the largest float,
// infinity, values near 1. The negative control shows Math.fround(Math.log(x)) is not the same
// function, so the test can tell them apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logf } from '../../../src-main/engine/logf';

/** Python's repr of a float back to a number ('inf' and '-inf' included). */
const fromRepr = (s: string): number => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

const pairs = (JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/logf.json'), 'utf8')) as { glibc_logf: [string, string][] }).glibc_logf.map(
  ([x, y]) => [fromRepr(x), fromRepr(y)] as const,
);

describe("glibc's logf", () => {
  it('gives glibc\'s result for every value', () => {
    const wrong = pairs.filter(([x, y]) => !Object.is(logf(x), y));
    expect(wrong).toEqual([]);
  });

  it('negative control: the correctly rounded log differs from glibc somewhere', () => {
    expect(pairs.filter(([x, y]) => Math.fround(Math.log(x)) !== y).length).toBeGreaterThan(0);
  });

  it('handles the edges as C does', () => {
    expect(logf(0)).toBe(-Infinity);
    expect(logf(-0)).toBe(-Infinity);
    expect(logf(-1)).toBeNaN();
    expect(logf(Infinity)).toBe(Infinity);
    expect(logf(NaN)).toBeNaN();
    expect(logf(1)).toBe(0);
  });
});
