// Expressions, following CPython's grammar and precedence: assignment targets, named expressions,
// boolean and comparison operators, arithmetic, calls, subscripts, atoms, comprehensions, string
// literals and f-strings.
import type { Comprehension, Expr, FStringPart, Keyword, Param } from '../ast';
import { PyException } from '../errors';
import { PyBytes } from '../values';
import { syntaxError, tokenize, type Token } from '../tokenizer';
import { parseFString } from './fstring';
import { AUG_OPS, KEYWORDS, TokenCursor } from './tokens';

const COMPARE_OPS = new Set(['<', '>', '==', '>=', '<=', '!=']);

export class ExpressionParser extends TokenCursor {
  protected paramList(end: string): Param[] {
    const params: Param[] = [];
    let kwOnly = false;
    let sawDefault = false;
    while (!this.isOp(end)) {
      if (this.eatOp('*')) {
        if (this.isOp(',') || this.isOp(end)) kwOnly = true;
        else {
          params.push({ name: this.expectName(), default: null, kind: 'varargs' });
          if (end === ')' && this.eatOp(':')) this.expression();
          kwOnly = true;
        }
      } else if (this.eatOp('**')) {
        params.push({ name: this.expectName(), default: null, kind: 'kwargs' });
        if (end === ')' && this.eatOp(':')) this.expression();
      } else if (this.eatOp('/')) {
        // positional-only marker: accepted, treated like normal parameters
      } else {
        const line = this.tok.line;
        const name = this.expectName();
        if (end === ')' && this.eatOp(':')) this.expression();
        let def: Expr | null = null;
        if (this.eatOp('=')) {
          def = this.expression();
          sawDefault = true;
        } else if (sawDefault && !kwOnly) {
          throw syntaxError('non-default argument follows default argument', line);
        }
        if (params.some((p) => p.name === name)) {
          throw syntaxError(`duplicate argument '${name}' in function definition`, line);
        }
        params.push({ name, default: def, kind: kwOnly ? 'kwonly' : 'normal' });
      }
      if (!this.eatOp(',')) break;
    }
    return params;
  }

  /** Validates an assignment target; mirrors CPython's "cannot assign to ..." messages. */
  protected checkTarget(e: Expr, fromAssign = false): Expr {
    switch (e.k) {
      case 'name':
        if (e.id === '__debug__') throw syntaxError('cannot assign to __debug__', e.line);
        return e;
      case 'attr':
      case 'subscript':
        return e;
      case 'tuple':
      case 'list':
        for (const el of e.elts) this.checkTarget(el.k === 'starred' ? el.value : el, fromAssign);
        return e;
      case 'starred':
        this.checkTarget(e.value, fromAssign);
        return e;
      default: {
        const what = describeExpr(e);
        const hint = fromAssign && (e.k === 'const' || e.k === 'call' || e.k === 'binop' || e.k === 'compare' || e.k === 'fstring') ? " here. Maybe you meant '==' instead of '='?" : '';
        throw syntaxError(`cannot assign to ${what}${hint}`, e.line);
      }
    }
  }

