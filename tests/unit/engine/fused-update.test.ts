// Tensor.addScaledInPlace: the fused `t -= y * s` / `t += y * s` must give exactly the bits of
// the two steps (product rounded to float32, then the in-place sum), and decline (null, nothing
// changed) whenever the fused kernel does not apply.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pyFloat, torch } from '../../../src-main/engine';
import type { Tensor } from '../../../src-main/engine';
import { inArena } from '../../../src-main/engine/arena';
import { makeInput, readFixture } from './helpers';

const SPECIALS = [0, -0, 1, -1, 0.1, 1e-30, -3.4e38, 3.4e38, Infinity, -Infinity, NaN];

/** The float32 bit patterns, with every NaN as one value (a NaN's sign and payload are not observable from Python). */
function bits(t: Tensor): number[] {
  const f = Float32Array.from(t.data as Float32Array, (v) => (Number.isNaN(v) ? NaN : v));
  return Array.from(new Uint32Array(f.buffer), (b, i) => (Number.isNaN(f[i]) ? 0x7fc00000 : b));
}

describe('fused scaled in-place update', () => {
  it('matches t.sub_(y.mul(s)) and t.add_(y.mul(s)) bit for bit, specials included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)), { minLength: 300, maxLength: 300 }),
        fc.array(fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)), { minLength: 300, maxLength: 300 }),
        fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(...SPECIALS), fc.integer()),
        fc.boolean(),
        (tv, yv, s, subtract) => {
          const scalar = Number.isInteger(s) ? s : pyFloat(s);
          const t1 = torch.tensor(Float32Array.from(tv));
          const y = torch.tensor(Float32Array.from(yv));
          const t2 = t1.clone();
          expect(inArena(t1.data)).toBe(true);
          const r = t1.addScaledInPlace(y, scalar, subtract);
          expect(r).toBe(t1);
          torch.noGrad(() => (subtract ? t2.sub_(y.mul(scalar)) : t2.add_(y.mul(scalar))));
          expect(bits(t1)).toEqual(bits(t2));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives the same bits for small tensors (plain JavaScript, outside the arena)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)), { minLength: 1, maxLength: 15 }),
        fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(...SPECIALS)),
        fc.boolean(),
        (tv, s, subtract) => {
          const t1 = torch.tensor(Float32Array.from(tv));
          const y = torch.tensor(Float32Array.from(tv.map((v) => v * 0.5 + 1)));
          const t2 = t1.clone();
          expect(t1.addScaledInPlace(y, pyFloat(s), subtract)).toBe(t1);
          torch.noGrad(() => (subtract ? t2.sub_(y.mul(pyFloat(s))) : t2.add_(y.mul(pyFloat(s)))));
          expect(bits(t1)).toEqual(bits(t2));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('works when y is t itself (w -= lr * w)', () => {
    const a = torch.linspace(-3, 3, 1000).mul(1); // .mul(1): a copy in the arena
    const b = a.clone();
    expect(a.addScaledInPlace(a, pyFloat(0.3), true)).toBe(a);
    b.sub_(b.mul(pyFloat(0.3)));
    expect(bits(a)).toEqual(bits(b));
  });

  it('declines, changing nothing, when it does not apply', () => {
    const w = torch.ones([300], { requiresGrad: true });
    const g = torch.ones([300]);
    // grad mode on and w requires grad: the normal path must raise PyTorch's error
    expect(w.addScaledInPlace(g, 0.5, true)).toBeNull();
    expect(torch.noGrad(() => w.addScaledInPlace(torch.ones([1]), 0.5, true))).toBeNull(); // broadcasting
    expect(torch.noGrad(() => torch.arange(0, 300).addScaledInPlace(g, 2, true))).toBeNull(); // int64
    expect(Array.from(w.data as Float32Array).every((v) => v === 1)).toBe(true);
    expect(torch.noGrad(() => w.addScaledInPlace(g, 0.5, true))).toBe(w);
    expect((w.data as Float32Array)[0]).toBe(0.5);
  });

  it('bumps the version counter like any in-place op (saved tensors notice)', () => {
    const a = torch.ones([300]);
    const v = a._version.value;
    a.addScaledInPlace(torch.ones([300]), 1);
    expect(a._version.value).toBe(v + 1);
  });
});

