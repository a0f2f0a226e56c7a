// Classes and instances, as CPython's type and object do them: looking a name up along the mro,
// reading an instance attribute (data descriptors, then the instance's dict, then class
// attributes with functions bound as methods, then __getattr__), writing one (__setattr__,
// property setters), making an instance (__init__), super(), and calling special methods
// (__repr__, __add__, __len__, ...) for the protocols.
import type { Context, Kwargs, Value } from './context';
import { PyException, typeError } from './errors';
import { isExceptionClass } from './exceptions';
import {
  BoundMethod,
  MethodDescriptor,
  OBJECT_TYPE,
  PyClass,
  PyClassMethod,
  PyDict,
  PyExceptionValue,
  PyFunctionLike,
  PyInstance,
  PyMethod,
  PyProperty,
  PyStaticMethod,
  PySuper,
  PyTuple,
  PyType,
  type MethodImpl,
  type NativeFn,
} from './values';

/** Python's NotImplemented: what a binary special method returns for operands it does not handle. */
export class PyNotImplemented {}
export const NOT_IMPLEMENTED = new PyNotImplemented();

/** The first definition of `name` along cls's mro; undefined when only object's default applies. */
export function lookup(cls: PyType, name: string): Value | undefined {
  const mro = cls.mro;
  for (let i = 0; i < mro.length; i++) {
    const v = mro[i].dict.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** issubclass(t, base) */
export function isSubclass(t: PyType, base: PyType): boolean {
  return t === base || base === OBJECT_TYPE || t.mro.includes(base);
}

/** A class attribute as read through an instance (or a class, for classmethods): functions bind. */
export function bindAttribute(cx: Context, attr: Value, self: Value, cls: PyType, name: string): Value {
  if (attr instanceof PyFunctionLike) return new PyMethod(self, attr);
  if (attr instanceof MethodDescriptor) return new BoundMethod(self, attr.name, attr.impl);
  if (attr instanceof PyStaticMethod) return attr.fn;
  if (attr instanceof PyClassMethod) return new PyMethod(cls, attr.fn);
  if (attr instanceof PyProperty) {
    if (attr.fget === null) throw new PyException('AttributeError', `property '${name}' of '${cls.name}' object has no getter`);
    return cx.call(attr.fget, [self], null);
  }
  return attr;
}

/** Calls a method found in a class with `self` first, without making a bound-method object. */
export function callWithSelf(cx: Context, method: Value, self: Value, cls: PyType, args: Value[], kwargs: Kwargs, name: string): Value {
  if (method instanceof PyFunctionLike) return cx.call(method, [self, ...args], kwargs);
  if (method instanceof MethodDescriptor) return method.impl(self, args, kwargs, cx);
  return cx.call(bindAttribute(cx, method, self, cls, name), args, kwargs);
}

/** type(obj).name(obj, *args) when obj's class defines `name` (special methods skip the instance dict). */
export function callSpecial(cx: Context, obj: PyInstance, name: string, args: Value[]): Value | undefined {
  const method = lookup(obj.cls, name);
  if (method === undefined) return undefined;
  return callWithSelf(cx, method, obj, obj.cls, args, null, name);
}

// ---------- instance attributes ----------

/** obj.name for an instance; undefined when it has no such attribute (after __getattr__). */
export function instanceGetAttr(cx: Context, obj: PyInstance, name: string): Value | undefined {
  const cls = obj.cls;
  const attr = lookup(cls, name);
  if (attr instanceof PyProperty) return bindAttribute(cx, attr, obj, cls, name);
  const own = obj.dict.get(name);
  if (own !== undefined) return own;
  if (attr !== undefined) return bindAttribute(cx, attr, obj, cls, name);
  const special = instanceSpecialAttr(obj, name);
  if (special !== undefined) return special;
  const getattr = lookup(cls, '__getattr__');
  if (getattr !== undefined) return callWithSelf(cx, getattr, obj, cls, [name], null, '__getattr__');
  return undefined;
}

function instanceSpecialAttr(obj: PyInstance, name: string): Value | undefined {
  switch (name) {
    case '__class__':
      return obj.cls;
    case '__dict__': {
      // a copy: the runner keeps attributes in a Map (writes through __dict__ do not reach the object)
      const d = new PyDict();
      for (const [k, v] of obj.dict) d.set(k, v);
      return d;
    }
  }
  if (obj instanceof PyExceptionValue) {
    if (name === 'args') return new PyTuple(obj.args);
    if (name === '__cause__') return obj.cause;
    if (name === '__context__' || name === '__traceback__') return null;
  }
  return undefined;
}

/** obj.name = value: the class's __setattr__ if it has one, else object.__setattr__. */
export function instanceSetAttr(cx: Context, obj: PyInstance, name: string, value: Value): void {
  const setattr = lookup(obj.cls, '__setattr__');
  if (setattr !== undefined) {
    callWithSelf(cx, setattr, obj, obj.cls, [name, value], null, '__setattr__');
    return;
  }
  objectSetAttr(cx, obj, name, value);
}

/** object.__setattr__(obj, name, value): property setters, else the instance's dict. */
export function objectSetAttr(cx: Context, obj: PyInstance, name: string, value: Value): void {
  const attr = lookup(obj.cls, name);
  if (attr instanceof PyProperty) {
    if (attr.fset === null) throw new PyException('AttributeError', `property '${name}' of '${obj.cls.name}' object has no setter`);
    cx.call(attr.fset, [obj, value], null);
    return;
  }
  if (obj instanceof PyExceptionValue) {
    if (name === 'args') {
      obj.args = value instanceof PyTuple ? value.items.slice() : [value];
      return;
    }
    if (name === '__cause__') {
      obj.cause = value;
      return;
    }
  }
  if (name === '__class__' || name === '__dict__') throw new PyException('NotImplementedError', `GradLab does not support assigning ${name} yet (line ${cx.line})`);
  obj.dict.set(name, value);
}

/** del obj.name */
export function instanceDelAttr(cx: Context, obj: PyInstance, name: string): void {
  const delattr = lookup(obj.cls, '__delattr__');
  if (delattr !== undefined) {
    callWithSelf(cx, delattr, obj, obj.cls, [name], null, '__delattr__');
    return;
  }
  objectDelAttr(obj, name);
}

export function objectDelAttr(obj: PyInstance, name: string): void {
  if (!obj.dict.delete(name)) throw new PyException('AttributeError', `'${obj.cls.name}' object has no attribute '${name}'`);
}

// ---------- class attributes ----------

/** cls.name for a type object; undefined when it has no such attribute. */
export function typeGetAttr(t: PyType, name: string): Value | undefined {
  const attr = lookup(t, name);
  if (attr !== undefined) {
    if (attr instanceof PyStaticMethod) return attr.fn;
    if (attr instanceof PyClassMethod) return new PyMethod(t, attr.fn);
    return attr;
  }
  switch (name) {
    case '__name__':
      return t.name;
    case '__qualname__':
      return t.qualname;
    case '__module__':
      return t.module ?? 'builtins';
    case '__bases__':
      return new PyTuple(t.bases.length > 0 || t === OBJECT_TYPE ? t.bases.slice() : [OBJECT_TYPE]);
    case '__mro__':
      return new PyTuple(t.mro.includes(OBJECT_TYPE) ? t.mro.slice() : [...t.mro, OBJECT_TYPE]);
    case '__doc__':
      return t.dict.get('__doc__') ?? null;
  }
  return undefined;
}

/** cls.name = value */
export function typeSetAttr(t: PyType, name: string, value: Value): void {
  if (!(t instanceof PyClass)) throw typeError(`cannot set '${name}' attribute of immutable type '${t.name}'`);
  t.dict.set(name, value);
}

// ---------- making classes and instances ----------

/** The built-in types a class may derive from: object, the exceptions, and other classes. */
function checkBase(cx: Context, base: PyType): void {
  if (base instanceof PyClass || base === OBJECT_TYPE || isExceptionClass(base)) return;
  const what = base.module && base.module !== 'builtins' ? `${base.module}.${base.qualname}` : `the built-in type '${base.name}'`;
  throw new PyException('NotImplementedError', `GradLab does not support subclassing ${what} yet (line ${cx.line})`);
}

/** The class a `class` statement (or a module) makes. */
export function makeClass(cx: Context, name: string, qualname: string, bases: PyType[], namespace: Map<string, Value>, module = '__main__'): PyClass {
  for (const b of bases) checkBase(cx, b);
  for (const name of ['__slots__', '__init_subclass__', '__class_getitem__', '__new__']) {
    if (namespace.has(name)) throw new PyException('NotImplementedError', `GradLab does not support ${name} in classes yet (line ${cx.line})`);
  }
  if (namespace.has('__eq__') && !namespace.has('__hash__')) namespace.set('__hash__', null);
  const cls: PyClass = new PyClass(name, (args, kwargs, icx) => instantiate(icx, cls, args, kwargs), module, bases.length > 0 ? bases : [OBJECT_TYPE], namespace, qualname);
  return cls;
}

/**
 * A class implemented in TypeScript (for modules, e.g. torch.nn.Module): `methods` are called
 * with the instance first and bind like functions; a program's classes can derive from it.
 */
export function nativeClass(options: {
  name: string;
  module: string;
  bases?: PyType[];
  methods?: Record<string, MethodImpl>;
  attrs?: Record<string, Value>;
}): PyClass {
  const dict = new Map<string, Value>(Object.entries(options.attrs ?? {}));
  for (const [name, impl] of Object.entries(options.methods ?? {})) dict.set(name, new MethodDescriptor(name, impl));
  const bases = options.bases && options.bases.length > 0 ? options.bases : [OBJECT_TYPE];
  const cls: PyClass = new PyClass(options.name, (args, kwargs, cx) => instantiate(cx, cls, args, kwargs), options.module, bases, dict, options.name);
  return cls;
}

/** cls(*args, **kwargs): a new instance, initialised by the first __init__ along the mro. */
export function instantiate(cx: Context, cls: PyType, args: Value[], kwargs: Kwargs): PyInstance {
  const exception = isExceptionClass(cls);
  const obj = exception ? new PyExceptionValue(cls, args.slice()) : new PyInstance(cls);
  const init = lookup(cls, '__init__');
  if (init !== undefined) {
    const r = callWithSelf(cx, init, obj, cls, args, kwargs, '__init__');
    if (r !== null) throw typeError(`__init__() should return None, not '${typeOfName(r)}'`);
  } else if (!exception && (args.length > 0 || (kwargs !== null && kwargs.size > 0))) {
    throw typeError(`${cls.name}() takes no arguments`);
  }
  return obj;
}

function typeOfName(v: Value): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof PyInstance) return v.cls.name;
  return 'object';
}

