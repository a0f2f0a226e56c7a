// The autograd graph a program built, as plain data (structured-clone safe; JSON safe apart
// from non-finite numbers): what the graph recorder (src-main/graph) sends the window in pyDone.
// Node names are PyTorch's grad_fn class names; edges are next_functions in order.

/** A tensor's values as the views show them: all of a small tensor, the first few of a big one. */
export interface TensorSummary {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly numel: number;
  /** Every element when numel <= SUMMARY_FULL_LIMIT, else the first SUMMARY_HEAD (row-major). */
  readonly values: readonly number[];
  /** The element a view follows (the lab's selected element) when `values` stops before it. */
  readonly focus?: { readonly index: number; readonly value: number };
}

/** The leaf tensor behind an AccumulateGrad node. */
export interface GraphLeaf {
  /** Variables of the program that hold this tensor (empty: made inline, e.g. `torch.ones(2, requires_grad=True) * x`). */
  readonly names: readonly string[];
  /** Its values when backward() ran (else when the program ended). */
  readonly value: TensorSummary | null;
  /** Its values when the program ended, if they changed after backward() (e.g. `w -= lr * w.grad`). */
  readonly valueNow: TensorSummary | null;
  readonly requiresGrad: boolean;
  /** `.grad` when the program ended (null: None). */
  readonly grad: TensorSummary | null;
}

export interface GraphNode {
  readonly id: number;
  /** PyTorch's class name: MulBackward0, SumBackward0, AccumulateGrad, … */
  readonly name: string;
  /** Variables holding this node's output (for a grad_fn node: the tensors whose grad_fn it is). */
  readonly names: readonly string[];
  /** The output's values, when a variable holds it. */
  readonly output: TensorSummary | null;
  /** Shape and dtype of each input, in next_functions order. */
  readonly inputs: readonly { readonly shape: readonly number[]; readonly dtype: string }[];
  /** The op's plain attributes (pow's exponent, sum's dim, …). */
  readonly attrs: Readonly<Record<string, number | boolean | string | null>>;
  /** Set for AccumulateGrad. */
  readonly leaf: GraphLeaf | null;
}

/**
 * One entry of a node's next_functions. `to` is the node the gradient goes to; null is PyTorch's
 * None: no gradient flows there (a constant, or a tensor cut off by detach() or no_grad).
 * `hidden`: the node exists but lies past the node limit.
 */
export interface GraphEdge {
  readonly from: number;
  readonly input: number;
  readonly to: number | null;
  readonly hidden?: true;
  /** For a None entry: the variables holding the input, when the node saved it (MulBackward0 keeps x for w's gradient). */
  readonly names?: readonly string[];
}

/** What one node did in a backward pass, in the order the engine ran it. */
export interface BackwardStep {
  readonly node: number;
  /** The gradient that reached it (summed over every edge into it). */
  readonly gradIn: TensorSummary | null;
  /** Inputs the node saved for backward (by input position; null: not saved). */
  readonly saved: readonly (TensorSummary | null)[];
  /** The gradients it sent, by input position (only along edges that need one). */
  readonly out: readonly { readonly input: number; readonly grad: TensorSummary | null }[];
  /** AccumulateGrad: `.grad` before and after this step. */
  readonly gradBefore?: TensorSummary | null;
  readonly gradAfter?: TensorSummary | null;
}

export interface BackwardPass {
  /** The program line of the backward() call (1-based), when known. */
  readonly line: number | null;
  /** The gradient backward started from (ones for a scalar root). */
  readonly seed: TensorSummary | null;
  readonly steps: readonly BackwardStep[];
}

export interface GraphRoot {
  readonly node: number;
  /** The variable holding the root tensor, when one does. */
  readonly names: readonly string[];
  readonly value: TensorSummary | null;
  /** The most recent backward() from this root; null when backward() was not called on it. */
  readonly backward: BackwardPass | null;
}

/** A variable holding `x.detach()` (or a view of it) of a tensor in the graph: drawn as cut off. */
export interface DetachedTensor {
  readonly names: readonly string[];
  readonly value: TensorSummary | null;
  /** The node of the tensor it was detached from (its grad_fn, or AccumulateGrad for a leaf). */
  readonly from: number;
}

export interface RecordedGraph {
  readonly roots: readonly GraphRoot[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly detached: readonly DetachedTensor[];
  /** Set when the graph has more nodes than the limit; only the first `limit` are recorded. */
  readonly truncated: { readonly limit: number } | null;
}

/** Why a program has no graph to show. */
export type NoGraphReason = 'no-grad-fn';

export type CellGraph = { readonly ok: true; readonly graph: RecordedGraph } | { readonly ok: false; readonly reason: NoGraphReason };

export const SUMMARY_FULL_LIMIT = 24;
export const SUMMARY_HEAD = 8;
export const DEFAULT_NODE_LIMIT = 300;
