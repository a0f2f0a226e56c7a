// `torch.optim` for the runner: SGD, Adam, AdamW, RMSprop and Adagrad as Python objects, with PyTorch 1.13's argument
// checks and messages, param_groups as real Python dicts (so `opt.param_groups[0]['lr'] = 0.01`
// takes effect at the next step), zero_grad as 1.13 does it (gradients become zeros, not None),
// step(closure), state, state_dict() and printing. The arithmetic is src-main/optim's.
import { markTensorLive, Tensor, torch as engine } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { adagradInitState, adagradStep, adamStep, rmspropStep, sgdStep, type OptimizerState, type ParamState } from '../../../optim/index';
import { checkArgs, kwarg, toFloat } from '../../args';
import type { Context, Kwargs, NativeType, Value } from '../../context';
import { PyException, typeError, valueError } from '../../errors';
import type { ModuleDefinition } from '../../module-registry';
import { str, truthy, typeName } from '../../objects';
import { iterableToArray, keyError } from '../../ops';
import { BoundMethod, makeModule, PyDict, PyList, PyTuple, PyType, type MethodImpl } from '../../values';
import { notSupported } from './values';

type Kind = 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';

/** PyTorch's `required` marker: SGD's lr has no default. */
const REQUIRED = Symbol('required');

class Optimizer {
  readonly paramGroups = new PyList([]);
  readonly state: OptimizerState = new Map();
  constructor(
    readonly kind: Kind,
    /** The constructor's settings in PyTorch's order; REQUIRED where the caller must give a value. */
    readonly defaults: Map<string, Value | typeof REQUIRED>,
  ) {}
}

/** An optimizer's param_groups (the live list), or null when v is not an optimizer. */
export function optimizerParamGroups(v: Value): PyList | null {
  return v instanceof Optimizer ? v.paramGroups : null;
}

/** torch.typename(): 'torch.FloatTensor' for tensors, the type's name otherwise. */
function torchTypename(cx: Context, v: Value): string {
  if (v instanceof Tensor) return v.dtype === 'float32' ? 'torch.FloatTensor' : v.dtype === 'int64' ? 'torch.LongTensor' : 'torch.BoolTensor';
  return typeName(cx, v);
}

function number(cx: Context, v: Value, what: string): number {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return toFloat(cx, v);
  throw typeError(`${what} must be a number, not ${typeName(cx, v)}`);
}

/** Optimizer.add_param_group: fills in the defaults and checks the parameters as PyTorch does. */
function addParamGroup(cx: Context, opt: Optimizer, group: Value): void {
  if (!(group instanceof PyDict)) throw typeError('param group must be a dict');
  const params = group.get('params');
  let list: Value[];
  if (params instanceof Tensor) list = [params];
  else if (params === undefined) throw new PyException('KeyError', "'params'");
  else list = iterableToArray(cx, params);
  for (const p of list) {
    if (!(p instanceof Tensor)) throw typeError(`optimizer can only optimize Tensors, but one of the params is ${torchTypename(cx, p)}`);
    if (!p.isLeaf) throw valueError("can't optimize a non-leaf Tensor");
  }
  group.set('params', new PyList(list));
  for (const [name, value] of opt.defaults) {
    if (group.has(name)) continue;
    if (value === REQUIRED) throw valueError(`parameter group didn't specify a value of required optimization parameter ${name}`);
    group.set(name, value);
  }
  const seen = new Set<Value>();
  for (const g of opt.paramGroups.items) for (const p of ((g as PyDict).get('params') as PyList).items) seen.add(p);
  if (list.some((p) => seen.has(p))) throw valueError('some parameters appear in more than one parameter group');
  opt.paramGroups.items.push(group);
}

