// torch.utils.data as PyTorch 1.13 has it for one process: Dataset (to subclass), TensorDataset,
// Subset, random_split and DataLoader with batch_size / shuffle / drop_last / collate_fn /
// generator. Shuffling draws exactly what PyTorch draws, so torch.manual_seed reproduces its
// batches: every `iter(loader)` takes one int64 seed from the loader's generator
// (_BaseDataLoaderIter's _base_seed), and a shuffling sampler, when its first index is asked for,
// takes another from the default generator, seeds a fresh torch.Generator with it and
// permutes with torch.randperm on that one (RandomSampler.__iter__).
import { Tensor, torch as engine } from '../../../engine/index';
import * as ops from '../../../engine/ops/index';
import { Generator } from '../../../engine/random';
import { nativeClass } from '../../classes';
import type { Context, Kwargs, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import type { ModuleDefinition } from '../../module-registry';
import { iterableToArray, length } from '../../ops';
import { repr, typeName } from '../../objects';
import { getItem } from '../../subscript';
import { Builtin, makeModule, OrderedDict, PyDict, PyInstance, PyIterator, PyList, PyTuple, type MethodImpl } from '../../values';
import { drawSeed, generatorArg } from './generator';
import { bind } from './nn/functional';
import { DTYPE_NAMES, intArg } from './values';
import { tensorFactory } from './factories';

function valueError(message: string): PyException {
  return new PyException('ValueError', message);
}

// ---------- datasets ----------

/** torch.utils.data.Dataset: the base class a program's datasets derive from. */
export const DATASET_CLASS = nativeClass({
  name: 'Dataset',
  module: 'torch.utils.data.dataset',
  methods: {
    __getitem__() {
      throw new PyException('NotImplementedError', 'Subclasses of Dataset should implement __getitem__.');
    },
  },
});

function tensorsOf(self: PyInstance): Tensor[] {
  const t = self.dict.get('tensors');
  return t instanceof PyTuple ? (t.items as Tensor[]) : [];
}

/** TensorDataset(*tensors): sample i is (t[i] for each tensor). */
const TENSOR_DATASET_CLASS = nativeClass({
  name: 'TensorDataset',
  module: 'torch.utils.data.dataset',
  bases: [DATASET_CLASS],
  methods: {
    __init__(self: PyInstance, args, kwargs, cx) {
      if (kwargs !== null && kwargs.size > 0) throw typeError(`TensorDataset.__init__() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
      if (args.length === 0) throw new PyException('IndexError', 'tuple index out of range');
      for (const t of args) if (!(t instanceof Tensor)) throw new PyException('AttributeError', `'${typeName(cx, t)}' object has no attribute 'size'`);
      const tensors = args as Tensor[];
      const rows = (t: Tensor): number => {
        if (t.dim() === 0) throw new PyException('IndexError', 'dimension specified as 0 but tensor has no dimensions');
        return t.shape[0];
      };
      if (!tensors.every((t) => rows(tensors[0]) === rows(t))) throw new PyException('AssertionError', 'Size mismatch between tensors');
      self.dict.set('tensors', new PyTuple(tensors));
      return null;
    },
    __getitem__: (self: PyInstance, [index], _kwargs, cx) => new PyTuple(tensorsOf(self).map((t) => getItem(cx, t, index))),
    __len__: (self: PyInstance) => BigInt(tensorsOf(self)[0]?.shape[0] ?? 0),
  },
});

/** Subset(dataset, indices): the dataset seen through a list of indices. */
const SUBSET_CLASS = nativeClass({
  name: 'Subset',
  module: 'torch.utils.data.dataset',
  bases: [DATASET_CLASS],
  methods: {
    __init__(self: PyInstance, args, kwargs) {
      const k = bind('Subset.__init__', args, kwargs, ['dataset', 'indices'], 2);
      self.dict.set('dataset', k.dataset!);
      self.dict.set('indices', k.indices!);
      return null;
    },
    __getitem__(self: PyInstance, [idx], _kwargs, cx) {
      const dataset = self.dict.get('dataset');
      const indices = self.dict.get('indices');
      if (idx instanceof PyList) return getItem(cx, dataset, new PyList(idx.items.map((i) => getItem(cx, indices, i))));
      return getItem(cx, dataset, getItem(cx, indices, idx));
    },
    __len__: (self: PyInstance, _args, _kwargs, cx) => BigInt(length(cx, self.dict.get('indices'))),
  },
});

/** random_split(dataset, lengths, generator=default_generator): Subsets of a random permutation (lengths or fractions). */
function randomSplit(args: Value[], kwargs: Kwargs, cx: Context): Value {
  const k = bind('random_split', args, kwargs, ['dataset', 'lengths', 'generator'], 2);
  const generator = generatorArg(cx, k.generator, 'random_split');
  const n = length(cx, k.dataset);
  const given = iterableToArray(cx, k.lengths!);
  const numbers = given.map((v) => (typeof v === 'number' ? v : intArg(cx, v, 'random_split(): lengths')));
  const total = numbers.reduce((a, b) => a + b, 0);
  let lengths = numbers;
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, Math.abs(total)) && total <= 1) {
    // fractions: floor(n * f) each, the remainder handed out one by one from the first split
    lengths = numbers.map((f, i) => {
      if (f < 0 || f > 1) throw valueError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * f);
    });
    const remainder = n - lengths.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) lengths[i % lengths.length] += 1;
  }
  if (lengths.some((l) => !Number.isInteger(l)) || lengths.reduce((a, b) => a + b, 0) !== n) {
    throw valueError('Sum of input lengths does not equal the length of the input dataset!');
  }
  const order = Array.from(engine.randperm(n, generator ? { generator } : {}).data as BigInt64Array);
  const subsets: Value[] = [];
  let offset = 0;
  for (const l of lengths) {
    subsets.push(cx.call(SUBSET_CLASS, [k.dataset, new PyList(order.slice(offset, offset + l))], null));
    offset += l;
  }
  return new PyList(subsets);
}

// ---------- collation ----------

const COLLATE_ERROR = 'default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found';

/**
 * default_collate: a list of samples -> one batch (tensors stacked, numbers as a tensor, tuples
 * transposed into lists). `batch` is the list the loader made or, one level down, a tuple of
 * the transposed samples (strings come back as that very list or tuple).
 */
function collate(cx: Context, samples: PyList | PyTuple): Value {
  const batch = samples.items;
  if (batch.length === 0) throw new PyException('IndexError', `${samples instanceof PyList ? 'list' : 'tuple'} index out of range`);
  const elem = batch[0];
  if (elem instanceof Tensor) return ops.stack(batch as Tensor[], 0);
  if (typeof elem === 'number') return tensorFactory([new PyList(batch)], new Map([['dtype', DTYPE_NAMES.float64]]), cx);
  if (typeof elem === 'bigint' || typeof elem === 'boolean') return tensorFactory([new PyList(batch)], null, cx);
  if (typeof elem === 'string') return samples;
  if (elem instanceof PyDict) {
    const out = elem instanceof OrderedDict ? new OrderedDict() : new PyDict();
    for (const [key] of elem.map.values()) out.set(key, collate(cx, new PyList(batch.map((d) => getItem(cx, d, key)))));
    return out;
  }
  if (elem instanceof PyTuple || elem instanceof PyList) {
    const size = elem.items.length;
    if (!batch.every((s) => (s instanceof PyTuple || s instanceof PyList) && s.items.length === size)) {
      throw new PyException('RuntimeError', 'each element in list of batch should be of equal size');
    }
    return new PyList(elem.items.map((_, i) => collate(cx, new PyTuple(batch.map((s) => (s as PyTuple).items[i])))));
  }
  throw typeError(`${COLLATE_ERROR} <class '${typeName(cx, elem)}'>`);
}

// ---------- DataLoader ----------

interface LoaderSettings {
  dataset: Value;
  batchSize: number;
  shuffle: boolean;
  dropLast: boolean;
  collateFn: Value;
  generator: Generator | undefined;
}

const LOADER_ARGS = [
  'dataset', 'batch_size', 'shuffle', 'sampler', 'batch_sampler', 'num_workers', 'collate_fn', 'pin_memory', 'drop_last',
  'timeout', 'worker_init_fn', 'multiprocessing_context', 'generator', 'prefetch_factor', 'persistent_workers', 'pin_memory_device',
];

const settingsOf = new WeakMap<PyInstance, LoaderSettings>();

function settings(cx: Context, self: PyInstance): LoaderSettings {
  const s = settingsOf.get(self);
  if (s === undefined) throw typeError(`DataLoader.__init__() was not called on this ${typeName(cx, self)}`);
  return s;
}

function batchCount(cx: Context, s: LoaderSettings): number {
  const n = length(cx, s.dataset);
  return s.dropLast ? Math.floor(n / s.batchSize) : Math.ceil(n / s.batchSize);
}

/** One pass over the loader (`iter(loader)`): draws as _SingleProcessDataLoaderIter, RandomSampler and BatchSampler do. */
function loaderIterator(cx: Context, s: LoaderSettings): PyIterator {
  drawSeed(s.generator); // _base_seed (for workers; drawn even without them)
  let order: number[] | null = null;
  let position = 0;
  let exhausted = false;
  const nextIndex = (): number | undefined => {
    if (order === null) {
      const n = length(cx, s.dataset);
      if (s.shuffle) {
        const generator = s.generator ?? new Generator(drawSeed());
        order = Array.from(engine.randperm(n, { generator }).data as BigInt64Array, Number);
      } else {
        order = Array.from({ length: n }, (_, i) => i);
      }
    }
    if (position < order.length) return order[position++];
    if (!exhausted) {
      exhausted = true;
      // RandomSampler's trailing `randperm(n)[:0]`, drawn from the loader's generator when one was given
      if (s.shuffle && s.generator) engine.randperm(order.length, { generator: s.generator });
    }
    return undefined;
  };
  let done = false;
  return new PyIterator('_SingleProcessDataLoaderIter', () => {
    if (done) return undefined;
    const indices: number[] = [];
    while (indices.length < s.batchSize) {
      const i = nextIndex();
      if (i === undefined) break;
      indices.push(i);
    }
    if (indices.length === 0 || (s.dropLast && indices.length < s.batchSize)) {
      done = true;
      return undefined;
    }
    const samples = new PyList(indices.map((i) => getItem(cx, s.dataset, BigInt(i))));
    return s.collateFn === null ? collate(cx, samples) : cx.call(s.collateFn, [samples], null);
  });
}

function positiveInt(cx: Context, v: Value, name: string): number {
  if (typeof v !== 'bigint' || v <= 0n) throw valueError(`${name} should be a positive integer value, but got ${name}=${repr(cx, v)}`);
  return Number(v);
}

const LOADER_METHODS: Record<string, MethodImpl> = {
  __init__(self: PyInstance, args, kwargs, cx) {
    const k = bind('DataLoader.__init__', args, kwargs, LOADER_ARGS, 1);
    for (const name of ['sampler', 'batch_sampler', 'worker_init_fn', 'multiprocessing_context']) {
      if (k[name] !== undefined && k[name] !== null) throw new PyException('NotImplementedError', `GradLab does not support DataLoader(${name}=...) yet (line ${cx.line})`);
    }
    if (k.batch_size === null) throw new PyException('NotImplementedError', `GradLab does not support DataLoader(batch_size=None) yet (line ${cx.line})`);
    const batchSize = k.batch_size === undefined ? 1 : positiveInt(cx, k.batch_size, 'batch_size');
    const numWorkers = k.num_workers ?? 0n;
    if (typeof numWorkers !== 'bigint' || numWorkers < 0n) {
      throw valueError('num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.');
    }
    const shuffle = k.shuffle === true || (typeof k.shuffle === 'bigint' && k.shuffle !== 0n);
    const s: LoaderSettings = {
      dataset: k.dataset!,
      batchSize,
      shuffle,
      dropLast: k.drop_last === true,
      collateFn: k.collate_fn ?? null,
      generator: generatorArg(cx, k.generator, 'DataLoader'),
    };
    if (shuffle) {
      const n = length(cx, s.dataset);
      if (n <= 0) throw valueError(`num_samples should be a positive integer value, but got num_samples=${n}`);
    }
    settingsOf.set(self, s);
    self.dict.set('dataset', s.dataset);
    self.dict.set('batch_size', BigInt(batchSize));
    self.dict.set('drop_last', s.dropLast);
    self.dict.set('num_workers', numWorkers);
    self.dict.set('generator', k.generator ?? null);
    return null;
  },
  __len__: (self: PyInstance, _args, _kwargs, cx) => BigInt(batchCount(cx, settings(cx, self))),
  __iter__: (self: PyInstance, _args, _kwargs, cx) => loaderIterator(cx, settings(cx, self)),
};

const DATALOADER_CLASS = nativeClass({ name: 'DataLoader', module: 'torch.utils.data.dataloader', methods: LOADER_METHODS });

/** torch.utils.data's other public names: using one says so plainly. */
const UNSUPPORTED_DATA = [
  'IterableDataset', 'ConcatDataset', 'ChainDataset', 'StackDataset', 'Sampler', 'SequentialSampler', 'RandomSampler',
  'SubsetRandomSampler', 'WeightedRandomSampler', 'BatchSampler', 'DistributedSampler', 'get_worker_info',
  'default_convert', 'DataChunk', 'IterDataPipe', 'MapDataPipe', 'functional_datapipe', 'dataloader', 'dataset', 'datapipes',
];

export const dataModule: ModuleDefinition = {
  name: 'torch.utils.data',
  create: () =>
    makeModule(
      'torch.utils.data',
      {
        Dataset: DATASET_CLASS,
        TensorDataset: TENSOR_DATASET_CLASS,
        Subset: SUBSET_CLASS,
        DataLoader: DATALOADER_CLASS,
        random_split: new Builtin('random_split', randomSplit),
        default_collate: new Builtin('default_collate', (args, _kwargs, cx) => {
          return collate(cx, new PyList(iterableToArray(cx, args[0])));
        }),
      },
      UNSUPPORTED_DATA,
    ),
};

export const utilsModule: ModuleDefinition = {
  name: 'torch.utils',
  create: (ip) => makeModule('torch.utils', { data: ip.importModule('torch.utils.data', ip.line) }, ['checkpoint', 'tensorboard', 'benchmark', 'cpp_extension', 'hooks', 'model_zoo', 'mobile_optimizer']),
};
