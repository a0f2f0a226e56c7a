// Compiling names and assignment targets: loads (local slot, enclosing frame, module cell, then
// builtins), stores (including unpacking into tuples and lists), and del.
import type { Expr } from '../ast';
import { delAttr, setAttr } from '../attributes';
import type { Value } from '../context';
import { PyException, typeError, valueError } from '../errors';
import type { Interpreter } from '../interpreter';
import { typeName } from '../objects';
import { iterableToArray, nativeOf } from '../ops';
import { delItem, setItem } from '../subscript';
import type { ClassFrame, ExprFn, Frame } from '../runtime';
import { PyDict, PyIterator, PyList, PyRange, PyTuple } from '../values';
import type { Resolved, Scope } from './scope';

function isIterableValue(ip: Interpreter, v: Value): boolean {
  if (typeof v === 'string') return true;
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PyRange || v instanceof PyIterator) return true;
  return nativeOf(ip, v)?.iterate !== undefined;
}

export abstract class NameCompiler {
  constructor(protected readonly ip: Interpreter) {}

  abstract expr(e: Expr, scope: Scope): ExprFn;

  protected resolve(name: string, scope: Scope): Resolved {
    if (scope.kind === 'function' && !scope.declaredGlobal.has(name)) {
      const slot = scope.locals.get(name);
      if (slot !== undefined) return { kind: 'local', slot };
      // enclosing functions' frames, outward; class bodies are not visible to nested code
      let depth = 0;
      for (let s = scope.parent; s !== null && s.kind !== 'module'; s = s.parent) {
        if (s.kind === 'class') continue;
        depth++;
        if (s.declaredGlobal.has(name)) break;
        const sl = s.locals.get(name);
        if (sl !== undefined) return { kind: 'free', depth, slot: sl };
      }
    }
    return { kind: 'global', cell: this.ip.cell(name) };
  }

  /** A name read in a class body: the class namespace first, then as the enclosing scope reads it. */
  private loadClassName(name: string, scope: Scope): ExprFn {
    const outer = this.loadName(name, scope.enclosing ?? scope.parent!);
    if (scope.declaredGlobal.has(name)) return outer;
    return (f) => {
      const v = (f as ClassFrame).namespace.get(name);
      return v !== undefined ? v : outer(f.parent ?? f);
    };
  }

