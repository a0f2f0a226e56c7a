// Compiles the AST into JS closures once, then runs them. Names are resolved at compile time:
// function locals to array slots, enclosing-function variables to (depth, slot), module names to
// Cell objects, so a variable access is one array/property read. Control flow uses completion
// codes instead of exceptions; `ip.line` tracks the statement being run for error reporting.
// names.ts compiles names and targets, expressions.ts expressions, this file statements.
import type { Expr, Stmt } from '../ast';
import { getAttr, setAttr } from '../attributes';
import type { Value } from '../context';
import { isSubclassOf, PyException, typeError } from '../errors';
import { isExceptionClass, makeExceptionValue, newException } from '../exceptions';
import { callWithSelf, isSubclass, lookup, makeClass } from '../classes';
import { compileEpoch, compileStep, compileScaledUpdate } from '../fusion';
import type { Interpreter } from '../interpreter';
import { enterLoopMemory, exitLoopMemory, sweepLoopMemory } from '../liveness';
import { str, truthy, typeName } from '../objects';
import { augmentedOp, iterate } from '../ops';
import { getItem, setItem } from '../subscript';
import { isSmall } from '../ranges';
import { BREAK, ClassFrame, CONTINUE, Frame, NORMAL, RETURN, toPyException, type ExprFn, type StmtFn } from '../runtime';
import { PyClass, PyContextManager, PyDict, PyExceptionValue, PyInstance, PyRange, PyTuple, PyType } from '../values';
import { docstring, ExpressionCompiler } from './expressions';
import { Scope } from './scope';
import { generatorFunctionBody, type StatementCompiler } from './generators';

const EMPTY_ARGS: Value[] = [];

/** After each loop iteration: free what the iteration left unreachable, and now and then let the host check in (output flushes, time). */
function endIteration(ip: Interpreter, f: Frame): void {
  sweepLoopMemory(ip);
  ip.loopTurn(f);
  ip.tick();
}

export class Compiler extends ExpressionCompiler {
  compileModule(body: Stmt[]): StmtFn {
    const scope = new Scope('module', null);
    return this.block(body, scope, false);
  }

  protected block(stmts: Stmt[], scope: Scope, inLoop: boolean): StmtFn {
    const fns = stmts.map((s) => this.stmt(s, scope, inLoop));
    const n = fns.length;
    if (n === 0) return () => NORMAL;
    if (n === 1) return fns[0];
    if (n === 2) {
      const [a, b] = fns;
      return (f) => {
        const r = a(f);
        return r !== NORMAL ? r : b(f);
      };
    }
    return (f) => {
      for (let i = 0; i < n; i++) {
        const r = fns[i](f);
        if (r !== NORMAL) return r;
      }
      return NORMAL;
    };
  }

  protected generatorBody(body: Stmt[], scope: Scope): StmtFn {
    const compiler: StatementCompiler = {
      ip: this.ip,
      stmt: (s, sc, inLoop) => this.stmt(s, sc, inLoop),
      expr: (e, sc) => this.expr(e, sc),
      condition: (e, sc) => this.condition(e, sc),
      store: (t, sc) => this.store(t, sc),
    };
    return generatorFunctionBody(compiler, body, scope);
  }

  protected stmt(s: Stmt, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const line = s.line;
    const inner = this.stmtInner(s, scope, inLoop);
    return (f) => {
      ip.line = line;
      return inner(f);
    };
  }

