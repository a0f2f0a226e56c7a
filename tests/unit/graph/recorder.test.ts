// The graph recorder against real PyTorch 1.13 (tests/fixtures/graph/graph-facts.json, made by
// gen_graph_facts.py): each program runs through GradLab's runner while the graph is recorded,
// and the recorded nodes, next_functions, per-edge gradients, the order backward ran the nodes
// in and every leaf's .grad must be PyTorch's.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isGraphObserved } from '../../../src-main/engine/autograd';
import { recordGraph } from '../../../src-main/graph/recorder';
import type { BackwardPass, RecordedGraph, TensorSummary } from '../../../src-main/contract/graph';
import { runPython, runPythonToString } from '../../../src-main/python/index';

type Nested = number | Nested[];
interface FactPass {
  nodes: { name: string; next: (number | null)[] }[];
  order: number[];
  edges: { from: number; input: number; grad: Nested }[];
  incoming: { node: number; grad: Nested }[];
  noBackward?: boolean;
}
interface FactCase {
  label: string;
  source: string;
  passes: FactPass[];
  tensors: Record<string, { shape: number[]; value: Nested; requiresGrad: boolean; gradFn: string | null; grad: Nested | null }>;
}

const here = dirname(fileURLToPath(import.meta.url));
const facts = JSON.parse(readFileSync(resolve(here, '../../fixtures/graph/graph-facts.json'), 'utf8')) as { cases: FactCase[] };

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const valuesOf = (s: TensorSummary | null | undefined): number[] => {
  expect(s, 'a summary was recorded').toBeTruthy();
  expect(s!.values.length, 'small tensors are summarised in full').toBe(s!.numel);
  return [...s!.values];
};

function record(source: string): { graph: RecordedGraph; output: string } {
  let output = '';
  const result = runPython(source, { write: (t) => (output += t), recordGraph: {} });
  expect(result.ok, result.ok ? '' : result.errorLine).toBe(true);
  expect(result.graph?.ok).toBe(true);
  if (!result.graph?.ok) throw new Error('no graph');
  return { graph: result.graph.graph, output };
}

/** next_functions of node `id` as recorded: the node each input's gradient goes to (null: None). */
function nextOf(graph: RecordedGraph, id: number): (number | null)[] {
  return graph.edges
    .filter((e) => e.from === id)
    .sort((a, b) => a.input - b.input)
    .map((e) => e.to);
}

describe('the recorded graph is the one PyTorch builds', () => {
  for (const c of facts.cases) {
    it(c.label, () => {
      const { graph } = record(c.source);
      expect(graph.truncated).toBeNull();
      expect(graph.roots).toHaveLength(c.passes.length);
      c.passes.forEach((fact, p) => {
        const root = graph.roots[p];
        // same node numbering: depth-first from the root, first edge first (as the generator walks)
        expect(root.node).toBe(0);
        fact.nodes.forEach((n, id) => {
          expect(graph.nodes[id].name, `node ${id}`).toBe(n.name);
          expect(nextOf(graph, id), `next_functions of ${n.name}`).toEqual(n.next);
        });
        if (fact.noBackward) {
          expect(root.backward).toBeNull();
          return;
        }
        const pass = root.backward as BackwardPass;
        expect(pass.steps.map((s) => s.node), 'the order backward ran the nodes in').toEqual(fact.order);
        for (const edge of fact.edges) {
          const step = pass.steps.find((s) => s.node === edge.from)!;
          const sent = step.out.find((o) => o.input === edge.input);
          expect(valuesOf(sent?.grad), `gradient ${graph.nodes[edge.from].name} -> input ${edge.input}`).toEqual(flat(edge.grad));
        }
        // nothing is sent along None edges
        const sentCount = pass.steps.reduce((n, s) => n + s.out.length, 0);
        expect(sentCount).toBe(fact.edges.length);
        fact.incoming.forEach((inc, k) => {
          expect(pass.steps[k].node).toBe(inc.node);
          expect(valuesOf(pass.steps[k].gradIn), `gradient into ${graph.nodes[inc.node].name}`).toEqual(flat(inc.grad));
        });
      });
      for (const [name, t] of Object.entries(c.tensors)) {
        if (t.gradFn !== null) {
          const node = graph.nodes.find((n) => n.names.includes(name));
          if (node) expect(node.name, `${name}.grad_fn`).toBe(t.gradFn);
        } else if (t.requiresGrad) {
          const leaf = graph.nodes.find((n) => n.leaf?.names.includes(name));
          expect(leaf, `leaf ${name} is in the graph`).toBeTruthy();
          expect(leaf!.name).toBe('AccumulateGrad');
          expect(leaf!.leaf!.requiresGrad).toBe(true);
          if (t.grad === null) expect(leaf!.leaf!.grad, `${name}.grad is None`).toBeNull();
          else expect(valuesOf(leaf!.leaf!.grad), `${name}.grad`).toEqual(flat(t.grad));
          expect(valuesOf(leaf!.leaf!.value), name).toEqual(flat(t.value));
        }
      }
    });
  }
});

