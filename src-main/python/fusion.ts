// The fusion pass: a peephole optimiser over the parsed program, run between the parser and the
// compiler (switch it off with runPython(source, { fusion: false })). It rewrites three shapes
// the lessons' training loop spends its time in into fused nodes:
//
//   a * b + c                     (c a name or a constant)   -> fusedMulAdd
//   (a - b).pow(2).mean()         ((a - b) ** 2).mean() too  -> fusedSquaredErrorMean
//   x -= a * b  /  x += a * b     (x a name)                 -> fusedScaledUpdate
//
// and the whole epoch of the lessons' loop, six statements in a row (any names; lr a name or a
// number), into one fusedEpoch statement that keeps the six (fused as above) as its fallback:
//
//   y_hat = w * x + b
//   loss = (y_hat - y).pow(2).mean()        (or ((y_hat - y) ** 2).mean())
//   loss.backward()
//   with torch.no_grad():
//       w -= lr * w.grad
//       b -= lr * b.grad
//   w.grad.zero_()
//   b.grad.zero_()
//
// and, where the six are not written in a row (a print of the loss between them, say), their last
// four (loss.backward() to b.grad.zero_()) into one fusedStep, which checks at runtime that the
// loss's graph is the one the first two statements record.
//
// A fused node evaluates its operands exactly as the written code does, then asks the operand's
// native type for a one-pass kernel (NativeType.fused: the engine computes the same values and
// graph as the separate operators); when there is none, or it declines, the written operators
// run on the same operand values. So fusion changes speed only: tests/unit/python/fusion.test.ts
// runs every fixture and lesson cell both ways and compares the output.
import type { ExceptHandler, Expr, FStringPart, Stmt } from './ast';
import { callMethod } from './attributes';
import type { Context, EpochOutputs, Value } from './context';
import { PyException } from './errors';
import { augmentedOp, binaryOp, nativeOf } from './ops';
import { NORMAL, type ExprFn, type Frame, type StmtFn } from './runtime';
import { Builtin, PyModule } from './values';

// ---------- the pass ----------

/** The program with every fusable shape rewritten (a new tree; the input is not changed). */
export function fuseProgram(program: Stmt[]): Stmt[] {
  const fused = fuseBlock(program);
  markReusableEpochs(fused, fused);
  return fused;
}

function fuseBlock(stmts: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const epoch = trainingEpoch(stmts, i);
    const step = epoch === null ? trainingStep(stmts, i) : null;
    if (epoch !== null) {
      out.push(epoch);
      i += EPOCH_STATEMENTS - 1;
    } else if (step !== null) {
      out.push(step);
      i += STEP_STATEMENTS - 1;
    } else out.push(fuseStmt(stmts[i]));
  }
  return out;
}

function fuseStmt(s: Stmt): Stmt {
  switch (s.k) {
    case 'augassign':
      if ((s.op === '-' || s.op === '+') && s.target.k === 'name' && s.value.k === 'binop' && s.value.op === '*') {
        return { k: 'fusedScaledUpdate', line: s.line, target: s.target.id, op: s.op, left: fuseExpr(s.value.left), right: fuseExpr(s.value.right) };
      }
      return { ...s, value: fuseExpr(s.value) };
    case 'expr':
      return { ...s, value: fuseExpr(s.value) };
    case 'assign':
      return { ...s, targets: s.targets.map(fuseExpr), value: fuseExpr(s.value) };
    case 'annassign':
      return { ...s, target: fuseExpr(s.target), value: s.value && fuseExpr(s.value) };
    case 'if':
    case 'while':
      return { ...s, test: fuseExpr(s.test), body: fuseBlock(s.body), orelse: fuseBlock(s.orelse) };
    case 'for':
      return { ...s, target: fuseExpr(s.target), iter: fuseExpr(s.iter), body: fuseBlock(s.body), orelse: fuseBlock(s.orelse) };
    case 'return':
      return { ...s, value: s.value && fuseExpr(s.value) };
    case 'def':
      return { ...s, params: s.params.map((p) => ({ ...p, default: p.default && fuseExpr(p.default) })), body: fuseBlock(s.body), decorators: s.decorators.map(fuseExpr) };
    case 'class':
      return { ...s, bases: s.bases.map(fuseExpr), keywords: s.keywords.map((k) => ({ ...k, value: fuseExpr(k.value) })), body: fuseBlock(s.body), decorators: s.decorators.map(fuseExpr) };
    case 'with':
      return { ...s, items: s.items.map((i) => ({ expr: fuseExpr(i.expr), target: i.target && fuseExpr(i.target) })), body: fuseBlock(s.body) };
    case 'del':
      return { ...s, targets: s.targets.map(fuseExpr) };
    case 'assert':
      return { ...s, test: fuseExpr(s.test), msg: s.msg && fuseExpr(s.msg) };
    case 'raise':
      return { ...s, exc: s.exc && fuseExpr(s.exc), cause: s.cause && fuseExpr(s.cause) };
    case 'try':
      return {
        ...s,
        body: fuseBlock(s.body),
        handlers: s.handlers.map((h): ExceptHandler => ({ ...h, type: h.type && fuseExpr(h.type), body: fuseBlock(h.body) })),
        orelse: fuseBlock(s.orelse),
        finalbody: fuseBlock(s.finalbody),
      };
    default:
      return s;
  }
}

