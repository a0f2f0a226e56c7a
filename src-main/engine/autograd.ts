// The autograd graph and the backward pass, modelled on PyTorch's engine: one Node per
// differentiable op (its grad_fn), AccumulateGrad sinks for leaves, dependency counting and a
// ready queue ordered by creation sequence (newest first), saved tensors with version checks,
// and graph freeing after backward unless retain_graph is set.
import { runtimeError } from './errors';
import { setGradEnabled } from './grad-mode';
import { formatSize, sameShape } from './shape';
import type { Tensor } from './tensor';
import { TYPE_NAME } from './dtype';
import type { DType } from './dtype';
import { enterScope, exitScope, persistStorage } from './arena';

const FREED_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

let nextSequence = 0;
// Nulls, not an empty array: rules index it by input position, and an out-of-bounds read makes
// V8 throw away the rule's optimised code (every run's first backward, before .grad exists).
const NO_TARGETS: readonly (Tensor | null)[] = [null, null, null, null, null, null, null, null];
const NO_TENSORS: readonly Tensor[] = [];
const NO_SAVED: (SavedTensor | null)[] = [];

/** Arrays of n nulls, shared (rules only read them). */
const NULLS: readonly (readonly null[])[] = Array.from({ length: 9 }, (_, n) => Object.freeze(new Array<null>(n).fill(null)));

/**
 * `needs` for a node's rule: which inputs want a gradient. Shared arrays for up to 4 inputs
 * (rules only read them), one per pattern, instead of a new array per backward step.
 */
const NEEDS_BY_PATTERN: readonly (readonly boolean[])[][] = Array.from({ length: 5 }, (_, n) =>
  Array.from({ length: 1 << n }, (_, bits) => Object.freeze(Array.from({ length: n }, (_, i) => (bits & (1 << i)) !== 0))),
);

function needsOf(next: readonly (Node | null)[]): readonly boolean[] {
  const n = next.length;
  if (n >= NEEDS_BY_PATTERN.length) return next.map((child) => child !== null);
  let bits = 0;
  for (let i = 0; i < n; i++) if (next[i] !== null) bits |= 1 << i;
  return NEEDS_BY_PATTERN[n][bits];
}

/** node.name() as PyTorch reports it: its two hand-written nodes carry their C++ namespace. */
export function qualifiedName(node: Node): string {
  return node.name === 'AccumulateGrad' || node.name === 'CopySlices' ? `torch::autograd::${node.name}` : node.name;
}

/** A tensor kept for backward, with the version it had when saved (in-place edits are detected). */
export class SavedTensor {
  readonly tensor: Tensor;
  readonly version: number;
  /**
   * For a saved output: the node that saved it (PyTorch's error names that node even after an
   * in-place op gave the tensor a new grad_fn); for a saved input, null: the error names the
   * tensor's grad_fn at the time of the error.
   */
  private readonly savedFor: Node | null;
  constructor(tensor: Tensor, isOutput = false) {
    this.tensor = tensor;
    this.version = tensor._version.value;
    this.savedFor = isOutput ? tensor._gradFn : null;
  }
  unpack(): Tensor {
    const t = this.tensor;
    if (t._version.value !== this.version) {
      const producer = this.savedFor ?? t._gradFn;
      const which = producer ? `, which is output 0 of ${qualifiedName(producer)},` : '';
      throw runtimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [torch.${TYPE_NAME[t.dtype]}Tensor [${t.shape.join(', ')}]]${which} is at version ${t._version.value}; expected version ${this.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
      );
    }
    return t;
  }
}

