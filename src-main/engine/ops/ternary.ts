// Ops of three tensors, broadcast together: addcmul, addcdiv and lerp (the arithmetic of
// optimizers and moving averages), in the order ATen's CPU kernels compute them.
import { castElement, resultType, type DType } from '../dtype';
import { runtimeError } from '../errors';
import { fma32, fma64 } from '../fma';
import { broadcastShapes } from '../shape';
import type { Tensor } from '../tensor';
import { apply, defineOp } from './registry';
import { expandTo, makeTensor, numbers, promotionOf, toDType } from './common';
import { floatDType, mapBinaryRaw, mapRaw } from './elementwise-raw';

type Elementwise3 = (x: number, y: number, z: number) => number;

/** f over three tensors broadcast together, read and stored in `dtype`. */
function map3(a: Tensor, b: Tensor, c: Tensor, dtype: DType, f: Elementwise3): Tensor {
  const shape = broadcastShapes(broadcastShapes(a.shape, b.shape), c.shape);
  // (int64 goes through numbers: exact up to 2^53)
  const [x, y, z] = [a, b, c].map((t) => numbers(expandTo(toDType(t, dtype), shape)));
  const out = makeTensor(dtype, shape);
  const dst = out.data as { [index: number]: number | bigint };
  for (let i = 0; i < out.numel(); i++) dst[i] = castElement(dtype, f(x[i], y[i], z[i]));
  return out;
}

const roundOf = (dtype: DType): ((x: number) => number) => (dtype === 'float32' ? Math.fround : (x: number): number => x);

interface ValueAttrs {
  /** the scalar factor (value=...) */
  value: number;
}

export const TERNARY_OPS = {
  /** self + value * t1 * t2: value * t1 rounded, then one fused multiply-add (as this CPU's ATen kernel) */
  addcmul: defineOp<ValueAttrs>({
    gradFn: 'AddcmulBackward0',
    forward: ([s, t1, t2], { value }) => {
      const dtype = resultType([s, t1, t2].map(promotionOf));
      const round = roundOf(dtype);
      const fma = dtype === 'float32' ? fma32 : dtype === 'float64' ? fma64 : (p: number, q: number, r: number): number => p * q + r;
      const v = round(value);
      return map3(s, t1, t2, dtype, (x, y, z) => fma(round(v * y), z, x));
    },
    save: (needs) => ({ inputs: [false, needs[2], needs[1]] }),
    backward: (g, { needs, inputs: [, t1, t2], attrs: { value } }) => {
      const round = roundOf(g.dtype);
      const scaled = (other: Tensor): Tensor => mapBinaryRaw(g, other, g.dtype, g.dtype, (gv, o) => round(round(gv * o) * value));
      return [g, needs[1] ? scaled(t2!) : null, needs[2] ? scaled(t1!) : null];
    },
  }),
  /** self + value * t1 / t2 */
  addcdiv: defineOp<ValueAttrs>({
    gradFn: 'AddcdivBackward0',
    forward: ([s, t1, t2], { value }) => {
      const dtype = resultType([s, t1, t2].map(promotionOf));
      const round = roundOf(dtype);
      const v = round(value);
      return map3(s, t1, t2, dtype, (x, y, z) => round(x + round(round(v * y) / z)));
    },
    save: (needs) => ({ inputs: [false, true, needs[2]] }),
    // d/dt1 = value / t2;  d/dt2 = -value * t1 / t2^2
    backward: (g, { needs, inputs: [, t1, t2], attrs: { value } }) => {
      const round = roundOf(g.dtype);
      const g1 = needs[1] ? mapBinaryRaw(g, t2!, g.dtype, g.dtype, (gv, d) => round(round(gv * value) / d)) : null;
      const g2 = needs[2]
        ? map3(g, t1!, t2!, g.dtype, (gv, n, d) => round(-round(round(round(gv * value) * n) / round(d * d))))
        : null;
      return [g, g1, g2];
    },
  }),
  /** self + weight * (end - self) for weight < 0.5, else end - (end - self) * (1 - weight); weight a number (LerpBackward0) or a tensor (LerpBackward1) */
  lerp: defineOp<{ weight: number | null }>({
    gradFn: (a) => (a.weight === null ? 'LerpBackward1' : 'LerpBackward0'),
    forward: ([s, e, w], { weight }) => {
      const dtype = s.dtype;
      const round = roundOf(dtype);
      const lerp = (x: number, y: number, t: number): number =>
        Math.abs(t) < 0.5 ? round(x + round(t * round(y - x))) : round(y - round(round(y - x) * round(1 - t)));
      if (weight !== null) {
        const t = round(weight);
        return mapBinaryRaw(s, e, dtype, dtype, (x, y) => lerp(x, y, t));
      }
      return map3(s, e, w, dtype, lerp);
    },
    save: (needs, { weight }) => ({ inputs: weight === null ? [needs[2], needs[2], needs[0] || needs[1]] : [false, false] }),
    backward: (g, { needs, inputs: [s, e, w], attrs: { weight } }) => {
      const round = roundOf(g.dtype);
      if (weight !== null) {
        return [needs[0] ? mapRaw(g, g.dtype, (gv) => round(gv * round(1 - weight))) : null, needs[1] ? mapRaw(g, g.dtype, (gv) => round(gv * weight)) : null];
      }
      return [
        needs[0] ? mapBinaryRaw(g, w!, g.dtype, g.dtype, (gv, t) => round(gv * round(1 - t))) : null,
        needs[1] ? mapBinaryRaw(g, w!, g.dtype, g.dtype, (gv, t) => round(gv * t)) : null,
        needs[2] ? map3(g, e!, s!, g.dtype, (gv, y, x) => round(gv * round(y - x))) : null,
      ];
    },
  }),
};

function checkFloatingForDivision(dtypes: DType[]): void {
  if (dtypes.every((d) => floatDType(d) !== d)) {
    throw runtimeError(
      'Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.',
    );
  }
}

/** torch.addcmul(input, tensor1, tensor2, value=1) */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return apply(TERNARY_OPS.addcmul, [input, t1, t2], { value });
}

/** torch.addcdiv(input, tensor1, tensor2, value=1) */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  checkFloatingForDivision([t1.dtype, t2.dtype]);
  return apply(TERNARY_OPS.addcdiv, [input, t1, t2], { value });
}

/** torch.lerp(input, end, weight): weight a number or a tensor, all of input's floating dtype. */
export function lerp(input: Tensor, end: Tensor, weight: Tensor | number): Tensor {
  if (end.dtype !== input.dtype) throw runtimeError(`expected dtype ${input.dtype} for \`end\` but got dtype ${end.dtype}`);
  if (typeof weight === 'number') return apply(TERNARY_OPS.lerp, [input, end], { weight });
  if (weight.dtype !== input.dtype) throw runtimeError(`expected dtype ${input.dtype} for \`weight\` but got dtype ${weight.dtype}`);
  return apply(TERNARY_OPS.lerp, [input, end, weight], { weight: null });
}
