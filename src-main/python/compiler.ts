// Compiles the AST into JS closures once, then runs them. Names are resolved at compile time:
// function locals to array slots, enclosing-function variables to (depth, slot), module names to
// Cell objects, so a variable access is one array/property read. Control flow uses completion
// codes instead of exceptions; `ip.line` tracks the statement being run for error reporting.
import type { Expr, FStringPart, Param, Stmt } from './ast';
import { callMethod, delAttr, getAttr, setAttr } from './attributes';
import type { Value } from './context';
import { isSubclassOf, PyException, typeError, valueError } from './errors';
import { makeExceptionValue } from './exceptions';
import { formatValue } from './format';
import { compileMulAdd, compileScaledUpdate, compileSquaredErrorMean } from './fusion';
import type { Interpreter } from './interpreter';
import { enterLoopMemory, exitLoopMemory, sweepLoopMemory } from './liveness';
import { exceptionMessage, repr, str, truthy, typeName } from './objects';
import { augmentedOp, binaryOp, compareOp, delItem, getItem, iterableToArray, iterate, nativeOf, setItem, unaryOp } from './ops';
import { BREAK, Cell, CONTINUE, Frame, NORMAL, PyFunction, RETURN, toPyException, type CompiledParam, type ExprFn, type StmtFn } from './runtime';
import { PyContextManager, PyDict, PyExceptionValue, PyIterator, PyList, PyRange, PySlice, PyTuple, PyType } from './values';

// ---------- scopes ----------

type Resolved =
  | { kind: 'local'; slot: number }
  | { kind: 'free'; depth: number; slot: number }
  | { kind: 'global'; cell: Cell };

class Scope {
  readonly locals = new Map<string, number>();
  readonly declaredGlobal = new Set<string>();
  readonly declaredNonlocal = new Set<string>();
  constructor(
    readonly kind: 'module' | 'function',
    readonly parent: Scope | null,
  ) {}
  slot(name: string): number {
    let s = this.locals.get(name);
    if (s === undefined) {
      s = this.locals.size;
      this.locals.set(name, s);
    }
    return s;
  }
}

/** Names a function body assigns (its locals), not looking into nested functions. */
function collectAssigned(body: Stmt[], scope: Scope): void {
  const addTarget = (e: Expr): void => {
    if (e.k === 'name') {
      if (!scope.declaredGlobal.has(e.id) && !scope.declaredNonlocal.has(e.id)) scope.slot(e.id);
    } else if (e.k === 'tuple' || e.k === 'list') e.elts.forEach(addTarget);
    else if (e.k === 'starred') addTarget(e.value);
  };
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'global':
          s.names.forEach((n) => scope.declaredGlobal.add(n));
          break;
        case 'nonlocal':
          s.names.forEach((n) => scope.declaredNonlocal.add(n));
          break;
      }
    }
    for (const s of stmts) {
      switch (s.k) {
        case 'assign':
          s.targets.forEach(addTarget);
          break;
        case 'augassign':
        case 'annassign':
          addTarget(s.target);
          break;
        case 'for':
          addTarget(s.target);
          visit(s.body);
          visit(s.orelse);
          break;
        case 'while':
          visit(s.body);
          visit(s.orelse);
          break;
        case 'if':
          visit(s.body);
          visit(s.orelse);
          break;
        case 'with':
          for (const item of s.items) if (item.target) addTarget(item.target);
          visit(s.body);
          break;
        case 'try':
          visit(s.body);
          for (const h of s.handlers) {
            if (h.name) addTarget({ k: 'name', line: h.line, id: h.name });
            visit(h.body);
          }
          visit(s.orelse);
          visit(s.finalbody);
          break;
        case 'def':
          addTarget({ k: 'name', line: s.line, id: s.name });
          break;
        case 'import':
          for (const n of s.names) addTarget({ k: 'name', line: s.line, id: n.asname ?? n.name.split('.')[0] });
          break;
        case 'importfrom':
          for (const n of s.names) if (n.name !== '*') addTarget({ k: 'name', line: s.line, id: n.asname ?? n.name });
          break;
        case 'del':
          s.targets.forEach(addTarget);
          break;
      }
    }
  };
  visit(body);
}

