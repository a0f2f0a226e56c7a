// Python tokenizer: names, numbers, strings (prefixes r/b/f/u, triple quotes), operators,
// NEWLINE/INDENT/DEDENT from indentation, implicit line joining inside brackets, backslash
// continuation. Errors carry CPython 3.11's messages ("'(' was never closed", ...).
import { PyException } from './errors';
import { intDigitsLimitMessage, INT_MAX_STR_DIGITS } from './numfmt';

export type TokenType = 'name' | 'int' | 'float' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  type: TokenType;
  /** Name / operator text; for strings the decoded value (or the raw body for f-strings). */
  value: string;
  /** int literals: exact value. float literals: numeric value. */
  num?: bigint | number;
  /** For strings: the prefix letters, lowercased ('', 'r', 'f', 'rf', 'b', ...). */
  prefix?: string;
  line: number;
  col: number;
}

export function syntaxError(message: string, line: number, type = 'SyntaxError'): PyException {
  return new PyException(type, message, line);
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '->', ':=',
  '**', '//', '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '+', '-', '*', '/', '%', '@', '<', '>', '=', '.', ',', ':', ';', '(', ')', '[', ']', '{', '}', '&', '|', '^', '~',
];

const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** CPython's tokenizer limits (MAXLEVEL, MAXINDENT). */
const MAX_NESTING = 200;
const MAX_INDENT = 100;

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}
function isIdChar(c: string): boolean {
  return isIdStart(c) || (c >= '0' && c <= '9');
}

