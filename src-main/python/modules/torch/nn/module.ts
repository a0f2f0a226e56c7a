// nn.Module as a class programs can derive from, doing what PyTorch 1.13's does: parameters,
// buffers and submodules registered by attribute (in the instance's _parameters, _buffers and
// _modules, as in PyTorch), parameters(), named_parameters(), buffers(), children(), modules(),
// apply(), train()/eval(), zero_grad() (1.13: gradients become zeros), requires_grad_(),
// state_dict() and load_state_dict(), calling the module (its forward) and printing exactly as PyTorch.
import { formatSize, Tensor, torch as engine } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { checkArgs, kwarg } from '../../../args';
import { callMethod } from '../../../attributes';
import { isSubclass, nativeClass, objectDelAttr, objectSetAttr } from '../../../classes';
import type { Context, Kwargs, Value } from '../../../context';
import { PyException, typeError } from '../../../errors';
import { repr, truthy, typeName } from '../../../objects';
import { typeOf } from '../../../types';
import { keyError } from '../../../ops';
import { OrderedDict, PyDict, PyInstance, PyIterator, PyList, PyTuple, type MethodImpl } from '../../../values';
import { notSupported } from '../values';
import { isParameter } from './parameter';

/** torch.typename(): how PyTorch's messages name a value's type. */
export function torchTypename(cx: Context, v: Value): string {
  if (v instanceof Tensor) {
    const names: Record<string, string> = { float32: 'FloatTensor', float64: 'DoubleTensor', int64: 'LongTensor', int32: 'IntTensor', bool: 'BoolTensor' };
    return `torch.${names[v.dtype] ?? 'Tensor'}`;
  }
  return typeName(cx, v);
}

/** The parts Module.__init__ puts in an instance's dict. */
interface Parts {
  parameters: OrderedDict;
  buffers: OrderedDict;
  modules: OrderedDict;
  /** the names of buffers registered with persistent=False (left out of state_dict) */
  nonPersistent: Set<string>;
}

/** Each module's _non_persistent_buffers_set (a WeakMap: it keeps no module alive). */
const nonPersistentBuffers = new WeakMap<PyInstance, Set<string>>();

function partsOf(m: PyInstance): Parts | null {
  const parameters = m.dict.get('_parameters');
  const buffers = m.dict.get('_buffers');
  const modules = m.dict.get('_modules');
  if (!(parameters instanceof OrderedDict && buffers instanceof OrderedDict && modules instanceof OrderedDict)) return null;
  let nonPersistent = nonPersistentBuffers.get(m);
  if (!nonPersistent) nonPersistentBuffers.set(m, (nonPersistent = new Set()));
  return { parameters, buffers, modules, nonPersistent };
}

/** The parts of a module whose __init__ ran; PyTorch's AttributeError otherwise. */
function parts(cx: Context, m: PyInstance): Parts {
  const p = partsOf(m);
  if (!p) throw new PyException('AttributeError', `'${typeName(cx, m)}' object has no attribute '_parameters'`);
  return p;
}

export function isModule(v: Value): v is PyInstance {
  return v instanceof PyInstance && isSubclass(v.cls, MODULE_CLASS);
}

function entries(d: OrderedDict): [string, Value][] {
  return [...d.map.values()].map(([k, v]) => [k as string, v]);
}

// ---- walking the module tree ----

/** The tensors a module's state_dict() holds, in PyTorch's order: its parameters, its persistent buffers, then each child's. */
export function stateEntries(cx: Context, m: PyInstance, prefix = ''): [string, Tensor][] {
  const own = parts(cx, m);
  const out: [string, Tensor][] = [];
  for (const [name, p] of entries(own.parameters)) if (p instanceof Tensor) out.push([prefix + name, p]);
  for (const [name, b] of entries(own.buffers)) if (b instanceof Tensor && !own.nonPersistent.has(name)) out.push([prefix + name, b]);
  for (const [name, child] of entries(own.modules)) if (child instanceof PyInstance) out.push(...stateEntries(cx, child, `${prefix}${name}.`));
  return out;
}

