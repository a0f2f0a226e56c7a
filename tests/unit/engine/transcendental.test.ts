// torch.exp / log / sigmoid / tanh on float32 tensors bit for bit with PyTorch 1.13's CPU kernels
// (tests/fixtures/engine/transcendental.json, made by gen_transcendental.py): exp, log and tanh
// are SLEEF's vector functions on every element; sigmoid takes SLEEF's exp in cpu_kernel_vec's
// whole 16-element steps and glibc's expf in the tail, in memory order (so a transposed view's
// tail is other elements than a contiguous tensor's; a strided view goes as a contiguous copy);
// tanh's backward fuses 1 - y * y into one multiply-add; sin and cos are SLEEF's for |x| < 125. Then properties of the ports that hold
// for any float32: each is within an ulp or two of the correctly rounded value, tanh is odd and
// bounded, sigmoid(x) + sigmoid(-x) is 1 to an ulp.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor, torch } from '../../../src-main/engine';
import { cos, exp, log, sigmoid, sin, tanh } from '../../../src-main/engine/ops';
import { sleefExpf, sleefLogf, sleefTanhf, vectorLanes } from '../../../src-main/engine/sleef';

interface Case {
  kind: string;
  shape: number[];
  strides: number[];
  storage: number[];
  exp: number[];
  log: number[];
  sigmoid: number[];
  sigmoid_grad: number[];
  tanh: number[];
  tanh_grad: number[];
  grad_out: number[];
  sin: number[];
  cos: number[];
  sin_grad: number[];
}
interface DoubleCase {
  x: number[];
  exp: number[];
  log: number[];
  tanh: number[];
  sigmoid: number[] | null;
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/engine/transcendental.json'), 'utf8')) as { torch: string; cases: Case[]; float64: DoubleCase[] };

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fromBits(b: number): number {
  u32[0] = b;
  return f32[0];
}
function toBits(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** The case's tensor laid out as PyTorch's was (same storage, sizes and strides). */
function input(c: Case, requiresGrad = false): Tensor {
  const base = torch.tensor(c.storage.map(fromBits), { dtype: 'float32' });
  const t = Tensor._view(base, c.shape, c.strides, 0);
  return requiresGrad ? t.detach().requiresGrad_() : t;
}

/** Indices (row-major) whose bits differ; NaN payloads are not compared. */
function differing(t: Tensor, expected: number[]): number[] {
  const got = t.contiguous().data as Float32Array;
  const bad: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    const e = fromBits(expected[i]);
    if (e !== e ? got[i] === got[i] : toBits(got[i]) !== expected[i]) bad.push(i);
  }
  return bad;
}

describe('float32 exp, log, sigmoid and tanh against PyTorch 1.13, bit for bit', () => {
  it('reads a fixture of PyTorch 1.13', () => {
    expect(fixture.torch).toMatch(/^1\.13/);
    expect(fixture.cases.length).toBeGreaterThan(50);
  });
  for (const c of fixture.cases) {
    const label = `${c.kind} [${c.shape.join(', ')}]`;
    it(`${label}: exp, log, sigmoid, tanh`, () => {
      const x = input(c);
      expect(differing(exp(x), c.exp)).toEqual([]);
      expect(differing(log(x.abs()), c.log)).toEqual([]);
      expect(differing(sigmoid(x), c.sigmoid)).toEqual([]);
      expect(differing(tanh(x), c.tanh)).toEqual([]);
    });
    // SLEEF's sin/cos reduce the argument another way for a whole vector once a lane reaches 125
    if (c.storage.every((b) => Math.abs(fromBits(b)) < 125)) {
      it(`${label}: sin, cos and sin's backward`, () => {
        const x = input(c);
        expect(differing(sin(x), c.sin)).toEqual([]);
        expect(differing(cos(x), c.cos)).toEqual([]);
        const a = input(c, true);
        sin(a).backward(torch.tensor(c.grad_out.map(fromBits), { dtype: 'float32' }).reshape(c.shape));
        expect(differing(a.grad!, c.sin_grad)).toEqual([]);
      });
    }
    it(`${label}: sigmoid's and tanh's backward`, () => {
      const g = torch.tensor(c.grad_out.map(fromBits), { dtype: 'float32' }).reshape(c.shape);
      const a = input(c, true);
      sigmoid(a).backward(g);
      expect(differing(a.grad!, c.sigmoid_grad)).toEqual([]);
      const b = input(c, true);
      tanh(b).backward(g);
      expect(differing(b.grad!, c.tanh_grad)).toEqual([]);
    });
  }

  it('negative control: sigmoid with glibc expf everywhere, or SLEEF everywhere, misses PyTorch', () => {
    const c = fixture.cases.find((k) => k.kind === 'contiguous' && k.shape[0] === 600)!;
    const x = c.storage.map(fromBits);
    const all = (e: (v: number) => number): number => x.filter((v, i) => toBits(Math.fround(1 / Math.fround(1 + e(-v)))) !== c.sigmoid[i]).length;
    expect(all((v) => Math.fround(Math.exp(v)))).toBeGreaterThan(0);
    expect(all(sleefExpf)).toBeGreaterThan(0);
  });

  it('vector lanes follow memory order for a dense view, row-major order for any other', () => {
    expect(vectorLanes(torch.zeros([20]))?.reduce((a, b) => a + b, 0)).toBe(16);
    expect(vectorLanes(torch.zeros([8]))).toBeNull();
    // [3, 17].t() is [17, 3] with strides [1, 17]: memory order runs down its columns
    const lanes = vectorLanes(Tensor._view(torch.zeros([51]), [17, 3], [1, 17], 0))!;
    expect(lanes.reduce((a, b) => a + b, 0)).toBe(48);
    // row-major element [15, 2] is memory 49 (tail); [16, 1] is memory 33 (a lane); [0, 2] is 34
    expect([lanes[15 * 3 + 2], lanes[16 * 3 + 1], lanes[2]]).toEqual([0, 1, 1]);
    // every second element: not dense, so a contiguous copy's first 16 of 17
    const strided = vectorLanes(Tensor._view(torch.zeros([34]), [17], [2], 0))!;
    expect([strided[15], strided[16]]).toEqual([1, 0]);
  });
});

describe('float64 exp, log, tanh and sigmoid against PyTorch 1.13, bit for bit', () => {
  for (const c of fixture.float64) {
    it(`${c.x.length} values: exp, log and tanh${c.sigmoid ? ', sigmoid (no scalar tail)' : ''}`, () => {
      const x = torch.tensor(c.x, { dtype: 'float64' });
      expect(Array.from(exp(x).data as Float64Array)).toEqual(c.exp);
      expect(Array.from(log(x.abs()).data as Float64Array)).toEqual(c.log);
      expect(Array.from(tanh(x).data as Float64Array)).toEqual(c.tanh);
      if (c.sigmoid) expect(Array.from(sigmoid(x).data as Float64Array)).toEqual(c.sigmoid);
    });
  }
  it('negative control: JavaScript\'s Math.exp and Math.tanh miss PyTorch somewhere in these values', () => {
    const c = fixture.float64.at(-1)!;
    expect(c.x.filter((v, i) => Math.exp(v) !== c.exp[i]).length).toBeGreaterThan(0);
    expect(c.x.filter((v, i) => Math.tanh(v) !== c.tanh[i]).length).toBeGreaterThan(0);
  });
});

describe('the SLEEF ports, for any float32', () => {
  const float32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround);
  const ulps = (a: number, b: number): number => Math.abs(toBits(a) - toBits(b));

  it('tanh is odd, within [-1, 1] and within 2 ulps of tanh rounded to float32', () => {
    fc.assert(
      fc.property(float32, (x) => {
        const y = sleefTanhf(x);
        expect(Object.is(sleefTanhf(-x), -y)).toBe(true);
        expect(Math.abs(y)).toBeLessThanOrEqual(1);
        if (Math.abs(x) > 1e-30) expect(ulps(y, Math.fround(Math.tanh(x)))).toBeLessThanOrEqual(2);
      }),
      { numRuns: 3000 },
    );
  });

  it('exp and log are within 2 ulps of the correctly rounded values, and log(exp(x)) comes back near x', () => {
    fc.assert(
      fc.property(fc.float({ min: -80, max: 80, noNaN: true }).map(Math.fround), (x) => {
        expect(ulps(sleefExpf(x), Math.fround(Math.exp(x)))).toBeLessThanOrEqual(2);
        expect(Math.abs(sleefLogf(sleefExpf(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 1e-6 + 1e-6);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.float({ min: Math.fround(1e-37), max: Math.fround(3e38), noNaN: true }).map(Math.fround), (x) => {
        expect(ulps(sleefLogf(x), Math.fround(Math.log(x)))).toBeLessThanOrEqual(2);
      }),
      { numRuns: 3000 },
    );
  });

  it('sigmoid(x) + sigmoid(-x) is 1 to float32 rounding, on either path', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 40 }), (xs) => {
        const x = torch.tensor(xs, { dtype: 'float32' });
        const s = sigmoid(x).add(sigmoid(x.neg())).data as Float32Array;
        for (const v of s) expect(Math.abs(v - 1)).toBeLessThanOrEqual(2 ** -22);
      }),
      { numRuns: 300 },
    );
  });
});
