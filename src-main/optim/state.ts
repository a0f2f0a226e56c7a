// What the optimizers keep per parameter, and how they read and write a parameter's numbers.
import { torch, type Tensor } from '../engine/index';

/**
 * One parameter's optimizer state under PyTorch's own keys ('momentum_buffer', 'exp_avg', ...), in
 * PyTorch's order. A number is a Python int (RMSprop's 'step'; Adam's and Adagrad's are tensors).
 */
export type ParamState = Record<string, Tensor | number | null>;

/** A state tensor the optimizer made (its absence or another type is a bug, not a user error). */
export function stateTensor(st: ParamState, key: string): Tensor {
  const t = st[key];
  if (typeof t !== 'object' || t === null) throw new Error(`optimizer state '${key}' is not a tensor`);
  return t;
}

/** A parameter's first step: `step` and a zero buffer of the parameter's shape for each name given. */
export function freshState(st: ParamState, p: Tensor, step: Tensor | number, buffers: readonly (string | false)[]): void {
  st.step = step;
  for (const name of buffers) if (name !== false) st[name] = float32Tensor(p);
}

/** The optimizers' state: one entry per parameter that has taken a step (like `optimizer.state`). */
export type OptimizerState = Map<Tensor, ParamState>;

export function stateFor(state: OptimizerState, p: Tensor): ParamState {
  let s = state.get(p);
  if (!s) {
    s = {};
    state.set(p, s);
  }
  return s;
}

/**
 * A float32 tensor's elements in row-major order. For a contiguous tensor this is its storage,
 * so writing it changes the tensor; otherwise a copy, to hand back with writeElements. The
 * optimizers only take float32 parameters (the Python binding says so plainly for other dtypes).
 */
export function float32Elements(t: Tensor): Float32Array {
  const data = t.data;
  if (t.dtype !== 'float32' || !(data instanceof Float32Array)) {
    throw new Error(`optimizer: expected a float32 tensor, got ${t.dtype} of shape [${t.shape.join(', ')}]`);
  }
  return data;
}

/** Stores elements read with float32Elements back into a tensor that is not contiguous. */
export function writeElements(t: Tensor, values: Float32Array): void {
  if (!t.isContiguous()) t.data = values;
}

/** A new float32 tensor of `like`'s shape holding `values` (a state buffer, never tracked by autograd). */
export function float32Tensor(like: Tensor, values?: Float32Array): Tensor {
  const t = torch.zeros([...like.shape]);
  if (values) float32Elements(t).set(values);
  return t;
}

/**
 * Bumps the version counter of a tensor the optimizer changed in place, as every in-place op
 * does, so a graph that saved the old value refuses to backward through it (PyTorch's
 * "modified by an inplace operation" error).
 */
export function markModified(t: Tensor): void {
  t._version.value += 1;
}
