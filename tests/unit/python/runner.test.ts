// Runner behaviour that real PyTorch cannot produce fixtures for: unsupported Python gets a clear
// NotImplementedError naming the construct and line, error line numbers, and the worker core's
// batching and output cap.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPython, runPythonToString } from '../../../src-main/python/index';
import { answerRefusedRequest, createPythonWorkerCore, OUTPUT_LIMIT_NOTE } from '../../../src-main/python/worker-core';
import { MAX_SOURCE_CHARS } from '../../../src-main/contract/limits';
import type { GradLabEvent } from '../../../src-main/contract/messages';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function run(source: string): { output: string; ok: boolean; errorLine?: string; line?: number } {
  let output = '';
  const r = runPython(source, { write: (t) => (output += t) });
  return { output, ...r };
}

describe('unsupported Python is reported clearly, never a crash', () => {
  const cases: [string, string, number][] = [
    ['print("a")\n\nclass Rows(list):\n    pass\n', "NotImplementedError: GradLab does not support subclassing the built-in type 'list' yet (line 3)", 3],
    ['class Model(metaclass=type):\n    pass\n', 'NotImplementedError: GradLab does not support class keywords like metaclass= yet (line 1)', 1],
    ['import torch\nclass T(torch.Tensor):\n    pass\n', 'NotImplementedError: GradLab does not support subclassing torch.Tensor yet (line 2)', 2],
    ['class A:\n    __slots__ = ("x",)\n', 'NotImplementedError: GradLab does not support __slots__ in classes yet (line 1)', 1],
    ['class A:\n    def __hash__(self):\n        return 1\n\nprint({A()})\n', "NotImplementedError: GradLab does not support objects with their own __hash__ as dict keys or set members yet ('A')", 5],
    ['try:\n    pass\nexcept* ValueError:\n    pass\n', "NotImplementedError: GradLab does not support 'except*' (exception groups) yet (line 3)", 3],
    ['from functools import lru_cache\n', 'NotImplementedError: GradLab does not support functools.lru_cache yet (line 1)', 1],
    ['def f():\n    x = yield\n', "NotImplementedError: GradLab does not support 'yield' inside an expression yet; write it as a statement of its own (line 2)", 2],
    ['def gen():\n    try:\n        yield 1\n    finally:\n        pass\nprint(list(gen()))\n', "NotImplementedError: GradLab does not support 'yield' inside a 'try' statement yet (line 2)", 2],
    ['import numpy as np\n', "NotImplementedError: GradLab does not support the 'numpy' module yet; available modules: collections, copy, dataclasses, functools, math, random, time, torch, typing (line 1)", 1],
    ['import torch\nimport torch.nn as nn\nlayer = nn.Conv2d(1, 1, 3)\n', 'NotImplementedError: GradLab does not support torch.nn.Conv2d yet (line 3)', 3],
    ['import torch\nopt = torch.optim.LBFGS([torch.ones(1)], lr=0.1)\n', 'NotImplementedError: GradLab does not support torch.optim.LBFGS yet (line 2)', 2],
    ['import torch\nx = torch.logcumsumexp(torch.tensor([1.0]), 0)\n', 'NotImplementedError: GradLab does not support torch.logcumsumexp yet (line 2)', 2],
    ['import torch\nx = torch.ones(2, dtype=torch.float16)\n', 'NotImplementedError: GradLab does not support torch.float16 yet (line 2)', 2],
    ['name = input("?")\n', 'NotImplementedError: GradLab does not support input() yet (line 1)', 1],
    ['x = 1j\n', 'NotImplementedError: GradLab does not support complex numbers yet (line 1)', 1],
    ['import torch\nt = torch.ones(2)\nprint(t.logcumsumexp(0))\n', 'NotImplementedError: GradLab does not support Tensor.logcumsumexp yet (line 3)', 3],
  ];
  for (const [source, errorLine, line] of cases) {
    it(errorLine, () => {
      const r = run(source);
      expect(r.ok).toBe(false);
      expect(r.errorLine).toBe(errorLine);
      expect(r.line).toBe(line);
    });
  }
  it('a program never gets a JavaScript error: deep recursion is a RecursionError', () => {
    const r = run('def f(n):\n    return f(n + 1)\nf(0)\n');
    expect(r.errorLine).toBe('RecursionError: maximum recursion depth exceeded');
    expect(r.line).toBe(2);
  });
});

