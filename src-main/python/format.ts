// format(value, spec) (f-strings, str.format) and printf-style '%' formatting, as CPython does them.
import { formatFloat as engineFormatFloat, pad as padSpec } from '../engine/pyfloat';
import type { Context, Value } from './context';
import { PyException, typeError, valueError } from './errors';
import { groupDigits, intToDecimal } from './numfmt';
import { isLatin1, reserveString } from './sizes';
import { RECURSION_WHILE_CALLING, repr, str, typeName } from './objects';
import { PyDict, PyInstance, PyTuple } from './values';
import { callSpecial } from './classes';

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number;
  type: string;
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/s;

/** A width or precision of a format spec; CPython refuses one past Py_ssize_t while parsing. */
function specNumber(digits: string | undefined, absent: number): number {
  if (digits === undefined) return absent;
  if (digits.length > 18 && BigInt(digits) > MAX_SSIZE) throw valueError('Too many decimal digits in format string');
  return Number(digits);
}

const MAX_SSIZE = 2n ** 63n - 1n;
/** CPython keeps a float's precision in a C int. */
const MAX_PRECISION = 2 ** 31 - 1;
/**
 * Past this many digits after the point (or significant digits) every digit of a double is 0:
 * its exact expansion ends after at most 1074 fractional and 767 significant digits.
 */
const EXACT_DIGITS = 1100;

function parseSpec(cx: Context, spec: string, v: Value): Spec {
  const m = SPEC_RE.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName(cx, v)}'`);
  return parseSpecUnchecked(m);
}

function parseSpecUnchecked(m: RegExpExecArray): Spec {
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : ''),
    sign: m[3] ?? '-',
    alternate: m[5] !== undefined,
    zero: m[6] !== undefined,
    width: specNumber(m[7], 0),
    grouping: m[8] ?? '',
    precision: specNumber(m[9], -1),
    type: m[10] ?? '',
  };
}

function pad(body: string, sign: string, s: Spec, defaultAlign: string): string {
  return padSpec(sign, body, s.width, s.fill, s.align || defaultAlign);
}

function signOf(negative: boolean, s: Spec): string {
  if (negative) return '-';
  if (s.sign === '+') return '+';
  if (s.sign === ' ') return ' ';
  return '';
}

/** Rebuilds a spec string (for the engine's float formatter) from parsed parts. */
function specString(s: Spec): string {
  const align = s.align ? (s.fill === ' ' && s.align !== '=' ? '' : s.fill) + s.align : '';
  return `${align}${s.sign === '-' ? '' : s.sign}${s.alternate ? '#' : ''}${s.width > 0 ? s.width : ''}${s.grouping}${s.precision >= 0 ? '.' + s.precision : ''}${s.type}`;
}

function formatFloat(x: number, s: Spec): string {
  if (s.type !== '' && !'eEfFgGn%'.includes(s.type)) throw valueError(`Unknown format code '${s.type}' for object of type 'float'`);
  if (s.precision > MAX_PRECISION) throw valueError('precision too big');
  if (s.precision > EXACT_DIGITS && Number.isFinite(x)) return formatFloatLongPrecision(x, s);
  return engineFormatFloat(x, specString(s));
}

/** A float spec string as format() got it: the width and precision checks, then the engine's formatter. */
function formatFloatSpec(x: number, spec: string): string {
  const m = SPEC_RE.exec(spec);
  if (m && (m[7] !== undefined || m[9] !== undefined)) {
    specNumber(m[7], 0);
    if (specNumber(m[9], -1) > EXACT_DIGITS) return formatFloat(x, parseSpecUnchecked(m));
  }
  return engineFormatFloat(x, spec);
}

/**
 * A precision beyond the digits a double has: format with EXACT_DIGITS and append the zeros
 * (CPython writes them all; computing them would cost a BigInt of the precision's size).
 */
function formatFloatLongPrecision(x: number, s: Spec): string {
  const text = engineFormatFloat(x, specString({ ...s, width: 0, fill: ' ', align: '', zero: false, precision: EXACT_DIGITS }));
  const sign = /^[-+ ]/.test(text) ? text[0] : '';
  let body = text.slice(sign.length);
  const keepsZeros = (s.type !== '' && 'fF%eE'.includes(s.type)) || s.alternate;
  if (keepsZeros) {
    const zeros = '0'.repeat(s.precision - EXACT_DIGITS);
    const at = body.search(/[eE%]/);
    body = at < 0 ? body + zeros : body.slice(0, at) + zeros + body.slice(at);
  }
  return padSpec(sign, body, s.width, s.fill, s.align || '>');
}

