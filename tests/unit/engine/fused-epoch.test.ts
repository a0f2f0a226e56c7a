// linearRegressionEpoch: one epoch of the lessons' loop in one step must leave exactly what the
// separate ops leave (values to the bit, graphs, gradients, version counters), at every size
// (one WebAssembly pass for whole 32-float blocks, a plain loop otherwise), and decline, changing
// nothing, wherever the statements would do something else.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pyFloat, Tensor, torch } from '../../../src-main/engine';
import { observeGraph } from '../../../src-main/engine/autograd';
import { linearRegressionEpoch, linearRegressionStep } from '../../../src-main/engine/ops/fused-epoch';

const SPECIALS = [0, -0, 1, -1, 1e-30, -3.4e38, 3.4e38, Infinity, -Infinity, NaN];

/** The float32 bit patterns, every NaN as one value (a NaN's sign and payload are not observable from Python). */
function bits(t: Tensor): number[] {
  const f = Float32Array.from(t.data as Float32Array, (v) => (Number.isNaN(v) ? NaN : v));
  return Array.from(new Uint32Array(f.buffer), (b, i) => (Number.isNaN(f[i]) ? 0x7fc00000 : b));
}

interface Model {
  w: Tensor;
  x: Tensor;
  b: Tensor;
  y: Tensor;
}

function model(x: Float32Array, y: Float32Array, w: Float32Array, b: number, bShape: 'scalar' | 'one' = 'scalar'): Model {
  return {
    x: torch.tensor(x),
    y: torch.tensor(y),
    w: torch.tensor(w, { requiresGrad: true }),
    b: torch.tensor(bShape === 'one' ? [b] : b, { dtype: 'float32', requiresGrad: true }),
  };
}

/** The six statements with the engine's separate ops (no fused form anywhere). */
function asWritten(m: Model, lr: number): { yHat: Tensor; loss: Tensor } {
  const yHat = m.w.mul(m.x).add(m.b);
  const loss = yHat.sub(m.y).pow(2).mean();
  loss.backward();
  torch.noGrad(() => {
    m.w.sub_(m.w.grad!.mul(pyFloat(lr)));
    m.b.sub_(m.b.grad!.mul(pyFloat(lr)));
  });
  m.w.grad!.zero_();
  m.b.grad!.zero_();
  return { yHat, loss };
}

/** Everything a program can read after an epoch. */
function state(m: Model, r: { yHat: Tensor; loss: Tensor }): unknown {
  return {
    w: bits(m.w),
    b: bits(m.b),
    yHat: bits(r.yHat),
    loss: bits(r.loss),
    wGrad: bits(m.w.grad!),
    bGrad: bits(m.b.grad!),
    versions: [m.w, m.b, m.w.grad!, m.b.grad!, r.yHat, r.loss].map((t) => t._version.value),
    graph: [r.loss.gradFn!.name, r.yHat.gradFn!.name, r.yHat.gradFn!.next.map((n) => n?.name ?? null), r.yHat.gradFn!.next[0]!.next.map((n) => n?.name ?? null)],
    yHatShape: r.yHat.shape,
    requiresGrad: [r.yHat.requiresGrad, r.loss.requiresGrad, r.yHat.isLeaf],
  };
}

function randomValues(n: number, seed: number, scale = 1, shift = 0): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * scale + shift;
  });
}

/** Runs `epochs` epochs both ways on identical models; the first epoch (which creates the gradients) runs as written in both. */
function compare(x: Float32Array, y: Float32Array, w: Float32Array, b: number, lr: number, epochs: number, bShape: 'scalar' | 'one' = 'scalar'): void {
  const fused = model(x, y, w, b, bShape);
  const written = model(x, y, w, b, bShape);
  asWritten(fused, lr);
  asWritten(written, lr);
  for (let e = 1; e < epochs; e++) {
    const r = linearRegressionEpoch(fused.w, fused.x, fused.b, fused.y, pyFloat(lr));
    expect(r).not.toBeNull();
    const s = asWritten(written, lr);
    expect(state(fused, r!)).toEqual(state(written, s));
    // backward through the freed graph fails as after loss.backward()
    expect(() => r!.loss.backward()).toThrow(/backward through the graph a second time/);
  }
}