/** named_buffers(): each buffer once, named by its path ('bn.running_mean'). */
export function namedBuffers(cx: Context, m: PyInstance, prefix = '', recurse = true): [string, Tensor][] {
  const modules: [string, PyInstance][] = recurse ? namedModules(cx, m, prefix) : [[prefix, m]];
  const seen = new Set<Tensor>();
  const out: [string, Tensor][] = [];
  for (const [path, module] of modules) {
    for (const [name, b] of entries(parts(cx, module).buffers)) {
      if (!(b instanceof Tensor) || seen.has(b)) continue;
      seen.add(b);
      out.push([path === '' ? name : `${path}.${name}`, b]);
    }
  }
  return out;
}

/** named_modules(): this module first, then every submodule depth-first, each once. */
export function namedModules(cx: Context, m: PyInstance, prefix = '', seen = new Set<PyInstance>()): [string, PyInstance][] {
  if (seen.has(m)) return [];
  seen.add(m);
  const out: [string, PyInstance][] = [[prefix, m]];
  for (const [name, child] of entries(parts(cx, m).modules)) {
    if (child instanceof PyInstance) out.push(...namedModules(cx, child, prefix === '' ? name : `${prefix}.${name}`, seen));
  }
  return out;
}

/** named_parameters(): each parameter once, named by its path ('hidden.weight'). */
export function namedParameters(cx: Context, m: PyInstance, prefix = '', recurse = true): [string, Tensor][] {
  const modules: [string, PyInstance][] = recurse ? namedModules(cx, m, prefix) : [[prefix, m]];
  const seen = new Set<Tensor>();
  const out: [string, Tensor][] = [];
  for (const [path, module] of modules) {
    for (const [name, p] of entries(parts(cx, module).parameters)) {
      if (!(p instanceof Tensor) || seen.has(p)) continue;
      seen.add(p);
      out.push([path === '' ? name : `${path}.${name}`, p]);
    }
  }
  return out;
}

function iterator(items: Value[]): PyIterator {
  let i = 0;
  return new PyIterator('generator', () => (i < items.length ? items[i++] : undefined));
}

/** PyTorch's _addindent: every line but the first indented by `spaces`. */
function addIndent(text: string, spaces: number): string {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  return [lines[0], ...lines.slice(1).map((l) => ' '.repeat(spaces) + l)].join('\n');
}

/** Module.__repr__: the class name, extra_repr() and each child's repr, indented. */
function moduleRepr(cx: Context, m: PyInstance): string {
  const extra = callMethod(cx, m, 'extra_repr', [], null);
  const extraLines = typeof extra === 'string' && extra !== '' ? extra.split('\n') : [];
  const childLines = entries(parts(cx, m).modules).map(([name, child]) => `(${name}): ${addIndent(repr(cx, child), 2)}`);
  const lines = [...extraLines, ...childLines];
  let s = `${typeName(cx, m)}(`;
  if (lines.length > 0) {
    if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
    else s += '\n  ' + lines.join('\n  ') + '\n';
  }
  return s + ')';
}

/** Module.register_parameter, with PyTorch's checks and messages. */
export function registerParameter(cx: Context, m: PyInstance, name: Value, p: Value): void {
  const own = partsOf(m);
  if (!own) throw new PyException('AttributeError', 'cannot assign parameter before Module.__init__() call');
  if (typeof name !== 'string') throw typeError(`parameter name should be a string. Got ${typeName(cx, name)}`);
  if (name.includes('.')) throw keyError(cx, 'parameter name can\'t contain "."');
  if (name === '') throw keyError(cx, 'parameter name can\'t be empty string ""');
  if (m.dict.has(name) && !own.parameters.has(name)) throw keyError(cx, `attribute '${name}' already exists`);
  if (p !== null && !isParameter(p)) throw typeError(`cannot assign '${torchTypename(cx, p)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
  if (p instanceof Tensor && !p.isLeaf) {
    throw new PyException(
      'ValueError',
      `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
    );
  }
  own.parameters.set(name, p);
}

