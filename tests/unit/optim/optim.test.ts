// torch.optim's SGD and Adam against real PyTorch 1.13 (tests/fixtures/optim/steps.json, made by
// make_fixtures.py): the same gradients fed step by step must give the same float32 parameters
// and state, bit for bit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '../../../src-main/engine/index';
import * as engineOps from '../../../src-main/engine/ops/index';
import { ADAM_DEFAULTS, adamStep, adamUpdate, biasCorrections, fma32, pythonPow, SGD_DEFAULTS, sgdStep, sgdUpdate, type AdamSettings, type OptimizerState, type SgdSettings } from '../../../src-main/optim/index';
import { stateTensor } from '../../../src-main/optim/state';

interface Step {
  grad: number[];
  param: number[];
  state: Record<string, number[] | null>;
}
interface Case {
  kind: 'sgd' | 'adam';
  settings: Record<string, number | boolean | number[]>;
  start: number[];
  steps: Step[];
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/optim/steps.json'), 'utf8')) as { cases: Case[]; powers: [number, number, number][] };

function sgdSettings(c: Case): SgdSettings {
  const s = c.settings;
  return {
    ...SGD_DEFAULTS,
    lr: s.lr as number,
    momentum: (s.momentum as number) ?? 0,
    dampening: (s.dampening as number) ?? 0,
    weightDecay: (s.weight_decay as number) ?? 0,
    nesterov: (s.nesterov as boolean) ?? false,
    maximize: (s.maximize as boolean) ?? false,
  };
}
function adamSettings(c: Case): AdamSettings {
  const s = c.settings;
  const betas = (s.betas as number[]) ?? [ADAM_DEFAULTS.beta1, ADAM_DEFAULTS.beta2];
  return {
    lr: (s.lr as number) ?? ADAM_DEFAULTS.lr,
    beta1: betas[0],
    beta2: betas[1]!,
    eps: (s.eps as number) ?? ADAM_DEFAULTS.eps,
    weightDecay: (s.weight_decay as number) ?? 0,
    amsgrad: (s.amsgrad as boolean) ?? false,
    maximize: (s.maximize as boolean) ?? false,
  };
}

const values = (t: Tensor | null | undefined) => (t ? Array.from(t.data as Float32Array) : t);
const label = (c: Case) => `${c.kind} ${JSON.stringify(c.settings)} on ${c.start.length} value(s)`;

/** Runs a fixture case through the tensor-level step; returns the first step whose result differs (or -1). */
function replay(c: Case, step: (params: Tensor[], state: OptimizerState) => void, checkState = true): { firstBadStep: number; got?: unknown; want?: unknown } {
  const p = torch.tensor(c.start, { requiresGrad: true, dtype: 'float32' });
  const state: OptimizerState = new Map();
  for (let i = 0; i < c.steps.length; i++) {
    const expected = c.steps[i];
    p.grad = torch.tensor(expected.grad, { dtype: 'float32' });
    step([p], state);
    if (JSON.stringify(values(p)) !== JSON.stringify(expected.param)) return { firstBadStep: i, got: values(p), want: expected.param };
    if (!checkState) continue;
    const st = state.get(p)!;
    const gotState = Object.fromEntries(Object.entries(st).map(([k, t]) => [k, typeof t === 'number' ? [t] : values(t)]));
    if (JSON.stringify(gotState) !== JSON.stringify(expected.state)) return { firstBadStep: i, got: gotState, want: expected.state };
  }
  return { firstBadStep: -1 };
}

describe('torch.optim against PyTorch 1.13 (same gradients, same float32 bits)', () => {
  const sgdCases = fixture.cases.filter((c) => c.kind === 'sgd');
  const adamCases = fixture.cases.filter((c) => c.kind === 'adam');
  it('the fixture covers both optimizers and every option', () => {
    expect(sgdCases.length).toBeGreaterThanOrEqual(20);
    expect(adamCases.length).toBeGreaterThanOrEqual(20);
    for (const key of ['momentum', 'dampening', 'weight_decay', 'nesterov', 'maximize']) expect(sgdCases.some((c) => key in c.settings)).toBe(true);
    for (const key of ['betas', 'eps', 'weight_decay', 'amsgrad', 'maximize']) expect(adamCases.some((c) => key in c.settings)).toBe(true);
  });
  for (const c of sgdCases) {
    it(`SGD: ${label(c)}`, () => {
      expect(replay(c, (params, state) => sgdStep(params, sgdSettings(c), state))).toEqual({ firstBadStep: -1 });
    });
  }
  for (const c of adamCases) {
    it(`Adam: ${label(c)}`, () => {
      expect(replay(c, (params, state) => adamStep(params, adamSettings(c), state))).toEqual({ firstBadStep: -1 });
    });
  }
});

describe('negative controls: the fixture tells exact arithmetic from nearly-right arithmetic', () => {
  // If a plausible but different rounding also passed, the comparison above would prove little.
  it('SGD with a rounded multiply then add (no fused multiply-add) misses PyTorch', () => {
    const naive = (params: Tensor[]) => {
      for (const p of params) {
        const data = p.data as Float32Array;
        const g = p.grad!.data as Float32Array;
        for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] + Math.fround(Math.fround(-0.1) * g[i]));
      }
    };
    const plain = fixture.cases.filter((c) => c.kind === 'sgd' && Object.keys(c.settings).length === 1 && c.start.length > 1);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.some((c) => replay(c, naive, false).firstBadStep !== -1)).toBe(true);
  });
  it("Adam with its second moment's multiply-add rounded twice (addcmul not fused) misses PyTorch", () => {
    const unfused = (c: Case) => (params: Tensor[], state: OptimizerState) => {
      const s = adamSettings(c);
      for (const p of params) {
        let st = state.get(p);
        if (!st) state.set(p, (st = { step: torch.zeros([]), exp_avg: torch.zerosLike(p), exp_avg_sq: torch.zerosLike(p) }));
        const count = stateTensor(st, 'step').data as Float32Array;
        count[0] = count[0] + 1;
        const g = p.grad!.data as Float32Array;
        const v = stateTensor(st, 'exp_avg_sq').data as Float32Array;
        // Precompute what the fused second moment will see so that it ends up rounded twice.
        const twice = v.map((x, i) => Math.fround(Math.fround(x * Math.fround(s.beta2)) + Math.fround(Math.fround(Math.fround(1 - s.beta2) * g[i]) * g[i])));
        const buffers = { expAvg: stateTensor(st, 'exp_avg').data as Float32Array, expAvgSq: v, maxExpAvgSq: null };
        adamUpdate(p.data as Float32Array, g, buffers, biasCorrections(s, count[0]), s);
        v.set(twice);
      }
    };
    const cases = fixture.cases.filter((c) => c.kind === 'adam' && !c.settings.amsgrad && !c.settings.maximize && !c.settings.weight_decay);
    expect(cases.some((c) => replay(c, unfused(c)).firstBadStep !== -1)).toBe(true);
  });
});

