// WebAssembly SIMD kernels for float32 tensors whose storage lives in the engine's arena
// (arena.ts). The module is assembled here from a few lines of bytecode, so there is no build
// step and nothing generated to keep in sync; it needs CSP 'wasm-unsafe-eval' only (no eval).
// f32 and f32x4 arithmetic is IEEE single precision, so every kernel gives exactly the values
// of the plain JavaScript loops in kernels.ts (which stay the fallback and the reference).

import {
  BLOCK, END, F32, F32_LOAD, F32_STORE, F32X4_SPLAT, I32, I32_ADD, I32_AND, I32_GE_U, I32_SHL, LOOP, V128, V_STORE,
  assembleModule, br, brIf, f32c, get, i32c, set, simd, tee, vLoadAt, vStoreAt,
} from './wasm-asm';
import type { WasmFunction } from './wasm-asm';

type Fn = WasmFunction;

/** for (i = start; i < end; i += step) body — i and end are byte offsets in locals. */
function forBytes(i: number, end: number, step: number, body: number[]): number[] {
  return [
    ...BLOCK,
    ...LOOP,
    ...get(i),
    ...get(end),
    ...I32_GE_U,
    ...brIf(1),
    ...body,
    ...get(i),
    ...i32c(step),
    ...I32_ADD,
    ...set(i),
    ...br(0),
    ...END,
    ...END,
  ];
}

const addr = (base: number, i: number): number[] => [...get(base), ...get(i), ...I32_ADD];

// f32x4 / f32 opcodes
const VEC_OP = { add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7 } as const;
const SCALAR_OP = { add: 0x92, sub: 0x93, mul: 0x94, div: 0x95 } as const;
type Arith = keyof typeof VEC_OP;

/**
 * Elementwise kernel skeleton over n floats: a SIMD loop unrolled 4 times (16 floats per
 * step), a 4-lane SIMD loop, then a scalar tail. `vecBody(offset)` pushes the vector to store
 * for byte offset local `i` + offset; `scalarBody` the float for offset `i`.
 */
function elementwise(fnName: string, params: number[], n: number, vecBody: (offset: number) => number[], scalarBody: number[], unroll = true): Fn {
  const out = 0;
  const i = params.length;
  const end = i + 1;
  const unrolled: number[] = [];
  for (let k = 0; k < 4; k++) unrolled.push(...addr(out, i), ...vecBody(16 * k), ...vStoreAt(16 * k));
  const fast = unroll ? [...get(n), ...i32c(-16), ...I32_AND, ...i32c(2), ...I32_SHL, ...set(end), ...forBytes(i, end, 64, unrolled)] : [];
  return {
    name: fnName,
    params,
    locals: [I32, I32],
    body: [
      ...fast,
      ...get(n), ...i32c(-4), ...I32_AND, ...i32c(2), ...I32_SHL, ...set(end),
      ...forBytes(i, end, 16, [...addr(out, i), ...vecBody(0), ...V_STORE]),
      ...get(n), ...i32c(2), ...I32_SHL, ...set(end),
      ...forBytes(i, end, 4, [...addr(out, i), ...scalarBody, ...F32_STORE]),
    ],
  };
}

