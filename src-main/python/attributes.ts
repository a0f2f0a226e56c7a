// The getattr protocol: obj.name reads, writes and deletes, and obj.name(...) calls without a
// bound-method object, for modules, native objects (through their NativeType), the built-in
// types' method tables and the few data attributes of numbers, ranges and functions.
import {
  defaultInit,
  NOT_IMPLEMENTED as NOT_IMPLEMENTED_VALUE,
  instanceDelAttr,
  instanceGetAttr,
  instanceSetAttr,
  lookup,
  objectDelAttr,
  objectSetAttr,
  superGetAttr,
  typeGetAttr,
  typeSetAttr,
} from './classes';
import type { Context, Kwargs, Value } from './context';
import { PyException, typeError } from './errors';
import { methodTable, methodTableOfType } from './methods/index';
import { repr, str, typeName } from './objects';
import { PySet } from './sets';
import { typeOf } from './types';
import {
  BoundMethod,
  Builtin,
  MethodDescriptor,
  objectAddress,
  PyContextManager,
  PyDict,
  PyFunctionLike,
  PyInstance,
  PyList,
  PyMethod,
  PyModule,
  PyProperty,
  PyRange,
  PySuper,
  PyType,
  type MethodImpl,
} from './values';

/**
 * object's methods, as `object.__setattr__(self, name, value)` and `super().__init__()` reach
 * them: the protocols' defaults (a class only stores what it overrides).
 */
const OBJECT_METHODS: Readonly<Record<string, MethodImpl>> = {
  __init__: defaultInit,
  __setattr__: (self, args, _kw, cx) => {
    if (!(self instanceof PyInstance)) throw typeError(`can't apply this __setattr__ to ${typeName(cx, self)} object`);
    objectSetAttr(cx, self, attrName(cx, args[0]), args[1]);
    return null;
  },
  __delattr__: (self, args, _kw, cx) => {
    if (!(self instanceof PyInstance)) throw typeError(`can't apply this __delattr__ to ${typeName(cx, self)} object`);
    objectDelAttr(self, attrName(cx, args[0]));
    return null;
  },
  __getattribute__: (self, args, _kw, cx) => getAttr(cx, self, attrName(cx, args[0])),
  __repr__: (self, _args, _kw, cx) => (self instanceof PyInstance ? `<${self.cls.module ?? 'builtins'}.${self.cls.qualname} object at ${objectAddress(self)}>` : repr(cx, self)),
  __str__: (self, _args, _kw, cx) => str(cx, self),
  __eq__: (self, args) => (self === args[0] ? true : NOT_IMPLEMENTED_VALUE),
  __ne__: (self, args) => (self === args[0] ? false : NOT_IMPLEMENTED_VALUE),
};

function attrName(cx: Context, v: Value): string {
  if (typeof v !== 'string') throw typeError(`attribute name must be string, not '${typeName(cx, v)}'`);
  return v;
}

function noAttribute(cx: Context, obj: Value, name: string): PyException {
  if (obj instanceof PyModule) return new PyException('AttributeError', `module '${obj.name}' has no attribute '${name}'`);
  return new PyException('AttributeError', `'${typeName(cx, obj)}' object has no attribute '${name}'`);
}

export function getAttr(cx: Context, obj: Value, name: string): Value {
  if (obj instanceof PyInstance) {
    const v = instanceGetAttr(cx, obj, name);
    if (v !== undefined) return v;
    const fallback = OBJECT_METHODS[name];
    if (fallback !== undefined) return new BoundMethod(obj, name, fallback);
    throw noAttribute(cx, obj, name);
  }
  if (obj instanceof PyType) {
    const v = typeGetAttr(obj, name);
    if (v !== undefined) return v;
    const fallback = OBJECT_METHODS[name] ?? methodTableOfType(obj.name)?.[name];
    if (fallback !== undefined) return unboundMethod(obj, name, fallback);
    throw new PyException('AttributeError', `type object '${obj.name}' has no attribute '${name}'`);
  }
  if (obj instanceof PySuper) {
    const v = superGetAttr(cx, obj, name);
    if (v !== undefined) return v;
    const fallback = OBJECT_METHODS[name];
    if (fallback !== undefined) return new BoundMethod(obj.self, name, fallback);
    throw new PyException('AttributeError', `'super' object has no attribute '${name}'`);
  }
  if (obj instanceof PyModule) {
    const v = obj.attrs.get(name);
    if (v !== undefined) return v;
    if (obj.unsupported.has(name)) {
      throw new PyException('NotImplementedError', `GradLab does not support ${obj.name}.${name} yet (line ${cx.line})`);
    }
    throw noAttribute(cx, obj, name);
  }
  if (typeof obj === 'object' && obj !== null) {
    const native = cx.nativeType(obj);
    if (native) {
      const v = native.getAttr?.(obj, name, cx);
      if (v !== undefined) return v;
      if (name === '__class__') return typeOf(cx, obj);
      throw noAttribute(cx, obj, name);
    }
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) return new BoundMethod(obj, name, table[name]);
  if (typeof obj === 'number') {
    if (name === 'real') return obj;
    if (name === 'imag') return 0;
  }
  if (typeof obj === 'bigint' || typeof obj === 'boolean') {
    if (name === 'real' || name === 'numerator') return typeof obj === 'boolean' ? (obj ? 1n : 0n) : obj;
    if (name === 'imag') return 0n;
    if (name === 'denominator') return 1n;
  }
  if (obj instanceof PyFunctionLike) {
    const v = obj.attrs.get(name);
    if (v !== undefined) return v;
    if (name === '__name__') return obj.name;
    if (name === '__qualname__') return obj.qualname;
    if (name === '__module__') return '__main__';
    if (name === '__doc__') return obj.doc;
    if (name === '__dict__') return new PyDict(obj.attrs);
  }
  if (obj instanceof PyMethod) {
    if (name === '__self__') return obj.self;
    if (name === '__func__') return obj.fn;
    return getAttr(cx, obj.fn, name);
  }
  if (obj instanceof PyProperty) {
    if (name === 'fget') return obj.fget;
    if (name === 'fset') return obj.fset;
    if (name === 'setter') return new Builtin('setter', (args) => new PyProperty(obj.fget, args[0], obj.doc));
    if (name === 'getter') return new Builtin('getter', (args) => new PyProperty(args[0], obj.fset, obj.doc));
  }
  if ((obj instanceof Builtin || obj instanceof PyType) && name === '__name__') return obj.name;
  if (obj instanceof PyRange) {
    if (name === 'start') return obj.start;
    if (name === 'stop') return obj.stop;
    if (name === 'step') return obj.step;
  }
  if (obj instanceof PyContextManager && (name === '__enter__' || name === '__exit__')) {
    return new Builtin(name, () => (name === '__enter__' ? obj.enter() : (obj.exit(), false)));
  }
  if (name === '__class__') return typeOf(cx, obj);
  throw noAttribute(cx, obj, name);
}

