// The parser's view of the token stream: lookahead, matching and the syntax errors every part
// of the parser raises.
import { syntaxError, type Token } from '../tokenizer';

export const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

export const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=', '&=', '|=', '^=', '<<=', '>>=']);

export class TokenCursor {
  protected i = 0;
  constructor(private readonly toks: Token[]) {}

  protected get tok(): Token {
    return this.toks[this.i];
  }
  protected currentType(): Token['type'] {
    return this.toks[this.i].type;
  }
  protected peek(offset = 1): Token {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)];
  }
  protected isOp(v: string): boolean {
    const t = this.tok;
    return t.type === 'op' && t.value === v;
  }
  protected isKw(v: string): boolean {
    const t = this.tok;
    return t.type === 'name' && t.value === v;
  }
  protected eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  protected eatKw(v: string): boolean {
    if (this.isKw(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  protected fail(t: Token = this.tok): never {
    if (t.type === 'indent') throw syntaxError('unexpected indent', t.line, 'IndentationError');
    throw syntaxError('invalid syntax', t.line);
  }
  protected expectOp(v: string): Token {
    if (!this.isOp(v)) {
      if (v === ':') throw syntaxError("expected ':'", this.tok.line);
      this.fail();
    }
    return this.toks[this.i++];
  }
  protected expectName(): string {
    const t = this.tok;
    if (t.type !== 'name' || KEYWORDS.has(t.value)) this.fail();
    this.i++;
    return t.value;
  }
}
