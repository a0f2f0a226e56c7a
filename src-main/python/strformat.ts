// str.format: CPython's format-string syntax ({}, {0}, {name}, {0.attr}, {0[key]}, !r/!s/!a,
// nested {spec}s); each field is then formatted by format.ts.
import type { Context, Kwargs, Value } from './context';
import { PyException, valueError } from './errors';
import { formatValue } from './format';
import { repr, str } from './objects';
import { keyError } from './ops';
import { getItem } from './subscript';

/** str.format(*args, **kwargs): CPython's replacement fields, conversions, nested specs. */
export function strFormat(cx: Context, template: string, args: Value[], kwargs: Kwargs): string {
  return formatFields(cx, template, args, kwargs, { auto: 0 }, 2);
}

/**
 * One level of replacement fields. `numbering.auto` counts automatic field numbers across nested
 * specs ('{:{}}' takes its value, then its width); -1 once a field was numbered by hand.
 */
function formatFields(cx: Context, template: string, args: Value[], kwargs: Kwargs, numbering: { auto: number }, depthLeft: number): string {
  if (depthLeft <= 0) throw valueError('Max string recursion exceeded');
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      for (; j < template.length; j++) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}' && --depth === 0) break;
      }
      if (j >= template.length) throw valueError("expected '}' before end of string");
      const field = template.slice(i + 1, j);
      i = j + 1;
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (!m) throw valueError('unmatched field in format string');
      const [, name, conv] = m;
      let spec = m[3];
      const path = /^([^.[]*)(.*)$/s.exec(name)!;
      let first = path[1];
      let value: Value;
      if (first === '') {
        if (numbering.auto < 0) throw valueError('cannot switch from manual field specification to automatic field numbering');
        first = String(numbering.auto++);
      } else if (/^\d+$/.test(first)) {
        if (numbering.auto > 0) throw valueError('cannot switch from automatic field numbering to manual field specification');
        numbering.auto = -1;
      }
      if (/^\d+$/.test(first)) {
        const idx = parseInt(first, 10);
        if (idx >= args.length) throw new PyException('IndexError', `Replacement index ${idx} out of range for positional args tuple`);
        value = args[idx];
      } else {
        const v = kwargs?.get(first);
        if (v === undefined) throw keyError(cx, first);
        value = v;
      }
      const rest = path[2];
      const re = /\.(\w+)|\[([^\]]*)\]/g;
      let pm: RegExpExecArray | null;
      while ((pm = re.exec(rest)) !== null) {
        if (pm[1] !== undefined) value = cx.getAttr(value, pm[1]);
        else value = getItem(cx, value, /^\d+$/.test(pm[2]) ? BigInt(pm[2]) : pm[2]);
      }
      if (conv === 'r' || conv === 'a') value = repr(cx, value);
      else if (conv === 's') value = str(cx, value);
      if (spec && spec.includes('{')) spec = formatFields(cx, spec, args, kwargs, numbering, depthLeft - 1);
      out += formatValue(cx, value, spec ?? '');
      continue;
    }
    if (c === '}') {
      if (template[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw valueError("Single '}' encountered in format string");
    }
    out += c;
    i++;
  }
  return out;
}
