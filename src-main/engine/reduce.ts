// Float summation in exactly PyTorch's order (aten/src/ATen/native/cpu/SumKernel.cpp,
// cascade_sum, AVX2 build: 8 float or 4 double lanes, 4-way instruction-level parallelism, 4
// cascade levels), so sums and means match PyTorch's CPU results bit for bit, not just closely.
// float32 accumulators are Float32Array slots: storing rounds to float32 after each add, which
// is exactly what the vector registers do; float64 ones are Float64Array slots.

import { getArena, inArena } from './arena';

const ILP = 4; // row_sum's ilp_factor
const NUM_LEVELS = 4; // multi_row_sum's num_levels

function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return 32 - Math.clz32(x - 1);
}

type Source = Float32Array | Float64Array;
/** The two operands of a difference computed while it is summed (differenceSquaresContiguous). */
interface Difference {
  a: Source;
  b: Source;
}

/** The cascade sums of one float precision: Vectorized<T>::size() lanes, accumulators of T. */
export interface CascadeSums {
  /** Sum of a contiguous range, as torch.sum over a contiguous tensor computes it. */
  sumContiguous(src: Source, base: number, size: number): number;
  /** Sum of the squares of a contiguous range, bit for bit torch.sum(x.pow(2)). */
  sumOfSquaresContiguous(src: Source, base: number, size: number): number;
  /** out = a - b and the sum of its squares (sumOfSquaresContiguous(out, 0, size)), in one pass where it can. */
  differenceSquaresContiguous(a: Source, b: Source, out: Source, size: number): number;
  /** Sum over the middle axis of a contiguous [outer, reduced, inner] array into out[outer * inner]. */
  sumAxis(src: Source, outer: number, reduced: number, inner: number, out: Source): void;
}