  protected stmtInner(s: Stmt, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    switch (s.k) {
      case 'expr': {
        const e = this.expr(s.value, scope);
        return (f) => {
          e(f);
          return NORMAL;
        };
      }
      case 'pass':
      case 'global':
        return () => NORMAL;
      case 'nonlocal':
        if (scope.kind === 'module') throw new PyException('SyntaxError', 'nonlocal declaration not allowed at module level', s.line);
        return () => NORMAL;
      case 'assign': {
        const value = this.expr(s.value, scope);
        if (s.targets.length === 1) {
          const store = this.store(s.targets[0], scope);
          return (f) => {
            store(f, value(f));
            return NORMAL;
          };
        }
        const stores = s.targets.map((t) => this.store(t, scope));
        return (f) => {
          const v = value(f);
          for (const st of stores) st(f, v);
          return NORMAL;
        };
      }
      case 'annassign': {
        const value = s.value ? this.expr(s.value, scope) : null;
        const store = this.store(s.target, scope);
        // a class body or module evaluates the annotation (a function does not); a class keeps
        // its names' annotations in order in __annotations__ (dataclasses reads them)
        const annotation = scope.kind === 'function' ? null : this.expr(s.annotation, scope);
        const name = s.target.k === 'name' && scope.kind === 'class' ? s.target.id : null;
        return (f) => {
          if (value) store(f, value(f));
          if (annotation) {
            const a = annotation(f);
            if (name !== null) {
              const namespace = (f as ClassFrame).namespace;
              const existing = namespace.get('__annotations__');
              const annotations = existing instanceof PyDict ? existing : new PyDict();
              if (annotations !== existing) namespace.set('__annotations__', annotations);
              annotations.set(name, a);
            }
          }
          return NORMAL;
        };
      }
      case 'augassign':
        return this.augAssign(s.target, s.op, this.expr(s.value, scope), scope);
      case 'fusedScaledUpdate':
        return compileScaledUpdate(ip, s.op, this.loadName(s.target, scope), this.storeName(s.target, scope), this.expr(s.left, scope), this.expr(s.right, scope));
      case 'fusedEpoch': {
        const read = { w: this.loadName(s.w, scope), x: this.loadName(s.x, scope), b: this.loadName(s.b, scope), y: this.loadName(s.y, scope), torch: this.loadName(s.torch, scope), lr: this.expr(s.lr, scope) };
        const bound = s.reuse ? { yHat: this.loadName(s.yHat, scope), loss: this.loadName(s.loss, scope) } : null;
        return compileEpoch(ip, read, this.storeName(s.yHat, scope), this.storeName(s.loss, scope), this.block(s.original, scope, inLoop), bound);
      }
      case 'fusedStep': {
        const read = { loss: this.loadName(s.loss, scope), w: this.loadName(s.w, scope), b: this.loadName(s.b, scope), torch: this.loadName(s.torch, scope), lr: this.expr(s.lr, scope) };
        return compileStep(ip, read, this.block(s.original, scope, inLoop));
      }
      case 'if': {
        const test = this.condition(s.test, scope);
        const body = this.block(s.body, scope, inLoop);
        const orelse = s.orelse.length ? this.block(s.orelse, scope, inLoop) : null;
        if (!orelse) return (f) => (test(f) ? body(f) : NORMAL);
        return (f) => (test(f) ? body(f) : orelse(f));
      }
      case 'while': {
        const test = this.condition(s.test, scope);
        const body = this.block(s.body, scope, true);
        const orelse = s.orelse.length ? this.block(s.orelse, scope, inLoop) : null;
        return (f) => {
          enterLoopMemory();
          try {
            while (test(f)) {
              const r = body(f);
              if (r === BREAK) return NORMAL;
              if (r === RETURN) return r;
              endIteration(ip, f);
            }
          } finally {
            exitLoopMemory();
          }
          return orelse ? orelse(f) : NORMAL;
        };
      }
      case 'for':
        return this.forLoop(s, scope, inLoop);
      case 'break':
        if (!inLoop) throw new PyException('SyntaxError', "'break' outside loop", s.line);
        return () => BREAK;
      case 'continue':
        if (!inLoop) throw new PyException('SyntaxError', "'continue' not properly in loop", s.line);
        return () => CONTINUE;
      case 'yield':
        // inside a function the generator compiler takes every yield (generators.ts)
        throw new PyException('SyntaxError', "'yield' outside function", s.line);
      case 'return': {
        if (scope.kind !== 'function') throw new PyException('SyntaxError', "'return' outside function", s.line);
        if (!s.value) {
          return (f) => {
            f.ret = null;
            return RETURN;
          };
        }
        const value = this.expr(s.value, scope);
        return (f) => {
          f.ret = value(f);
          return RETURN;
        };
      }
      case 'def': {
        const make = this.functionMaker(s.name, s.params, s.body, scope);
        const decorators = s.decorators.map((d) => this.expr(d, scope));
        const store = this.storeName(s.name, scope);
        return (f) => {
          const decs = decorators.map((d) => d(f));
          let fn: Value = make(f);
          for (let i = decs.length - 1; i >= 0; i--) fn = ip.call(decs[i], [fn], null);
          store(f, fn);
          return NORMAL;
        };
      }
      case 'with':
        return this.withStmt(s, scope, inLoop);
      case 'import': {
        const parts = s.names.map((n) => {
          const top = n.name.split('.')[0];
          return { name: n.name, store: this.storeName(n.asname ?? top, scope), bindTop: n.asname === null };
        });
        const line = s.line;
        return (f) => {
          for (const p of parts) {
            const mod = ip.importModule(p.name, line);
            p.store(f, p.bindTop ? ip.importModule(p.name.split('.')[0], line) : mod);
          }
          return NORMAL;
        };
      }
      case 'importfrom': {
        const line = s.line;
        if (s.names.some((n) => n.name === '*')) {
          return () => {
            throw new PyException('NotImplementedError', `GradLab does not support 'from ${s.module} import *' yet; import the names you need (line ${line})`, line);
          };
        }
        const parts = s.names.map((n) => ({ name: n.name, store: this.storeName(n.asname ?? n.name, scope) }));
        return (f) => {
          const mod = ip.importModule(s.module, line);
          for (const p of parts) {
            let v: Value;
            try {
              v = getAttr(ip, mod, p.name);
            } catch (e) {
              if (!(e instanceof PyException) || e.pyType !== 'AttributeError') throw e;
              throw new PyException('ImportError', `cannot import name '${p.name}' from '${s.module}'`);
            }
            p.store(f, v);
          }
          return NORMAL;
        };
      }
      case 'del': {
        const dels = s.targets.map((t) => this.deleter(t, scope));
        return (f) => {
          for (const d of dels) d(f);
          return NORMAL;
        };
      }
      case 'assert': {
        const test = this.condition(s.test, scope);
        const msg = s.msg ? this.expr(s.msg, scope) : null;
        return (f) => {
          if (!test(f)) {
            const m = msg ? msg(f) : undefined;
            const ex = new PyException('AssertionError', m === undefined ? '' : str(ip, m));
            ex.pyValue = newException('AssertionError', m === undefined ? [] : [m]);
            throw ex;
          }
          return NORMAL;
        };
      }
      case 'raise': {
        const exc = s.exc ? this.expr(s.exc, scope) : null;
        const cause = s.cause ? this.expr(s.cause, scope) : null;
        return (f) => {
          if (!exc) {
            const current = ip.handling[ip.handling.length - 1];
            if (!current) throw new PyException('RuntimeError', 'No active exception to reraise');
            throw current;
          }
          const v = exceptionObject(ip, exc(f), 'exceptions must derive from BaseException');
          if (cause) {
            const c = cause(f);
            v.cause = c === null ? null : exceptionObject(ip, c, 'exception causes must derive from BaseException');
          }
          const ex = new PyException(v.cls.qualname, str(ip, v));
          ex.pyValue = v;
          throw ex;
        };
      }
      case 'class':
        return this.classDef(s, scope);
      case 'try':
        return this.tryStmt(s, scope, inLoop);
    }
  }