describe('fused mulAdd (a * b + c)', () => {
  function grads(fused: boolean, sameLeaf: boolean, n = 777): { out: number[]; ga: number[]; gb: number[] | null; gc: number } {
    const a = torch.linspace(-2, 3, n).mul(1.5).detach().requiresGrad_(true);
    const b = sameLeaf ? a : torch.linspace(4, -1, n).mul(0.7);
    const c = torch.tensor(0.3, { dtype: 'float32', requiresGrad: true });
    const out = fused ? a.mulAdd(b, c)! : a.mul(b).add(c);
    expect(out).not.toBeNull();
    expect(out.gradFn!.name).toBe('AddBackward0');
    out.pow(2).mean().backward();
    return { out: bits(out), ga: bits(a.grad!), gb: sameLeaf ? null : bits(b), gc: c.grad!.item() };
  }

  it('gives the bits and gradients of mul then add (also with the same leaf twice), small tensors too', () => {
    for (const n of [777, 2, 15]) {
      for (const sameLeaf of [false, true]) expect(grads(true, sameLeaf, n)).toEqual(grads(false, sameLeaf, n));
    }
  });

  it('declines (null) for broadcasting, non-0-d addends or integer tensors', () => {
    const a = torch.ones([300]).mul(2);
    expect(a.mulAdd(torch.ones([1]).mul(1), 1)).toBeNull();
    expect(a.mulAdd(a, torch.ones([300]))).toBeNull();
    expect(torch.arange(0, 300).mulAdd(torch.arange(0, 300), 1)).toBeNull();
    expect(Array.from(a.mulAdd(a, 1)!.data as Float32Array).every((v) => v === 5)).toBe(true);
  });
});

describe('fused squared error mean ((a - b).pow(2).mean())', () => {
  function run(fused: boolean, av: Float32Array, bv: Float32Array, bNeedsGrad: boolean) {
    const a = torch.tensor(av).mul(1).detach().requiresGrad_(true); // .mul(1): in the arena when big
    const b = torch.tensor(bv).mul(1).detach().requiresGrad_(bNeedsGrad);
    const loss = fused ? a.squaredErrorMean(b)! : a.sub(b).pow(2).mean();
    expect(loss).not.toBeNull();
    expect(loss.gradFn!.name).toBe('MeanBackward0');
    loss.mul(3).backward();
    return { loss: bits(loss), ga: bits(a.grad!), gb: bNeedsGrad ? bits(b.grad!) : null };
  }

  it('gives the loss and gradients of the three ops bit for bit, at every size and for special values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.oneof(fc.float({ min: -1e6, max: 1e6 }), fc.constantFrom(...SPECIALS)), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (n, seedValues, bNeedsGrad) => {
          const av = Float32Array.from({ length: n }, (_, i) => seedValues[i % seedValues.length] * (1 + i / n));
          const bv = Float32Array.from({ length: n }, (_, i) => seedValues[(i * 7) % seedValues.length] - i / 3);
          expect(run(true, av, bv, bNeedsGrad)).toEqual(run(false, av, bv, bNeedsGrad));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same bits as the three ops at the bench sizes, where a - b is written while it is summed', () => {
    for (const n of [65_536, 786_432 + 13]) {
      const av = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
      const bv = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.7) + i / n);
      expect(run(true, av, bv, true), `n=${n}`).toEqual(run(false, av, bv, true));
    }
  });

  it('matches PyTorch 1.13 for x.pow(2).mean() at sizes up to 786,432 (fixture)', () => {
    // reductions.json: x = makeInput(n, seed, scale) in PyTorch; sq_mean = (x * x).mean()
    const cases = readFixture<{ cases: { kind: string; n: number; seed: number; scale: number; sq_mean: number | null }[] }>('reductions.json').cases.filter(
      (c) => c.kind === 'all' && c.sq_mean !== null && c.n > 0,
    );
    expect(cases.length).toBeGreaterThan(30);
    for (const c of cases) {
      const x = torch.tensor(makeInput(c.n, c.seed, c.scale));
      const zero = torch.zeros([c.n]);
      const fused = x.squaredErrorMean(zero)!;
      expect(fused.item(), `n=${c.n} seed=${c.seed}`).toBe(c.sq_mean);
    }
  });

  it('declines (null) for broadcasting, integer tensors and empty tensors', () => {
    const a = torch.ones([300]).mul(2);
    expect(a.squaredErrorMean(torch.ones([1]))).toBeNull();
    expect(a.squaredErrorMean(torch.ones([300, 1]))).toBeNull();
    expect(torch.arange(0, 300).squaredErrorMean(torch.arange(0, 300))).toBeNull();
    expect(torch.zeros([0]).squaredErrorMean(torch.zeros([0]))).toBeNull();
  });

  it('frees the difference it keeps when the graph is freed, and refuses a second backward like PyTorch', () => {
    const a = torch.ones([100], { requiresGrad: true });
    const loss = a.squaredErrorMean(torch.zeros([100]))!;
    loss.backward();
    expect(() => loss.backward()).toThrow(/Trying to backward through the graph a second time/);
  });
});
