// What the graph view draws, before layout: one box per grad_fn node (AccumulateGrad boxes
// carry their leaf tensor), a "None" box per next_functions entry that takes no gradient, a
// box per variable detach() cut off, and links in backward's direction (from a node to the
// nodes its gradient goes to) labelled with the gradient that flowed along them. Pure data, so
// the layout, the benchmark and the tests need no DOM.
import type { BackwardPass, GraphNode, RecordedGraph, TensorSummary } from '../../src-main/contract/graph';
import { fmtShape, fmtTensor } from './format';
import type { GraphStrings } from './strings';

/** 'ref': a node drawn again next to a far-away user (big graphs only; see layout.ts). */
export type BoxKind = 'op' | 'leaf' | 'none' | 'detached' | 'hidden' | 'ref';
export type LineRole = 'title' | 'name' | 'value' | 'grad' | 'note';
export interface BoxLine {
  readonly text: string;
  readonly role: LineRole;
}
export interface SceneBox {
  readonly id: string;
  readonly kind: BoxKind;
  /** The graph node it draws (null for None, detached and "more" boxes). */
  readonly node: number | null;
  readonly root: boolean;
  readonly lines: readonly BoxLine[];
}
export type LinkKind = 'grad' | 'none' | 'detach' | 'hidden';
export interface SceneLink {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: LinkKind;
  /** The gradient sent along it (null before its step, or without backward). */
  readonly label: string | null;
}
export interface Scene {
  readonly boxes: readonly SceneBox[];
  readonly links: readonly SceneLink[];
}

/** How far backward has been stepped through: `done` steps of `pass` have run ('all': the whole pass). */
export interface Progress {
  readonly pass: BackwardPass | null;
  readonly done: number | 'all';
}

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';

/** The name a node's output goes by in text: its variable, else e.g. "sub₂" (op and node number). */
export function symbolOf(graph: RecordedGraph, id: number): string {
  const node = graph.nodes[id];
  const named = node.names[0] ?? node.leaf?.names[0];
  if (named) return named;
  const root = graph.roots.find((r) => r.node === id);
  if (root?.names[0]) return root.names[0];
  const word = node.leaf ? 'leaf' : node.name.replace(/Backward\d*$/, '').toLowerCase();
  return word + String(id).replace(/\d/g, (d) => SUBSCRIPT[Number(d)]);
}

/** The pass a graph's views show and step through: the newest root's backward(). */
export function defaultPass(graph: RecordedGraph): BackwardPass | null {
  for (let i = graph.roots.length - 1; i >= 0; i--) if (graph.roots[i].backward) return graph.roots[i].backward;
  return null;
}

/** Steps of `progress` that have run. */
export function stepsDone(progress: Progress): number {
  if (!progress.pass) return 0;
  return progress.done === 'all' ? progress.pass.steps.length : progress.done;
}

/** .grad of a leaf as this point of the pass shows it. */
export function leafGradAt(graph: RecordedGraph, id: number, progress: Progress): TensorSummary | null {
  const leaf = graph.nodes[id].leaf;
  if (!leaf) return null;
  const pass = progress.pass;
  if (!pass) return leaf.grad;
  const done = stepsDone(progress);
  const index = pass.steps.findIndex((s) => s.node === id);
  if (index < 0) return leaf.grad;
  return index < done ? (pass.steps[index].gradAfter ?? null) : (pass.steps[index].gradBefore ?? null);
}

function opLines(graph: RecordedGraph, node: GraphNode, strings: GraphStrings): BoxLine[] {
  const lines: BoxLine[] = [{ text: node.name, role: 'title' }];
  const root = graph.roots.find((r) => r.node === node.id);
  const names = node.names.length > 0 ? node.names : (root?.names ?? []);
  const value = node.output ?? root?.value ?? null;
  if (names.length > 0) lines.push({ text: `${names.join(' = ')} = ${fmtTensor(value, 4)}`, role: 'name' });
  else if (value) lines.push({ text: `= ${fmtTensor(value, 4)}`, role: 'value' });
  else lines.push({ text: strings.unnamedOutput(symbolOf(graph, node.id)), role: 'note' });
  if (value && value.shape.length > 0) lines.push({ text: strings.shape(fmtShape(value.shape)), role: 'note' });
  if (root) lines.push({ text: root.backward ? strings.rootSeed(fmtTensor(root.backward.seed, 4)) : strings.rootNoBackward, role: 'note' });
  return lines;
}