const isTwo = (x: Expr): boolean => x.k === 'const' && (x.value === 2n || x.value === 2);

function fuseExpr(e: Expr): Expr {
  switch (e.k) {
    case 'binop':
      if (e.op === '+' && e.left.k === 'binop' && e.left.op === '*' && (e.right.k === 'name' || e.right.k === 'const')) {
        return { k: 'fusedMulAdd', line: e.line, left: fuseExpr(e.left.left), right: fuseExpr(e.left.right), addend: e.right };
      }
      return { ...e, left: fuseExpr(e.left), right: fuseExpr(e.right) };
    case 'call': {
      const squared = squaredErrorMean(e);
      if (squared) return squared;
      return { ...e, func: fuseExpr(e.func), args: e.args.map(fuseExpr), keywords: e.keywords.map((k) => ({ ...k, value: fuseExpr(k.value) })) };
    }
    case 'fstring':
      return { ...e, parts: e.parts.map(fuseFStringPart) };
    case 'list':
    case 'tuple':
    case 'set':
      return { ...e, elts: e.elts.map(fuseExpr) };
    case 'dict':
      return { ...e, keys: e.keys.map((k) => k && fuseExpr(k)), values: e.values.map(fuseExpr) };
    case 'unary':
      return { ...e, operand: fuseExpr(e.operand) };
    case 'boolop':
      return { ...e, values: e.values.map(fuseExpr) };
    case 'compare':
      return { ...e, left: fuseExpr(e.left), comparators: e.comparators.map(fuseExpr) };
    case 'attr':
      return { ...e, value: fuseExpr(e.value) };
    case 'subscript':
      return { ...e, value: fuseExpr(e.value), index: fuseExpr(e.index) };
    case 'slice':
      return { ...e, lower: e.lower && fuseExpr(e.lower), upper: e.upper && fuseExpr(e.upper), step: e.step && fuseExpr(e.step) };
    case 'ifexp':
      return { ...e, test: fuseExpr(e.test), body: fuseExpr(e.body), orelse: fuseExpr(e.orelse) };
    case 'lambda':
      return { ...e, params: e.params.map((p) => ({ ...p, default: p.default && fuseExpr(p.default) })), body: fuseExpr(e.body) };
    case 'comp':
      return {
        ...e,
        elt: fuseExpr(e.elt),
        value: e.value && fuseExpr(e.value),
        generators: e.generators.map((g) => ({ target: fuseExpr(g.target), iter: fuseExpr(g.iter), ifs: g.ifs.map(fuseExpr) })),
      };
    case 'starred':
      return { ...e, value: fuseExpr(e.value) };
    default:
      return e;
  }
}

function fuseFStringPart(p: FStringPart): FStringPart {
  if (typeof p === 'string') return p;
  return { ...p, expr: fuseExpr(p.expr), spec: p.spec && p.spec.map(fuseFStringPart) };
}

