// format(value, spec) (f-strings, str.format) and printf-style '%' formatting, as CPython does them.
import { formatFloat as engineFormatFloat, pad as padSpec } from '../engine/pyfloat';
import type { Context, Value } from './context';
import { PyException, typeError, valueError } from './errors';
import { groupDigits, intToDecimal } from './numfmt';
import { repr, str, typeName } from './objects';
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

function parseSpec(cx: Context, spec: string, v: Value): Spec {
  const m = SPEC_RE.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName(cx, v)}'`);
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : ''),
    sign: m[3] ?? '-',
    alternate: m[5] !== undefined,
    zero: m[6] !== undefined,
    width: m[7] ? parseInt(m[7], 10) : 0,
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? parseInt(m[9], 10) : -1,
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
  return engineFormatFloat(x, specString(s));
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
      body = s.grouping ? groupDigits(body, s.grouping) : body;
      break;
    case 'x':
    case 'X':
      body = (s.alternate ? '0x' : '') + a.toString(16);
      if (s.type === 'X') body = body.toUpperCase();
      break;
    case 'o':
      body = (s.alternate ? '0o' : '') + a.toString(8);
      break;
    case 'b':
      body = (s.alternate ? '0b' : '') + a.toString(2);
      break;
    case 'c':
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

/** Python's format(value, spec). */
export function formatValue(cx: Context, v: Value, spec: string): string {
  if (v instanceof PyInstance) {
    const r = callSpecial(cx, v, '__format__', [spec]);
    if (r !== undefined) {
      if (typeof r !== 'string') throw typeError(`__format__ must return a str, not ${typeName(cx, r)}`);
      return r;
    }
  }
  if (typeof v === 'object' && v !== null) {
    const native = cx.nativeType(v);
    if (native) {
      if (native.format) return native.format(v, spec, cx);
      if (spec === '') return str(cx, v);
      throw typeError(`unsupported format string passed to ${native.name}.__format__`);
    }
  }
  if (spec === '') return str(cx, v);
  if (typeof v === 'boolean') {
    // bool.__format__ is int.__format__: any non-empty spec formats the number 1 or 0.
    return formatInt(v ? 1n : 0n, parseSpec(cx, spec, v));
  }
  if (typeof v === 'bigint') return formatInt(v, parseSpec(cx, spec, v));
  if (typeof v === 'number') return engineFormatFloat(v, spec);
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
    const width = widthStr === '*' ? Number(next()) : widthStr ? parseInt(widthStr, 10) : 0;
    const precision = precStr === '*' ? Number(next()) : precStr !== undefined ? parseInt(precStr, 10) : -1;
    if (key !== undefined) {
      if (!mapping) throw typeError('format requires a mapping');
      usedMapping = true;
      value = mapping.get(key);
      if (value === undefined) throw new PyException('KeyError', repr(cx, key));
    } else value = conv === '%' ? '%' : next();
    out += percentOne(cx, value, flags, width, precision, conv);
  }
  out += template.slice(last);
  if (!mapping && !usedMapping && index < items.length && !(args instanceof PyTuple && items.length === 0)) {
    throw typeError('not all arguments converted during string formatting');
  }
  return out;
}

function percentOne(cx: Context, v: Value, flags: string, width: number, precision: number, conv: string): string {
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
