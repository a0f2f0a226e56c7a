// GradLab's built-in layers, each a subclass of nn.Module as in PyTorch (so a program can derive
// from them too): nn.Linear (PyTorch's default initialisation on the same generator), nn.ReLU,
// nn.Sigmoid, nn.Tanh, nn.Sequential, nn.ModuleList, nn.MSELoss, nn.L1Loss and nn.BCELoss.
import { Tensor, torch as engine } from '../../../../engine/index';
import * as ops from '../../../../engine/ops/index';
import { callMethod, getAttr, setAttr } from '../../../attributes';
import { nativeClass } from '../../../classes';
import type { Context, Kwargs, Value } from '../../../context';
import { PyException, typeError } from '../../../errors';
import { str, truthy, typeName } from '../../../objects';
import { iterableToArray } from '../../../ops';
import { sliceIndices } from '../../../subscript';
import { OrderedDict, PyInstance, PyIterator, PyList, PySlice, type MethodImpl } from '../../../values';
import { intArg, notSupported } from '../values';
import { binaryCrossEntropy, bind, l1Loss, mseLoss, reductionArg, relu } from './functional';
import { fanInAndOut, kaimingUniform, uniformInPlace } from './init';
import { addModule, initModule, MODULE_CLASS, registerBuffer, registerParameter } from './module';
import { makeParameter } from './parameter';

export function tensorInput(cx: Context, v: Value | undefined, argName = 'input'): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`forward(): argument '${argName}' must be Tensor, not ${typeName(cx, v)}`);
}

/** forward(self, input): one tensor argument. */
export function oneInput(args: Value[], kwargs: Kwargs, cx: Context): Tensor {
  if (args.length > 1) throw typeError(`forward() takes 2 positional arguments but ${args.length + 1} were given`);
  return tensorInput(cx, bind('forward', args, kwargs, ['input'], 1).input);
}

export function layer(name: string, methods: Record<string, MethodImpl>): ReturnType<typeof nativeClass> {
  return nativeClass({ name, module: 'torch.nn.modules', bases: [MODULE_CLASS], methods });
}

// ---- nn.Linear ----

export const LINEAR_CLASS = layer('Linear', {
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('Linear.__init__', args, kwargs, ['in_features', 'out_features', 'bias', 'device', 'dtype'], 2);
    if ((k.device ?? null) !== null && k.device !== 'cpu') throw notSupported(cx, 'nn.Linear(device=...) other than the CPU');
    if ((k.dtype ?? null) !== null) throw notSupported(cx, 'nn.Linear(dtype=...)');
    const inFeatures = intArg(cx, k.in_features, "empty(): argument 'size'");
    const outFeatures = intArg(cx, k.out_features, "empty(): argument 'size'");
    if (inFeatures < 0 || outFeatures < 0) {
      throw new PyException('RuntimeError', `Trying to create tensor with negative dimension ${Math.min(inFeatures, outFeatures)}: [${outFeatures}, ${inFeatures}]`);
    }
    initModule(self);
    self.dict.set('in_features', k.in_features);
    self.dict.set('out_features', k.out_features);
    setAttr(cx, self, 'weight', makeParameter(engine.zeros([outFeatures, inFeatures])));
    if (k.bias === undefined || truthy(cx, k.bias)) setAttr(cx, self, 'bias', makeParameter(engine.zeros([outFeatures])));
    else registerParameter(cx, self, 'bias', null);
    callMethod(cx, self, 'reset_parameters', [], null);
    return null;
  },
  /** kaiming_uniform_(weight, a=sqrt(5)), then the bias uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)]. */
  reset_parameters(self: PyInstance, _args, _kwargs, cx) {
    const weight = getAttr(cx, self, 'weight');
    const bias = getAttr(cx, self, 'bias');
    engine.noGrad(() => {
      if (weight instanceof Tensor) kaimingUniform(weight, Math.sqrt(5), 'fan_in', 'leaky_relu');
      if (weight instanceof Tensor && bias instanceof Tensor) {
        const fanIn = fanInAndOut(weight)[0];
        const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        uniformInPlace(bias, -bound, bound);
      }
    });
    return null;
  },
  forward(self: PyInstance, args, kwargs, cx) {
    const input = oneInput(args, kwargs, cx);
    const weight = getAttr(cx, self, 'weight');
    const bias = getAttr(cx, self, 'bias');
    if (!(weight instanceof Tensor)) throw typeError(`linear(): argument 'weight' (position 2) must be Tensor, not ${typeName(cx, weight)}`);
    return ops.linear(input, weight, bias instanceof Tensor ? bias : null);
  },
  extra_repr(self: PyInstance, _args, _kwargs, cx) {
    const bias = getAttr(cx, self, 'bias');
    return `in_features=${str(cx, getAttr(cx, self, 'in_features'))}, out_features=${str(cx, getAttr(cx, self, 'out_features'))}, bias=${bias !== null ? 'True' : 'False'}`;
  },
});