function formatInt(n: bigint, s: Spec): string {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let body: string;
  switch (s.type) {
    case '':
    case 'd':
    case 'n':
      if (s.precision >= 0) throw valueError('Precision not allowed in integer format specifier');
      body = intToDecimal(a);
      body = s.grouping ? groupDigits(zeroFilled(body, '', negative, s, 3), s.grouping) : body;
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      // '_' groups these by 4 digits; ',' is for decimal only
      if (s.grouping === ',') throw valueError(`Cannot specify ',' with '${s.type}'.`);
      const radix = { x: 16, X: 16, o: 8, b: 2 }[s.type as 'x' | 'X' | 'o' | 'b'];
      let digits = a.toString(radix);
      if (s.type === 'X') digits = digits.toUpperCase();
      const prefix = s.alternate ? (s.type === 'X' ? '0X' : `0${s.type}`) : '';
      if (s.grouping) digits = groupDigits(zeroFilled(digits, prefix, negative, s, 4), s.grouping, 4);
      body = prefix + digits;
      break;
    }
    case 'c':
      if (s.grouping) throw valueError(`Cannot specify '${s.grouping}' with 'c'.`);
      if (n < 0n || n > 0x10ffffn) throw new PyException('OverflowError', '%c arg not in range(0x110000)');
      body = String.fromCodePoint(Number(n));
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%':
      return formatFloat(Number(n), s);
    default:
      throw valueError(`Unknown format code '${s.type}' for object of type 'int'`);
  }
  return pad(body, signOf(negative, s), s, '>');
}

/**
 * Zero padding of a grouped number is grouped too ('{:08,}' gives 0,001,234): the digits get
 * leading zeros until, grouped, they fill the width (never starting with a separator).
 */
function zeroFilled(digits: string, prefix: string, negative: boolean, s: Spec, size: number): string {
  if (s.fill !== '0' || s.align !== '=') return digits;
  const fixed = prefix.length + signOf(negative, s).length;
  let n = digits.length;
  while (fixed + n + Math.floor((n - 1) / size) < s.width) n++;
  return digits.padStart(n, '0');
}

/** Asks the memory budget for the width (and a number's digits) a spec will write. */
function reserveFormatted(cx: Context, v: Value, m: RegExpExecArray | null): void {
  if (!m) return;
  const width = specNumber(m[7], 0);
  const digits = specNumber(m[9], 0);
  // a string's precision cuts it; a float's past a C int is refused before anything is built
  const precision = typeof v === 'string' || digits > MAX_PRECISION ? 0 : digits;
  reserveString(cx, Math.max(width, precision), m[1] === undefined || isLatin1(m[1]));
}

/** Python's format(value, spec). */
export function formatValue(cx: Context, v: Value, spec: string): string {
  // CPython's PyObject_Format: a str or int with no spec directly, a class's own __format__ as a
  // Python call, anything else through a built-in __format__ method (a level of the recursion limit)
  if (spec === '' && (typeof v === 'string' || typeof v === 'bigint')) return str(cx, v);
  if (v instanceof PyInstance) {
    const r = callSpecial(cx, v, '__format__', [spec]);
    if (r !== undefined) {
      if (typeof r !== 'string') throw typeError(`__format__ must return a str, not ${typeName(cx, r)}`);
      return r;
    }
  }
  cx.enterRecursion(RECURSION_WHILE_CALLING);
  try {
    return formatBuiltin(cx, v, spec);
  } finally {
    cx.leaveRecursion();
  }
}

/** format(v, spec) by a built-in type's __format__ (object's: str(v) for an empty spec). */
function formatBuiltin(cx: Context, v: Value, spec: string): string {
  if (typeof v === 'object' && v !== null) {
    const native = cx.nativeType(v);
    if (native) {
      if (native.format) return native.format(v, spec, cx);
      if (spec === '') return str(cx, v);
      throw typeError(`unsupported format string passed to ${native.name}.__format__`);
    }
  }
  if (spec === '') return str(cx, v);
  reserveFormatted(cx, v, SPEC_RE.exec(spec));
  if (typeof v === 'boolean') {
    // bool.__format__ is int.__format__: any non-empty spec formats the number 1 or 0.
    return formatInt(v ? 1n : 0n, parseSpec(cx, spec, v));
  }
  if (typeof v === 'bigint') return formatInt(v, parseSpec(cx, spec, v));
  if (typeof v === 'number') return formatFloatSpec(v, spec);
  if (typeof v === 'string') return formatString(cx, v, parseSpec(cx, spec, v), v);
  throw typeError(`unsupported format string passed to ${typeName(cx, v)}.__format__`);
}

function formatString(cx: Context, text: string, s: Spec, v: Value): string {
  if (s.type !== '' && s.type !== 's') {
    throw valueError(`Unknown format code '${s.type}' for object of type '${typeName(cx, v)}'`);
  }
  if (s.sign !== '-' || s.zero && s.align === '=') throw valueError('Sign not allowed in string format specifier');
  if (s.grouping) throw valueError(`Cannot specify '${s.grouping}' with 's'.`);
  if (s.precision >= 0) text = text.slice(0, s.precision);
  return pad(text, '', s, '<');
}

// ---------- printf-style formatting: 'x = %.2f' % x ----------

const PERCENT_RE = /%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])?/g;