  protected deleter(t: Expr, scope: Scope): (f: Frame) => void {
    const ip = this.ip;
    if (t.k === 'name' && scope.kind === 'class' && !scope.declaredGlobal.has(t.id)) {
      const name = t.id;
      return (f) => {
        if (!(f as ClassFrame).namespace.delete(name)) throw new PyException('NameError', `name '${name}' is not defined`);
      };
    }
    if (t.k === 'name') {
      const r = this.resolve(t.id, scope);
      const name = t.id;
      if (r.kind === 'global') {
        const cell = r.cell;
        return () => {
          if (cell.value === undefined) throw new PyException('NameError', `name '${name}' is not defined`);
          cell.value = undefined;
        };
      }
      if (r.kind === 'local') {
        const slot = r.slot;
        return (f) => {
          if (f.locals[slot] === undefined) {
            throw new PyException('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
          }
          f.locals[slot] = undefined;
        };
      }
      const { depth, slot } = r;
      return (f) => {
        let fr: Frame = f;
        for (let i = 0; i < depth; i++) fr = fr.parent!;
        fr.locals[slot] = undefined;
      };
    }
    if (t.k === 'subscript') {
      const obj = this.expr(t.value, scope);
      const index = this.expr(t.index, scope);
      return (f) => delItem(ip, obj(f), index(f));
    }
    if (t.k === 'attr') {
      const obj = this.expr(t.value, scope);
      return (f) => delAttr(ip, obj(f), t.attr);
    }
    if (t.k === 'tuple' || t.k === 'list') {
      const dels = t.elts.map((e) => this.deleter(e, scope));
      return (f) => dels.forEach((d) => d(f));
    }
    throw new PyException('SyntaxError', 'cannot delete expression', t.line);
  }

  // ----- stores -----

  protected storeName(name: string, scope: Scope): (f: Frame, v: Value) => void {
    if (scope.kind === 'class' && !scope.declaredGlobal.has(name)) {
      return (f, v) => {
        (f as ClassFrame).namespace.set(name, v);
      };
    }
    const r = scope.kind === 'function' && !scope.declaredGlobal.has(name) && !scope.declaredNonlocal.has(name)
      ? ({ kind: 'local', slot: scope.slot(name) } as Resolved)
      : this.resolve(name, scope);
    return this.writer(r);
  }

  /** A write to a resolved name (a local slot, an enclosing function's slot, a module cell). */
  protected writer(r: Resolved): (f: Frame, v: Value) => void {
    if (r.kind === 'local') {
      const slot = r.slot;
      return (f, v) => {
        f.locals[slot] = v;
      };
    }
    if (r.kind === 'global') {
      const cell = r.cell;
      return (_f, v) => {
        cell.value = v;
      };
    }
    const { depth, slot } = r;
    return (f, v) => {
      let fr: Frame = f;
      for (let i = 0; i < depth; i++) fr = fr.parent!;
      fr.locals[slot] = v;
    };
  }

  protected store(t: Expr, scope: Scope): (f: Frame, v: Value) => void {
    const ip = this.ip;
    switch (t.k) {
      case 'name':
        return this.storeName(t.id, scope);
      case 'attr': {
        const obj = this.expr(t.value, scope);
        const attr = t.attr;
        return (f, v) => setAttr(ip, obj(f), attr, v);
      }
      case 'subscript': {
        const obj = this.expr(t.value, scope);
        const index = this.expr(t.index, scope);
        return (f, v) => setItem(ip, obj(f), index(f), v);
      }
      case 'tuple':
      case 'list': {
        const starAt = t.elts.findIndex((e) => e.k === 'starred');
        const stores = t.elts.map((e) => this.store(e.k === 'starred' ? e.value : e, scope));
        const n = stores.length;
        return (f, v) => {
          let items: Value[];
          if (v instanceof PyTuple || v instanceof PyList) items = v.items;
          else {
            if (!isIterableValue(ip, v)) throw typeError(`cannot unpack non-iterable ${typeName(ip, v)} object`);
            items = iterableToArray(ip, v);
          }
          if (starAt < 0) {
            if (items.length > n) throw valueError(`too many values to unpack (expected ${n})`);
            if (items.length < n) throw valueError(`not enough values to unpack (expected ${n}, got ${items.length})`);
            if (items === (v as PyList).items) items = items.slice();
            for (let i = 0; i < n; i++) stores[i](f, items[i]);
            return;
          }
          if (items.length < n - 1) throw valueError(`not enough values to unpack (expected at least ${n - 1}, got ${items.length})`);
          const after = n - 1 - starAt;
          const snapshot = items.slice();
          for (let i = 0; i < starAt; i++) stores[i](f, snapshot[i]);
          stores[starAt](f, new PyList(snapshot.slice(starAt, snapshot.length - after)));
          for (let i = 0; i < after; i++) stores[starAt + 1 + i](f, snapshot[snapshot.length - after + i]);
        };
      }
      case 'starred':
        throw new PyException('SyntaxError', 'starred assignment target must be in a list or tuple', t.line);
      default:
        throw new PyException('SyntaxError', 'cannot assign to expression', t.line);
    }
  }

  // ----- functions -----

  protected loadName(name: string, scope: Scope): ExprFn {
    if (scope.kind === 'class') return this.loadClassName(name, scope);
    const r = this.resolve(name, scope);
    if (r.kind === 'local') {
      const slot = r.slot;
      return (f) => {
        const v = f.locals[slot];
        if (v === undefined) {
          throw new PyException('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
        }
        return v;
      };
    }
    if (r.kind === 'free') {
      const { depth, slot } = r;
      return (f) => {
        let fr: Frame = f;
        for (let i = 0; i < depth; i++) fr = fr.parent!;
        const v = fr.locals[slot];
        if (v === undefined) {
          throw new PyException('NameError', `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`);
        }
        return v;
      };
    }
    const cell = r.cell;
    const builtins = this.ip.builtins;
    return () => {
      const v = cell.value;
      if (v !== undefined) return v;
      const b = builtins.get(name);
      if (b !== undefined) return b;
      throw new PyException('NameError', `name '${name}' is not defined`);
    };
  }
}