describe('fma32: one rounding to float32', () => {
  it('differs from two roundings where the product is inexact', () => {
    const a = Math.fround(1 + 2 ** -12);
    const b = Math.fround(1 + 2 ** -12);
    const c = Math.fround(-1);
    // (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly; rounding the product first loses the 2^-24.
    expect(fma32(a, b, c)).toBe(2 ** -11 + 2 ** -24);
    expect(Math.fround(Math.fround(a * b) + c)).toBe(2 ** -11);
  });
  it('rounds a sum that lands exactly between two float32s by its exact value (no double rounding)', () => {
    // a * b = 2^-24 * (1 + 2^-29 and a bit): with c = 1 the exact sum lies just above the float32
    // midpoint 1 + 2^-24, but the nearest double is that midpoint, which rounds to even (1).
    const a = Math.fround(1.0002403259277344);
    const b = Math.fround(0.9997597336769104 * 2 ** -24);
    expect(a * b + 1).toBe(1 + 2 ** -24);
    expect(Math.fround(a * b + 1)).toBe(1);
    expect(fma32(a, b, 1)).toBe(1 + 2 ** -23);
    expect(fma32(-a, b, -1)).toBe(-(1 + 2 ** -23));
  });
  it('passes infinities and NaN through', () => {
    expect(fma32(Infinity, 1, 1)).toBe(Infinity);
    expect(fma32(NaN, 1, 1)).toBeNaN();
  });
});

describe("pythonPow: Python's float ** (glibc's correctly rounded pow)", () => {
  it('matches CPython for the betas Adam uses, step 1 to 123457', () => {
    const wrong = fixture.powers.filter(([base, exp, want]) => pythonPow(base, exp) !== want);
    expect(wrong).toEqual([]);
  });
  it("where V8's Math.pow is off by an ulp (the reason it exists)", () => {
    expect(fixture.powers.some(([base, exp, want]) => Math.pow(base, exp) !== want)).toBe(true);
  });
  it('negative and non-integer exponents', () => {
    expect(pythonPow(2, -3)).toBe(0.125);
    expect(pythonPow(4, 0.5)).toBe(2);
    expect(pythonPow(0.9, 0)).toBe(1);
  });
});

describe('update kernels on their own', () => {
  it('sgdUpdate creates the momentum buffer from d_p on the first step and reuses it after', () => {
    const p = new Float32Array([1, 2]);
    const s = { ...SGD_DEFAULTS, lr: 0.1, momentum: 0.9 };
    const buf = sgdUpdate(p, new Float32Array([2, 4]), null, s)!;
    expect(Array.from(buf)).toEqual([2, 4]);
    expect(sgdUpdate(p, new Float32Array([2, 4]), buf, s)).toBe(buf);
    expect(sgdUpdate(p, new Float32Array([1, 1]), null, { ...SGD_DEFAULTS, lr: 0.1 })).toBeNull();
  });
  it('updates a parameter that is a non-contiguous view (its elements are written back through its strides)', () => {
    const base = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    const p = engineOps.t(base).detach().requiresGrad_();
    expect(p.isContiguous()).toBe(false);
    p.grad = torch.tensor([[10, 20], [30, 40]], { dtype: 'float32' });
    const same = torch.tensor([[1, 3], [2, 4]], { dtype: 'float32', requiresGrad: true });
    same.grad = torch.tensor([[10, 20], [30, 40]], { dtype: 'float32' });
    sgdStep([p, same], { ...SGD_DEFAULTS, lr: 0.1 }, new Map());
    expect(Array.from(p.data as ArrayLike<number>)).toEqual(Array.from(same.data as ArrayLike<number>));
    expect(Array.from(p.data as ArrayLike<number>)).not.toEqual([1, 3, 2, 4]);
    // the view's storage is base's: base sees the update, transposed
    expect(Array.from(base.data as ArrayLike<number>)).toEqual([0, 2, 1, 3].map((i) => (same.data as Float32Array)[i]));
  });

  it('parameters without a gradient are skipped and get no state', () => {
    const a = torch.tensor([1.5], { requiresGrad: true });
    const state: OptimizerState = new Map();
    sgdStep([a], { ...SGD_DEFAULTS, lr: 0.1 }, state);
    adamStep([a], ADAM_DEFAULTS, state);
    expect(Array.from(a.data as ArrayLike<number>)).toEqual([1.5]);
    expect(state.size).toBe(0);
  });
});
