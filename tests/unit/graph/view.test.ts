// The graph view's pure parts on graphs recorded from real runs: what each box says, the chain
// rule written with the numbers the engine used (the lesson's hand-worked -114, -34, -131), and a
// layout where nothing overlaps and nothing moves while stepping through backward().
import { describe, expect, it } from 'vitest';
import type { RecordedGraph } from '../../../src-main/contract/graph';
import { runPython } from '../../../src-main/python/index';
import { explainStep, vectorRoot } from '../../../src-renderer/graph/chain-rule';
import { fmtNum, fmtTensor } from '../../../src-renderer/graph/format';
import { layoutScene, REFERENCE_THRESHOLD, type Placement } from '../../../src-renderer/graph/layout';
import { buildScene, defaultPass, symbolOf } from '../../../src-renderer/graph/scene';
import { graphStrings } from '../../../src-renderer/graph/strings';

const en = graphStrings.en;

function graphOf(source: string): RecordedGraph {
  const r = runPython(source, { write: () => {}, recordGraph: {} });
  if (!r.graph?.ok) throw new Error(r.ok ? 'no graph' : r.errorLine);
  return r.graph.graph;
}

const LESSON_EPOCH =
  'import torch\nx = torch.tensor([1.0, 2.0])\ny = torch.tensor([115.0, 21.0])\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nb = torch.tensor(0.0, requires_grad=True)\ny_hat = w * x + b\nloss = ((y_hat - y) ** 2).mean()\nloss.backward()\n';

function stepOf(graph: RecordedGraph, name: string): number {
  const pass = defaultPass(graph)!;
  return pass.steps.findIndex((s) => graph.nodes[s.node].name === name);
}

describe('numbers as the graph writes them', () => {
  it('whole numbers stay whole, others get at most 4 decimals', () => {
    expect([-114, 0.5, 1 / 3, 6642.5, 2.14e9, 1e-6, NaN, -Infinity, -0].map(fmtNum)).toEqual(['-114', '0.5', '0.3333', '6642.5', '2.14e+9', '1e-6', 'nan', '-inf', '0']);
    expect(fmtTensor({ shape: [3], dtype: 'float32', numel: 3, values: [2, 4, 6] })).toBe('[2, 4, 6]');
    expect(fmtTensor({ shape: [1000], dtype: 'float32', numel: 1000, values: [1, 2, 3, 4, 5, 6, 7, 8] }, 4)).toBe('[1, 2, 3, 4, …]');
  });
});

describe('the chain rule, step by step, with the real numbers', () => {
  const graph = graphOf(LESSON_EPOCH);
  const pass = defaultPass(graph)!;

  it('names unnamed outputs by op and node number', () => {
    expect(graph.nodes.map((n) => symbolOf(graph, n.id))).toEqual(['loss', 'pow₁', 'sub₂', 'y_hat', 'mul₄', 'w', 'b']);
  });

  it('mean, pow, add and mul with the lesson numbers (whole tensors)', () => {
    expect(explainStep(graph, pass, 0, en).lines).toEqual(['∂loss/∂loss = 1  (where backward() starts)', '∂loss/∂pow₁ = ∂loss/∂loss ÷ 2 = 1 ÷ 2 = [0.5, 0.5]']);
    expect(explainStep(graph, pass, stepOf(graph, 'PowBackward0'), en).lines[1]).toBe('∂loss/∂sub₂ = ∂loss/∂pow₁ × 2 × sub₂ = [0.5, 0.5] × 2 × [-114, -17] = [-114, -17]');
    const add = explainStep(graph, pass, stepOf(graph, 'AddBackward0'), en);
    expect(add.lines).toEqual(['∂loss/∂y_hat = [-114, -17]', '∂loss/∂mul₄ = ∂loss/∂y_hat = [-114, -17]', '∂loss/∂b = Σ ∂loss/∂y_hat = Σ [-114, -17] = -131']);
    expect(add.note).toBe(en.broadcastNote('b', 2));
    expect(explainStep(graph, pass, stepOf(graph, 'MulBackward0'), en).lines[1]).toBe('∂loss/∂w = ∂loss/∂mul₄ × x = [-114, -17] × [1, 2] = [-114, -34]');
    const sub = explainStep(graph, pass, stepOf(graph, 'SubBackward0'), en);
    expect(sub.lines).toEqual(['∂loss/∂sub₂ = [-114, -17]', '∂loss/∂y_hat = ∂loss/∂sub₂ = [-114, -17]']);
  });

  it('AccumulateGrad: .grad from None, and adding into an existing .grad', () => {
    const first = explainStep(graph, pass, pass.steps.findIndex((s) => graph.nodes[s.node].leaf?.names[0] === 'b'), en);
    expect(first.lines[1]).toBe('b.grad = ∂loss/∂b = -131');
    expect(first.note).toBe(en.gradWasNone('b'));
    const twice = graphOf('import torch\nx = torch.tensor(3.0, requires_grad=True)\ny = x * x\ny.backward(retain_graph=True)\ny.backward()\n');
    const second = defaultPass(twice)!;
    expect(explainStep(twice, second, 1, en).lines[1]).toBe('x.grad = x.grad + ∂y/∂x = 6 + 6 = 12');
  });

  it('follows one element (the lab shows the selected element)', () => {
    const pow = explainStep(graph, pass, stepOf(graph, 'PowBackward0'), en, 1);
    expect(pow.lines[1]).toBe('∂loss/∂sub₂ = ∂loss/∂pow₁ × 2 × sub₂ = 0.5 × 2 × (-17) = -17');
    const mul = explainStep(graph, pass, stepOf(graph, 'MulBackward0'), en, 1);
    expect(mul.lines[1]).toBe('∂loss/∂w = ∂loss/∂mul₄ × x = (-17) × 2 = -34');
    // b is one number: its line stays the sum over both elements
    expect(explainStep(graph, pass, stepOf(graph, 'AddBackward0'), en, 1).lines[2]).toBe('∂loss/∂b = Σ ∂loss/∂y_hat = Σ [-114, -17] = -131');
  });

  it('the shared-w model sums w’s gradient over the points', () => {
    const shared = graphOf(
      'import torch\nx = torch.tensor([1.0, 2.0, 3.0])\ny = torch.tensor([2.0, 4.0, 6.0])\nw = torch.tensor(0.5, requires_grad=True)\nb = torch.tensor(0.25, requires_grad=True)\ny_hat = w * x + b\nloss = ((y_hat - y) ** 2).mean()\nloss.backward()\n',
    );
    const line = explainStep(shared, defaultPass(shared)!, stepOf(shared, 'MulBackward0'), en).lines[1];
    expect(line).toBe('∂loss/∂w = Σ ∂loss/∂mul₄ × x = Σ [-0.8333, -1.8333, -2.8333] × [1, 2, 3] = -13');
  });

  it('a vector root is recognised (lesson 2)', () => {
    const r = runPython('import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nloss = (w * 2) ** 2\nloss.backward()\n', { write: () => {}, recordGraph: {} });
    if (!r.graph?.ok) throw new Error('no graph');
    expect(vectorRoot(r.graph.graph)).toEqual({ name: 'loss', numel: 2 });
    expect(vectorRoot(graph)).toBeNull();
  });
});

