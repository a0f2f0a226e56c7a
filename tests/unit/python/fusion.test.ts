// The fusion pass (src-main/python/fusion.ts) may change speed only: every fixture program, every
// shared reference program and every lesson cell prints the same with fusion off as with it on
// (and what PyTorch printed, which conformance.test.ts checks for the default, fused, run).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Expr, Stmt } from '../../../src-main/python/ast';
import { fuseProgram } from '../../../src-main/python/fusion';
import { runPythonToString } from '../../../src-main/python/index';
import { parse } from '../../../src-main/python/parser/index';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every .py with a .out beside it, in `dir` and its sub-folders (pending programs excluded). */
function programs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'pending') out.push(...programs(path));
    } else if (entry.name.endsWith('.py') && existsSync(path.replace(/\.py$/, '.out'))) out.push(path);
  }
  return out.sort();
}

const corpus = [
  ...programs(join(repoRoot, 'tests/fixtures/python')),
  ...programs(join(repoRoot, 'tests/fixtures/lessons')),
  ...programs(resolve(repoRoot, '../shared/torch-reference')),
];

/** The kinds of the fused nodes in a program (deep). */
function fusedKinds(program: Stmt[]): string[] {
  const kinds: string[] = [];
  JSON.stringify(program, (_key, value: unknown) => {
    const kind = (value as { k?: unknown } | null)?.k;
    if (typeof kind === 'string' && kind.startsWith('fused')) kinds.push(kind);
    return typeof value === 'bigint' ? value.toString() : value;
  });
  return kinds;
}

