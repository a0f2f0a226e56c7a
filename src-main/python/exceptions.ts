// The exception classes a program can name (raise ValueError('x'), except KeyError as e), as
// type objects, and the Python exception object of an error raised by the runner.
import { EXCEPTION_BASES, type PyException } from './errors';
import { PyExceptionValue, PyType } from './values';

/** Every exception class by name (for the builtins). */
export const EXCEPTION_TYPES: ReadonlyMap<string, PyType> = new Map(
  [...Object.keys(EXCEPTION_BASES), 'MemoryError'].map((name) => [name, new PyType(name, (args) => new PyExceptionValue(name, args), 'exception')]),
);

/** The class object of an exception type name. */
export function exceptionType(name: string): PyType {
  const t = EXCEPTION_TYPES.get(name);
  if (!t) throw new Error(`unknown exception type ${name}`);
  return t;
}

/** The object `except ... as e` binds for an error the runner raised. */
export function makeExceptionValue(ex: PyException): PyExceptionValue {
  return new PyExceptionValue(ex.pyType, ex.pyMessage === '' ? [] : [ex.pyMessage]);
}