describe('boxes and links', () => {
  const graph = graphOf(LESSON_EPOCH);
  const pass = defaultPass(graph);

  it('after backward every edge carries its gradient and leaves show .grad', () => {
    const scene = buildScene(graph, { pass, done: 'all' }, en);
    const w = scene.boxes.find((b) => b.lines.some((l) => l.text.startsWith('w = ')))!;
    expect(w.lines.map((l) => l.text)).toContain('w.grad = [-114, -34]');
    const labels = scene.links.filter((l) => l.kind === 'grad').map((l) => l.label);
    expect(labels).toEqual(['[0.5, 0.5]', '[-114, -17]', '[-114, -17]', '[-114, -17]', '-131', '[-114, -34]']);
    // x and y take no gradient: two None boxes, x named (MulBackward0 saved it)
    expect(scene.boxes.filter((b) => b.kind === 'none')).toHaveLength(2);
  });

  it('before backward no edge has a label and .grad is None', () => {
    const scene = buildScene(graph, { pass, done: 0 }, en);
    expect(scene.links.every((l) => l.label === null)).toBe(true);
    expect(scene.boxes.flatMap((b) => b.lines.map((l) => l.text))).toContain('w.grad = None');
  });
});

function overlaps(p: Placement): string[] {
  const found: string[] = [];
  for (let i = 0; i < p.boxes.length; i++) {
    for (let j = i + 1; j < p.boxes.length; j++) {
      const a = p.boxes[i];
      const b = p.boxes[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) found.push(`${a.id}/${b.id}`);
    }
  }
  return found;
}

describe('layout', () => {
  it('the lesson graph: root on top, leaves below, no overlaps, the same places at every step', () => {
    const graph = graphOf(LESSON_EPOCH);
    const pass = defaultPass(graph);
    const all = buildScene(graph, { pass, done: 'all' }, en);
    const none = buildScene(graph, { pass, done: 0 }, en);
    const a = layoutScene(all, undefined, [none]);
    const b = layoutScene(buildScene(graph, { pass, done: 3 }, en), undefined, [all, none]);
    expect(overlaps(a)).toEqual([]);
    const at = (p: Placement, id: string) => p.boxes.find((x) => x.id === id)!;
    expect(at(a, 'n0').y).toBeLessThan(at(a, 'n5').y);
    expect(a.boxes.map((x) => [x.id, x.x, x.y])).toEqual(b.boxes.map((x) => [x.id, x.x, x.y]));
    // every link starts at its box's edge and ends at the other's
    for (const link of a.links) {
      const from = at(a, link.from);
      const end = link.points[link.points.length - 1];
      const to = at(a, link.to);
      expect(Math.abs(link.points[0].y - (from.y + from.height))).toBeLessThan(1.5);
      expect(Math.abs(end.y - to.y)).toBeLessThan(1.5);
    }
  });

  it('a 200-node graph draws far-away uses of a leaf as references, without overlaps', () => {
    const graph = graphOf('import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\nw = torch.tensor([0.5, -0.5], requires_grad=True)\nh = x\nfor i in range(99):\n    h = h * w + x\nloss = h.sum()\nloss.backward()\n');
    const scene = buildScene(graph, { pass: defaultPass(graph), done: 'all' }, en);
    expect(scene.boxes.length).toBeGreaterThan(REFERENCE_THRESHOLD);
    const placed = layoutScene(scene);
    const refs = placed.boxes.filter((b) => b.kind === 'ref');
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.every((r) => r.lines[0].text === '↪ AccumulateGrad')).toBe(true);
    // every link of the scene is still drawn, each once
    expect(placed.links.map((l) => l.id).sort()).toEqual(scene.links.map((l) => l.id).sort());
    expect(overlaps(placed)).toEqual([]);
  });
});
