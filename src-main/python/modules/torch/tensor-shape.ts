// Tensor methods that change the shape or make views: view, reshape, t, transpose, permute,
// expand, squeeze, unsqueeze, flatten, narrow, select, unbind, and their *_as forms.
import { Tensor } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import type { Context, Value } from '../../context';
import { typeError } from '../../errors';
import { typeName } from '../../objects';
import { PyTuple, type MethodImpl } from '../../values';
import { asTensor, bindArgs, intArg, shapeFromArgs } from './values';

function tensorArg(cx: Context, v: Value | undefined, fname: string, argName: string): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fname}(): argument '${argName}' (position 1) must be Tensor, not ${typeName(cx, v)}`);
}

function required(cx: Context, v: Value | undefined, fname: string, argName: string): number {
  if (v === undefined) throw typeError(`${fname}() missing required argument '${argName}'`);
  return intArg(cx, v, `${fname}(): argument '${argName}'`);
}

export const SHAPE_METHODS: Record<string, MethodImpl> = {
  view: (t: Tensor, args, _kw, cx) => t.view(shapeFromArgs(cx, 'view', args)),
  view_as: (t: Tensor, args, kwargs, cx) => t.view(tensorArg(cx, bindArgs('view_as', args, kwargs, ['other']).other, 'view_as', 'other').shape),
  reshape: (t: Tensor, args, _kw, cx) => t.reshape(shapeFromArgs(cx, 'reshape', args)),
  reshape_as: (t: Tensor, args, kwargs, cx) => t.reshape(tensorArg(cx, bindArgs('reshape_as', args, kwargs, ['other']).other, 'reshape_as', 'other').shape),
  t: (t: Tensor, args, kwargs) => {
    bindArgs('t', args, kwargs, []);
    return ops.t(t);
  },
  transpose: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('transpose', args, kwargs, ['dim0', 'dim1']);
    return ops.transpose(t, required(cx, a.dim0, 'transpose', 'dim0'), required(cx, a.dim1, 'transpose', 'dim1'));
  },
  swapaxes: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('swapaxes', args, kwargs, ['axis0', 'axis1']);
    return ops.transpose(t, required(cx, a.axis0, 'swapaxes', 'axis0'), required(cx, a.axis1, 'swapaxes', 'axis1'));
  },
  permute: (t: Tensor, args, kwargs, cx) => {
    const dims = kwargs?.get('dims');
    return ops.permute(t, shapeFromArgs(cx, 'permute', dims !== undefined ? [dims] : args));
  },
  expand: (t: Tensor, args, _kw, cx) => ops.expand(t, shapeFromArgs(cx, 'expand', args)),
  expand_as: (t: Tensor, args, kwargs, cx) => ops.expand(t, tensorArg(cx, bindArgs('expand_as', args, kwargs, ['other']).other, 'expand_as', 'other').shape),
  squeeze: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('squeeze', args, kwargs, ['dim']);
    return ops.squeeze(t, a.dim === undefined || a.dim === null ? null : intArg(cx, a.dim, "squeeze(): argument 'dim'"));
  },
  unsqueeze: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('unsqueeze', args, kwargs, ['dim']);
    return ops.unsqueeze(t, required(cx, a.dim, 'unsqueeze', 'dim'));
  },
  flatten: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('flatten', args, kwargs, ['start_dim', 'end_dim']);
    const start = a.start_dim === undefined ? 0 : intArg(cx, a.start_dim, "flatten(): argument 'start_dim'");
    const end = a.end_dim === undefined ? -1 : intArg(cx, a.end_dim, "flatten(): argument 'end_dim'");
    return ops.flatten(t, start, end);
  },
  narrow: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('narrow', args, kwargs, ['dim', 'start', 'length']);
    return ops.narrow(t, required(cx, a.dim, 'narrow', 'dim'), required(cx, a.start, 'narrow', 'start'), required(cx, a.length, 'narrow', 'length'));
  },
  select: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('select', args, kwargs, ['dim', 'index']);
    return ops.select(t, required(cx, a.dim, 'select', 'dim'), required(cx, a.index, 'select', 'index'));
  },
  unbind: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('unbind', args, kwargs, ['dim']);
    return new PyTuple(ops.unbind(t, a.dim === undefined ? 0 : intArg(cx, a.dim, "unbind(): argument 'dim'")));
  },
  contiguous: (t: Tensor, args, kwargs) => {
    bindArgs('contiguous', args, kwargs, ['memory_format']);
    return t.contiguous();
  },
};

/** The torch.* functions of the same operations (torch.transpose(x, 0, 1), torch.flatten(x), ...). */
export function shapeFunction(name: string): (args: Value[], kwargs: Map<string, Value> | null, cx: Context) => Value {
  return (args, kwargs, cx) => {
    const input = kwargs?.get('input') ?? args[0];
    const rest = kwargs?.has('input') ? args : args.slice(1);
    const restKwargs = kwargs && kwargs.has('input') ? new Map([...kwargs].filter(([k]) => k !== 'input')) : kwargs;
    return SHAPE_METHODS[name](asTensor(cx, input, name), rest, restKwargs, cx);
  };
}
