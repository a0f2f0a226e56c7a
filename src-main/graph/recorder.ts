// Records the autograd graph a program really built, for the graph views. Nothing is
// re-derived: the structure is the engine's grad_fn nodes and their next_functions, and the
// gradients are the ones the engine's backward() sent along each edge, seen through the
// engine's graph observer while the program runs. Pure TypeScript over the engine.
//
//   const recording = recordGraph({ line: () => runtime.line });
//   ... run the program ...
//   const graph = recording.finish(variables);   // variables: the program's [name, value] pairs
import { observeGraph, type GraphObserver, type Node } from '../engine/autograd';
import { Tensor } from '../engine/index';
import {
  DEFAULT_NODE_LIMIT,
  SUMMARY_FULL_LIMIT,
  SUMMARY_HEAD,
  type BackwardPass,
  type BackwardStep,
  type CellGraph,
  type DetachedTensor,
  type GraphEdge,
  type GraphNode,
  type GraphRoot,
  type RecordedGraph,
  type TensorSummary,
} from '../contract/graph';

export interface RecordOptions {
  /** Nodes recorded at most; a bigger graph is cut there and says so (default 300). */
  nodeLimit?: number;
  /** The program line running now (1-based), to tell backward() calls apart by where they are. */
  line?: () => number | null;
  /** An element index every big tensor's summary also keeps (the lab's selected element). */
  focusIndex?: number;
  /** Distinct backward() call sites kept, most recent last (default 4). */
  maxRoots?: number;
}

export interface GraphRecording {
  /** Stops observing and returns the graph of what backward() ran on (else of the newest grad_fn in `variables`). */
  finish(variables: Iterable<readonly [string, unknown]>): CellGraph;
  /** Stops observing, keeping nothing. */
  stop(): void;
}

/** Summarises a tensor's values (null when its memory is gone). */
export function summarise(t: Tensor, focusIndex?: number): TensorSummary | null {
  try {
    const numel = t.numel();
    const count = numel <= SUMMARY_FULL_LIMIT ? numel : SUMMARY_HEAD;
    const values: number[] = new Array(count);
    // a pending uniform value (a mean's gradient) is read without writing it out
    const uniform = t._uniformValue();
    const data = uniform === null ? t.data : null;
    for (let i = 0; i < count; i++) values[i] = data === null ? (uniform as number) : Number(data[i]);
    const summary: { shape: number[]; dtype: string; numel: number; values: number[]; focus?: { index: number; value: number } } = {
      shape: t.shape.slice(),
      dtype: t.dtype,
      numel,
      values,
    };
    if (focusIndex !== undefined && focusIndex >= count && focusIndex < numel) {
      summary.focus = { index: focusIndex, value: data === null ? (uniform as number) : Number(data[focusIndex]) };
    }
    return summary;
  } catch {
    return null;
  }
}

interface StepDraft {
  node: Node;
  /** The saved inputs themselves, to name the ones that take no gradient. */
  savedTensors: (Tensor | null)[];
  gradIn: TensorSummary | null;
  saved: (TensorSummary | null)[];
  out: { input: number; grad: TensorSummary | null }[];
  gradBefore?: TensorSummary | null;
  gradAfter?: TensorSummary | null;
  /** AccumulateGrad: the leaf's values and version when backward reached it. */
  leafValue?: TensorSummary | null;
  leafVersion?: number;
}

interface PassDraft {
  root: Node;
  line: number | null;
  /** The root tensor's values when backward() was called. */
  value: TensorSummary | null;
  seed: TensorSummary | null;
  steps: StepDraft[];
}

let active = false;

