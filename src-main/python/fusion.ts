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
// A fused node evaluates its operands exactly as the written code does, then asks the operand's
// native type for a one-pass kernel (NativeType.fused: the engine computes the same values and
// graph as the separate operators); when there is none, or it declines, the written operators
// run on the same operand values. So fusion changes speed only: tests/unit/python/fusion.test.ts
// runs every fixture and lesson cell both ways and compares the output.
import type { ExceptHandler, Expr, FStringPart, Stmt } from './ast';
import { callMethod } from './attributes';
import type { Context, Value } from './context';
import { PyException } from './errors';
import { augmentedOp, binaryOp, nativeOf } from './ops';
import { NORMAL, type ExprFn, type Frame, type StmtFn } from './runtime';
import { Builtin, PyModule } from './values';

// ---------- the pass ----------

/** The program with every fusable shape rewritten (a new tree; the input is not changed). */
export function fuseProgram(program: Stmt[]): Stmt[] {
  return fuseBlock(program);
}

function fuseBlock(stmts: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const epoch = trainingEpoch(stmts, i);
    if (epoch !== null) {
      out.push(epoch);
      i += EPOCH_STATEMENTS - 1;
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

/** The lesson loop's epoch (see the top of this file) starting at stmts[i], else null. */
function trainingEpoch(stmts: Stmt[], i: number): Stmt | null {
  if (i + EPOCH_STATEMENTS > stmts.length) return null;
  const [forward, lossStmt, backward, update, zeroW, zeroB] = stmts.slice(i, i + EPOCH_STATEMENTS);
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
  // loss.backward()
  const backwardOf = backward.k === 'expr' ? calledWithoutArgs(backward.value, 'backward') : null;
  if (backwardOf === null || nameOf(backwardOf) !== loss) return null;
  // with torch.no_grad(): w -= lr * w.grad; b -= lr * b.grad
  if (update.k !== 'with' || update.items.length !== 1 || update.items[0].target !== null || update.body.length !== 2) return null;
  const noGrad = calledWithoutArgs(update.items[0].expr, 'no_grad');
  const torch = noGrad === null ? null : nameOf(noGrad);
  const stepW = gradientStep(update.body[0]);
  const stepB = gradientStep(update.body[1]);
  if (torch === null || stepW === null || stepB === null || stepW[0] !== w || stepB[0] !== b) return null;
  const [lrW, lrB] = [stepW[1], stepB[1]];
  const lrName = nameOf(lrW);
  const sameLr = lrName !== null ? nameOf(lrB) === lrName : lrW.k === 'const' && lrB.k === 'const' && lrW.value === lrB.value;
  if (!sameLr) return null;
  // w.grad.zero_(); b.grad.zero_()
  if (zeroedGradOf(zeroW) !== w || zeroedGradOf(zeroB) !== b) return null;
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
    lr: lrW,
    original: stmts.slice(i, i + EPOCH_STATEMENTS).map(fuseStmt),
  };
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

/** What the fused epoch reads: the names of the six statements (lr may be a constant). */
export interface EpochOperands {
  w: ExprFn;
  x: ExprFn;
  b: ExprFn;
  y: ExprFn;
  torch: ExprFn;
  lr: ExprFn;
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
): StmtFn {
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
    const result = kernels !== undefined && isTorchModule(torch) ? kernels.linearRegressionEpoch(w as object, x, b, y, lr) : undefined;
    if (result === undefined) return asWritten(f);
    storeYHat(f, result[0]);
    storeLoss(f, result[1]);
    return NORMAL;
  };
}