function leafLines(node: GraphNode, grad: TensorSummary | null, strings: GraphStrings): BoxLine[] {
  const leaf = node.leaf!;
  const name = leaf.names.length > 0 ? leaf.names.join(' = ') : strings.unnamedLeaf;
  const lines: BoxLine[] = [
    { text: node.name, role: 'title' },
    { text: `${name} = ${fmtTensor(leaf.value, 4)}`, role: 'name' },
    { text: `requires_grad=${leaf.requiresGrad ? 'True' : 'False'}${leaf.value && leaf.value.shape.length > 0 ? `, ${strings.shape(fmtShape(leaf.value.shape))}` : ''}`, role: 'note' },
    { text: `${leaf.names[0] ?? ''}.grad = ${grad ? fmtTensor(grad, 4) : 'None'}`, role: 'grad' },
  ];
  if (leaf.valueNow) lines.push({ text: strings.changedSince(fmtTensor(leaf.valueNow, 4)), role: 'note' });
  return lines;
}

/** The scene for `graph` at `progress`. */
export function buildScene(graph: RecordedGraph, progress: Progress, strings: GraphStrings): Scene {
  const boxes: SceneBox[] = [];
  const links: SceneLink[] = [];
  const rootIds = new Set(graph.roots.map((r) => r.node));
  for (const node of graph.nodes) {
    const lines = node.leaf ? leafLines(node, leafGradAt(graph, node.id, progress), strings) : opLines(graph, node, strings);
    boxes.push({ id: `n${node.id}`, kind: node.leaf ? 'leaf' : 'op', node: node.id, root: rootIds.has(node.id), lines });
  }

  // gradients sent so far, by edge
  const sent = new Map<string, TensorSummary | null>();
  const pass = progress.pass;
  if (pass) {
    const done = stepsDone(progress);
    for (let k = 0; k < done; k++) for (const out of pass.steps[k].out) sent.set(`${pass.steps[k].node}:${out.input}`, out.grad);
  }

  let hiddenBox = false;
  for (const edge of graph.edges) {
    const id = `e${edge.from}_${edge.input}`;
    const from = `n${edge.from}`;
    if (edge.hidden) {
      if (!hiddenBox) {
        boxes.push({ id: 'more', kind: 'hidden', node: null, root: false, lines: [{ text: strings.moreNodes(graph.truncated?.limit ?? graph.nodes.length), role: 'note' }] });
        hiddenBox = true;
      }
      links.push({ id, from, to: 'more', kind: 'hidden', label: null });
    } else if (edge.to === null) {
      const meta = graph.nodes[edge.from].inputs[edge.input];
      boxes.push({
        id: `none${edge.from}_${edge.input}`,
        kind: 'none',
        node: null,
        root: false,
        lines: [
          { text: 'None', role: 'title' },
          { text: strings.noGradient, role: 'note' },
          { text: strings.shape(fmtShape(meta?.shape ?? [])), role: 'note' },
        ],
      });
      links.push({ id, from, to: `none${edge.from}_${edge.input}`, kind: 'none', label: null });
    } else {
      const key = `${edge.from}:${edge.input}`;
      links.push({ id, from, to: `n${edge.to}`, kind: 'grad', label: sent.has(key) ? fmtTensor(sent.get(key), 4) : null });
    }
  }

  graph.detached.forEach((d, i) => {
    const name = d.names.join(' = ');
    boxes.push({
      id: `detached${i}`,
      kind: 'detached',
      node: null,
      root: false,
      lines: [
        { text: `${name} = ${fmtTensor(d.value, 4)}`, role: 'name' },
        { text: strings.detachedNote, role: 'note' },
      ],
    });
    links.push({ id: `d${i}`, from: `n${d.from}`, to: `detached${i}`, kind: 'detach', label: 'detach()' });
  });
  return { boxes, links };
}