// ---- activations ----

function activation(name: string, f: (t: Tensor, self: PyInstance, cx: Context) => Tensor, hasInplace: boolean): ReturnType<typeof nativeClass> {
  return layer(name, {
    __init__(self: PyInstance, args, kwargs) {
      const k = bind(`${name}.__init__`, args, kwargs, hasInplace ? ['inplace'] : [], 0);
      initModule(self);
      if (hasInplace) self.dict.set('inplace', k.inplace === undefined ? false : k.inplace);
      return null;
    },
    forward: (self: PyInstance, args, kwargs, cx) => f(oneInput(args, kwargs, cx), self, cx),
    extra_repr: (self: PyInstance, _args, _kwargs, cx) => (hasInplace && truthy(cx, getAttr(cx, self, 'inplace')) ? 'inplace=True' : ''),
  });
}

export const RELU_CLASS = activation('ReLU', (t, self, cx) => relu(t, truthy(cx, getAttr(cx, self, 'inplace')), cx), true);
export const SIGMOID_CLASS = activation('Sigmoid', (t) => ops.sigmoid(t), false);
export const TANH_CLASS = activation('Tanh', (t) => ops.tanh(t), false);

// ---- losses ----

function loss(name: string, f: typeof binaryCrossEntropy, weighted = false): ReturnType<typeof nativeClass> {
  const names = weighted ? ['weight', 'size_average', 'reduce', 'reduction'] : ['size_average', 'reduce', 'reduction'];
  return layer(name, {
    __init__(self: PyInstance, args, kwargs, cx) {
      const k = bind(`${name}.__init__`, args, kwargs, names, 0);
      if ((k.size_average ?? null) !== null || (k.reduce ?? null) !== null) {
        throw notSupported(cx, `nn.${name}(size_average=..., reduce=...); use reduction='mean', 'sum' or 'none'`);
      }
      initModule(self);
      self.dict.set('reduction', k.reduction ?? 'mean');
      if (weighted) registerBuffer(cx, self, 'weight', (k.weight ?? null) === null ? null : tensorInput(cx, k.weight, 'weight'), true);
      return null;
    },
    forward(self: PyInstance, args, kwargs, cx) {
      if (args.length > 2) throw typeError(`forward() takes 3 positional arguments but ${args.length + 1} were given`);
      const k = bind('forward', args, kwargs, ['input', 'target'], 2);
      // PyTorch checks the reduction when the loss is computed, not when the module is made.
      const weight = weighted ? getAttr(cx, self, 'weight') : null;
      return f(tensorInput(cx, k.input), tensorInput(cx, k.target, 'target'), reductionArg(cx, getAttr(cx, self, 'reduction')), weight instanceof Tensor ? weight : null);
    },
  });
}

export const MSE_LOSS_CLASS = loss('MSELoss', mseLoss);
export const L1_LOSS_CLASS = loss('L1Loss', l1Loss);
export const BCE_LOSS_CLASS = loss('BCELoss', binaryCrossEntropy, true);

// ---- nn.Sequential ----

function childModules(cx: Context, self: PyInstance): [string, Value][] {
  const modules = getAttr(cx, self, '_modules');
  if (!(modules instanceof OrderedDict)) throw new PyException('AttributeError', `'${typeName(cx, self)}' object has no attribute '_modules'`);
  return [...modules.map.values()].map(([k, v]) => [k as string, v]);
}