describe('what the views need beyond next_functions', () => {
  const source = (name: string): string => facts.cases.find((c) => c.label === name)!.source;

  it('names a grad_fn node by the variable holding its output, with its values', () => {
    const { graph } = record(source('lesson-epoch'));
    const add = graph.nodes.find((n) => n.name === 'AddBackward0')!;
    expect(add.names).toEqual(['y_hat']);
    expect(valuesOf(add.output)).toEqual([1, 4]);
    expect(graph.roots[0].names).toEqual(['loss']);
    expect(valuesOf(graph.roots[0].value)).toEqual([6642.5]);
    const pow = graph.nodes.find((n) => n.name === 'PowBackward0')!;
    expect(pow.attrs.exponent).toBe(2);
    // inputs that take no gradient are named when their node saved them (x), not otherwise (y)
    const mul = graph.nodes.findIndex((n) => n.name === 'MulBackward0');
    expect(graph.edges.find((e) => e.from === mul && e.input === 1)?.names).toEqual(['x']);
    const sub = graph.nodes.findIndex((n) => n.name === 'SubBackward0');
    expect(graph.edges.find((e) => e.from === sub && e.input === 1)?.names).toBeUndefined();
  });

  it('keeps what each node saved for backward, and .grad before and after AccumulateGrad', () => {
    const { graph } = record(source('lesson-epoch'));
    const pass = graph.roots[0].backward!;
    const mulId = graph.nodes.findIndex((n) => n.name === 'MulBackward0');
    const mul = pass.steps.find((s) => s.node === mulId)!;
    // w's gradient needs x, and x needs none: MulBackward0 saved x only (as PyTorch does)
    expect(mul.saved[0]).toBeNull();
    expect(valuesOf(mul.saved[1])).toEqual([1, 2]);
    const pow = pass.steps.find((s) => graph.nodes[s.node].name === 'PowBackward0')!;
    expect(valuesOf(pow.saved[0])).toEqual([-114, -17]); // y_hat - y
    const b = pass.steps.find((s) => graph.nodes[s.node].leaf?.names.includes('b'))!;
    expect(b.gradBefore).toBeNull();
    expect(valuesOf(b.gradAfter)).toEqual([-131]);
    expect(pass.line).toBe(8);
    expect(valuesOf(pass.seed)).toEqual([1]);
  });

  it('a leaf updated after backward shows both its values then and now', () => {
    const { graph } = record(`${source('lesson-epoch')}with torch.no_grad():\n    w -= 0.01 * w.grad\n`);
    const w = graph.nodes.find((n) => n.leaf?.names.includes('w'))!.leaf!;
    expect(valuesOf(w.value)).toEqual([1, 2]);
    // float32 arithmetic of w - 0.01 * w.grad
    const step = (w0: number, g: number): number => Math.fround(w0 - Math.fround(Math.fround(0.01) * g));
    expect(valuesOf(w.valueNow)).toEqual([step(1, -114), step(2, -34)]);
  });

  it('draws what detach() cut off', () => {
    const { graph } = record(source('detach-cut'));
    const x = graph.nodes.findIndex((n) => n.leaf?.names.includes('x'));
    expect(graph.detached).toEqual([{ names: ['a'], value: expect.objectContaining({ values: [1, 2, 3] }), from: x }]);
    const mul = graph.nodes.findIndex((n) => n.name === 'MulBackward0');
    // the None entry is named: MulBackward0 saved `a` for x's gradient
    expect(graph.edges.find((e) => e.from === mul && e.input === 0)).toEqual({ from: mul, input: 0, to: null, names: ['a'] });
  });

  it('a loop keeps the last epoch of each backward() call site', () => {
    const { graph } = record(
      'import torch\nx = torch.tensor([1.0, 2.0])\nw = torch.tensor([1.0, 1.0], requires_grad=True)\nfor i in range(3):\n    loss = ((w * x - 3) ** 2).mean()\n    loss.backward()\n    with torch.no_grad():\n        w -= 0.1 * w.grad\n        w.grad.zero_()\n',
    );
    expect(graph.roots).toHaveLength(1);
    expect(graph.roots[0].backward!.line).toBe(6);
    const w = graph.nodes.find((n) => n.leaf?.names.includes('w'))!.leaf!;
    // the third epoch (PyTorch: w was [1.38, 1.32] and its gradient [-1.62, -0.72]), then the update and zero_()
    expect(valuesOf(w.value)).toEqual([1.3799999952316284, 1.3200000524520874]);
    const step = graph.roots[0].backward!.steps.find((s) => graph.nodes[s.node].leaf)!;
    expect(valuesOf(step.gradAfter)).toEqual([-1.6200000047683716, -0.7199997901916504]);
    expect(valuesOf(w.valueNow)).toEqual([1.5420000553131104, 1.3920000791549683]);
    expect(valuesOf(w.grad)).toEqual([0, 0]);
  });

  it('without backward(), a vector loss is the root (lesson 2: backward needs a scalar)', () => {
    let output = '';
    const r = runPython(
      'import torch\nx = torch.tensor([1.0, 2.0])\ny = torch.tensor([1.0, 2.0])\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nloss = (w * x - y) ** 2\nloss.backward()\n',
      { write: (t) => (output += t), recordGraph: {} },
    );
    expect(r.ok).toBe(false);
    expect(r.graph?.ok).toBe(true);
    if (!r.graph?.ok) return;
    const root = r.graph.graph.roots[0];
    expect(root.names).toEqual(['loss']);
    expect(root.backward).toBeNull();
    expect(root.value?.shape).toEqual([2]);
    expect(r.graph.graph.nodes[root.node].name).toBe('PowBackward0');
  });

  it('says when there is no graph', () => {
    const r = runPython('import torch\nx = torch.tensor([1.0])\nprint(x * 2)\n', { write: () => {}, recordGraph: {} });
    expect(r.graph).toEqual({ ok: false, reason: 'no-grad-fn' });
  });

  it('stops at the node limit and says so', () => {
    const { graph } = record('import torch\nx = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(400):\n    y = y + 1\n');
    expect(graph.truncated).toEqual({ limit: 300 });
    expect(graph.nodes).toHaveLength(300);
    expect(graph.edges.some((e) => e.hidden)).toBe(true);
  });

  it('summarises big tensors: the first values, and the element a view follows', () => {
    const r = runPython('import torch\nw = torch.ones(1000, requires_grad=True)\nloss = (w * 3).sum()\nloss.backward()\n', {
      write: () => {},
      recordGraph: { focusIndex: 777 },
    });
    if (!r.graph?.ok) throw new Error('no graph');
    const w = r.graph.graph.nodes.find((n) => n.leaf)!.leaf!;
    expect(w.grad!.numel).toBe(1000);
    expect(w.grad!.values).toHaveLength(8);
    expect(w.grad!.focus).toEqual({ index: 777, value: 3 });
  });

  it('prints exactly the same with and without recording (the fused loss stands aside)', () => {
    const program = readFileSync(resolve(here, '../../../../shared/torch-reference/04_linear_regression_100.py'), 'utf8');
    const plain = runPythonToString(program).output;
    let recorded = '';
    const r = runPython(program, { write: (t) => (recorded += t), recordGraph: {} });
    expect(r.ok).toBe(true);
    expect(recorded).toBe(plain);
    expect(recorded).toBe(readFileSync(resolve(here, '../../../../shared/torch-reference/04_linear_regression_100.out'), 'utf8'));
    if (!r.graph?.ok) throw new Error('no graph');
    expect(r.graph.graph.nodes.map((n) => n.name).slice(0, 3)).toEqual(['MeanBackward0', 'PowBackward0', 'SubBackward0']);
  });

  it('observes nothing once a recording ends, even after an error', () => {
    runPython('import torch\nraise ValueError("x")\n', { write: () => {}, recordGraph: {} });
    expect(isGraphObserved()).toBe(false);
    const recording = recordGraph();
    expect(() => recordGraph()).toThrow(/already/);
    recording.stop();
    expect(isGraphObserved()).toBe(false);
  });
});