  /** `a, b` in for-targets: stops before `in`. */
  protected targetList(): Expr {
    const line = this.tok.line;
    const first = this.targetAtom();
    if (!this.isOp(',')) return this.checkTarget(first);
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in')) break;
      elts.push(this.targetAtom());
    }
    return this.checkTarget({ k: 'tuple', line, elts });
  }
  protected targetAtom(): Expr {
    if (this.eatOp('*')) return { k: 'starred', line: this.tok.line, value: this.bitOr() };
    return this.bitOr();
  }

  /** expression list; a trailing comma or several items make a tuple. */
  protected exprListAsTuple(allowStar = false): Expr {
    const line = this.tok.line;
    const first = this.starOrNamed(allowStar);
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.atExprListEnd()) break;
      elts.push(this.starOrNamed(allowStar));
    }
    return { k: 'tuple', line, elts };
  }
  protected starOrNamed(allowStar: boolean): Expr {
    if (allowStar && this.isOp('*')) {
      const line = this.tok.line;
      this.i++;
      return { k: 'starred', line, value: this.bitOr() };
    }
    return this.namedExpr();
  }
  protected atExprListEnd(): boolean {
    const t = this.tok;
    if (t.type === 'newline' || t.type === 'eof') return true;
    if (t.type === 'op' && (t.value === '=' || t.value === ')' || t.value === ']' || t.value === '}' || t.value === ':' || t.value === ';' || AUG_OPS.has(t.value))) return true;
    return false;
  }

  protected namedExpr(): Expr {
    const e = this.expression();
    if (this.isOp(':=')) {
      if (e.k !== 'name') throw syntaxError(`cannot use assignment expressions with ${describeExpr(e)}`, this.tok.line);
      this.i++;
      return { k: 'namedexpr', line: e.line, target: e.id, value: this.expression() };
    }
    return e;
  }

  expression(): Expr {
    if (this.isKw('lambda')) {
      const line = this.tok.line;
      this.i++;
      const params = this.paramList(':');
      this.expectOp(':');
      const body = this.expression();
      return { k: 'lambda', line, params, body };
    }
    const body = this.disjunction();
    if (this.isKw('if')) {
      // A conditional expression needs `else`; otherwise this `if` belongs to a comprehension.
      const save = this.i;
      this.i++;
      const test = this.disjunction();
      if (!this.eatKw('else')) {
        if (this.isOp(']') || this.isOp(')') || this.isKw('for') || this.isOp('}')) {
          this.i = save;
          return body;
        }
        throw syntaxError("expected 'else' after 'if' expression", this.tok.line);
      }
      const orelse = this.expression();
      return { k: 'ifexp', line: body.line, test, body, orelse };
    }
    return body;
  }

  protected disjunction(): Expr {
    const first = this.conjunction();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.eatKw('or')) values.push(this.conjunction());
    return { k: 'boolop', line: first.line, op: 'or', values };
  }
  protected conjunction(): Expr {
    const first = this.inversion();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.eatKw('and')) values.push(this.inversion());
    return { k: 'boolop', line: first.line, op: 'and', values };
  }
  protected inversion(): Expr {
    if (this.isKw('not')) {
      const line = this.tok.line;
      this.i++;
      return { k: 'unary', line, op: 'not', operand: this.inversion() };
    }
    return this.comparison();
  }
  protected comparison(): Expr {
    const left = this.bitOr();
    const ops: string[] = [];
    const comparators: Expr[] = [];
    for (;;) {
      const t = this.tok;
      let op: string | null = null;
      if (t.type === 'op' && COMPARE_OPS.has(t.value)) {
        op = t.value;
        this.i++;
      } else if (t.type === 'name' && t.value === 'in') {
        op = 'in';
        this.i++;
      } else if (t.type === 'name' && t.value === 'not' && this.peek().type === 'name' && this.peek().value === 'in') {
        op = 'not in';
        this.i += 2;
      } else if (t.type === 'name' && t.value === 'is') {
        this.i++;
        op = this.eatKw('not') ? 'is not' : 'is';
      }
      if (op === null) break;
      ops.push(op);
      comparators.push(this.bitOr());
    }
    if (ops.length === 0) return left;
    return { k: 'compare', line: left.line, left, ops, comparators };
  }
  protected binLevel(next: () => Expr, ops: readonly string[]): Expr {
    let left = next();
    for (;;) {
      const t = this.tok;
      if (t.type !== 'op' || !ops.includes(t.value)) return left;
      this.i++;
      const right = next();
      left = { k: 'binop', line: left.line, op: t.value, left, right };
    }
  }
  protected bitOr = (): Expr => this.binLevel(this.bitXor, ['|']);
  protected bitXor = (): Expr => this.binLevel(this.bitAnd, ['^']);
  protected bitAnd = (): Expr => this.binLevel(this.shift, ['&']);
  protected shift = (): Expr => this.binLevel(this.arith, ['<<', '>>']);
  protected arith = (): Expr => this.binLevel(this.term, ['+', '-']);
  protected term = (): Expr => this.binLevel(this.factor, ['*', '/', '//', '%', '@']);
  protected factor = (): Expr => {
    const t = this.tok;
    if (t.type === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.i++;
      const operand = this.factor();
      // Fold negative numeric literals so `-5` is a constant (and -9223372036854775808 stays exact).
      if (t.value === '-' && operand.k === 'const' && (typeof operand.value === 'bigint' || typeof operand.value === 'number')) {
        return { k: 'const', line: t.line, value: -(operand.value as number) };
      }
      return { k: 'unary', line: t.line, op: t.value, operand };
    }
    return this.power();
  };
  protected power(): Expr {
    const base = this.primaryWithTrailers();
    if (this.isOp('**')) {
      this.i++;
      const exponent = this.factor();
      return { k: 'binop', line: base.line, op: '**', left: base, right: exponent };
    }
    return base;
  }

  protected primaryWithTrailers(): Expr {
    if (this.isKw('await')) throw new PyException('NotImplementedError', `GradLab does not support 'await' yet (line ${this.tok.line})`, this.tok.line);
    let e = this.atom();
    for (;;) {
      const t = this.tok;
      if (t.type !== 'op') return e;
      if (t.value === '.') {
        this.i++;
        const attrTok = this.tok;
        if (attrTok.type !== 'name') this.fail();
        this.i++;
        e = { k: 'attr', line: t.line, value: e, attr: attrTok.value };
      } else if (t.value === '(') {
        this.i++;
        e = this.callArgs(e, t.line);
      } else if (t.value === '[') {
        this.i++;
        const index = this.subscriptList();
        this.expectOp(']');
        e = { k: 'subscript', line: t.line, value: e, index };
      } else return e;
    }
  }

  protected callArgs(func: Expr, line: number): Expr {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    while (!this.isOp(')')) {
      if (this.isOp('*')) {
        const l = this.tok.line;
        this.i++;
        args.push({ k: 'starred', line: l, value: this.expression() });
      } else if (this.eatOp('**')) {
        keywords.push({ name: null, value: this.expression() });
      } else if (this.tok.type === 'name' && this.peek().type === 'op' && this.peek().value === '=') {
        const name = this.tok.value;
        if (KEYWORDS.has(name)) this.fail();
        this.i += 2;
        if (keywords.some((k) => k.name === name)) throw syntaxError(`keyword argument repeated: ${name}`, this.tok.line);
        keywords.push({ name, value: this.expression() });
      } else {
        if (keywords.length > 0) {
          throw syntaxError(keywords.some((k) => k.name === null) ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument', this.tok.line);
        }
        const value = this.namedExpr();
        if (this.isKw('for')) {
          args.push(this.comprehension('gen', value, null, value.line));
        } else args.push(value);
      }
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')');
    return { k: 'call', line, func, args, keywords };
  }

  protected subscriptList(): Expr {
    const line = this.tok.line;
    const first = this.subscriptItem();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.subscriptItem());
    }
    return { k: 'tuple', line, elts };
  }
  protected subscriptItem(): Expr {
    const line = this.tok.line;
    let lower: Expr | null = null;
    if (!this.isOp(':')) {
      lower = this.namedExpr();
      if (!this.isOp(':')) return lower;
    }
    this.expectOp(':');
    let upper: Expr | null = null;
    let step: Expr | null = null;
    if (!this.isOp(']') && !this.isOp(',') && !this.isOp(':')) upper = this.expression();
    if (this.eatOp(':')) {
      if (!this.isOp(']') && !this.isOp(',')) step = this.expression();
    }
    return { k: 'slice', line, lower, upper, step };
  }

  protected comprehension(kind: 'list' | 'gen' | 'set' | 'dict', elt: Expr, value: Expr | null, line: number): Expr {
    const generators: Comprehension[] = [];
    while (this.eatKw('for')) {
      const target = this.targetList();
      if (!this.eatKw('in')) this.fail();
      const iter = this.disjunction();
      const ifs: Expr[] = [];
      while (this.isKw('if')) {
        this.i++;
        ifs.push(this.disjunction());
      }
      generators.push({ target, iter, ifs });
    }
    return { k: 'comp', line, kind, elt, value, generators };
  }

  protected atom(): Expr {
    const t = this.tok;
    const line = t.line;
    switch (t.type) {
      case 'int':
      case 'float':
        this.i++;
        return { k: 'const', line, value: t.num };
      case 'string':
        return this.strings();
      case 'name': {
        if (t.value === 'True' || t.value === 'False' || t.value === 'None') {
          this.i++;
          return { k: 'const', line, value: t.value === 'None' ? null : t.value === 'True' };
        }
        if (t.value === 'yield') {
          throw new PyException('NotImplementedError', `GradLab does not support 'yield' inside an expression yet; write it as a statement of its own (line ${line})`, line);
        }
        if (KEYWORDS.has(t.value)) this.fail();
        this.i++;
        return { k: 'name', line, id: t.value };
      }
      case 'op':
        break;
      default:
        this.fail();
    }
    if (t.value === '(') {
      this.i++;
      if (this.eatOp(')')) return { k: 'tuple', line, elts: [] };
      const first = this.starOrNamed(true);
      if (this.isKw('for')) {
        const comp = this.comprehension('gen', first, null, line);
        this.expectOp(')');
        return comp;
      }
      if (!this.isOp(',')) {
        this.expectOp(')');
        return first.k === 'tuple' ? { ...first } : first;
      }
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp(')')) break;
        elts.push(this.starOrNamed(true));
      }
      this.expectOp(')');
      return { k: 'tuple', line, elts };
    }
    if (t.value === '[') {
      this.i++;
      if (this.eatOp(']')) return { k: 'list', line, elts: [] };
      const first = this.starOrNamed(true);
      if (this.isKw('for')) {
        const comp = this.comprehension('list', first, null, line);
        this.expectOp(']');
        return comp;
      }
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp(']')) break;
        elts.push(this.starOrNamed(true));
      }
      this.expectOp(']');
      return { k: 'list', line, elts };
    }
    if (t.value === '{') {
      this.i++;
      if (this.eatOp('}')) return { k: 'dict', line, keys: [], values: [] };
      const unpackFirst = this.eatOp('**');
      const first = unpackFirst ? this.bitOr() : this.starOrNamed(true);
      if (unpackFirst || this.eatOp(':')) {
        const firstValue = unpackFirst ? first : this.expression();
        if (!unpackFirst && this.isKw('for')) {
          const comp = this.comprehension('dict', first, firstValue, line);
          this.expectOp('}');
          return comp;
        }
        // `**mapping` items have a null key
        const keys: (Expr | null)[] = [unpackFirst ? null : first];
        const values = [firstValue];
        while (this.eatOp(',')) {
          if (this.isOp('}')) break;
          if (this.eatOp('**')) {
            keys.push(null);
            values.push(this.bitOr());
            continue;
          }
          keys.push(this.expression());
          this.expectOp(':');
          values.push(this.expression());
        }
        this.expectOp('}');
        return { k: 'dict', line, keys, values };
      }
      if (this.isKw('for')) {
        const comp = this.comprehension('set', first, null, line);
        this.expectOp('}');
        return comp;
      }
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp('}')) break;
        elts.push(this.starOrNamed(true));
      }
      this.expectOp('}');
      return { k: 'set', line, elts };
    }
    if (t.value === '...') {
      this.i++;
      return { k: 'ellipsis', line };
    }
    this.fail();
  }

  /** Adjacent string literals concatenate ('a' 'b', f'..' '..'). */
  protected strings(): Expr {
    const line = this.tok.line;
    const parts: FStringPart[] = [];
    let isF = false;
    let bytes = 0;
    let count = 0;
    while (this.tok.type === 'string') {
      const t = this.tok;
      this.i++;
      count++;
      if (t.prefix!.includes('b')) bytes++;
      if (bytes > 0 && bytes < count) throw syntaxError('cannot mix bytes and nonbytes literals', line);
      if (t.prefix!.includes('f')) {
        isF = true;
        parts.push(...parseFString(t.value, t.prefix!.includes('r'), t.line, parseSubExpression));
      } else parts.push(t.value);
    }
    if (bytes > 0) return { k: 'const', line, value: new PyBytes(Uint8Array.from(parts.join(''), (c) => c.charCodeAt(0))) };
    if (!isF) return { k: 'const', line, value: parts.join('') };
    // merge adjacent literal parts
    const merged: FStringPart[] = [];
    for (const p of parts) {
      if (typeof p === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += p;
      else merged.push(p);
    }
    return { k: 'fstring', line, parts: merged };
  }
}

