// Forward values, grad_fn names, printouts and gradients of every op against real PyTorch
// (fixtures/engine/ops.json, made by gen_ops.py), and the lesson's training numbers.
import { describe, expect, it } from 'vitest';
import { Tensor, torch, pyFloat } from '../../../src-main/engine';
import type { NestedArray } from '../../../src-main/engine';
import { readFixture } from './helpers';

interface OpCase {
  label: string;
  ok: boolean;
  value: { out: number[]; shape: number[]; grad_fn: string | null; repr: string; grads: (number[] | null)[] };
}
interface Lesson {
  losses: number[];
  w: number[];
  b: number;
  w_repr: string;
  b_repr: string;
}
const fixture = readFixture<{ cases: OpCase[]; lesson100: Lesson; lesson2000: Lesson }>('ops.json');

const A = [[0.5, -1.25, 2.0], [3.5, 0.75, -0.125]];
const B = [[1.5, 2.0, -0.5], [0.25, -3.0, 4.0]];
const P = [[0.5, 1.25, 2.0], [3.5, 0.75, 0.125]];
const v3 = [0.3, -1.7, 2.9];
const row = [[1.0, -2.0, 0.5]];
const col = [[2.0], [-0.75]];
const M32 = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];
const f32 = (v: NestedArray): Tensor => torch.tensor(v as number[], { dtype: 'float32' });

type Expr = { leaves: NestedArray[]; f: (...t: Tensor[]) => Tensor };
const EXPRS: Record<string, Expr> = {
  add: { leaves: [A, B], f: (a, b) => a.add(b) },
  add_broadcast_row: { leaves: [A, row], f: (a, b) => a.add(b) },
  add_broadcast_col: { leaves: [A, col], f: (a, b) => a.add(b) },
  add_scalar_tensor: { leaves: [A, 0.3], f: (a, b) => a.add(b) },
  add_number: { leaves: [A], f: (a) => a.add(0.1) },
  sub: { leaves: [A, B], f: (a, b) => a.sub(b) },
  sub_broadcast: { leaves: [col, v3], f: (a, b) => a.sub(b) },
  rsub_number: { leaves: [A], f: (a) => a.rsub(1.5) },
  mul: { leaves: [A, B], f: (a, b) => a.mul(b) },
  mul_broadcast: { leaves: [A, row], f: (a, b) => a.mul(b) },
  mul_number: { leaves: [A], f: (a) => a.mul(0.01) },
  div: { leaves: [A, B], f: (a, b) => a.div(b) },
  div_broadcast: { leaves: [A, col], f: (a, b) => a.div(b) },
  div_number: { leaves: [A], f: (a) => a.div(pyFloat(3)) },
  rdiv_number: { leaves: [A], f: (a) => a.rdiv(pyFloat(2)) },
  neg: { leaves: [A], f: (a) => a.neg() },
  pow2: { leaves: [A], f: (a) => a.pow(2) },
  pow3: { leaves: [A], f: (a) => a.pow(3) },
  pow_half: { leaves: [P], f: (a) => a.pow(0.5) },
  pow_neg1: { leaves: [A], f: (a) => a.pow(-1) },
  pow_neg2: { leaves: [A], f: (a) => a.pow(-2) },
  pow_1_5: { leaves: [P], f: (a) => a.pow(1.5) },
  pow_0: { leaves: [A], f: (a) => a.pow(0) },
  pow_tensor: { leaves: [P, B], f: (a, b) => a.pow(b) },
  rpow_number: { leaves: [A], f: (a) => a.rpow(2) },
  exp: { leaves: [A], f: (a) => a.exp() },
  log: { leaves: [P], f: (a) => a.log() },
  sqrt: { leaves: [P], f: (a) => a.sqrt() },
  abs: { leaves: [A], f: (a) => a.abs() },
  sum: { leaves: [A], f: (a) => a.sum() },
  sum_dim0: { leaves: [A], f: (a) => a.sum(0) },
  sum_dim1_keepdim: { leaves: [A], f: (a) => a.sum(1, true) },
  sum_dim_neg: { leaves: [A], f: (a) => a.sum(-1) },
  mean: { leaves: [A], f: (a) => a.mean() },
  mean_dim0: { leaves: [A], f: (a) => a.mean(0) },
  mean_dim1_keepdim: { leaves: [A], f: (a) => a.mean(1, true) },
  matmul_mm: { leaves: [A, M32], f: (a, b) => a.matmul(b) },
  matmul_mv: { leaves: [A, v3], f: (a, b) => a.matmul(b) },
  matmul_dot: { leaves: [v3, [1, 2, 3]], f: (a, b) => a.matmul(b) },
  matmul_vm: { leaves: [v3, M32], f: (a, b) => a.matmul(b) },
  reshape: { leaves: [A], f: (a) => a.reshape([3, 2]).mul(2) },
  reshape_only: { leaves: [A], f: (a) => a.reshape([-1]) },
  view: { leaves: [A], f: (a) => a.view([6]) },
  index: { leaves: [A], f: (a) => a.index(1) },
  index_neg: { leaves: [v3], f: (a) => a.index(-1).mul(3) },
  clone: { leaves: [A], f: (a) => a.clone() },
  chain: { leaves: [A, B], f: (a, b) => a.mul(b).add(1).pow(2).mean() },
  reuse: { leaves: [A], f: (a) => a.mul(a).add(a) },
  lesson_loss: {
    leaves: [[1, 2], 0],
    f: (w, b) => w.mul(f32([1, 2])).add(b).sub(f32([115, 21])).pow(2).mean(),
  },
};

