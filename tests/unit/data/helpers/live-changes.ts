// Runs whose learning rate or zero_grad setting changed while they trained, as the app's trainer
// runs them (the change made between epochs, as the live request does), for the export tests and
// the fixture of what PyTorch printed for their exported scripts.
import type { SettingChange, TrainConfig } from '../../../../src-main/contract/messages';
import { resultJson } from '../../../../src-main/cli/train';
import { trainToEnd } from '../../../../src-main/training/trainer';

export interface LiveChangeCase {
  name: string;
  config: TrainConfig;
  settingChanges: SettingChange[];
}

const lesson: TrainConfig = { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 };

export const liveChangeCases: LiveChangeCase[] = [
  {
    name: 'lesson: lr lowered at 31, zero_grad forgotten 61-70, lr raised at 71',
    config: lesson,
    settingChanges: [
      { fromEpoch: 31, learningRate: 0.005, skipZeroGrad: false },
      { fromEpoch: 61, learningRate: 0.005, skipZeroGrad: true },
      { fromEpoch: 71, learningRate: 0.02, skipZeroGrad: false },
    ],
  },
  {
    name: 'started forgetting zero_grad, fixed at epoch 11 with a larger lr',
    config: { x: [0.5, 1.5, -2, 3], y: [1, 2.5, -3, 4.25], initialW: { kind: 'ones' }, initialB: 0.5, learningRate: 0.001, epochs: 40, skipZeroGrad: true },
    settingChanges: [{ fromEpoch: 11, learningRate: 0.03, skipZeroGrad: false }],
  },
  {
    name: 'lr raised until the run diverges',
    config: { ...lesson, epochs: 200 },
    settingChanges: [{ fromEpoch: 21, learningRate: 1, skipZeroGrad: false }],
  },
];

/** The train CLI's JSON line (parsed) for a run with live changes, computed by the app's trainer. */
export function trainWithChanges(config: TrainConfig, changes: readonly SettingChange[]): unknown {
  return JSON.parse(resultJson(trainToEnd(config, undefined, changes)));
}
