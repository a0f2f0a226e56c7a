// The public surface the Python runner and the trainer code against (see docs/ENGINE.md).
import { describe, expect, it } from 'vitest';
import { formatSize, pyFloat, torch, Tensor } from '../../../src-main/engine';

const f32 = { dtype: 'float32' as const };

describe('engine API', () => {
  it('sizes, dims and formatSize', () => {
    const t = torch.zeros([2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
    expect(t.numel()).toBe(6);
    expect(t.dim()).toBe(2);
    expect(formatSize(t.shape)).toBe('torch.Size([2, 3])');
    expect(formatSize(torch.tensor(1, f32).shape)).toBe('torch.Size([])');
  });

  it('dtypes: JS integers are int64, fractions or pyFloat are float32, booleans bool, typed arrays keep their kind', () => {
    expect(torch.tensor([1, 2]).dtype).toBe('int64');
    expect(torch.tensor([1, 2.5]).dtype).toBe('float32');
    expect(torch.tensor([pyFloat(1), pyFloat(2)]).dtype).toBe('float32');
    expect(torch.tensor([true, false]).dtype).toBe('bool');
    expect(torch.tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(torch.full([2], pyFloat(3)).dtype).toBe('float32');
    expect(torch.zerosLike(torch.tensor([1, 2])).dtype).toBe('int64');
    expect(torch.onesLike(torch.ones([2]), { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('item and tolist give float64 values of the float32 elements', () => {
    expect(torch.tensor(0.1).item()).toBe(Math.fround(0.1));
    // int64 elements are exact: bigints (Python ints), wrapping around as C's int64_t
    expect(torch.tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1n, 2n], [3n, 4n]]);
    expect(torch.tensor([2n ** 63n - 1n]).add(1).tolist()).toEqual([-(2n ** 63n)]);
    expect(torch.tensor([true]).tolist()).toEqual([true]);
    expect(torch.tensor(2.5).tolist()).toBe(2.5);
  });

  it('clone copies, detach and views share storage', () => {
    const w = torch.tensor([1, 2], { ...f32, requiresGrad: true });
    const c = w.clone();
    const d = w.detach();
    const v = w.view([2, 1]);
    torch.noGrad(() => w.add_(1));
    expect(Array.from(c.data as ArrayLike<number>)).toEqual([1, 2]);
    expect(Array.from(d.data as ArrayLike<number>)).toEqual([2, 3]);
    expect(Array.from(v.data as ArrayLike<number>)).toEqual([2, 3]);
    expect(d.requiresGrad).toBe(false);
    expect(c.gradFn?.name).toBe('CloneBackward0');
    expect(w.isLeaf && !c.isLeaf && d.isLeaf).toBe(true);
  });

  it('requiresGrad setter, requiresGrad_ and the grad of leaves only', () => {
    const t = torch.ones([2]);
    t.requiresGrad = true;
    expect(t.requiresGrad).toBe(true);
    const y = t.mul(2);
    y.sum().backward();
    expect(Array.from(t.grad!.data as ArrayLike<number>)).toEqual([2, 2]);
    expect(y.grad).toBeNull();
    expect(t.requiresGrad_(false).requiresGrad).toBe(false);
  });

  it('noGrad nests and restores after exceptions; enterNoGrad returns the restore function', () => {
    expect(torch.isGradEnabled()).toBe(true);
    const restore = torch.enterNoGrad();
    expect(torch.isGradEnabled()).toBe(false);
    torch.noGrad(() => expect(torch.isGradEnabled()).toBe(false));
    expect(torch.isGradEnabled()).toBe(false);
    restore();
    expect(torch.isGradEnabled()).toBe(true);
    expect(() => torch.noGrad(() => {
      throw new Error('x');
    })).toThrow('x');
    expect(torch.isGradEnabled()).toBe(true);
  });

  it('rand/randn follow PyTorch\'s generator after manualSeed', () => {
    torch.manualSeed(0);
    expect(torch.randn([3]).toString()).toBe('tensor([ 1.5410, -0.2934, -2.1788])');
    torch.manualSeed(0);
    const r = torch.rand([2]);
    expect(r.dtype).toBe('float32');
    expect(r instanceof Tensor).toBe(true);
  });

  it('data can be overwritten in place with the same number of values', () => {
    const t = torch.zeros([3]);
    t.data = [1, 2, 3];
    expect(t.toString()).toBe('tensor([1., 2., 3.])');
    expect(() => {
      t.data = [1];
    }).toThrow(/3 elements/);
  });
});