/** `(a - b).pow(2).mean()` or `((a - b) ** 2).mean()` (2 or 2.0) as a fused node; else null. */
function squaredErrorMean(e: Extract<Expr, { k: 'call' }>): Expr | null {
  if (e.args.length !== 0 || e.keywords.length !== 0 || e.func.k !== 'attr' || e.func.attr !== 'mean') return null;
  const squared = e.func.value;
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
  if (exponent.k !== 'const' || !isTwo(exponent) || difference.k !== 'binop' || difference.op !== '-') return null;
  return {
    k: 'fusedSquaredErrorMean',
    line: e.line,
    left: fuseExpr(difference.left),
    right: fuseExpr(difference.right),
    exponent: exponent.value as bigint | number,
    spelledPow,
  };
}

const EPOCH_STATEMENTS = 6;
const STEP_STATEMENTS = 4;

const nameOf = (e: Expr): string | null => (e.k === 'name' ? e.id : null);

/** `<value>.<attr>()` with no arguments: its value, else null. */
function calledWithoutArgs(e: Expr, attr: string): Expr | null {
  return e.k === 'call' && e.args.length === 0 && e.keywords.length === 0 && e.func.k === 'attr' && e.func.attr === attr ? e.func.value : null;
}

/** `<v>.grad.zero_()` as a statement: v's name, else null. */
function zeroedGradOf(s: Stmt): string | null {
  if (s.k !== 'expr') return null;
  const grad = calledWithoutArgs(s.value, 'zero_');
  return grad !== null && grad.k === 'attr' && grad.attr === 'grad' ? nameOf(grad.value) : null;
}

/** `v -= lr * v.grad` (lr a name or a number): [v, lr], else null. */
function gradientStep(s: Stmt): [string, Expr] | null {
  if (s.k !== 'augassign' || s.op !== '-' || s.target.k !== 'name' || s.value.k !== 'binop' || s.value.op !== '*') return null;
  const { left: lr, right: grad } = s.value;
  if (lr.k !== 'name' && !(lr.k === 'const' && (typeof lr.value === 'number' || typeof lr.value === 'bigint'))) return null;
  if (grad.k !== 'attr' || grad.attr !== 'grad' || nameOf(grad.value) !== s.target.id) return null;
  return [s.target.id, lr];
}

/** The epoch's last four statements starting at stmts[i] (loss.backward(), both updates, both zero_()): their names, else null. */
function stepParts(stmts: Stmt[], i: number): { loss: string; w: string; b: string; torch: string; lr: Expr; lrName: string | null } | null {
  if (i + STEP_STATEMENTS > stmts.length) return null;
  const [backward, update, zeroW, zeroB] = stmts.slice(i, i + STEP_STATEMENTS);
  // loss.backward()
  const backwardOf = backward.k === 'expr' ? calledWithoutArgs(backward.value, 'backward') : null;
  const loss = backwardOf === null ? null : nameOf(backwardOf);
  if (loss === null) return null;
  // with torch.no_grad(): w -= lr * w.grad; b -= lr * b.grad
  if (update.k !== 'with' || update.items.length !== 1 || update.items[0].target !== null || update.body.length !== 2) return null;
  const noGrad = calledWithoutArgs(update.items[0].expr, 'no_grad');
  const torch = noGrad === null ? null : nameOf(noGrad);
  const stepW = gradientStep(update.body[0]);
  const stepB = gradientStep(update.body[1]);
  if (torch === null || stepW === null || stepB === null) return null;
  const [w, lrW] = stepW;
  const [b, lrB] = stepB;
  const lrName = nameOf(lrW);
  const sameLr = lrName !== null ? nameOf(lrB) === lrName : lrW.k === 'const' && lrB.k === 'const' && lrW.value === lrB.value;
  if (!sameLr || w === b) return null;
  // w.grad.zero_(); b.grad.zero_()
  if (zeroedGradOf(zeroW) !== w || zeroedGradOf(zeroB) !== b) return null;
  return { loss, w, b, torch, lr: lrW, lrName };
}

/**
 * The epoch's last four statements as one fusedStep (they keep their written form as its
 * fallback), for a loop that computes y_hat and loss itself, e.g. with a print in between.
 */
