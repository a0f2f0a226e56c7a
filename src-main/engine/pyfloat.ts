// Python's float formatting, byte for byte: repr(float), format(x, spec) with the format-spec
// mini-language ('f', 'F', 'e', 'E', 'g', 'G', 'n', '%', no type), and the '{:.4f}'/'{:.4e}'
// helpers that PyTorch's tensor printing uses.
//
// Python rounds the exact binary value of the double, ties to even. JavaScript's toFixed and
// toExponential are also correct roundings of the exact value but break exact ties away from
// zero, so we use them only when a tie is impossible and fall back to exact BigInt arithmetic.
// Pure TypeScript: no Node, Electron or DOM imports.

/** Raised for format specs Python rejects; `pyType` is the Python exception class name. */
export class PyFormatError extends Error {
  readonly pyType = 'ValueError';
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** Decimal digits of a positive finite value: value ≈ 0.D1D2D3... × 10^decpt (like dtoa). */
interface DecimalDigits {
  digits: string; // no leading zeros unless the value rounds to zero (then '0')
  decpt: number;
}

const float64Scratch = new Float64Array(1);
const uint32Scratch = new Uint32Array(float64Scratch.buffer);
// Index of the high 32-bit word of a float64 on this platform.
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;

/** Exact decomposition of a positive finite double as mantissa × 2^exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  float64Scratch[0] = x;
  const hi = uint32Scratch[HIGH_WORD];
  const lo = uint32Scratch[LOW_WORD];
  const biasedExponent = (hi >>> 20) & 0x7ff;
  const topFraction = hi & 0xfffff;
  let mantissa = (BigInt(topFraction) << 32n) | BigInt(lo);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  return { mantissa, exponent };
}

const powersOfTen: bigint[] = [1n];
function pow10(n: number): bigint {
  while (powersOfTen.length <= n) powersOfTen.push(powersOfTen[powersOfTen.length - 1] * 10n);
  return powersOfTen[n];
}

/** round(numerator / denominator), ties to even; both positive. */
function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = (numerator - quotient * denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && (quotient & 1n) === 1n)) {
    return quotient + 1n;
  }
  return quotient;
}

/** round(x × 10^precision) as a BigInt, exact, ties to even. x positive finite or 0. */
function scaledIntegerExact(x: number, precision: number): bigint {
  if (x === 0) return 0n;
  const { mantissa, exponent } = decompose(x);
  if (exponent >= 0) return (mantissa << BigInt(exponent)) * pow10(precision);
  return divideRoundHalfEven(mantissa * pow10(precision), 1n << BigInt(-exponent));
}

/** Fixed notation of a non-negative finite x with `precision` fraction digits, no sign. */
function fixedAbs(x: number, precision: number): string {
  if (x < 1e21 && precision <= 99) {
    // A tie needs the exact value to end at fraction digit precision+1 with a 5; then
    // toFixed(precision + 1) is exact and ends in '5'. Otherwise toFixed rounds like Python.
    const longer = x.toFixed(precision + 1);
    if (longer[longer.length - 1] !== '5') return x.toFixed(precision);
  }
  const scaled = scaledIntegerExact(x, precision).toString();
  if (precision === 0) return scaled;
  const padded = scaled.padStart(precision + 1, '0');
  return `${padded.slice(0, padded.length - precision)}.${padded.slice(padded.length - precision)}`;
}

/** `count` significant digits of positive finite x, correctly rounded (ties to even). */
function significantDigits(x: number, count: number): DecimalDigits {
  if (count <= 100) {
    const longer = x.toExponential(count); // count + 1 significant digits
    const mantissaEnd = longer.indexOf('e');
    if (longer[mantissaEnd - 1] !== '5') {
      const text = count === 1 ? x.toExponential(0) : x.toExponential(count - 1);
      const e = text.indexOf('e');
      return { digits: text.slice(0, e).replace('.', ''), decpt: Number(text.slice(e + 1)) + 1 };
    }
  }
  return significantDigitsExact(x, count);
}