  /**
   * `class Name(bases): body`: the body runs once in a class frame whose namespace becomes the
   * class's dict; functions defined in it get the class cell (for zero-argument super()).
   */
  protected classDef(s: Extract<Stmt, { k: 'class' }>, scope: Scope): StmtFn {
    const ip = this.ip;
    for (const k of s.keywords) {
      throw new PyException('NotImplementedError', `GradLab does not support class keywords like ${k.name ?? '**kwargs'}= yet (line ${s.line})`, s.line);
    }
    const qualname = scope.qualPrefix + s.name;
    const cscope = new Scope('class', scope, qualname + '.');
    const bases = this.exprList(s.bases, scope);
    const decorators = s.decorators.map((d) => this.expr(d, scope));
    const body = this.block(s.body, cscope, false);
    const store = this.storeName(s.name, scope);
    const name = s.name;
    const line = s.line;
    const doc = docstring(s.body);
    return (f) => {
      const decs = decorators.map((d) => d(f));
      const baseTypes = bases(f).map((b) => {
        if (!(b instanceof PyType)) throw typeError(`class bases must be types, not '${typeName(ip, b)}'`);
        return b;
      });
      // The class body's frame: its parent is the nearest enclosing function's frame.
      const frame = new ClassFrame([], scope.kind === 'function' ? f : scope.kind === 'class' ? f.parent : null);
      frame.namespace.set('__module__', '__main__');
      frame.namespace.set('__qualname__', qualname);
      if (doc !== null) frame.namespace.set('__doc__', doc);
      const frames = ip.frames;
      frames.push(frame);
      try {
        body(frame);
      } finally {
        frames.pop();
      }
      frame.namespace.delete('__qualname__');
      ip.line = line;
      let cls: Value = makeClass(ip, name, qualname, baseTypes, frame.namespace);
      frame.classCell.cls = cls as PyType;
      for (let i = decs.length - 1; i >= 0; i--) cls = ip.call(decs[i], [cls], null);
      store(f, cls);
      return NORMAL;
    };
  }