/** Indexing, len(), iteration and append(), shared by nn.Sequential and nn.ModuleList. */
function containerMethods(sliceArgument: (children: [string, Value][]) => Value): Record<string, MethodImpl> {
  return {
    __getitem__(self: PyInstance, args, _kwargs, cx) {
      const index = args[0];
      const children = childModules(cx, self);
      if (index instanceof PySlice) {
        const [start, , step, count] = sliceIndices(index, children.length);
        const picked: [string, Value][] = [];
        for (let i = 0, j = start; i < count; i++, j += step) picked.push(children[j]);
        return cx.call(self.cls, [sliceArgument(picked)], null);
      }
      if (typeof index !== 'bigint' && typeof index !== 'boolean') throw typeError(`'${typeName(cx, index)}' object cannot be interpreted as an integer`);
      const n = children.length;
      const i = Number(index);
      if (i < -n || i >= n) throw new PyException('IndexError', `index ${i} is out of range`);
      return children[i < 0 ? i + n : i][1];
    },
    __len__: (self: PyInstance, _args, _kwargs, cx) => BigInt(childModules(cx, self).length),
    __iter__(self: PyInstance, _args, _kwargs, cx) {
      const modules = childModules(cx, self).map(([, m]) => m);
      let i = 0;
      return new PyIterator('odict_iterator', () => (i < modules.length ? modules[i++] : undefined));
    },
    append(self: PyInstance, args, _kwargs, cx) {
      if (args.length !== 1) throw typeError(`append() takes 2 positional arguments but ${args.length + 1} were given`);
      addModule(cx, self, String(childModules(cx, self).length), args[0]);
      return self;
    },
  };
}

export const SEQUENTIAL_CLASS = layer('Sequential', {
  ...containerMethods((picked) => {
    // a slice keeps the children's names
    const modules = new OrderedDict();
    for (const [name, module] of picked) modules.set(name, module);
    return modules;
  }),
  __init__(self: PyInstance, args, kwargs, cx) {
    if (kwargs && kwargs.size > 0) throw typeError(`Sequential.__init__() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
    initModule(self);
    if (args.length === 1 && args[0] instanceof OrderedDict) {
      for (const [key, module] of args[0].map.values()) addModule(cx, self, key, module);
    } else {
      args.forEach((module, i) => addModule(cx, self, String(i), module));
    }
    return null;
  },
  forward(self: PyInstance, args, kwargs, cx) {
    if (args.length > 1) throw typeError(`forward() takes 2 positional arguments but ${args.length + 1} were given`);
    let x = bind('forward', args, kwargs, ['input'], 1).input as Value;
    for (const [, module] of childModules(cx, self)) x = cx.call(module, [x], null);
    return x;
  },
});

/** ModuleList.extend: each module of an iterable, numbered after the ones already there. */
function extendModuleList(cx: Context, self: PyInstance, modules: Value): PyInstance {
  let items: Value[];
  try {
    items = iterableToArray(cx, modules);
  } catch (error) {
    if (error instanceof PyException && error.pyType === 'TypeError') {
      throw typeError(`ModuleList.extend should be called with an iterable, but got ${typeName(cx, modules)}`);
    }
    throw error;
  }
  const offset = childModules(cx, self).length;
  items.forEach((module, i) => addModule(cx, self, String(offset + i), module));
  return self;
}

/** nn.ModuleList: submodules held in a list (registered, so their parameters count); no forward of its own. */
export const MODULE_LIST_CLASS = layer('ModuleList', {
  // a slice is renumbered from 0
  ...containerMethods((picked) => new PyList(picked.map(([, module]) => module))),
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('ModuleList.__init__', args, kwargs, ['modules'], 0);
    initModule(self);
    if (k.modules !== undefined && k.modules !== null) extendModuleList(cx, self, k.modules);
    return null;
  },
  extend(self: PyInstance, args, _kwargs, cx) {
    if (args.length !== 1) throw typeError(`extend() takes 2 positional arguments but ${args.length + 1} were given`);
    return extendModuleList(cx, self, args[0]);
  },
});

/** The built-in layers, by their names in torch.nn. */
export const LAYER_CLASSES = [LINEAR_CLASS, RELU_CLASS, SIGMOID_CLASS, TANH_CLASS, SEQUENTIAL_CLASS, MODULE_LIST_CLASS, MSE_LOSS_CLASS, L1_LOSS_CLASS, BCE_LOSS_CLASS];
