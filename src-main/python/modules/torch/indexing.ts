// Tensor indexing and item assignment: t[i], t[i, j], row slices t[a:b] as views, and
// t[...] = value with PyTorch's broadcasting and errors.
import { Tensor, torch as engine, type DType } from '../../../engine/index';
import type { Context, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { sliceIndices } from '../../ops';
import { PySlice, PyTuple } from '../../values';
import { notSupported, scalarArg } from './values';

// ---------- indexing ----------

/**
 * t[a:b] along the first dimension. Only steps of 1: the engine's tensors are contiguous, and a
 * slice with a step (or of a later dimension) would need strided views.
 */
function sliceFirstDim(cx: Context, t: Tensor, slice: PySlice): Tensor {
  if (t.dim() === 0) throw new PyException('IndexError', 'slice() cannot be applied to a 0-dim tensor.');
  const [start, , step, count] = sliceIndices(slice, t.shape[0]);
  if (step < 0) throw new PyException('ValueError', 'step must be greater than zero');
  if (step !== 1) throw notSupported(cx, `slices with a step like t[::${step}] (step-1 slices such as t[1:3] work)`);
  return t.sliceRows(start, start + count);
}

const isFullSlice = (v: Value): boolean => v instanceof PySlice && v.start === null && v.stop === null && v.step === null;

export function checkedIndex(cx: Context, t: Tensor, index: Value): Tensor {
  if (typeof index === 'bigint' || typeof index === 'boolean') {
    if (typeof index === 'boolean') throw notSupported(cx, 'indexing a tensor with True/False');
    return t.index(Number(index));
  }
  if (index instanceof PySlice) return sliceFirstDim(cx, t, index);
  if (index instanceof PyTuple) {
    if (index.items.length > t.dim()) throw new PyException('IndexError', `too many indices for tensor of dimension ${t.dim()}`);
    let r = t;
    let dim = 0;
    let sliced = false;
    for (const i of index.items) {
      if (sliced) {
        // After a slice only whole dimensions (:) can follow: t[1:3, :]. t[:, 0] picks a column,
        // which is not contiguous in memory.
        if (isFullSlice(i)) continue;
        throw notSupported(cx, 'indexing a column after a slice like t[:, 0] (rows work: t[1:3], t[0, 1:], t[1:, :])');
      }
      if (i instanceof PySlice) {
        r = sliceFirstDim(cx, r, i);
        sliced = true;
        continue;
      }
      if (typeof i !== 'bigint') throw notSupported(cx, `tensor indexing with ${typeName(cx, i)} inside a tuple (only integers and slices, like t[0, 1] or t[0, 1:])`);
      const size = r.shape[0];
      const n = Number(i);
      if (n < -size || n >= size) throw new PyException('IndexError', `index ${n} is out of bounds for dimension ${dim} with size ${size}`);
      r = r.index(n);
      dim++;
    }
    return r;
  }
  if (index instanceof Tensor) {
    if (index.dim() === 0 && index.dtype === 'int64') return t.index(index.item());
    throw notSupported(cx, 'indexing a tensor with another tensor (masks, index tensors)');
  }
  if (index === null) throw notSupported(cx, 't[None] indexing');
  throw new PyException('IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got ' + typeName(cx, index) + ')');
}

/**
 * Copies `value` into `target` the way PyTorch's setitem does: leading size-1 dimensions of value
 * are dropped, then it broadcasts over target (m[0:2] = row fills both rows), with PyTorch's
 * errors when it cannot.
 */
function copyBroadcast(value: Tensor, target: Tensor, cast: (x: number) => number): void {
  let shape = value.shape.slice();
  while (shape.length > 0 && shape[0] === 1) shape = shape.slice(1);
  const targetShape = target.shape;
  if (shape.length > targetShape.length) {
    throw new PyException(
      'RuntimeError',
      `expand(${TYPE_LABEL[value.dtype]}{[${value.shape.join(', ')}]}, size=[${targetShape.join(', ')}]): the number of sizes provided (${targetShape.length}) must be greater or equal to the number of dimensions in the tensor (${value.dim()})`,
    );
  }
  const offset = targetShape.length - shape.length;
  for (let d = targetShape.length - 1; d >= offset; d--) {
    const size = shape[d - offset];
    if (size !== targetShape[d] && size !== 1) {
      throw new PyException(
        'RuntimeError',
        `The expanded size of the tensor (${targetShape[d]}) must match the existing size (${size}) at non-singleton dimension ${d}.  Target sizes: [${targetShape.join(', ')}].  Tensor sizes: [${value.shape.join(', ')}]`,
      );
    }
  }
  const source = value.data;
  const data = target.data;
  if (source.length === data.length) {
    for (let k = 0; k < data.length; k++) data[k] = cast(source[k]);
    return;
  }
  // Source index of each target element: dimensions of size 1 (or missing) repeat.
  for (let k = 0; k < data.length; k++) {
    let rest = k;
    let from = 0;
    let stride = 1;
    for (let d = targetShape.length - 1; d >= offset; d--) {
      const coordinate = rest % targetShape[d];
      rest = Math.floor(rest / targetShape[d]);
      const size = shape[d - offset];
      if (size !== 1) from += coordinate * stride;
      stride *= size;
    }
    data[k] = cast(source[from]);
  }
}

/** t[i] = value, t[1:3] = value: writes into the storage like PyTorch's in-place copy into a view. */
export function setTensorItem(cx: Context, t: Tensor, index: Value, value: Value): void {
  const slicing = index instanceof PySlice || (index instanceof PyTuple && index.items.some((i) => i instanceof PySlice));
  if (!slicing && !(typeof index === 'bigint' || (index instanceof PyTuple && index.items.every((i) => typeof i === 'bigint')))) {
    throw notSupported(cx, 'this kind of tensor item assignment (t[i] = value, t[i, j] = value and t[1:3] = value work)');
  }
  if (engine.isGradEnabled() && t.requiresGrad) {
    if (t.isLeaf) throw new PyException('RuntimeError', 'a view of a leaf Variable that requires grad is being used in an in-place operation.');
    throw notSupported(cx, 'assigning into a tensor that is part of an autograd graph');
  }
  // The part of t to write: a view on t's storage (no graph: t does not require grad here).
  const target = engine.noGrad(() => checkedIndex(cx, t, index));
  const data = target.data;
  const cast = (x: number): number => (t.dtype === 'float32' ? Math.fround(x) : t.dtype === 'int64' ? Math.trunc(x) : x !== 0 ? 1 : 0);
  if (value instanceof Tensor) {
    copyBroadcast(value, target, cast);
  } else {
    const s = scalarArg(value);
    if (s === undefined) throw typeError(`can't assign a ${typeName(cx, value)} to a ${TYPE_LABEL[t.dtype]}`);
    const x = typeof s === 'object' ? s.value : typeof s === 'boolean' ? (s ? 1 : 0) : s;
    data.fill(cast(x));
  }
  (t as unknown as { _version: { value: number } })._version.value++;
}

export const TYPE_LABEL: Record<DType, string> = {
  float32: 'torch.FloatTensor',
  int64: 'torch.LongTensor',
  bool: 'torch.BoolTensor',
  float64: 'torch.DoubleTensor',
  int32: 'torch.IntTensor',
  uint8: 'torch.ByteTensor',
};
