// min, max and sum of a float32 vector in one pass, for the w / w.grad summaries that every
// streamed update carries (up to 60 a second). At 786,432 values a JavaScript loop needs
// ~4 ms per vector (longer than an epoch); this WebAssembly SIMD kernel reads the engine's
// arena in place (no copy) and needs ~0.2 ms. Vectors outside the arena (fewer than 256
// values, arena full or WebAssembly SIMD missing) take the plain loop, which gives the same
// min and max and a sum that differs only by double rounding order.
//
// The kernel is a separate module instantiated on the engine's arena memory (arena.ts exports
// it), assembled with the engine's assembler (engine/wasm-asm.ts). Pure TypeScript: runs in a
// worker_thread, a Web Worker and the CLI.
import { getArena, inArena } from '../engine/arena';
import {
  BLOCK, END, F32, F32_LOAD, F32X4_SPLAT, F64, I32, I32_ADD, I32_AND, I32_EQZ, I32_LT_U, I32_SHL, LOOP, V128,
  assembleModule, br, brIf, f32c, get, i32c, set, simd, tee, vLoadAt,
} from '../engine/wasm-asm';
import type { WasmFunction } from '../engine/wasm-asm';

export interface Summary {
  min: number;
  max: number;
  /** Sum in double precision (the mean is sum / length). */
  sum: number;
}

// ---- the kernel (a few hundred bytes), written with the engine's assembler ----

const vLoad = (offset: number): number[] => vLoadAt(offset, 4);
const F32_MIN = [0x96];
const F32_MAX = [0x97];
const F64_ADD = [0xa0];
const F64_PROMOTE_F32 = [0xbb];
const f32x4Lane = (lane: number): number[] => simd(0x1f, lane);
const f64x2Lane = (lane: number): number[] => simd(0x21, lane);
const F32X4_MIN = simd(0xea); // pmin
const F32X4_MAX = simd(0xeb); // pmax
const F32X4_ADD = simd(0xe4);
const F32X4_REPLACE_LANE0 = simd(0x20, 0);
const F64X2_ADD = simd(0xf0);
const F64X2_PROMOTE_LOW = simd(0x5f);
/** i8x16.shuffle of a vector with itself moving lanes 2,3 (bytes 8..15) down to lanes 0,1. */
const HIGH_HALF_DOWN = simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);

/**
 * summarize(ptr, n) -> (min f32, max f32, sum f64) over the n floats at byte offset ptr.
 * Blocks of 64 floats: min and max in two f32x4 accumulator pairs, the sum in two f32x4
 * accumulators (8 values per lane each) that are then widened and added in double precision,
 * so the sum's error stays that of 8-term float32 partial sums (~1e-6 relative) however long
 * the vector. A scalar loop does the last n % 64 floats.
 */