export function tokenize(source: string): Token[] {
  // a UTF-8 byte-order mark at the start is not part of the program (CPython skips it when reading a file)
  const src = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  const tokens: Token[] = [];
  const indents = [0];
  const brackets: { ch: string; line: number }[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  const n = src.length;

  while (pos <= n) {
    if (atLineStart && brackets.length === 0) {
      // Measure indentation of a logical line.
      let col = 0;
      let p = pos;
      while (p < n && (src[p] === ' ' || src[p] === '\t' || src[p] === '\f')) {
        col = src[p] === '\t' ? (Math.floor(col / 8) + 1) * 8 : src[p] === '\f' ? 0 : col + 1;
        p++;
      }
      if (p >= n) break;
      if (src[p] === '#' || src[p] === '\n' || (src[p] === '\\' && src[p + 1] === '\n')) {
        // Blank or comment-only line: no indentation tokens.
        while (p < n && src[p] !== '\n') p++;
        pos = p + 1;
        line++;
        lineStart = pos;
        continue;
      }
      const top = indents[indents.length - 1];
      if (col > top) {
        // An indent the grammar did not ask for is reported by the parser ("unexpected indent"),
        // after it had the chance to report a missing ':' on the line before.
        if (indents.length >= MAX_INDENT) throw syntaxError('too many levels of indentation', line, 'IndentationError');
        indents.push(col);
        tokens.push({ type: 'indent', value: '', line, col: 0 });
      } else if (col < top) {
        while (col < indents[indents.length - 1]) {
          indents.pop();
          tokens.push({ type: 'dedent', value: '', line, col: 0 });
        }
        if (col !== indents[indents.length - 1]) {
          throw syntaxError('unindent does not match any outer indentation level', line, 'IndentationError');
        }
      }
      pos = p;
      atLineStart = false;
    }
    if (pos >= n) break;
    const c = src[pos];
    const col = pos - lineStart;
    if (c === ' ' || c === '\t' || c === '\f') {
      pos++;
      continue;
    }
    if (c === '#') {
      while (pos < n && src[pos] !== '\n') pos++;
      continue;
    }
    if (c === '\\' && src[pos + 1] === '\n') {
      pos += 2;
      line++;
      lineStart = pos;
      continue;
    }
    if (c === '\n') {
      if (brackets.length === 0) {
        const prev = tokens[tokens.length - 1];
        if (prev && prev.type !== 'newline') {
          tokens.push({ type: 'newline', value: '', line, col });
        }
        atLineStart = true;
      }
      pos++;
      line++;
      lineStart = pos;
      continue;
    }
    // Strings (with optional prefix)
    let prefixEnd = pos;
    while (prefixEnd < n && prefixEnd - pos < 2 && /[rRbBuUfF]/.test(src[prefixEnd])) prefixEnd++;
    if (prefixEnd < n && (src[prefixEnd] === '"' || src[prefixEnd] === "'") && /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?$/.test(src.slice(pos, prefixEnd))) {
      const prefix = src.slice(pos, prefixEnd).toLowerCase();
      const quote = src[prefixEnd];
      const triple = src.startsWith(quote.repeat(3), prefixEnd);
      const delim = triple ? quote.repeat(3) : quote;
      let p = prefixEnd + delim.length;
      const startLine = line;
      let body = '';
      for (;;) {
        if (p >= n || (!triple && src[p] === '\n')) {
          if (triple) throw syntaxError(`unterminated triple-quoted string literal (detected at line ${line})`, startLine);
          throw syntaxError(`unterminated string literal (detected at line ${line})`, startLine);
        }
        const ch = src[p];
        if (ch === '\\') {
          if (src[p + 1] === '\n') {
            line++;
            lineStart = p + 2;
          }
          body += ch + (src[p + 1] ?? '');
          p += 2;
          continue;
        }
        if (src.startsWith(delim, p)) {
          p += delim.length;
          break;
        }
        if (ch === '\n') {
          line++;
          lineStart = p + 1;
        }
        body += ch;
        p++;
      }
      const raw = prefix.includes('r');
      if (prefix.includes('b')) {
        // a bytes literal: its value is the bytes as the characters U+0000-U+00FF
        if (/[^\p{ASCII}]/u.test(body)) throw syntaxError('bytes can only contain ASCII literal characters', startLine);
        tokens.push({ type: 'string', value: raw ? body : decodeBytesEscapes(body, startLine), prefix: prefix.replace('u', ''), line: startLine, col });
        pos = p;
        continue;
      }
      const isF = prefix.includes('f');
      tokens.push({
        type: 'string',
        value: isF ? body : raw ? body : decodeEscapes(body, startLine),
        prefix: prefix.replace('u', ''),
        line: startLine,
        col,
      });
      pos = p;
      continue;
    }
    if (isIdStart(c)) {
      let p = pos + 1;
      while (p < n && isIdChar(src[p])) p++;
      tokens.push({ type: 'name', value: src.slice(pos, p), line, col });
      pos = p;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && src[pos + 1] >= '0' && src[pos + 1] <= '9')) {
      pos = readNumber(src, pos, line, col, tokens);
      continue;
    }
    let op = '';
    for (const candidate of OPERATORS) {
      if (src.startsWith(candidate, pos)) {
        op = candidate;
        break;
      }
    }
    if (!op) {
      if (c === '!') throw syntaxError('invalid syntax', line);
      if (c === '$' || c === '?' || c === '`') throw syntaxError('invalid syntax', line);
      throw syntaxError(`invalid character '${c}' (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`, line);
    }
    if (op === '(' || op === '[' || op === '{') {
      if (brackets.length >= MAX_NESTING) throw syntaxError('too many nested parentheses', line);
      brackets.push({ ch: op, line });
    }
    else if (op === ')' || op === ']' || op === '}') {
      const open = brackets.pop();
      if (!open) throw syntaxError(`unmatched '${op}'`, line);
      if (open.ch !== CLOSERS[op]) {
        const names: Record<string, string> = { '(': '(', '[': '[', '{': '{' };
        const tail = open.line !== line ? ` on line ${open.line}` : '';
        throw syntaxError(`closing parenthesis '${op}' does not match opening parenthesis '${names[open.ch]}'${tail}`, line);
      }
    }
    tokens.push({ type: 'op', value: op, line, col });
    pos += op.length;
  }
  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1];
    throw syntaxError(`'${open.ch}' was never closed`, open.line);
  }
  const last = tokens[tokens.length - 1];
  if (last && last.type !== 'newline') tokens.push({ type: 'newline', value: '', line, col: 0 });
  while (indents.length > 1) {
    indents.pop();
    tokens.push({ type: 'dedent', value: '', line, col: 0 });
  }
  tokens.push({ type: 'eof', value: '', line, col: 0 });
  return tokens;
}

