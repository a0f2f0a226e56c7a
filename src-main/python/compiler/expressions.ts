// Compiling expressions: constants, names, containers, operators (with fast paths for floats and
// ints), calls, attributes, subscripts, f-strings, lambdas, comprehensions, and the fused nodes
// of the fusion pass.
import type { Expr, FStringPart, Param, Stmt } from '../ast';
import { callMethod, getAttr } from '../attributes';
import type { Value } from '../context';
import { PyException, typeError } from '../errors';
import { formatValue } from '../format';
import { compileMulAdd, compileSquaredErrorMean } from '../fusion';
import { ascii, repr, str, truthy, typeName } from '../objects';
import { binaryOp, compareOp, iterableToArray, iterate, unaryOp } from '../ops';
import { getItem } from '../subscript';
import { Frame, PyFunction, RETURN, type ClassFrame, type CompiledParam, type ExprFn, type StmtFn } from '../runtime';
import { PySet, setDisplay } from '../sets';
import { appendAll, ELLIPSIS, PyDict, PyIterator, PyList, PySlice, PySuper, PyTuple } from '../values';
import { NameCompiler } from './names';
import { collectAssigned, Scope } from './scope';
import { containsYield } from './generators';

const EMPTY_ARGS: Value[] = [];

export abstract class ExpressionCompiler extends NameCompiler {
  /** A statement list (function bodies); the statement compiler provides it. */
  protected abstract block(stmts: Stmt[], scope: Scope, inLoop: boolean): StmtFn;
  /** The body of a generator function (compiler/generators.ts). */
  protected abstract generatorBody(body: Stmt[], scope: Scope): StmtFn;

