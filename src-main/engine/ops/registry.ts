// How an op is defined and recorded. Every differentiable op is one OpDefinition: its grad_fn
// name, its forward (values exactly as PyTorch's CPU kernels produce them), which tensors its
// backward needs, and its backward rule (PyTorch's derivatives.yaml formulas, evaluated with
// the engine's own ops in no-grad mode). `apply` runs the forward and records the graph.
import { Node, SavedTensor } from '../autograd';
import type { BackwardRule, InputMeta } from '../autograd';
import { isGradEnabled } from '../grad-mode';
import type { Tensor } from '../tensor';

export interface SaveSpec {
  /** per input: keep it for backward */
  inputs?: readonly boolean[];
  /** keep the output for backward */
  output?: boolean;
}

/**
 * What a forward may do besides computing: keep values it computed on the way for the
 * backward rule (PyTorch's ctx.save_for_backward), where separate ops would have saved them.
 * They reach the rule as ctx.saved, in the order kept, and are dropped when no graph is recorded.
 */
export class ForwardContext {
  saved: Tensor[] | null = null;
  saveForBackward(t: Tensor): void {
    (this.saved ??= []).push(t);
  }
}

export interface OpDefinition<A> {
  /** PyTorch's grad_fn class name */
  readonly gradFn: string | ((attrs: A) => string);
  /** true when forward keeps values with ctx.saveForBackward (the others get a context that refuses) */
  readonly keepsValues?: boolean;
  /** For a fused op: the grad_fn names of the nodes below its own that PyTorch's graph has (shown by next_functions) */
  readonly standsFor?: readonly string[];
  /** Computes the output (no graph). Python scalars arrive as 0-d tensors. */
  forward(inputs: readonly Tensor[], attrs: A, ctx: ForwardContext): Tensor;
  /** Which values the backward rule needs, given which inputs need a gradient. */
  save?(needs: readonly boolean[], attrs: A): SaveSpec;
  /** Gradients for each input (before reduction to the input's shape, which the engine does). */
  backward: BackwardRule<A>;
}

export function defineOp<A>(def: OpDefinition<A>): OpDefinition<A> {
  return def;
}

export type NoAttrs = Record<string, never>;
export const NONE: NoAttrs = {};

/** The context of ops that keep nothing (most of them): one shared object, so none is allocated per call. */
class NoValuesContext extends ForwardContext {
  override saveForBackward(): void {
    throw new Error('an op that keeps values for backward must declare keepsValues: true');
  }
}
const NO_VALUES_CONTEXT: ForwardContext = new NoValuesContext();

/** Runs an op and, when grad mode is on and an input requires grad, records its grad_fn node. */
export function apply<A>(def: OpDefinition<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  if (def.keepsValues !== true) return record(def, inputs, attrs, def.forward(inputs, attrs, NO_VALUES_CONTEXT));
  const ctx = new ForwardContext();
  const out = def.forward(inputs, attrs, ctx);
  return record(def, inputs, attrs, out, ctx.saved);
}

/** What an op without a save() keeps: nothing. */
const SAVES_NOTHING: SaveSpec = {};

/**
 * The graph half of apply: records `out` as the result of def(inputs) when a gradient is needed.
 * Written as plain loops into arrays of the right length: this runs for every op on tensors that
 * require grad, and at a few values per tensor its allocations were most of an epoch's garbage.
 */
export function record<A>(def: OpDefinition<A>, inputs: readonly Tensor[], attrs: A, out: Tensor, saved: Tensor[] | null = null): Tensor {
  if (!isGradEnabled()) return out;
  const n = inputs.length;
  let any = false;
  for (let i = 0; i < n; i++) if (inputs[i].requiresGrad) any = true;
  if (!any) return out;
  let spec = SAVES_NOTHING;
  if (def.save) {
    const needs: boolean[] = new Array<boolean>(n);
    for (let i = 0; i < n; i++) needs[i] = inputs[i].requiresGrad;
    spec = def.save(needs, attrs);
  }
  const keep = spec.inputs;
  const savedInputs: (SavedTensor | null)[] = new Array<SavedTensor | null>(n);
  const next: (Node | null)[] = new Array<Node | null>(n);
  const inputMeta: InputMeta[] = new Array<InputMeta>(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    savedInputs[i] = keep !== undefined && keep[i] ? new SavedTensor(t) : null;
    next[i] = t.requiresGrad ? (t._gradFn ?? t._accumulateNode()) : null;
    inputMeta[i] = t._inputMeta();
  }
  const name = typeof def.gradFn === 'string' ? def.gradFn : def.gradFn(attrs);
  const node = new Node({ name, next, inputMeta, rule: def.backward as BackwardRule<unknown>, attrs, savedInputs, saved, standsFor: def.standsFor });
  out._gradFn = node;
  if (spec.output) node.attachOutput(new SavedTensor(out, true));
  return out;
}
