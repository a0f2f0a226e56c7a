// add(other, alpha=s) / sub(other, alpha=s) against real PyTorch 1.13: ATen computes
// self + s * other as one fused multiply-add, so every element is rounded once, in float32 and in
// float64 (tests/fixtures/engine/add_alpha.json, made by gen_add_alpha.py over twelve orders of
// magnitude). The negative control shows the data tell the two roundings of `self + s * other`
// apart, so the test can fail.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fma32, fma64, torch, type DType } from '../../../src-main/engine';
import { addScaled, inplaceBinary } from '../../../src-main/engine/ops';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/add_alpha.json'), 'utf8')) as {
  torch: string;
  cases: { dtype: 'float32' | 'float64'; alpha: string; self: string[]; other: string[]; result: string[] }[];
};

const numbers = (xs: string[]) => xs.map(Number);

describe(`add with alpha against PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.cases) {
    const alpha = Number(c.alpha);
    const dtype: DType = c.dtype;
    const self = numbers(c.self);
    const other = numbers(c.other);
    const expected = numbers(c.result);

    it(`${c.dtype}, alpha ${c.alpha}: add, sub and add_ round once, as ATen's fmadd`, () => {
      const a = torch.tensor(self, { dtype });
      const b = torch.tensor(other, { dtype });
      expect(Array.from(addScaled(a, b, alpha, false).data as ArrayLike<number>)).toEqual(expected);
      expect(Array.from(addScaled(a, b, -alpha, true).data as ArrayLike<number>)).toEqual(expected);
      const inPlace = torch.tensor(self, { dtype });
      inplaceBinary(inPlace, b, 'add', alpha);
      expect(Array.from(inPlace.data as ArrayLike<number>)).toEqual(expected);
    });

    it(`${c.dtype}, alpha ${c.alpha}: fma${c.dtype === 'float32' ? 32 : 64} gives each element; rounding twice does not (negative control)`, () => {
      const fma = c.dtype === 'float32' ? (x: number, y: number) => fma32(Math.fround(alpha), y, x) : (x: number, y: number) => fma64(alpha, y, x);
      expect(self.map((x, i) => fma(x, other[i]))).toEqual(expected);
      const twice = c.dtype === 'float32' ? (x: number, y: number) => Math.fround(x + Math.fround(Math.fround(alpha) * y)) : (x: number, y: number) => x + alpha * y;
      expect(self.filter((x, i) => twice(x, other[i]) !== expected[i]).length).toBeGreaterThan(5);
    });
  }

  it('keeps one AddBackward0 / SubBackward0 node whose gradients are grad and ±grad * alpha', () => {
    const a = torch.tensor([1, 2], { dtype: 'float32' }).requiresGrad_();
    const b = torch.tensor([3, 4], { dtype: 'float32' }).requiresGrad_();
    const z = addScaled(a, b, 0.5, true);
    expect(z.gradFn?.name).toBe('SubBackward0');
    z.sum().backward();
    expect(Array.from(a.grad!.data as ArrayLike<number>)).toEqual([1, 1]);
    expect(Array.from(b.grad!.data as ArrayLike<number>)).toEqual([-0.5, -0.5]);
  });
});