export function percentFormat(cx: Context, template: string, args: Value): string {
  const items = args instanceof PyTuple ? args.items : [args];
  const mapping = args instanceof PyDict ? args : null;
  let index = 0;
  let usedMapping = false;
  const next = (): Value => {
    if (index >= items.length) throw typeError('not enough arguments for format string');
    return items[index++];
  };
  let out = '';
  let last = 0;
  PERCENT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PERCENT_RE.exec(template)) !== null) {
    out += template.slice(last, m.index);
    last = PERCENT_RE.lastIndex;
    const [, key, flags, widthStr, precStr, conv] = m;
    if (conv === undefined) throw valueError('incomplete format');
    if (conv === '%' && m[0] === '%%') {
      out += '%';
      continue;
    }
    let value: Value;
    let width = widthStr === '*' ? starArgument(next(), MAX_SSIZE, 'ssize_t') : percentNumberField(widthStr, 0, 'width');
    const precision = precStr === '*' ? Math.max(0, starArgument(next(), 2n ** 31n - 1n, 'int')) : percentNumberField(precStr, -1, 'precision');
    let flagsUsed = flags;
    if (width < 0) {
      // a negative * width means left-aligned
      flagsUsed += '-';
      width = -width;
    }
    if (key !== undefined) {
      if (!mapping) throw typeError('format requires a mapping');
      usedMapping = true;
      value = mapping.get(key);
      if (value === undefined) throw new PyException('KeyError', repr(cx, key));
    } else value = conv === '%' ? '%' : next();
    out += percentOne(cx, value, flagsUsed, width, precision, conv);
  }
  out += template.slice(last);
  if (!mapping && !usedMapping && index < items.length && !(args instanceof PyTuple && items.length === 0)) {
    throw typeError('not all arguments converted during string formatting');
  }
  return out;
}

/** A width or precision written in a % format; CPython keeps them in a C int. */
function percentNumberField(digits: string | undefined, absent: number, what: string): number {
  if (digits === undefined || digits === '') return absent;
  const n = Number(digits);
  if (n > 2 ** 31 - 1) throw valueError(`${what} too big`);
  return n;
}

/** The value a `*` width or precision takes from the arguments. */
function starArgument(v: Value, max: bigint, cType: string): number {
  if (typeof v !== 'bigint' && typeof v !== 'boolean') throw typeError('* wants int');
  const n = BigInt(v);
  if (n > max || n < -max - 1n) throw new PyException('OverflowError', `Python int too large to convert to C ${cType}`);
  return Number(n);
}

/** Ints printed by `%d` without a spec take the short way below (far from the 4300-digit limit). */
const PLAIN_INT_LIMIT = 10n ** 18n;

function percentOne(cx: Context, v: Value, flags: string, width: number, precision: number, conv: string): string {
  // the common `'%d' % n` and `'%s' % text` (a log line in a loop) without building a spec
  if (flags === '' && width === 0 && precision < 0) {
    if (typeof v === 'string' && conv === 's') return v;
    if (typeof v === 'bigint' && conv === 'd' && v < PLAIN_INT_LIMIT && v > -PLAIN_INT_LIMIT) return v.toString();
  }
  reserveString(cx, Math.max(width, 'sra'.includes(conv) ? 0 : precision));
  const left = flags.includes('-');
  const spec: Spec = {
    fill: flags.includes('0') && !left && !'sr'.includes(conv) ? '0' : ' ',
    align: left ? '<' : flags.includes('0') && !'sr'.includes(conv) ? '=' : '>',
    sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '-',
    alternate: flags.includes('#'),
    zero: false,
    width,
    grouping: '',
    precision,
    type: conv,
  };
  switch (conv) {
    case 's':
    case 'r':
    case 'a': {
      let text = conv === 's' ? str(cx, v) : repr(cx, v);
      if (precision >= 0) text = text.slice(0, precision);
      return pad(text, '', { ...spec, align: left ? '<' : '>' }, '>');
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = percentNumber(cx, v, conv);
      const i = typeof n === 'bigint' ? n : truncToBigInt(n);
      return formatInt(i, { ...spec, type: 'd', precision: -1 });
    }
    case 'x':
    case 'X':
    case 'o': {
      const n = percentNumber(cx, v, conv);
      if (typeof n === 'number') throw typeError(`%${conv} format: an integer is required, not float`);
      return formatInt(n, spec);
    }
    case 'c':
      if (typeof v === 'string') return pad(v, '', spec, '>');
      return formatInt(percentNumber(cx, v, conv) as bigint, { ...spec, type: 'c' });
    default: {
      const n = percentNumber(cx, v, conv);
      const x = typeof n === 'bigint' ? Number(n) : n;
      return formatFloat(x, { ...spec, precision: precision < 0 ? 6 : precision });
    }
  }
}

function truncToBigInt(x: number): bigint {
  if (!Number.isFinite(x)) {
    throw new PyException(x !== x ? 'ValueError' : 'OverflowError', x !== x ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
  }
  return BigInt(Math.trunc(x));
}

function percentNumber(cx: Context, v: Value, conv: string): bigint | number {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null) {
    const item = cx.nativeType(v)?.scalar?.(v);
    if (item !== undefined) return item;
  }
  const kind = 'diu'.includes(conv) || 'eEfFgG'.includes(conv) ? 'a real number' : 'an integer';
  throw typeError(`%${conv} format: ${kind} is required, not ${typeName(cx, v)}`);
}