function summarizeFunction(): WasmFunction {
  // params: ptr 0, n 1; locals: i 2, end 3 (i32); v 4, min0 5, max0 6, min1 7, max1 8, accA 9, accB 10, s0 11, s1 12 (v128); x 13 (f32); total 14 (f64)
  const [ptr, n, i, end, v, min0, max0, min1, max1, accA, accB, s0, s1, x, total] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const block: number[] = [];
  for (let k = 0; k < 16; k++) {
    const [mn, mx, acc] = k % 2 === 0 ? [min0, max0, accA] : [min1, max1, accB];
    block.push(
      ...get(ptr), ...get(i), ...I32_ADD, ...vLoad(16 * k), ...set(v),
      ...get(mn), ...get(v), ...F32X4_MIN, ...set(mn),
      ...get(mx), ...get(v), ...F32X4_MAX, ...set(mx),
      ...(k < 2 ? [...get(v), ...set(acc)] : [...get(acc), ...get(v), ...F32X4_ADD, ...set(acc)]),
    );
  }
  block.push(
    ...get(accA), ...get(accB), ...F32X4_ADD, ...set(v),
    ...get(s0), ...get(v), ...F64X2_PROMOTE_LOW, ...F64X2_ADD, ...set(s0),
    ...get(s1), ...get(v), ...get(v), ...HIGH_HALF_DOWN, ...F64X2_PROMOTE_LOW, ...F64X2_ADD, ...set(s1),
    ...get(i), ...i32c(256), ...I32_ADD, ...set(i),
  );
  const body: number[] = [
    ...f32c(Infinity), ...F32X4_SPLAT, ...tee(min0), ...set(min1),
    ...f32c(-Infinity), ...F32X4_SPLAT, ...tee(max0), ...set(max1),
    // end = (n & ~63) * 4 bytes
    ...get(n), ...i32c(-64), ...I32_AND, ...i32c(2), ...I32_SHL, ...set(end),
    ...BLOCK, ...LOOP,
    ...get(i), ...get(end), ...I32_LT_U, ...I32_EQZ, ...brIf(1), // leave when !(i < end)
    ...block,
    ...br(0),
    ...END, ...END,
    // fold the vector accumulators
    ...get(min0), ...get(min1), ...F32X4_MIN, ...set(min0),
    ...get(max0), ...get(max1), ...F32X4_MAX, ...set(max0),
    ...get(s0), ...get(s1), ...F64X2_ADD, ...set(s0),
    ...get(s0), ...f64x2Lane(0), ...get(s0), ...f64x2Lane(1), ...F64_ADD, ...set(total),
    // the last n % 64 floats, one at a time: fold them into lane 0 of min0/max0
    ...get(n), ...i32c(2), ...I32_SHL, ...set(end),
    ...BLOCK, ...LOOP,
    ...get(i), ...get(end), ...I32_LT_U, ...I32_EQZ, ...brIf(1),
    ...get(ptr), ...get(i), ...I32_ADD, ...F32_LOAD, ...set(x),
    ...get(min0), ...get(min0), ...f32x4Lane(0), ...get(x), ...F32_MIN, ...F32X4_REPLACE_LANE0, ...set(min0),
    ...get(max0), ...get(max0), ...f32x4Lane(0), ...get(x), ...F32_MAX, ...F32X4_REPLACE_LANE0, ...set(max0),
    ...get(total), ...get(x), ...F64_PROMOTE_F32, ...F64_ADD, ...set(total),
    ...get(i), ...i32c(4), ...I32_ADD, ...set(i),
    ...br(0),
    ...END, ...END,
    // results: min over lanes, max over lanes, total
    ...get(min0), ...f32x4Lane(0), ...get(min0), ...f32x4Lane(1), ...F32_MIN,
    ...get(min0), ...f32x4Lane(2), ...get(min0), ...f32x4Lane(3), ...F32_MIN, ...F32_MIN,
    ...get(max0), ...f32x4Lane(0), ...get(max0), ...f32x4Lane(1), ...F32_MAX,
    ...get(max0), ...f32x4Lane(2), ...get(max0), ...f32x4Lane(3), ...F32_MAX, ...F32_MAX,
    ...get(total),
  ];
  const locals = [I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, F32, F64];
  return { name: 'summarize', params: [I32, I32], results: [F32, F32, F64], locals, body };
}

export const SUMMARY_MODULE_BYTES: Uint8Array<ArrayBuffer> = assembleModule([summarizeFunction()]);

type SummarizeKernel = (ptr: number, n: number) => [number, number, number];

let kernelMemory: WebAssembly.Memory | null = null;
let kernel: SummarizeKernel | null = null;
let kernelUnavailable = false;

/** The kernel bound to the engine's arena memory, or null where that is not possible. */
function arenaKernel(): SummarizeKernel | null {
  if (kernelUnavailable) return null;
  const arena = getArena();
  if (!arena) return null;
  if (kernel && kernelMemory === arena.memory) return kernel;
  try {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(SUMMARY_MODULE_BYTES)) {
      kernelUnavailable = true;
      return null;
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(SUMMARY_MODULE_BYTES), { env: { memory: arena.memory } });
    kernel = instance.exports.summarize as SummarizeKernel;
    kernelMemory = arena.memory;
    return kernel;
  } catch {
    kernelUnavailable = true;
    return null;
  }
}

/** The plain loop (reference and fallback): min and max as Math.min/max give them, a double sum. */
export function summarizeJs(values: Float32Array, length = values.length): Summary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sawNaN = false;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    // Branches, not Math.min/max (several times faster in V8); NaN is tracked separately so the
    // result still matches Math.min/max (any NaN makes min and max NaN).
    if (value < min) min = value;
    if (value > max) max = value;
    if (value !== value) sawNaN = true;
    sum += value;
  }
  if (sawNaN) return { min: Number.NaN, max: Number.NaN, sum };
  return { min, max, sum };
}

/**
 * min, max and the double-precision sum of the first `length` values. Uses the SIMD kernel
 * when `values` lives in the engine's arena, otherwise the plain loop. Empty input gives
 * min Infinity, max -Infinity, sum 0 (as the loop does).
 */
export function summarize(values: Float32Array, length = values.length): Summary {
  const n = Math.min(length, values.length);
  if (n >= 8 && inArena(values)) {
    const run = arenaKernel();
    if (run) {
      const [min, max, sum] = run(values.byteOffset, n);
      // The kernel's pmin/pmax skip NaN; a NaN (or inf - inf) shows in the sum, and then the
      // plain loop gives the exact answer (rare: the trainer stops at the first nan loss).
      if (!Number.isNaN(sum)) return { min, max, sum };
    }
  }
  return summarizeJs(values, n);
}
