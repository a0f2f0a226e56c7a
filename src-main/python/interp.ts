// Compiles the AST into JS closures once, then runs them. Names are resolved at compile time:
// function locals to array slots, enclosing-function variables to (depth, slot), module names to
// Cell objects, so a variable access is one array/property read. Control flow uses completion
// codes instead of exceptions; `rt.line` tracks the statement being run for error reporting.
import type { Expr, FStringPart, Param, Stmt } from './ast';
import { callMethod, getAttr, importModule, setAttr, delAttr, makeExceptionValue } from './builtins';
import { isSubclassOf, PyException, typeError, valueError } from './errors';
import {
  augmentedOp,
  binaryOp,
  compareOp,
  delItem,
  getItem,
  iterate,
  iterableToArray,
  setItem,
  tensorOps,
  unaryOp,
} from './ops';
import {
  BREAK,
  Cell,
  CONTINUE,
  Frame,
  NORMAL,
  PyFunction,
  RECURSION_LIMIT,
  RETURN,
  Runtime,
  toPyException,
  type CompiledParam,
  type ExprFn,
  type StmtFn,
} from './runtime';
import { formatValue } from './strformat';
import { enterLoopMemory, exitLoopMemory, sweepLoopMemory } from './liveness';
import {
  BoundMethod,
  Builtin,
  PyContextManager,
  PyDict,
  PyExceptionValue,
  PyIterator,
  PyList,
  PyRange,
  PySlice,
  PyTuple,
  PyType,
  repr,
  str,
  truthy,
  typeName,
  type Value,
} from './values';

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

// ---------- calling ----------

let activeRuntime: Runtime | null = null;

export function currentRuntime(): Runtime {
  if (!activeRuntime) throw new Error('no Python program is running');
  return activeRuntime;
}

function pluralArgs(n: number): string {
  return n === 1 ? '1 positional argument' : `${n} positional arguments`;
}

function bindArguments(fn: PyFunction, args: Value[], kwargs: Map<string, Value> | null, locals: Value[]): void {
  const params = fn.params;
  let positional = 0;
  let varargs: CompiledParam | null = null;
  let varkw: CompiledParam | null = null;
  for (const p of params) {
    if (p.kind === 'normal') positional++;
    else if (p.kind === 'varargs') varargs = p;
    else if (p.kind === 'kwargs') varkw = p;
  }
  const n = args.length;
  if (n > positional && !varargs) {
    const withDefault = params.filter((p) => p.kind === 'normal' && p.default !== null).length;
    const takes = withDefault > 0 ? `from ${positional - withDefault} to ${positional} positional arguments` : pluralArgs(positional);
    const given = n === 1 ? '1 was given' : `${n} were given`;
    throw typeError(`${fn.name}() takes ${takes} but ${given}`);
  }
  let pi = 0;
  for (let i = 0; i < params.length && pi < n; i++) {
    const p = params[i];
    if (p.kind !== 'normal') continue;
    locals[p.slot] = args[pi++];
  }
  if (varargs) locals[varargs.slot] = new PyTuple(args.slice(Math.min(pi, n)));
  let extra: PyDict | null = null;
  if (varkw) extra = new PyDict();
  if (kwargs) {
    for (const [name, value] of kwargs) {
      const p = params.find((q) => q.name === name && (q.kind === 'normal' || q.kind === 'kwonly'));
      if (!p) {
        if (extra) {
          extra.set(name, value);
          continue;
        }
        throw typeError(`${fn.name}() got an unexpected keyword argument '${name}'`);
      }
      if (locals[p.slot] !== undefined) throw typeError(`${fn.name}() got multiple values for argument '${name}'`);
      locals[p.slot] = value;
    }
  }
  if (varkw) locals[varkw.slot] = extra;
  const missing: string[] = [];
  const missingKw: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if ((p.kind === 'normal' || p.kind === 'kwonly') && locals[p.slot] === undefined) {
      const d = fn.defaults[i];
      if (d !== undefined) locals[p.slot] = d;
      else (p.kind === 'normal' ? missing : missingKw).push(`'${p.name}'`);
    }
  }
  const describe = (names: string[]): string =>
    names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
  if (missing.length > 0) {
    throw typeError(`${fn.name}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${describe(missing)}`);
  }
  if (missingKw.length > 0) {
    throw typeError(`${fn.name}() missing ${missingKw.length} required keyword-only argument${missingKw.length > 1 ? 's' : ''}: ${describe(missingKw)}`);
  }
}