export function setAttr(cx: Context, obj: Value, name: string, value: Value): void {
  if (obj instanceof PyInstance) {
    instanceSetAttr(cx, obj, name, value);
    return;
  }
  if (obj instanceof PyType) {
    typeSetAttr(obj, name, value);
    return;
  }
  if (obj instanceof PyModule) {
    obj.attrs.set(name, value);
    obj.assigned = true;
    return;
  }
  if (typeof obj === 'object' && obj !== null && cx.nativeType(obj)?.setAttr?.(obj, name, value, cx)) return;
  if (obj instanceof PyFunctionLike) {
    if (name === '__name__' || name === '__qualname__') {
      if (typeof value !== 'string') throw typeError(`${name} must be set to a string object`);
      if (name === '__name__') obj.name = value;
      else obj.qualname = value;
    } else if (name === '__doc__') obj.doc = value;
    else obj.attrs.set(name, value);
    return;
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    throw new PyException('AttributeError', `'${typeName(cx, obj)}' object attribute '${name}' is read-only`);
  }
  throw new PyException('AttributeError', `'${typeName(cx, obj)}' object has no attribute '${name}'`);
}

export function delAttr(cx: Context, obj: Value, name: string): void {
  if (obj instanceof PyInstance) {
    instanceDelAttr(cx, obj, name);
    return;
  }
  if (obj instanceof PyType && obj.dict.delete(name)) return;
  if (obj instanceof PyModule && obj.attrs.delete(name)) return;
  throw new PyException('NotImplementedError', `GradLab does not support deleting attribute '${name}' yet (line ${cx.line})`);
}

export function callMethod(cx: Context, obj: Value, name: string, args: Value[], kwargs: Kwargs): Value {
  if (obj instanceof PyInstance) {
    // obj.method(...) without a bound-method object when it is a plain method of the class
    const method = lookup(obj.cls, name);
    if ((method instanceof PyFunctionLike || method instanceof MethodDescriptor) && !obj.dict.has(name)) {
      return method instanceof MethodDescriptor ? method.impl(obj, args, kwargs, cx) : cx.call(method, [obj, ...args], kwargs);
    }
    return cx.call(getAttr(cx, obj, name), args, kwargs);
  }
  // lists, dicts and sets go straight to their method table: no module's native type claims them,
  // and asking every native type first made `l.append(x)` in a loop a third slower
  if (typeof obj === 'object' && obj !== null && !(obj instanceof PyList || obj instanceof PyDict || obj instanceof PySet)) {
    if (obj instanceof PyModule) {
      const fn = obj.attrs.get(name);
      if (fn instanceof Builtin) return fn.fn(args, kwargs, cx);
      return cx.call(getAttr(cx, obj, name), args, kwargs);
    }
    const native = cx.nativeType(obj);
    if (native) {
      const r = native.callMethod?.(obj, name, args, kwargs, cx);
      if (r !== undefined) return r;
      return cx.call(getAttr(cx, obj, name), args, kwargs);
    }
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    const impl = table[name];
    if (kwargs && kwargs.size > 0 && !['split', 'rsplit', 'sort', 'format', 'update', 'encode', 'expandtabs'].includes(name)) {
      throw typeError(`${typeName(cx, obj)}.${name}() takes no keyword arguments`);
    }
    return impl(obj, args, kwargs, cx);
  }
  return cx.call(getAttr(cx, obj, name), args, kwargs);
}

/** `str.lower`, `object.__setattr__`: a method of a type read from the type, called with the instance first. */
function unboundMethod(type: PyType, name: string, impl: MethodImpl): Builtin {
  return new Builtin(name, (args, kwargs, cx) => {
    if (args.length === 0) throw typeError(`unbound method ${type.name}.${name}() needs an argument`);
    return impl(args[0], args.slice(1), kwargs, cx);
  });
}