export interface InputMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** What an op's backward rule receives. */
export interface BackwardContext<A> {
  /** Saved inputs by position (null when not saved). */
  readonly inputs: readonly (Tensor | null)[];
  /** The op's output, when the rule needs it (exp, sqrt). */
  readonly output: Tensor | null;
  readonly needs: readonly boolean[];
  readonly attrs: A;
  readonly inputMeta: readonly InputMeta[];
  /** Values the forward kept with ctx.saveForBackward, in that order. */
  readonly saved: readonly Tensor[];
  /**
   * Per input: the leaf's existing .grad when this node is the only source of that leaf's
   * gradient in this backward pass. A rule may add its result into it directly (one fused
   * pass, same values as AccumulateGrad's `grad += new_grad`) and return null for that input.
   */
  readonly accumulateInto: readonly (Tensor | null)[];
}

export type BackwardRule<A> = (grad: Tensor, ctx: BackwardContext<A>) => (Tensor | null)[];

export interface NodeOptions {
  /** PyTorch's class name, e.g. MulBackward0 */
  name: string;
  /** producer of each input's gradient (null: that input needs none) */
  next: (Node | null)[];
  inputMeta: InputMeta[];
  rule?: BackwardRule<unknown> | null;
  attrs?: unknown;
  savedInputs?: (SavedTensor | null)[];
  savedOutput?: SavedTensor | null;
  /** values the forward kept for backward (ctx.saveForBackward) */
  saved?: Tensor[] | null;
  /** the leaf, for AccumulateGrad nodes */
  leaf?: Tensor | null;
  /** a node this one runs inside its rule (CopySlices wraps the in-place op's node): its saved values are this node's too */
  wrapped?: Node | null;
  /** a fused op's node: the names of the chain of nodes below it that PyTorch would have recorded */
  standsFor?: readonly string[];
}

/** A grad_fn. `name` is PyTorch's class name, e.g. MulBackward0. */
export class Node {
  readonly name: string;
  readonly sequence: number;
  /** Producer of each input's gradient: another Node, a leaf's AccumulateGrad, or null (no grad needed). */
  readonly next: (Node | null)[];
  readonly inputMeta: InputMeta[];
  /** Leaf tensor for AccumulateGrad nodes. */
  readonly leaf: Tensor | null;
  private savedInputs: (SavedTensor | null)[] | null;
  private savedOutput: SavedTensor | null;
  private saved: Tensor[] | null;
  private readonly wrapped: Node | null;
  private hasSaved: boolean;
  private freed = false;
  /** the output tensor whose .grad this node fills in (t.retain_grad()), else null */
  retainedOutput: Tensor | null = null;
  /** t.register_hook(fn) on this node's output (or on the leaf of an AccumulateGrad): run in order on its gradient, a result replacing it */
  hooks: ((grad: Tensor) => Tensor | null)[] | null = null;
  /** liveness stamp of the last mark phase that reached this node (see lifetime.ts) */
  mark = 0;
  /** backward-pass bookkeeping (runBackward): edges not yet processed, gradient summed so far */
  pending = 0;
  gradBuffer: Tensor | null = null;
  visiting = false;
  private readonly rule: BackwardRule<unknown> | null;
  private readonly attrs: unknown;
  private readonly standsFor: readonly string[] | null;
  private shownNext: (Node | null)[] | null = null;

  constructor(options: NodeOptions) {
    const leaf = options.leaf ?? null;
    const savedInputs = options.savedInputs ?? NO_SAVED;
    const savedOutput = options.savedOutput ?? null;
    const saved = options.saved ?? null;
    this.name = options.name;
    this.sequence = leaf ? Number.POSITIVE_INFINITY : nextSequence++;
    this.next = options.next;
    this.inputMeta = options.inputMeta;
    this.rule = options.rule ?? null;
    this.attrs = options.attrs ?? null;
    this.savedInputs = savedInputs;
    this.savedOutput = savedOutput;
    this.saved = saved;
    this.wrapped = options.wrapped ?? null;
    let hasSaved = savedOutput !== null || saved !== null || this.wrapped !== null;
    for (let i = 0; i < savedInputs.length; i++) if (savedInputs[i] !== null) hasSaved = true;
    this.hasSaved = hasSaved;
    this.leaf = leaf;
    this.standsFor = options.standsFor ?? null;
  }