function trainingStep(stmts: Stmt[], i: number): Stmt | null {
  const parts = stepParts(stmts, i);
  if (parts === null) return null;
  const { loss, w, b, torch, lr } = parts;
  return { k: 'fusedStep', line: stmts[i].line, loss, w, b, torch, lr, original: stmts.slice(i, i + STEP_STATEMENTS).map(fuseStmt) };
}

/** The lesson loop's epoch (see the top of this file) starting at stmts[i], else null. */
function trainingEpoch(stmts: Stmt[], i: number): Stmt | null {
  if (i + EPOCH_STATEMENTS > stmts.length) return null;
  const [forward, lossStmt] = stmts.slice(i, i + 2);
  // y_hat = w * x + b
  if (forward.k !== 'assign' || forward.targets.length !== 1 || forward.value.k !== 'binop' || forward.value.op !== '+') return null;
  const yHat = nameOf(forward.targets[0]);
  const product = forward.value.left;
  const b = nameOf(forward.value.right);
  if (yHat === null || b === null || product.k !== 'binop' || product.op !== '*') return null;
  const w = nameOf(product.left);
  const x = nameOf(product.right);
  // loss = (y_hat - y).pow(2).mean()
  if (lossStmt.k !== 'assign' || lossStmt.targets.length !== 1 || lossStmt.value.k !== 'call') return null;
  const loss = nameOf(lossStmt.targets[0]);
  const mse = squaredErrorMean(lossStmt.value);
  if (loss === null || mse === null || mse.k !== 'fusedSquaredErrorMean' || nameOf(mse.left) !== yHat) return null;
  const y = nameOf(mse.right);
  // loss.backward(), the updates of w and b under torch.no_grad(), w.grad.zero_(), b.grad.zero_()
  const step = stepParts(stmts, i + 2);
  if (step === null || step.loss !== loss || step.w !== w || step.b !== b) return null;
  const { torch, lr, lrName } = step;
  // the statements bind y_hat and loss: nothing else they read may be one of those names
  if (w === null || x === null || y === null || w === b) return null;
  const read = [w, x, b, y, torch, lrName];
  if (yHat === loss || read.includes(yHat) || read.includes(loss)) return null;
  return {
    k: 'fusedEpoch',
    line: forward.line,
    yHat,
    loss,
    w,
    x,
    b,
    y,
    torch,
    lr,
    // as written, but the last four statements as one step when they can be
    original: [fuseStmt(forward), fuseStmt(lossStmt), trainingStep(stmts, i + 2)!],
    reuse: false,
  };
}

// ---------- which epochs may write over their previous y_hat and loss ----------
//
// A fused epoch makes y_hat and loss (two tensors and the three graph nodes behind them) and
// binds them to two names, dropping the previous epoch's. When nothing else in the program can
// ever hold one of those objects, the previous epoch's are unreachable the moment the names are
// rebound, so the next epoch may write into them instead of making new ones (engine:
// linearRegressionEpoch's `reuse`; at runtime it also checks that the names still hold exactly
// what the epoch left and that the objects are unchanged). A reference can only be taken by
// reading one of the names, so the program (every scope: a same-named variable anywhere counts)
// may read them only where the value cannot be kept: `.item()`, `.backward()`, `.tolist()`,
// `.size()`/`.dim()`/`.numel()`, `.shape`/`.dtype`/`._version`/..., an argument of print/str/repr/float/int/
// len/format, an f-string field. Anything else (another operator, `.grad_fn`, a view, a
// container, a call of a user function, `id()`), a rebinding of those builtins, or access to
// namespaces by name (globals(), vars(), getattr, __dict__, sys, ...) keeps every epoch fresh.

