// The WebAssembly SIMD kernels and the arena: bit-identical to the plain JavaScript kernels,
// and torch.tidy() frees, keeps and reuses buffers as documented.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Tensor, torch } from '../../../src-main/engine';
import { KERNEL_MODULE_BYTES, instantiateKernels } from '../../../src-main/engine/wasm';
import { ARENA_MIN_ELEMENTS, inArena, setArenaEnabled } from '../../../src-main/engine/arena';
import { makeInput } from './helpers';

const SPECIALS = [0, -0, 1, -1, 0.1, 1e-30, -3.4e38, 3.4e38, Infinity, -Infinity, NaN, 1.401298464324817e-45];

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (!Object.is(a[i], b[i])) return false;
  }
  return true;
}

/** Files reachable from `entry` through static imports (workers started with new URL() are not imports). */
function staticImportGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g)) {
      const spec = match[1] ?? match[2];
      const base = resolve(dirname(file), spec);
      const candidates = [base, `${base}.ts`, `${base.replace(/\.js$/, '')}.ts`, `${base}.svelte.ts`, join(base, 'index.ts')];
      const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
      if (found && /\.(ts|svelte)$/.test(found)) stack.push(found);
    }
  }
  return seen;
}

describe('WebAssembly kernels', () => {
  const memory = new WebAssembly.Memory({ initial: 16 });
  const k = instantiateKernels(memory)!;
  const heap = new Float32Array(memory.buffer);
  const fr = Math.fround;

  it('assemble to a valid module that compiles synchronously', () => {
    expect(WebAssembly.validate(KERNEL_MODULE_BYTES)).toBe(true);
    expect(k).not.toBeNull();
  });

  it('are never loaded by the window itself, only by workers (browsers refuse synchronous compiles over 4 KB on a page)', () => {
    expect(KERNEL_MODULE_BYTES.length).toBeGreaterThan(4096); // why the rule below matters
    const reached = staticImportGraph(resolve('src-renderer/main.ts'));
    const engineFiles = [...reached].filter((f) => f.includes(`${sep}src-main${sep}engine${sep}`));
    expect(engineFiles).toEqual([]);
    expect(reached.size).toBeGreaterThan(20); // the walk really followed the renderer's imports
  });

  it('give exactly the float32 results of JavaScript arithmetic, tails and special values included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)), { minLength: 1, maxLength: 70 }),
        fc.array(fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)), { minLength: 70, maxLength: 70 }),
        fc.oneof(fc.float(), fc.constantFrom(...SPECIALS)),
        (aVals, bVals, sRaw) => {
          const n = aVals.length;
          const s = fr(sRaw);
          const A = 0;
          const B = 512;
          const O = 1024;
          heap.set(aVals.map(fr), A / 4);
          heap.set(bVals.slice(0, n).map(fr), B / 4);
          const a = heap.slice(A / 4, A / 4 + n);
          const b = heap.slice(B / 4, B / 4 + n);
          const out = (): Float32Array => heap.slice(O / 4, O / 4 + n);
          const expectOp = (run: () => void, f: (i: number) => number): void => {
            run();
            expect(sameBits(out(), Float32Array.from({ length: n }, (_, i) => f(i)))).toBe(true);
          };
          expectOp(() => k.add(O, A, B, n), (i) => a[i] + b[i]);
          expectOp(() => k.sub(O, A, B, n), (i) => a[i] - b[i]);
          expectOp(() => k.mul(O, A, B, n), (i) => a[i] * b[i]);
          expectOp(() => k.div(O, A, B, n), (i) => a[i] / b[i]);
          expectOp(() => k.add_scalar(O, A, s, n), (i) => a[i] + s);
          expectOp(() => k.sub_scalar(O, A, s, n), (i) => a[i] - s);
          expectOp(() => k.mul_scalar(O, A, s, n), (i) => a[i] * s);
          expectOp(() => k.div_scalar(O, A, s, n), (i) => a[i] / s);
          expectOp(() => k.scalar_sub(O, s, B, n), (i) => s - b[i]);
          expectOp(() => k.scalar_div(O, s, B, n), (i) => s / b[i]);
          expectOp(() => k.mul_scaled(O, A, B, s, n), (i) => a[i] * fr(b[i] * s));
          expectOp(() => k.mul_scalar2(O, A, s, 0.75, n), (i) => fr(a[i] * s) * 0.75);
          expectOp(() => k.mul_add_scalar(O, A, B, s, n), (i) => s + fr(a[i] * b[i]));
          heap.set(b, O / 4);
          expectOp(() => k.add_scaled(O, A, s, n), (i) => b[i] + fr(a[i] * s));
          heap.set(b, O / 4);
          expectOp(() => k.add_mul(O, A, B, n), (i) => b[i] + fr(a[i] * b[i]));
          expectOp(() => k.neg(O, A, n), (i) => -a[i]);
          expectOp(() => k.sqrt(O, A, n), (i) => Math.sqrt(a[i]));
          expectOp(() => k.square(O, A, n), (i) => a[i] * a[i]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('engine with and without the arena', () => {
  function trainingRun(n: number, epochs: number): { losses: number[]; w: Float32Array; b: number; grad: Float32Array } {
    const x = torch.tensor(makeInput(n, 1, 3));
    const y = torch.tensor(makeInput(n, 2, 5));
    const w = torch.tensor(makeInput(n, 3, 1), { requiresGrad: true });
    const b = torch.tensor(0.5, { dtype: 'float32', requiresGrad: true });
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const loss = torch.tidy(() => {
        const l = w.mul(x).add(b).sub(y).pow(2).mean().add(w.abs().sqrt().neg().div(x.abs().add(1)).mean());
        l.backward();
        torch.noGrad(() => {
          w.sub_(w.grad!.mul(0.01));
          b.sub_(b.grad!.mul(0.01));
        });
        return l;
      });
      losses.push(loss.item());
      if (e < epochs - 1) {
        w.grad!.zero_();
        b.grad!.zero_();
      }
    }
    return { losses, w: Float32Array.from(w.data as Float32Array), b: b.item(), grad: Float32Array.from(w.grad!.data as Float32Array) };
  }

  for (const n of [300, 1000, 4099, 65536]) {
    it(`gives bit-identical training at n=${n}`, () => {
      const fast = trainingRun(n, 4);
      setArenaEnabled(false);
      try {
        const plain = trainingRun(n, 4);
        expect(fast.losses).toEqual(plain.losses);
        expect(sameBits(fast.w, plain.w)).toBe(true);
        expect(sameBits(fast.grad, plain.grad)).toBe(true);
        expect(fast.b).toBe(plain.b);
      } finally {
        setArenaEnabled(true);
      }
    });
  }
});

describe('torch.tidy', () => {
  const n = ARENA_MIN_ELEMENTS * 4;
  it('keeps big float tensors in the arena', () => {
    expect(inArena(torch.ones([n]).data)).toBe(true);
    expect(inArena(torch.ones([2]).data)).toBe(false);
  });

  it('releases temporaries, keeps the result, and says how to keep a released tensor', () => {
    let temp: Tensor | undefined;
    const kept = torch.tidy(() => {
      temp = torch.ones([n]).mul(2);
      return temp.add(1);
    });
    expect(kept.data[0]).toBe(3);
    expect(() => temp!.data).toThrow(/torch\.tidy\(\).*torch\.keep\(\)/);
    expect(() => temp!.toString()).toThrow(/released/);
  });

  it('torch.keep and .grad survive the scope; nested scopes and exceptions release correctly', () => {
    const w = torch.ones([n], { requiresGrad: true });
    let kept: Tensor | undefined;
    let inner: Tensor | undefined;
    torch.tidy(() => {
      kept = torch.keep(w.mul(3));
      torch.tidy(() => {
        inner = w.add(1);
      });
      expect(() => inner!.data).toThrow();
      w.mul(w).sum().backward();
    });
    expect(kept!.data[5]).toBe(3);
    expect(w.grad!.data[5]).toBe(2);
    let failed: Tensor | undefined;
    expect(() =>
      torch.tidy(() => {
        failed = w.mul(5);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(() => failed!.data).toThrow();
  });

  it('torch.keep survives nested scopes; backward frees its own temporaries without tidy', () => {
    let kept: Tensor | undefined;
    torch.tidy(() => {
      torch.tidy(() => {
        kept = torch.keep(torch.ones([n]).mul(7));
      });
    });
    expect(kept!.data[3]).toBe(7);
    const w = torch.ones([n], { requiresGrad: true });
    const x = torch.full([n], 2);
    const gradOffsets = new Set<number>();
    for (let e = 0; e < 4; e++) {
      w.mul(x).pow(2).mean().backward();
      gradOffsets.add(w.grad!.data.byteOffset);
    }
    // 4 backward passes accumulated into the same persistent .grad: 4 * (2 * 2 * 2 / n)
    expect(w.grad!.data[0]).toBe(Math.fround((4 * 8) / n));
    expect(gradOffsets.size).toBe(1);
  });

  it('reuses the same buffers from one epoch to the next', () => {
    const x = torch.ones([n]);
    const offsets: number[][] = [];
    for (let e = 0; e < 3; e++) {
      torch.tidy(() => {
        const a = x.mul(2);
        const b = a.add(x);
        offsets.push([a.data.byteOffset, b.data.byteOffset]);
      });
    }
    expect(new Set(offsets.flat()).size).toBeLessThanOrEqual(2);
  });
});

describe('lazy zero_() of big gradients', () => {
  it('accumulates the next backward exactly as into a written-out zero (signed zeros included)', () => {
    const run = (): { first: Float32Array; second: Float32Array; third: Float32Array } => {
      const n = 300;
      const xs = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : (i % 7) - 3.5));
      const x = torch.tensor(xs);
      const w = torch.ones([n], { requiresGrad: true });
      w.mul(x).sum().backward();
      const first = Float32Array.from(w.grad!.data as Float32Array);
      w.grad!.zero_();
      w.mul(x).sum().backward();
      const second = Float32Array.from(w.grad!.data as Float32Array);
      w.mul(x).sum().backward(); // accumulates on top of a written-out gradient
      const third = Float32Array.from(w.grad!.data as Float32Array);
      return { first, second, third };
    };
    const fast = run();
    setArenaEnabled(false);
    let plain: ReturnType<typeof run>;
    try {
      plain = run();
    } finally {
      setArenaEnabled(true);
    }
    expect(Object.is(fast.first[0], -0)).toBe(true); // the first gradient is g * x itself: -0 stays
    expect(Object.is(fast.second[0], 0)).toBe(true); // 0 + (-0) is +0, as PyTorch's grad += new_grad
    expect(sameBits(fast.first, plain.first)).toBe(true);
    expect(sameBits(fast.second, plain.second)).toBe(true);
    expect(sameBits(fast.third, plain.third)).toBe(true);
  });

  it('reads back as zeros, through views too, and a zero_()ed tensor still reports its size', () => {
    const t = torch.ones([4, 100]);
    t.zero_();
    expect(t.numel()).toBe(400);
    expect(Array.from(t.index(1).data as Float32Array).every((v) => Object.is(v, 0))).toBe(true);
    expect(Array.from(t.data as Float32Array).every((v) => Object.is(v, 0))).toBe(true);
  });
});