describe('the fusion pass', () => {
  it('rewrites the lesson loop: w * x + b, the squared-error mean and both updates', () => {
    const program = parse(
      'for e in range(3):\n    y_hat = w * x + b\n    loss = ((y_hat - y) ** 2).mean()\n    loss.backward()\n    with torch.no_grad():\n        w -= lr * w.grad\n        b -= lr * b.grad\n',
    );
    expect(fusedKinds(program)).toEqual([]);
    expect(fusedKinds(fuseProgram(program)).sort()).toEqual(['fusedMulAdd', 'fusedScaledUpdate', 'fusedScaledUpdate', 'fusedSquaredErrorMean']);
  });

  const EPOCH = [
    'y_hat = w * x + b',
    'loss = (y_hat - y).pow(2).mean()',
    'loss.backward()',
    'with torch.no_grad():',
    '    w -= learning_rate * w.grad',
    '    b -= learning_rate * b.grad',
    'w.grad.zero_()',
    'b.grad.zero_()',
  ];
  const loop = (lines: string[]): string => `for e in range(3):\n${lines.map((l) => `    ${l}\n`).join('')}`;

  it('rewrites the six statements of an epoch into one step that keeps them (fused) as its fallback', () => {
    const program = fuseProgram(parse(loop(EPOCH)));
    const body = (program[0] as Extract<Stmt, { k: 'for' }>).body;
    expect(body.map((s) => s.k)).toEqual(['fusedEpoch']);
    expect(body[0]).toMatchObject({ yHat: 'y_hat', loss: 'loss', w: 'w', x: 'x', b: 'b', y: 'y', torch: 'torch', lr: { k: 'name', id: 'learning_rate' } });
    expect(fusedKinds((body[0] as Extract<Stmt, { k: 'fusedEpoch' }>).original).sort()).toEqual(['fusedMulAdd', 'fusedScaledUpdate', 'fusedScaledUpdate', 'fusedSquaredErrorMean', 'fusedStep']);
    // ** 2, a constant learning rate and other names are the same epoch
    const other = EPOCH.map((l) => l.replace('(y_hat - y).pow(2)', '((y_hat - y) ** 2)').replace(/learning_rate/g, '0.1').replace(/\bw\b/g, 'weights'));
    expect(fusedKinds(fuseProgram(parse(loop(other))))[0]).toBe('fusedEpoch');
  });

  it('leaves an epoch alone when it is written any other way', () => {
    const variants = [
      EPOCH.map((l) => l.replace('y_hat = w * x + b', 'x = w * x + b').replace('(y_hat - y)', '(x - y)')), // rebinds an input
      [...EPOCH.slice(0, 6), EPOCH[7], EPOCH[6]], // b zeroed first
      [...EPOCH.slice(0, 3), 'print(loss)', ...EPOCH.slice(3)], // something in between
      EPOCH.map((l) => l.replace('b -= learning_rate', 'b -= lr_b')), // two learning rates
      EPOCH.map((l) => l.replace('loss.backward()', 'loss.backward(retain_graph=True)')),
      EPOCH.map((l) => l.replace('torch.no_grad()', 'torch.enable_grad()')),
      EPOCH.map((l) => l.replace('w -= learning_rate * w.grad', 'w -= learning_rate * b.grad')),
      EPOCH.map((l) => l.replace('loss = (y_hat', 'y = (y_hat')).map((l) => l.replace('loss.backward', 'y.backward')), // loss named like an input
    ];
    for (const lines of variants) expect(fusedKinds(fuseProgram(parse(loop(lines))))).not.toContain('fusedEpoch');
  });

  it('rewrites the last four statements into one step where the six are not in a row (lesson 5 prints between)', () => {
    const between = [...EPOCH.slice(0, 2), 'if e == 0:', '    print(f"loss {loss.item():.4f}")', ...EPOCH.slice(2)];
    const body = (fuseProgram(parse(loop(between)))[0] as Extract<Stmt, { k: 'for' }>).body;
    expect(body.map((s) => s.k)).toEqual(['assign', 'assign', 'if', 'fusedStep']);
    expect(body[3]).toMatchObject({ loss: 'loss', w: 'w', b: 'b', torch: 'torch', lr: { k: 'name', id: 'learning_rate' } });
    expect((body[3] as Extract<Stmt, { k: 'fusedStep' }>).original.map((s) => s.k)).toEqual(['expr', 'with', 'expr', 'expr']);
    // the whole epoch's fallback runs its first two statements as written and the rest as the step
    const epoch = (fuseProgram(parse(loop(EPOCH)))[0] as Extract<Stmt, { k: 'for' }>).body[0] as Extract<Stmt, { k: 'fusedEpoch' }>;
    expect(epoch.original.map((s) => s.k)).toEqual(['assign', 'assign', 'fusedStep']);
    // not a step: two learning rates, b zeroed first, another statement inside
    for (const lines of [
      EPOCH.slice(2).map((l) => l.replace('b -= learning_rate', 'b -= lr_b')),
      [...EPOCH.slice(2, 6), EPOCH[7], EPOCH[6]],
      [...EPOCH.slice(2, 4), '    print(w.grad)', ...EPOCH.slice(4)],
      EPOCH.slice(2).map((l) => l.replace('loss.backward()', 'loss.backward(retain_graph=True)')),
    ]) {
      expect(fusedKinds(fuseProgram(parse(loop(lines))))).not.toContain('fusedStep');
    }
  });

  /** The `reuse` flag of every fused epoch in a program, in order. */
  const reuseFlags = (source: string): boolean[] => {
    const flags: boolean[] = [];
    JSON.stringify(fuseProgram(parse(source)), (_key, value: unknown) => {
      const node = value as { k?: unknown; reuse?: boolean } | null;
      if (node?.k === 'fusedEpoch') flags.push(node.reuse!);
      return typeof value === 'bigint' ? value.toString() : value;
    });
    return flags;
  };

  it('lets an epoch write over its previous y_hat and loss only when nothing in the program can keep them', () => {
    const epoch = loop(EPOCH);
    expect(reuseFlags(epoch)).toEqual([true]);
    // reads that cannot keep the value
    const looks = [
      'print(loss)',
      'print(f"{loss.item():.4f} {y_hat}")',
      'print(loss.item(), y_hat.shape, y_hat._version, len(y_hat), float(loss), str(y_hat), repr(loss))',
      'loss.backward()',
      'n = y_hat.size()',
      'if loss.item() < 0.1:\n    print(y_hat.tolist())',
    ];
    for (const look of looks) expect(reuseFlags(`${epoch}${look}\n`), look).toEqual([true]);
    // anything that can keep y_hat or loss, or a way to reach the names without reading them
    const keeps = [
      'kept = loss',
      'losses.append(loss)',
      'pair = (y_hat, loss)',
      'g = loss.grad_fn',
      'print(y_hat.grad_fn)',
      'v = y_hat[0]',
      'v = y_hat.view(2, 1)',
      'z = loss * 2',
      'z = (y_hat - y).pow(2).mean()',
      'y_hat += 1',
      'loss -= 0.1 * w',
      'i = id(loss)',
      'def f():\n    return loss',
      'f = lambda: y_hat',
      'l = [loss for _ in range(2)]',
      'show(loss)',
      'print(*y_hat)',
      'print(loss, end=y_hat)',
      'print = keep',
      'def str(v):\n    return v',
      'import sys',
      'from builtins import print',
      'g = globals()',
      'v = vars()',
      'g = getattr(m, "loss")',
      'd = f.__dict__',
      'y_hat.retain_grad()',
      'h = loss.register_hook(hook)',
      'print(k := loss)',
      'def g():\n    yield loss',
    ];
    for (const keep of keeps) expect(reuseFlags(`${keep}\n${epoch}`), keep).toEqual([false]);
    for (const keep of keeps) expect(reuseFlags(`${epoch}${keep}\n`), keep).toEqual([false]);
  });

  it('marks the observing fixture reusing and the keeping one not (optim/091, optim/092)', () => {
    const dir = join(repoRoot, 'tests/fixtures/python/optim');
    const observed = reuseFlags(readFileSync(join(dir, '091_epoch_reuse_observed.py'), 'utf8'));
    expect(observed.length).toBeGreaterThanOrEqual(3);
    expect(observed.every((f) => f)).toBe(true);
    const kept = reuseFlags(readFileSync(join(dir, '092_epoch_outputs_kept.py'), 'utf8'));
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.some((f) => f)).toBe(false);
  });

  it('leaves shapes it does not know alone (x -= a / b, a * b - c, (a - b).pow(3).mean())', () => {
    const program = parse('x -= a / b\ny = a * b - c\nz = (a - b).pow(3).mean()\nq = a * b + f(c)\n');
    expect(fusedKinds(fuseProgram(program))).toEqual([]);
  });

  it('fuses inside functions, lambdas, comprehensions and f-strings', () => {
    const program = parse('def f(w, x, b):\n    return [w * x + b for _ in range(2)]\ng = lambda a, b: ((a - b) ** 2).mean()\nprint(f"{w * x + b}")\n');
    expect(fusedKinds(fuseProgram(program))).toEqual(['fusedMulAdd', 'fusedSquaredErrorMean', 'fusedMulAdd']);
  });

  it('does not change the tree it is given', () => {
    const program = parse('y = w * x + b\n');
    const before = JSON.stringify(program, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    fuseProgram(program);
    expect(JSON.stringify(program, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
    expect((program[0] as Extract<Stmt, { k: 'assign' }>).value.k satisfies Expr['k']).toBe('binop');
  });
});

describe('fusion off and on print the same', () => {
  it('finds the corpus (fixtures, lesson cells, shared references)', () => {
    expect(corpus.length).toBeGreaterThan(100);
  });
  for (const file of corpus) {
    it(file.slice(file.lastIndexOf('fixtures') >= 0 ? file.lastIndexOf('fixtures') : file.lastIndexOf('torch-reference')), () => {
      const source = readFileSync(file, 'utf8');
      const fused = runPythonToString(source).output;
      const unfused = runPythonToString(source, { fusion: false }).output;
      expect(unfused).toBe(fused);
      expect(fused).toBe(readFileSync(file.replace(/\.py$/, '.out'), 'utf8'));
    });
  }
});
