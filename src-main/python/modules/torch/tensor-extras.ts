// Tensor methods a learner reaches for after the lessons: cumprod, median(dim) / kthvalue /
// mode (named tuples), lerp / addcmul / addcdiv and their in-place forms (the arithmetic of
// hand-written optimizers), scatter / scatter_add (one-hot labels), bmm, and torch.einsum
// (composed of permute, multiply and sum).
import { resetPrintOptions, setPrintOptions, Tensor, type PrintOptions } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { toFloat } from '../../args';
import type { Context, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { iterableToArray } from '../../ops';
import { typeName } from '../../objects';
import { nativeClass } from '../../classes';
import { Builtin, PyInstance, type MethodImpl } from '../../values';
import { valuesAndIndices } from './return-types';
import { asTensor, bindArgs, boolArg, dtypeArg, intArg, scalarArg } from './values';

/** A Tensor argument, or PyTorch's TypeError naming the function, argument and position. */
export function tensorArg(cx: Context, v: Value | undefined, fname: string, name: string, position: number): Tensor {
  if (v instanceof Tensor) return v;
  if (v === undefined) throw typeError(`${fname}() missing required argument '${name}' (pos ${position})`);
  throw typeError(`${fname}(): argument '${name}' (position ${position}) must be Tensor, not ${typeName(cx, v)}`);
}

function valueArg(cx: Context, v: Value | undefined): number {
  if (v === undefined) return 1;
  if (v instanceof Tensor) return v.item();
  return toFloat(cx, v);
}

/** x.op_() as x = x.op(): the result written back into x with PyTorch's in-place checks. */
export function inPlace(method: MethodImpl): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => ops.inplaceFrom(t, (self) => method(self, args, kwargs, cx) as Tensor);
}

function addcMethod(name: 'addcmul' | 'addcdiv'): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['tensor1', 'tensor2', 'value']);
    const t1 = tensorArg(cx, a.tensor1, name, 'tensor1', 1);
    const t2 = tensorArg(cx, a.tensor2, name, 'tensor2', 2);
    return (name === 'addcmul' ? ops.addcmul : ops.addcdiv)(t, t1, t2, valueArg(cx, a.value));
  };
}

const lerp: MethodImpl = (t: Tensor, args, kwargs, cx) => {
  const a = bindArgs('lerp', args, kwargs, ['end', 'weight']);
  const end = tensorArg(cx, a.end, 'lerp', 'end', 1);
  if (a.weight instanceof Tensor) return ops.lerp(t, end, a.weight);
  if (a.weight === undefined) throw typeError("lerp() missing required argument 'weight' (pos 2)");
  return ops.lerp(t, end, toFloat(cx, a.weight));
};

/** scatter(dim, index, src) / scatter(dim, index, value), with reduce='add' / 'multiply'. */
function scatterMethod(add: boolean): MethodImpl {
  const name = add ? 'scatter_add' : 'scatter';
  return (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs(name, args, kwargs, ['dim', 'index', add ? 'src' : 'src', 'value', 'reduce']);
    if (a.dim === undefined) throw typeError(`${name}() missing required argument 'dim' (pos 1)`);
    const dim = intArg(cx, a.dim, `${name}(): argument 'dim'`);
    const index = tensorArg(cx, a.index, name, 'index', 2);
    const src = a.src ?? a.value;
    if (!add && a.reduce !== undefined && a.reduce !== null) {
      if (typeof a.reduce !== 'string') throw typeError(`scatter(): argument 'reduce' must be str, not ${typeName(cx, a.reduce)}`);
      const value = src instanceof Tensor ? src : src === undefined ? undefined : scalarArg(src);
      if (value === undefined) throw typeError(`${name}(): argument 'src' (position 3) must be Tensor, not ${typeName(cx, src ?? null)}`);
      return ops.scatterReduce(t, dim, index, value, a.reduce);
    }
    if (src instanceof Tensor) return ops.scatter(t, dim, index, src, add);
    const value = src === undefined ? undefined : scalarArg(src);
    if (add || value === undefined) throw typeError(`${name}(): argument 'src' (position 3) must be Tensor, not ${typeName(cx, src ?? null)}`);
    return ops.scatter(t, dim, index, value);
  };
}