/** Module.register_buffer, with PyTorch's checks and messages. */
export function registerBuffer(cx: Context, m: PyInstance, name: Value, tensor: Value, persistent: boolean): void {
  const own = partsOf(m);
  if (!own) throw new PyException('AttributeError', 'cannot assign buffer before Module.__init__() call');
  if (typeof name !== 'string') throw typeError(`buffer name should be a string. Got ${torchTypename(cx, name)}`);
  if (name.includes('.')) throw keyError(cx, 'buffer name can\'t contain "."');
  if (name === '') throw keyError(cx, 'buffer name can\'t be empty string ""');
  if ((m.dict.has(name) || own.parameters.has(name) || own.modules.has(name)) && !own.buffers.has(name)) {
    throw keyError(cx, `attribute '${name}' already exists`);
  }
  if (tensor !== null && !(tensor instanceof Tensor)) throw typeError(`cannot assign '${torchTypename(cx, tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
  own.buffers.set(name, tensor);
  if (persistent) own.nonPersistent.delete(name);
  else own.nonPersistent.add(name);
}

/** Module.add_module */
export function addModule(cx: Context, m: PyInstance, name: Value, module: Value): void {
  const own = partsOf(m);
  if (module !== null && !isModule(module)) throw typeError(`${torchTypename(cx, module)} is not a Module subclass`);
  if (typeof name !== 'string') throw typeError(`module name should be a string. Got ${typeName(cx, name)}`);
  if (!own) throw new PyException('AttributeError', 'cannot assign module before Module.__init__() call');
  if (m.dict.has(name) && !own.modules.has(name)) throw keyError(cx, `attribute '${name}' already exists`);
  if (name.includes('.')) throw keyError(cx, `module name can't contain ".", got: ${name}`);
  if (name === '') throw keyError(cx, 'module name can\'t be empty string ""');
  own.modules.set(name, module);
}

/** Module.__setattr__: a Parameter registers as a parameter, a module as a submodule. */
function moduleSetAttr(cx: Context, m: PyInstance, name: string, value: Value): void {
  const own = partsOf(m);
  if (isParameter(value)) {
    if (!own) throw new PyException('AttributeError', 'cannot assign parameters before Module.__init__() call');
    m.dict.delete(name);
    own.buffers.delete(name);
    own.modules.delete(name);
    own.nonPersistent.delete(name);
    registerParameter(cx, m, name, value);
    return;
  }
  if (own && own.parameters.has(name)) {
    if (value !== null) throw typeError(`cannot assign '${torchTypename(cx, value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
    own.parameters.set(name, null);
    return;
  }
  if (isModule(value)) {
    if (!own) throw new PyException('AttributeError', 'cannot assign module before Module.__init__() call');
    m.dict.delete(name);
    own.parameters.delete(name);
    own.buffers.delete(name);
    own.nonPersistent.delete(name);
    own.modules.set(name, value);
    return;
  }
  if (own && own.modules.has(name)) {
    if (value !== null) throw typeError(`cannot assign '${torchTypename(cx, value)}' as child module '${name}' (torch.nn.Module or None expected)`);
    own.modules.set(name, null);
    return;
  }
  if (own && own.buffers.has(name)) {
    if (value !== null && !(value instanceof Tensor)) throw typeError(`cannot assign '${torchTypename(cx, value)}' as buffer '${name}' (torch.Tensor or None expected)`);
    own.buffers.set(name, value);
    return;
  }
  objectSetAttr(cx, m, name, value);
}

/** What load_state_dict returns: PyTorch's _IncompatibleKeys named tuple. */
const INCOMPATIBLE_KEYS_CLASS = nativeClass({
  name: '_IncompatibleKeys',
  module: 'torch.nn.modules.module',
  methods: {
    __repr__(r: PyInstance, _args, _kwargs, cx) {
      const missing = r.dict.get('missing_keys');
      const unexpected = r.dict.get('unexpected_keys');
      if (missing instanceof PyList && unexpected instanceof PyList && missing.items.length === 0 && unexpected.items.length === 0) {
        return '<All keys matched successfully>';
      }
      return `_IncompatibleKeys(missing_keys=${repr(cx, missing ?? null)}, unexpected_keys=${repr(cx, unexpected ?? null)})`;
    },
  },
});

/**
 * Module.load_state_dict: copies each entry into the parameter of that name (without recording
 * a graph), module by module as PyTorch walks them, collecting its messages: missing and
 * unexpected keys (errors when strict), shape mismatches and non-tensors (always errors).
 */
function loadStateDict(cx: Context, m: PyInstance, stateDict: Value, strict: boolean): PyInstance {
  if (!(stateDict instanceof PyDict)) throw typeError(`Expected state_dict to be dict-like, got ${repr(cx, typeOf(cx, stateDict))}.`);
  const keys = [...stateDict.map.values()].map(([key]) => key).filter((key): key is string => typeof key === 'string');
  const missing: string[] = [];
  const unexpected: string[] = [];
  const errors: string[] = [];
  for (const [path, module] of namedModules(cx, m)) {
    const prefix = path === '' ? '' : `${path}.`;
    const own = parts(cx, module);
    const local = [...entries(own.parameters), ...entries(own.buffers).filter(([name]) => !own.nonPersistent.has(name))];
    for (const [name, param] of local) {
      if (!(param instanceof Tensor)) continue;
      const key = prefix + name;
      const input = stateDict.get(key);
      if (input === undefined) {
        missing.push(key);
      } else if (!(input instanceof Tensor)) {
        errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${repr(cx, typeOf(cx, input))}`);
      } else if (input.shape.length !== param.shape.length || input.shape.some((n, i) => n !== param.shape[i])) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${formatSize(input.shape)} from checkpoint, the shape in current model is ${formatSize(param.shape)}.`);
      } else {
        engine.noGrad(() => ops.copyInPlace(param, input));
      }
    }
    for (const key of keys) {
      if (!key.startsWith(prefix)) continue;
      const first = key.slice(prefix.length).split('.')[0];
      if (!own.modules.has(first) && !local.some(([name, t]) => name === first && t instanceof Tensor)) unexpected.push(key);
    }
  }
  if (strict) {
    if (unexpected.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((key) => `"${key}"`).join(', ')}. `);
    if (missing.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missing.map((key) => `"${key}"`).join(', ')}. `);
  }
  if (errors.length > 0) throw new PyException('RuntimeError', `Error(s) in loading state_dict for ${typeName(cx, m)}:\n\t${errors.join('\n\t')}`);
  const result = new PyInstance(INCOMPATIBLE_KEYS_CLASS);
  result.dict.set('missing_keys', new PyList(missing));
  result.dict.set('unexpected_keys', new PyList(unexpected));
  return result;
}

/** Module.train(mode) on this module and every submodule. */
function setTraining(cx: Context, m: PyInstance, mode: boolean): void {
  for (const [, module] of namedModules(cx, m)) module.dict.set('training', mode);
}

/** The keyword-or-positional settings of a module method, by name. */
function settings(name: string, args: Value[], kwargs: Kwargs, names: readonly string[]): Record<string, Value | undefined> {
  const k: Record<string, Value | undefined> = kwarg(name, kwargs, names);
  checkArgs(name, args, 0, names.length);
  args.forEach((v, i) => (k[names[i]] = v));
  return k;
}

/** What nn.Module.__init__ sets up in an instance (the built-in layers call it from their own __init__). */
export function initModule(m: PyInstance): void {
  m.dict.set('training', true);
  m.dict.set('_parameters', new OrderedDict());
  m.dict.set('_buffers', new OrderedDict());
  m.dict.set('_modules', new OrderedDict());
}

/** Module.apply(fn): fn on every submodule (children first, depth-first), then on the module itself. */
function applyToModules(cx: Context, m: PyInstance, fn: Value): PyInstance {
  for (const [, child] of entries(parts(cx, m).modules)) if (child instanceof PyInstance) applyToModules(cx, child, fn);
  cx.call(fn, [m], null);
  return m;
}

const flag = (cx: Context, v: Value | undefined, dflt: boolean): boolean => (v === undefined ? dflt : truthy(cx, v));

const MODULE_METHODS: Record<string, MethodImpl> = {
  __init__(m: PyInstance, args, kwargs) {
    if (args.length > 0) throw typeError(`Module.__init__() takes 1 positional argument but ${args.length + 1} were given`);
    if (kwargs && kwargs.size > 0) throw typeError(`Module.__init__() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
    initModule(m);
    return null;
  },
  __setattr__(m: PyInstance, args, _kwargs, cx) {
    checkArgs('__setattr__', args, 2, 2);
    if (typeof args[0] !== 'string') throw typeError(`attribute name must be string, not '${typeName(cx, args[0])}'`);
    moduleSetAttr(cx, m, args[0], args[1]);
    return null;
  },
  __getattr__(m: PyInstance, args, _kwargs, cx) {
    const name = args[0] as string;
    const own = partsOf(m);
    if (own?.parameters.has(name)) return own.parameters.get(name);
    if (own?.buffers.has(name)) return own.buffers.get(name);
    if (own?.modules.has(name)) return own.modules.get(name);
    throw new PyException('AttributeError', `'${typeName(cx, m)}' object has no attribute '${name}'`);
  },
  __delattr__(m: PyInstance, args) {
    const name = args[0] as string;
    const own = partsOf(m);
    if (own?.parameters.delete(name)) return null;
    if (own?.buffers.delete(name)) {
      own.nonPersistent.delete(name);
      return null;
    }
    if (own?.modules.delete(name)) return null;
    objectDelAttr(m, name);
    return null;
  },
  __call__: (m: PyInstance, args, kwargs, cx) => callMethod(cx, m, 'forward', args, kwargs),
  __repr__: (m: PyInstance, _args, _kwargs, cx) => moduleRepr(cx, m),
  forward(m: PyInstance, _args, _kwargs, cx) {
    throw new PyException('NotImplementedError', `Module [${typeName(cx, m)}] is missing the required "forward" function`);
  },
  extra_repr: () => '',
  parameters(m: PyInstance, args, kwargs, cx) {
    const k = settings('parameters', args, kwargs, ['recurse']);
    return iterator(namedParameters(cx, m, '', flag(cx, k.recurse, true)).map(([, p]) => p));
  },
  named_parameters(m: PyInstance, args, kwargs, cx) {
    const k = settings('named_parameters', args, kwargs, ['prefix', 'recurse']);
    const prefix = typeof k.prefix === 'string' ? k.prefix : '';
    return iterator(namedParameters(cx, m, prefix, flag(cx, k.recurse, true)).map(([name, p]) => new PyTuple([name, p])));
  },
  children(m: PyInstance, args, _kwargs, cx) {
    checkArgs('children', args, 0, 0);
    return iterator([...new Set(entries(parts(cx, m).modules).map(([, c]) => c).filter((c) => c !== null))]);
  },
  named_children(m: PyInstance, args, _kwargs, cx) {
    checkArgs('named_children', args, 0, 0);
    return iterator(entries(parts(cx, m).modules).filter(([, c]) => c !== null).map(([name, c]) => new PyTuple([name, c])));
  },
  modules(m: PyInstance, args, _kwargs, cx) {
    checkArgs('modules', args, 0, 0);
    return iterator(namedModules(cx, m).map(([, module]) => module));
  },
  named_modules(m: PyInstance, args, kwargs, cx) {
    const k = settings('named_modules', args, kwargs, ['memo', 'prefix', 'remove_duplicate']);
    if ((k.memo ?? null) !== null || (k.remove_duplicate !== undefined && !truthy(cx, k.remove_duplicate))) {
      throw notSupported(cx, 'named_modules(memo=..., remove_duplicate=False)');
    }
    const prefix = typeof k.prefix === 'string' ? k.prefix : '';
    return iterator(namedModules(cx, m, prefix).map(([name, module]) => new PyTuple([name, module])));
  },
  buffers(m: PyInstance, args, kwargs, cx) {
    const k = settings('buffers', args, kwargs, ['recurse']);
    return iterator(namedBuffers(cx, m, '', flag(cx, k.recurse, true)).map(([, b]) => b));
  },
  named_buffers(m: PyInstance, args, kwargs, cx) {
    const k = settings('named_buffers', args, kwargs, ['prefix', 'recurse']);
    const prefix = typeof k.prefix === 'string' ? k.prefix : '';
    return iterator(namedBuffers(cx, m, prefix, flag(cx, k.recurse, true)).map(([name, b]) => new PyTuple([name, b])));
  },
  register_buffer(m: PyInstance, args, kwargs, cx) {
    const k = settings('register_buffer', args, kwargs, ['name', 'tensor', 'persistent']);
    if (k.name === undefined || k.tensor === undefined) throw typeError(`register_buffer() missing 1 required positional argument: '${k.name === undefined ? 'name' : 'tensor'}'`);
    registerBuffer(cx, m, k.name, k.tensor, flag(cx, k.persistent, true));
    return null;
  },
  apply(m: PyInstance, args, _kwargs, cx) {
    checkArgs('apply', args, 1, 1);
    return applyToModules(cx, m, args[0]);
  },
  train(m: PyInstance, args, kwargs, cx) {
    const k = settings('train', args, kwargs, ['mode']);
    const mode = k.mode ?? true;
    if (typeof mode !== 'boolean') throw new PyException('ValueError', 'training mode is expected to be boolean');
    setTraining(cx, m, mode);
    return m;
  },
  eval(m: PyInstance, args, _kwargs, cx) {
    checkArgs('eval', args, 0, 0);
    setTraining(cx, m, false);
    return m;
  },
  zero_grad(m: PyInstance, args, kwargs, cx) {
    const k = settings('zero_grad', args, kwargs, ['set_to_none']);
    const toNone = flag(cx, k.set_to_none, false);
    for (const [, p] of namedParameters(cx, m)) {
      if (p.grad === null) continue;
      if (toNone) {
        p.grad = null;
      } else {
        // 1.13: the gradient tensor stays and is filled with zeros (detached first if it has a graph)
        if (p.grad.requiresGrad) p.grad = p.grad.detach();
        p.grad.zero_();
      }
    }
    return null;
  },
  requires_grad_(m: PyInstance, args, kwargs, cx) {
    const k = settings('requires_grad_', args, kwargs, ['requires_grad']);
    const on = flag(cx, k.requires_grad, true);
    for (const [, p] of namedParameters(cx, m)) p.requiresGrad_(on);
    return m;
  },
  state_dict(m: PyInstance, args, kwargs, cx) {
    const k = settings('state_dict', args, kwargs, ['destination', 'prefix', 'keep_vars']);
    if ((k.destination ?? null) !== null) throw notSupported(cx, 'state_dict(destination=...)');
    const prefix = typeof k.prefix === 'string' ? k.prefix : '';
    const keep = flag(cx, k.keep_vars, false);
    const out = new OrderedDict();
    for (const [name, t] of stateEntries(cx, m, prefix)) out.set(name, keep ? t : t.detach());
    return out;
  },
  register_parameter(m: PyInstance, args, _kwargs, cx) {
    checkArgs('register_parameter', args, 2, 2);
    registerParameter(cx, m, args[0], args[1]);
    return null;
  },
  add_module(m: PyInstance, args, _kwargs, cx) {
    checkArgs('add_module', args, 2, 2);
    addModule(cx, m, args[0], args[1]);
    return null;
  },
  cpu: (m: PyInstance) => m,
  load_state_dict(m: PyInstance, args, kwargs, cx) {
    const k = settings('load_state_dict', args, kwargs, ['state_dict', 'strict']);
    if (k.state_dict === undefined) throw typeError(`load_state_dict() missing 1 required positional argument: 'state_dict'`);
    return loadStateDict(cx, m, k.state_dict, flag(cx, k.strict, true));
  },
};

/** nn.Module: the base class of every layer and of a program's models. */
export const MODULE_CLASS = nativeClass({ name: 'Module', module: 'torch.nn.modules.module', methods: MODULE_METHODS });