describe('the fused training epoch', () => {
  // 512, 4128 and 65,536 take the WebAssembly pass (4128 = 129 blocks: cascade levels with a tail);
  // the others the plain loop (1 and 7 fewer than 8 lanes, 16 uses no arena, 300 not whole blocks).
  for (const n of [1, 7, 16, 300, 512, 4128, 65536]) {
    it(`matches the separate ops bit for bit at ${n} values`, () => {
      compare(randomValues(n, n), randomValues(n, n + 1, 3, -1), randomValues(n, n + 2, 2, -1), 0.5, 0.37, 4);
    });
    it(`matches them with b of shape [1] at ${n} values`, () => {
      compare(randomValues(n, n), randomValues(n, n + 1, 3, -1), randomValues(n, n + 2, 2, -1), 0.5, 0.37, 4, 'one');
    });
  }

  it('matches them with special values (NaN, infinities, signed zeros, huge) in every input', () => {
    const value = fc.oneof(fc.float(), fc.constantFrom(...SPECIALS));
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 512, maxLength: 512 }),
        fc.array(value, { minLength: 512, maxLength: 512 }),
        fc.array(value, { minLength: 512, maxLength: 512 }),
        fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)),
        fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0.01, 1e-40, -2, 0)),
        (x, y, w, b, lr) => compare(Float32Array.from(x), Float32Array.from(y), Float32Array.from(w), b, lr, 3),
      ),
      { numRuns: 15 },
    );
  });

  it('negative control: the comparison sees a sum in another order and a learning rate one float32 step off', () => {
    const n = 65536;
    const m = model(randomValues(n, 1), randomValues(n, 2), randomValues(n, 3, 2, -1), 0.5);
    asWritten(m, 0.37);
    const r = linearRegressionEpoch(m.w, m.x, m.b, m.y, pyFloat(0.37))!;
    const yh = r.yHat.data as Float32Array;
    const y = m.y.data as Float32Array;
    // left-to-right float32 summation instead of torch.sum's cascade: another loss
    let plain = 0;
    for (let i = 0; i < n; i++) plain = Math.fround(plain + Math.fround(Math.fround(yh[i] - y[i]) ** 2));
    expect(Math.fround(plain / n)).not.toBe((r.loss.data as Float32Array)[0]);
    // the same epoch with lr one float32 step larger leaves other bits (a step large enough that
    // the update is not lost in w's rounding: then a kernel one rounding off is seen too)
    const lr = Math.fround(300);
    const next = new Float32Array([lr]);
    new Uint32Array(next.buffer)[0] += 1;
    const k = 512;
    const a = model(randomValues(k, 1), randomValues(k, 2), randomValues(k, 3, 2, -1), 0.5);
    const b = model(randomValues(k, 1), randomValues(k, 2), randomValues(k, 3, 2, -1), 0.5);
    asWritten(a, lr);
    asWritten(b, lr);
    const ra = linearRegressionEpoch(a.w, a.x, a.b, a.y, pyFloat(next[0]))!;
    const rb = linearRegressionEpoch(b.w, b.x, b.b, b.y, pyFloat(lr))!;
    expect(state(a, ra)).not.toEqual(state(b, rb));
    const c = model(randomValues(k, 1), randomValues(k, 2), randomValues(k, 3, 2, -1), 0.5);
    asWritten(c, lr);
    expect(state(c, asWritten(c, lr))).toEqual(state(b, rb));
  });

  it('declines, changing nothing, where the statements would do something else', () => {
    const n = 512;
    const m = model(randomValues(n, 1), randomValues(n, 2), randomValues(n, 3), 0.5);
    const lr = pyFloat(0.1);
    // no gradients yet (the first epoch creates them)
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, lr)).toBeNull();
    asWritten(m, 0.1);
    const before = [bits(m.w), bits(m.b), m.w._version.value, m.b._version.value, m.w.grad!._version.value];
    const unchanged = (): void => expect([bits(m.w), bits(m.b), m.w._version.value, m.b._version.value, m.w.grad!._version.value]).toEqual(before);
    // grad mode off: y_hat would have no graph and backward() would raise
    expect(torch.noGrad(() => linearRegressionEpoch(m.w, m.x, m.b, m.y, lr))).toBeNull();
    // a graph being recorded sees every node
    observeGraph({ begin() {}, node() {}, edge() {}, end() {} });
    try {
      expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, lr)).toBeNull();
    } finally {
      observeGraph(null);
    }
    // x that requires grad would get a gradient
    expect(linearRegressionEpoch(m.w, m.x.clone().requiresGrad_(), m.b, m.y, lr)).toBeNull();
    // y that is w.grad: the update would change it
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.w.grad!, lr)).toBeNull();
    // broadcasting, other dtypes, a b of shape [1, 1], non-contiguous x
    expect(linearRegressionEpoch(m.w, torch.rand([1]), m.b, m.y, lr)).toBeNull();
    expect(linearRegressionEpoch(m.w, m.x.to('float64'), m.b, m.y, lr)).toBeNull();
    const b11 = torch.tensor([[0.5]], { requiresGrad: true });
    expect(linearRegressionEpoch(m.w, m.x, b11, m.y, lr)).toBeNull();
    expect(linearRegressionEpoch(m.w, Tensor._view(torch.rand([2 * n]), [n], [2], 0), m.b, m.y, lr)).toBeNull();
    // w not a leaf
    expect(linearRegressionEpoch(m.w.mul(1), m.x, m.b, m.y, lr)).toBeNull();
    unchanged();
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, lr)).not.toBeNull();
  });

  it('runs a hook on w or b: declines while one is registered', () => {
    const m = model(randomValues(8, 1), randomValues(8, 2), randomValues(8, 3), 0.5);
    asWritten(m, 0.1);
    const seen: number[] = [];
    const remove = m.w.registerHook((g) => {
      seen.push((g.data as Float32Array)[0]);
      return null;
    });
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, pyFloat(0.1))).toBeNull();
    asWritten(m, 0.1);
    expect(seen).toHaveLength(1);
    remove();
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, pyFloat(0.1))).not.toBeNull();
    const removeB = m.b.registerHook((g) => g.mul(2));
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, pyFloat(0.1))).toBeNull();
    removeB();
  });
});