/** object.__init__ and BaseException.__init__: the defaults when no class in the mro defines __init__. */
export const defaultInit: MethodImpl = (self: PyInstance, args, kwargs) => {
  if (self instanceof PyExceptionValue) {
    self.args = args.slice();
    return null;
  }
  if (args.length > 0 || (kwargs !== null && kwargs.size > 0)) {
    throw typeError('object.__init__() takes exactly one argument (the instance to initialize)');
  }
  return null;
};

// ---------- super() ----------

/** super(start, self).name; undefined when no class after `start` defines it. */
export function superGetAttr(cx: Context, s: PySuper, name: string): Value | undefined {
  const self = s.self;
  const selfType = self instanceof PyType ? self : self instanceof PyInstance ? self.cls : null;
  if (selfType === null) return undefined;
  const mro = selfType.mro;
  let i = mro.indexOf(s.start);
  if (i < 0) throw typeError('super(type, obj): obj must be an instance or subtype of type');
  for (i++; i < mro.length; i++) {
    const attr = mro[i].dict.get(name);
    if (attr === undefined) continue;
    if (self instanceof PyType) {
      if (attr instanceof PyClassMethod) return new PyMethod(self, attr.fn);
      if (attr instanceof PyStaticMethod) return attr.fn;
      return attr;
    }
    return bindAttribute(cx, attr, self, selfType, name);
  }
  return undefined;
}

/** super() / super(type, obj) called as a function. */
export const superBuiltin: NativeFn = (args) => {
  if (args.length === 0) throw new PyException('RuntimeError', 'super(): no arguments');
  if (args.length !== 2) throw typeError(`super() takes at most 2 arguments (${args.length} given)`);
  const [start, self] = args;
  if (!(start instanceof PyType)) throw typeError('super() argument 1 must be a type');
  return new PySuper(start, self);
};
