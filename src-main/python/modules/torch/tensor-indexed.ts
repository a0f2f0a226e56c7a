// Tensor methods that update whole slices at an index or keep a running extremum:
// index_add / index_copy / index_fill (and their in-place forms) and cummax / cummin (named
// tuples of values and indices), with their torch.* forms.
import { Tensor } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import type { Context, Value } from '../../context';
import { typeError } from '../../errors';
import { typeName } from '../../objects';
import { Builtin, type MethodImpl } from '../../values';
import { valuesAndIndices } from './return-types';
import { inPlace, tensorArg } from './tensor-extras';
import { asTensor, bindArgs, intArg, scalarArg } from './values';

function dimArg(cx: Context, v: Value | undefined, fname: string): number {
  if (v === undefined) throw typeError(`${fname}() missing required argument 'dim' (pos 1)`);
  return intArg(cx, v, `${fname}(): argument 'dim' (position 1)`);
}

const indexAdd: MethodImpl = (t: Tensor, args, kwargs, cx) => {
  const a = bindArgs('index_add', args, kwargs, ['dim', 'index', 'source', 'alpha']);
  const dim = dimArg(cx, a.dim, 'index_add');
  const index = tensorArg(cx, a.index, 'index_add', 'index', 2);
  const source = tensorArg(cx, a.source, 'index_add', 'source', 3);
  let alpha = 1;
  if (a.alpha !== undefined) {
    const s = scalarArg(a.alpha);
    if (s === undefined) throw typeError(`index_add(): argument 'alpha' must be Number, not ${typeName(cx, a.alpha)}`);
    alpha = Number(s);
  }
  return ops.indexAdd(t, dim, index, source, alpha);
};

const indexCopy: MethodImpl = (t: Tensor, args, kwargs, cx) => {
  const a = bindArgs('index_copy', args, kwargs, ['dim', 'index', 'source']);
  return ops.indexCopy(t, dimArg(cx, a.dim, 'index_copy'), tensorArg(cx, a.index, 'index_copy', 'index', 2), tensorArg(cx, a.source, 'index_copy', 'source', 3));
};

const indexFill: MethodImpl = (t: Tensor, args, kwargs, cx) => {
  const a = bindArgs('index_fill', args, kwargs, ['dim', 'index', 'value']);
  const dim = dimArg(cx, a.dim, 'index_fill');
  const index = tensorArg(cx, a.index, 'index_fill', 'index', 2);
  if (a.value instanceof Tensor) return ops.indexFill(t, dim, index, a.value);
  const value = a.value === undefined ? undefined : scalarArg(a.value);
  if (value === undefined) throw typeError(`index_fill(): argument 'value' (position 3) must be Number, not ${typeName(cx, a.value ?? null)}`);
  return ops.indexFill(t, dim, index, value);
};

function cumulative(name: 'cummax' | 'cummin'): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim']);
    if (a.dim === undefined) {
      throw typeError(`${name}() received an invalid combination of arguments - got (), but expected one of:\n * (int dim)\n * (name dim)\n`);
    }
    return valuesAndIndices(name, ops.cumulativeExtremum(t, intArg(cx, a.dim, `${name}(): argument 'dim' (position 1)`), name === 'cummax'));
  };
}

export const INDEXED_METHODS: Record<string, MethodImpl> = {
  index_add: indexAdd,
  index_add_: inPlace(indexAdd),
  index_copy: indexCopy,
  index_copy_: inPlace(indexCopy),
  index_fill: indexFill,
  index_fill_: inPlace(indexFill),
  cummax: cumulative('cummax'),
  cummin: cumulative('cummin'),
};

/** torch.index_add(t, ...), torch.cummax(t, dim), ...: the method on the first argument. */
export function indexedFunctions(): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const name of ['index_add', 'index_copy', 'index_fill', 'cummax', 'cummin']) {
    out[name] = new Builtin(name, (args, kwargs, cx) => {
      const input = args.length > 0 ? args[0] : kwargs?.get('input');
      const rest = kwargs && kwargs.has('input') ? new Map([...kwargs].filter(([k]) => k !== 'input')) : kwargs;
      return INDEXED_METHODS[name](asTensor(cx, input, name), args.slice(args.length > 0 ? 1 : 0), rest, cx);
    });
  }
  return out;
}