export function callFunction(fn: PyFunction, args: Value[], kwargs: Map<string, Value> | null): Value {
  const rt = activeRuntime!;
  const locals: Value[] = new Array(fn.nLocals);
  if (fn.simplePositional && kwargs === null && args.length === fn.params.length) {
    for (let i = 0; i < args.length; i++) locals[i] = args[i];
  } else bindArguments(fn, args, kwargs, locals);
  const frame = new Frame(locals, fn.closure);
  if (rt.depth >= RECURSION_LIMIT) throw new PyException('RecursionError', 'maximum recursion depth exceeded');
  rt.depth++;
  const savedLine = rt.line;
  const frames = rt.frames;
  const frameCount = frames.length;
  frames.push(frame);
  try {
    return fn.body(frame) === RETURN ? frame.ret : null;
  } catch (e) {
    throw toPyException(e, rt.line);
  } finally {
    frames.length = frameCount;
    rt.depth--;
    rt.line = savedLine;
  }
}

export function callValue(fn: Value, args: Value[], kwargs: Map<string, Value> | null): Value {
  if (fn instanceof PyFunction) return callFunction(fn, args, kwargs);
  if (fn instanceof Builtin) return fn.fn(args, kwargs);
  if (fn instanceof BoundMethod) return fn.impl(fn.self, args, kwargs);
  if (fn instanceof PyType) return fn.construct(args, kwargs);
  throw typeError(`'${typeName(fn)}' object is not callable`);
}

// ---------- compiler ----------

type BinOp = Extract<Expr, { k: 'binop' }>;

/** For `(a - b).pow(2).mean()` or `((a - b) ** 2).mean()` (2 or 2.0): the difference, the exponent and which spelling; else null. */
function squaredErrorParts(e: Extract<Expr, { k: 'call' }>): [BinOp, Value, boolean] | null {
  if (e.args.length !== 0 || e.keywords.length !== 0 || e.func.k !== 'attr' || e.func.attr !== 'mean') return null;
  const squared = e.func.value;
  const isTwo = (x: Expr): boolean => x.k === 'const' && (x.value === 2n || x.value === 2);
  let difference: Expr;
  let exponent: Expr;
  let spelledPow: boolean;
  if (squared.k === 'call' && squared.func.k === 'attr' && squared.func.attr === 'pow' && squared.args.length === 1 && squared.keywords.length === 0) {
    difference = squared.func.value;
    exponent = squared.args[0];
    spelledPow = true;
  } else if (squared.k === 'binop' && squared.op === '**') {
    difference = squared.left;
    exponent = squared.right;
    spelledPow = false;
  } else return null;
  if (!isTwo(exponent) || difference.k !== 'binop' || difference.op !== '-') return null;
  return [difference, (exponent as Extract<Expr, { k: 'const' }>).value as Value, spelledPow];
}

const EMPTY_ARGS: Value[] = [];

/** After each loop iteration: free what the iteration left unreachable, and now and then let the host check in (output flushes, time). */
function endIteration(rt: Runtime): void {
  sweepLoopMemory(rt);
  if (++rt.ticks >= 4096) {
    rt.ticks = 0;
    rt.housekeeping();
  }
}

