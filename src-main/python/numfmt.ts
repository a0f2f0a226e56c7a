// Python's number formatting, exact: repr(float) (shortest round-trip digits, Python's switch to
// exponent notation), '%.4f' / '{:.2e}' / '{:g}' correctly rounded half-to-even on the exact binary
// value (JS toFixed rounds ties away from zero, so it cannot be used), and Python's round().

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** |x| = mantissa * 2^exponent exactly, for finite non-zero x. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  F64[0] = x;
  const lo = U32[0];
  const hi = U32[1];
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: frac, exponent: -1074 };
  return { mantissa: frac | (1n << 52n), exponent: biased - 1075 };
}

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let v = POW10[n];
    if (v === undefined) v = POW10[n] = 10n ** BigInt(n);
    return v;
  }
  return 10n ** BigInt(n);
}

/** round_half_even(|x| * 10^shift) as a BigInt, on the exact value of x (x finite, non-zero). */
function scaledRound(x: number, shift: number): bigint {
  const { mantissa, exponent } = decompose(x);
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  const q = num / den;
  const r2 = (num - q * den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Digits of |x| with `precision` decimals (no sign), Python '%.{p}f'. */
export function fixedDigits(x: number, precision: number): string {
  if (x === 0) return precision > 0 ? '0.' + '0'.repeat(precision) : '0';
  const q = scaledRound(x, precision).toString();
  if (precision === 0) return q;
  const padded = q.length <= precision ? '0'.repeat(precision - q.length + 1) + q : q;
  return padded.slice(0, padded.length - precision) + '.' + padded.slice(padded.length - precision);
}

/** Significant digits (precision+1 of them) and decimal exponent of |x|, correctly rounded. */
export function expDigits(x: number, precision: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(precision + 1), exp: 0 };
  let e = Math.floor(Math.log10(Math.abs(x)));
  for (let attempt = 0; attempt < 3; attempt++) {
    const q = scaledRound(x, precision - e);
    const s = q.toString();
    if (s.length === precision + 2) {
      e += 1;
      continue;
    }
    if (s.length < precision + 1) {
      e -= 1;
      continue;
    }
    return { digits: s, exp: e };
  }
  const s = scaledRound(x, precision - e).toString();
  return { digits: s.slice(0, precision + 1), exp: e + (s.length - precision - 1) };
}

function expSuffix(exp: number): string {
  const a = Math.abs(exp);
  return (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
}

/** '%.{p}e' of |x| without sign. */
export function exponentialBody(x: number, precision: number, upper = false): string {
  const { digits, exp } = expDigits(x, precision);
  const body = precision > 0 ? digits[0] + '.' + digits.slice(1) : digits;
  const s = body + expSuffix(exp);
  return upper ? s.toUpperCase() : s;
}

/** Python's repr(float) / str(float). */
export function floatRepr(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const s = Math.abs(x).toExponential(); // shortest round-trip digits
  const eAt = s.indexOf('e');
  const digits = s.slice(0, eAt).replace('.', '');
  const exp = parseInt(s.slice(eAt + 1), 10);
  return sign + placeDigits(digits, exp, 16, true);
}

/** Places significant digits d1d2... (value d1.d2... * 10^exp) the way repr / 'g' do. */
function placeDigits(digits: string, exp: number, upper: number, forceDot: boolean): string {
  if (exp < -4 || exp >= upper) {
    return digits[0] + (digits.length > 1 ? '.' + digits.slice(1) : '') + expSuffix(exp);
  }
  if (exp >= 0) {
    if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length) + (forceDot ? '.0' : '');
    return digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return '0.' + '0'.repeat(-exp - 1) + digits;
}

/** '%g' of |x| (no sign): precision significant digits, trailing zeros stripped unless alternate. */
export function generalBody(x: number, precision: number, alternate: boolean, upper: boolean, forceDot = false): string {
  if (precision === 0) precision = 1;
  if (x === 0) {
    const zero = alternate ? '0.' + '0'.repeat(precision - 1) : forceDot ? '0.0' : '0';
    return zero;
  }
  const { digits, exp } = expDigits(x, precision - 1);
  let out: string;
  if (exp < -4 || exp >= precision) {
    let d = digits;
    if (!alternate) d = d.replace(/0+$/, '') || '0';
    out = d[0] + (d.length > 1 ? '.' + d.slice(1) : alternate ? '.' : '') + expSuffix(exp);
  } else {
    let s = fixedDigits(x, Math.max(precision - 1 - exp, 0));
    if (!alternate && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    if (forceDot && !s.includes('.')) s += '.0';
    out = s;
  }
  return upper ? out.toUpperCase() : out;
}

/** Python's round(x, ndigits) for floats: correctly rounded, ties to even on the exact value. */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 308) return x;
  if (ndigits < -308) return 0 * x;
  if (ndigits >= 0) {
    const s = fixedDigits(x, ndigits);
    const r = parseFloat(s);
    return x < 0 ? -r : r;
  }
  // Negative ndigits: round to tens, hundreds, ...
  const q = scaledRound(x, ndigits);
  const r = Number(q * pow10(-ndigits));
  return x < 0 ? -r : r;
}

/** Python's round(x) with no ndigits: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Inserts a thousands separator into an integer digit string. */
export function groupDigits(intDigits: string, sep: string): string {
  let out = '';
  let count = 0;
  for (let i = intDigits.length - 1; i >= 0; i--) {
    out = intDigits[i] + out;
    if (++count % 3 === 0 && i > 0) out = sep + out;
  }
  return out;
}