  /**
   * The edges as PyTorch's graph has them (grad_fn.next_functions): a fused op's node shows the
   * chain of nodes it stands for, made once (so `is` holds between reads) and never run.
   */
  shownEdges(): readonly (Node | null)[] {
    if (this.standsFor === null) return this.next;
    if (this.shownNext === null) {
      let below: (Node | null)[] = this.next;
      let meta = this.inputMeta;
      for (let i = this.standsFor.length - 1; i >= 0; i--) {
        const node: Node = new Node({ name: this.standsFor[i], next: below, inputMeta: meta });
        below = [node];
        meta = [meta[0]];
      }
      this.shownNext = below;
    }
    return this.shownNext;
  }

  /** The saved output is attached after the output tensor exists. */
  attachOutput(saved: SavedTensor): void {
    this.savedOutput = saved;
    this.hasSaved = true;
  }

  static accumulateGrad(leaf: Tensor): Node {
    return new Node({ name: 'AccumulateGrad', next: [], inputMeta: [{ shape: leaf.shape, dtype: leaf.dtype }], leaf });
  }

  apply(grad: Tensor, accumulateInto: readonly (Tensor | null)[] = NO_TARGETS): (Tensor | null)[] {
    if (this.hasSaved && this.freed) throw runtimeError(FREED_MESSAGE);
    const output = this.savedOutput ? this.savedOutput.unpack() : null;
    const saved = this.saved ?? NO_TENSORS;
    return this.rule!(grad, { inputs: this.unpackInputs(), output, needs: needsOf(this.next), attrs: this.attrs, inputMeta: this.inputMeta, saved, accumulateInto });
  }

  /** The saved inputs by position (null where not saved); one shared array of nulls when none is. */
  private unpackInputs(): readonly (Tensor | null)[] {
    const savedInputs = this.savedInputs ?? NO_SAVED;
    const n = savedInputs.length;
    let inputs: (Tensor | null)[] | null = null;
    for (let i = 0; i < n; i++) {
      const s = savedInputs[i];
      if (s !== null) (inputs ??= new Array<Tensor | null>(n).fill(null))[i] = s.unpack();
    }
    return inputs ?? (n < NULLS.length ? NULLS[n] : new Array<null>(n).fill(null));
  }

  /** For graph views: input i as saved for backward (null when not saved, or freed after backward). */
  peekSaved(i: number): Tensor | null {
    const saved = this.savedInputs?.[i];
    return saved ? saved.tensor : null;
  }

  /** For graph views: the op's attributes (e.g. pow's exponent, sum's dim). */
  get attributes(): unknown {
    return this.attrs;
  }

  /** Calls fn for every tensor this node still keeps for backward. */
  forEachSaved(fn: (t: Tensor) => void): void {
    if (this.savedOutput) fn(this.savedOutput.tensor);
    const inputs = this.savedInputs;
    if (inputs) for (const s of inputs) if (s) fn(s.tensor);
    const saved = this.saved;
    if (saved) for (const t of saved) fn(t);
    this.wrapped?.forEachSaved(fn);
  }

  /** backward() (without retain_graph) has freed what this node saved: it cannot run again. */
  isFreed(): boolean {
    return this.freed;
  }

  /** For fused steps that stand for a backward pass: whether this node runs `rule` (which op recorded it). */
  runs(rule: unknown): boolean {
    return this.rule === rule;
  }

  /** For fused steps: value i the forward kept with ctx.saveForBackward (null when none, or freed). */
  peekKept(i: number): Tensor | null {
    return this.saved?.[i] ?? null;
  }

  /** Whether apply() could unpack what this node saved now: not freed, no saved tensor changed in place since. */
  savedIntact(): boolean {
    if (this.freed) return false;
    const output = this.savedOutput;
    if (output !== null && output.tensor._version.value !== output.version) return false;
    const inputs = this.savedInputs;
    if (inputs !== null) for (const s of inputs) if (s !== null && s.tensor._version.value !== s.version) return false;
    return this.wrapped === null || this.wrapped.savedIntact();
  }

