// How an in-place change of a view is recorded, as PyTorch rebases a view's history: the base
// gets CopySlices (wrapping the in-place op's node) and the view AsStridedBackward0.
import { Node } from '../autograd';
import type { BackwardRule } from '../autograd';
import type { DType } from '../dtype';
import { Tensor } from '../tensor';
import { copyInto, copyOf, fullLike, makeTensor } from './common';
import { sumTo } from './reductions';

interface Geometry {
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}
interface CopySlicesAttrs {
  view: Geometry;
  base: Geometry & { storageSize: number; dtype: DType };
}

/**
 * After an in-place op changed view v, whose node (t._gradFn, input 0 = v's old value) is now
 * recorded, PyTorch rebases the history: the base's grad_fn becomes CopySlices around that node
 * (the base's gradient, with the view's part replaced by what the op's backward gives for its
 * old value) and v's becomes AsStridedBackward0 (the view taken of the new base).
 */
export function rebaseView(v: Tensor): void {
  const fn = v._gradFn!;
  const base = v._base!;
  const attrs: CopySlicesAttrs = {
    view: { shape: v.shape, strides: v.strides(), offset: v._offset },
    base: { shape: base.shape, strides: base.strides(), offset: base._offset, storageSize: base._storage.length, dtype: base.dtype },
  };
  const baseHistory = base.requiresGrad ? (base._gradFn ?? base._accumulateNode()) : null;
  const copySlices = new Node({
    name: 'CopySlices',
    next: [baseHistory, ...fn.next.slice(1)],
    inputMeta: [{ shape: base.shape, dtype: base.dtype }, ...fn.inputMeta.slice(1)],
    rule: copySlicesBackward(fn) as BackwardRule<unknown>,
    attrs,
    wrapped: fn,
  });
  base._gradFn = copySlices;
  v._gradFn = new Node({
    name: 'AsStridedBackward0',
    next: [copySlices],
    inputMeta: [{ shape: base.shape, dtype: base.dtype }],
    rule: asStridedBackward as BackwardRule<unknown>,
    attrs,
  });
}

/** The base laid out as it is, over a fresh storage holding g's values, and the view's part of it. */
function baseLaidOut(g: Tensor, { base, view }: CopySlicesAttrs): { whole: Tensor; part: Tensor } {
  const storage = makeTensor(g.dtype, [base.storageSize]);
  const whole = new Tensor(storage.data, base.shape, g.dtype, storage._version, base.offset, base.strides.slice());
  copyInto(whole, g);
  return { whole, part: new Tensor(storage.data, view.shape, g.dtype, storage._version, view.offset, view.strides.slice()) };
}

function copySlicesBackward(fn: Node): BackwardRule<CopySlicesAttrs> {
  return (g, { needs, attrs }) => {
    const { whole, part } = baseLaidOut(g, attrs);
    const grads = fn.apply(copyOf(part));
    const own = grads[0];
    if (own) copyInto(part, own.shape.length === part.shape.length ? own : sumTo(own, part.shape));
    else copyInto(part, fullLike([], g.dtype, 0));
    return [needs[0] ? copyOf(whole) : null, ...grads.slice(1)];
  };
}

/** AsStridedBackward0: the gradient of the view, placed into zeros laid out like the base. */
const asStridedBackward: BackwardRule<CopySlicesAttrs> = (g, { attrs }) => {
  const { whole, part } = baseLaidOut(fullLike([], g.dtype, 0), attrs);
  copyInto(part, g);
  return [copyOf(whole)];
};