export class Compiler {
  constructor(private readonly rt: Runtime) {}

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
    return { kind: 'global', cell: this.rt.cell(name) };
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
    const rt = this.rt;
    const line = s.line;
    const inner = this.stmtInner(s, scope, inLoop);
    return (f) => {
      rt.line = line;
      return inner(f);
    };
  }

  private stmtInner(s: Stmt, scope: Scope, inLoop: boolean): StmtFn {
    const rt = this.rt;
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
        if ((s.op === '-' || s.op === '+') && s.target.k === 'name' && s.value.k === 'binop' && s.value.op === '*') {
          return this.augAssignScaled(s.target.id, s.op, this.expr(s.value.left, scope), this.expr(s.value.right, scope), scope);
        }
        return this.augAssign(s.target, s.op, this.expr(s.value, scope), scope);
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
              endIteration(rt);
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
          for (let i = decs.length - 1; i >= 0; i--) fn = callValue(decs[i], [fn], null);
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
            const mod = importModule(p.name, line);
            p.store(f, p.bindTop ? importModule(p.name.split('.')[0], line) : mod);
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
          const mod = importModule(s.module, line);
          for (const p of parts) {
            let v: Value;
            try {
              v = getAttr(mod, p.name);
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
            const ex = new PyException('AssertionError', m === undefined ? '' : str(m));
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
            const current = rt.handling[rt.handling.length - 1];
            if (!current) throw new PyException('RuntimeError', 'No active exception to reraise');
            throw current;
          }
          let v = exc(f);
          if (v instanceof PyType) v = callValue(v, EMPTY_ARGS, null);
          if (!(v instanceof PyExceptionValue)) throw typeError('exceptions must derive from BaseException');
          const ex = new PyException(v.type, v.message);
          ex.pyValue = v;
          throw ex;
        };
      }
      case 'try':
        return this.tryStmt(s, scope, inLoop);
    }
  }

  private tryStmt(s: Extract<Stmt, { k: 'try' }>, scope: Scope, inLoop: boolean): StmtFn {
    const rt = this.rt;
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
        const ex = toPyException(e, rt.line);
        for (const h of handlers) {
          if (h.type && !matches(h.type(f), ex)) continue;
          if (h.store) h.store(f, ex.pyValue ?? (ex.pyValue = makeExceptionValue(ex)));
          rt.handling.push(ex);
          try {
            return h.body(f);
          } finally {
            rt.handling.pop();
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
    const body = this.block(s.body, scope, inLoop);
    const items = s.items.map((item) => ({ expr: this.expr(item.expr, scope), store: item.target ? this.store(item.target, scope) : null }));
    const line = s.line;
    const enterItem = (f: Frame, index: number): number => {
      if (index === items.length) return body(f);
      const item = items[index];
      const mgr = item.expr(f);
      if (!(mgr instanceof PyContextManager)) {
        throw new PyException('NotImplementedError', `GradLab's 'with' supports torch.no_grad() and torch.enable_grad(), not '${typeName(mgr)}' objects (line ${line})`, line);
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
    const rt = this.rt;
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
          endIteration(rt);
        }
        return -1;
      }
      const next = iterate(it);
      for (let v = next(); v !== undefined; v = next()) {
        store(f, v);
        const r = body(f);
        if (r === BREAK) return NORMAL;
        if (r === RETURN) return r;
        endIteration(rt);
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

  /**
   * `x -= a * b` / `x += a * b` (the gradient-descent update `w -= lr * w.grad`): when x is a
   * tensor and a * b is a tensor times a number, the engine does it in one pass without the
   * temporary product, with exactly the values of the two steps; anything else runs as written.
   */
  private augAssignScaled(name: string, op: '-' | '+', left: ExprFn, right: ExprFn, scope: Scope): StmtFn {
    const load = this.loadName(name, scope);
    const store = this.storeName(name, scope);
    return (f) => {
      const a = load(f);
      const l = left(f);
      const r = right(f);
      const t = tensorOps.impl;
      if (t !== null && typeof a === 'object' && a !== null && t.isTensor(a)) {
        const fused = t.isTensor(l) ? t.inplaceScaled(op, a, l, r) : t.isTensor(r) ? t.inplaceScaled(op, a, r, l) : undefined;
        if (fused !== undefined) {
          store(f, fused);
          return NORMAL;
        }
      }
      const product = typeof l === 'number' && typeof r === 'number' ? l * r : binaryOp('*', l, r);
      store(f, augmentedOp(op, a, product));
      return NORMAL;
    };
  }

  private augAssign(target: Expr, op: string, value: ExprFn, scope: Scope): StmtFn {
    if (target.k === 'name') {
      const load = this.loadName(target.id, scope);
      const store = this.storeName(target.id, scope);
      if (op === '+') {
        return (f) => {
          const a = load(f);
          const b = value(f);
          store(f, typeof a === 'number' && typeof b === 'number' ? a + b : typeof a === 'bigint' && typeof b === 'bigint' ? a + b : augmentedOp(op, a, b));
          return NORMAL;
        };
      }
      return (f) => {
        const a = load(f);
        store(f, augmentedOp(op, a, value(f)));
        return NORMAL;
      };
    }
    if (target.k === 'attr') {
      const obj = this.expr(target.value, scope);
      const attr = target.attr;
      return (f) => {
        const o = obj(f);
        const a = getAttr(o, attr);
        const r = augmentedOp(op, a, value(f));
        if (r !== a) setAttr(o, attr, r);
        return NORMAL;
      };
    }
    if (target.k === 'subscript') {
      const obj = this.expr(target.value, scope);
      const index = this.expr(target.index, scope);
      return (f) => {
        const o = obj(f);
        const i = index(f);
        const a = getItem(o, i);
        const r = augmentedOp(op, a, value(f));
        setItem(o, i, r);
        return NORMAL;
      };
    }
    throw new PyException('SyntaxError', "'expression' is an illegal expression for augmented assignment", target.line);
  }

  private deleter(t: Expr, scope: Scope): (f: Frame) => void {
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
      return (f) => delItem(obj(f), index(f));
    }
    if (t.k === 'attr') {
      const obj = this.expr(t.value, scope);
      return (f) => delAttr(obj(f), t.attr);
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
    switch (t.k) {
      case 'name':
        return this.storeName(t.id, scope);
      case 'attr': {
        const obj = this.expr(t.value, scope);
        const attr = t.attr;
        return (f, v) => setAttr(obj(f), attr, v);
      }
      case 'subscript': {
        const obj = this.expr(t.value, scope);
        const index = this.expr(t.index, scope);
        return (f, v) => setItem(obj(f), index(f), v);
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
            if (!isIterableValue(v)) throw typeError(`cannot unpack non-iterable ${typeName(v)} object`);
            items = iterableToArray(v);
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
    return () => {
      const v = cell.value;
      if (v !== undefined) return v;
      const b = BUILTINS_HOOK.get(name);
      if (b !== undefined) return b;
      throw new PyException('NameError', `name '${name}' is not defined`);
    };
  }

  private condition(e: Expr, scope: Scope): (f: Frame) => boolean {
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
            return truthy(compareOp(op, a, b));
          };
        case '==':
          return (f) => {
            const a = left(f);
            const b = right(f);
            if (typeof a === typeof b && (typeof a === 'bigint' || typeof a === 'string')) return a === b;
            return truthy(compareOp(op, a, b));
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
      return x === true ? true : x === false ? false : truthy(x);
    };
  }

  expr(e: Expr, scope: Scope): ExprFn {
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
        if (e.op === '+' && e.left.k === 'binop' && e.left.op === '*' && (e.right.k === 'name' || e.right.k === 'const')) {
          return this.mulAdd(this.expr(e.left.left, scope), this.expr(e.left.right, scope), this.expr(e.right, scope));
        }
        return this.binop(e.op, this.expr(e.left, scope), this.expr(e.right, scope));
      case 'unary': {
        const operand = this.expr(e.operand, scope);
        const op = e.op;
        if (op === 'not') return (f) => !truthy(operand(f));
        if (op === '-') {
          return (f) => {
            const a = operand(f);
            return typeof a === 'number' ? -a : unaryOp(op, a);
          };
        }
        return (f) => unaryOp(op, operand(f));
      }
      case 'boolop': {
        const values = e.values.map((v) => this.expr(v, scope));
        if (e.op === 'and') {
          return (f) => {
            let v: Value = null;
            for (const fn of values) {
              v = fn(f);
              if (!truthy(v)) return v;
            }
            return v;
          };
        }
        return (f) => {
          let v: Value = null;
          for (const fn of values) {
            v = fn(f);
            if (truthy(v)) return v;
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
          return (f) => compareOp(op, left(f), right(f));
        }
        return (f) => {
          let a = left(f);
          let result: Value = true;
          for (let i = 0; i < ops.length; i++) {
            const b = rights[i](f);
            result = compareOp(ops[i], a, b);
            if (!truthy(result)) return result;
            a = b;
          }
          return result;
        };
      }
      case 'call': {
        const squaredError = squaredErrorParts(e);
        if (squaredError) {
          const [difference, exponent, spelledPow] = squaredError;
          return this.squaredErrorMean(this.expr(difference.left, scope), this.expr(difference.right, scope), exponent, spelledPow);
        }
        return this.call(e, scope);
      }
      case 'attr': {
        const obj = this.expr(e.value, scope);
        const attr = e.attr;
        return (f) => getAttr(obj(f), attr);
      }
      case 'subscript': {
        const obj = this.expr(e.value, scope);
        const index = this.expr(e.index, scope);
        return (f) => getItem(obj(f), index(f));
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
        if (p.star) out.push(...iterableToArray(p.fn(f)));
        else out.push(p.fn(f));
      }
      return out;
    };
  }

  /**
   * `a * b + c` with c a name or constant (`w * x + b`): for two same-shape float32 tensors the
   * engine computes it in one pass with the graph of the two ops. Reading c before multiplying
   * is unobservable: c has no side effects, and the product cannot fail in that case.
   */
  private mulAdd(left: ExprFn, right: ExprFn, addend: ExprFn): ExprFn {
    return (f) => {
      const a = left(f);
      const b = right(f);
      const t = tensorOps.impl;
      if (t !== null && t.isTensor(a) && t.isTensor(b) && t.mulAddCandidate(a, b)) {
        const c = addend(f);
        const fused = t.mulAdd(a, b, c);
        return fused !== undefined ? fused : binaryOp('+', binaryOp('*', a, b), c);
      }
      let p: Value;
      if (typeof a === 'number' && typeof b === 'number') p = a * b;
      else p = typeof a === 'bigint' && typeof b === 'bigint' ? a * b : binaryOp('*', a, b);
      const c = addend(f);
      if (typeof p === 'number' && typeof c === 'number') return p + c;
      return typeof p === 'bigint' && typeof c === 'bigint' ? p + c : binaryOp('+', p, c);
    };
  }

  /**
   * `(a - b).pow(2).mean()` / `((a - b) ** 2).mean()`, the lessons' loss: for two tensors the
   * engine runs it as one op (same value, gradients and grad_fn name). Once a and b are
   * evaluated nothing else in the expression can have side effects, so the fallback runs the
   * three steps on the same two values.
   */
  private squaredErrorMean(left: ExprFn, right: ExprFn, exponent: Value, spelledPow: boolean): ExprFn {
    const exponentArgs = [exponent];
    return (f) => {
      const a = left(f);
      const b = right(f);
      const t = tensorOps.impl;
      if (t !== null && t.isTensor(a) && t.isTensor(b)) {
        const fused = t.squaredErrorMean(a, b);
        if (fused !== undefined) return fused;
      }
      const difference = binaryOp('-', a, b);
      const squared = spelledPow ? callMethod(difference, 'pow', exponentArgs, null) : binaryOp('**', difference, exponent);
      return callMethod(squared, 'mean', EMPTY_ARGS, null);
    };
  }

  private binop(op: string, left: ExprFn, right: ExprFn): ExprFn {
    switch (op) {
      case '+':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') return a + b;
          return typeof a === 'bigint' && typeof b === 'bigint' ? a + b : binaryOp(op, a, b);
        };
      case '-':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') return a - b;
          return typeof a === 'bigint' && typeof b === 'bigint' ? a - b : binaryOp(op, a, b);
        };
      case '*':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') return a * b;
          return typeof a === 'bigint' && typeof b === 'bigint' ? a * b : binaryOp(op, a, b);
        };
      case '/':
        return (f) => {
          const a = left(f);
          const b = right(f);
          return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : binaryOp(op, a, b);
        };
      default:
        return (f) => binaryOp(op, left(f), right(f));
    }
  }

  private fstring(parts: FStringPart[], scope: Scope): ExprFn {
    const fns: ExprFn[] = parts.map((p) => {
      if (typeof p === 'string') return () => p;
      const value = this.expr(p.expr, scope);
      const conv = p.conversion;
      const spec = p.spec ? this.fstring(p.spec, scope) : null;
      const prefix = p.selfDoc;
      return (f) => {
        let v = value(f);
        if (conv === 'r' || conv === 'a') v = repr(v);
        else if (conv === 's') v = str(v);
        const text = spec ? formatValue(v, spec(f) as string) : typeof v === 'string' ? v : formatValue(v, '');
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
                if (!(v instanceof PyDict)) throw typeError(`argument after ** must be a mapping, not ${typeName(v)}`);
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
      if (noArgs && !kwargs) return (f) => callMethod(obj(f), name, EMPTY_ARGS, null);
      if (!kwargs) return (f) => callMethod(obj(f), name, args(f), null);
      return (f) => {
        const o = obj(f);
        return callMethod(o, name, args(f), kwargs(f));
      };
    }
    const fn = this.expr(e.func, scope);
    if (!kwargs) return (f) => callValue(fn(f), noArgs ? EMPTY_ARGS : args(f), null);
    return (f) => {
      const callee = fn(f);
      return callValue(callee, args(f), kwargs(f));
    };
  }

  private comprehension(e: Extract<Expr, { k: 'comp' }>, scope: Scope): ExprFn {
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
        const next = iterate(iterable);
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


function isIterableValue(v: Value): boolean {
  if (typeof v === 'string') return true;
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PyRange || v instanceof PyIterator) return true;
  return tensorOps.impl !== null && typeof v === 'object' && v !== null && tensorOps.impl.isTensor(v);
}

/** Builtins by name (filled by builtins.ts). */
export const BUILTINS_HOOK = new Map<string, Value>();

export interface RunResult {
  ok: boolean;
  errorLine?: string;
  line?: number;
}

/** Runs a compiled program with `rt` as the active runtime. */
export function runCompiled(rt: Runtime, program: StmtFn): RunResult {
  const previous = activeRuntime;
  activeRuntime = rt;
  const moduleFrame = new Frame([], null);
  rt.frames.push(moduleFrame);
  try {
    program(moduleFrame);
    return { ok: true };
  } catch (e) {
    const ex = toPyException(e, rt.line);
    return { ok: false, errorLine: ex.errorLine, line: ex.line };
  } finally {
    activeRuntime = previous;
  }
}

