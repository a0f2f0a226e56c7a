// The lab's shared model (one w and one b for all points) in the PyTorch export: each case's
// exported script and, in tests/fixtures/data/export-shared-model.json, what real PyTorch
// printed for it (made by tests/fixtures/data/make-export-shared-model.ts).
import type { SettingChange, TrainConfig } from '../../../../src-main/contract/messages';

export interface SharedExportCase {
  name: string;
  config: TrainConfig;
  settingChanges: SettingChange[];
}

function pseudoRandom(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
}

const line: TrainConfig = { model: 'shared', x: [1, 2, 3], y: [2, 4, 6], initialW: { kind: 'values', values: [0.5] }, initialB: 0.25, learningRate: 0.1, epochs: 1000 };
const noisyX = pseudoRandom(3000, 7).map((v) => v * 4);

export const sharedExportCases: SharedExportCase[] = [
  { name: 'shared: the line y = 2x', config: line, settingChanges: [] },
  { name: 'shared: w ones, fractional data', config: { ...line, x: [0.1, 0.2, 0.3, 0.7], y: [1.3, -0.2, 0.33, 7], initialW: { kind: 'ones' }, learningRate: 0.05, epochs: 300 }, settingChanges: [] },
  { name: 'shared: w zeros', config: { ...line, initialW: { kind: 'zeros' }, epochs: 50 }, settingChanges: [] },
  { name: 'shared: seeded random w', config: { ...line, initialW: { kind: 'random', seed: 42 }, epochs: 200 }, settingChanges: [] },
  { name: 'shared: learning rate too large diverges', config: { ...line, learningRate: 0.3, epochs: 500 }, settingChanges: [] },
  { name: 'shared: lr raised at 21, zero_grad forgotten from 41', config: { ...line, learningRate: 0.01, epochs: 80 }, settingChanges: [{ fromEpoch: 21, learningRate: 0.05, skipZeroGrad: false }, { fromEpoch: 41, learningRate: 0.05, skipZeroGrad: true }] },
  {
    name: 'shared: 3000 points in an .npy sidecar',
    config: { model: 'shared', x: noisyX, y: noisyX.map((v, i) => 3 * v - 1 + (pseudoRandom(1, i + 1)[0] - 0.5)), initialW: { kind: 'values', values: [0] }, initialB: 0, learningRate: 0.05, epochs: 200 },
    settingChanges: [],
  },
];