function significantDigitsExact(x: number, count: number): DecimalDigits {
  const { mantissa, exponent } = decompose(x);
  let exponent10 = Math.floor(Math.log10(x)); // may be off by one; corrected below
  const lower = pow10(count - 1);
  const upper = pow10(count);
  for (;;) {
    const shift = exponent10 + 1 - count; // we want x / 10^shift in [10^(count-1), 10^count)
    let numerator = mantissa;
    let denominator = 1n;
    if (exponent >= 0) numerator <<= BigInt(exponent);
    else denominator <<= BigInt(-exponent);
    if (shift >= 0) denominator *= pow10(shift);
    else numerator *= pow10(-shift);
    const truncated = numerator / denominator;
    if (truncated >= upper) {
      exponent10 += 1;
      continue;
    }
    if (truncated < lower) {
      exponent10 -= 1;
      continue;
    }
    let rounded = divideRoundHalfEven(numerator, denominator);
    if (rounded === upper) {
      rounded = lower;
      exponent10 += 1;
    }
    return { digits: rounded.toString(), decpt: exponent10 + 1 };
  }
}

/** Shortest digits that round-trip (what repr uses); JS and Python pick the same digits. */
function shortestDigits(x: number): DecimalDigits {
  const text = String(x);
  const e = text.indexOf('e');
  const mantissaText = e < 0 ? text : text.slice(0, e);
  const exponentPart = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissaText.indexOf('.');
  const integerPart = dot < 0 ? mantissaText : mantissaText.slice(0, dot);
  const fractionPart = dot < 0 ? '' : mantissaText.slice(dot + 1);
  let digits = integerPart + fractionPart;
  let decpt = integerPart.length + exponentPart;
  const leadingZeros = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leadingZeros);
  decpt -= leadingZeros;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return { digits: '0', decpt: 1 };
  return { digits, decpt };
}

function exponentSuffix(exponent10: number, upper: boolean): string {
  const sign = exponent10 < 0 ? '-' : '+';
  const magnitude = Math.abs(exponent10).toString().padStart(2, '0');
  return `${upper ? 'E' : 'e'}${sign}${magnitude}`;
}

/** d.ddd e±XX from digits; `minFractionDigits` pads with zeros (for 'e' and alternate 'g'). */
function renderExponent(d: DecimalDigits, minFractionDigits: number, forcePoint: boolean, upper: boolean): string {
  let fraction = d.digits.slice(1);
  if (fraction.length < minFractionDigits) fraction = fraction.padEnd(minFractionDigits, '0');
  const point = fraction.length > 0 || forcePoint ? '.' : '';
  const exponent10 = d.digits === '0' ? 0 : d.decpt - 1;
  return `${d.digits[0]}${point}${fraction}${exponentSuffix(exponent10, upper)}`;
}

