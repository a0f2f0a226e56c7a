// The methods of str: case, strip, split, join, replace, find, padding, predicates, format, encode.
import { asInt, checkArgs, kwarg } from '../args';
import type { Context, Value } from '../context';
import { PyException, typeError, valueError } from '../errors';
import { RECURSION_WHILE_CALLING, typeName } from '../objects';
import { iterableToArray } from '../ops';
import { codePoints, isLatin1, reserveString } from '../sizes';
import { strFormat } from '../strformat';
import { PyBytes } from '../values';
import { checkErrors, encodeString } from '../codecs';
import { PyDict, PyList, PyTuple, type MethodImpl } from '../values';

function strArg(method: string, v: Value, argDesc = 'str'): string {
  if (typeof v !== 'string') throw typeError(`${method} arg must be None or ${argDesc}`);
  return v;
}

function stripChars(s: string, chars: Value, left: boolean, right: boolean, name: string): string {
  if (chars === undefined || chars === null) {
    let a = 0;
    let b = s.length;
    if (left) while (a < b && /\s/.test(s[a])) a++;
    if (right) while (b > a && /\s/.test(s[b - 1])) b--;
    return s.slice(a, b);
  }
  const set = strArg(name, chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** str.rsplit() with no separator: words from the right, the rest (its whitespace kept) as the first item. */
function rsplitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let j = s.length;
  while (j > 0) {
    while (j > 0 && /\s/.test(s[j - 1])) j--;
    if (j <= 0) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(s.slice(0, j));
      break;
    }
    let i = j;
    while (i > 0 && !/\s/.test(s[i - 1])) i--;
    out.push(s.slice(i, j));
    j = i;
  }
  return out.reverse();
}

function splitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && /\s/.test(s[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(s.slice(i));
      return out;
    }
    let j = i;
    while (j < n && !/\s/.test(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** [start, s cut at end] for str.find-style (sub, start, end) arguments. */
function findIn(cx: Context, s: string, sub: Value, start: Value, end: Value): [number, string] {
  if (typeof sub !== 'string') throw typeError(`must be str, not ${typeName(cx, sub)}`);
  const len = s.length;
  const norm = (v: Value, d: number): number => {
    if (v === undefined || v === null) return d;
    let i = Number(asInt(cx, v));
    if (i < 0) i = Math.max(0, i + len);
    return Math.min(i, len);
  };
  const a = norm(start, 0);
  const b = norm(end, len);
  return [a, s.slice(0, b)];
}

/** The methods of str (format is str.format, strformat.ts). */
export const STR_METHODS: Readonly<Record<string, MethodImpl>> = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  casefold: (s: string) => s.toLowerCase(),
  swapcase: (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s: string) => s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s: string) => (s.length ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s),
  strip: (s: string, a) => stripChars(s, a[0], true, true, 'strip'),
  lstrip: (s: string, a) => stripChars(s, a[0], true, false, 'lstrip'),
  rstrip: (s: string, a) => stripChars(s, a[0], false, true, 'rstrip'),
  split: (s: string, a, kw, cx) => {
    const k = kwarg('split', kw, ['sep', 'maxsplit']);
    const sep = a.length > 0 ? a[0] : k.sep;
    const maxsplit = Number(asInt(cx, a.length > 1 ? a[1] : k.maxsplit ?? -1n));
    if (sep === undefined || sep === null) return new PyList(splitWhitespace(s, maxsplit));
    if (typeof sep !== 'string') throw typeError(`must be str or None, not ${typeName(cx, sep)}`);
    if (sep === '') throw valueError('empty separator');
    const parts = s.split(sep);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const head = parts.slice(0, maxsplit);
      head.push(parts.slice(maxsplit).join(sep));
      return new PyList(head);
    }
    return new PyList(parts);
  },
  rsplit: (s: string, a, kw, cx) => {
    const k = kwarg('rsplit', kw, ['sep', 'maxsplit']);
    const sep = a.length > 0 ? a[0] : k.sep;
    const maxsplit = Number(asInt(cx, a.length > 1 ? a[1] : k.maxsplit ?? -1n));
    if (sep === undefined || sep === null) return new PyList(rsplitWhitespace(s, maxsplit));
    if (typeof sep !== 'string') throw typeError(`must be str or None, not ${typeName(cx, sep)}`);
    if (sep === '') throw valueError('empty separator');
    const parts = s.split(sep);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const tail = parts.slice(parts.length - maxsplit);
      return new PyList([parts.slice(0, parts.length - maxsplit).join(sep), ...tail]);
    }
    return new PyList(parts);
  },
  expandtabs: (s: string, a, kw, cx) => {
    const k = kwarg('expandtabs', kw, ['tabsize']);
    const tabsize = Number(asInt(cx, a.length > 0 ? a[0] : k.tabsize ?? 8n));
    let out = '';
    let column = 0;
    for (const ch of s) {
      if (ch === '\t') {
        const spaces = tabsize > 0 ? tabsize - (column % tabsize) : 0;
        out += ' '.repeat(spaces);
        column += spaces;
      } else {
        out += ch;
        column = ch === '\n' || ch === '\r' ? 0 : column + 1;
      }
    }
    return out;
  },
  format_map: (s: string, a, _kw, cx) => {
    checkArgs('format_map', a, 1, 1);
    const mapping = a[0];
    if (!(mapping instanceof PyDict)) throw typeError(`'${typeName(cx, mapping)}' object is not subscriptable`);
    const kwargs = new Map<string, Value>();
    for (const [key, value] of mapping.map.values()) if (typeof key === 'string') kwargs.set(key, value);
    return strFormat(cx, s, [], kwargs);
  },
  splitlines: (s: string) => new PyList(s.split(/\r\n|\r|\n/).filter((x, i, arr) => i < arr.length - 1 || x !== '')),
  join: (s: string, a, _kw, cx) => {
    checkArgs('str.join', a, 1, 1);
    const items = iterableToArray(cx, a[0]);
    items.forEach((x, i) => {
      if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(cx, x)} found`);
    });
    return items.join(s);
  },
  replace: (s: string, a, _kw, cx) => {
    checkArgs('replace', a, 2, 3);
    const [old, rep] = a;
    if (typeof old !== 'string' || typeof rep !== 'string') throw typeError(`replace() argument 1 must be str, not ${typeName(cx, typeof old !== 'string' ? old : rep)}`);
    let count = a.length > 2 ? Number(asInt(cx, a[2])) : -1;
    if (old === '') {
      // an empty pattern matches before every character and at the end
      const chars = Array.from(s);
      const n = count < 0 ? chars.length + 1 : Math.min(count, chars.length + 1);
      return chars.slice(0, n).map((c, k) => (k < n ? rep + c : c)).join('') + (n > chars.length ? rep : '') + chars.slice(n).join('');
    }
    if (count < 0) return s.split(old).join(rep);
    let out = '';
    let rest = s;
    while (count-- > 0) {
      const i = rest.indexOf(old);
      if (i < 0) break;
      out += rest.slice(0, i) + rep;
      rest = rest.slice(i + old.length);
      if (old === '') {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return out + rest;
  },
  startswith: (s: string, a, _kw, cx) => {
    const pre = a[0];
    const [start, hay] = findIn(cx, s, typeof pre === 'string' ? pre : '', a[1], a[2]);
    if (pre instanceof PyTuple) return pre.items.some((p) => hay.startsWith(p as string, start));
    if (typeof pre !== 'string') throw typeError(`startswith first arg must be str or a tuple of str, not ${typeName(cx, pre)}`);
    return hay.startsWith(pre, start);
  },
  endswith: (s: string, a, _kw, cx) => {
    const suf = a[0];
    const [start, hay] = findIn(cx, s, typeof suf === 'string' ? suf : '', a[1], a[2]);
    const test = (x: string): boolean => hay.length - x.length >= start && hay.endsWith(x);
    if (suf instanceof PyTuple) return suf.items.some((p) => test(p as string));
    if (typeof suf !== 'string') throw typeError(`endswith first arg must be str or a tuple of str, not ${typeName(cx, suf)}`);
    return test(suf);
  },
  find: (s: string, a, _kw, cx) => {
    const [start, hay] = findIn(cx, s, a[0], a[1], a[2]);
    return BigInt(hay.indexOf(a[0] as string, start));
  },
  rfind: (s: string, a, _kw, cx) => {
    const [start, hay] = findIn(cx, s, a[0], a[1], a[2]);
    const i = hay.lastIndexOf(a[0] as string);
    return BigInt(i >= start ? i : -1);
  },
  index: (s: string, a, _kw, cx) => {
    const [start, hay] = findIn(cx, s, a[0], a[1], a[2]);
    const i = hay.indexOf(a[0] as string, start);
    if (i < 0) throw valueError('substring not found');
    return BigInt(i);
  },
  count: (s: string, a, _kw, cx) => {
    const [start, hay] = findIn(cx, s, a[0], a[1], a[2]);
    const sub = a[0] as string;
    if (sub === '') return BigInt(hay.length - start + 1);
    return BigInt(hay.slice(start).split(sub).length - 1);
  },
  format: (s: string, a, kw, cx) => {
    // str.format is a METH_VARARGS method: CPython counts its call against the recursion limit
    cx.enterRecursion(RECURSION_WHILE_CALLING);
    try {
      return strFormat(cx, s, a, kw);
    } finally {
      cx.leaveRecursion();
    }
  },
  encode: (s: string, a, kw, cx) => {
    const k = kwarg('encode', kw, ['encoding', 'errors']);
    checkArgs('encode', a, 0, 2);
    const encoding = a[0] ?? k.encoding ?? 'utf-8';
    const errors = a[1] ?? k.errors ?? 'strict';
    if (typeof encoding !== 'string') throw typeError(`encode() argument 'encoding' must be str, not ${typeName(cx, encoding)}`);
    if (typeof errors !== 'string') throw typeError(`encode() argument 'errors' must be str, not ${typeName(cx, errors)}`);
    checkErrors(errors);
    return new PyBytes(encodeString(s, encoding));
  },
  center: (s: string, a, _kw, cx) => {
    checkArgs('center', a, 1, 2);
    const w = widthArg(cx, a[0]);
    const total = w - codePoints(s);
    if (total <= 0) return s;
    const left = Math.floor(total / 2) + (total & w & 1);
    const fill = fillArg(cx, a[1]);
    reserveString(cx, w, isLatin1(fill) && isLatin1(s));
    return fill.repeat(left) + s + fill.repeat(total - left);
  },
  ljust: (s: string, a, _kw, cx) => {
    checkArgs('ljust', a, 1, 2);
    const total = widthArg(cx, a[0]) - codePoints(s);
    if (total <= 0) return s;
    const fill = fillArg(cx, a[1]);
    reserveString(cx, total, isLatin1(fill) && isLatin1(s));
    return s + fill.repeat(total);
  },
  rjust: (s: string, a, _kw, cx) => {
    checkArgs('rjust', a, 1, 2);
    const total = widthArg(cx, a[0]) - codePoints(s);
    if (total <= 0) return s;
    const fill = fillArg(cx, a[1]);
    reserveString(cx, total, isLatin1(fill) && isLatin1(s));
    return fill.repeat(total) + s;
  },
  zfill: (s: string, a, _kw, cx) => {
    checkArgs('zfill', a, 1, 1);
    const total = widthArg(cx, a[0]) - codePoints(s);
    if (total <= 0) return s;
    reserveString(cx, total, isLatin1(s));
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + '0'.repeat(total) + s.slice(sign.length);
  },
  isdigit: (s: string) => s.length > 0 && /^[0-9]+$/.test(s),
  isnumeric: (s: string) => s.length > 0 && /^[0-9]+$/.test(s),
  isdecimal: (s: string) => s.length > 0 && /^[0-9]+$/.test(s),
  isalpha: (s: string) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s: string) => s.length > 0 && /^[\p{L}0-9]+$/u.test(s),
  isspace: (s: string) => s.length > 0 && /^\s+$/.test(s),
  isupper: (s: string) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  islower: (s: string) => /[a-z]/.test(s) && s === s.toLowerCase(),
  partition: (s: string, a) => {
    const sep = a[0] as string;
    const i = s.indexOf(sep);
    return i < 0 ? new PyTuple([s, '', '']) : new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  removeprefix: (s: string, a) => (s.startsWith(a[0] as string) ? s.slice((a[0] as string).length) : s),
  removesuffix: (s: string, a) => (a[0] !== '' && s.endsWith(a[0] as string) ? s.slice(0, s.length - (a[0] as string).length) : s),
};

/** A width argument: a Py_ssize_t. */
function widthArg(cx: Context, v: Value): number {
  const n = asInt(cx, v);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new PyException('OverflowError', 'Python int too large to convert to C ssize_t');
  return Number(n);
}

/** The fill character of center/ljust/rjust. */
function fillArg(cx: Context, v: Value | undefined): string {
  if (v === undefined) return ' ';
  if (typeof v !== 'string') throw typeError(`The fill character must be a unicode character, not ${typeName(cx, v)}`);
  if (codePoints(v) !== 1) throw typeError('The fill character must be exactly one character long');
  return v;
}