function buildFunctions(): Fn[] {
  const fns: Fn[] = [];
  const i = 4; // first local after 4 params
  for (const op of Object.keys(VEC_OP) as Arith[]) {
    // (out, a, b, n): out = a op b
    fns.push(
      elementwise(`${op}`, [I32, I32, I32, I32], 3,
        (o) => [...addr(1, i), ...vLoadAt(o), ...addr(2, i), ...vLoadAt(o), ...simd(VEC_OP[op])],
        [...addr(1, i), ...F32_LOAD, ...addr(2, i), ...F32_LOAD, SCALAR_OP[op]], op !== 'div'),
    );
    // (out, a, s, n): out = a op s
    fns.push(
      elementwise(`${op}_scalar`, [I32, I32, F32, I32], 3,
        (o) => [...addr(1, i), ...vLoadAt(o), ...get(2), ...F32X4_SPLAT, ...simd(VEC_OP[op])],
        [...addr(1, i), ...F32_LOAD, ...get(2), SCALAR_OP[op]], op === 'add' || op === 'mul'),
    );
    // (out, s, b, n): out = s op b (only where order matters: s + b and s * b use *_scalar)
    if (op === 'sub' || op === 'div') fns.push(
      elementwise(`scalar_${op}`, [I32, F32, I32, I32], 3,
        (o) => [...get(1), ...F32X4_SPLAT, ...addr(2, i), ...vLoadAt(o), ...simd(VEC_OP[op])],
        [...get(1), ...addr(2, i), ...F32_LOAD, SCALAR_OP[op]], false),
    );
  }
  // (out, a, b, n): out += a * b, gradient accumulation fused with mul's backward
  fns.push(
    elementwise('add_mul', [I32, I32, I32, I32], 3,
      (o) => [...addr(0, i), ...vLoadAt(o), ...addr(1, i), ...vLoadAt(o), ...addr(2, i), ...vLoadAt(o), ...simd(VEC_OP.mul), ...simd(VEC_OP.add)],
      [...addr(0, i), ...F32_LOAD, ...addr(1, i), ...F32_LOAD, ...addr(2, i), ...F32_LOAD, SCALAR_OP.mul, SCALAR_OP.add], false),
  );
  // (out, a, s1, s2, n): out = (a * s1) * s2, e.g. pow's backward with a uniform grad
  fns.push(
    elementwise('mul_scalar2', [I32, I32, F32, F32, I32], 4,
      (o) => [...addr(1, 5), ...vLoadAt(o), ...get(2), ...F32X4_SPLAT, ...simd(VEC_OP.mul), ...get(3), ...F32X4_SPLAT, ...simd(VEC_OP.mul)],
      [...addr(1, 5), ...F32_LOAD, ...get(2), SCALAR_OP.mul, ...get(3), SCALAR_OP.mul]),
  );
  // (out, a, b, s, n): out = a * (b * s), e.g. pow's backward grad * (exponent * self)
  const m = 5;
  fns.push(
    elementwise('mul_scaled', [I32, I32, I32, F32, I32], 4,
      (o) => [...addr(1, m), ...vLoadAt(o), ...addr(2, m), ...vLoadAt(o), ...get(3), ...F32X4_SPLAT, ...simd(VEC_OP.mul), ...simd(VEC_OP.mul)],
      [...addr(1, m), ...F32_LOAD, ...addr(2, m), ...F32_LOAD, ...get(3), SCALAR_OP.mul, SCALAR_OP.mul], false),
  );
  // (out, b, s, n): out += b * s, the update `w -= lr * w.grad` without a temporary (s = -lr)
  fns.push(
    elementwise('add_scaled', [I32, I32, F32, I32], 3,
      (o) => [...addr(0, i), ...vLoadAt(o), ...addr(1, i), ...vLoadAt(o), ...get(2), ...F32X4_SPLAT, ...simd(VEC_OP.mul), ...simd(VEC_OP.add)],
      [...addr(0, i), ...F32_LOAD, ...addr(1, i), ...F32_LOAD, ...get(2), SCALAR_OP.mul, SCALAR_OP.add]),
  );
  // (out, a, b, s, n): out = s + a * b, accumulating into a gradient that zero_() left pending
  fns.push(
    elementwise('mul_add_scalar', [I32, I32, I32, F32, I32], 4,
      (o) => [...get(3), ...F32X4_SPLAT, ...addr(1, m), ...vLoadAt(o), ...addr(2, m), ...vLoadAt(o), ...simd(VEC_OP.mul), ...simd(VEC_OP.add)],
      [...get(3), ...addr(1, m), ...F32_LOAD, ...addr(2, m), ...F32_LOAD, SCALAR_OP.mul, SCALAR_OP.add], false),
  );
  const j = 3; // first local after 3 params
  const unary: Record<string, { vec: number[]; scalar: number[] }> = {
    neg: { vec: simd(0xe1), scalar: [0x8c] },
    sqrt: { vec: simd(0xe3), scalar: [0x91] },
  };
  for (const [op, code] of Object.entries(unary)) {
    fns.push(elementwise(op, [I32, I32, I32], 2, (o) => [...addr(1, j), ...vLoadAt(o), ...code.vec], [...addr(1, j), ...F32_LOAD, ...code.scalar], false));
  }
  // square: x * x
  fns.push(
    elementwise('square', [I32, I32, I32], 2,
      (o) => [...addr(1, j), ...vLoadAt(o), ...addr(1, j), ...vLoadAt(o), ...simd(VEC_OP.mul)],
      [...addr(1, j), ...F32_LOAD, ...addr(1, j), ...F32_LOAD, SCALAR_OP.mul]),
  );
  fns.push(accumulateBlocks(false), accumulateBlocks(true), accumulateDifferenceSquares(), linearRegressionEpoch());
  return fns;
}

/**
 * acc32(dst, src, blocks): sums `blocks` blocks of 32 consecutive floats at src into 32 lane
 * accumulators starting from zero (level 0 of PyTorch's cascade sum, lane for lane in the
 * same order), then adds them into the 32 floats at dst (the next level: dst += level0).
 * reduce.ts does the rest of the level bookkeeping. acc32sq adds each float's square instead
 * (the sum in `(a - b).pow(2).mean()` without writing the squares out).
 */
