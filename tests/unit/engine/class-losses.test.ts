// cross_entropy (log_softmax then nll_loss), nll_loss and binary_cross_entropy_with_logits
// against real PyTorch 1.13: losses and gradients bit for bit, every reduction, with and without
// class weights / ignore_index / pos_weight, batches long enough for nll_loss's cascade sum; and
// the float32 exp/log implementations (SLEEF's vector functions, glibc's expf) against PyTorch's
// own exp/log and glibc (tests/fixtures/engine/class_losses.json, made by gen_class_losses.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '../../../src-main/engine';
import { expf } from '../../../src-main/engine/expf';
import { binaryCrossEntropyWithLogits, logSoftmax, nllLoss, type Reduction } from '../../../src-main/engine/ops';
import { sleefExpf, sleefLogf } from '../../../src-main/engine/sleef';

interface Fixture {
  torch: string;
  cross_entropy: { rows: number; classes: number; reduction: Reduction; weighted: boolean; ignore: boolean; loss: number[]; grad: number[] }[];
  with_logits: { n: number; reduction: Reduction; pos_weight: boolean; loss: number[]; grad_input: number[]; grad_target: number[] }[];
  exp: { x: number[]; torch: number[]; glibc: number[] };
  log: { x: number[]; torch: number[] };
}
/** JSON has no NaN or infinities: the generator writes them as strings. */
const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/class_losses.json'), 'utf8'), (_key, v: unknown) =>
  typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v,
) as Fixture;

/** gen_class_losses.py's values: float32(((i * 7919 + seed * 104729) % 10007) / 10007). */
function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround((((i * 7919 + seed * 104729) % 10007) / 10007)));
}
const f32 = (v: number[], shape?: number[]): Tensor => {
  const t = torch.tensor(v, { dtype: 'float32' });
  return shape ? t.reshape(shape) : t;
};

describe(`cross_entropy = nll_loss(log_softmax) against PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.cross_entropy) {
    const what = `${c.rows}x${c.classes} ${c.reduction}${c.weighted ? ' weighted' : ''}${c.ignore ? ' ignore_index=1' : ''}`;
    it(what, () => {
      const x = f32(values(c.rows * c.classes, 1).map((v) => Math.fround(Math.fround(v * 8) - 4)), [c.rows, c.classes]).detach().requiresGrad_();
      const target = torch.tensor(Array.from({ length: c.rows }, (_, i) => (c.ignore && i % 5 === 0 ? 1 : (i * 7 + 3) % c.classes)), { dtype: 'int64' });
      const weight = c.weighted ? f32(values(c.classes, 4).map((v) => Math.fround(v + 0.5))) : null;
      const loss = nllLoss(logSoftmax(x, 1), target, c.reduction, weight, c.ignore ? 1 : -100);
      expect(loss.gradFn?.name).toBe('NllLossBackward0');
      if (c.reduction === 'none') loss.mul(f32(values(c.rows, 3))).sum().backward();
      else loss.backward();
      expect(Array.from(loss.detach().reshape([-1]).data as ArrayLike<number>)).toEqual(c.loss);
      expect(Array.from(x.grad!.data as ArrayLike<number>)).toEqual(c.grad);
    });
  }
  it("refuses a target out of range, a float target and a batch mismatch with PyTorch's errors", () => {
    const x = f32([0.1, 0.2, 0.3, 0.4], [2, 2]);
    expect(() => nllLoss(x, torch.tensor([0, 2], { dtype: 'int64' }), 'mean')).toThrow('Target 2 is out of bounds.');
    expect(() => nllLoss(x, f32([0, 1]), 'mean')).toThrow('expected scalar type Long but found Float');
    expect(() => nllLoss(x, torch.tensor([0, 1, 1], { dtype: 'int64' }), 'mean')).toThrow('Expected input batch_size (2) to match target batch_size (3).');
  });
});

describe(`binary_cross_entropy_with_logits against PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.with_logits) {
    it(`${c.n} values, ${c.reduction}${c.pos_weight ? ', pos_weight' : ''}`, () => {
      const x = f32(values(c.n, 1).map((v) => Math.fround(Math.fround(v * 12) - 6))).detach().requiresGrad_();
      const t = f32(values(c.n, 2).map((v, i) => (i % 2 === 0 ? Math.round(v) : v))).detach().requiresGrad_();
      const posWeight = c.pos_weight ? f32(values(c.n, 5).map((v) => Math.fround(v * 3))) : null;
      const loss = binaryCrossEntropyWithLogits(x, t, c.reduction, null, posWeight);
      expect(loss.gradFn?.name).toBe('BinaryCrossEntropyWithLogitsBackward0');
      if (c.reduction === 'none') loss.mul(f32(values(c.n, 3))).sum().backward();
      else loss.backward();
      expect(Array.from(loss.detach().reshape([-1]).data as ArrayLike<number>)).toEqual(c.loss);
      expect(Array.from(x.grad!.data as ArrayLike<number>)).toEqual(c.grad_input);
      // the target's gradient goes through ATen's vectorised log_sigmoid, which GradLab writes
      // out in scalar steps: within 1e-6 relative
      Array.from(t.grad!.data as ArrayLike<number>).forEach((v, i) =>
        expect(Math.abs(v - c.grad_target[i]), `grad_target[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(c.grad_target[i]))),
      );
    });
  }
});

describe('float32 exp and log as PyTorch computes them', () => {
  it("SLEEF's expf_u10 gives torch.exp's float32 results", () => {
    const wrong = fixture.exp.x.filter((x, i) => !Object.is(sleefExpf(x), fixture.exp.torch[i]));
    expect(wrong).toEqual([]);
  });
  it("SLEEF's logf_u10 gives torch.log's float32 results", () => {
    const wrong = fixture.log.x.filter((x, i) => !Object.is(sleefLogf(x), fixture.log.torch[i]));
    expect(wrong).toEqual([]);
    expect([sleefLogf(0), sleefLogf(-1), sleefLogf(Infinity)]).toEqual([-Infinity, NaN, Infinity]);
  });
  it("glibc's expf (PyTorch's scalar std::exp) is reproduced, and differs from SLEEF", () => {
    const wrong = fixture.exp.x.filter((x, i) => !Object.is(expf(x), fixture.exp.glibc[i]));
    expect(wrong).toEqual([]);
    // the control: SLEEF (what vectorised kernels use) would not pass this test
    expect(fixture.exp.x.filter((x, i) => sleefExpf(x) !== fixture.exp.glibc[i]).length).toBeGreaterThan(0);
    expect([expf(-Infinity), expf(Infinity), expf(100), expf(-110)]).toEqual([0, Infinity, Infinity, 0]);
  });
});
