// Built-in functions on any object: print, repr, ascii, vars, format, id, hash, callable, hasattr,
// getattr, setattr.
import { checkArgs, kwarg } from '../args';
import { getAttr, setAttr } from '../attributes';
import { callSpecial, lookup } from '../classes';
import type { Value } from '../context';
import { PySet, pyHash } from '../sets';
import { PyException, typeError } from '../errors';
import { formatValue } from '../format';
import { ascii, repr, str, typeName } from '../objects';
import { BoundMethod, Builtin, hashKey, objectAddress, PyFunctionLike, PyInstance, PyMethod, PyTuple, PyType, type NativeFn } from '../values';

/** print, repr, format, id, hash, callable and the attribute builtins. */
export const OBJECT_BUILTINS: Readonly<Record<string, NativeFn>> = {
  print: (args, kwargs, cx) => {
    const k = kwarg('print', kwargs, ['sep', 'end', 'file', 'flush']);
    let sep = ' ';
    let end = '\n';
    if (k.sep !== undefined && k.sep !== null) {
      if (typeof k.sep !== 'string') throw typeError(`sep must be None or a string, not ${typeName(cx, k.sep)}`);
      sep = k.sep;
    }
    if (k.end !== undefined && k.end !== null) {
      if (typeof k.end !== 'string') throw typeError(`end must be None or a string, not ${typeName(cx, k.end)}`);
      end = k.end;
    }
    if (k.file !== undefined && k.file !== null) {
      throw new PyException('NotImplementedError', `GradLab does not support print(file=...) yet; print writes to the output below the cell (line ${cx.line})`);
    }
    let text = '';
    for (let i = 0; i < args.length; i++) {
      if (i > 0) text += sep;
      const a = args[i];
      text += typeof a === 'string' ? a : str(cx, a);
    }
    cx.write(text + end);
    return null;
  },

  repr: (args, _kwargs, cx) => {
    checkArgs('repr', args, 1, 1);
    return repr(cx, args[0]);
  },

  ascii: (args, _kwargs, cx) => {
    checkArgs('ascii', args, 1, 1);
    return ascii(cx, args[0]);
  },

  vars: (args, _kwargs, cx) => {
    if (args.length === 0) throw new PyException('NotImplementedError', `GradLab does not support vars() without an argument yet (line ${cx.line})`);
    checkArgs('vars', args, 1, 1);
    try {
      return getAttr(cx, args[0], '__dict__');
    } catch (e) {
      if (e instanceof PyException && e.pyType === 'AttributeError') throw typeError('vars() argument must have __dict__ attribute');
      throw e;
    }
  },

  format: (args, _kwargs, cx) => {
    checkArgs('format', args, 1, 2);
    return formatValue(cx, args[0], args.length > 1 ? (args[1] as string) : '');
  },

  id: (args) => {
    checkArgs('id', args, 1, 1);
    const v = args[0];
    return typeof v === 'object' && v !== null ? BigInt(objectAddress(v)) : BigInt(Math.floor(Math.random() * 2 ** 40));
  },
  hash: (args, _kwargs, cx) => {
    checkArgs('hash', args, 1, 1);
    const v = args[0];
    if (v instanceof PyInstance) {
      const own = lookup(v.cls, '__hash__');
      if (own !== undefined && own !== null) {
        const h = callSpecial(cx, v, '__hash__', []);
        if (typeof h !== 'bigint') throw typeError('__hash__ method should return an integer');
        return h;
      }
    }
    hashKey(v);
    if (!reproducibleHash(v)) {
      throw new PyException('NotImplementedError', `GradLab does not support hash() of ${typeName(cx, v)} values yet (CPython's differ from run to run)`);
    }
    return pyHash(v);
  },
  callable: (args) => {
    const v = args[0];
    if (v instanceof PyInstance) return lookup(v.cls, '__call__') !== undefined;
    return v instanceof PyFunctionLike || v instanceof Builtin || v instanceof BoundMethod || v instanceof PyType || v instanceof PyMethod;
  },
  hasattr: (args, _kwargs, cx) => {
    checkArgs('hasattr', args, 2, 2);
    try {
      getAttr(cx, args[0], args[1] as string);
      return true;
    } catch (e) {
      if (e instanceof PyException && e.pyType === 'AttributeError') return false;
      throw e;
    }
  },
  getattr: (args, _kwargs, cx) => {
    checkArgs('getattr', args, 2, 3);
    if (typeof args[1] !== 'string') throw typeError("attribute name must be string, not '" + typeName(cx, args[1]) + "'");
    try {
      return getAttr(cx, args[0], args[1]);
    } catch (e) {
      if (args.length === 3 && e instanceof PyException && e.pyType === 'AttributeError') return args[2];
      throw e;
    }
  },
  setattr: (args, _kwargs, cx) => {
    checkArgs('setattr', args, 3, 3);
    setAttr(cx, args[0], args[1] as string, args[2]);
    return null;
  },
};

/** Values whose hash CPython computes the same way in every run (not str, None or objects). */
function reproducibleHash(v: Value): boolean {
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return true;
  if (v instanceof PyTuple) return v.items.every(reproducibleHash);
  if (v instanceof PySet) return v.items().every(reproducibleHash);
  return false;
}
