// Generator functions: a `def` with a `yield` statement in its body returns a generator, whose
// body runs as a JavaScript generator so it can stop at each yield and go on at the next next().
// Statements without a yield inside are compiled as everywhere else; `if`, `while` and `for`
// around a yield are compiled here. The generator's frame is on the interpreter's frame stack
// while it runs and among its suspended frames while it waits (so loop memory sweeps see its
// locals), and every resume is a Python call for the recursion limit.
import type { Expr, Stmt } from '../ast';
import type { Value } from '../context';
import { PyException } from '../errors';
import type { Interpreter } from '../interpreter';
import { RECURSION_IN_PYTHON_CALL } from '../objects';
import { iterate } from '../ops';
import { BREAK, Frame, NORMAL, RETURN, toPyException, type ExprFn, type StmtFn } from '../runtime';
import { PyIterator } from '../values';
import type { Scope } from './scope';

/** A statement (or block) of a generator's body: yields the generator's values, returns NORMAL/BREAK/CONTINUE/RETURN. */
type GenFn = (f: Frame) => Generator<Value, number, undefined>;

/** What the generator compiler uses of the statement compiler. */
export interface StatementCompiler {
  readonly ip: Interpreter;
  stmt(s: Stmt, scope: Scope, inLoop: boolean): StmtFn;
  expr(e: Expr, scope: Scope): ExprFn;
  condition(e: Expr, scope: Scope): (f: Frame) => boolean;
  store(target: Expr, scope: Scope): (f: Frame, v: Value) => void;
}

/** Whether a function body has a yield of its own (nested functions and classes have their own bodies). */
export function containsYield(stmts: Stmt[]): boolean {
  return stmts.some((s) => {
    switch (s.k) {
      case 'yield':
        return true;
      case 'if':
      case 'while':
      case 'for':
        return containsYield(s.body) || containsYield(s.orelse);
      case 'with':
        return containsYield(s.body);
      case 'try':
        return containsYield(s.body) || s.handlers.some((h) => containsYield(h.body)) || containsYield(s.orelse) || containsYield(s.finalbody);
      default:
        return false;
    }
  });
}

/** A generator function's body: calling the function makes the generator (in f.ret) and runs nothing yet. */
export function generatorFunctionBody(c: StatementCompiler, body: Stmt[], scope: Scope): StmtFn {
  const run = genBlock(c, body, scope, false);
  const ip = c.ip;
  return (f) => {
    f.ret = makeGenerator(ip, f, run);
    return RETURN;
  };
}

function makeGenerator(ip: Interpreter, frame: Frame, run: GenFn): PyIterator {
  let body: Generator<Value, number, undefined> | null = null;
  let finished = false;
  let running = false;
  return new PyIterator('generator', () => {
    if (finished) return undefined;
    if (running) throw new PyException('ValueError', 'generator already executing');
    ip.enterRecursion(RECURSION_IN_PYTHON_CALL);
    const frames = ip.frames;
    const frameCount = frames.length;
    const savedLine = ip.line;
    frames.push(frame);
    ip.suspendedFrames.delete(frame);
    if (frame.func) ip.loopTurn(frame); // CPython's RESUME counts towards specialising the code, as a call does
    running = true;
    try {
      body ??= run(frame);
      const step = body.next();
      if (step.done) {
        finished = true;
        return undefined;
      }
      ip.suspendedFrames.add(frame);
      return step.value;
    } catch (e) {
      finished = true;
      throw toPyException(e, ip.line);
    } finally {
      running = false;
      frames.length = frameCount;
      ip.leaveRecursion();
      ip.line = savedLine;
    }
  });
}

/** A part of a generator's block: plain statements run as they are, the others as generators. */
type Part = { plain: StmtFn; gen?: undefined } | { gen: GenFn; plain?: undefined };

function genBlock(c: StatementCompiler, stmts: Stmt[], scope: Scope, inLoop: boolean): GenFn {
  const parts: Part[] = stmts.map((s) => (containsYield([s]) ? genStmt(c, s, scope, inLoop) : { plain: c.stmt(s, scope, inLoop) }));
  return function* (f) {
    for (const part of parts) {
      const r = part.plain ? part.plain(f) : yield* part.gen(f);
      if (r !== NORMAL) return r;
    }
    return NORMAL;
  };
}

function genStmt(c: StatementCompiler, s: Stmt, scope: Scope, inLoop: boolean): Part {
  const ip = c.ip;
  const line = s.line;
  switch (s.k) {
    case 'yield': {
      const value = s.value ? c.expr(s.value, scope) : null;
      if (!s.from) {
        return {
          *gen(f) {
            ip.line = line;
            yield value ? value(f) : null;
            return NORMAL;
          },
        };
      }
      return {
        *gen(f) {
          ip.line = line;
          const next = iterate(ip, value!(f));
          for (let v = next(); v !== undefined; v = next()) {
            yield v;
            ip.line = line;
          }
          return NORMAL;
        },
      };
    }
    case 'if': {
      const test = c.condition(s.test, scope);
      const body = genBlock(c, s.body, scope, inLoop);
      const orelse = genBlock(c, s.orelse, scope, inLoop);
      return {
        *gen(f) {
          ip.line = line;
          return test(f) ? yield* body(f) : yield* orelse(f);
        },
      };
    }
    case 'while': {
      const test = c.condition(s.test, scope);
      const body = genBlock(c, s.body, scope, true);
      const orelse = genBlock(c, s.orelse, scope, inLoop);
      return {
        *gen(f) {
          for (;;) {
            ip.line = line;
            if (!test(f)) break;
            const r = yield* body(f);
            if (r === BREAK) return NORMAL;
            if (r === RETURN) return r;
            ip.loopTurn(f);
            ip.tick();
          }
          return yield* orelse(f);
        },
      };
    }
    case 'for': {
      const iterable = c.expr(s.iter, scope);
      const store = c.store(s.target, scope);
      const body = genBlock(c, s.body, scope, true);
      const orelse = genBlock(c, s.orelse, scope, inLoop);
      return {
        *gen(f) {
          ip.line = line;
          const next = iterate(ip, iterable(f));
          for (let v = next(); v !== undefined; v = next()) {
            store(f, v);
            const r = yield* body(f);
            if (r === BREAK) return NORMAL;
            if (r === RETURN) return r;
            ip.loopTurn(f);
            ip.tick();
          }
          return yield* orelse(f);
        },
      };
    }
    default: {
      const where = s.k === 'with' ? "a 'with' block" : "a 'try' statement";
      return {
        plain: () => {
          throw new PyException('NotImplementedError', `GradLab does not support 'yield' inside ${where} yet (line ${line})`, line);
        },
      };
    }
  }
}
