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
  /** Two sums of values a WebAssembly kernel computes block by block (see the function; float32 only). */
  pairedBlockSums(blocks: number, accumulate: (levelByte: number, block: number, blocks: number) => void, result: Float64Array): void;
}

function cascadeSums(LANES: number, Accumulator: Float32ArrayConstructor | Float64ArrayConstructor, useWasm: boolean): CascadeSums {
  const MAX_ROWS = LANES * ILP;
  // Scratch accumulators, reused by every call (no allocation per reduction).
  const levelAcc = new Accumulator(NUM_LEVELS * MAX_ROWS);
  const partials = new Accumulator(MAX_ROWS);
  const partials2 = new Accumulator(MAX_ROWS);
  /** floats of one sum's levels in the arena's scratch area */
  const SET = NUM_LEVELS * MAX_ROWS;
  const BLOCK_BYTES = MAX_ROWS * 4;
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
    const kernels = getArena()!.kernels;
    const srcByte = src.byteOffset + base * 4;
    // With a difference, src is its output: each block is written (a - b) as it is summed.
    const accumulate = difference
      ? (level: number, block: number, blocks: number): void => {
          const offset = base * 4 + block * BLOCK_BYTES;
          kernels.acc32subsq(level, difference.a.byteOffset + offset, difference.b.byteOffset + offset, srcByte + block * BLOCK_BYTES, blocks);
        }
      : squared
        ? (level: number, block: number, blocks: number): void => kernels.acc32sq(level, srcByte + block * BLOCK_BYTES, blocks)
        : (level: number, block: number, blocks: number): void => kernels.acc32(level, srcByte + block * BLOCK_BYTES, blocks);
    cascadeLevels32(size, 1, accumulate, out, out);
  }

  /**
   * The level bookkeeping of multiRowSum over `size` blocks of 32 rows, for one or two sums at once
   * (`sets`), with level 0 done by a WebAssembly kernel: accumulate(levelByte, block, blocks) adds
   * level 0 of blocks [block, block + blocks) into the 32 accumulators of the first sum at byte
   * levelByte of the arena's scratch area (and those of the second sum at levelByte + SET_BYTES).
   * The 32 results go to out (and out2).
   */
  function cascadeLevels32(size: number, sets: 1 | 2, accumulate: (levelByte: number, block: number, blocks: number) => void, out: Source, out2: Source): void {
    // The arena's scratch floats hold the levels: sum s, level j at [SET * s + 32j, SET * s + 32j + 32).
    const acc = getArena()!.heap;
    const levelPower = Math.max(4, Math.floor(ceilLog2(size) / NUM_LEVELS));
    const levelStep = 1 << levelPower;
    const levelMask = levelStep - 1;
    acc.fill(0, 0, sets * SET);
    const level1Byte = MAX_ROWS * 4;
    let i = 0;
    while (i + levelStep <= size) {
      // level 0 over one step, added straight into level 1 (level 0 is zero again afterwards)
      accumulate(level1Byte, i, levelStep);
      i += levelStep;
      if ((i & (levelMask << levelPower)) !== 0) continue;
      for (let j = 2; j < NUM_LEVELS; j++) {
        for (let s = 0; s < sets; s++) {
          const cur = s * SET + j * MAX_ROWS;
          const prev = cur - MAX_ROWS;
          for (let k = 0; k < MAX_ROWS; k++) {
            acc[cur + k] += acc[prev + k];
            acc[prev + k] = 0;
          }
        }
        if ((i & (levelMask << (j * levelPower))) !== 0) break;
      }
    }
    // the tail blocks go to level 0, which is zero here
    if (i < size) accumulate(0, i, size - i);
    for (let s = 0; s < sets; s++) {
      const target = s === 0 ? out : out2;
      for (let k = 0; k < MAX_ROWS; k++) {
        one[0] = acc[s * SET + k];
        for (let j = 1; j < NUM_LEVELS; j++) one[0] += acc[s * SET + j * MAX_ROWS + k];
        target[k] = one[0];
      }
    }
  }

  /** vectorizedRowSum's last steps for a row of whole blocks: the ILP rows, then the lanes. */
  function finishWholeBlocks(rows: Source): number {
    for (let k = 1; k < ILP; k++) {
      for (let lane = 0; lane < LANES; lane++) rows[lane] += rows[k * LANES + lane];
    }
    one[0] = 0;
    for (let lane = 0; lane < LANES; lane++) one[0] += rows[lane];
    return one[0];
  }

  /**
   * Two sums, each of 32 * blocks values that a WebAssembly kernel computes as it goes (nothing
   * stored), bit for bit what sumContiguous gives for those values written out: accumulate is
   * as cascadeLevels32's with two sets. Needs blocks >= 16 (where sumContiguous uses the same
   * kernel cascade). The sums go to result[0] and result[1].
   */
  function pairedBlockSums(blocks: number, accumulate: (levelByte: number, block: number, blocks: number) => void, result: Float64Array): void {
    cascadeLevels32(blocks, 2, accumulate, partials, partials2);
    result[0] = round(0 + finishWholeBlocks(partials));
    result[1] = round(0 + finishWholeBlocks(partials2));
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
  return { sumContiguous, sumOfSquaresContiguous, differenceSquaresContiguous, sumAxis, pairedBlockSums };
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
export const pairedBlockSums = FLOAT32_SUMS.pairedBlockSums;
/** Byte distance between the two sums' accumulators in pairedBlockSums's kernels. */
export const PAIRED_SUM_STRIDE_BYTES = 4 * 4 * 32;