/** Starts observing backward passes; one recording at a time. */
export function recordGraph(options: RecordOptions = {}): GraphRecording {
  if (active) throw new Error('A graph is already being recorded: finish or stop that recording first.');
  active = true;
  const nodeLimit = options.nodeLimit ?? DEFAULT_NODE_LIMIT;
  const maxRoots = options.maxRoots ?? 4;
  const focus = options.focusIndex;
  const lineNow = options.line ?? (() => null);
  // the latest pass per call site (line, else root node), oldest first
  const passes = new Map<number | Node, PassDraft>();
  let current: PassDraft | null = null;
  let step: StepDraft | null = null;

  const observer: GraphObserver = {
    begin(root, output, gradient) {
      current = { root, line: lineNow(), value: summarise(output, focus), seed: summarise(gradient, focus), steps: [] };
      step = null;
    },
    node(node, grad) {
      if (current === null) return;
      const saved: (TensorSummary | null)[] = [];
      const savedTensors: (Tensor | null)[] = [];
      for (let i = 0; i < node.inputMeta.length; i++) {
        const t = node.peekSaved(i);
        savedTensors.push(t);
        saved.push(t === null ? null : summarise(t, focus));
      }
      step = { node, savedTensors, gradIn: summarise(grad, focus), saved, out: [] };
      const leaf = node.leaf;
      if (leaf !== null) {
        step.gradBefore = leaf.grad === null ? null : summarise(leaf.grad, focus);
        step.leafValue = summarise(leaf, focus);
        step.leafVersion = leaf._version.value;
      }
      current.steps.push(step);
    },
    edge(_node, input, grad) {
      if (step !== null) step.out.push({ input, grad: summarise(grad, focus) });
    },
    end() {
      const pass = current;
      current = null;
      step = null;
      if (pass === null) return;
      for (const s of pass.steps) {
        const leaf = s.node.leaf;
        if (leaf !== null) s.gradAfter = leaf.grad === null ? null : summarise(leaf.grad, focus);
      }
      const key = pass.line ?? pass.root;
      passes.delete(key);
      passes.set(key, pass);
      if (passes.size > maxRoots) passes.delete(passes.keys().next().value as number | Node);
    },
  };
  observeGraph(observer);

  const stop = (): void => {
    if (!active) return;
    observeGraph(null);
    active = false;
  };
  return {
    stop,
    finish(variables) {
      stop();
      return buildGraph([...passes.values()], variables, nodeLimit, focus);
    },
  };
}

/** Variables by the tensor they hold and by the grad_fn node of that tensor. */
function indexVariables(variables: Iterable<readonly [string, unknown]>): { tensors: Tensor[]; names: Map<Tensor, string[]>; byNode: Map<Node, Tensor> } {
  const names = new Map<Tensor, string[]>();
  const byNode = new Map<Node, Tensor>();
  const tensors: Tensor[] = [];
  for (const [name, value] of variables) {
    if (!(value instanceof Tensor)) continue;
    let list = names.get(value);
    if (!list) {
      list = [];
      names.set(value, list);
      tensors.push(value);
      if (value._gradFn !== null && !byNode.has(value._gradFn)) byNode.set(value._gradFn, value);
    }
    list.push(name);
  }
  return { tensors, names, byNode };
}

function plainAttrs(attrs: unknown): Record<string, number | boolean | string | null> {
  const out: Record<string, number | boolean | string | null> = {};
  if (typeof attrs !== 'object' || attrs === null) return out;
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' || value === null) out[key] = value;
  }
  return out;
}

