// The memory budget in the runner itself (no processes): the budget's arithmetic against a
// meter, and the allocations whose size is known beforehand, refused at once with CPython's
// MemoryError before a byte is taken. Real processes: tests/unit/python/host/memory-budget.test.ts.
import { describe, expect, it } from 'vitest';
import { runPythonToString } from '../../../src-main/python/index';
import { MemoryBudget, type MemoryMeter } from '../../../src-main/python/memory-budget';
import { PyException } from '../../../src-main/python/errors';
import { arenaIdleBytes } from '../../../src-main/engine';

const MB = 1024 * 1024;

function meter(used: number, afterCollect = used): MemoryMeter & { collected: number } {
  const m = {
    collected: 0,
    usedBytes: () => (m.collected > 0 ? afterCollect : used) + arenaIdleBytes(),
    collect: () => void m.collected++,
  };
  return m;
}

function raised(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return e instanceof PyException ? e.errorLine : `not a Python error: ${String(e)}`;
  }
  return 'nothing raised';
}

describe('MemoryBudget', () => {
  it('allows what fits, refuses with MemoryError what does not', () => {
    const budget = new MemoryBudget(100 * MB, meter(60 * MB));
    budget.reserve(40 * MB);
    budget.check();
    expect(raised(() => budget.reserve(41 * MB))).toBe('MemoryError');
  });

  it('collects garbage before refusing, and refuses only if live memory is still too much', () => {
    const garbage = meter(120 * MB, 50 * MB);
    new MemoryBudget(100 * MB, garbage).check();
    expect(garbage.collected).toBe(1);
    const live = meter(120 * MB, 110 * MB);
    expect(raised(() => new MemoryBudget(100 * MB, live).check())).toBe('MemoryError');
    expect(live.collected).toBe(1);
  });

  it('refuses when a collection leaves less than a sixteenth of the budget free (no collecting every few MB near the limit)', () => {
    const nearLimit = meter(120 * MB, 95 * MB);
    expect(raised(() => new MemoryBudget(100 * MB, nearLimit).check())).toBe('MemoryError');
    const roomLeft = meter(120 * MB, 93 * MB);
    expect(raised(() => new MemoryBudget(100 * MB, roomLeft).check())).toBe('nothing raised');
  });

  it('with neither meter nor estimate refuses only what is larger than the whole budget', () => {
    const budget = new MemoryBudget(100 * MB, null);
    budget.reserve(100 * MB);
    expect(raised(() => budget.reserve(100 * MB + 1))).toBe('MemoryError');
    expect(raised(() => budget.reserve(Number.NaN))).toBe('MemoryError');
  });
});

describe('allocations of known size are refused before they happen', () => {
  const run = (source: string, memoryBudget?: number) => runPythonToString(source, memoryBudget === undefined ? {} : { limits: { memoryBudget } });

  it('an outer product of 50000 x 50000 float32 (10 GB) with the default budget', () => {
    const { output, result } = run('import torch\na = torch.ones(50000)\nb = a.reshape(1, 50000) * a.reshape(50000, 1)\nprint("not reached")\n');
    expect(output).toBe('MemoryError\n');
    expect(result.line).toBe(3);
  });

  it('tolist() of a tensor whose list would not fit', () => {
    const { output, result } = run('import torch\nx = torch.zeros(10000000)\nprint(x.shape)\ny = x.tolist()\n', 64 * MB);
    expect(output).toBe('torch.Size([10000000])\nMemoryError\n');
    expect(result.line).toBe(4);
  });

  it('list(range(200000000)) and sorted() of one', () => {
    expect(run('x = list(range(200000000))\n').output).toBe('MemoryError\n');
    expect(run('x = sorted(range(200000000))\n').output).toBe('MemoryError\n');
  });

  it('MemoryError can be caught like any exception, and the program goes on', () => {
    const { output } = run('import torch\ntry:\n    t = torch.ones(30000, 30000)\nexcept MemoryError as e:\n    print("caught", type(e).__name__)\nprint(torch.ones(3).sum())\n');
    expect(output).toBe('caught MemoryError\ntensor(3.)\n');
  });

  it('the budget is the run\'s own: the engine guard is gone once the program ends', () => {
    run('x = 1\n', 16 * MB);
    const { output } = run('import torch\nprint(torch.zeros(8000000).shape)\n');
    expect(output).toBe('torch.Size([8000000])\n');
  });
});

describe('without a meter (a Web Worker), the budget estimates what the program holds', () => {
  const run = (source: string, memoryBudget = 16 * MB) => runPythonToString(source, { limits: { memoryBudget } });

  it.each([
    ['appending forever', 'l = []\nwhile True:\n    l.append(0)\n'],
    ['appending lists', 'l = []\nwhile True:\n    l.append([0] * 1000)\n'],
    ['a comprehension', 'x = [0 for _ in range(10 ** 9)]\n'],
    ['a dict of strings', 'd = {}\ni = 0\nwhile True:\n    d[i] = "x" * 100 + str(i)\n    i += 1\n'],
    ['tensors kept in a list', 'import torch\nkept = []\nwhile True:\n    kept.append(torch.ones(10000))\n'],
    ['a growing string list inside a function', 'def grow():\n    parts = []\n    while True:\n        parts.append(str(len(parts)) * 10)\ngrow()\n'],
  ])('%s ends in MemoryError', (_name, source) => {
    expect(run(source).output).toBe('MemoryError\n');
  });

  it('a loop that keeps little is never refused, however much garbage it makes', () => {
    const source = 'import torch\ntotal = 0\nfor i in range(3000):\n    scratch = [i] * 2000\n    t = torch.ones(5000) * i\n    total += len(scratch) + int(t[0].item())\nprint(total)\n';
    expect(run(source).output).toBe(`${3000 * 2000 + (2999 * 3000) / 2}\n`);
  });
});
