// str.encode / bytes.decode for the codecs a learner meets (UTF-8, ASCII, Latin-1), strict, with
// CPython's UnicodeEncodeError / UnicodeDecodeError / LookupError texts.
import { PyException } from './errors';

type Codec = 'utf-8' | 'ascii' | 'latin-1';

const ALIASES: Readonly<Record<string, Codec>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf_8': 'utf-8',
  u8: 'utf-8',
  ascii: 'ascii',
  'us-ascii': 'ascii',
  'us_ascii': 'ascii',
  'latin-1': 'latin-1',
  latin1: 'latin-1',
  'latin_1': 'latin-1',
  'iso-8859-1': 'latin-1',
  'iso8859-1': 'latin-1',
  'iso_8859_1': 'latin-1',
  l1: 'latin-1',
};

/** The codec an encoding name means (case and '-'/'_' as CPython's normalisation allows). */
export function findCodec(encoding: string): Codec {
  const codec = ALIASES[encoding.toLowerCase().replace(/ /g, '-')];
  if (codec === undefined) throw new PyException('LookupError', `unknown encoding: ${encoding}`);
  return codec;
}

export function checkErrors(errors: string): void {
  if (errors !== 'strict') {
    throw new PyException('NotImplementedError', `GradLab does not support errors='${errors}' yet; only 'strict'`);
  }
}

/** How CPython's codec errors write one character: '\xe9', '\u2603', '\U0001d538'. */
function escapedChar(code: number): string {
  if (code < 0x100) return '\\x' + code.toString(16).padStart(2, '0');
  if (code < 0x10000) return '\\u' + code.toString(16).padStart(4, '0');
  return '\\U' + code.toString(16).padStart(8, '0');
}

/** str.encode(encoding) */
export function encodeString(text: string, encoding: string): Uint8Array {
  const codec = findCodec(encoding);
  const codes = Array.from(text, (ch) => ch.codePointAt(0)!);
  const limit = codec === 'ascii' ? 0x80 : codec === 'latin-1' ? 0x100 : Infinity;
  // the characters a codec refuses: runs of them are reported together, as CPython does
  const refused = (code: number): boolean => code >= limit || (codec === 'utf-8' && code >= 0xd800 && code <= 0xdfff);
  const bad = codes.findIndex(refused);
  if (bad >= 0) {
    let end = bad + 1;
    while (end < codes.length && refused(codes[end])) end++;
    const reason = codec === 'utf-8' ? 'surrogates not allowed' : `ordinal not in range(${limit})`;
    const where = end - bad === 1 ? `character '${escapedChar(codes[bad])}' in position ${bad}` : `characters in position ${bad}-${end - 1}`;
    throw new PyException('UnicodeEncodeError', `'${codec}' codec can't encode ${where}: ${reason}`);
  }
  if (codec !== 'utf-8') return Uint8Array.from(codes);
  return new TextEncoder().encode(text);
}

/** bytes.decode(encoding) */
export function decodeBytes(data: Uint8Array, encoding: string): string {
  const codec = findCodec(encoding);
  if (codec === 'latin-1') return latin1(data);
  if (codec === 'ascii') {
    const bad = data.findIndex((b) => b >= 0x80);
    if (bad >= 0) throw decodeError(codec, data, bad, bad + 1, 'ordinal not in range(128)');
    return latin1(data);
  }
  checkUtf8(data);
  // well-formed now; decoded by hand because TextDecoder would drop a leading byte order mark
  let out = '';
  for (let i = 0; i < data.length; ) {
    const b = data[i];
    const length = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    let code = length === 1 ? b : b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) code = (code << 6) | (data[i + k] & 0x3f);
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}

/** Bytes 0-255 as the characters U+0000-U+00FF. */
export function latin1(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 8192) out += String.fromCharCode(...data.subarray(i, i + 8192));
  return out;
}

function decodeError(codec: Codec, data: Uint8Array, start: number, end: number, reason: string): PyException {
  const where = end - start === 1 ? `byte 0x${data[start].toString(16).padStart(2, '0')} in position ${start}` : `bytes in position ${start}-${end - 1}`;
  return new PyException('UnicodeDecodeError', `'${codec}' codec can't decode ${where}: ${reason}`);
}

/** Throws CPython's UnicodeDecodeError at the first malformed UTF-8 sequence (its decoder's rules). */
function checkUtf8(data: Uint8Array): void {
  const n = data.length;
  for (let i = 0; i < n; ) {
    const b = data[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else throw decodeError('utf-8', data, i, i + 1, 'invalid start byte');
    // the valid prefix of the sequence (the second byte has the narrower range)
    let j = i + 1;
    for (let k = 0; k < need && j < n; k++, j++) {
      const c = data[j];
      const ok = k === 0 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf;
      if (!ok) throw decodeError('utf-8', data, i, j, 'invalid continuation byte');
    }
    if (j - i <= need) throw decodeError('utf-8', data, i, j, 'unexpected end of data');
    i = j;
  }
}