/** median(dim) / kthvalue(k, dim) / mode(dim) results as torch.return_types named tuples. */
function selection(name: 'median' | 'kthvalue' | 'mode'): MethodImpl {
  return (t: Tensor, args, kwargs, cx) => {
    if (name === 'kthvalue') {
      const a = bindArgs(name, args, kwargs, ['k', 'dim', 'keepdim']);
      if (a.k === undefined) throw typeError("kthvalue() missing required argument 'k' (pos 1)");
      const dim = a.dim === undefined ? -1 : intArg(cx, a.dim, "kthvalue(): argument 'dim'");
      return valuesAndIndices(name, ops.kthvalue(t, intArg(cx, a.k, "kthvalue(): argument 'k'"), dim, boolArg(cx, a.keepdim, false)));
    }
    const a = bindArgs(name, args, kwargs, ['dim', 'keepdim']);
    if (name === 'median' && (a.dim === undefined || a.dim === null)) return ops.median(t);
    const dim = a.dim === undefined || a.dim === null ? -1 : intArg(cx, a.dim, `${name}(): argument 'dim'`);
    const found = name === 'median' ? ops.medianDim(t, dim, boolArg(cx, a.keepdim, false)) : ops.mode(t, dim, boolArg(cx, a.keepdim, false));
    return valuesAndIndices(name, found);
  };
}

/** What t.register_hook returns: handle.remove() takes the hook off again. */
const REMOVABLE_HANDLE = nativeClass({
  name: 'RemovableHandle',
  module: 'torch.utils.hooks',
  methods: {
    remove(self: PyInstance) {
      removers.get(self)?.();
      return null;
    },
  },
});
const removers = new WeakMap<PyInstance, () => void>();

const registerHook: MethodImpl = (t: Tensor, args, kwargs, cx) => {
  const { hook } = bindArgs('register_hook', args, kwargs, ['hook']);
  if (hook === undefined) throw typeError("register_hook() missing 1 required positional argument: 'hook'");
  const remove = t.registerHook((grad) => {
    const r = cx.call(hook, [grad], null);
    if (r === null) return null;
    if (!(r instanceof Tensor)) throw typeError(`expected Tensor or None (got ${typeName(cx, r)})`);
    return r;
  });
  const handle = new PyInstance(REMOVABLE_HANDLE);
  removers.set(handle, remove);
  return handle;
};

export const EXTRA_METHODS: Record<string, MethodImpl> = {
  register_hook: registerHook,
  cumprod: (t: Tensor, args, kwargs, cx) => {
    const a = bindArgs('cumprod', args, kwargs, ['dim', 'dtype']);
    if (a.dim === undefined) throw typeError('cumprod() missing 1 required positional arguments: "dim"');
    return ops.cumprod(t, intArg(cx, a.dim, "cumprod(): argument 'dim'"), dtypeArg(cx, a.dtype));
  },
  median: selection('median'),
  kthvalue: selection('kthvalue'),
  mode: selection('mode'),
  lerp,
  lerp_: inPlace(lerp),
  addcmul: addcMethod('addcmul'),
  addcmul_: inPlace(addcMethod('addcmul')),
  addcdiv: addcMethod('addcdiv'),
  addcdiv_: inPlace(addcMethod('addcdiv')),
  scatter: scatterMethod(false),
  scatter_: inPlace(scatterMethod(false)),
  scatter_add: scatterMethod(true),
  scatter_add_: inPlace(scatterMethod(true)),
  bmm: (t: Tensor, args, kwargs, cx) => ops.bmm(t, tensorArg(cx, bindArgs('bmm', args, kwargs, ['mat2']).mat2, 'bmm', 'mat2', 1)),
};

// ---------- einsum ----------

/** The operands' subscripts and the output's, from 'ij,jk->ik' (or the implicit form 'ij,jk'). */
function parseEquation(equation: string, count: number): { inputs: string[][]; output: string[] } {
  const eq = equation.replace(/\s+/g, '');
  if (eq.includes('.')) throw new PyException('NotImplementedError', 'GradLab does not support ... (ellipsis) in torch.einsum equations yet');
  const [lhs, rhs] = eq.split('->');
  const inputs = lhs.split(',').map((s) => [...s]);
  if (inputs.length !== count) throw new PyException('RuntimeError', 'einsum(): more operands were provided than specified in the equation');
  for (const letters of inputs) {
    for (const c of letters) if (!/[a-zA-Z]/.test(c)) throw new PyException('RuntimeError', `einsum(): invalid subscript given at index ${eq.indexOf(c)} in the equation string, subscripts must be in [a-zA-Z]`);
  }
  let output: string[];
  if (rhs !== undefined) output = [...rhs];
  else {
    // implicit output: the letters that appear once, in alphabetical order
    const counts = new Map<string, number>();
    for (const letters of inputs) for (const c of letters) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
  }
  return { inputs, output };
}

/**
 * torch.einsum(equation, *operands): each operand's dims lined up on one axis per letter
 * (repeated letters in one operand take its diagonal), multiplied with broadcasting, then summed
 * over the letters the output lacks.
 */