function accumulateBlocks(squared: boolean): Fn {
  // params: dst 0, src 1, blocks 2; locals: p 3, end 4, v0..v7 5..12 (zero-initialized)
  const body: number[] = [];
  body.push(...get(1), ...set(3));
  body.push(...get(2), ...i32c(7), ...I32_SHL, ...get(1), ...I32_ADD, ...set(4)); // end = src + blocks*128
  const inner: number[] = [];
  for (let k = 0; k < 8; k++) {
    const load = squared ? [...get(3), ...vLoadAt(k * 16), ...get(3), ...vLoadAt(k * 16), ...simd(VEC_OP.mul)] : [...get(3), ...vLoadAt(k * 16)];
    inner.push(...get(5 + k), ...load, ...simd(VEC_OP.add), ...set(5 + k));
  }
  body.push(...forBytes(3, 4, 128, inner));
  for (let k = 0; k < 8; k++) body.push(...get(0), ...get(0), ...vLoadAt(k * 16), ...get(5 + k), ...simd(VEC_OP.add), ...vStoreAt(k * 16));
  return { name: squared ? 'acc32sq' : 'acc32', params: [I32, I32, I32], locals: [I32, I32, V128, V128, V128, V128, V128, V128, V128, V128], body };
}

/**
 * acc32subsq(dst, a, b, out, blocks): acc32sq of out = a - b, with out written as it is computed:
 * the loss `(y_hat - y).pow(2)`'s difference and the level-0 sums of its squares in one pass over
 * memory instead of two (the difference is stored, since backward needs it). The accumulators
 * see the same values in the same order as acc32sq reading `out` afterwards, so the sum is the same.
 */
function accumulateDifferenceSquares(): Fn {
  // params: dst 0, a 1, b 2, out 3, blocks 4; locals: i 5, end 6, v0..v7 7..14, d 15
  const [dst, a, b, out, blocks, i, end, d] = [0, 1, 2, 3, 4, 5, 6, 15];
  const body: number[] = [];
  body.push(...get(blocks), ...i32c(7), ...I32_SHL, ...set(end)); // end = blocks*128 bytes; i starts at 0
  const inner: number[] = [];
  for (let k = 0; k < 8; k++) {
    inner.push(...addr(out, i), ...addr(a, i), ...vLoadAt(k * 16), ...addr(b, i), ...vLoadAt(k * 16), ...simd(VEC_OP.sub), ...tee(d), ...vStoreAt(k * 16));
    inner.push(...get(7 + k), ...get(d), ...get(d), ...simd(VEC_OP.mul), ...simd(VEC_OP.add), ...set(7 + k));
  }
  body.push(...forBytes(i, end, 128, inner));
  for (let k = 0; k < 8; k++) body.push(...get(dst), ...get(dst), ...vLoadAt(k * 16), ...get(7 + k), ...simd(VEC_OP.add), ...vStoreAt(k * 16));
  return { name: 'acc32subsq', params: [I32, I32, I32, I32, I32], locals: [I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128], body };
}

/**
 * epoch_lr(w, x, t, yhat, level, blocks, b, each, c, negLr): one epoch of the lessons' loop over
 * `blocks` blocks of 32 floats, every step rounded to float32 as the separate kernels round it:
 *   yhat = w * x + b                      (mul_add_scalar: written out)
 *   d = yhat - t; loss level 0 += d * d   (acc32subsq, at `level`; d is not stored)
 *   g = (d * 2) * each                    (mul_scalar2: pow's and mean's backward)
 *   b's level 0 += g                      (acc32 at level + 512: the gradient of b is sum(g))
 *   w += (c + g * x) * negLr              (mul_add_scalar into the lazily zeroed w.grad = c,
 *                                          then add_scaled: w -= lr * w.grad; w.grad not stored)
 * So w, x and t are read once and yhat and w written once: one pass instead of six.
 */