function cascadeSums(LANES: number, Accumulator: Float32ArrayConstructor | Float64ArrayConstructor, useWasm: boolean): CascadeSums {
  const MAX_ROWS = LANES * ILP;
  // Scratch accumulators, reused by every call (no allocation per reduction).
  const levelAcc = new Accumulator(NUM_LEVELS * MAX_ROWS);
  const partials = new Accumulator(MAX_ROWS);
  const lanePartials = new Accumulator(ILP);
  const one = new Accumulator(1);
  const colBlock = new Accumulator(MAX_ROWS);
  /** rounds to the precision, as storing into an accumulator slot does */
  const round = Accumulator === Float32Array ? Math.fround : (x: number): number => x;
  /**
   * multi_row_sum: `rows` independent cascade sums. Lane k sums src[base + i*rowStride + k*laneStride]
   * for i < size; results go to out[outOffset + k].
   */
  function multiRowSum(
    src: Source,
    base: number,
    rowStride: number,
    laneStride: number,
    rows: number,
    size: number,
    out: Source,
    outOffset: number,
    squared = false,
  ): void {
    const levelPower = Math.max(4, Math.floor(ceilLog2(size) / NUM_LEVELS));
    const levelStep = 1 << levelPower;
    const levelMask = levelStep - 1;
    const acc = levelAcc;
    acc.fill(0, 0, NUM_LEVELS * MAX_ROWS);
    let i = 0;
    while (i + levelStep <= size) {
      if (squared) {
        for (let j = 0; j < levelStep; j++, i++) {
          const p = base + i * rowStride;
          for (let k = 0; k < rows; k++) acc[k] += square32(src[p + k * laneStride]);
        }
      } else if (laneStride === 1) {
        for (let j = 0; j < levelStep; j++, i++) {
          const p = base + i * rowStride;
          for (let k = 0; k < rows; k++) acc[k] += src[p + k];
        }
      } else {
        for (let j = 0; j < levelStep; j++, i++) {
          const p = base + i * rowStride;
          for (let k = 0; k < rows; k++) acc[k] += src[p + k * laneStride];
        }
      }
      for (let j = 1; j < NUM_LEVELS; j++) {
        const cur = j * MAX_ROWS;
        const prev = cur - MAX_ROWS;
        for (let k = 0; k < rows; k++) {
          acc[cur + k] += acc[prev + k];
          acc[prev + k] = 0;
        }
        if ((i & (levelMask << (j * levelPower))) !== 0) break;
      }
    }
    for (; i < size; i++) {
      const p = base + i * rowStride;
      for (let k = 0; k < rows; k++) acc[k] += load(src, p + k * laneStride, squared);
    }
    for (let j = 1; j < NUM_LEVELS; j++) {
      const cur = j * MAX_ROWS;
      for (let k = 0; k < rows; k++) acc[k] += acc[cur + k];
    }
    for (let k = 0; k < rows; k++) out[outOffset + k] = acc[k];
  }

  /**
   * multiRowSum(src, base, 32, 1, 32, size, out, 0) with level 0 (the per-element work) done by
   * the WebAssembly acc32 kernel on accumulators kept in the arena's scratch area.
   */
  function cascade32Wasm(src: Source, base: number, size: number, out: Source, squared: boolean, difference: Difference | null = null): void {
    const arena = getArena()!;
    const kernels = arena.kernels;
    // With a difference, src is its output: each block is written (a - b) as it is summed.
    const accumulate = difference
      ? (level: number, srcAt: number, blocks: number): void => {
          const offset = srcAt - src.byteOffset;
          kernels.acc32subsq(level, difference.a.byteOffset + offset, difference.b.byteOffset + offset, srcAt, blocks);
        }
      : squared
        ? kernels.acc32sq
        : kernels.acc32;
    // The arena's scratch floats hold the levels: level j at [32j, 32j + 32).
    const acc = arena.heap;
    const levelPower = Math.max(4, Math.floor(ceilLog2(size) / NUM_LEVELS));
    const levelStep = 1 << levelPower;
    const levelMask = levelStep - 1;
    acc.fill(0, 0, NUM_LEVELS * MAX_ROWS);
    const srcByte = src.byteOffset + base * 4;
    const blockBytes = MAX_ROWS * 4;
    const level1Byte = MAX_ROWS * 4;
    let i = 0;
    while (i + levelStep <= size) {
      // level 0 over one step, added straight into level 1 (level 0 is zero again afterwards)
      accumulate(level1Byte, srcByte + i * blockBytes, levelStep);
      i += levelStep;
      if ((i & (levelMask << levelPower)) !== 0) continue;
      for (let j = 2; j < NUM_LEVELS; j++) {
        const cur = j * MAX_ROWS;
        const prev = cur - MAX_ROWS;
        for (let k = 0; k < MAX_ROWS; k++) {
          acc[cur + k] += acc[prev + k];
          acc[prev + k] = 0;
        }
        if ((i & (levelMask << (j * levelPower))) !== 0) break;
      }
    }
    // the tail blocks go to level 0, which is zero here
    if (i < size) accumulate(0, srcByte + i * blockBytes, size - i);
    for (let k = 0; k < MAX_ROWS; k++) {
      one[0] = acc[k];
      for (let j = 1; j < NUM_LEVELS; j++) one[0] += acc[j * MAX_ROWS + k];
      out[k] = one[0];
    }
  }

  /** row_sum with scalar loads: sum of src[base + i*stride], i < size. */
  function rowSum(src: Source, base: number, stride: number, size: number, squared = false): number {
    const sizeIlp = Math.floor(size / ILP);
    multiRowSum(src, base, stride * ILP, stride, ILP, sizeIlp, lanePartials, 0, squared);
    for (let i = sizeIlp * ILP; i < size; i++) lanePartials[0] += load(src, base + i * stride, squared);
    for (let k = 1; k < ILP; k++) lanePartials[0] += lanePartials[k];
    return lanePartials[0];
  }

  /** vectorized_inner_sum for one contiguous row of size >= LANES. */
  function vectorizedRowSum(src: Source, base: number, size: number, squared: boolean, difference: Difference | null = null): number {
    const vecSize = Math.floor(size / LANES);
    const sizeIlp = Math.floor(vecSize / ILP);
    // row_sum over vectors: ILP rows of LANES lanes = 32 contiguous accumulators.
    if (difference) cascade32Wasm(src, base, sizeIlp, partials, squared, difference);
    else if (useWasm && sizeIlp >= 16 && inArena(src)) cascade32Wasm(src, base, sizeIlp, partials, squared);
    else multiRowSum(src, base, MAX_ROWS, 1, MAX_ROWS, sizeIlp, partials, 0, squared);
    for (let v = sizeIlp * ILP; v < vecSize; v++) {
      const p = base + v * LANES;
      for (let lane = 0; lane < LANES; lane++) partials[lane] += load(src, p + lane, squared);
    }
    for (let k = 1; k < ILP; k++) {
      for (let lane = 0; lane < LANES; lane++) partials[lane] += partials[k * LANES + lane];
    }
    one[0] = 0;
    for (let k = vecSize * LANES; k < size; k++) one[0] += load(src, base + k, squared);
    for (let lane = 0; lane < LANES; lane++) one[0] += partials[lane];
    return one[0];
  }

  /** Sum of a contiguous range, as torch.sum over a contiguous tensor computes it. */
  function sumContiguous(src: Source, base: number, size: number): number {
    const s = size >= LANES ? vectorizedRowSum(src, base, size, false) : rowSum(src, base, 1, size);
    // The output starts at 0 and receives += sum (so -0 becomes +0, as in PyTorch).
    return round(0 + s);
  }

  /**
   * Sum of the squares of a contiguous range, bit for bit torch.sum(x.pow(2)): the same cascade
   * with each element squared (and rounded to the precision) as it is loaded, so the squares
   * never need a buffer of their own.
   */
  function sumOfSquaresContiguous(src: Source, base: number, size: number): number {
    const s = size >= LANES ? vectorizedRowSum(src, base, size, true) : rowSum(src, base, 1, size, true);
    return round(0 + s);
  }

  /**
   * out = a - b (contiguous, from index 0) and the sum of its squares, bit for bit
   * sumOfSquaresContiguous(out) after the subtraction: where the WebAssembly cascade applies, its
   * blocks are subtracted as they are summed (one pass), and only the few elements past the
   * last whole block are subtracted beforehand.
   */
  function differenceSquaresContiguous(a: Source, b: Source, out: Source, size: number): number {
    const sizeIlp = Math.floor(Math.floor(size / LANES) / ILP);
    if (!(useWasm && size >= LANES && sizeIlp >= 16 && inArena(a) && inArena(b) && inArena(out))) {
      for (let i = 0; i < size; i++) out[i] = a[i] - b[i];
      return sumOfSquaresContiguous(out, 0, size);
    }
    for (let i = sizeIlp * MAX_ROWS; i < size; i++) out[i] = a[i] - b[i];
    return round(0 + vectorizedRowSum(out, 0, size, true, { a, b }));
  }

  /** x * x rounded to the precision, what x.pow(2) stores. */
  function square32(x: number): number {
    return round(x * x);
  }

  function load(src: Source, index: number, squared: boolean): number {
    const x = src[index];
    return squared ? round(x * x) : x;
  }

  /**
   * Sum over the middle axis of a contiguous [outer, reduced, inner] array into
   * out[outer * inner], following the branches cascade_sum takes for that layout.
   */
  function sumAxis(src: Source, outer: number, reduced: number, inner: number, out: Source): void {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) out[o] = sumContiguous(src, o * reduced, reduced);
      return;
    }
    for (let o = 0; o < outer; o++) {
      const base = o * reduced * inner;
      const outBase = o * inner;
      let j = 0;
      if (inner >= LANES) {
        // vectorized_outer_sum: blocks of 4 vectors use multi_row_sum (one cascade per column),
        for (; j + MAX_ROWS <= inner; j += MAX_ROWS) {
          multiRowSum(src, base + j, inner, 1, MAX_ROWS, reduced, colBlock, 0);
          for (let k = 0; k < MAX_ROWS; k++) out[outBase + j + k] = round(0 + colBlock[k]);
        }
        // then single vectors and leftover columns use row_sum (4-way interleaved cascades).
        for (; j < inner; j++) out[outBase + j] = round(0 + rowSum(src, base + j, inner, reduced));
      } else {
        // scalar_outer_sum: groups of 4 columns via multi_row_sum, the rest via row_sum.
        for (; j + ILP <= inner; j += ILP) {
          multiRowSum(src, base + j, inner, 1, ILP, reduced, colBlock, 0);
          for (let k = 0; k < ILP; k++) out[outBase + j + k] = round(0 + colBlock[k]);
        }
        for (; j < inner; j++) out[outBase + j] = round(0 + rowSum(src, base + j, inner, reduced));
      }
    }
  }
  return { sumContiguous, sumOfSquaresContiguous, differenceSquaresContiguous, sumAxis };
}

/** float32 sums: 8 lanes (AVX2), level 0 of long rows in WebAssembly. */
export const FLOAT32_SUMS = cascadeSums(8, Float32Array, true);

let float64Instance: CascadeSums | null = null;
/**
 * float64 sums: 4 lanes (AVX2). Made on first use: while the factory's functions have a single
 * instance, V8 specialises them on it, which keeps the lessons' float32 sums fast.
 */
export function float64Sums(): CascadeSums {
  return (float64Instance ??= cascadeSums(4, Float64Array, false));
}

export const sumContiguous = FLOAT32_SUMS.sumContiguous;
export const sumOfSquaresContiguous = FLOAT32_SUMS.sumOfSquaresContiguous;
export const differenceSquaresContiguous = FLOAT32_SUMS.differenceSquaresContiguous;
export const sumAxis = FLOAT32_SUMS.sumAxis;