const NON_KEEPING_METHODS = new Set(['item', 'backward', 'tolist', 'size', 'dim', 'numel', 'nelement', 'is_contiguous']);
const NON_KEEPING_ATTRIBUTES = new Set(['shape', 'dtype', 'requires_grad', 'is_leaf', 'ndim', 'device', '_version']);
const NON_KEEPING_BUILTINS = new Set(['print', 'str', 'repr', 'float', 'int', 'len', 'format']);
/** Names that reach variables without naming them, or replace builtins. */
const NAMESPACE_ACCESS = new Set(['globals', 'locals', 'vars', 'eval', 'exec', 'compile', '__import__', 'getattr', 'setattr', 'delattr', 'dir', '__builtins__', 'breakpoint']);
const NAMESPACE_ATTRIBUTES = new Set(['__dict__', '__globals__', '__closure__', '__builtins__', 'f_locals', 'f_globals', 'tb_frame', 'gi_frame']);
const NAMESPACE_MODULES = new Set(['sys', 'builtins', 'inspect', 'gc', '__main__']);

function markReusableEpochs(stmts: Stmt[], program: Stmt[]): void {
  for (const s of stmts) {
    if (s.k === 'fusedEpoch') s.reuse = !programMayKeep(program, new Set([s.yHat, s.loss]));
    else for (const child of childStatementLists(s)) markReusableEpochs(child, program);
  }
}

function childStatementLists(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if':
    case 'while':
    case 'for':
      return [s.body, s.orelse];
    case 'def':
    case 'class':
    case 'with':
      return [s.body];
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    default:
      return [];
  }
}

/** Whether the program may keep a value of one of `names` (see above), or rebinds a builtin that must not keep it. */
function programMayKeep(program: Stmt[], names: ReadonlySet<string>): boolean {
  let keeps = false;
  const bind = (name: string): void => {
    if (NON_KEEPING_BUILTINS.has(name) || NAMESPACE_ACCESS.has(name)) keeps = true;
  };
  const target = (e: Expr): void => {
    if (e.k === 'name') bind(e.id);
    else if (e.k === 'tuple' || e.k === 'list') e.elts.forEach(target);
    else if (e.k === 'starred') target(e.value);
    else expr(e, null, null);
  };
  /** e read where its value goes to `parent` (the node it is a field of) and `grandparent`. */
  const expr = (e: Expr, parent: Expr | null, grandparent: Expr | null): void => {
    if (keeps) return;
    switch (e.k) {
      case 'name':
        if (NAMESPACE_ACCESS.has(e.id)) keeps = true;
        else if (names.has(e.id) && !readsWithoutKeeping(parent, grandparent, e)) keeps = true;
        return;
      case 'attr':
        if (NAMESPACE_ATTRIBUTES.has(e.attr)) keeps = true;
        expr(e.value, e, parent);
        return;
      case 'call':
        expr(e.func, e, parent);
        for (const a of e.args) expr(a, e, parent);
        for (const k of e.keywords) expr(k.value, null, null);
        return;
      case 'fstring':
        for (const part of e.parts) fstringPart(part);
        return;
      case 'lambda':
        for (const p of e.params) {
          bind(p.name);
          if (p.default) expr(p.default, null, null);
        }
        expr(e.body, null, null);
        return;
      case 'namedexpr':
        bind(e.target);
        expr(e.value, e, parent);
        return;
      case 'comp':
        for (const g of e.generators) {
          target(g.target);
          expr(g.iter, null, null);
          for (const test of g.ifs) expr(test, null, null);
        }
        expr(e.elt, null, null);
        if (e.value) expr(e.value, null, null);
        return;
      default:
        for (const child of childExpressions(e)) expr(child, e, parent);
    }
  };
  const fstringPart = (p: FStringPart): void => {
    if (typeof p === 'string') return;
    // formatting a tensor makes a string
    if (p.expr.k === 'name' && names.has(p.expr.id)) {
      if (NAMESPACE_ACCESS.has(p.expr.id)) keeps = true;
    } else expr(p.expr, null, null);
    if (p.spec) p.spec.forEach(fstringPart);
  };
  const stmt = (s: Stmt): void => {
    if (keeps) return;
    switch (s.k) {
      case 'fusedEpoch':
        // reads its names only as the epoch; its fallback statements make y_hat and loss anew
        return;
      case 'fusedScaledUpdate':
        // `loss -= lr * g` changes the object in place
        if (names.has(s.target)) keeps = true;
        bind(s.target);
        break;
      case 'assign':
        s.targets.forEach(target);
        expr(s.value, null, null);
        return;
      case 'augassign':
        // `y_hat += 1` changes the object in place
        expr(s.target, null, null);
        expr(s.value, null, null);
        return;
      case 'annassign':
        target(s.target);
        if (s.value) expr(s.value, null, null);
        return;
      case 'del':
        s.targets.forEach(target);
        return;
      case 'for':
        target(s.target);
        expr(s.iter, null, null);
        break;
      case 'with':
        for (const item of s.items) {
          expr(item.expr, null, null);
          if (item.target) target(item.target);
        }
        break;
      case 'def':
        bind(s.name);
        for (const p of s.params) {
          bind(p.name);
          if (p.default) expr(p.default, null, null);
        }
        s.decorators.forEach((d) => expr(d, null, null));
        break;
      case 'class':
        bind(s.name);
        s.bases.forEach((b) => expr(b, null, null));
        s.keywords.forEach((k) => expr(k.value, null, null));
        s.decorators.forEach((d) => expr(d, null, null));
        break;
      case 'import':
      case 'importfrom':
        for (const n of s.names) {
          if (NAMESPACE_MODULES.has(n.name.split('.')[0]) || (s.k === 'importfrom' && NAMESPACE_MODULES.has(s.module.split('.')[0]))) keeps = true;
          bind(n.asname ?? n.name.split('.')[0]);
        }
        return;
      case 'try':
        for (const h of s.handlers) {
          if (h.type) expr(h.type, null, null);
          if (h.name !== null) bind(h.name);
        }
        break;
      case 'expr':
      case 'if':
      case 'while':
      case 'return':
      case 'assert':
      case 'raise':
        break;
      default:
        break;
    }
    for (const e of statementExpressions(s)) expr(e, null, null);
    for (const body of childStatementLists(s)) body.forEach(stmt);
  };
  program.forEach(stmt);
  return keeps;
}

