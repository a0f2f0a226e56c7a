// Methods of the built-in types, looked up by the receiver's type (the getattr protocol in
// attributes.ts binds them).
import type { Value } from '../context';
import { PyDict, PyList, PyTuple, type MethodImpl } from '../values';
import { DICT_METHODS } from './dict';
import { LIST_METHODS, TUPLE_METHODS } from './list';
import { FLOAT_METHODS, INT_METHODS } from './numbers';
import { SET_METHODS } from './set';
import { STR_METHODS } from './str';
import { PySet } from '../sets';

/** The method table of a built-in value's type (null for other values). */
export function methodTable(obj: Value): Readonly<Record<string, MethodImpl>> | null {
  switch (typeof obj) {
    case 'string':
      return STR_METHODS;
    case 'number':
      return FLOAT_METHODS;
    case 'bigint':
      return INT_METHODS;
  }
  if (obj instanceof PyList) return LIST_METHODS;
  if (obj instanceof PyTuple) return TUPLE_METHODS;
  if (obj instanceof PyDict) return DICT_METHODS;
  if (obj instanceof PySet) return SET_METHODS;
  return null;
}

/** The method table of a built-in type by its name (for `str.lower` read from the type). */
export function methodTableOfType(name: string): Readonly<Record<string, MethodImpl>> | null {
  switch (name) {
    case 'str':
      return STR_METHODS;
    case 'float':
      return FLOAT_METHODS;
    case 'int':
      return INT_METHODS;
    case 'list':
      return LIST_METHODS;
    case 'tuple':
      return TUPLE_METHODS;
    case 'dict':
      return DICT_METHODS;
    case 'set':
    case 'frozenset':
      return SET_METHODS;
  }
  return null;
}
