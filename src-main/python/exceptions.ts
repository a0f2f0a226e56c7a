// The exception classes a program can name (raise ValueError('x'), except KeyError as e,
// class ShapeError(ValueError)), as type objects with CPython's hierarchy, and the Python
// exception object of an error raised by the runner.
import type { Value } from './context';
import { EXCEPTION_BASES, type PyException } from './errors';
import { OBJECT_TYPE, PyExceptionValue, PyType } from './values';

function buildExceptionTypes(): Map<string, PyType> {
  const types = new Map<string, PyType>();
  const bases: [string, string | null][] = [...Object.entries(EXCEPTION_BASES), ['MemoryError', 'Exception']];
  for (const [name, base] of bases) {
    const parent = base === null ? OBJECT_TYPE : types.get(base);
    if (!parent) throw new Error(`exception ${name} is listed before its base ${base}`);
    const type: PyType = new PyType(name, (args) => new PyExceptionValue(type, args), 'builtins', [parent]);
    types.set(name, type);
  }
  return types;
}

/** Every built-in exception class by name (for the builtins). */
export const EXCEPTION_TYPES: ReadonlyMap<string, PyType> = buildExceptionTypes();
const BASE_EXCEPTION = EXCEPTION_TYPES.get('BaseException')!;

/** The class object of a built-in exception type name. */
export function exceptionType(name: string): PyType {
  const t = EXCEPTION_TYPES.get(name);
  if (!t) throw new Error(`unknown exception type ${name}`);
  return t;
}

/** True for BaseException and every class derived from it. */
export function isExceptionClass(t: PyType): boolean {
  return t === BASE_EXCEPTION || t.mro.includes(BASE_EXCEPTION);
}

/** A new instance of a built-in exception type. */
export function newException(name: string, args: Value[]): PyExceptionValue {
  return new PyExceptionValue(exceptionType(name), args);
}

/** The object `except ... as e` binds for an error the runner raised. */
export function makeExceptionValue(ex: PyException): PyExceptionValue {
  return newException(ex.pyType, ex.pyMessage === '' ? [] : [ex.pyMessage]);
}