function readNumber(src: string, pos: number, line: number, col: number, tokens: Token[]): number {
  const rest = src.slice(pos);
  let m = /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+/.exec(rest);
  if (m) {
    const text = m[0].replace(/_/g, '');
    tokens.push({ type: 'int', value: m[0], num: BigInt(text.toLowerCase().startsWith('0o') ? '0o' + text.slice(2) : text), line, col });
    return checkNumberEnd(src, pos + m[0].length, line);
  }
  m = /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?/.exec(rest);
  if (!m) throw syntaxError('invalid syntax', line);
  const text = m[0];
  let end = pos + text.length;
  if (src[end] === 'j' || src[end] === 'J') {
    throw new PyException('NotImplementedError', `GradLab does not support complex numbers yet (line ${line})`, line);
  }
  const clean = text.replace(/_/g, '');
  if (/[.eE]/.test(clean)) tokens.push({ type: 'float', value: text, num: parseFloat(clean), line, col });
  else {
    if (clean.length > 1 && clean[0] === '0' && /[1-9]/.test(clean)) {
      throw syntaxError('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', line);
    }
    if (clean.length > INT_MAX_STR_DIGITS) {
      throw syntaxError(`${intDigitsLimitMessage(clean.length)} - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.`, line);
    }
    tokens.push({ type: 'int', value: text, num: BigInt(clean), line, col });
  }
  end = checkNumberEnd(src, end, line);
  return end;
}

function checkNumberEnd(src: string, end: number, line: number): number {
  if (end < src.length && isIdChar(src[end])) throw syntaxError('invalid decimal literal', line);
  return end;
}

/**
 * Where CPython's unicode-escape decoder says an escape starts: it counts bytes of the literal
 * after writing every non-ASCII character as a 10-byte \\UXXXXXXXX escape.
 */
function escapePosition(body: string, index: number): number {
  let pos = 0;
  for (const ch of body.slice(0, index)) pos += ch.charCodeAt(0) < 0x80 ? 1 : 10;
  return pos;
}

function unicodeError(start: number, end: number, reason: string, line: number): PyException {
  return syntaxError(`(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${end}: ${reason}`, line);
}

/** Decodes the backslash escapes of a non-raw bytes literal (no \\u, \\U or \\N there; octal wraps at 256). */
function decodeBytesEscapes(body: string, line: number): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i + 1] ?? '';
    if (e === 'x') {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw syntaxError(`(value error) invalid \\x escape at position ${i}`, line);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 3;
    } else if (e >= '0' && e <= '7') {
      let j = i + 1;
      while (j < body.length && j < i + 4 && body[j] >= '0' && body[j] <= '7') j++;
      out += String.fromCharCode(parseInt(body.slice(i + 1, j), 8) & 0xff);
      i = j - 1;
    } else if (e === 'u' || e === 'U' || e === 'N') {
      out += '\\' + e;
      i++;
    } else {
      out += decodeEscapes(body.slice(i, i + 2), line);
      i++;
    }
  }
  return out;
}

/** Decodes backslash escapes of a non-raw string literal. */
export function decodeEscapes(body: string, line: number): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case '\n':
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
        out += '\\';
        break;
      case "'":
        out += "'";
        break;
      case '"':
        out += '"';
        break;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        let j = i;
        while (j < body.length && j < i + 3 && body[j] >= '0' && body[j] <= '7') j++;
        out += String.fromCharCode(parseInt(body.slice(i, j), 8));
        i = j - 1;
        break;
      }
      case 'x':
      case 'u':
      case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + len);
        const valid = /^[0-9a-fA-F]*/.exec(hex)![0].length;
        const start = escapePosition(body, i - 1);
        if (valid < len) throw unicodeError(start, start + 1 + valid, `truncated \\${e}${'X'.repeat(len)} escape`, line);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw unicodeError(start, start + 1 + len, 'illegal Unicode character', line);
        out += String.fromCodePoint(code);
        i += len;
        break;
      }
      case 'N':
        throw new PyException('NotImplementedError', `GradLab does not support \\N{...} escapes (Unicode character names) yet; write the character itself or \\u followed by its code (line ${line})`, line);
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      default:
        out += '\\' + (e ?? '');
    }
  }
  return out;
}
