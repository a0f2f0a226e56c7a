// AST of the supported Python subset. Every node carries its 1-based source line.

export type Expr =
  | { k: 'const'; line: number; value: unknown }
  | { k: 'name'; line: number; id: string }
  | { k: 'fstring'; line: number; parts: FStringPart[] }
  | { k: 'list'; line: number; elts: Expr[] }
  | { k: 'tuple'; line: number; elts: Expr[] }
  | { k: 'dict'; line: number; keys: (Expr | null)[]; values: Expr[] } // a null key: `**mapping`
  | { k: 'set'; line: number; elts: Expr[] }
  | { k: 'binop'; line: number; op: string; left: Expr; right: Expr }
  | { k: 'unary'; line: number; op: string; operand: Expr }
  | { k: 'boolop'; line: number; op: 'and' | 'or'; values: Expr[] }
  | { k: 'compare'; line: number; left: Expr; ops: string[]; comparators: Expr[] }
  | { k: 'call'; line: number; func: Expr; args: Expr[]; keywords: Keyword[] }
  | { k: 'attr'; line: number; value: Expr; attr: string }
  | { k: 'subscript'; line: number; value: Expr; index: Expr }
  | { k: 'slice'; line: number; lower: Expr | null; upper: Expr | null; step: Expr | null }
  | { k: 'ifexp'; line: number; test: Expr; body: Expr; orelse: Expr }
  | { k: 'lambda'; line: number; params: Param[]; body: Expr }
  | { k: 'comp'; line: number; kind: 'list' | 'gen' | 'set' | 'dict'; elt: Expr; value: Expr | null; generators: Comprehension[] }
  | { k: 'starred'; line: number; value: Expr }
  | { k: 'ellipsis'; line: number }
  | { k: 'namedexpr'; line: number; target: string; value: Expr } // name := value
  // written by the fusion pass (fusion.ts), never by the parser:
  | { k: 'fusedMulAdd'; line: number; left: Expr; right: Expr; addend: Expr }
  | { k: 'fusedSquaredErrorMean'; line: number; left: Expr; right: Expr; exponent: bigint | number; spelledPow: boolean };

export interface Keyword {
  name: string | null; // null: **kwargs
  value: Expr;
}
export interface Comprehension {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}
export interface Param {
  name: string;
  default: Expr | null;
  kind: 'normal' | 'varargs' | 'kwargs' | 'kwonly';
}
export type FStringPart = string | { expr: Expr; conversion: string; spec: FStringPart[] | null; selfDoc: string };

export interface ExceptHandler {
  line: number;
  type: Expr | null;
  name: string | null;
  body: Stmt[];
}

export type Stmt =
  | { k: 'expr'; line: number; value: Expr }
  | { k: 'assign'; line: number; targets: Expr[]; value: Expr }
  | { k: 'augassign'; line: number; target: Expr; op: string; value: Expr }
  | { k: 'annassign'; line: number; target: Expr; annotation: Expr; value: Expr | null }
  | { k: 'if'; line: number; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'while'; line: number; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'for'; line: number; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'break'; line: number }
  | { k: 'continue'; line: number }
  | { k: 'pass'; line: number }
  | { k: 'return'; line: number; value: Expr | null }
  | { k: 'def'; line: number; name: string; params: Param[]; body: Stmt[]; decorators: Expr[] }
  | { k: 'class'; line: number; name: string; bases: Expr[]; keywords: Keyword[]; body: Stmt[]; decorators: Expr[] }
  | { k: 'with'; line: number; items: { expr: Expr; target: Expr | null }[]; body: Stmt[] }
  | { k: 'import'; line: number; names: { name: string; asname: string | null }[] }
  | { k: 'importfrom'; line: number; module: string; names: { name: string; asname: string | null }[] }
  | { k: 'global'; line: number; names: string[] }
  | { k: 'nonlocal'; line: number; names: string[] }
  | { k: 'del'; line: number; targets: Expr[] }
  | { k: 'assert'; line: number; test: Expr; msg: Expr | null }
  | { k: 'raise'; line: number; exc: Expr | null; cause: Expr | null }
  | { k: 'try'; line: number; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[] }
  // `yield value`, `yield from value` as a statement (the only place GradLab accepts yield)
  | { k: 'yield'; line: number; value: Expr | null; from: boolean }
  // written by the fusion pass (fusion.ts), never by the parser:
  | { k: 'fusedScaledUpdate'; line: number; target: string; op: '+' | '-'; left: Expr; right: Expr }
  // one epoch of the lessons' loop (six statements); `original` runs when the fused step declines
  // (`reuse`: nothing in the program can keep y_hat or loss, so one epoch's may be written over by the next: fusion.ts)
  | { k: 'fusedEpoch'; line: number; yHat: string; loss: string; w: string; x: string; b: string; y: string; torch: string; lr: Expr; original: Stmt[]; reuse: boolean }
  // the epoch's last four statements (backward, both updates, both zero_()); `original` runs when the fused step declines
  | { k: 'fusedStep'; line: number; loss: string; w: string; b: string; torch: string; lr: Expr; original: Stmt[] };
