// The getattr protocol: obj.name reads, writes and deletes, and obj.name(...) calls without a
// bound-method object, for modules, native objects (through their NativeType), the built-in
// types' method tables and the few data attributes of numbers, ranges and functions.
import type { Context, Kwargs, Value } from './context';
import { PyException, typeError } from './errors';
import { methodTable } from './methods/index';
import { typeName } from './objects';
import { BoundMethod, Builtin, PyContextManager, PyExceptionValue, PyFunctionLike, PyModule, PyRange, PyTuple, PyType } from './values';

function noAttribute(cx: Context, obj: Value, name: string): PyException {
  if (obj instanceof PyModule) return new PyException('AttributeError', `module '${obj.name}' has no attribute '${name}'`);
  return new PyException('AttributeError', `'${typeName(cx, obj)}' object has no attribute '${name}'`);
}

export function getAttr(cx: Context, obj: Value, name: string): Value {
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
  if (obj instanceof PyExceptionValue && name === 'args') return new PyTuple(obj.args);
  if (obj instanceof PyFunctionLike && name === '__name__') return obj.name;
  if ((obj instanceof Builtin || obj instanceof PyType) && name === '__name__') return obj.name;
  if (obj instanceof PyRange) {
    if (name === 'start') return BigInt(obj.start);
    if (name === 'stop') return BigInt(obj.stop);
    if (name === 'step') return BigInt(obj.step);
  }
  if (obj instanceof PyContextManager && (name === '__enter__' || name === '__exit__')) {
    return new Builtin(name, () => (name === '__enter__' ? obj.enter() : (obj.exit(), false)));
  }
  throw noAttribute(cx, obj, name);
}

export function setAttr(cx: Context, obj: Value, name: string, value: Value): void {
  if (obj instanceof PyModule) {
    obj.attrs.set(name, value);
    obj.assigned = true;
    return;
  }
  if (typeof obj === 'object' && obj !== null && cx.nativeType(obj)?.setAttr?.(obj, name, value, cx)) return;
  if (obj instanceof PyFunctionLike) {
    throw new PyException('NotImplementedError', `GradLab does not support setting attributes on functions yet (line ${cx.line})`);
  }
  const table = methodTable(obj);
  if (table && Object.prototype.hasOwnProperty.call(table, name)) {
    throw new PyException('AttributeError', `'${typeName(cx, obj)}' object attribute '${name}' is read-only`);
  }
  throw new PyException('AttributeError', `'${typeName(cx, obj)}' object has no attribute '${name}'`);
}

export function delAttr(cx: Context, obj: Value, name: string): void {
  if (obj instanceof PyModule && obj.attrs.delete(name)) return;
  throw new PyException('NotImplementedError', `GradLab does not support deleting attribute '${name}' yet (line ${cx.line})`);
}

export function callMethod(cx: Context, obj: Value, name: string, args: Value[], kwargs: Kwargs): Value {
  if (typeof obj === 'object' && obj !== null) {
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
    if (kwargs && kwargs.size > 0 && !['split', 'sort', 'format', 'update'].includes(name)) {
      throw typeError(`${typeName(cx, obj)}.${name}() takes no keyword arguments`);
    }
    return impl(obj, args, kwargs, cx);
  }
  return cx.call(getAttr(cx, obj, name), args, kwargs);
}
