// mse_loss (nn.MSELoss's one autograd node) against real PyTorch 1.13: loss and both gradients,
// bit for bit, for every reduction and for sizes that take the scalar and the WebAssembly paths
// (tests/fixtures/engine/mse_loss.json, made by gen_mse_loss.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '../../../src-main/engine';
import { binaryCrossEntropy, mseLoss, type Reduction } from '../../../src-main/engine/ops';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/mse_loss.json'), 'utf8')) as {
  torch: string;
  cases: { n: number; reduction: Reduction; loss: number[]; grad_input: number[]; grad_target: number[] }[];
};

/** The generator's inputs: float32(((i * 7919 + seed * 104729) % 10007) / 10007 * 2 - 1) * scale. */
function make(n: number, seed: number, scale: number): Tensor {
  const v = Array.from({ length: n }, (_, i) => Math.fround((((i * 7919 + seed * 104729) % 10007) / 10007) * 2 - 1));
  return torch.tensor(v, { dtype: 'float32' }).mul(scale);
}

describe(`mse_loss against PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.cases) {
    it(`${c.reduction} over ${c.n} values: loss, grad of input and of target`, () => {
      const x = make(c.n, 1, 10).detach().requiresGrad_();
      const y = make(c.n, 2, 3).detach().requiresGrad_();
      const loss = mseLoss(x, y, c.reduction);
      expect(loss.gradFn?.name).toBe('MseLossBackward0');
      if (c.reduction === 'none') loss.mul(make(c.n, 3, 1)).sum().backward();
      else loss.backward();
      expect(Array.from(loss.detach().reshape([-1]).data as ArrayLike<number>)).toEqual(c.loss);
      expect(Array.from(x.grad!.data as ArrayLike<number>)).toEqual(c.grad_input);
      expect(Array.from(y.grad!.data as ArrayLike<number>)).toEqual(c.grad_target);
    });
  }
  it('refuses operands of different shapes (the functional form broadcasts them first)', () => {
    expect(() => mseLoss(torch.ones([2, 1]), torch.ones([2]), 'mean')).toThrow(/one shape/);
  });
});

const bceFixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/bce.json'), 'utf8')) as typeof fixture;

/** gen_bce.py's values: float32(((i * 7919 + seed * 104729) % 10007) / 10007). */
function unitValues(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(((i * 7919 + seed * 104729) % 10007) / 10007));
}

describe(`binary_cross_entropy against PyTorch ${bceFixture.torch}`, () => {
  for (const c of bceFixture.cases) {
    it(`${c.reduction} over ${c.n} values: loss, grad of input and of target (hard and soft labels)`, () => {
      const x = torch.tensor(unitValues(c.n, 1), { dtype: 'float32' }).requiresGrad_();
      const t = torch.tensor(unitValues(c.n, 2).map((v, i) => (i % 2 === 0 ? Math.round(v) : v)), { dtype: 'float32' }).requiresGrad_();
      const loss = binaryCrossEntropy(x, t, c.reduction);
      expect(loss.gradFn?.name).toBe('BinaryCrossEntropyBackward0');
      if (c.reduction === 'none') loss.mul(torch.tensor(unitValues(c.n, 3), { dtype: 'float32' })).sum().backward();
      else loss.backward();
      expect(Array.from(loss.detach().reshape([-1]).data as ArrayLike<number>)).toEqual(c.loss);
      expect(Array.from(x.grad!.data as ArrayLike<number>)).toEqual(c.grad_input);
      // target's gradient is (1 - x).log_() - x.log(): ATen's vectorised log there (Sleef's logf,
      // not glibc's) can differ by one float32 step in a log, which the difference of the two logs
      // turns into up to ~1e-7 near x = 0.5. Not bit for bit (yet): within 1e-6, and mostly exact.
      const gradTarget = Array.from(t.grad!.data as ArrayLike<number>);
      gradTarget.forEach((v, i) => expect(Math.abs(v - c.grad_target[i]), `grad_target[${i}]`).toBeLessThanOrEqual(1e-6));
      expect(gradTarget.filter((v, i) => v !== c.grad_target[i]).length).toBeLessThanOrEqual(Math.ceil(c.n / 20));
    });
  }
  it("gives 100 for a certain wrong answer (the logs are clamped at -100) and refuses inputs outside [0, 1]", () => {
    expect(Array.from(binaryCrossEntropy(torch.tensor([0, 1], { dtype: 'float32' }), torch.tensor([1, 0], { dtype: 'float32' }), 'none').data as ArrayLike<number>)).toEqual([100, 100]);
    expect(() => binaryCrossEntropy(torch.tensor([1.5], { dtype: 'float32' }), torch.tensor([1], { dtype: 'float32' }), 'mean')).toThrow('all elements of input should be between 0 and 1');
  });
});