  release(): void {
    if (!this.hasSaved) return;
    this.freed = true;
    this.savedInputs = null;
    this.savedOutput = null;
    this.saved = null;
    this.wrapped?.release();
  }
}

/** Hooks the engine needs from tensor.ts (injected to keep this module free of import cycles). */
export interface EngineOps {
  add(a: Tensor, b: Tensor): Tensor;
  addInPlace(target: Tensor, b: Tensor): void;
  sumTo(g: Tensor, shape: readonly number[]): Tensor;
  clone(t: Tensor): Tensor;
  cast(t: Tensor, dtype: DType): Tensor;
}

/**
 * Watches backward passes for the graph views (src-main/graph). Null except while a program's
 * graph is being recorded, so an ordinary backward pays one null check per node.
 */
export interface GraphObserver {
  /** A pass starts at `root`, the node of `output`, with `gradient` (what backward() was given, or ones). */
  begin(root: Node, output: Tensor, gradient: Tensor): void;
  /** `node` runs now with `grad`, the sum of every gradient that reached it. */
  node(node: Node, grad: Tensor): void;
  /** `node` sent `grad` along node.next[input] (already reduced to that input's shape). */
  edge(node: Node, input: number, grad: Tensor): void;
  /** The pass is over (also after an error). */
  end(): void;
}

let observer: GraphObserver | null = null;

/** Installs (or with null removes) the one graph observer. */
export function observeGraph(next: GraphObserver | null): void {
  observer = next;
}

/** While a graph is recorded, fused ops that would hide PyTorch's nodes stand aside. */
export function isGraphObserved(): boolean {
  return observer !== null;
}

// Per-pass bookkeeping lives on the nodes themselves (no Map/Set per backward call); these
// arrays are reused from one call to the next. A backward pass cannot start inside another.
const visited: Node[] = [];
const walk: Node[] = [];
const ready: Node[] = [];
/** Tensors handed to a leaf, so a shared buffer is cloned before it is kept as .grad. */
const handedOut: Tensor[] = [];

/**
 * Runs backward from `root` with `gradient` (same shape as root). Accumulates into leaves' .grad.
 */