// Transcendental kernels (Sleef in PyTorch vs. V8's libm) may differ in the last bit.
const LAST_BIT_TOLERANT = new Set(['pow_1_5', 'pow_tensor', 'rpow_number', 'exp', 'log', 'matmul_mm', 'matmul_mv', 'matmul_dot', 'matmul_vm']);

function expectValues(actual: ArrayLike<number>, expected: number[], tolerant: boolean): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (tolerant) {
      const e = expected[i];
      expect(Math.abs(actual[i] - e)).toBeLessThanOrEqual(Math.abs(e) * 2 ** -22 + 1e-30);
    } else expect(actual[i]).toBe(expected[i]);
  }
}

describe('ops: values, grad_fn, repr and gradients match PyTorch', () => {
  it('fixture and expression list agree', () => {
    expect(Object.keys(EXPRS).sort()).toEqual(fixture.cases.map((c) => c.label).sort());
  });
  for (const c of fixture.cases) {
    it(c.label, () => {
      const expr = EXPRS[c.label];
      const leaves = expr.leaves.map((v) => torch.tensor(v as number[], { dtype: 'float32', requiresGrad: true }));
      const out = expr.f(...leaves);
      const tolerant = LAST_BIT_TOLERANT.has(c.label);
      expect(out.shape).toEqual(c.value.shape);
      expect(out.gradFn?.name ?? null).toBe(c.value.grad_fn);
      expectValues(out.data as ArrayLike<number>, c.value.out, tolerant);
      if (!tolerant) expect(out.toString()).toBe(c.value.repr);
      out.sum().backward();
      leaves.forEach((leaf, i) => {
        const g = c.value.grads[i];
        if (g === null) expect(leaf.grad).toBeNull();
        else expectValues(leaf.grad!.data as ArrayLike<number>, g, tolerant);
      });
    });
  }
});

function lesson(epochs: number): { losses: number[]; w: Tensor; b: Tensor } {
  const x = f32([1, 2]);
  const y = f32([115, 21]);
  const w = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
  const b = torch.tensor(0, { dtype: 'float32', requiresGrad: true });
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const loss = w.mul(x).add(b).sub(y).pow(2).mean();
    loss.backward();
    torch.noGrad(() => {
      w.sub_(w.grad!.mul(0.01));
      b.sub_(b.grad!.mul(0.01));
    });
    w.grad!.zero_();
    b.grad!.zero_();
    losses.push(loss.item());
  }
  return { losses, w, b };
}

describe("the lesson's linear regression", () => {
  it('100 epochs: every loss, w and b exactly as PyTorch (loss 183.07989501953125 at epoch 100)', () => {
    const r = lesson(100);
    expect(r.losses).toEqual(fixture.lesson100.losses);
    expect(r.losses[99]).toBe(183.07989501953125);
    expect(r.w.toString()).toBe('tensor([51.8260, -9.4314], requires_grad=True)');
    expect(r.b.toString()).toBe('tensor(45.1103, requires_grad=True)');
    expect(Array.from(r.w.data as ArrayLike<number>)).toEqual(fixture.lesson100.w);
    expect(r.b.item()).toBe(fixture.lesson100.b);
  });
  it('2000 epochs: w=[62.4444, -15.7777], b=52.5554', () => {
    const r = lesson(2000);
    expect(r.losses).toEqual(fixture.lesson2000.losses);
    expect(r.w.toString()).toBe(fixture.lesson2000.w_repr);
    expect(r.w.toString()).toBe('tensor([ 62.4444, -15.7777], requires_grad=True)');
    expect(r.b.toString()).toBe('tensor(52.5554, requires_grad=True)');
  });
});