/** Plain positional notation from digits (used by 'r' and 'g'). */
function renderPositional(d: DecimalDigits, minFractionDigits: number, forcePoint: boolean): string {
  const { digits, decpt } = d;
  let integerPart: string;
  let fraction: string;
  if (decpt <= 0) {
    integerPart = '0';
    fraction = '0'.repeat(-decpt) + digits;
  } else if (decpt >= digits.length) {
    integerPart = digits + '0'.repeat(decpt - digits.length);
    fraction = '';
  } else {
    integerPart = digits.slice(0, decpt);
    fraction = digits.slice(decpt);
  }
  if (digits === '0') {
    integerPart = '0';
    fraction = '';
  }
  if (fraction.length < minFractionDigits) fraction = fraction.padEnd(minFractionDigits, '0');
  return fraction.length > 0 || forcePoint ? `${integerPart}.${fraction}` : integerPart;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function nonFinite(x: number, upper: boolean): string {
  const text = Number.isNaN(x) ? 'nan' : 'inf';
  return upper ? text.toUpperCase() : text;
}

/** Python repr(x) / str(x) for a float: shortest round-trip, '1e-05', '1e+16', '2.0', 'inf', 'nan'. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const sign = isNegative(x) ? '-' : '';
  return sign + reprAbs(Math.abs(x), false);
}

function reprAbs(x: number, upper: boolean, alternate = false): string {
  const d = shortestDigits(x);
  if (x !== 0 && (d.decpt <= -4 || d.decpt > 16)) return renderExponent(d, 0, alternate, upper);
  return renderPositional(d, 1, true);
}

/** Python '{:.Nf}'.format(x). */
export function formatFixed(x: number, precision: number): string {
  return formatFloat(x, `.${precision}f`);
}

/** Python '{:.Ne}'.format(x). */
export function formatExponent(x: number, precision: number): string {
  return formatFloat(x, `.${precision}e`);
}

/** Python '{:.Ng}'.format(x). */
export function formatGeneral(x: number, precision: number): string {
  return formatFloat(x, `.${precision}g`);
}

/** A parsed Python format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]. */
export interface FormatSpec {
  fill: string;
  align: '<' | '>' | '=' | '^' | null;
  sign: '+' | '-' | ' ';
  coerceNegativeZero: boolean;
  alternate: boolean;
  zeroPad: boolean;
  width: number;
  grouping: ',' | '_' | null;
  precision: number | null;
  type: string;
}

/** Parses Python's format-spec mini-language; throws PyFormatError with Python's message. */
export function parseFormatSpec(spec: string): FormatSpec {
  const chars = Array.from(spec);
  let i = 0;
  const result: FormatSpec = {
    fill: ' ',
    align: null,
    sign: '-',
    coerceNegativeZero: false,
    alternate: false,
    zeroPad: false,
    width: -1,
    grouping: null,
    precision: null,
    type: '',
  };
  const isAlign = (c: string | undefined) => c === '<' || c === '>' || c === '=' || c === '^';
  if (chars.length >= 2 && isAlign(chars[1])) {
    result.fill = chars[0];
    result.align = chars[1] as FormatSpec['align'];
    i = 2;
  } else if (isAlign(chars[0])) {
    result.align = chars[0] as FormatSpec['align'];
    i = 1;
  }
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') {
    result.sign = chars[i] as FormatSpec['sign'];
    i++;
  }
  if (chars[i] === 'z') {
    result.coerceNegativeZero = true;
    i++;
  }
  if (chars[i] === '#') {
    result.alternate = true;
    i++;
  }
  if (chars[i] === '0') {
    result.zeroPad = true;
    if (result.align === null) {
      result.fill = '0';
      result.align = '=';
    }
    i++;
  }
  let widthText = '';
  while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') widthText += chars[i++];
  if (widthText !== '') result.width = Number(widthText);
  if (chars[i] === ',' || chars[i] === '_') {
    result.grouping = chars[i] as ',' | '_';
    i++;
    if (chars[i] === ',' || chars[i] === '_') throw new PyFormatError('Cannot specify both \',\' and \'_\'.');
  }
  if (chars[i] === '.') {
    i++;
    let precisionText = '';
    while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') precisionText += chars[i++];
    if (precisionText === '') throw new PyFormatError('Format specifier missing precision');
    result.precision = Number(precisionText);
  }
  if (chars.length - i > 1) throw new PyFormatError('Invalid format specifier');
  if (i < chars.length) result.type = chars[i];
  return result;
}