describe('error line numbers', () => {
  it('points at the innermost statement that raised, also inside functions', () => {
    const r = run('def g(x):\n    return x / 0\n\ny = 1\nprint(g(y))\n');
    expect(r).toMatchObject({ ok: false, errorLine: 'ZeroDivisionError: division by zero', line: 2 });
  });
  it('points at the statement after a call returned normally', () => {
    const r = run('def g():\n    return 1\nx = g() + undefined_name\n');
    expect(r).toMatchObject({ errorLine: "NameError: name 'undefined_name' is not defined", line: 3 });
  });
  it('reports syntax errors with the line of the unclosed bracket', () => {
    const r = run('a = 1\nb = (a +\n  2\nc = 3\n');
    expect(r).toMatchObject({ errorLine: "SyntaxError: '(' was never closed", line: 2 });
  });
  it('reports engine errors with their PyTorch text', () => {
    const r = run('import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nl = (w * 2)\nl.backward()\n');
    expect(r).toMatchObject({ errorLine: 'RuntimeError: grad can be implicitly created only for scalar outputs', line: 4 });
  });
});

describe('no_grad is restored even when the body fails', () => {
  it('grad mode is back on after an uncaught error inside with torch.no_grad()', () => {
    run('import torch\nwith torch.no_grad():\n    1 / 0\n');
    expect(runPythonToString('import torch\nprint(torch.is_grad_enabled())').output).toBe('True\n');
  });
});

describe('worker core', () => {
  function core(opts: { maxOutputChars?: number }) {
    let clock = 0;
    const events: GradLabEvent[] = [];
    const c = createPythonWorkerCore((e) => events.push(e), { now: () => clock, ...opts });
    return { c, events, tick: (ms: number) => (clock += ms) };
  }
  it('sends all output of a fast program in one batch before pyDone', () => {
    const { c, events } = core({});
    c.handle({ type: 'runPython', runId: 'a', source: 'for i in range(3):\n    print(i)\n' });
    expect(events).toEqual([
      { type: 'pyOutput', runId: 'a', text: '0\n1\n2\n' },
      { type: 'pyDone', runId: 'a', ok: true },
    ]);
  });
  it('caps output with a note line and keeps running to the end', () => {
    const { c, events } = core({ maxOutputChars: 20 });
    c.handle({ type: 'runPython', runId: 'b', source: 'for i in range(100):\n    print("line", i)\nx = 1 / 0\n' });
    const text = events.filter((e) => e.type === 'pyOutput').map((e) => (e as { text: string }).text).join('');
    expect(text).toBe('line 0\nline 1\nline 2' + OUTPUT_LIMIT_NOTE(20));
    expect(events[events.length - 1]).toEqual({ type: 'pyDone', runId: 'b', ok: false, errorLine: 'ZeroDivisionError: division by zero', line: 3 });
  });
});