  protected tryStmt(s: Extract<Stmt, { k: 'try' }>, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const body = this.block(s.body, scope, inLoop);
    const handlers = s.handlers.map((h) => ({
      type: h.type ? this.expr(h.type, scope) : null,
      store: h.name ? this.storeName(h.name, scope) : null,
      body: this.block(h.body, scope, inLoop),
    }));
    const orelse = s.orelse.length ? this.block(s.orelse, scope, inLoop) : null;
    const finalbody = s.finalbody.length ? this.block(s.finalbody, scope, inLoop) : null;
    const matches = (typeValue: Value, ex: PyException): boolean => {
      if (typeValue instanceof PyTuple) return typeValue.items.some((t) => matches(t, ex));
      if (typeValue instanceof PyType && isExceptionClass(typeValue)) {
        const raised = ex.pyValue;
        if (raised instanceof PyExceptionValue) return isSubclass(raised.cls, typeValue);
        // an error the runner raised: a built-in type, never one of the program's classes
        return !(typeValue instanceof PyClass) && isSubclassOf(ex.pyType, typeValue.name);
      }
      throw typeError('catching classes that do not inherit from BaseException is not allowed');
    };
    const run = (f: Frame): number => {
      let r: number;
      try {
        r = body(f);
      } catch (e) {
        const ex = toPyException(e, ip.line);
        for (const h of handlers) {
          if (h.type && !matches(h.type(f), ex)) continue;
          if (h.store) h.store(f, ex.pyValue ?? (ex.pyValue = makeExceptionValue(ex)));
          ip.handling.push(ex);
          try {
            return h.body(f);
          } finally {
            ip.handling.pop();
          }
        }
        throw ex;
      }
      if (r === NORMAL && orelse) return orelse(f);
      return r;
    };
    if (!finalbody) return run;
    return (f) => {
      let r: number;
      try {
        r = run(f);
      } catch (e) {
        const fr = finalbody(f);
        if (fr !== NORMAL) return fr;
        throw e;
      }
      const fr = finalbody(f);
      return fr !== NORMAL ? fr : r;
    };
  }

  protected withStmt(s: Extract<Stmt, { k: 'with' }>, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const body = this.block(s.body, scope, inLoop);
    const items = s.items.map((item) => ({ expr: this.expr(item.expr, scope), store: item.target ? this.store(item.target, scope) : null }));
    const enterItem = (f: Frame, index: number): number => {
      if (index === items.length) return body(f);
      const item = items[index];
      const mgr = item.expr(f);
      if (mgr instanceof PyInstance) return withInstance(ip, mgr, f, item.store, () => enterItem(f, index + 1));
      if (!(mgr instanceof PyContextManager)) {
        throw typeError(`'${typeName(ip, mgr)}' object does not support the context manager protocol`);
      }
      const entered = mgr.enter();
      try {
        if (item.store) item.store(f, entered);
        return enterItem(f, index + 1);
      } finally {
        mgr.exit();
      }
    };
    if (items.length === 1) {
      const item = items[0];
      return (f) => {
        const mgr = item.expr(f);
        if (!(mgr instanceof PyContextManager)) return enterItem(f, 0);
        const entered = mgr.enter();
        try {
          if (item.store) item.store(f, entered);
          return body(f);
        } finally {
          mgr.exit();
        }
      };
    }
    return (f) => enterItem(f, 0);
  }