/** Python format(x, spec) for a float x (also what f-strings and str.format do). */
export function formatFloat(x: number, spec: string): string {
  const parsed = parseFormatSpec(spec);
  let type = parsed.type;
  if (!['', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%'].includes(type)) {
    throw new PyFormatError(`Unknown format code '${type}' for object of type 'float'`);
  }
  if (parsed.grouping !== null && type === 'n') {
    throw new PyFormatError(`Cannot specify '${parsed.grouping}' with 'n'.`);
  }
  const upper = type === 'E' || type === 'F' || type === 'G';
  let value = x;
  let percent = false;
  if (type === '%') {
    value = x * 100;
    type = 'f';
    percent = true;
  }
  let negative = isNegative(value) && !Number.isNaN(value);
  const magnitude = Math.abs(value);
  let body: string;
  if (!Number.isFinite(value)) {
    body = nonFinite(value, upper);
  } else {
    body = formatMagnitude(magnitude, type, parsed.precision, parsed.alternate, upper);
    // 'z' turns a negative value that rounds to zero into a positive zero.
    if (negative && parsed.coerceNegativeZero && !/[1-9]/.test(body.split(/[eE]/)[0])) negative = false;
  }
  if (percent) body += '%';
  // Split the numeric body into integer digits and the rest (fraction/exponent) for grouping.
  const signText = negative ? '-' : parsed.sign === '+' ? '+' : parsed.sign === ' ' ? ' ' : '';
  let integerDigits = body;
  let rest = '';
  if (Number.isFinite(value)) {
    const match = /^(\d*)(.*)$/s.exec(body);
    if (match) {
      integerDigits = match[1];
      rest = match[2];
    }
  }
  const align = parsed.align ?? '>';
  if (parsed.grouping !== null && Number.isFinite(value)) {
    const targetIntegerWidth =
      align === '=' && parsed.fill === '0' ? parsed.width - signText.length - rest.length : 0;
    integerDigits = groupDigits(integerDigits, parsed.grouping, targetIntegerWidth);
  }
  const content = integerDigits + rest;
  return pad(signText, content, parsed.width, parsed.fill, align);
}

function groupDigits(digits: string, separator: string, minWidth: number): string {
  // Python inserts separators every 3 digits and, with zero padding, pads with zeros and
  // separators up to the requested width.
  let text = digits;
  const grouped = () => {
    const parts: string[] = [];
    for (let end = text.length; end > 0; end -= 3) parts.unshift(text.slice(Math.max(0, end - 3), end));
    return parts.join(separator);
  };
  let result = grouped();
  while (result.length < minWidth) {
    text = '0' + text;
    result = grouped();
  }
  return result;
}

/** Python's format-spec padding: fill and align (<, >, ^, =) the signed content to width. */
export function pad(sign: string, content: string, width: number, fill: string, align: string): string {
  const length = sign.length + content.length;
  if (width <= length) return sign + content;
  const padding = width - length;
  switch (align) {
    case '<':
      return sign + content + fill.repeat(padding);
    case '^': {
      const left = Math.floor(padding / 2);
      return fill.repeat(left) + sign + content + fill.repeat(padding - left);
    }
    case '=':
      return sign + fill.repeat(padding) + content;
    default:
      return fill.repeat(padding) + sign + content;
  }
}

/** The unsigned digits of a finite non-negative value in the given presentation type. */
function formatMagnitude(
  x: number,
  type: string,
  precision: number | null,
  alternate: boolean,
  upper: boolean,
): string {
  switch (type) {
    case 'f':
    case 'F': {
      const text = fixedAbs(x, precision ?? 6);
      return alternate && !text.includes('.') ? `${text}.` : text;
    }
    case 'e':
    case 'E': {
      const p = precision ?? 6;
      const d = x === 0 ? { digits: '0'.repeat(p + 1), decpt: 1 } : significantDigits(x, p + 1);
      return renderExponent(d, p, alternate, upper);
    }
    case 'g':
    case 'G':
    case 'n':
      return formatGeneralAbs(x, precision ?? 6, alternate, upper, false);
    default: // no presentation type
      if (precision === null) {
        return reprAbs(x, upper, alternate);
      }
      return formatGeneralAbs(x, precision, alternate, upper, true);
  }
}

/** Python's 'g' (and the no-type form with a precision, which keeps at least one fraction digit). */
function formatGeneralAbs(x: number, precision: number, alternate: boolean, upper: boolean, addDot0: boolean): string {
  const p = precision === 0 ? 1 : precision;
  // Like dtoa, zero has the single digit '0' at decimal point position 1.
  let d: DecimalDigits = x === 0 ? { digits: '0', decpt: 1 } : significantDigits(x, p);
  // 'g' drops trailing zeros unless '#' asks to keep all p significant digits.
  if (!alternate) d = { digits: d.digits.replace(/(?<=.)0+$/, ''), decpt: d.decpt };
  const useExponent = d.decpt <= -4 || d.decpt > (addDot0 ? p - 1 : p);
  if (useExponent) return renderExponent(d, alternate ? p - 1 : 0, alternate, upper);
  const minFraction = alternate ? Math.max(0, p - d.decpt) : addDot0 ? 1 : 0;
  return renderPositional(d, minFraction, alternate || addDot0);
}

/** '{:.Nf}' computed only with exact BigInt arithmetic (reference for the fast path; slower). */
export function formatFixedExact(x: number, precision: number): string {
  if (!Number.isFinite(x)) return formatFixed(x, precision);
  const scaled = scaledIntegerExact(Math.abs(x), precision).toString();
  const padded = scaled.padStart(precision + 1, '0');
  const body = precision === 0 ? padded : `${padded.slice(0, padded.length - precision)}.${padded.slice(padded.length - precision)}`;
  return (isNegative(x) ? '-' : '') + body;
}

/** '{:.Ne}' computed only with exact BigInt arithmetic (reference for the fast path; slower). */
export function formatExponentExact(x: number, precision: number): string {
  if (!Number.isFinite(x)) return formatExponent(x, precision);
  const magnitude = Math.abs(x);
  const d = magnitude === 0 ? { digits: '0'.repeat(precision + 1), decpt: 1 } : significantDigitsExact(magnitude, precision + 1);
  return (isNegative(x) ? '-' : '') + renderExponent(d, precision, false, false);
}
