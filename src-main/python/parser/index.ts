// Recursive-descent parser for the supported Python subset, following CPython's grammar and
// precedence. Syntax errors use CPython 3.11's wording where learners are likely to meet them.
// This file parses statements; parser/expressions.ts expressions, parser/tokens.ts the cursor.
import type { ExceptHandler, Expr, Keyword, Stmt } from '../ast';
import { PyException } from '../errors';
import { syntaxError, tokenize } from '../tokenizer';
import { describeExpr, ExpressionParser } from './expressions';
import { AUG_OPS, KEYWORDS } from './tokens';

const BLOCK_NAMES: Record<string, string> = {
  if: "'if' statement",
  elif: "'elif' statement",
  else: "'else' statement",
  while: "'while' statement",
  for: "'for' statement",
  def: 'function definition',
  class: 'class definition',
  with: "'with' statement",
  try: "'try' statement",
  except: "'except' statement",
  finally: "'finally' statement",
};

export function parse(source: string): Stmt[] {
  return new Parser(tokenize(source)).parseModule();
}

class Parser extends ExpressionParser {
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

  protected block(keyword: string, headerLine: number): Stmt[] {
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

  protected statement(): Stmt[] {
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
          return [this.classDef([])];
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
      if (this.isKw('class')) return [this.classDef(decorators)];
      if (!this.isKw('def')) this.fail();
      return [this.funcDef(decorators)];
    }
    return this.simpleStatements();
  }

  /** The condition of if/elif/while; `if x = 5:` gets CPython's hint. */
  protected testExpr(): Expr {
    const test = this.namedExpr();
    if (this.isOp('=')) throw syntaxError("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", this.tok.line);
    return test;
  }

  protected elseBlock(): Stmt[] {
    if (this.isKw('else')) {
      const line = this.tok.line;
      this.i++;
      return this.block('else', line);
    }
    return [];
  }

  protected ifStatement(): Stmt {
    const t = this.tok;
    this.i++;
    const test = this.testExpr();
    const body = this.block(t.value, t.line);
    const orelse: Stmt[] = this.isKw('elif') ? [this.ifStatement()] : this.elseBlock();
    return { k: 'if', line: t.line, test, body, orelse };
  }

  protected funcDef(decorators: Expr[]): Stmt {
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

  protected classDef(decorators: Expr[]): Stmt {
    const line = this.tok.line;
    this.i++;
    const name = this.expectName();
    let bases: Expr[] = [];
    let keywords: Keyword[] = [];
    if (this.eatOp('(')) {
      const call = this.callArgs({ k: 'name', line, id: name }, line) as Extract<Expr, { k: 'call' }>;
      bases = call.args;
      keywords = call.keywords;
    }
    const body = this.block('class', line);
    return { k: 'class', line, name, bases, keywords, body, decorators };
  }

  protected withStatement(): Stmt {
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

  protected tryStatement(): Stmt {
    const line = this.tok.line;
    this.i++;
    const body = this.block('try', line);
    const handlers: ExceptHandler[] = [];
    while (this.isKw('except')) {
      const hline = this.tok.line;
      this.i++;
      if (this.isOp('*')) throw new PyException('NotImplementedError', `GradLab does not support 'except*' (exception groups) yet (line ${hline})`, hline);
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

  protected simpleStatements(): Stmt[] {
    const out: Stmt[] = [this.simpleStatement()];
    while (this.eatOp(';')) {
      if (this.tok.type === 'newline') break;
      out.push(this.simpleStatement());
    }
    if (this.tok.type !== 'newline' && this.tok.type !== 'eof') this.fail();
    if (this.tok.type === 'newline') this.i++;
    return out;
  }

  protected simpleStatement(): Stmt {
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
        case 'yield': {
          this.i++;
          const from = this.eatKw('from');
          const value = from ? this.expression() : this.atStatementEnd() ? null : this.exprListAsTuple();
          return { k: 'yield', line, value, from };
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
          const cause = exc !== null && this.eatKw('from') ? this.expression() : null;
          return { k: 'raise', line, exc, cause };
        }
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
        const annotation = this.expression();
        const value = this.eatOp('=') ? this.exprListAsTuple() : null;
        return { k: 'annassign', line, target: this.checkTarget(first), annotation, value };
      }
    }
    return { k: 'expr', line, value: first };
  }

  protected atStatementEnd(): boolean {
    const t = this.tok;
    return t.type === 'newline' || t.type === 'eof' || (t.type === 'op' && t.value === ';');
  }

  protected dottedName(): string {
    let name = this.expectName();
    while (this.eatOp('.')) name += '.' + this.expectName();
    return name;
  }
}