describe('CLI: npm run -s pyrun -- FILE.py', () => {
  it('prints the output on stdout and the error line last on stderr, exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradlab-pyrun-'));
    try {
      const file = join(dir, 'prog.py');
      writeFileSync(file, 'import torch\nprint(torch.tensor([1.0, 2.0]))\nw = None\nw.zero_()\n');
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/pyrun.ts'), file], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.stdout).toBe('tensor([1., 2.])\n');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[lines.length - 1]).toBe("AttributeError: 'NoneType' object has no attribute 'zero_'");
      expect(r.status).toBe(1);
      writeFileSync(file, 'print("ok")\n');
      const ok = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/pyrun.ts'), file], { cwd: repoRoot, encoding: 'utf8' });
      expect([ok.stdout, ok.stderr, ok.status]).toEqual(['ok\n', '', 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CPython's errors where JavaScript's limits or the tokenizer's would show instead (issue 13)", () => {
  const last = (source: string): string => runPythonToString(source).output.trim().split('\n').pop()!;
  it('deep nesting gives the SyntaxError / IndentationError CPython gives (its tokenizer limits: 200 brackets, 100 indents)', () => {
    expect(last(`x = ${'('.repeat(200)}1${')'.repeat(200)}\nprint(x)\n`)).toBe('1');
    expect(last(`x = ${'('.repeat(100000)}1${')'.repeat(100000)}\n`)).toBe('SyntaxError: too many nested parentheses');
    const nested = (levels: number): string => Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}if True:\n`).join('') + `${' '.repeat(levels)}print('deep')\n`;
    expect(last(nested(99))).toBe('deep');
    expect(last(nested(100))).toBe('IndentationError: too many levels of indentation');
    expect(last(nested(3000))).toBe('IndentationError: too many levels of indentation');
  });
  it('says plainly that \\N{name} escapes are not supported instead of printing them as written', () => {
    expect(last("print('\\N{DIGIT ONE}')\n")).toMatch(/^NotImplementedError: GradLab does not support \\N\{\.\.\.\} escapes/);
  });
  it('asks the memory budget before building a big string or list in one step', () => {
    const small = { limits: { memoryBudget: 16 * 2 ** 20 } };
    const lastWith = (source: string): string => runPythonToString(source, small).output.trim().split('\n').pop()!;
    // each of these fits the default budget and prints its size; with 16 MiB each is a MemoryError
    for (const [source, size] of [
      ["print(len('ab' * 10_000_000))", '20000000'],
      ['print(len([0, 1] * 2_500_000))', '5000000'],
      ["print(len('x'.rjust(20_000_000)))", '20000000'],
      ["print(len('x'.center(20_000_000, '-')))", '20000000'],
      ["print(len('{:>20000000}'.format('x')))", '20000000'],
      ["print(len(f'{1.5:.20000000f}'))", '20000002'],
      ["print(len('%20000000d' % 7))", '20000000'],
    ]) {
      expect(last(`${source}\n`)).toBe(size);
      expect(lastWith(`${source}\n`)).toBe('MemoryError');
    }
  });
  it('answers a runPython request the contract refused with its pyDone, so nothing waits forever', () => {
    const tooLong = { type: 'runPython', runId: 'r1', source: 'x'.repeat(MAX_SOURCE_CHARS + 1) };
    expect(answerRefusedRequest(tooLong, 'Invalid length')).toEqual({
      type: 'pyDone',
      runId: 'r1',
      ok: false,
      errorLine: `MemoryError: GradLab runs programs of at most ${MAX_SOURCE_CHARS.toLocaleString('en')} characters; this one has ${(MAX_SOURCE_CHARS + 1).toLocaleString('en')}`,
    });
    expect(answerRefusedRequest({ type: 'runPython', runId: 'r2', source: 7 }, 'bad source')).toMatchObject({ type: 'pyDone', runId: 'r2', ok: false });
    expect(answerRefusedRequest({ type: 'nonsense' }, 'bad type')).toEqual({ type: 'error', runId: 'unknown', message: 'bad type' });
  });
  it('skips a UTF-8 byte-order mark at the start, as CPython does reading a file', () => {
    expect(last('\ufeffprint("bom ok")\n')).toBe('bom ok');
  });
  it('chr() out of range, len() of a range past ssize_t, strings past what JavaScript can hold', () => {
    expect(last('chr(0x110000)\n')).toBe('ValueError: chr() arg not in range(0x110000)');
    expect(last('chr(-1)\n')).toBe('ValueError: chr() arg not in range(0x110000)');
    expect(last('print(len(range(10**30)))\n')).toBe('OverflowError: Python int too large to convert to C ssize_t');
    expect(last('print(len(range(2**63)))\n')).toBe('OverflowError: Python int too large to convert to C ssize_t');
    expect(last('print(len(range(2**62)))\n')).toBe('4611686018427387904');
    expect(last('s = "x"\nwhile True:\n    s = s + s\n')).toBe('MemoryError');
    expect(last('print(10 ** 10 ** 10)\n')).toBe('MemoryError');
    expect(last('print(len(str(7 ** 5000 % 10 ** 50)))\n')).toBe('50');
    expect(last("'{:>1000000000}'.format('x')\n")).toBe('MemoryError');
    expect(last("x = 1\nprint(f'{x:>2000000000}')\n")).toBe('MemoryError');
  });
});
