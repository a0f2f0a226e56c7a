// Compile-time scopes: which names a function assigns (its local slots), global / nonlocal
// declarations, and how a name resolves (local slot, enclosing function's slot, module cell).
import type { Expr, Stmt } from '../ast';
import type { Cell } from '../runtime';

export type Resolved =
  | { kind: 'local'; slot: number }
  | { kind: 'free'; depth: number; slot: number }
  | { kind: 'global'; cell: Cell };

export class Scope {
  readonly locals = new Map<string, number>();
  readonly declaredGlobal = new Set<string>();
  readonly declaredNonlocal = new Set<string>();
  /** A comprehension's scope: `name := value` inside binds in the enclosing scope, as in Python. */
  comprehension = false;
  constructor(
    /** A class body keeps its names in a namespace (no slots); nested functions skip it when resolving names. */
    readonly kind: 'module' | 'function' | 'class',
    readonly parent: Scope | null,
    /** What qualnames of definitions inside start with: '', 'f.<locals>.', 'C.'. */
    readonly qualPrefix = '',
  ) {}

  /** The nearest enclosing scope that is not a class body (class scopes are invisible to nested code). */
  get enclosing(): Scope | null {
    let s = this.parent;
    while (s !== null && s.kind === 'class') s = s.parent;
    return s;
  }
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
export function collectAssigned(body: Stmt[], scope: Scope): void {
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
        case 'class':
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
        case 'fusedScaledUpdate':
          addTarget({ k: 'name', line: s.line, id: s.target });
          break;
        case 'fusedEpoch':
        case 'fusedStep':
          visit(s.original);
          break;
      }
    }
  };
  visit(body);
  collectNamedExprTargets(body, scope);
}

/** `name := value` anywhere in a body's expressions (comprehensions included) makes name a local. */
function collectNamedExprTargets(node: unknown, scope: Scope): void {
  if (Array.isArray(node)) {
    for (const x of node) collectNamedExprTargets(x, scope);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const k = (node as { k?: unknown }).k;
  if (k === 'lambda' || k === 'def' || k === 'class') return; // their own scopes
  if (k === 'namedexpr') {
    const target = (node as { target: string }).target;
    if (!scope.declaredGlobal.has(target) && !scope.declaredNonlocal.has(target)) scope.slot(target);
  }
  for (const v of Object.values(node)) if (typeof v === 'object') collectNamedExprTargets(v, scope);
}