describe('the fused epoch writing over its previous result (reuse)', () => {
  /** Runs `epochs` epochs fused, each given the previous result to reuse, against the separate ops; every epoch's state must match. */
  function compareReusing(x: Float32Array, y: Float32Array, w: Float32Array, b: number, lr: number, epochs: number): void {
    const fused = model(x, y, w, b);
    const written = model(x, y, w, b);
    asWritten(fused, lr);
    asWritten(written, lr);
    let previous: ReturnType<typeof linearRegressionEpoch> = null;
    for (let e = 1; e < epochs; e++) {
      const r = linearRegressionEpoch(fused.w, fused.x, fused.b, fused.y, pyFloat(lr), previous);
      expect(r).not.toBeNull();
      // from the second fused epoch on, the same objects come back: nothing new is made
      if (previous !== null) expect(r).toBe(previous);
      expect(state(fused, r!)).toEqual(state(written, asWritten(written, lr)));
      expect(() => r!.loss.backward()).toThrow(/backward through the graph a second time/);
      expect(r!.yHat.gradFn!.next[0]!.isFreed()).toBe(true);
      previous = r;
    }
  }

  it('leaves what a fresh epoch leaves, epoch after epoch, at every size and with any values', () => {
    const value = fc.oneof(fc.float(), fc.constantFrom(...SPECIALS));
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 6, 7, 300, 512, 4128),
        fc.array(value, { minLength: 3, maxLength: 3 }),
        fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)),
        fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0.01, 0.5, 0)),
        fc.integer({ min: 2, max: 6 }),
        (n, [xs, ys, ws], b, lr, epochs) => {
          compareReusing(randomValues(n, 7, 1, xs), randomValues(n, 8, 3, ys), randomValues(n, 9, 2, ws), b, lr, epochs);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('makes new tensors when the previous ones were touched or belong to other operands', () => {
    const lr = pyFloat(0.1);
    const m = model(randomValues(8, 1), randomValues(8, 2), randomValues(8, 3), 0.5);
    asWritten(m, 0.1);
    const first = linearRegressionEpoch(m.w, m.x, m.b, m.y, lr)!;
    const fresh = (change: (r: NonNullable<typeof first>) => void, operands: Model = m): void => {
      const r = linearRegressionEpoch(m.w, m.x, m.b, m.y, lr)!;
      change(r);
      const next = linearRegressionEpoch(operands.w, operands.x, operands.b, operands.y, lr, r);
      expect(next).not.toBeNull();
      expect(next!.yHat).not.toBe(r.yHat);
      expect(next!.loss).not.toBe(r.loss);
    };
    expect(linearRegressionEpoch(m.w, m.x, m.b, m.y, lr, first)).toBe(first);
    fresh((r) => r.yHat.retainGrad());
    fresh((r) => r.loss.registerHook(() => null));
    fresh((r) => (r.yHat.gradFn!.next[0]!.hooks = [() => null]));
    fresh((r) => r.yHat._version.value++);
    fresh((r) => r.loss._version.value++);
    fresh((r) => (r.yHat.grad = torch.zerosLike(r.yHat)));
    // another x, y, w or b: the graph's edges are not theirs
    const other = model(randomValues(8, 1), randomValues(8, 2), randomValues(8, 3), 0.5);
    asWritten(other, 0.1);
    fresh(() => undefined, { ...m, x: other.x });
    fresh(() => undefined, { ...m, y: other.y });
    fresh(() => undefined, other);
  });

  it('negative control: reusing without the checks would show the old y_hat changing under a kept reference', () => {
    const lr = pyFloat(0.1);
    const m = model(randomValues(8, 1), randomValues(8, 2), randomValues(8, 3), 0.5);
    asWritten(m, 0.1);
    const kept = linearRegressionEpoch(m.w, m.x, m.b, m.y, lr)!;
    const keptValues = bits(kept.yHat);
    linearRegressionEpoch(m.w, m.x, m.b, m.y, lr, kept);
    // what the fusion pass's proof rules out: a program holding `kept` would see it change
    expect(bits(kept.yHat)).not.toEqual(keptValues);
  });
});