/** How CPython's errors name an expression ('function call', 'literal', ...). */
export function describeExpr(e: Expr): string {
  switch (e.k) {
    case 'const':
      return e.value === null || typeof e.value === 'boolean' ? String(e.value === null ? 'None' : e.value ? 'True' : 'False') : 'literal';
    case 'call':
      return 'function call';
    case 'binop':
    case 'unary':
      return 'expression';
    case 'boolop':
      return 'expression';
    case 'compare':
      return 'comparison';
    case 'fstring':
      return 'f-string expression';
    case 'lambda':
      return 'lambda';
    case 'ifexp':
      return 'conditional expression';
    case 'comp':
      return e.kind === 'list' ? 'list comprehension' : e.kind === 'gen' ? 'generator expression' : e.kind === 'dict' ? 'dict comprehension' : 'set comprehension';
    case 'dict':
      return 'dict literal';
    case 'set':
      return 'set display';
    case 'tuple':
      return 'tuple';
    case 'list':
      return 'list';
    case 'subscript':
      return 'subscript';
    case 'attr':
      return 'attribute';
    case 'namedexpr':
      return 'named expression';
    default:
      return 'expression';
  }
}

/** Splits an f-string body into literal text and {expression!conversion:spec} fields. */

/** The expression of an f-string field. */
function parseSubExpression(text: string, line: number): Expr {
  let toks: Token[];
  try {
    toks = tokenize('(' + text.replace(/\n/g, ' ') + ')');
  } catch (e) {
    if (e instanceof PyException) throw syntaxError(`f-string: ${e.pyMessage}`, line);
    throw e;
  }
  for (const t of toks) t.line = line;
  try {
    const p = new ExpressionParser(toks);
    return p.expression();
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'SyntaxError') throw syntaxError(`f-string: ${e.pyMessage}`, line);
    throw e;
  }
}
