// Built-in functions about classes: isinstance, issubclass, super, property, staticmethod,
// classmethod.
import { checkArgs, kwarg } from '../args';
import { isSubclass, superBuiltin } from '../classes';
import type { Context, Value } from '../context';
import { typeError } from '../errors';
import { typeOf } from '../types';
import { PyClassMethod, PyProperty, PyStaticMethod, PyTuple, PyType, type NativeFn } from '../values';

/** The classes of isinstance's / issubclass's second argument (a type or a nested tuple of types). */
function classInfo(cx: Context, t: Value, fn: string): PyType[] {
  if (t instanceof PyType) return [t];
  if (t instanceof PyTuple) return t.items.flatMap((x) => classInfo(cx, x, fn));
  throw typeError(`${fn}() arg 2 must be a type, a tuple of types, or a union`);
}

export const CLASS_BUILTINS: Readonly<Record<string, NativeFn>> = {
  isinstance: (args, _kwargs, cx) => {
    checkArgs('isinstance', args, 2, 2);
    const type = typeOf(cx, args[0]);
    return classInfo(cx, args[1], 'isinstance').some((t) => isSubclass(type, t));
  },
  issubclass: (args, _kwargs, cx) => {
    checkArgs('issubclass', args, 2, 2);
    const [sub] = args;
    if (!(sub instanceof PyType)) throw typeError('issubclass() arg 1 must be a class');
    return classInfo(cx, args[1], 'issubclass').some((t) => isSubclass(sub, t));
  },
  super: superBuiltin,
  property: (args, kwargs) => {
    const k = kwarg('property', kwargs, ['fget', 'fset', 'fdel', 'doc']);
    return new PyProperty(args[0] ?? k.fget ?? null, args[1] ?? k.fset ?? null, args[3] ?? k.doc ?? null);
  },
  staticmethod: (args) => {
    checkArgs('staticmethod', args, 1, 1);
    return new PyStaticMethod(args[0]);
  },
  classmethod: (args) => {
    checkArgs('classmethod', args, 1, 1);
    return new PyClassMethod(args[0]);
  },
};