/** Optimizer.__init__ */
function initOptimizer(cx: Context, opt: Optimizer, params: Value): Optimizer {
  if (params instanceof Tensor) {
    throw typeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${torchTypename(cx, params)}`);
  }
  const groups = iterableToArray(cx, params);
  if (groups.length === 0) throw valueError('optimizer got an empty parameter list');
  if (!(groups[0] instanceof PyDict)) {
    const only = new PyDict();
    only.set('params', new PyList(groups));
    addParamGroup(cx, opt, only);
  } else {
    for (const g of groups) addParamGroup(cx, opt, g);
  }
  for (const g of opt.paramGroups.items) {
    for (const p of ((g as PyDict).get('params') as PyList).items) {
      if ((p as Tensor).dtype !== 'float32') throw notSupported(cx, `optimizing ${(p as Tensor).dtype} parameters (GradLab's optimizers take float32 tensors)`);
    }
  }
  return opt;
}

/** A settings argument given positionally or by keyword (PyTorch's signatures). */
function settings(name: string, args: Value[], kwargs: Kwargs, positional: readonly string[], keywordOnly: readonly string[]): Record<string, Value> {
  if (args.length > positional.length + 1) throw typeError(`${name}.__init__() takes from 2 to ${positional.length + 2} positional arguments but ${args.length + 1} were given`);
  const k = kwarg(`${name}.__init__`, kwargs, ['params', ...positional, ...keywordOnly]);
  for (let i = 1; i < args.length; i++) {
    const key = positional[i - 1]!;
    if (key in k) throw typeError(`${name}.__init__() got multiple values for argument '${key}'`);
    k[key] = args[i];
  }
  if (args.length > 0) {
    if ('params' in k) throw typeError(`${name}.__init__() got multiple values for argument 'params'`);
    k.params = args[0];
  }
  if (!('params' in k)) throw typeError(`${name}.__init__() missing 1 required positional argument: 'params'`);
  return k;
}

function refuseUnsupported(cx: Context, name: string, k: Record<string, Value>, flags: readonly string[]): void {
  for (const flag of flags) {
    if (k[flag] !== undefined && k[flag] !== null && truthy(cx, k[flag])) throw notSupported(cx, `torch.optim.${name}(${flag}=True)`);
  }
}

