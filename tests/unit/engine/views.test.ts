// Strided views: sizes, strides and storage offsets as PyTorch 1.13 reports them (each expected
// value below was printed by real PyTorch), shared storage and version counters, and the
// layouts elementwise results take.
import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '../../../src-main/engine';
import * as ops from '../../../src-main/engine/ops';

const m = (): Tensor => torch.tensor([[0, 1, 2], [3, 4, 5]], { dtype: 'float32' });
const layout = (t: Tensor): [number[], number[], number, boolean] => [t.shape.slice(), t.strides(), t.storageOffset(), t.isContiguous()];

describe('strided views', () => {
  it('have PyTorch sizes, strides and storage offsets', () => {
    const x = m();
    expect(layout(ops.t(x))).toEqual([[3, 2], [1, 3], 0, false]);
    expect(layout(ops.narrow(x, 1, -1, 1))).toEqual([[2, 1], [3, 1], 2, false]);
    expect(layout(ops.expand(x, [4, -1, -1]))).toEqual([[4, 2, 3], [0, 3, 1], 0, false]);
    expect(layout(ops.unsqueeze(x, -3))).toEqual([[1, 2, 3], [6, 3, 1], 0, true]);
    expect(layout(ops.transpose(torch.zeros([3, 4, 5]), 1, 2))).toEqual([[3, 5, 4], [20, 1, 5], 0, false]);
    expect(layout(ops.slice(x, 1, null, null, 2))).toEqual([[2, 2], [3, 2], 0, false]);
    expect(layout(ops.select(x, 1, 1))).toEqual([[2], [3], 1, false]);
    expect(layout(ops.slice(ops.slice(x, 0, 1, null), 1, 1, null))).toEqual([[1, 2], [3, 1], 4, true]);
    expect(layout(ops.expand(ops.unsqueeze(x, 1), [2, 4, 3]))).toEqual([[2, 4, 3], [3, 0, 1], 0, false]);
    expect(layout(ops.unsqueeze(ops.t(x), 1))).toEqual([[3, 1, 2], [1, 6, 3], 0, false]);
    expect(layout(ops.view(ops.t(x), [3, 2]))).toEqual([[3, 2], [1, 3], 0, false]);
  });

  it('share storage and the version counter with their base', () => {
    const x = m();
    const col = ops.select(x, 1, 0);
    col.data = [10, 20];
    expect(Array.from(x.data as ArrayLike<number>)).toEqual([10, 1, 2, 20, 4, 5]);
    const before = x._version.value;
    ops.t(x).mul_(2);
    expect(x._version.value).toBe(before + 1);
    expect(Array.from(x.data as ArrayLike<number>)).toEqual([20, 2, 4, 40, 8, 10]);
    expect(ops.t(x)._base).toBe(x);
    expect(ops.t(ops.t(x))._base).toBe(x);
  });

  it('view refuses strides it cannot express, with PyTorch message; reshape copies then', () => {
    const x = m();
    expect(() => ops.view(ops.t(x), [6])).toThrow(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
    const r = ops.reshape(ops.t(x), [6]);
    expect(Array.from(r.data as ArrayLike<number>)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(r._version).not.toBe(x._version);
    expect(ops.reshape(x, [3, 2])._version).toBe(x._version);
  });

  it('elementwise results take TensorIterator layouts', () => {
    const x = m();
    // (x.t() * 2).stride() == (1, 3) and x.t() + x.t() too; with a contiguous operand as well
    expect(layout(ops.t(x).mul(2))).toEqual([[3, 2], [1, 3], 0, false]);
    expect(layout(ops.t(x).add(ops.t(x)))).toEqual([[3, 2], [1, 3], 0, false]);
    expect(layout(ops.t(x).add(torch.ones([3, 2])))).toEqual([[3, 2], [1, 3], 0, false]);
    expect(Array.from(ops.t(x).mul(2).contiguous().data as ArrayLike<number>)).toEqual([0, 6, 2, 8, 4, 10]);
    // and so PyTorch refuses to view them flat too
    expect(() => ops.view(ops.t(x).mul(2), [-1])).toThrow('view size is not compatible');
  });

  it('reductions over transposed views add in memory order (same bits as the contiguous sum)', () => {
    const x = torch.tensor(Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i) * 1000))).reshape([4, 6]);
    expect(Array.from(ops.t(x).sum(1).data as ArrayLike<number>)).toEqual(Array.from(x.sum(0).data as ArrayLike<number>));
    expect(ops.t(x).sum().item()).toBe(x.sum().item());
  });

  it('mm reads transposed operands through their strides', () => {
    const a = torch.tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32' });
    const w = torch.tensor([[1, 0], [2, 1]], { dtype: 'float32' });
    expect(ops.matmul(a, ops.t(w)).tolist()).toEqual([
      [1, 4],
      [3, 10],
      [5, 16],
    ]);
    expect(ops.addmm(torch.tensor([1, 1], { dtype: 'float32' }), a, ops.t(w)).gradFn).toBeNull();
  });

  it('unbind gives views with PyTorch values', () => {
    expect(ops.unbind(m(), 1).map((t) => t.tolist())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });
});