function linearRegressionEpoch(): Fn {
  const [w, x, t, yhat, level, blocks, b, each, c, negLr] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, end] = [10, 11];
  const loss = 12; // 8 accumulators 12..19
  const grad = 20; // 8 accumulators 20..27
  const [xv, wv, d, g, bs, eachv, cv, lrv, two] = [28, 29, 30, 31, 32, 33, 34, 35, 36];
  const splat = (from: number[], to: number): number[] => [...from, ...F32X4_SPLAT, ...set(to)];
  const body: number[] = [
    ...splat(get(b), bs), ...splat(get(each), eachv), ...splat(get(c), cv), ...splat(get(negLr), lrv), ...splat(f32c(2), two),
    ...get(blocks), ...i32c(7), ...I32_SHL, ...set(end), // end = blocks * 128 bytes; i starts at 0
  ];
  const inner: number[] = [];
  for (let k = 0; k < 8; k++) {
    const o = k * 16;
    inner.push(...addr(x, i), ...vLoadAt(o), ...set(xv), ...addr(w, i), ...vLoadAt(o), ...set(wv));
    // yhat = w * x + b, stored; d = yhat - t
    inner.push(...addr(yhat, i), ...get(wv), ...get(xv), ...simd(VEC_OP.mul), ...get(bs), ...simd(VEC_OP.add), ...tee(d), ...vStoreAt(o));
    inner.push(...get(d), ...addr(t, i), ...vLoadAt(o), ...simd(VEC_OP.sub), ...set(d));
    inner.push(...get(loss + k), ...get(d), ...get(d), ...simd(VEC_OP.mul), ...simd(VEC_OP.add), ...set(loss + k));
    // g = (d * 2) * each, summed for b
    inner.push(...get(d), ...get(two), ...simd(VEC_OP.mul), ...get(eachv), ...simd(VEC_OP.mul), ...set(g));
    inner.push(...get(grad + k), ...get(g), ...simd(VEC_OP.add), ...set(grad + k));
    // w = w + (c + g * x) * negLr
    inner.push(...addr(w, i), ...get(wv), ...get(cv), ...get(g), ...get(xv), ...simd(VEC_OP.mul), ...simd(VEC_OP.add), ...get(lrv), ...simd(VEC_OP.mul), ...simd(VEC_OP.add), ...vStoreAt(o));
  }
  body.push(...forBytes(i, end, 128, inner));
  for (let k = 0; k < 8; k++) {
    body.push(...get(level), ...get(level), ...vLoadAt(k * 16), ...get(loss + k), ...simd(VEC_OP.add), ...vStoreAt(k * 16));
    body.push(...get(level), ...get(level), ...vLoadAt(512 + k * 16), ...get(grad + k), ...simd(VEC_OP.add), ...vStoreAt(512 + k * 16));
  }
  return {
    name: 'epoch_lr',
    params: [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32],
    locals: [I32, I32, ...new Array<number>(25).fill(V128)],
    body,
  };
}

export interface Kernels {
  add(out: number, a: number, b: number, n: number): void;
  sub(out: number, a: number, b: number, n: number): void;
  mul(out: number, a: number, b: number, n: number): void;
  div(out: number, a: number, b: number, n: number): void;
  add_scalar(out: number, a: number, s: number, n: number): void;
  sub_scalar(out: number, a: number, s: number, n: number): void;
  mul_scalar(out: number, a: number, s: number, n: number): void;
  div_scalar(out: number, a: number, s: number, n: number): void;
  scalar_sub(out: number, s: number, b: number, n: number): void;
  scalar_div(out: number, s: number, b: number, n: number): void;
  mul_scaled(out: number, a: number, b: number, s: number, n: number): void;
  add_mul(out: number, a: number, b: number, n: number): void;
  mul_scalar2(out: number, a: number, s1: number, s2: number, n: number): void;
  mul_add_scalar(out: number, a: number, b: number, s: number, n: number): void;
  add_scaled(out: number, b: number, s: number, n: number): void;
  neg(out: number, a: number, n: number): void;
  sqrt(out: number, a: number, n: number): void;
  square(out: number, a: number, n: number): void;
  acc32(acc: number, src: number, blocks: number): void;
  acc32sq(acc: number, src: number, blocks: number): void;
  acc32subsq(acc: number, a: number, b: number, out: number, blocks: number): void;
  epoch_lr(w: number, x: number, t: number, yhat: number, level: number, blocks: number, b: number, each: number, c: number, negLr: number): void;
}

/**
 * Compiled synchronously. Browsers refuse synchronous compiles over 4 KB on a page's main
 * thread, but the engine only runs in workers (training, the Python runner) and in Node, where
 * any size is allowed; anywhere the compile is refused, instantiateKernels returns null and the
 * engine uses its plain JavaScript loops (same values).
 */
export const KERNEL_MODULE_BYTES: Uint8Array<ArrayBuffer> = assembleModule(buildFunctions());

/** Instantiates the kernels on `memory`, or returns null where WebAssembly SIMD is unavailable. */
export function instantiateKernels(memory: WebAssembly.Memory): Kernels | null {
  try {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(KERNEL_MODULE_BYTES)) return null;
    const module = new WebAssembly.Module(KERNEL_MODULE_BYTES);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return instance.exports as unknown as Kernels;
  } catch {
    return null;
  }
}