function makeSgd(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const k = settings('SGD', args, kwargs, ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'], ['maximize', 'foreach', 'differentiable']);
  refuseUnsupported(cx, 'SGD', k, ['foreach', 'differentiable']);
  const lr = k.lr ?? REQUIRED;
  const momentum = k.momentum ?? 0n;
  const dampening = k.dampening ?? 0n;
  const weightDecay = k.weight_decay ?? 0n;
  const nesterov = k.nesterov ?? false;
  if (lr !== REQUIRED && number(cx, lr, 'lr') < 0) throw valueError(`Invalid learning rate: ${str(cx, lr)}`);
  if (number(cx, momentum, 'momentum') < 0) throw valueError(`Invalid momentum value: ${str(cx, momentum)}`);
  if (number(cx, weightDecay, 'weight_decay') < 0) throw valueError(`Invalid weight_decay value: ${str(cx, weightDecay)}`);
  const defaults = new Map<string, Value | typeof REQUIRED>([
    ['lr', lr],
    ['momentum', momentum],
    ['dampening', dampening],
    ['weight_decay', weightDecay],
    ['nesterov', nesterov],
    ['maximize', k.maximize ?? false],
    ['foreach', k.foreach ?? null],
    ['differentiable', k.differentiable ?? false],
  ]);
  if (truthy(cx, nesterov) && (number(cx, momentum, 'momentum') <= 0 || number(cx, dampening, 'dampening') !== 0)) {
    throw valueError('Nesterov momentum requires a momentum and zero dampening');
  }
  return initOptimizer(cx, new Optimizer('SGD', defaults), k.params);
}

function checkRange(cx: Context, v: Value, what: string, ok: (x: number) => boolean): void {
  if (!ok(number(cx, v, what))) throw valueError(`Invalid ${what}: ${str(cx, v)}`);
}

/** The constructor's settings in PyTorch's defaults order: the caller's value, or the default. */
function withDefaults(k: Record<string, Value>, entries: readonly [string, Value][]): Map<string, Value | typeof REQUIRED> {
  return new Map(entries.map(([name, dflt]): [string, Value] => [name, k[name] ?? dflt]));
}

/** PyTorch's "Invalid <words>: <value>" checks of settings that must be >= 0, in its order. */
function requireNonNegative(cx: Context, defaults: Map<string, Value | typeof REQUIRED>, checks: readonly [string, string][]): void {
  for (const [name, words] of checks) checkRange(cx, defaults.get(name) as Value, words, (x) => x >= 0);
}

function makeRmsprop(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const k = settings('RMSprop', args, kwargs, ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered'], ['foreach', 'maximize', 'differentiable']);
  refuseUnsupported(cx, 'RMSprop', k, ['foreach', 'differentiable']);
  const defaults = withDefaults(k, [
    ['lr', 1e-2],
    ['momentum', 0n],
    ['alpha', 0.99],
    ['eps', 1e-8],
    ['centered', false],
    ['weight_decay', 0n],
    ['foreach', null],
    ['maximize', false],
    ['differentiable', false],
  ]);
  requireNonNegative(cx, defaults, [
    ['lr', 'learning rate'],
    ['eps', 'epsilon value'],
    ['momentum', 'momentum value'],
    ['weight_decay', 'weight_decay value'],
    ['alpha', 'alpha value'],
  ]);
  return initOptimizer(cx, new Optimizer('RMSprop', defaults), k.params);
}

function makeAdagrad(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const k = settings('Adagrad', args, kwargs, ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'foreach'], ['maximize']);
  refuseUnsupported(cx, 'Adagrad', k, ['foreach']);
  const defaults = withDefaults(k, [
    ['lr', 1e-2],
    ['lr_decay', 0n],
    ['eps', 1e-10],
    ['weight_decay', 0n],
    ['initial_accumulator_value', 0n],
    ['foreach', null],
    ['maximize', false],
  ]);
  requireNonNegative(cx, defaults, [
    ['lr', 'learning rate'],
    ['lr_decay', 'lr_decay value'],
    ['weight_decay', 'weight_decay value'],
    ['initial_accumulator_value', 'initial_accumulator_value value'],
    ['eps', 'epsilon value'],
  ]);
  const opt = initOptimizer(cx, new Optimizer('Adagrad', defaults), k.params);
  for (const g of opt.paramGroups.items) {
    adagradInitState(groupParams(g as PyDict), number(cx, (g as PyDict).get('initial_accumulator_value'), 'initial_accumulator_value'), opt.state);
  }
  return opt;
}

function makeAdam(args: Value[], kwargs: Kwargs, cx: Context): Value {
  return makeAdamKind('Adam', args, kwargs, cx);
}

function makeAdamW(args: Value[], kwargs: Kwargs, cx: Context): Value {
  return makeAdamKind('AdamW', args, kwargs, cx);
}

/** Adam and AdamW: the same settings (AdamW has no differentiable/fused in 1.13 and a weight decay of 0.01 by default). */
function makeAdamKind(kind: 'Adam' | 'AdamW', args: Value[], kwargs: Kwargs, cx: Context): Value {
  const adamW = kind === 'AdamW';
  const keywordOnly = adamW ? ['maximize', 'foreach', 'capturable'] : ['foreach', 'maximize', 'capturable', 'differentiable', 'fused'];
  const k = settings(kind, args, kwargs, ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'], keywordOnly);
  refuseUnsupported(cx, kind, k, ['foreach', 'capturable', 'differentiable', 'fused']);
  const lr = k.lr ?? 1e-3;
  const betas = k.betas ?? new PyTuple([0.9, 0.999]);
  const eps = k.eps ?? 1e-8;
  const weightDecay = k.weight_decay ?? (adamW ? 1e-2 : 0n);
  const [beta1, beta2] = iterableToArray(cx, betas);
  if (!(number(cx, lr, 'lr') >= 0)) throw valueError(`Invalid learning rate: ${str(cx, lr)}`);
  if (!(number(cx, eps, 'eps') >= 0)) throw valueError(`Invalid epsilon value: ${str(cx, eps)}`);
  const b1 = number(cx, beta1, 'betas[0]');
  if (!(b1 >= 0 && b1 < 1)) throw valueError(`Invalid beta parameter at index 0: ${str(cx, beta1)}`);
  const b2 = number(cx, beta2, 'betas[1]');
  if (!(b2 >= 0 && b2 < 1)) throw valueError(`Invalid beta parameter at index 1: ${str(cx, beta2)}`);
  if (!(number(cx, weightDecay, 'weight_decay') >= 0)) throw valueError(`Invalid weight_decay value: ${str(cx, weightDecay)}`);
  const entries: [string, Value][] = adamW
    ? [['lr', lr], ['betas', betas], ['eps', eps], ['weight_decay', weightDecay], ['amsgrad', k.amsgrad ?? false], ['foreach', k.foreach ?? null], ['maximize', k.maximize ?? false], ['capturable', k.capturable ?? false]]
    : [
        ['lr', lr],
        ['betas', betas],
        ['eps', eps],
        ['weight_decay', weightDecay],
        ['amsgrad', k.amsgrad ?? false],
        ['maximize', k.maximize ?? false],
        ['foreach', k.foreach ?? null],
        ['capturable', k.capturable ?? false],
        ['differentiable', k.differentiable ?? false],
        ['fused', k.fused ?? false],
      ];
  return initOptimizer(cx, new Optimizer(kind, new Map<string, Value | typeof REQUIRED>(entries)), k.params);
}

function groupParams(group: PyDict): Tensor[] {
  return ((group.get('params') as PyList).items as Tensor[]).slice();
}

function setting(cx: Context, group: PyDict, key: string): number {
  return number(cx, group.get(key), key);
}

/** optimizer.step(): each group with the values its dict holds now. */
function step(cx: Context, opt: Optimizer): void {
  for (const g of opt.paramGroups.items) {
    const group = g as PyDict;
    const params = groupParams(group);
    const maximize = truthy(cx, group.get('maximize'));
    if (opt.kind === 'SGD') {
      sgdStep(
        params,
        {
          lr: setting(cx, group, 'lr'),
          momentum: setting(cx, group, 'momentum'),
          dampening: setting(cx, group, 'dampening'),
          weightDecay: setting(cx, group, 'weight_decay'),
          nesterov: truthy(cx, group.get('nesterov')),
          maximize,
        },
        opt.state,
      );
    } else if (opt.kind === 'RMSprop') {
      rmspropStep(
        params,
        {
          lr: setting(cx, group, 'lr'),
          alpha: setting(cx, group, 'alpha'),
          eps: setting(cx, group, 'eps'),
          weightDecay: setting(cx, group, 'weight_decay'),
          momentum: setting(cx, group, 'momentum'),
          centered: truthy(cx, group.get('centered')),
          maximize,
        },
        opt.state,
      );
    } else if (opt.kind === 'Adagrad') {
      adagradStep(
        params,
        { lr: setting(cx, group, 'lr'), lrDecay: setting(cx, group, 'lr_decay'), weightDecay: setting(cx, group, 'weight_decay'), eps: setting(cx, group, 'eps'), maximize },
        opt.state,
      );
    } else {
      const [beta1, beta2] = iterableToArray(cx, group.get('betas'));
      adamStep(
        params,
        {
          lr: setting(cx, group, 'lr'),
          beta1: number(cx, beta1, 'beta1'),
          beta2: number(cx, beta2, 'beta2'),
          eps: setting(cx, group, 'eps'),
          weightDecay: setting(cx, group, 'weight_decay'),
          amsgrad: truthy(cx, group.get('amsgrad')),
          maximize,
          decoupled: opt.kind === 'AdamW',
        },
        opt.state,
      );
    }
  }
}

/** optimizer.zero_grad(set_to_none=False): 1.13 keeps the gradient tensors and fills them with zeros. */
function zeroGrad(opt: Optimizer, setToNone: boolean): void {
  for (const g of opt.paramGroups.items) {
    for (const p of groupParams(g as PyDict)) {
      if (p.grad === null) continue;
      if (setToNone) {
        p.grad = null;
      } else {
        // A gradient made with create_graph=True is cut from its graph first (detach_ in PyTorch).
        if (p.grad.requiresGrad) p.grad = p.grad.detach();
        p.grad.zero_();
      }
    }
  }
}

function stateDictOf(p: Tensor, opt: Optimizer): PyDict {
  const d = new PyDict();
  // a number is a Python int (RMSprop's step)
  for (const [key, value] of Object.entries(opt.state.get(p) ?? {})) d.set(key, typeof value === 'number' ? BigInt(value) : value);
  return d;
}

/** optimizer.state: {param: {'momentum_buffer': ...}} for every parameter that has taken a step. */
function stateView(opt: Optimizer): PyDict {
  const view = new PyDict();
  for (const p of opt.state.keys()) view.set(p, stateDictOf(p, opt));
  return view;
}

/** optimizer.state_dict(): parameters replaced by their position across the groups. */
function stateDict(opt: Optimizer): PyDict {
  const index = new Map<Tensor, number>();
  const groups: Value[] = [];
  for (const g of opt.paramGroups.items) {
    const packed = new PyDict();
    for (const [key, value] of (g as PyDict).map.values()) if (key !== 'params') packed.set(key, value);
    packed.set(
      'params',
      new PyList(
        groupParams(g as PyDict).map((p) => {
          if (!index.has(p)) index.set(p, index.size);
          return BigInt(index.get(p)!);
        }),
      ),
    );
    groups.push(packed);
  }
  const state = new PyDict();
  for (const p of opt.state.keys()) state.set(BigInt(index.get(p)!), stateDictOf(p, opt));
  const out = new PyDict();
  out.set('state', state);
  out.set('param_groups', new PyList(groups));
  return out;
}

/** deepcopy of a saved setting or state value: containers copied, tensors cloned, the rest shared (immutable). */
function deepCopy(v: Value): Value {
  if (v instanceof Tensor) return engine.noGrad(() => v.detach().clone());
  if (v instanceof PyTuple) return new PyTuple(v.items.map(deepCopy));
  if (v instanceof PyList) return new PyList(v.items.map(deepCopy));
  if (v instanceof PyDict) {
    const d = new PyDict();
    for (const [key, value] of v.map.values()) d.set(key, deepCopy(value));
    return d;
  }
  return v;
}

function item(cx: Context, d: Value, key: string): Value {
  const v = d instanceof PyDict ? d.get(key) : undefined;
  if (v === undefined) throw keyError(cx, key);
  return v;
}

/**
 * optimizer.load_state_dict(state_dict) as 1.13's Optimizer does it: a deep copy of the saved
 * state, checked group by group against this optimizer's parameters, each saved index mapped to
 * the parameter in the same place; the groups take the saved settings and keep their parameters.
 */
function loadStateDict(cx: Context, opt: Optimizer, stateDict: Value): void {
  const savedGroups = iterableToArray(cx, item(cx, stateDict, 'param_groups'));
  const groups = opt.paramGroups.items as PyDict[];
  if (groups.length !== savedGroups.length) throw valueError('loaded state dict has a different number of parameter groups');
  const savedParams = savedGroups.map((g) => iterableToArray(cx, item(cx, g, 'params')));
  if (groups.some((g, i) => groupParams(g).length !== savedParams[i].length)) {
    throw valueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  }
  const byIndex = new PyDict();
  groups.forEach((g, i) => groupParams(g).forEach((p, j) => byIndex.set(savedParams[i][j], p)));
  const state: OptimizerState = new Map();
  const savedState = item(cx, stateDict, 'state');
  if (!(savedState instanceof PyDict)) throw typeError(`'${typeName(cx, savedState)}' object has no attribute 'items'`);
  for (const [index, entry] of savedState.map.values()) {
    const p = byIndex.get(index);
    if (!(p instanceof Tensor)) throw notSupported(cx, 'optimizer.load_state_dict() with state for an index that is not one of its parameters');
    if (!(entry instanceof PyDict)) throw notSupported(cx, 'optimizer.load_state_dict() with a parameter state that is not a dict');
    const st: ParamState = {};
    for (const [key, value] of entry.map.values()) {
      if (typeof key !== 'string') continue;
      const copy = deepCopy(value);
      if (copy instanceof Tensor) st[key] = key === 'step' || copy.dtype === p.dtype ? copy : ops.to(copy, p.dtype);
      else if (typeof copy === 'bigint' || typeof copy === 'number') st[key] = Number(copy);
      else if (copy === null) st[key] = null;
      else throw notSupported(cx, `optimizer.load_state_dict() with a state entry '${key}' of type ${typeName(cx, copy)}`);
    }
    // Adam, AdamW and Adagrad keep step as a tensor (their __setstate__ turns a number into one)
    if (opt.kind !== 'RMSprop' && typeof st.step === 'number') st.step = engine.tensor(st.step, { dtype: 'float32' });
    state.set(p, st);
  }
  const newGroups = groups.map((g, i) => {
    const copy = deepCopy(savedGroups[i]) as PyDict;
    copy.set('params', g.get('params')!);
    // __setstate__: settings a state dict from an older PyTorch lacks take their defaults
    for (const [name, value] of opt.defaults) if (!copy.has(name) && value !== REQUIRED) copy.set(name, value);
    return copy;
  });
  opt.paramGroups.items.splice(0, groups.length, ...newGroups);
  opt.state.clear();
  for (const [p, st] of state) opt.state.set(p, st);
}

function repr(cx: Context, opt: Optimizer): string {
  let s = `${opt.kind} (`;
  opt.paramGroups.items.forEach((g, i) => {
    s += `\nParameter Group ${i}\n`;
    const keys = [...(g as PyDict).map.values()].map(([k]) => k as string).sort();
    for (const key of keys) if (key !== 'params') s += `    ${key}: ${str(cx, (g as PyDict).get(key))}\n`;
  });
  return s + ')';
}

const METHODS: Record<string, MethodImpl> = {
  step(opt: Optimizer, args, kwargs, cx) {
    const k = kwarg('step', kwargs, ['closure']);
    checkArgs('step', args, 0, 1);
    const closure = args[0] ?? k.closure ?? null;
    let loss: Value = null;
    if (closure !== null) loss = cx.call(closure, [], null);
    step(cx, opt);
    return loss;
  },
  zero_grad(opt: Optimizer, args, kwargs, cx) {
    const k = kwarg('zero_grad', kwargs, ['set_to_none']);
    checkArgs('zero_grad', args, 0, 1);
    zeroGrad(opt, truthy(cx, args[0] ?? k.set_to_none ?? false));
    return null;
  },
  state_dict(opt: Optimizer, args) {
    checkArgs('state_dict', args, 0, 0);
    return stateDict(opt);
  },
  add_param_group(opt: Optimizer, args, _kwargs, cx) {
    checkArgs('add_param_group', args, 1, 1);
    addParamGroup(cx, opt, args[0]);
    return null;
  },
  load_state_dict(opt: Optimizer, args, kwargs, cx) {
    const k = kwarg('load_state_dict', kwargs, ['state_dict']);
    checkArgs('load_state_dict', args, 0, 1);
    const sd = args[0] ?? k.state_dict;
    if (sd === undefined) throw typeError("load_state_dict() missing 1 required positional argument: 'state_dict'");
    loadStateDict(cx, opt, sd);
    return null;
  },
};

function markValueLive(v: Value, stamp: number): boolean {
  if (v instanceof Tensor) {
    markTensorLive(v, stamp);
    return true;
  }
  if (v instanceof PyList || v instanceof PyTuple) return v.items.every((x) => markValueLive(x, stamp));
  if (v instanceof PyDict) return [...v.map.values()].every(([key, x]) => markValueLive(key, stamp) && markValueLive(x, stamp));
  return typeof v !== 'object' || v === null;
}

function optimizerType(kind: Kind, construct: (args: Value[], kwargs: Kwargs, cx: Context) => Value): [PyType, NativeType] {
  const pyType = new PyType(kind, construct, 'torch.optim');
  const native: NativeType = {
    name: kind,
    pyType,
    is: (v) => v instanceof Optimizer && v.kind === kind,
    repr: (v, cx) => repr(cx, v as Optimizer),
    getAttr(v, name) {
      const opt = v as Optimizer;
      if (name === 'param_groups') return opt.paramGroups;
      if (name === 'state') return stateView(opt);
      if (name === 'defaults') {
        const d = new PyDict();
        for (const [key, value] of opt.defaults) if (value !== REQUIRED) d.set(key, value);
        return d;
      }
      const m = METHODS[name];
      return m ? new BoundMethod(opt, name, m) : undefined;
    },
    callMethod(v, name, args, kwargs, cx) {
      const m = METHODS[name];
      return m ? m(v, args, kwargs, cx) : undefined;
    },
    markLive(v, stamp) {
      const opt = v as Optimizer;
      for (const [p, st] of opt.state) {
        markTensorLive(p, stamp);
        for (const t of Object.values(st)) if (t instanceof Tensor) markTensorLive(t, stamp);
      }
      return markValueLive(opt.paramGroups, stamp);
    },
  };
  return [pyType, native];
}

const [SGD_CLASS, SGD_TYPE] = optimizerType('SGD', makeSgd);
const [ADAM_CLASS, ADAM_TYPE] = optimizerType('Adam', makeAdam);
const [ADAMW_CLASS, ADAMW_TYPE] = optimizerType('AdamW', makeAdamW);
const [RMSPROP_CLASS, RMSPROP_TYPE] = optimizerType('RMSprop', makeRmsprop);
const [ADAGRAD_CLASS, ADAGRAD_TYPE] = optimizerType('Adagrad', makeAdagrad);

/** Optimizers of torch.optim GradLab does not have: using one says so plainly. */
const UNSUPPORTED_OPTIM = ['Adadelta', 'Adamax', 'ASGD', 'LBFGS', 'NAdam', 'RAdam', 'Rprop', 'SparseAdam', 'swa_utils', 'Optimizer'];

export const optimModule: ModuleDefinition = {
  name: 'torch.optim',
  install(ip) {
    ip.registerNativeType(SGD_TYPE);
    ip.registerNativeType(ADAM_TYPE);
    ip.registerNativeType(ADAMW_TYPE);
    ip.registerNativeType(RMSPROP_TYPE);
    ip.registerNativeType(ADAGRAD_TYPE);
  },
  create: (ip) => makeModule('torch.optim', { SGD: SGD_CLASS, Adam: ADAM_CLASS, AdamW: ADAMW_CLASS, RMSprop: RMSPROP_CLASS, Adagrad: ADAGRAD_CLASS, lr_scheduler: ip.importModule('torch.optim.lr_scheduler', ip.line) }, UNSUPPORTED_OPTIM),
};