  protected functionMaker(name: string, params: Param[], body: Stmt[] | Expr, scope: Scope): (f: Frame) => PyFunction {
    const qualname = scope.qualPrefix + name;
    const fscope = new Scope('function', scope, qualname + '.<locals>.');
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
    } else bodyFn = containsYield(body) ? this.generatorBody(body, fscope) : this.block(body, fscope, false);
    const simple = params.every((p) => p.kind === 'normal' && p.default === null);
    const inClassBody = scope.kind === 'class';
    const doc = isLambda ? null : docstring(body);
    return (f) => {
      const defaults = defaultFns.map((d) => (d ? d(f) : undefined));
      // The closure is the frame of the nearest enclosing function (a class body's frame points at it).
      const closure = scope.kind === 'function' ? f : inClassBody ? f.parent : null;
      const fn = new PyFunction(name, qualname, compiled, defaults, fscope.locals.size, bodyFn, closure, simple, inClassBody ? (f as ClassFrame).classCell : null);
      fn.doc = doc;
      return fn;
    };
  }

  // ----- expressions -----

  protected condition(e: Expr, scope: Scope): (f: Frame) => boolean {
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
      case 'ellipsis':
        return () => ELLIPSIS;
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
      case 'set': {
        const elts = this.exprList(e.elts, scope);
        const constant = e.elts.every(isConstant);
        return (f) => setDisplay(elts(f), constant);
      }
      case 'dict': {
        const keys = e.keys.map((k) => (k === null ? null : this.expr(k, scope)));
        const values = e.values.map((v) => this.expr(v, scope));
        return (f) => {
          const d = new PyDict();
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i];
            if (key !== null) {
              d.set(key(f), values[i](f));
              continue;
            }
            const mapping = values[i](f);
            if (!(mapping instanceof PyDict)) throw typeError(`'${typeName(ip, mapping)}' object is not a mapping`);
            for (const [k, v] of mapping.map.values()) d.set(k, v);
          }
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
        const last = values.length - 1;
        if (e.op === 'and') {
          // As CPython: the last operand is the result without being tested (`x and t` never asks bool(t)).
          return (f) => {
            for (let i = 0; i < last; i++) {
              const v = values[i](f);
              if (!truthy(ip, v)) return v;
            }
            return values[last](f);
          };
        }
        return (f) => {
          for (let i = 0; i < last; i++) {
            const v = values[i](f);
            if (truthy(ip, v)) return v;
          }
          return values[last](f);
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
      case 'namedexpr': {
        const value = this.expr(e.value, scope);
        // inside a comprehension the name belongs to the enclosing function or module
        const store = scope.comprehension ? this.writer(this.resolve(e.target, scope)) : this.storeName(e.target, scope);
        return (f) => {
          const v = value(f);
          store(f, v);
          return v;
        };
      }
      case 'starred':
        throw new PyException('SyntaxError', "can't use starred expression here", e.line);
    }
  }

  protected exprList(elts: Expr[], scope: Scope): (f: Frame) => Value[] {
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
        if (p.star) appendAll(out, iterableToArray(ip, p.fn(f)));
        else out.push(p.fn(f));
      }
      return out;
    };
  }

  protected binop(op: string, left: ExprFn, right: ExprFn): ExprFn {
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

  protected fstring(parts: FStringPart[], scope: Scope): ExprFn {
    const ip = this.ip;
    const fns: ExprFn[] = parts.map((p) => {
      if (typeof p === 'string') return () => p;
      const value = this.expr(p.expr, scope);
      const conv = p.conversion;
      const spec = p.spec ? this.fstring(p.spec, scope) : null;
      const prefix = p.selfDoc;
      return (f) => {
        let v = value(f);
        if (conv === 'r') v = repr(ip, v);
        else if (conv === 'a') v = ascii(ip, v);
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

  protected call(e: Extract<Expr, { k: 'call' }>, scope: Scope): ExprFn {
    const ip = this.ip;
    if (e.func.k === 'name' && e.func.id === 'super' && e.args.length === 0 && e.keywords.length === 0) {
      // zero-argument super(): the class the running method was defined in, and its first argument
      const load = this.loadName('super', scope);
      const builtinSuper = ip.builtins.get('super');
      return (f) => {
        const fn = load(f);
        return fn === builtinSuper ? zeroArgumentSuper(f) : ip.call(fn, EMPTY_ARGS, null);
      };
    }
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

  protected comprehension(e: Extract<Expr, { k: 'comp' }>, scope: Scope): ExprFn {
    const ip = this.ip;
    // A comprehension runs in its own function scope (its loop variables do not leak).
    const cscope = new Scope('function', scope, scope.qualPrefix + `<${e.kind === 'gen' ? 'genexpr' : e.kind + 'comp'}>.<locals>.`);
    cscope.comprehension = true;
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
    const nLocals = cscope.locals.size;
    const parentKind = scope.kind;
    return (f) => {
      const frame = new Frame(new Array(nLocals), parentKind === 'function' ? f : parentKind === 'class' ? f.parent : null);
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
          else if ((out.push(elt(frame)) & 0xffff) === 0) ip.reserveMemory(out.length * 8); // not reachable by the budget's walk yet
          ip.tick();
        }
      };
      loop(0, firstIter);
      if (dict) return dict;
      if (kind === 'list') return new PyList(out);
      if (kind === 'set') return new PySet(out);
      let i = 0;
      return new PyIterator('generator', () => (i < out.length ? out[i++] : undefined));
    };
  }
}

function zeroArgumentSuper(f: Frame): PySuper {
  const cls = f.func?.classCell?.cls;
  if (!cls) throw new PyException('RuntimeError', 'super(): __class__ cell not found');
  if (f.func!.params.length === 0) throw new PyException('RuntimeError', 'super(): no arguments');
  return new PySuper(cls, f.locals[0]);
}

/** A literal CPython's compiler folds into a constant: numbers, strings, None, bools, -number, tuples of those. */
function isConstant(e: Expr): boolean {
  if (e.k === 'const') return true;
  if (e.k === 'unary' && (e.op === '-' || e.op === '+') && e.operand.k === 'const') return typeof e.operand.value === 'bigint' || typeof e.operand.value === 'number';
  if (e.k === 'tuple') return e.elts.every(isConstant);
  return false;
}

/** The docstring of a function or class body: its first statement, when that is a string literal. */
export function docstring(body: Stmt[]): string | null {
  const first = body[0];
  return first !== undefined && first.k === 'expr' && first.value.k === 'const' && typeof first.value.value === 'string' ? first.value.value : null;
}