// ---------- compiler ----------

const EMPTY_ARGS: Value[] = [];

/** After each loop iteration: free what the iteration left unreachable, and now and then let the host check in (output flushes, time). */
function endIteration(ip: Interpreter): void {
  sweepLoopMemory(ip);
  if (++ip.ticks >= 4096) {
    ip.ticks = 0;
    ip.housekeeping();
  }
}

export class Compiler {
  constructor(private readonly ip: Interpreter) {}

  compileModule(body: Stmt[]): StmtFn {
    const scope = new Scope('module', null);
    return this.block(body, scope, false);
  }

  private resolve(name: string, scope: Scope): Resolved {
    if (scope.kind === 'function' && !scope.declaredGlobal.has(name)) {
      const slot = scope.locals.get(name);
      if (slot !== undefined) return { kind: 'local', slot };
      let depth = 1;
      for (let s = scope.parent; s && s.kind === 'function'; s = s.parent, depth++) {
        if (s.declaredGlobal.has(name)) break;
        const sl = s.locals.get(name);
        if (sl !== undefined) return { kind: 'free', depth, slot: sl };
      }
    }
    return { kind: 'global', cell: this.ip.cell(name) };
  }

  private block(stmts: Stmt[], scope: Scope, inLoop: boolean): StmtFn {
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

  private stmt(s: Stmt, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const line = s.line;
    const inner = this.stmtInner(s, scope, inLoop);
    return (f) => {
      ip.line = line;
      return inner(f);
    };
  }

  private stmtInner(s: Stmt, scope: Scope, inLoop: boolean): StmtFn {
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
        if (!s.value) return () => NORMAL;
        const value = this.expr(s.value, scope);
        const store = this.store(s.target, scope);
        return (f) => {
          store(f, value(f));
          return NORMAL;
        };
      }
      case 'augassign':
        return this.augAssign(s.target, s.op, this.expr(s.value, scope), scope);
      case 'fusedScaledUpdate':
        return compileScaledUpdate(ip, s.op, this.loadName(s.target, scope), this.storeName(s.target, scope), this.expr(s.left, scope), this.expr(s.right, scope));
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
              endIteration(ip);
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
      case 'return': {
        if (scope.kind === 'module') throw new PyException('SyntaxError', "'return' outside function", s.line);
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
            } catch {
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
            ex.pyValue = new PyExceptionValue('AssertionError', m === undefined ? [] : [m]);
            throw ex;
          }
          return NORMAL;
        };
      }
      case 'raise': {
        const exc = s.exc ? this.expr(s.exc, scope) : null;
        return (f) => {
          if (!exc) {
            const current = ip.handling[ip.handling.length - 1];
            if (!current) throw new PyException('RuntimeError', 'No active exception to reraise');
            throw current;
          }
          let v = exc(f);
          if (v instanceof PyType) v = ip.call(v, EMPTY_ARGS, null);
          if (!(v instanceof PyExceptionValue)) throw typeError('exceptions must derive from BaseException');
          const ex = new PyException(v.type, exceptionMessage(ip, v));
          ex.pyValue = v;
          throw ex;
        };
      }
      case 'try':
        return this.tryStmt(s, scope, inLoop);
    }
  }

  private tryStmt(s: Extract<Stmt, { k: 'try' }>, scope: Scope, inLoop: boolean): StmtFn {
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
      if (typeValue instanceof PyType && typeValue.module === 'exception') return isSubclassOf(ex.pyType, typeValue.name);
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

  private withStmt(s: Extract<Stmt, { k: 'with' }>, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const body = this.block(s.body, scope, inLoop);
    const items = s.items.map((item) => ({ expr: this.expr(item.expr, scope), store: item.target ? this.store(item.target, scope) : null }));
    const line = s.line;
    const enterItem = (f: Frame, index: number): number => {
      if (index === items.length) return body(f);
      const item = items[index];
      const mgr = item.expr(f);
      if (!(mgr instanceof PyContextManager)) {
        throw new PyException('NotImplementedError', `GradLab's 'with' supports torch.no_grad() and torch.enable_grad(), not '${typeName(ip, mgr)}' objects (line ${line})`, line);
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

  private forLoop(s: Extract<Stmt, { k: 'for' }>, scope: Scope, inLoop: boolean): StmtFn {
    const ip = this.ip;
    const iterExpr = this.expr(s.iter, scope);
    const store = this.store(s.target, scope);
    const body = this.block(s.body, scope, true);
    const orelse = s.orelse.length ? this.block(s.orelse, scope, inLoop) : null;
    // Each loop is an engine memory scope: after every completed iteration the buffers of
    // tensors made in the loop and no longer reachable are freed (liveness.ts).
    const run = (f: Frame, it: Value): number => {
      if (it instanceof PyRange) {
        // range() runs without an iterator object
        const { start, stop, step } = it;
        for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
          store(f, BigInt(i));
          const r = body(f);
          if (r === BREAK) return NORMAL;
          if (r === RETURN) return r;
          endIteration(ip);
        }
        return -1;
      }
      const next = iterate(ip, it);
      for (let v = next(); v !== undefined; v = next()) {
        store(f, v);
        const r = body(f);
        if (r === BREAK) return NORMAL;
        if (r === RETURN) return r;
        endIteration(ip);
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

  private augAssign(target: Expr, op: string, value: ExprFn, scope: Scope): StmtFn {
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

  private deleter(t: Expr, scope: Scope): (f: Frame) => void {
    const ip = this.ip;
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

  private storeName(name: string, scope: Scope): (f: Frame, v: Value) => void {
    const r = scope.kind === 'function' && !scope.declaredGlobal.has(name) && !scope.declaredNonlocal.has(name)
      ? ({ kind: 'local', slot: scope.slot(name) } as Resolved)
      : this.resolve(name, scope);
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

  private store(t: Expr, scope: Scope): (f: Frame, v: Value) => void {
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

  private functionMaker(name: string, params: Param[], body: Stmt[] | Expr, scope: Scope): (f: Frame) => PyFunction {
    const fscope = new Scope('function', scope);
    const compiled: CompiledParam[] = params.map((p) => ({ ...p, slot: fscope.slot(p.name) }));
    const isLambda = !Array.isArray(body);
    if (!isLambda) collectAssigned(body, fscope);
    const defaultFns = params.map((p) => (p.default ? this.expr(p.default, scope) : null));
    let bodyFn: StmtFn;
    if (isLambda) {
      const e = this.expr(body, fscope);
      bodyFn = (f) => {
        f.ret = e(f);
        return RETURN;
      };
    } else bodyFn = this.block(body, fscope, false);
    const simple = params.every((p) => p.kind === 'normal' && p.default === null);
    return (f) => {
      const defaults = defaultFns.map((d) => (d ? d(f) : undefined));
      // The closure captures the defining frame only when defined inside a function.
      return new PyFunction(name, compiled, defaults, fscope.locals.size, bodyFn, scope.kind === 'function' ? f : null, simple);
    };
  }

  // ----- expressions -----

  private loadName(name: string, scope: Scope): ExprFn {
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

  private condition(e: Expr, scope: Scope): (f: Frame) => boolean {
    const ip = this.ip;
    if (e.k === 'compare' && e.ops.length === 1) {
      const left = this.expr(e.left, scope);
      const right = this.expr(e.comparators[0], scope);
      const op = e.ops[0];
      switch (op) {
        case '<':
          return (f) => {
            const a = left(f);
            const b = right(f);
            if (typeof a === 'number' && typeof b === 'number') return a < b;
            if (typeof a === 'bigint' && typeof b === 'bigint') return a < b;
            return truthy(ip, compareOp(ip, op, a, b));
          };
        case '==':
          return (f) => {
            const a = left(f);
            const b = right(f);
            if (typeof a === typeof b && (typeof a === 'bigint' || typeof a === 'string')) return a === b;
            return truthy(ip, compareOp(ip, op, a, b));
          };
      }
    }
    if (e.k === 'unary' && e.op === 'not') {
      const inner = this.condition(e.operand, scope);
      return (f) => !inner(f);
    }
    const v = this.expr(e, scope);
    return (f) => {
      const x = v(f);
      return x === true ? true : x === false ? false : truthy(ip, x);
    };
  }

  expr(e: Expr, scope: Scope): ExprFn {
    const ip = this.ip;
    switch (e.k) {
      case 'const': {
        const v = e.value;
        return () => v;
      }
      case 'name':
        return this.loadName(e.id, scope);
      case 'fstring':
        return this.fstring(e.parts, scope);
      case 'list': {
        const elts = this.exprList(e.elts, scope);
        return (f) => new PyList(elts(f));
      }
      case 'tuple': {
        const elts = this.exprList(e.elts, scope);
        return (f) => new PyTuple(elts(f));
      }
      case 'set':
        throw new PyException('NotImplementedError', `GradLab does not support sets yet (line ${e.line})`, e.line);
      case 'dict': {
        const keys = e.keys.map((k) => this.expr(k, scope));
        const values = e.values.map((v) => this.expr(v, scope));
        return (f) => {
          const d = new PyDict();
          for (let i = 0; i < keys.length; i++) d.set(keys[i](f), values[i](f));
          return d;
        };
      }
      case 'binop':
        return this.binop(e.op, this.expr(e.left, scope), this.expr(e.right, scope));
      case 'fusedMulAdd':
        return compileMulAdd(this.ip, this.expr(e.left, scope), this.expr(e.right, scope), this.expr(e.addend, scope));
      case 'fusedSquaredErrorMean':
        return compileSquaredErrorMean(this.ip, this.expr(e.left, scope), this.expr(e.right, scope), e.exponent, e.spelledPow);
      case 'unary': {
        const operand = this.expr(e.operand, scope);
        const op = e.op;
        if (op === 'not') return (f) => !truthy(ip, operand(f));
        if (op === '-') {
          return (f) => {
            const a = operand(f);
            return typeof a === 'number' ? -a : unaryOp(ip, op, a);
          };
        }
        return (f) => unaryOp(ip, op, operand(f));
      }
      case 'boolop': {
        const values = e.values.map((v) => this.expr(v, scope));
        if (e.op === 'and') {
          return (f) => {
            let v: Value = null;
            for (const fn of values) {
              v = fn(f);
              if (!truthy(ip, v)) return v;
            }
            return v;
          };
        }
        return (f) => {
          let v: Value = null;
          for (const fn of values) {
            v = fn(f);
            if (truthy(ip, v)) return v;
          }
          return v;
        };
      }
      case 'compare': {
        const left = this.expr(e.left, scope);
        const rights = e.comparators.map((c) => this.expr(c, scope));
        const ops = e.ops;
        if (ops.length === 1) {
          const op = ops[0];
          const right = rights[0];
          return (f) => compareOp(ip, op, left(f), right(f));
        }
        return (f) => {
          let a = left(f);
          let result: Value = true;
          for (let i = 0; i < ops.length; i++) {
            const b = rights[i](f);
            result = compareOp(ip, ops[i], a, b);
            if (!truthy(ip, result)) return result;
            a = b;
          }
          return result;
        };
      }
      case 'call':
        return this.call(e, scope);
      case 'attr': {
        const obj = this.expr(e.value, scope);
        const attr = e.attr;
        return (f) => getAttr(ip, obj(f), attr);
      }
      case 'subscript': {
        const obj = this.expr(e.value, scope);
        const index = this.expr(e.index, scope);
        return (f) => getItem(ip, obj(f), index(f));
      }
      case 'slice': {
        const lower = e.lower ? this.expr(e.lower, scope) : null;
        const upper = e.upper ? this.expr(e.upper, scope) : null;
        const step = e.step ? this.expr(e.step, scope) : null;
        return (f) => new PySlice(lower ? lower(f) : null, upper ? upper(f) : null, step ? step(f) : null);
      }
      case 'ifexp': {
        const test = this.condition(e.test, scope);
        const body = this.expr(e.body, scope);
        const orelse = this.expr(e.orelse, scope);
        return (f) => (test(f) ? body(f) : orelse(f));
      }
      case 'lambda':
        return this.functionMaker('<lambda>', e.params, e.body, scope);
      case 'comp':
        return this.comprehension(e, scope);
      case 'starred':
        throw new PyException('SyntaxError', "can't use starred expression here", e.line);
    }
  }

  private exprList(elts: Expr[], scope: Scope): (f: Frame) => Value[] {
    const ip = this.ip;
    if (!elts.some((e) => e.k === 'starred')) {
      const fns = elts.map((x) => this.expr(x, scope));
      const n = fns.length;
      return (f) => {
        const out = new Array<Value>(n);
        for (let i = 0; i < n; i++) out[i] = fns[i](f);
        return out;
      };
    }
    const parts = elts.map((x) => ({ star: x.k === 'starred', fn: this.expr(x.k === 'starred' ? x.value : x, scope) }));
    return (f) => {
      const out: Value[] = [];
      for (const p of parts) {
        if (p.star) out.push(...iterableToArray(ip, p.fn(f)));
        else out.push(p.fn(f));
      }
      return out;
    };
  }

  private binop(op: string, left: ExprFn, right: ExprFn): ExprFn {
    const ip = this.ip;
    switch (op) {
      case '+':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') return a + b;
          return typeof a === 'bigint' && typeof b === 'bigint' ? a + b : binaryOp(ip, op, a, b);
        };
      case '-':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') return a - b;
          return typeof a === 'bigint' && typeof b === 'bigint' ? a - b : binaryOp(ip, op, a, b);
        };
      case '*':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') return a * b;
          return typeof a === 'bigint' && typeof b === 'bigint' ? a * b : binaryOp(ip, op, a, b);
        };
      case '/':
        return (f) => {
          const a = left(f);
          const b = right(f);
          return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : binaryOp(ip, op, a, b);
        };
      default:
        return (f) => binaryOp(ip, op, left(f), right(f));
    }
  }

  private fstring(parts: FStringPart[], scope: Scope): ExprFn {
    const ip = this.ip;
    const fns: ExprFn[] = parts.map((p) => {
      if (typeof p === 'string') return () => p;
      const value = this.expr(p.expr, scope);
      const conv = p.conversion;
      const spec = p.spec ? this.fstring(p.spec, scope) : null;
      const prefix = p.selfDoc;
      return (f) => {
        let v = value(f);
        if (conv === 'r' || conv === 'a') v = repr(ip, v);
        else if (conv === 's') v = str(ip, v);
        const text = spec ? formatValue(ip, v, spec(f) as string) : typeof v === 'string' ? v : formatValue(ip, v, '');
        return prefix + text;
      };
    });
    if (fns.length === 1) return fns[0];
    return (f) => {
      let out = '';
      for (let i = 0; i < fns.length; i++) out += fns[i](f) as string;
      return out;
    };
  }

  private call(e: Extract<Expr, { k: 'call' }>, scope: Scope): ExprFn {
    const ip = this.ip;
    const args = this.exprList(e.args, scope);
    const noArgs = e.args.length === 0;
    const kwParts = e.keywords.map((k) => ({ name: k.name, value: this.expr(k.value, scope) }));
    const kwargs =
      kwParts.length === 0
        ? null
        : (f: Frame): Map<string, Value> => {
            const m = new Map<string, Value>();
            for (const k of kwParts) {
              const v = k.value(f);
              if (k.name !== null) m.set(k.name, v);
              else {
                if (!(v instanceof PyDict)) throw typeError(`argument after ** must be a mapping, not ${typeName(ip, v)}`);
                for (const [key, val] of v.map.values()) {
                  if (typeof key !== 'string') throw typeError('keywords must be strings');
                  if (m.has(key)) throw typeError(`got multiple values for keyword argument '${key}'`);
                  m.set(key, val);
                }
              }
            }
            return m;
          };
    if (e.func.k === 'attr') {
      const obj = this.expr(e.func.value, scope);
      const name = e.func.attr;
      if (noArgs && !kwargs) return (f) => callMethod(ip, obj(f), name, EMPTY_ARGS, null);
      if (!kwargs) return (f) => callMethod(ip, obj(f), name, args(f), null);
      return (f) => {
        const o = obj(f);
        return callMethod(ip, o, name, args(f), kwargs(f));
      };
    }
    const fn = this.expr(e.func, scope);
    if (!kwargs) return (f) => ip.call(fn(f), noArgs ? EMPTY_ARGS : args(f), null);
    return (f) => {
      const callee = fn(f);
      return ip.call(callee, args(f), kwargs(f));
    };
  }

  private comprehension(e: Extract<Expr, { k: 'comp' }>, scope: Scope): ExprFn {
    const ip = this.ip;
    // A comprehension runs in its own function scope (its loop variables do not leak).
    const cscope = new Scope('function', scope);
    const addTargets = (t: Expr): void => {
      if (t.k === 'name') cscope.slot(t.id);
      else if (t.k === 'tuple' || t.k === 'list') t.elts.forEach(addTargets);
      else if (t.k === 'starred') addTargets(t.value);
    };
    e.generators.forEach((g) => addTargets(g.target));
    const gens = e.generators.map((g, i) => ({
      // The first iterable is evaluated in the enclosing scope, like Python.
      iter: i === 0 ? this.expr(g.iter, scope) : this.expr(g.iter, cscope),
      store: this.store(g.target, cscope),
      ifs: g.ifs.map((c) => this.condition(c, cscope)),
    }));
    const elt = this.expr(e.elt, cscope);
    const valueFn = e.value ? this.expr(e.value, cscope) : null;
    const kind = e.kind;
    if (kind === 'set') throw new PyException('NotImplementedError', `GradLab does not support sets yet (line ${e.line})`, e.line);
    const nLocals = cscope.locals.size;
    const parentIsFunction = scope.kind === 'function';
    return (f) => {
      const frame = new Frame(new Array(nLocals), parentIsFunction ? f : null);
      const firstIter = gens[0].iter(f);
      const out: Value[] = [];
      const dict = kind === 'dict' ? new PyDict() : null;
      const loop = (level: number, iterable: Value): void => {
        const g = gens[level];
        const next = iterate(ip, iterable);
        outer: for (let v = next(); v !== undefined; v = next()) {
          g.store(frame, v);
          for (const c of g.ifs) if (!c(frame)) continue outer;
          if (level + 1 < gens.length) loop(level + 1, gens[level + 1].iter(frame));
          else if (dict) dict.set(elt(frame), valueFn!(frame));
          else out.push(elt(frame));
        }
      };
      loop(0, firstIter);
      if (dict) return dict;
      if (kind === 'list') return new PyList(out);
      let i = 0;
      return new PyIterator('generator', () => (i < out.length ? out[i++] : undefined));
    };
  }
}


function isIterableValue(ip: Interpreter, v: Value): boolean {
  if (typeof v === 'string') return true;
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PyRange || v instanceof PyIterator) return true;
  return nativeOf(ip, v)?.iterate !== undefined;
}