/** A read of a name whose value goes into `parent` (inside `grandparent`) and cannot be kept there. */
function readsWithoutKeeping(parent: Expr | null, grandparent: Expr | null, read: Expr): boolean {
  if (parent === null) return false;
  if (parent.k === 'attr') {
    if (NON_KEEPING_ATTRIBUTES.has(parent.attr)) return grandparent === null || grandparent.k !== 'call' || grandparent.func !== parent;
    return NON_KEEPING_METHODS.has(parent.attr) && grandparent !== null && grandparent.k === 'call' && grandparent.func === parent;
  }
  return parent.k === 'call' && parent.func !== read && parent.func.k === 'name' && NON_KEEPING_BUILTINS.has(parent.func.id) && parent.args.includes(read);
}

/** The expressions a statement evaluates itself (not its targets or nested statements; see programMayKeep). */
function statementExpressions(s: Stmt): Expr[] {
  switch (s.k) {
    case 'expr':
      return [s.value];
    case 'if':
    case 'while':
      return [s.test];
    case 'return':
      return s.value ? [s.value] : [];
    case 'assert':
      return s.msg ? [s.test, s.msg] : [s.test];
    case 'raise':
      return [s.exc, s.cause].filter((e): e is Expr => e !== null);
    case 'fusedScaledUpdate':
      return [s.left, s.right];
    case 'yield':
      return s.value ? [s.value] : [];
    case 'assign':
    case 'augassign':
    case 'annassign':
    case 'for':
    case 'with':
    case 'def':
    case 'class':
    case 'import':
    case 'importfrom':
    case 'del':
    case 'try':
    case 'break':
    case 'continue':
    case 'pass':
    case 'global':
    case 'nonlocal':
    case 'fusedEpoch':
    case 'fusedStep':
      // read in programMayKeep's own cases, or nothing
      return [];
    default:
      // a new kind of statement must say here what it reads (a read missed here could be kept)
      return s satisfies never;
  }
}