export function runBackward(root: Tensor, gradient: Tensor, retainGraph: boolean, ops: EngineOps): void {
  const rootNode = root._gradFn ?? root._accumulateNode();
  const watcher = observer;
  const restore = setGradEnabled(false);
  // Every tensor made during backward is private to it except the leaves' .grad (persisted
  // below), so its buffers go back to the arena at the end even without torch.tidy().
  enterScope();
  try {
    // Count dependencies: how many edges point at each node.
    rootNode.pending = 0;
    rootNode.visiting = true;
    visited.push(rootNode);
    walk.push(rootNode);
    while (walk.length > 0) {
      const node = walk.pop()!;
      const next = node.next;
      for (let i = 0; i < next.length; i++) {
        const child = next[i];
        if (!child) continue;
        if (!child.visiting) {
          child.visiting = true;
          child.pending = 0;
          visited.push(child);
          walk.push(child);
        }
        child.pending++;
      }
    }
    handedOut.push(gradient);
    if (watcher !== null) watcher.begin(rootNode, root, gradient);
    rootNode.gradBuffer = gradient;
    ready.push(rootNode);
    while (ready.length > 0) {
      // newest node first (PyTorch's ready queue ordering); AccumulateGrad has infinite sequence
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (ready[i].sequence > ready[best].sequence) best = i;
      const node = ready[best];
      ready[best] = ready[ready.length - 1];
      ready.pop();
      let grad = node.gradBuffer!;
      node.gradBuffer = null;
      if (node.hooks !== null) grad = runHooks(node.hooks, grad);
      if (watcher !== null) watcher.node(node, grad);
      if (node.leaf) {
        accumulateIntoLeaf(node.leaf, grad, ops);
        continue;
      }
      if (node.retainedOutput !== null) retainGrad(node.retainedOutput, grad, ops);
      const next = node.next;
      let targets: (Tensor | null)[] | undefined;
      // (an observed pass sends every gradient along its edge, so none is added in place)
      for (let i = 0; watcher === null && i < next.length; i++) {
        const child = next[i];
        const leaf = child?.leaf;
        if (leaf && leaf.grad && child!.pending === 1 && child!.gradBuffer === null && child!.hooks === null && !leaf.grad._isView()) {
          (targets ??= next.map(() => null))[i] = leaf.grad;
        }
      }
      const inputGrads = node.apply(grad, targets);
      if (!retainGraph) node.release();
      for (let i = 0; i < next.length; i++) {
        const child = next[i];
        if (!child) continue;
        let g = inputGrads[i];
        if (g) {
          const meta = node.inputMeta[i];
          if (!sameShape(g.shape, meta.shape)) g = ops.sumTo(g, meta.shape);
          // as PyTorch's validate_outputs: a gradient takes its input's dtype
          if (g.dtype !== meta.dtype) g = ops.cast(g, meta.dtype);
          if (watcher !== null) watcher.edge(node, i, g);
          const existing = child.gradBuffer;
          child.gradBuffer = existing ? ops.add(existing, g) : g;
        }
        if (--child.pending === 0) {
          if (child.gradBuffer !== null) ready.push(child);
          // a node whose incoming gradients were all undefined: nothing flows further, but its graph is freed
          else if (!retainGraph) child.release();
        }
      }
    }
  } finally {
    if (watcher !== null) watcher.end();
    for (const node of visited) {
      node.visiting = false;
      node.gradBuffer = null;
      node.pending = 0;
    }
    visited.length = 0;
    walk.length = 0;
    ready.length = 0;
    handedOut.length = 0;
    exitScope();
    restore();
  }
}

/** The tensor hooks of a node in the order they were registered; a hook returning a tensor replaces the gradient for the next ones and for the graph. */
function runHooks(hooks: readonly ((grad: Tensor) => Tensor | null)[], grad: Tensor): Tensor {
  let g = grad;
  for (const hook of hooks.slice()) {
    const replaced = hook(g);
    if (replaced !== null) {
      if (!sameShape(replaced.shape, g.shape)) throw runtimeError(`hook 'hook' has changed the size of value`);
      g = replaced;
    }
  }
  return g;
}

function accumulateIntoLeaf(leaf: Tensor, grad: Tensor, ops: EngineOps): void {
  if (leaf.grad === null) {
    // Keep the buffer itself unless something else may still see it (PyTorch steals or clones).
    leaf.grad = handedOut.includes(grad) || grad._isView() || !grad.isContiguous() ? ops.clone(grad) : grad;
    handedOut.push(grad);
    // .grad outlives the backward pass and any torch.tidy() scope it ran in
    persistStorage(leaf.grad._version);
  } else {
    // `grad += new_grad`, an in-place change PyTorch's version counter sees
    ops.addInPlace(leaf.grad, grad);
    leaf.grad._version.value++;
  }
}

/** retain_grad()'s hook: the first gradient is cloned, later ones are added (out of place). */
function retainGrad(t: Tensor, grad: Tensor, ops: EngineOps): void {
  t.grad = t.grad === null ? ops.clone(grad) : ops.add(t.grad, grad);
  persistStorage(t.grad._version);
}

/** PyTorch's check for backward(gradient): shapes must agree. */
export function checkGradientShape(gradient: Tensor, output: Tensor): void {
  if (!sameShape(gradient.shape, output.shape)) {
    throw runtimeError(
      `Mismatch in shape: grad_output[0] has a shape of ${formatSize(gradient.shape)} and output[0] has a shape of ${formatSize(output.shape)}.`,
    );
  }
}
