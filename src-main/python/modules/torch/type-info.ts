// torch.finfo(dtype) and torch.iinfo(dtype): the limits of a floating point or integer dtype
// (eps, max, min, tiny, bits, ...), as objects with PyTorch's attributes and repr.
import type { DType } from '../../../engine/index';
import { nativeClass } from '../../classes';
import type { Value } from '../../context';
import { typeError } from '../../errors';
import { PyInstance, type MethodImpl } from '../../values';
import { dtypeArg } from './values';

interface Limits {
  attrs: Record<string, Value>;
  repr: string;
}

const FLOAT_LIMITS: Partial<Record<DType, Limits>> = {
  float32: {
    attrs: { bits: 32n, eps: 2 ** -23, max: 3.4028234663852886e38, min: -3.4028234663852886e38, tiny: 1.1754943508222875e-38, smallest_normal: 1.1754943508222875e-38, resolution: 1e-6, dtype: 'float32' },
    repr: 'finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)',
  },
  float64: {
    attrs: { bits: 64n, eps: 2 ** -52, max: Number.MAX_VALUE, min: -Number.MAX_VALUE, tiny: 2.2250738585072014e-308, smallest_normal: 2.2250738585072014e-308, resolution: 1e-15, dtype: 'float64' },
    repr: 'finfo(resolution=1e-15, min=-1.79769e+308, max=1.79769e+308, eps=2.22045e-16, smallest_normal=2.22507e-308, tiny=2.22507e-308, dtype=float64)',
  },
};

const INT_LIMITS: Partial<Record<DType, Limits>> = {
  int64: { attrs: { bits: 64n, max: 2n ** 63n - 1n, min: -(2n ** 63n), dtype: 'int64' }, repr: 'iinfo(min=-9.22337e+18, max=9.22337e+18, dtype=int64)' },
  int32: { attrs: { bits: 32n, max: 2n ** 31n - 1n, min: -(2n ** 31n), dtype: 'int32' }, repr: 'iinfo(min=-2.14748e+09, max=2.14748e+09, dtype=int32)' },
  int16: { attrs: { bits: 16n, max: 32767n, min: -32768n, dtype: 'int16' }, repr: 'iinfo(min=-32768, max=32767, dtype=int16)' },
  int8: { attrs: { bits: 8n, max: 127n, min: -128n, dtype: 'int8' }, repr: 'iinfo(min=-128, max=127, dtype=int8)' },
  uint8: { attrs: { bits: 8n, max: 255n, min: 0n, dtype: 'uint8' }, repr: 'iinfo(min=0, max=255, dtype=uint8)' },
};

const REPRS = new WeakMap<PyInstance, string>();

function infoClass(name: 'finfo' | 'iinfo', table: Partial<Record<DType, Limits>>, other: string, kind: string): ReturnType<typeof nativeClass> {
  const init: MethodImpl = (self: PyInstance, args, _kwargs, cx) => {
    const dtype = args.length === 0 && name === 'finfo' ? 'float32' : dtypeArg(cx, args[0]);
    const limits = dtype === undefined ? undefined : table[dtype];
    if (dtype === 'bool') throw typeError(`torch.bool is not supported by torch.${name}`);
    if (!limits) throw typeError(`torch.${name}() requires ${kind} input type. Use torch.${other} to handle 'torch.${name}'`);
    for (const [k, v] of Object.entries(limits.attrs)) self.dict.set(k, v);
    REPRS.set(self, limits.repr);
    return null;
  };
  const repr: MethodImpl = (self: PyInstance) => REPRS.get(self) ?? `${name}()`;
  return nativeClass({ name, module: 'torch', methods: { __init__: init, __repr__: repr, __str__: repr } });
}

export const finfo = infoClass('finfo', FLOAT_LIMITS, 'iinfo', 'a floating point');
export const iinfo = infoClass('iinfo', INT_LIMITS, 'finfo', 'an integer');
