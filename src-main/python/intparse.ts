// Parsing int(...) literals from strings, as CPython's int() does.
import { valueError, type PyException } from './errors';
import { intDigitsLimitMessage, INT_MAX_STR_DIGITS } from './numfmt';
import { pyStrRepr } from './values';

/** int(s, base): CPython's int literal rules (sign, underscores, 0x/0o/0b prefixes, base 0 = from the prefix). */
export function parseIntLiteral(s: string, base: number): bigint {
  const t = s.trim().replace(/_/g, '');
  const bad = (): PyException => valueError(`invalid literal for int() with base ${base}: ${pyStrRepr(s)}`);
  let m = /^([+-]?)(.+)$/.exec(t);
  if (!m) throw bad();
  const sign = m[1] === '-' ? -1n : 1n;
  let body = m[2];
  if (base === 0) {
    m = /^0([xob])/i.exec(body);
    base = m ? { x: 16, o: 8, b: 2 }[m[1].toLowerCase() as 'x' | 'o' | 'b'] : 10;
    if (m) body = body.slice(2);
  } else if (base === 16 && /^0x/i.test(body)) body = body.slice(2);
  else if (base === 8 && /^0o/i.test(body)) body = body.slice(2);
  else if (base === 2 && /^0b/i.test(body)) body = body.slice(2);
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (body === '' || ![...body.toLowerCase()].every((c) => digits.includes(c))) throw bad();
  if ((base & (base - 1)) !== 0 && body.length > INT_MAX_STR_DIGITS) throw valueError(intDigitsLimitMessage(body.length));
  if (base === 10) return sign * BigInt(body);
  let r = 0n;
  const B = BigInt(base);
  for (const c of body.toLowerCase()) r = r * B + BigInt(digits.indexOf(c));
  return sign * r;
}
