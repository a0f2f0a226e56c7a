// Binding a call's positional and keyword arguments to a user function's parameters (defaults,
// *args, **kwargs, keyword-only), with CPython's error messages.
import type { Kwargs, Value } from './context';
import { typeError } from './errors';
import type { CompiledParam, PyFunction } from './runtime';
import { PyDict, PyTuple } from './values';

function pluralArgs(n: number): string {
  return n === 1 ? '1 positional argument' : `${n} positional arguments`;
}

/** Binds a call's arguments to the function's parameter slots, with CPython's TypeErrors. */
export function bindArguments(fn: PyFunction, args: Value[], kwargs: Kwargs, locals: Value[]): void {
  const params = fn.params;
  let positional = 0;
  let varargs: CompiledParam | null = null;
  let varkw: CompiledParam | null = null;
  for (const p of params) {
    if (p.kind === 'normal') positional++;
    else if (p.kind === 'varargs') varargs = p;
    else if (p.kind === 'kwargs') varkw = p;
  }
  const n = args.length;
  if (n > positional && !varargs) {
    const withDefault = params.filter((p) => p.kind === 'normal' && p.default !== null).length;
    const takes = withDefault > 0 ? `from ${positional - withDefault} to ${positional} positional arguments` : pluralArgs(positional);
    const given = n === 1 ? '1 was given' : `${n} were given`;
    throw typeError(`${fn.qualname}() takes ${takes} but ${given}`);
  }
  let pi = 0;
  for (let i = 0; i < params.length && pi < n; i++) {
    const p = params[i];
    if (p.kind !== 'normal') continue;
    locals[p.slot] = args[pi++];
  }
  if (varargs) locals[varargs.slot] = new PyTuple(args.slice(Math.min(pi, n)));
  let extra: PyDict | null = null;
  if (varkw) extra = new PyDict();
  if (kwargs) {
    for (const [name, value] of kwargs) {
      const p = params.find((q) => q.name === name && (q.kind === 'normal' || q.kind === 'kwonly'));
      if (!p) {
        if (extra) {
          extra.set(name, value);
          continue;
        }
        throw typeError(`${fn.qualname}() got an unexpected keyword argument '${name}'`);
      }
      if (locals[p.slot] !== undefined) throw typeError(`${fn.qualname}() got multiple values for argument '${name}'`);
      locals[p.slot] = value;
    }
  }
  if (varkw) locals[varkw.slot] = extra;
  const missing: string[] = [];
  const missingKw: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if ((p.kind === 'normal' || p.kind === 'kwonly') && locals[p.slot] === undefined) {
      const d = fn.defaults[i];
      if (d !== undefined) locals[p.slot] = d;
      else (p.kind === 'normal' ? missing : missingKw).push(`'${p.name}'`);
    }
  }
  const describe = (names: string[]): string =>
    names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
  if (missing.length > 0) {
    throw typeError(`${fn.qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${describe(missing)}`);
  }
  if (missingKw.length > 0) {
    throw typeError(`${fn.qualname}() missing ${missingKw.length} required keyword-only argument${missingKw.length > 1 ? 's' : ''}: ${describe(missingKw)}`);
  }
}
