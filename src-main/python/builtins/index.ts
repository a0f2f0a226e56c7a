// The builtins module: every name a program can use without importing it.
import { BYTEARRAY_TYPE, BYTES_NATIVE_TYPES, BYTES_TYPE } from '../bytes';
import type { NativeType, Value } from '../context';
import { EXCEPTION_TYPES } from '../exceptions';
import { BUILTIN_TYPES } from '../types';
import { Builtin, type NativeFn } from '../values';
import { NOT_IMPLEMENTED } from '../classes';
import { ELLIPSIS, OBJECT_TYPE } from '../values';
import { CLASS_BUILTINS } from './classes';
import { ITERATION_BUILTINS } from './iteration';
import { NUMBER_BUILTINS } from './numbers';
import { OBJECT_BUILTINS } from './objects';
import { UNSUPPORTED_BUILTINS } from './unsupported';

const TYPE_NAMES = ['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'set', 'frozenset', 'range', 'type', 'slice'];

/**
 * Built-ins whose every call CPython 3.11 counts as a level of the recursion limit: METH_O and
 * METH_VARARGS functions (len is METH_O too, but its specialised call skips the check).
 */
const CHECKED_ALWAYS = new Set(['abs', 'all', 'any', 'ascii', 'bin', 'callable', 'chr', 'hash', 'hex', 'id', 'oct', 'ord', 'repr', 'min', 'max']);

function functions(table: Readonly<Record<string, NativeFn>>): [string, Value][] {
  return Object.entries(table).map(([name, fn]) => {
    const builtin = new Builtin(name, fn);
    builtin.recursionCheck = CHECKED_ALWAYS.has(name) ? 'always' : 'cold';
    return [name, builtin];
  });
}

/** The built-in names; each interpreter starts from a copy. */
export const STANDARD_BUILTINS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ...TYPE_NAMES.map((name): [string, Value] => [name, BUILTIN_TYPES.get(name)]),
  ['object', OBJECT_TYPE],
  ['bytes', BYTES_TYPE],
  ['bytearray', BYTEARRAY_TYPE],
  ['NotImplemented', NOT_IMPLEMENTED],
  ['Ellipsis', ELLIPSIS],
  ...EXCEPTION_TYPES,
  ...functions(CLASS_BUILTINS),
  ...functions(OBJECT_BUILTINS),
  ...functions(NUMBER_BUILTINS),
  ...functions(ITERATION_BUILTINS),
  ...functions(UNSUPPORTED_BUILTINS),
]);

/** The built-in types implemented as native types (bytes, bytearray); every interpreter registers them. */
export const STANDARD_NATIVE_TYPES: readonly NativeType[] = BYTES_NATIVE_TYPES;
