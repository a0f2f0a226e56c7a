// f-string bodies: literal text (with {{ and }}), and replacement fields with their expression
// (parsed by the expression parser passed in), !r/!s/!a conversion, nested format spec and the
// self-documenting `=`.
import type { Expr, FStringPart } from '../ast';
import { decodeEscapes, syntaxError } from '../tokenizer';

export type ParseExpression = (text: string, line: number) => Expr;

/** The parts of an f-string body: literal text and {expression!conversion:spec} fields. */
export function parseFString(body: string, raw: boolean, line: number, parseExpression: ParseExpression): FStringPart[] {
  const parts: FStringPart[] = [];
  let lit = '';
  let i = 0;
  const flushLit = (): void => {
    if (lit) parts.push(raw ? lit : decodeEscapes(lit, line));
    lit = '';
  };
  while (i < body.length) {
    const c = body[i];
    if (c === '{') {
      if (body[i + 1] === '{') {
        lit += '{';
        i += 2;
        continue;
      }
      flushLit();
      const { part, end } = parseField(body, i + 1, raw, line, parseExpression);
      parts.push(part);
      i = end;
      continue;
    }
    if (c === '}') {
      if (body[i + 1] === '}') {
        lit += '}';
        i += 2;
        continue;
      }
      throw syntaxError("f-string: single '}' is not allowed", line);
    }
    if (c === '\\' && !raw) {
      lit += c + (body[i + 1] ?? '');
      i += 2;
      continue;
    }
    lit += c;
    i++;
  }
  flushLit();
  return parts;
}

function parseField(body: string, start: number, raw: boolean, line: number, parseExpression: ParseExpression): { part: FStringPart; end: number } {
  let depth = 0;
  let i = start;
  let quote = '';
  for (; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && (c === '}' || c === ':' || (c === '!' && body[i + 1] !== '='))) break;
    else if (c === '\\') throw syntaxError('f-string expression part cannot include a backslash', line);
    else if (c === '#') throw syntaxError("f-string expression part cannot include '#'", line);
  }
  if (i >= body.length) throw syntaxError("f-string: expecting '}'", line);
  let exprText = body.slice(start, i);
  let selfDoc = '';
  const trimmed = exprText.trimEnd();
  if (trimmed.endsWith('=') && !/[=!<>]=$/.test(trimmed)) {
    selfDoc = exprText;
    exprText = trimmed.slice(0, -1);
  }
  if (exprText.trim() === '') throw syntaxError('f-string: empty expression not allowed', line);
  const expr = parseExpression(exprText, line);
  let conversion = '';
  if (body[i] === '!') {
    conversion = body[i + 1];
    if (conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
      throw syntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'", line);
    }
    i += 2;
  }
  let spec: FStringPart[] | null = null;
  if (body[i] === ':') {
    // The format spec runs to the matching '}' and may itself contain {fields}.
    let j = i + 1;
    let d = 0;
    for (; j < body.length; j++) {
      if (body[j] === '{') d++;
      else if (body[j] === '}') {
        if (d === 0) break;
        d--;
      }
    }
    if (j >= body.length) throw syntaxError("f-string: expecting '}'", line);
    spec = parseFString(body.slice(i + 1, j), raw, line, parseExpression);
    i = j;
  }
  if (body[i] !== '}') throw syntaxError("f-string: expecting '}'", line);
  if (selfDoc && !conversion && !spec) conversion = 'r';
  return { part: { expr, conversion, spec, selfDoc }, end: i + 1 };
}
