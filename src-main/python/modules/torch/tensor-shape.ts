// Tensor methods that change the shape or make views: view, reshape, t, transpose, permute,
// expand, squeeze, unsqueeze, flatten, narrow, select, unbind, and their *_as forms; split,
// chunk, movedim, unflatten; and the copies that rearrange elements (repeat, tile, flip, roll,
// tril/triu, diag, index_select, gather, masked_fill, nonzero).
import { Tensor } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import type { Context, Value } from '../../context';
import { typeError } from '../../errors';
import { typeName } from '../../objects';
import { PyList, PyTuple, type MethodImpl } from '../../values';
import { asTensor, bindArgs, intArg, scalarArg, shapeFromArgs } from './values';

function tensorArg(cx: Context, v: Value | undefined, fname: string, argName: string): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fname}(): argument '${argName}' (position 1) must be Tensor, not ${typeName(cx, v)}`);
}

/** An int or a sequence of ints (dims=, shifts=, split sizes). */
function intsArg(cx: Context, v: Value | undefined, fname: string, argName: string): number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intArg(cx, x, `${fname}(): argument '${argName}'`));
  return [required(cx, v, fname, argName)];
}

function triangleMethod(upper: boolean): MethodImpl {
  const name = upper ? 'triu' : 'tril';
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['diagonal']);
    return ops.triangle(t, upper, a.diagonal === undefined ? 0 : intArg(cx, a.diagonal, `${name}(): argument 'diagonal'`));
  };
}

function required(cx: Context, v: Value | undefined, fname: string, argName: string): number {
  if (v === undefined) throw typeError(`${fname}() missing required argument '${argName}'`);
  return intArg(cx, v, `${fname}(): argument '${argName}'`);
}

/** `name(first, second)` with two required ints (transpose's dims, select's dim and index). */
function twoIntsMethod(name: string, params: [string, string], apply: (t: Tensor, first: number, second: number) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, params);
    return apply(t, required(cx, a[params[0]], name, params[0]), required(cx, a[params[1]], name, params[1]));
  };
}

/** `name(dim, index)` with an index tensor (index_select, gather). */
function dimAndIndexMethod(name: string, apply: (t: Tensor, dim: number, index: Tensor) => Tensor): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim', 'index']);
    return apply(t, required(cx, a.dim, name, 'dim'), tensorArg(cx, a.index, name, 'index'));
  };
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
  transpose: twoIntsMethod('transpose', ['dim0', 'dim1'], ops.transpose),
  swapaxes: twoIntsMethod('swapaxes', ['axis0', 'axis1'], ops.transpose),
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
  select: twoIntsMethod('select', ['dim', 'index'], ops.select),
  unbind: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('unbind', args, kwargs, ['dim']);
    return new PyTuple(ops.unbind(t, a.dim === undefined ? 0 : intArg(cx, a.dim, "unbind(): argument 'dim'")));
  },
  split: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('split', args, kwargs, ['split_size', 'dim']);
    const sizes = a.split_size instanceof PyTuple || a.split_size instanceof PyList ? intsArg(cx, a.split_size, 'split', 'split_size') : required(cx, a.split_size, 'split', 'split_size');
    return new PyTuple(ops.split(t, sizes, a.dim === undefined ? 0 : intArg(cx, a.dim, "split(): argument 'dim'")));
  },
  chunk: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('chunk', args, kwargs, ['chunks', 'dim']);
    return new PyTuple(ops.chunk(t, required(cx, a.chunks, 'chunk', 'chunks'), a.dim === undefined ? 0 : intArg(cx, a.dim, "chunk(): argument 'dim'")));
  },
  movedim: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('movedim', args, kwargs, ['source', 'destination']);
    const source = intsArg(cx, a.source, 'movedim', 'source').map((d) => ops.normalizeDim(d, t.dim()));
    const destination = intsArg(cx, a.destination, 'movedim', 'destination').map((d) => ops.normalizeDim(d, t.dim()));
    const order: number[] = new Array<number>(t.dim()).fill(-1);
    source.forEach((s, i) => (order[destination[i]] = s));
    const rest = t.shape.map((_, i) => i).filter((i) => !source.includes(i));
    for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest.shift()!;
    return ops.permute(t, order);
  },
  unflatten: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('unflatten', args, kwargs, ['dim', 'sizes']);
    const d = ops.normalizeDim(required(cx, a.dim, 'unflatten', 'dim'), t.dim());
    const sizes = intsArg(cx, a.sizes, 'unflatten', 'sizes');
    return t.view([...t.shape.slice(0, d), ...sizes, ...t.shape.slice(d + 1)]);
  },
  repeat: (t: Tensor, args, _kw, cx) => ops.repeat(t, shapeFromArgs(cx, 'repeat', args)),
  tile: (t: Tensor, args, _kw, cx) => {
    const dims = shapeFromArgs(cx, 'tile', args);
    // tile pads the repeats with leading ones up to the tensor's dims
    return ops.repeat(t, [...new Array<number>(Math.max(0, t.dim() - dims.length)).fill(1), ...dims]);
  },
  flip: (t: Tensor, args, kwargs, cx) => {
    const dims = kwargs?.get('dims');
    return ops.flip(t, shapeFromArgs(cx, 'flip', dims !== undefined ? [dims] : args));
  },
  roll: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('roll', args, kwargs, ['shifts', 'dims']);
    return ops.roll(t, intsArg(cx, a.shifts, 'roll', 'shifts'), a.dims === undefined || a.dims === null ? [] : intsArg(cx, a.dims, 'roll', 'dims'));
  },
  tril: triangleMethod(false),
  triu: triangleMethod(true),
  diag: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('diag', args, kwargs, ['diagonal']);
    return ops.diag(t, a.diagonal === undefined ? 0 : intArg(cx, a.diagonal, "diag(): argument 'diagonal'"));
  },
  index_select: dimAndIndexMethod('index_select', ops.indexSelectTensor),
  gather: dimAndIndexMethod('gather', ops.gather),
  masked_fill: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('masked_fill', args, kwargs, ['mask', 'value']);
    const value = a.value instanceof Tensor ? a.value.item() : scalarArg(a.value as Value);
    if (value === undefined) throw typeError(`masked_fill(): argument 'value' must be Number, not ${typeName(cx, a.value)}`);
    return ops.maskedFill(t, tensorArg(cx, a.mask, 'masked_fill', 'mask'), value);
  },
  nonzero: (t: Tensor, args, kwargs) => {
    const a = bindArgs('nonzero', args, kwargs, ['as_tuple']);
    const columns = ops.nonzero(t);
    if (a.as_tuple === true) return new PyTuple(columns);
    return columns.length === 0 ? ops.makeTensor('int64', [t.item() !== 0 ? 1 : 0, 0]) : ops.stack(columns, 1);
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