  protected forLoop(s: Extract<Stmt, { k: 'for' }>, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const iterExpr = this.expr(s.iter, scope);
    const store = this.store(s.target, scope);
    const body = this.block(s.body, scope, true);
    const orelse = s.orelse.length ? this.block(s.orelse, scope, inLoop) : null;
    // Each loop is an engine memory scope: after every completed iteration the buffers of
    // tensors made in the loop and no longer reachable are freed (liveness.ts).
    const run = (f: Frame, it: Value): number => {
      if (it instanceof PyRange && isSmall(it)) {
        // range() runs without an iterator object, on JavaScript numbers
        const [start, stop, step] = [Number(it.start), Number(it.stop), Number(it.step)];
        for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
          store(f, BigInt(i));
          const r = body(f);
          if (r === BREAK) return NORMAL;
          if (r === RETURN) return r;
          endIteration(ip, f);
        }
        return -1;
      }
      const next = iterate(ip, it);
      for (let v = next(); v !== undefined; v = next()) {
        store(f, v);
        const r = body(f);
        if (r === BREAK) return NORMAL;
        if (r === RETURN) return r;
        endIteration(ip, f);
      }
      return -1;
    };
    return (f) => {
      const it = iterExpr(f);
      let r: number;
      enterLoopMemory();
      try {
        r = run(f, it);
      } finally {
        exitLoopMemory();
      }
      if (r !== -1) return r;
      return orelse ? orelse(f) : NORMAL;
    };
  }

  protected augAssign(target: Expr, op: string, value: ExprFn, scope: Scope): StmtFn {
    const ip = this.ip;
    if (target.k === 'name') {
      const load = this.loadName(target.id, scope);
      const store = this.storeName(target.id, scope);
      if (op === '+') {
        return (f) => {
          const a = load(f);
          const b = value(f);
          store(f, typeof a === 'number' && typeof b === 'number' ? a + b : typeof a === 'bigint' && typeof b === 'bigint' ? a + b : augmentedOp(ip, op, a, b));
          return NORMAL;
        };
      }
      return (f) => {
        const a = load(f);
        store(f, augmentedOp(ip, op, a, value(f)));
        return NORMAL;
      };
    }
    if (target.k === 'attr') {
      const obj = this.expr(target.value, scope);
      const attr = target.attr;
      return (f) => {
        const o = obj(f);
        const a = getAttr(ip, o, attr);
        const r = augmentedOp(ip, op, a, value(f));
        if (r !== a) setAttr(ip, o, attr, r);
        return NORMAL;
      };
    }
    if (target.k === 'subscript') {
      const obj = this.expr(target.value, scope);
      const index = this.expr(target.index, scope);
      return (f) => {
        const o = obj(f);
        const i = index(f);
        const a = getItem(ip, o, i);
        const r = augmentedOp(ip, op, a, value(f));
        setItem(ip, o, i, r);
        return NORMAL;
      };
    }
    throw new PyException('SyntaxError', "'expression' is an illegal expression for augmented assignment", target.line);
  }
}

/** What `raise X` raises: an exception instance, or a new instance of an exception class. */
function exceptionObject(ip: Interpreter, v: Value, message: string): PyExceptionValue {
  if (v instanceof PyType) {
    if (!isExceptionClass(v)) throw typeError(message);
    v = ip.call(v, EMPTY_ARGS, null);
  }
  if (!(v instanceof PyExceptionValue)) throw typeError(message);
  return v;
}

/** `with obj as x:` for an instance of a class: __enter__, then __exit__ with the exception (or Nones); a true result swallows it. */
function withInstance(ip: Interpreter, mgr: PyInstance, f: Frame, store: ((f: Frame, v: Value) => void) | null, body: () => number): number {
  const enter = lookup(mgr.cls, '__enter__');
  const exit = lookup(mgr.cls, '__exit__');
  if (enter === undefined || exit === undefined) {
    throw typeError(`'${typeName(ip, mgr)}' object does not support the context manager protocol`);
  }
  const entered = callWithSelf(ip, enter, mgr, mgr.cls, EMPTY_ARGS, null, '__enter__');
  let r: number;
  try {
    if (store) store(f, entered);
    r = body();
  } catch (e) {
    const ex = toPyException(e, ip.line);
    const value = ex.pyValue instanceof PyExceptionValue ? ex.pyValue : (ex.pyValue = makeExceptionValue(ex));
    const swallow = callWithSelf(ip, exit, mgr, mgr.cls, [value.cls, value, null], null, '__exit__');
    if (truthy(ip, swallow)) return NORMAL;
    throw ex;
  }
  callWithSelf(ip, exit, mgr, mgr.cls, [null, null, null], null, '__exit__');
  return r;
}