describe('the fused step (loss.backward() to b.grad.zero_(), after the program computed y_hat and loss)', () => {
  /** y_hat and loss as the runner computes them (the fused forms where they apply, else the separate ops). */
  const forward = (m: Model): Tensor => (m.w.mulAdd(m.x, m.b) ?? m.w.mul(m.x).add(m.b)).squaredErrorMean(m.y)!;
  /** The last four statements with the separate ops. */
  const stepAsWritten = (m: Model, loss: Tensor, lr: number): void => {
    loss.backward();
    torch.noGrad(() => {
      m.w.sub_(m.w.grad!.mul(pyFloat(lr)));
      m.b.sub_(m.b.grad!.mul(pyFloat(lr)));
    });
    m.w.grad!.zero_();
    m.b.grad!.zero_();
  };
  const after = (m: Model, loss: Tensor): unknown => ({
    w: bits(m.w),
    b: bits(m.b),
    wGrad: bits(m.w.grad!),
    bGrad: bits(m.b.grad!),
    versions: [m.w, m.b, m.w.grad!, m.b.grad!, m.x].map((t) => t._version.value),
    freed: [loss.gradFn!.isFreed(), loss.gradFn!.next[0]!.next[0]!.isFreed()],
  });

  function compareStep(x: Float32Array, y: Float32Array, w: Float32Array, b: number, lr: number, epochs: number, bShape: 'scalar' | 'one'): void {
    const fused = model(x, y, w, b, bShape);
    const written = model(x, y, w, b, bShape);
    stepAsWritten(fused, forward(fused), lr);
    stepAsWritten(written, forward(written), lr);
    for (let e = 1; e < epochs; e++) {
      const lossF = forward(fused);
      expect(linearRegressionStep(lossF, fused.w, fused.b, pyFloat(lr))).toBe(true);
      const lossW = forward(written);
      stepAsWritten(written, lossW, lr);
      expect(bits(lossF)).toEqual(bits(lossW));
      expect(after(fused, lossF)).toEqual(after(written, lossW));
      expect(() => lossF.backward()).toThrow(/backward through the graph a second time/);
    }
  }

  it('leaves what the statements leave, to the bit, with any values, b 0-d or of shape [1]', () => {
    const value = fc.oneof(fc.float(), fc.constantFrom(...SPECIALS));
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 6, 7, 300, 512, 1000),
        fc.array(value, { minLength: 3, maxLength: 3 }),
        fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)),
        fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(0.01, 0.5, 0)),
        fc.constantFrom<'scalar' | 'one'>('scalar', 'one'),
        (n, [xs, ys, ws], b, lr, bShape) => {
          compareStep(randomValues(n, 7, 1, xs), randomValues(n, 8, 3, ys), randomValues(n, 9, 2, ws), b, lr, 4, bShape);
        },
      ),
      { numRuns: 30 },
    );
    compareStep(randomValues(1024, 1), randomValues(1024, 2, 3, -1), randomValues(1024, 3, 2, -1), 0.5, 0.37, 3, 'one');
  });

  it('declines, changing nothing, wherever backward would do something else', () => {
    const lr = pyFloat(0.1);
    const m = model(randomValues(8, 1), randomValues(8, 2), randomValues(8, 3), 0.5);
    // no gradients yet
    expect(linearRegressionStep(forward(m), m.w, m.b, lr)).toBe(false);
    stepAsWritten(m, forward(m), 0.1);
    const snapshot = (): unknown => [bits(m.w), bits(m.b), m.w._version.value, m.b._version.value, m.w.grad!._version.value, m.b.grad!._version.value];
    const before = snapshot();
    const declines = (loss: Tensor): void => {
      expect(linearRegressionStep(loss, m.w, m.b, lr)).toBe(false);
      expect(snapshot()).toEqual(before);
      expect(loss.gradFn!.isFreed()).toBe(false);
    };
    // y_hat's gradient retained, a hook on y_hat or on loss, a hook on w
    const retained = m.w.mulAdd(m.x, m.b)!;
    retained.retainGrad();
    declines(retained.squaredErrorMean(m.y)!);
    const hookedYHat = m.w.mulAdd(m.x, m.b)!;
    hookedYHat.registerHook(() => null);
    declines(hookedYHat.squaredErrorMean(m.y)!);
    const hookedLoss = forward(m);
    hookedLoss.registerHook(() => null);
    declines(hookedLoss);
    const removeHook = m.w.registerHook(() => null);
    declines(forward(m));
    removeHook();
    // x changed in place after MulBackward0 saved it: backward must raise
    const changed = forward(m);
    const x = m.x;
    torch.noGrad(() => x.mul_(1));
    declines(changed);
    expect(() => changed.backward()).toThrow(/modified by an inplace operation/);
    const m2 = model(randomValues(8, 1), randomValues(8, 2), randomValues(8, 3), 0.5);
    stepAsWritten(m2, forward(m2), 0.1);
    // other graphs: x * w, (y_hat - y).abs().mean(), another w or b, a recorded graph
    expect(linearRegressionStep(m2.x.mul(m2.w).add(m2.b).squaredErrorMean(m2.y)!, m2.w, m2.b, lr)).toBe(false);
    expect(linearRegressionStep(m2.w.mulAdd(m2.x, m2.b)!.sub(m2.y).abs().mean(), m2.w, m2.b, lr)).toBe(false);
    expect(linearRegressionStep(forward(m2), m.w, m2.b, lr)).toBe(false);
    expect(linearRegressionStep(forward(m2), m2.w, m.b, lr)).toBe(false);
    const observed = forward(m2);
    observeGraph({ begin() {}, node() {}, edge() {}, end() {} });
    try {
      expect(linearRegressionStep(observed, m2.w, m2.b, lr)).toBe(false);
    } finally {
      observeGraph(null);
    }
    // a graph already freed by backward
    const freed = forward(m2);
    expect(linearRegressionStep(freed, m2.w, m2.b, lr)).toBe(true);
    expect(linearRegressionStep(freed, m2.w, m2.b, lr)).toBe(false);
  });
});

