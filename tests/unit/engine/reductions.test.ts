import { describe, expect, it } from 'vitest';
import { torch } from '../../../src-main/engine';
import { makeInput, readFixture } from './helpers';

interface AllCase {
  kind: 'all';
  n: number;
  seed: number;
  scale: number;
  sum: number;
  mean: number | null;
  sq_mean: number | null;
}
interface DimCase {
  kind: 'dim';
  shape: number[];
  dim: number;
  seed: number;
  scale: number;
  sum: number[];
  mean: number[];
}
const fixture = readFixture<{ cases: (AllCase | DimCase)[] }>('reductions.json');

describe('sum and mean match PyTorch bit for bit (cascade sum order)', () => {
  for (const c of fixture.cases) {
    if (c.kind === 'all') {
      it(`full reduction n=${c.n} seed=${c.seed}`, () => {
        const t = torch.tensor(makeInput(c.n, c.seed, c.scale));
        expect(t.sum().item()).toBe(c.sum);
        if (c.mean !== null) expect(t.mean().item()).toBe(c.mean);
        if (c.sq_mean !== null) expect(t.mul(t).mean().item()).toBe(c.sq_mean);
      });
    } else {
      it(`sum/mean over dim ${c.dim} of [${c.shape.join(', ')}]`, () => {
        const n = c.shape.reduce((a, b) => a * b, 1);
        const t = torch.tensor(makeInput(n, c.seed, c.scale)).reshape(c.shape);
        expect(Array.from(t.sum(c.dim).data as ArrayLike<number>)).toEqual(c.sum);
        expect(Array.from(t.mean(c.dim).data as ArrayLike<number>)).toEqual(c.mean);
      });
    }
  }
});
