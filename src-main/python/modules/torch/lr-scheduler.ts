// torch.optim.lr_scheduler's StepLR, ExponentialLR, MultiStepLR and LambdaLR as PyTorch 1.13
// writes them: the scheduler stores 'initial_lr' in each param group, takes its first step when
// it is made, and each step() sets the groups' lr from its rule (Python float products, as
// PyTorch's: lr * gamma when due, or base_lr * lr_lambda(epoch)).
import { nativeClass } from '../../classes';
import type { Context, Value } from '../../context';
import { typeError } from '../../errors';
import type { ModuleDefinition } from '../../module-registry';
import { typeName } from '../../objects';
import { iterableToArray } from '../../ops';
import { toFloat } from '../../args';
import { pythonPow } from '../../../optim/index';
import { makeModule, PyDict, PyInstance, PyList, type MethodImpl } from '../../values';
import { bind } from './nn/functional';
import { optimizerParamGroups } from './optim';

type Rule = (self: PyInstance, lr: number, epoch: number, cx: Context, group: number) => number;

function groups(self: PyInstance): PyDict[] {
  const list = self.dict.get('_groups');
  return list instanceof PyList ? (list.items as PyDict[]) : [];
}

function lrOf(cx: Context, group: PyDict): number {
  const lr = group.get('lr');
  if (typeof lr === 'number') return lr;
  if (typeof lr === 'bigint') return Number(lr);
  throw typeError(`unsupported operand type(s) for *: '${typeName(cx, lr ?? null)}' and 'float'`);
}

/** LRScheduler.step(): one more epoch, each group's lr from the rule, remembered as the last lr. */
function step(cx: Context, self: PyInstance, rule: Rule): void {
  const epoch = Number(self.dict.get('last_epoch')) + 1;
  self.dict.set('last_epoch', BigInt(epoch));
  const lrs = groups(self).map((group, i) => rule(self, lrOf(cx, group), epoch, cx, i));
  groups(self).forEach((group, i) => group.set('lr', lrs[i]));
  self.dict.set('_last_lr', new PyList(lrs));
}

function scheduler(name: string, settings: string[], rule: Rule): ReturnType<typeof nativeClass> {
  const methods: Record<string, MethodImpl> = {
    __init__(self: PyInstance, args, kwargs, cx) {
      const k = bind(`${name}.__init__`, args, kwargs, ['optimizer', ...settings, 'last_epoch', 'verbose'], 2);
      const paramGroups = k.optimizer === undefined ? null : optimizerParamGroups(k.optimizer);
      if (paramGroups === null) throw typeError(`${typeName(cx, k.optimizer ?? null)} is not an Optimizer`);
      if (k.last_epoch !== undefined && k.last_epoch !== -1n) throw typeError(`GradLab does not support ${name}(last_epoch=...) yet`);
      self.dict.set('optimizer', k.optimizer!);
      for (const s of settings) self.dict.set(s, k[s] ?? (s === 'gamma' ? 0.1 : null));
      if (settings.includes('milestones')) self.dict.set('milestones', new PyList(iterableToArray(cx, k.milestones ?? new PyList([]))));
      const list = paramGroups.items as PyDict[];
      for (const group of list) if (!group.has('initial_lr')) group.set('initial_lr', group.get('lr')!);
      self.dict.set('_groups', paramGroups);
      self.dict.set('base_lrs', new PyList(list.map((group) => group.get('initial_lr')!)));
      self.dict.set('last_epoch', -1n);
      self.dict.set('verbose', k.verbose ?? false);
      step(cx, self, rule);
      return null;
    },
    step(self: PyInstance, args, _kwargs, cx) {
      if (args.length > 0) throw typeError(`GradLab does not support ${name}.step(epoch) yet`);
      step(cx, self, rule);
      return null;
    },
    get_last_lr: (self: PyInstance) => new PyList([...((self.dict.get('_last_lr') as PyList | undefined)?.items ?? [])]),
    /** the scheduler's attributes but the optimizer, as PyTorch's state_dict() */
    state_dict(self: PyInstance) {
      const d = new PyDict();
      for (const [key, value] of self.dict) if (key !== 'optimizer' && key !== '_groups') d.set(key, value);
      return d;
    },
  };
  return nativeClass({ name, module: 'torch.optim.lr_scheduler', methods });
}

const gammaOf = (self: PyInstance): number => Number(self.dict.get('gamma'));

/** StepLR: lr * gamma every step_size epochs. */
const STEP_LR = scheduler('StepLR', ['step_size', 'gamma'], (self, lr, epoch) => {
  const stepSize = Number(self.dict.get('step_size'));
  return epoch === 0 || epoch % stepSize !== 0 ? lr : lr * gammaOf(self);
});

/** ExponentialLR: lr * gamma every epoch. */
const EXPONENTIAL_LR = scheduler('ExponentialLR', ['gamma'], (self, lr, epoch) => (epoch === 0 ? lr : lr * gammaOf(self)));

/** MultiStepLR: lr * gamma ** (how often the epoch is listed) at each milestone. */
const MULTI_STEP_LR = scheduler('MultiStepLR', ['milestones', 'gamma'], (self, lr, epoch) => {
  const milestones = (self.dict.get('milestones') as PyList).items.filter((m) => m === BigInt(epoch)).length;
  return milestones === 0 ? lr : lr * pythonPow(gammaOf(self), milestones);
});

/** LambdaLR: base_lr * lr_lambda(epoch), one function for every group or one per group. */
const LAMBDA_LR = scheduler('LambdaLR', ['lr_lambda'], (self, _lr, epoch, cx, group) => {
  const lambdas = self.dict.get('lr_lambda');
  const fn = lambdas instanceof PyList ? lambdas.items[group] : lambdas;
  const base = toFloat(cx, (self.dict.get('base_lrs') as PyList).items[group]);
  return base * toFloat(cx, cx.call(fn ?? null, [BigInt(epoch)], null));
});

const UNSUPPORTED_SCHEDULERS = [
  'MultiplicativeLR', 'ConstantLR', 'LinearLR', 'SequentialLR', 'CosineAnnealingLR', 'ChainedScheduler',
  'ReduceLROnPlateau', 'CyclicLR', 'CosineAnnealingWarmRestarts', 'OneCycleLR', 'PolynomialLR',
];

export const lrSchedulerModule: ModuleDefinition = {
  name: 'torch.optim.lr_scheduler',
  create: () => makeModule('torch.optim.lr_scheduler', { StepLR: STEP_LR, ExponentialLR: EXPONENTIAL_LR, MultiStepLR: MULTI_STEP_LR, LambdaLR: LAMBDA_LR } as Record<string, Value>, UNSUPPORTED_SCHEDULERS),
};
