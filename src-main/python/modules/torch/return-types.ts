// torch.return_types.max, .min, .sort, .topk: the named tuples some functions return. They print
// as PyTorch's structseq repr (one field per line), unpack and index like tuples, and name their
// fields as attributes (result.values, result.indices).
import type { Context, NativeType, Value } from '../../context';
import { PyException } from '../../errors';
import { repr } from '../../objects';
import { markTensorLive, Tensor } from '../../../engine/index';

export class ReturnTypes {
  constructor(
    /** 'max', 'min', 'sort', 'topk' */
    readonly name: string,
    readonly fields: readonly string[],
    readonly values: readonly Value[],
  ) {}
}

/** values and indices, as most of them hold. */
export function valuesAndIndices(name: string, r: { values: Value; indices: Value }): ReturnTypes {
  return new ReturnTypes(name, ['values', 'indices'], [r.values, r.indices]);
}

function item(t: ReturnTypes, index: Value): Value {
  if (typeof index !== 'bigint' && typeof index !== 'boolean') {
    throw new PyException('TypeError', 'tuple indices must be integers or slices, not ' + typeof index);
  }
  const n = t.values.length;
  let i = Number(index);
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw new PyException('IndexError', 'tuple index out of range');
  return t.values[i];
}

export const RETURN_TYPES_TYPE: NativeType = {
  name: 'return_types',
  nameOf: (v) => (v as ReturnTypes).name,
  is: (v) => v instanceof ReturnTypes,
  repr(v, cx: Context) {
    const t = v as ReturnTypes;
    return `torch.return_types.${t.name}(\n${t.fields.map((f, i) => `${f}=${repr(cx, t.values[i])}`).join(',\n')})`;
  },
  truthy: () => true,
  len: (v) => (v as ReturnTypes).values.length,
  getItem: (v, index) => item(v as ReturnTypes, index),
  iterate(v) {
    const t = v as ReturnTypes;
    let i = 0;
    return () => (i < t.values.length ? t.values[i++] : undefined);
  },
  getAttr(v, name) {
    const t = v as ReturnTypes;
    const i = t.fields.indexOf(name);
    return i >= 0 ? t.values[i] : undefined;
  },
  markLive(v, stamp) {
    for (const x of (v as ReturnTypes).values) if (x instanceof Tensor) markTensorLive(x, stamp);
    return true;
  },
};
