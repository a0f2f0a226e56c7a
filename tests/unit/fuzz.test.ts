// The short fuzzing round CI runs: every target of `npm run fuzz` (tests/fuzz/targets.ts) on a
// fixed number of inputs from a fixed seed, so a failure here replays exactly. The negative
// control shows a property fails when a reader throws something other than its own error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzTargets, onlyOwnErrors } from '../fuzz/targets';
import { DataFileError } from '../../src-main/data/errors';
import { dataMessage } from '../../src-main/data/messages';

const RUNS: Record<string, number> = { 'python: running mutated programs ends in output or a Python error': 60 };

describe('fuzz (short round)', () => {
  for (const target of fuzzTargets()) {
    it(target.name, () => {
      fc.assert(target.property as fc.IRawProperty<unknown>, { numRuns: RUNS[target.name] ?? 300, seed: 13 });
    }, 120_000);
  }

  it('a reader that throws anything but its own errors fails the property, with the input shown', () => {
    const property = fc.property(fc.string(), (text) =>
      onlyOwnErrors(() => {
        if (text.includes('"')) throw new TypeError('cannot read properties of undefined');
        throw new DataFileError('empty', dataMessage('session.empty'));
      }, DataFileError),
    );
    let failure: Error | null = null;
    try {
      fc.assert(property, { seed: 13 });
    } catch (error) {
      failure = error as Error;
    }
    expect(failure?.message).toMatch(/Counterexample: \["\\""\]/);
    expect(String((failure?.cause as Error | undefined)?.message)).toBe('unexpected TypeError: cannot read properties of undefined');
  });
});
