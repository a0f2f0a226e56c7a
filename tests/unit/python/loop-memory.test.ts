// Loops free the buffers of tensors they made once the program can no longer reach them
// (python/liveness.ts), so big tensors stay in the engine's WebAssembly arena epoch after epoch.
// Freeing too early would throw "memory was released" or print wrong values: the first test
// keeps tensors made in loops alive through every kind of reference the runner knows.
import { describe, expect, it } from 'vitest';
import { runPythonToString } from '../../../src-main/python/index';
import { getArena } from '../../../src-main/engine/arena';

// Output of real PyTorch 1.13.1 (../shared/torch-reference/run_torch.py) for this program.
const KEEP_ALIVE_PROGRAM = "import torch\nkeep = []\nd = {}\nfns = []\npairs = []\nmethods = []\ngraphs = []\nn = 1000\nacc = torch.zeros(n)\nfor i in range(6):\n    t = torch.ones(n) * i\n    keep.append(t * 2)\n    d[i] = t + 1\n    d[t + 7] = i\n    methods.append((t * 3).sum)\n    def f(a=t * 4):\n        return a.sum().item()\n    fns.append(f)\n    pairs.append(((t + 2, [t - 1]), {\"k\": t * 5}))\n    w = torch.ones(n, requires_grad=True)\n    graphs.append((w * (t + 5)).sum())\n    acc += t\n    tmp = t * 100\n    j = 0\n    while j < 3:\n        inner = tmp + j\n        j += 1\n    last = inner\n    del tmp\nprint(sum(k.sum().item() for k in keep))\nprint(sum(v.sum().item() for v in d.values() if isinstance(v, torch.Tensor)))\nprint(sum(k.sum().item() for k in d.keys() if isinstance(k, torch.Tensor)))\nprint([m().item() for m in methods])\nprint([f() for f in fns])\nprint([p[0][0].sum().item() + p[0][1][0].sum().item() + p[1][\"k\"].sum().item() for p in pairs])\nfor g in graphs:\n    g.backward()\nprint(graphs[3].item(), acc.sum().item(), last.sum().item())\n\ndef make(i):\n    big = torch.ones(n) * i\n    def inner():\n        return big.sum().item()\n    return inner\nclosures = []\nfor i in range(4):\n    closures.append(make(i))\nprint([c() for c in closures])\n\ndef train(steps):\n    w = torch.zeros(n, requires_grad=True)\n    x = torch.linspace(0, 1, n)\n    for s in range(steps):\n        loss = ((w * x - 1) ** 2).mean()\n        loss.backward()\n        with torch.no_grad():\n            w -= 0.5 * w.grad\n        w.grad.zero_()\n    return w, loss\nw, loss = train(20)\nprint(f\"{loss.item():.6f} {w.sum().item():.4f}\")\nit = iter([torch.ones(n) * 3 for _ in range(2)])\nfor i in range(2):\n    z = torch.ones(n) * i\nprint(next(it).sum().item(), z.sum().item())\n";
const KEEP_ALIVE_EXPECTED = "30000.0\n21000.0\n57000.0\n[0.0, 3000.0, 6000.0, 9000.0, 12000.0, 15000.0]\n[0.0, 4000.0, 8000.0, 12000.0, 16000.0, 20000.0]\n[1000.0, 8000.0, 15000.0, 22000.0, 29000.0, 36000.0]\n8000.0 15000.0 502000.0\n[0.0, 1000.0, 2000.0, 3000.0]\n0.987467 9.9526\n3000.0 1000.0\n";

function lessonLoop(n: number, epochs: number): string {
  return [
    'import torch',
    'torch.manual_seed(0)',
    `n = ${n}`,
    'x = torch.rand(n)',
    'y = torch.rand(n)',
    'w = torch.ones(n, requires_grad=True)',
    'b = torch.tensor(0.0, requires_grad=True)',
    `for epoch in range(${epochs}):`,
    '    y_hat = w * x + b',
    '    loss = (y_hat - y).pow(2).mean()',
    '    loss.backward()',
    '    with torch.no_grad():',
    '        w -= 0.01 * w.grad',
    '        b -= 0.01 * b.grad',
    '    w.grad.zero_()',
    '    b.grad.zero_()',
    'print(f"{loss.item():.6f}")',
  ].join('\n');
}

describe('loop memory release in the Python runner', () => {
  it('keeps every tensor a loop made that is still reachable (lists, dicts, keys, closures, defaults, bound methods, graphs, nested loops, functions)', () => {
    const { output, result } = runPythonToString(KEEP_ALIVE_PROGRAM);
    expect(result.ok).toBe(true);
    expect(output).toBe(KEEP_ALIVE_EXPECTED);
  });

  it('reuses the same arena buffers epoch after epoch in the lesson loop', () => {
    const arena = getArena();
    expect(arena).not.toBeNull();
    // warm up: the first epochs take their blocks from the arena's untouched end
    expect(runPythonToString(lessonLoop(65536, 3)).result.ok).toBe(true);
    const before = arena!.bump;
    const { output, result } = runPythonToString(lessonLoop(65536, 300));
    expect(result.ok).toBe(true);
    expect(output).toBe('0.165634\n'); // PyTorch 1.13.1 prints the same
    // 300 epochs of about 8 temporaries of 256 KiB each would need 600 MiB without reuse
    // (the arena has 192 MiB); with it, a few dozen blocks at most.
    expect(arena!.bump - before).toBeLessThan(40 * 65536 * 4);
  });

  it('sweeps an outer loop that makes tensors only in inner loops (what inner loops leave counts towards its sweeps)', () => {
    const arena = getArena();
    // each inner loop makes 768 KiB, less than a sweep waits for, and leaves it to the outer loop
    const program = ['import torch', 'for i in range(200):', '    for j in range(3):', '        t = torch.ones(65536) * j', 'print(t.sum().item())'].join('\n');
    expect(runPythonToString(program).output).toBe('131072.0\n');
    const before = arena!.bump;
    expect(runPythonToString(program).output).toBe('131072.0\n');
    // 1,200 blocks of 256 KiB without the outer loop's sweeps; a handful with them
    expect(arena!.bump - before).toBeLessThan(40 * 65536 * 4);
  });

  it('gives up safely (keeps everything) when an iterator stored in a variable may hold loop tensors', () => {
    const program = [
      'import torch',
      'its = []',
      'for i in range(3):',
      '    its.append(iter([torch.ones(1000) * i]))',
      'print([next(it).sum().item() for it in its])',
    ].join('\n');
    expect(runPythonToString(program).output).toBe('[0.0, 1000.0, 2000.0]\n');
  });
});
