// Runs exported in lesson 6's torch.nn / torch.optim form, for the export tests and the fixture of
// what PyTorch printed for them (tests/fixtures/data/make-export-nn-form.ts).
import type { SettingChange, TrainConfig } from '../../../../src-main/contract/messages';
import { liveChangeCases } from './live-changes';

export interface NnFormCase {
  name: string;
  config: TrainConfig;
  settingChanges: SettingChange[];
}

const lesson: TrainConfig = { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 };

export const nnFormCases: NnFormCase[] = [
  { name: 'lesson, 100 epochs', config: lesson, settingChanges: [] },
  { name: 'lesson, 2000 epochs', config: { ...lesson, epochs: 2000 }, settingChanges: [] },
  {
    name: 'three values, w ones, b 0.5',
    config: { x: [0.1, 0.2, 0.3], y: [1.3, -0.2, 0.33], initialW: { kind: 'ones' }, initialB: 0.5, learningRate: 0.05, epochs: 300 },
    settingChanges: [],
  },
  { name: 'seeded random w', config: { x: [1, 2, 3, 4, 5], y: [2, 4, 6, 8, 10], initialW: { kind: 'random', seed: 42 }, initialB: 0, learningRate: 0.01, epochs: 200 }, settingChanges: [] },
  { name: 'target loss stops early', config: { ...lesson, epochs: 5000, targetLoss: 1 }, settingChanges: [] },
  { name: 'gradients never zeroed', config: { ...lesson, epochs: 30, learningRate: 0.001, skipZeroGrad: true }, settingChanges: [] },
  { name: 'learning rate too large diverges', config: { ...lesson, learningRate: 5, epochs: 1000 }, settingChanges: [] },
  ...liveChangeCases,
];
