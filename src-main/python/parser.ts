// Recursive-descent parser for the supported Python subset, following CPython's grammar and
// precedence. Syntax errors use CPython 3.11's wording where learners are likely to meet them.
import type { Comprehension, ExceptHandler, Expr, FStringPart, Keyword, Param, Stmt } from './ast';
import { PyException } from './errors';
import { decodeEscapes, syntaxError, tokenize, type Token } from './tokenizer';

const COMPARE_OPS = new Set(['<', '>', '==', '>=', '<=', '!=']);
const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=', '&=', '|=', '^=', '<<=', '>>=']);
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const BLOCK_NAMES: Record<string, string> = {
  if: "'if' statement",
  elif: "'elif' statement",
  else: "'else' statement",
  while: "'while' statement",
  for: "'for' statement",
  def: 'function definition',
  with: "'with' statement",
  try: "'try' statement",
  except: "'except' statement",
  finally: "'finally' statement",
};

export function parse(source: string): Stmt[] {
  return new Parser(tokenize(source)).parseModule();
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private get tok(): Token {
    return this.toks[this.i];
  }
  private currentType(): Token['type'] {
    return this.toks[this.i].type;
  }
  private peek(offset = 1): Token {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)];
  }
  private isOp(v: string): boolean {
    const t = this.tok;
    return t.type === 'op' && t.value === v;
  }
  private isKw(v: string): boolean {
    const t = this.tok;
    return t.type === 'name' && t.value === v;
  }
  private eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private eatKw(v: string): boolean {
    if (this.isKw(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private fail(t: Token = this.tok): never {
    if (t.type === 'indent') throw syntaxError('unexpected indent', t.line, 'IndentationError');
    throw syntaxError('invalid syntax', t.line);
  }
  private expectOp(v: string): Token {
    if (!this.isOp(v)) {
      if (v === ':') throw syntaxError("expected ':'", this.tok.line);
      this.fail();
    }
    return this.toks[this.i++];
  }
  private expectName(): string {
    const t = this.tok;
    if (t.type !== 'name' || KEYWORDS.has(t.value)) this.fail();
    this.i++;
    return t.value;
  }

  parseModule(): Stmt[] {
    const body: Stmt[] = [];
    while (this.tok.type !== 'eof') {
      if (this.tok.type === 'newline') {
        this.i++;
        continue;
      }
      if (this.tok.type === 'indent') throw syntaxError('unexpected indent', this.tok.line, 'IndentationError');
      body.push(...this.statement());
    }
    return body;
  }

  private block(keyword: string, headerLine: number): Stmt[] {
    this.expectOp(':');
    if (this.tok.type !== 'newline') {
      // one-line body: `if x: y = 1`
      return this.simpleStatements();
    }
    this.i++;
    if (this.currentType() !== 'indent') {
      throw syntaxError(`expected an indented block after ${BLOCK_NAMES[keyword]} on line ${headerLine}`, this.tok.line, 'IndentationError');
    }
    this.i++;
    const body: Stmt[] = [];
    while (this.currentType() !== 'dedent' && this.currentType() !== 'eof') {
      if (this.tok.type === 'newline') {
        this.i++;
        continue;
      }
      body.push(...this.statement());
    }
    if (this.currentType() === 'dedent') this.i++;
    return body;
  }

  private statement(): Stmt[] {
    const t = this.tok;
    if (t.type === 'name') {
      switch (t.value) {
        case 'if':
          return [this.ifStatement()];
        case 'while': {
          this.i++;
          const test = this.testExpr();
          const body = this.block('while', t.line);
          const orelse = this.elseBlock();
          return [{ k: 'while', line: t.line, test, body, orelse }];
        }
        case 'for': {
          this.i++;
          const target = this.targetList();
          if (!this.eatKw('in')) this.fail();
          const iter = this.exprListAsTuple();
          const body = this.block('for', t.line);
          const orelse = this.elseBlock();
          return [{ k: 'for', line: t.line, target, iter, body, orelse }];
        }
        case 'def':
          return [this.funcDef([])];
        case 'with':
          return [this.withStatement()];
        case 'try':
          return [this.tryStatement()];
        case 'class':
          throw new PyException('NotImplementedError', `GradLab does not support 'class' statements yet (line ${t.line})`, t.line);
        case 'async':
          throw new PyException('NotImplementedError', `GradLab does not support 'async' code yet (line ${t.line})`, t.line);
        case 'match':
          if (this.peek().type === 'name' && this.peek(2).type === 'op' && this.peek(2).value === ':') {
            throw new PyException('NotImplementedError', `GradLab does not support 'match' statements yet (line ${t.line})`, t.line);
          }
          break;
      }
    } else if (t.type === 'op' && t.value === '@') {
      const decorators: Expr[] = [];
      while (this.eatOp('@')) {
        decorators.push(this.namedExpr());
        if (this.tok.type !== 'newline') this.fail();
        this.i++;
      }
      if (!this.isKw('def')) {
        if (this.isKw('class')) {
          throw new PyException('NotImplementedError', `GradLab does not support 'class' statements yet (line ${this.tok.line})`, this.tok.line);
        }
        this.fail();
      }
      return [this.funcDef(decorators)];
    }
    return this.simpleStatements();
  }

  /** The condition of if/elif/while; `if x = 5:` gets CPython's hint. */
  private testExpr(): Expr {
    const test = this.namedExpr();
    if (this.isOp('=')) throw syntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", this.tok.line);
    return test;
  }

  private elseBlock(): Stmt[] {
    if (this.isKw('else')) {
      const line = this.tok.line;
      this.i++;
      return this.block('else', line);
    }
    return [];
  }

  private ifStatement(): Stmt {
    const t = this.tok;
    this.i++;
    const test = this.testExpr();
    const body = this.block(t.value, t.line);
    const orelse: Stmt[] = this.isKw('elif') ? [this.ifStatement()] : this.elseBlock();
    return { k: 'if', line: t.line, test, body, orelse };
  }

  private funcDef(decorators: Expr[]): Stmt {
    const line = this.tok.line;
    this.i++;
    const name = this.expectName();
    this.expectOp('(');
    const params = this.paramList(')');
    this.expectOp(')');
    if (this.eatOp('->')) this.expression();
    const body = this.block('def', line);
    return { k: 'def', line, name, params, body, decorators };
  }

  private paramList(end: string): Param[] {
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

  private withStatement(): Stmt {
    const line = this.tok.line;
    this.i++;
    const items: { expr: Expr; target: Expr | null }[] = [];
    do {
      const expr = this.expression();
      let target: Expr | null = null;
      if (this.eatKw('as')) target = this.checkTarget(this.primaryWithTrailers());
      items.push({ expr, target });
    } while (this.eatOp(','));
    const body = this.block('with', line);
    return { k: 'with', line, items, body };
  }

  private tryStatement(): Stmt {
    const line = this.tok.line;
    this.i++;
    const body = this.block('try', line);
    const handlers: ExceptHandler[] = [];
    while (this.isKw('except')) {
      const hline = this.tok.line;
      this.i++;
      let type: Expr | null = null;
      let name: string | null = null;
      if (!this.isOp(':')) {
        type = this.expression();
        if (this.isOp(',')) {
          const elts = [type];
          while (this.eatOp(',')) elts.push(this.expression());
          type = { k: 'tuple', line: hline, elts };
        }
        if (this.eatKw('as')) name = this.expectName();
      }
      handlers.push({ line: hline, type, name, body: this.block('except', hline) });
    }
    const orelse = handlers.length > 0 ? this.elseBlock() : [];
    let finalbody: Stmt[] = [];
    if (this.isKw('finally')) {
      const fline = this.tok.line;
      this.i++;
      finalbody = this.block('finally', fline);
    }
    if (handlers.length === 0 && finalbody.length === 0) throw syntaxError("expected 'except' or 'finally' block", this.tok.line);
    return { k: 'try', line, body, handlers, orelse, finalbody };
  }

  private simpleStatements(): Stmt[] {
    const out: Stmt[] = [this.simpleStatement()];
    while (this.eatOp(';')) {
      if (this.tok.type === 'newline') break;
      out.push(this.simpleStatement());
    }
    if (this.tok.type !== 'newline' && this.tok.type !== 'eof') this.fail();
    if (this.tok.type === 'newline') this.i++;
    return out;
  }

  private simpleStatement(): Stmt {
    const t = this.tok;
    const line = t.line;
    if (t.type === 'name') {
      switch (t.value) {
        case 'pass':
          this.i++;
          return { k: 'pass', line };
        case 'break':
          this.i++;
          return { k: 'break', line };
        case 'continue':
          this.i++;
          return { k: 'continue', line };
        case 'return': {
          this.i++;
          const value = this.atStatementEnd() ? null : this.exprListAsTuple();
          return { k: 'return', line, value };
        }
        case 'import': {
          this.i++;
          const names: { name: string; asname: string | null }[] = [];
          do {
            const name = this.dottedName();
            const asname = this.eatKw('as') ? this.expectName() : null;
            names.push({ name, asname });
          } while (this.eatOp(','));
          return { k: 'import', line, names };
        }
        case 'from': {
          this.i++;
          const module = this.dottedName();
          if (!this.eatKw('import')) this.fail();
          const names: { name: string; asname: string | null }[] = [];
          if (this.eatOp('*')) names.push({ name: '*', asname: null });
          else {
            const paren = this.eatOp('(');
            do {
              if (paren && this.isOp(')')) break;
              const name = this.expectName();
              const asname = this.eatKw('as') ? this.expectName() : null;
              names.push({ name, asname });
            } while (this.eatOp(','));
            if (paren) this.expectOp(')');
          }
          return { k: 'importfrom', line, module, names };
        }
        case 'global':
        case 'nonlocal': {
          this.i++;
          const names = [this.expectName()];
          while (this.eatOp(',')) names.push(this.expectName());
          return { k: t.value, line, names };
        }
        case 'del': {
          this.i++;
          const targets = [this.checkTarget(this.bitOr())];
          while (this.eatOp(',')) {
            if (this.atStatementEnd()) break;
            targets.push(this.checkTarget(this.bitOr()));
          }
          return { k: 'del', line, targets };
        }
        case 'assert': {
          this.i++;
          const test = this.expression();
          const msg = this.eatOp(',') ? this.expression() : null;
          return { k: 'assert', line, test, msg };
        }
        case 'raise': {
          this.i++;
          const exc = this.atStatementEnd() ? null : this.expression();
          if (this.eatKw('from')) this.expression();
          return { k: 'raise', line, exc };
        }
        case 'yield':
          throw new PyException('NotImplementedError', `GradLab does not support generators ('yield') yet (line ${line})`, line);
        case 'print': {
          const next = this.peek();
          if (next.type === 'string' || next.type === 'int' || next.type === 'float' || (next.type === 'name' && !KEYWORDS.has(next.value))) {
            throw syntaxError("Missing parentheses in call to 'print'. Did you mean print(...)?", line);
          }
          break;
        }
      }
    }
    const first = this.exprListAsTuple(true);
    if (this.tok.type === 'op') {
      const op = this.tok.value;
      if (op === '=') {
        const targets = [first];
        let value: Expr = first;
        while (this.eatOp('=')) {
          value = this.exprListAsTuple(true);
          targets.push(value);
        }
        targets.pop();
        for (const target of targets) this.checkTarget(target, true);
        return { k: 'assign', line, targets, value };
      }
      if (AUG_OPS.has(op)) {
        this.i++;
        if (first.k !== 'name' && first.k !== 'attr' && first.k !== 'subscript') {
          throw syntaxError(`'${describeExpr(first)}' is an illegal expression for augmented assignment`, line);
        }
        const value = this.exprListAsTuple();
        return { k: 'augassign', line, target: first, op: op.slice(0, -1), value };
      }
      if (op === ':') {
        this.i++;
        this.expression();
        const value = this.eatOp('=') ? this.exprListAsTuple() : null;
        return { k: 'annassign', line, target: this.checkTarget(first), value };
      }
    }
    return { k: 'expr', line, value: first };
  }

  private atStatementEnd(): boolean {
    const t = this.tok;
    return t.type === 'newline' || t.type === 'eof' || (t.type === 'op' && t.value === ';');
  }

  private dottedName(): string {
    let name = this.expectName();
    while (this.eatOp('.')) name += '.' + this.expectName();
    return name;
  }

  /** Validates an assignment target; mirrors CPython's "cannot assign to ..." messages. */
  private checkTarget(e: Expr, fromAssign = false): Expr {
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
  private targetList(): Expr {
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
  private targetAtom(): Expr {
    if (this.eatOp('*')) return { k: 'starred', line: this.tok.line, value: this.bitOr() };
    return this.bitOr();
  }

  /** expression list; a trailing comma or several items make a tuple. */
  private exprListAsTuple(allowStar = false): Expr {
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
  private starOrNamed(allowStar: boolean): Expr {
    if (allowStar && this.isOp('*')) {
      const line = this.tok.line;
      this.i++;
      return { k: 'starred', line, value: this.bitOr() };
    }
    return this.namedExpr();
  }
  private atExprListEnd(): boolean {
    const t = this.tok;
    if (t.type === 'newline' || t.type === 'eof') return true;
    if (t.type === 'op' && (t.value === '=' || t.value === ')' || t.value === ']' || t.value === '}' || t.value === ':' || t.value === ';' || AUG_OPS.has(t.value))) return true;
    return false;
  }

  private namedExpr(): Expr {
    const e = this.expression();
    if (this.isOp(':=')) {
      throw new PyException('NotImplementedError', `GradLab does not support the walrus operator ':=' yet (line ${this.tok.line})`, this.tok.line);
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

  private disjunction(): Expr {
    const first = this.conjunction();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.eatKw('or')) values.push(this.conjunction());
    return { k: 'boolop', line: first.line, op: 'or', values };
  }
  private conjunction(): Expr {
    const first = this.inversion();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.eatKw('and')) values.push(this.inversion());
    return { k: 'boolop', line: first.line, op: 'and', values };
  }
  private inversion(): Expr {
    if (this.isKw('not')) {
      const line = this.tok.line;
      this.i++;
      return { k: 'unary', line, op: 'not', operand: this.inversion() };
    }
    return this.comparison();
  }
  private comparison(): Expr {
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
  private binLevel(next: () => Expr, ops: readonly string[]): Expr {
    let left = next();
    for (;;) {
      const t = this.tok;
      if (t.type !== 'op' || !ops.includes(t.value)) return left;
      this.i++;
      const right = next();
      left = { k: 'binop', line: left.line, op: t.value, left, right };
    }
  }
  private bitOr = (): Expr => this.binLevel(this.bitXor, ['|']);
  private bitXor = (): Expr => this.binLevel(this.bitAnd, ['^']);
  private bitAnd = (): Expr => this.binLevel(this.shift, ['&']);
  private shift = (): Expr => this.binLevel(this.arith, ['<<', '>>']);
  private arith = (): Expr => this.binLevel(this.term, ['+', '-']);
  private term = (): Expr => this.binLevel(this.factor, ['*', '/', '//', '%', '@']);
  private factor = (): Expr => {
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
  private power(): Expr {
    const base = this.primaryWithTrailers();
    if (this.isOp('**')) {
      this.i++;
      const exponent = this.factor();
      return { k: 'binop', line: base.line, op: '**', left: base, right: exponent };
    }
    return base;
  }

  private primaryWithTrailers(): Expr {
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

  private callArgs(func: Expr, line: number): Expr {
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

  private subscriptList(): Expr {
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
  private subscriptItem(): Expr {
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

  private comprehension(kind: 'list' | 'gen' | 'set' | 'dict', elt: Expr, value: Expr | null, line: number): Expr {
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

  private atom(): Expr {
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
          throw new PyException('NotImplementedError', `GradLab does not support generators ('yield') yet (line ${line})`, line);
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
      if (this.isOp('**')) throw new PyException('NotImplementedError', `GradLab does not support '**' inside dict displays yet (line ${line})`, line);
      const first = this.starOrNamed(true);
      if (this.eatOp(':')) {
        const firstValue = this.expression();
        if (this.isKw('for')) {
          const comp = this.comprehension('dict', first, firstValue, line);
          this.expectOp('}');
          return comp;
        }
        const keys = [first];
        const values = [firstValue];
        while (this.eatOp(',')) {
          if (this.isOp('}')) break;
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
      return { k: 'const', line, value: null };
    }
    this.fail();
  }

  /** Adjacent string literals concatenate ('a' 'b', f'..' '..'). */
  private strings(): Expr {
    const line = this.tok.line;
    const parts: FStringPart[] = [];
    let isF = false;
    while (this.tok.type === 'string') {
      const t = this.tok;
      this.i++;
      if (t.prefix!.includes('f')) {
        isF = true;
        parts.push(...parseFString(t.value, t.prefix!.includes('r'), t.line));
      } else parts.push(t.value);
    }
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

function describeExpr(e: Expr): string {
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
    default:
      return 'expression';
  }
}

/** Splits an f-string body into literal text and {expression!conversion:spec} fields. */
function parseFString(body: string, raw: boolean, line: number): FStringPart[] {
  const parts: FStringPart[] = [];
  let lit = '';
  let i = 0;
  const flushLit = (): void => {
    if (lit) parts.push(raw ? lit : decodeEscapes(lit, line));
    lit = '';
  };
  while (i < body.length) {
    const c = body[i];
    if (c === '{') {
      if (body[i + 1] === '{') {
        lit += '{';
        i += 2;
        continue;
      }
      flushLit();
      const { part, end } = parseField(body, i + 1, raw, line);
      parts.push(part);
      i = end;
      continue;
    }
    if (c === '}') {
      if (body[i + 1] === '}') {
        lit += '}';
        i += 2;
        continue;
      }
      throw syntaxError("f-string: single '}' is not allowed", line);
    }
    if (c === '\\' && !raw) {
      lit += c + (body[i + 1] ?? '');
      i += 2;
      continue;
    }
    lit += c;
    i++;
  }
  flushLit();
  return parts;
}

function parseField(body: string, start: number, raw: boolean, line: number): { part: FStringPart; end: number } {
  let depth = 0;
  let i = start;
  let quote = '';
  for (; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && (c === '}' || c === ':' || (c === '!' && body[i + 1] !== '='))) break;
    else if (c === '\\') throw syntaxError('f-string expression part cannot include a backslash', line);
    else if (c === '#') throw syntaxError("f-string expression part cannot include '#'", line);
  }
  if (i >= body.length) throw syntaxError("f-string: expecting '}'", line);
  let exprText = body.slice(start, i);
  let selfDoc = '';
  const trimmed = exprText.trimEnd();
  if (trimmed.endsWith('=') && !/[=!<>]=$/.test(trimmed)) {
    selfDoc = exprText;
    exprText = trimmed.slice(0, -1);
  }
  if (exprText.trim() === '') throw syntaxError('f-string: empty expression not allowed', line);
  const expr = parseSubExpression(exprText, line);
  let conversion = '';
  if (body[i] === '!') {
    conversion = body[i + 1];
    if (conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
      throw syntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'", line);
    }
    i += 2;
  }
  let spec: FStringPart[] | null = null;
  if (body[i] === ':') {
    // The format spec runs to the matching '}' and may itself contain {fields}.
    let j = i + 1;
    let d = 0;
    for (; j < body.length; j++) {
      if (body[j] === '{') d++;
      else if (body[j] === '}') {
        if (d === 0) break;
        d--;
      }
    }
    if (j >= body.length) throw syntaxError("f-string: expecting '}'", line);
    spec = parseFString(body.slice(i + 1, j), raw, line);
    i = j;
  }
  if (body[i] !== '}') throw syntaxError("f-string: expecting '}'", line);
  if (selfDoc && !conversion && !spec) conversion = 'r';
  return { part: { expr, conversion, spec, selfDoc }, end: i + 1 };
}

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
    const p = new Parser(toks);
    return p.expression();
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'SyntaxError') throw syntaxError(`f-string: ${e.pyMessage}`, line);
    throw e;
  }
}
