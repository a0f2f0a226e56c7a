import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatExponent,
  formatExponentExact,
  formatFixed,
  formatFixedExact,
  formatFloat,
  formatGeneral,
  parseFormatSpec,
  PyFormatError,
  reprFloat,
} from '../../../src-main/engine/pyfloat';

// Expected strings come from real CPython 3.11 (tests/fixtures/engine/print/gen_pyfloat.py).
const fixturePath = fileURLToPath(new URL('../../fixtures/engine/print/pyfloat_cases.json', import.meta.url));
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
  specs: string[];
  cases: { bits: string; repr: string; str: string; format: string[] }[];
};

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

describe('pyfloat against CPython fixtures', () => {
  it('repr and str match for every fixture value', () => {
    const mismatches: string[] = [];
    for (const c of fixture.cases) {
      const x = fromBits(c.bits);
      if (reprFloat(x) !== c.repr) mismatches.push(`${c.bits}: got ${reprFloat(x)} want ${c.repr}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(fixture.cases.length).toBeGreaterThan(1000);
  });

  for (const [specIndex, spec] of fixture.specs.entries()) {
    it(`format(x, ${JSON.stringify(spec)}) matches Python`, () => {
      const mismatches: string[] = [];
      for (const c of fixture.cases) {
        const x = fromBits(c.bits);
        const got = formatFloat(x, spec);
        if (got !== c.format[specIndex]) mismatches.push(`${c.repr}: got ${got} want ${c.format[specIndex]}`);
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  }
});

describe('pyfloat helpers', () => {
  it('breaks exact ties to even like Python, unlike toFixed', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect((0.125).toFixed(2)).toBe('0.13'); // the JS behaviour we must not inherit
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(-2.5, 0)).toBe('-2');
    expect(formatFixed(0.00015, 4)).toBe('0.0001'); // 0.00015 is below the tie in binary
    expect(formatExponent(1.25, 1)).toBe('1.2e+00');
    expect(formatExponent(50000, 4)).toBe('5.0000e+04');
    expect(formatGeneral(2.5, 1)).toBe('2');
  });

  it('keeps the sign of negative zero and of negatives that round to zero', () => {
    expect(formatFixed(-0, 4)).toBe('-0.0000');
    expect(formatFixed(-0.00001, 4)).toBe('-0.0000');
    expect(reprFloat(-0)).toBe('-0.0');
    expect(formatFloat(-0.00001, 'z.4f')).toBe('0.0000');
  });

  it('formats huge values in fixed notation exactly (beyond toFixed range)', () => {
    expect(formatFixed(1e22, 4)).toBe('10000000000000000000000.0000');
    expect(formatFixed(1e300, 0)).toBe(BigInt(1e300).toString());
  });

  it('uses Python exponent style in repr', () => {
    expect(reprFloat(1e-8)).toBe('1e-08');
    expect(reprFloat(1e16)).toBe('1e+16');
    expect(reprFloat(1e15)).toBe('1000000000000000.0');
    expect(reprFloat(0.0001)).toBe('0.0001');
    expect(reprFloat(0.00001)).toBe('1e-05');
    expect(reprFloat(2)).toBe('2.0');
    expect(reprFloat(0.1)).toBe('0.1');
    expect(reprFloat(Math.fround(0.1))).toBe('0.10000000149011612');
    expect(reprFloat(Infinity)).toBe('inf');
    expect(reprFloat(-Infinity)).toBe('-inf');
    expect(reprFloat(NaN)).toBe('nan');
  });

  it('rejects malformed specs with Python messages', () => {
    expect(() => formatFloat(1, '.f')).toThrow(PyFormatError);
    expect(() => formatFloat(1, '.f')).toThrow('Format specifier missing precision');
    expect(() => formatFloat(1, 'd')).toThrow("Unknown format code 'd' for object of type 'float'");
    expect(parseFormatSpec('*^+#012,.3e')).toMatchObject({
      fill: '*', align: '^', sign: '+', alternate: true, zeroPad: true, width: 12, grouping: ',', precision: 3, type: 'e',
    });
  });
});

describe('pyfloat properties', () => {
  it('repr round-trips every double and is never longer than needed', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = reprFloat(x);
        expect(Object.is(Number(text), x)).toBe(true);
        // shortest: JS also prints shortest round-trip digits; digit counts must agree
        const digits = (s: string) => s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
        if (Number.isFinite(x) && x !== 0) expect(digits(text)).toBe(digits(String(Math.abs(x))));
      }),
      { numRuns: 3000 },
    );
  });

  it('fast paths agree with exact BigInt rounding on values with exact ties', () => {
    // multiples of 2^-k have short exact decimal expansions, so ties really occur here
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 8 }), (n, k, p) => {
        const x = n / 2 ** k;
        expect(formatFixed(x, p)).toBe(formatFixedExact(x, p));
        expect(formatExponent(x, p)).toBe(formatExponentExact(x, p));
      }),
      { numRuns: 3000 },
    );
  });

  it('fixed and exponent formats agree with exact BigInt rounding for arbitrary doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), fc.integer({ min: 0, max: 12 }), (x, p) => {
        const fixed = formatFixed(x, p);
        expect(fixed).toBe(formatFixedExact(x, p));
        expect(formatExponent(x, p)).toBe(formatExponentExact(x, p));
        // parsing back the fixed string lands within half a unit of the last place
        expect(Math.abs(Number(fixed) - x)).toBeLessThanOrEqual(0.5 * 10 ** -p * (1 + 1e-9) + Math.abs(x) * 1e-15);
        const exp = formatExponent(x, p);
        expect(exp).toMatch(/^-?\d(\.\d+)?e[+-]\d{2,3}$/);
        expect(Math.abs(Number(exp) - x)).toBeLessThanOrEqual(Math.abs(x) * 10 ** -p * 5.0001 + 1e-300);
      }),
      { numRuns: 2000 },
    );
  });
});
