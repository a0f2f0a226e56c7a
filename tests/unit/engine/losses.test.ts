// mse_loss (nn.MSELoss's one autograd node) against real PyTorch 1.13: loss and both gradients,
// bit for bit, for every reduction and for sizes that take the scalar and the WebAssembly paths
// (tests/fixtures/engine/mse_loss.json, made by gen_mse_loss.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torch, type Tensor } from '../../../src-main/engine';
import { mseLoss, type Reduction } from '../../../src-main/engine/ops';

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
      expect(Array.from(loss.detach().reshape([-1]).data)).toEqual(c.loss);
      expect(Array.from(x.grad!.data)).toEqual(c.grad_input);
      expect(Array.from(y.grad!.data)).toEqual(c.grad_target);
    });
  }
  it('refuses operands of different shapes (the functional form broadcasts them first)', () => {
    expect(() => mseLoss(torch.ones([2, 1]), torch.ones([2]), 'mean')).toThrow(/one shape/);
  });
});