function einsum(args: Value[], _kwargs: Map<string, Value> | null, cx: Context): Value {
  const [equation, ...rest] = args;
  if (typeof equation !== 'string') throw typeError(`einsum(): argument 'equation' (position 1) must be str, not ${typeName(cx, equation ?? null)}`);
  // torch.einsum('ij,jk', a, b) or torch.einsum('ij,jk', [a, b])
  const given = rest.length === 1 && !(rest[0] instanceof Tensor) ? iterableToArray(cx, rest[0]) : rest;
  const operands = given.map((t) => asTensor(cx, t, 'einsum', 'operands'));
  const { inputs, output } = parseEquation(equation, operands.length);
  const letters = [...new Set([...output, ...inputs.flat()])];
  const sizes = new Map<string, number>();
  let product: Tensor | null = null;
  operands.forEach((t, k) => {
    const subs = inputs[k];
    if (subs.length !== t.shape.length) {
      throw new PyException('RuntimeError', `einsum(): the number of subscripts in the equation (${subs.length}) does not match the number of dimensions (${t.shape.length}) for operand ${k} and no ellipsis was given`);
    }
    subs.forEach((c, d) => {
      const known = sizes.get(c);
      if (known !== undefined && known !== t.shape[d] && known !== 1 && t.shape[d] !== 1) {
        throw new PyException('RuntimeError', `einsum(): operands do not broadcast with remapped shapes (original->remapped): [${t.shape.join(', ')}]`);
      }
      if (known === undefined || known === 1) sizes.set(c, t.shape[d]);
    });
    // one axis per letter: permute and unsqueeze the operand into `letters` order
    const own = subs;
    if (new Set(own).size !== own.length) {
      throw new PyException('NotImplementedError', `GradLab does not support torch.einsum with a subscript repeated in one operand (a diagonal) yet (line ${cx.line})`);
    }
    let x = t;
    const present = letters.filter((c) => own.includes(c));
    x = ops.permute(x, present.map((c) => own.indexOf(c)));
    const shape = letters.map((c) => (own.includes(c) ? x.shape[present.indexOf(c)] : 1));
    x = x.reshape(shape);
    product = product === null ? x : product.mul(x);
  });
  const summed = letters.map((c, i) => (output.includes(c) ? -1 : i)).filter((i) => i >= 0);
  let result = summed.length > 0 ? ops.sum(product!, summed, true) : product!;
  const kept = letters.filter((c) => output.includes(c));
  result = result.reshape(kept.map((c) => sizes.get(c)!));
  return ops.permute(result, output.map((c) => kept.indexOf(c)));
}

const PROFILES: Record<string, Partial<PrintOptions>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

/** torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode): sci_mode is always set (None: automatic). */
function setPrintoptions(args: Value[], kwargs: Map<string, Value> | null, cx: Context): Value {
  const a = bindArgs('set_printoptions', args, kwargs, ['precision', 'threshold', 'edgeitems', 'linewidth', 'profile', 'sci_mode']);
  const changes: Partial<PrintOptions> = {};
  if (a.profile !== undefined && a.profile !== null) Object.assign(changes, PROFILES[String(a.profile)] ?? {});
  const count = (name: 'precision' | 'threshold' | 'edgeitems' | 'linewidth'): void => {
    const v = a[name];
    if (v === undefined || v === null) return;
    changes[name] = typeof v === 'number' ? v : intArg(cx, v, `set_printoptions(): argument '${name}'`);
  };
  count('precision');
  count('threshold');
  count('edgeitems');
  count('linewidth');
  changes.sciMode = a.sci_mode === undefined || a.sci_mode === null ? null : boolArg(cx, a.sci_mode, false);
  setPrintOptions(changes);
  return null;
}

/** Each program starts with PyTorch's default print options (one runner may run several programs). */
export { resetPrintOptions };

/** The torch.* forms: torch.cumprod(x, 0), torch.lerp(a, b, w), torch.einsum(...), ... */
export function extraFunctions(): Record<string, Value> {
  const out: Record<string, Value> = { einsum: new Builtin('einsum', einsum), set_printoptions: new Builtin('set_printoptions', setPrintoptions) };
  for (const name of ['cumprod', 'kthvalue', 'mode', 'lerp', 'addcmul', 'addcdiv', 'scatter', 'scatter_add', 'bmm']) {
    out[name] = new Builtin(name, (args, kwargs, cx) => {
      const input = args.length > 0 ? args[0] : kwargs?.get('input');
      const restKwargs = kwargs && kwargs.has('input') ? new Map([...kwargs].filter(([k]) => k !== 'input')) : kwargs;
      return EXTRA_METHODS[name](asTensor(cx, input, name), args.slice(args.length > 0 ? 1 : 0), restKwargs, cx);
    });
  }
  return out;
}
