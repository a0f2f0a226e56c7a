// ../shared/bench's training loop through the engine: the same final loss, b and sum(w) as
// PyTorch to the last bit (random inputs, reductions over 786,432 values, 30-2000 epochs).
import { describe, expect, it } from 'vitest';
import { torch } from '../../../src-main/engine';
import { readFixture } from './helpers';

interface Run {
  n: number;
  epochs: number;
  loss: number;
  b: number;
  w_sum: number;
}
const fixture = readFixture<{ runs: Run[] }>('bench_losses.json');

describe('benchmark loop matches PyTorch exactly', () => {
  for (const r of fixture.runs) {
    for (const tidy of [true, false]) {
      if (!tidy && r.n > 100000) continue; // the untidied large run is slow and adds nothing new
      it(`n=${r.n}, ${r.epochs} epochs${tidy ? ' in torch.tidy' : ''}`, () => {
        torch.manualSeed(0);
        const x = torch.rand([r.n]);
        const y = torch.rand([r.n]);
        const w = torch.ones([r.n], { requiresGrad: true });
        const b = torch.tensor(0, { dtype: 'float32', requiresGrad: true });
        let lossValue = 0;
        const epoch = (): void => {
          const loss = w.mul(x).add(b).sub(y).pow(2).mean();
          loss.backward();
          torch.noGrad(() => {
            w.sub_(w.grad!.mul(0.01));
            b.sub_(b.grad!.mul(0.01));
          });
          w.grad!.zero_();
          b.grad!.zero_();
          lossValue = loss.item();
        };
        for (let e = 0; e < r.epochs; e++) {
          if (tidy) torch.tidy(epoch);
          else epoch();
        }
        expect(lossValue).toBe(r.loss);
        expect(b.item()).toBe(r.b);
        expect(w.sum().item()).toBe(r.w_sum);
      });
    }
  }
});