/** The sub-expressions of e that the generic walk visits (names, attributes, calls, f-strings, lambdas and comprehensions are handled before). */
function childExpressions(e: Expr): Expr[] {
  switch (e.k) {
    case 'list':
    case 'tuple':
    case 'set':
      return e.elts;
    case 'dict':
      return [...e.keys.filter((k): k is Expr => k !== null), ...e.values];
    case 'binop':
    case 'fusedSquaredErrorMean':
      return [e.left, e.right];
    case 'fusedMulAdd':
      return [e.left, e.right, e.addend];
    case 'unary':
      return [e.operand];
    case 'boolop':
      return e.values;
    case 'compare':
      return [e.left, ...e.comparators];
    case 'subscript':
      return [e.value, e.index];
    case 'slice':
      return [e.lower, e.upper, e.step].filter((x): x is Expr => x !== null);
    case 'ifexp':
      return [e.test, e.body, e.orelse];
    case 'starred':
      return [e.value];
    case 'const':
    case 'ellipsis':
    case 'name':
    case 'attr':
    case 'call':
    case 'fstring':
    case 'lambda':
    case 'comp':
    case 'namedexpr':
      return [];
    default:
      // a new kind of expression must say here what it reads (a read missed here could be kept)
      return e satisfies never;
  }
}

// ---------- running fused nodes ----------

const NO_ARGS: Value[] = [];

/**
 * `a * b + c` with c a name or constant: reading c before multiplying is unobservable when the
 * product cannot fail (c has no side effects), which the kernel's candidate check guarantees.
 */
export function compileMulAdd(cx: Context, left: ExprFn, right: ExprFn, addend: ExprFn): ExprFn {
  return (f) => {
    const a = left(f);
    const b = right(f);
    const kernels = nativeOf(cx, a)?.fused;
    if (kernels !== undefined && kernels.mulAddCandidate(a as object, b)) {
      const c = addend(f);
      const fused = kernels.mulAdd(a as object, b, c);
      return fused !== undefined ? fused : binaryOp(cx, '+', binaryOp(cx, '*', a, b), c);
    }
    let p: Value;
    if (typeof a === 'number' && typeof b === 'number') p = a * b;
    else p = typeof a === 'bigint' && typeof b === 'bigint' ? a * b : binaryOp(cx, '*', a, b);
    const c = addend(f);
    if (typeof p === 'number' && typeof c === 'number') return p + c;
    return typeof p === 'bigint' && typeof c === 'bigint' ? p + c : binaryOp(cx, '+', p, c);
  };
}

/**
 * `(a - b).pow(2).mean()` / `((a - b) ** 2).mean()`: once a and b are evaluated nothing else in
 * the expression can have side effects, so the fallback runs the three steps on the same values.
 */
export function compileSquaredErrorMean(cx: Context, left: ExprFn, right: ExprFn, exponent: Value, spelledPow: boolean): ExprFn {
  const exponentArgs = [exponent];
  return (f) => {
    const a = left(f);
    const b = right(f);
    const kernels = nativeOf(cx, a)?.fused;
    if (kernels !== undefined) {
      const fused = kernels.squaredErrorMean(a as object, b);
      if (fused !== undefined) return fused;
    }
    const difference = binaryOp(cx, '-', a, b);
    const squared = spelledPow ? callMethod(cx, difference, 'pow', exponentArgs, null) : binaryOp(cx, '**', difference, exponent);
    return callMethod(cx, squared, 'mean', NO_ARGS, null);
  };
}

/** `x -= a * b` / `x += a * b` (the update `w -= lr * w.grad`): in place in one pass when x's type can. */
export function compileScaledUpdate(
  cx: Context,
  op: '+' | '-',
  load: ExprFn,
  store: (f: Frame, v: Value) => void,
  left: ExprFn,
  right: ExprFn,
): StmtFn {
  return (f) => {
    const x = load(f);
    const l = left(f);
    const r = right(f);
    const kernels = nativeOf(cx, x)?.fused;
    if (kernels !== undefined) {
      let fused: Value | undefined;
      if (nativeOf(cx, l)?.fused === kernels) fused = kernels.addScaledInPlace(x as object, op, l as object, r);
      else if (nativeOf(cx, r)?.fused === kernels) fused = kernels.addScaledInPlace(x as object, op, r as object, l);
      if (fused !== undefined) {
        store(f, fused);
        return NORMAL;
      }
    }
    const product = typeof l === 'number' && typeof r === 'number' ? l * r : binaryOp(cx, '*', l, r);
    store(f, augmentedOp(cx, op, x, product));
    return NORMAL;
  };
}

