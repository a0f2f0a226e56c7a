// torch.optim.lr_scheduler's StepLR and ExponentialLR as PyTorch 1.13 writes them: the scheduler
// stores 'initial_lr' in each param group, takes its first step when it is made, and each step()
// multiplies the groups' lr by gamma when due (a Python float product, as PyTorch's).
import { nativeClass } from '../../classes';
import type { Context, Value } from '../../context';
import { typeError } from '../../errors';
import type { ModuleDefinition } from '../../module-registry';
import { typeName } from '../../objects';
import { makeModule, PyDict, PyInstance, PyList, type MethodImpl } from '../../values';
import { bind } from './nn/functional';
import { optimizerParamGroups } from './optim';

type Rule = (self: PyInstance, lr: number, epoch: number) => number;

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
  const lrs = groups(self).map((group) => rule(self, lrOf(cx, group), epoch));
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
      for (const s of settings) self.dict.set(s, k[s] ?? 0.1);
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

const UNSUPPORTED_SCHEDULERS = [
  'LambdaLR', 'MultiplicativeLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'SequentialLR', 'CosineAnnealingLR', 'ChainedScheduler',
  'ReduceLROnPlateau', 'CyclicLR', 'CosineAnnealingWarmRestarts', 'OneCycleLR', 'PolynomialLR',
];

export const lrSchedulerModule: ModuleDefinition = {
  name: 'torch.optim.lr_scheduler',
  create: () => makeModule('torch.optim.lr_scheduler', { StepLR: STEP_LR, ExponentialLR: EXPONENTIAL_LR } as Record<string, Value>, UNSUPPORTED_SCHEDULERS),
};