function buildGraph(passes: PassDraft[], variables: Iterable<readonly [string, unknown]>, nodeLimit: number, focus: number | undefined): CellGraph {
  const { tensors, names, byNode } = indexVariables(variables);
  const namesOf = (t: Tensor | undefined): string[] => (t ? (names.get(t) ?? []) : []);

  let rootNodes: Node[] = passes.map((p) => p.root);
  if (rootNodes.length === 0) {
    // no backward(): the newest tensor with a grad_fn
    let newest: Node | null = null;
    for (const t of tensors) {
      const fn = t._gradFn;
      if (fn !== null && (newest === null || fn.sequence > newest.sequence)) newest = fn;
    }
    if (newest === null) return { ok: false, reason: 'no-grad-fn' };
    rootNodes = [newest];
  }

  // ids in depth-first preorder from each root, first edge first (as next_functions lists them)
  const ids = new Map<Node, number>();
  const order: Node[] = [];
  let truncated = false;
  for (const root of rootNodes) {
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (ids.has(node)) continue;
      if (order.length >= nodeLimit) {
        truncated = true;
        break;
      }
      ids.set(node, order.length);
      order.push(node);
      for (let i = node.next.length - 1; i >= 0; i--) {
        const child = node.next[i];
        if (child !== null && !ids.has(child)) stack.push(child);
      }
    }
  }

  // the latest step of each leaf's AccumulateGrad (its values when backward reached it)
  const leafSteps = new Map<Node, StepDraft>();
  for (const pass of passes) for (const s of pass.steps) if (s.node.leaf !== null) leafSteps.set(s.node, s);

  const leafNodes = new Map<Tensor, number>();
  const nodes: GraphNode[] = order.map((node, id) => {
    const leafTensor = node.leaf;
    let leaf: GraphNode['leaf'] = null;
    if (leafTensor !== null) {
      leafNodes.set(leafTensor, id);
      const seen = leafSteps.get(node);
      const changed = seen !== undefined && seen.leafVersion !== leafTensor._version.value;
      leaf = {
        names: namesOf(leafTensor),
        value: seen ? (seen.leafValue ?? null) : summarise(leafTensor, focus),
        valueNow: changed ? summarise(leafTensor, focus) : null,
        requiresGrad: leafTensor.requiresGrad,
        grad: leafTensor.grad === null ? null : summarise(leafTensor.grad, focus),
      };
    }
    const output = leafTensor === null ? byNode.get(node) : undefined;
    return {
      id,
      name: node.name,
      names: namesOf(output),
      output: output ? summarise(output, focus) : null,
      inputs: node.inputMeta.map((m) => ({ shape: m.shape.slice(), dtype: m.dtype })),
      attrs: plainAttrs(node.attributes),
      leaf,
    };
  });

  // what each node saved, to name the inputs that take no gradient (after backward() only the pass kept them)
  const savedBy = new Map<Node, (Tensor | null)[]>();
  for (const pass of passes) for (const s of pass.steps) savedBy.set(s.node, s.savedTensors);
  const edges: GraphEdge[] = [];
  for (const [id, node] of order.entries()) {
    node.next.forEach((child, input) => {
      if (child === null) {
        const savedInput = node.peekSaved(input) ?? savedBy.get(node)?.[input] ?? null;
        const inputNames = savedInput === null ? [] : namesOf(savedInput);
        edges.push(inputNames.length > 0 ? { from: id, input, to: null, names: inputNames } : { from: id, input, to: null });
      }
      else {
        const to = ids.get(child);
        edges.push(to === undefined ? { from: id, input, to: null, hidden: true } : { from: id, input, to });
      }
    });
  }

  const toPass = (pass: PassDraft): BackwardPass => ({
    line: pass.line,
    seed: pass.seed,
    steps: pass.steps
      .filter((s) => ids.has(s.node))
      .map((s): BackwardStep => {
        const out: BackwardStep = { node: ids.get(s.node)!, gradIn: s.gradIn, saved: s.saved, out: s.out };
        return s.node.leaf === null ? out : { ...out, gradBefore: s.gradBefore ?? null, gradAfter: s.gradAfter ?? null };
      }),
  });
  const rootTensor = (node: Node): Tensor | undefined => byNode.get(node) ?? (node.leaf ?? undefined);
  const roots: GraphRoot[] = rootNodes.map((node, i) => {
    const t = rootTensor(node);
    const pass = i < passes.length ? passes[i] : null;
    return {
      node: ids.get(node)!,
      names: namesOf(t),
      value: pass !== null ? pass.value : t ? summarise(t, focus) : null,
      backward: pass !== null ? toPass(pass) : null,
    };
  });

  // variables holding x.detach() of a tensor in the graph: shown cut off from it
  const detached: DetachedTensor[] = [];
  for (const t of tensors) {
    const base = t._base;
    if (t.requiresGrad || base === null) continue;
    const from = base._gradFn !== null ? ids.get(base._gradFn) : leafNodes.get(base);
    if (from !== undefined) detached.push({ names: namesOf(t), value: summarise(t, focus), from });
  }

  const graph: RecordedGraph = { roots, nodes, edges, detached, truncated: truncated ? { limit: nodeLimit } : null };
  return { ok: true, graph };
}