/** Whether fused epochs write over their previous outputs when the pass allows it (see compileEpoch). */
const REUSE_ENABLED = false;

/** What the fused epoch reads: the names of the six statements (lr may be a constant). */
export interface EpochOperands {
  w: ExprFn;
  x: ExprFn;
  b: ExprFn;
  y: ExprFn;
  torch: ExprFn;
  lr: ExprFn;
}

/** What the fused step reads: the loss, w, b, torch and the learning rate (a name or a number). */
export interface StepOperands {
  loss: ExprFn;
  w: ExprFn;
  b: ExprFn;
  torch: ExprFn;
  lr: ExprFn;
}

/**
 * The epoch's last four statements as one step when loss's type has the kernel and it accepts
 * them (the graph is the one the epoch's first two statements record); otherwise, and when a name
 * is not bound yet, the four statements run as written.
 */
export function compileStep(cx: Context, read: StepOperands, asWritten: StmtFn): StmtFn {
  return (f) => {
    let loss: Value, w: Value, b: Value, lr: Value, torch: Value;
    try {
      loss = read.loss(f);
      w = read.w(f);
      b = read.b(f);
      lr = read.lr(f);
      torch = read.torch(f);
    } catch (e) {
      if (e instanceof PyException) return asWritten(f);
      throw e;
    }
    const kernels = nativeOf(cx, loss)?.fused;
    if (kernels !== undefined && isTorchModule(torch) && kernels.linearRegressionStep(loss as object, w, b, lr)) return NORMAL;
    return asWritten(f);
  };
}

/** The torch module with its own no_grad (so `with torch.no_grad():` means what it says). */
function isTorchModule(v: Value): boolean {
  if (!(v instanceof PyModule) || v.name !== 'torch' || v.assigned) return false;
  const noGrad = v.attrs.get('no_grad');
  return noGrad instanceof Builtin && noGrad.name === 'no_grad';
}

/**
 * The six statements of an epoch as one step when the operands' type has the kernel and it
 * accepts them (fusion.ts's trainingEpoch); otherwise, and when a name is not bound yet (reading
 * names has no side effects), the six statements run as written.
 */
export function compileEpoch(
  cx: Context,
  read: EpochOperands,
  storeYHat: (f: Frame, v: Value) => void,
  storeLoss: (f: Frame, v: Value) => void,
  asWritten: StmtFn,
  bound: { yHat: ExprFn; loss: ExprFn } | null,
): StmtFn {
  // what this statement's last fused epoch returned (see markReusableEpochs)
  let last: EpochOutputs | null = null;
  /** `last`, when y_hat and loss still hold exactly it: nothing else can (fusion pass), so the epoch may write over it. */
  const reusable = (f: Frame): EpochOutputs | null => {
    if (bound === null || last === null) return null;
    try {
      return bound.yHat(f) === last.yHat && bound.loss(f) === last.loss ? last : null;
    } catch (e) {
      if (e instanceof PyException) return null;
      throw e;
    }
  };
  return (f) => {
    let w: Value, x: Value, b: Value, y: Value, lr: Value, torch: Value;
    try {
      w = read.w(f);
      x = read.x(f);
      b = read.b(f);
      y = read.y(f);
      lr = read.lr(f);
      torch = read.torch(f);
    } catch (e) {
      if (e instanceof PyException) return asWritten(f);
      throw e;
    }
    const kernels = nativeOf(cx, w)?.fused;
    // Writing over the previous epoch is proven safe but measured 10x slower at 2 values (15.6
    // against 1.4 µs of CPU per epoch, cause not found yet): off until it is understood.
    const result = kernels !== undefined && isTorchModule(torch) ? kernels.linearRegressionEpoch(w as object, x, b, y, lr, REUSE_ENABLED ? reusable(f) : null) : undefined;
    last = result ?? null;
    if (result === undefined) return asWritten(f);
    storeYHat(f, result.yHat);
    storeLoss(f, result.loss);
    return NORMAL;
  };
}
