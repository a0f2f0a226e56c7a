// Ready-made lab inputs. Values are written out as text cells, exactly as if the learner had typed them.
import type { ParamInputs } from './validate';

/** Ids match the lessons' `gradlab-action load-example <presetId>` blocks. */
export type PresetId = 'lesson-example' | 'perfect-line' | 'noisy-line' | 'line-2x' | 'line-2x-zigzag';
export const presetIds: readonly PresetId[] = ['lesson-example', 'perfect-line', 'noisy-line', 'line-2x', 'line-2x-zigzag'];

export function isPresetId(value: string): value is PresetId {
  return (presetIds as readonly string[]).includes(value);
}

/** The data cells and the parameter fields, as text. */
export interface Preset extends ParamInputs {
  xCells: string[];
  yCells: string[];
}

/** Small seeded generator (mulberry32) so the noisy line is the same every time. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short decimal text for a generated value (what a spreadsheet would show). */
const cellText = (value: number): string => String(Number(value.toFixed(4)));

export const DEFAULT_NOISY_POINTS = 20;
export const MAX_NOISY_POINTS = 1_000_000;

export function makePreset(id: PresetId, noisyPoints = DEFAULT_NOISY_POINTS): Preset {
  switch (id) {
    case 'lesson-example':
      // The lesson's worked example: after 100 epochs loss 183.0799, w = [51.8260, -9.4314], b = 45.1103.
      return { xCells: ['1', '2'], yCells: ['115', '21'], wKind: 'values', wValuesText: '1, 2', seedText: '42', bText: '0', lrText: '0.01', epochsText: '100' };
    case 'perfect-line': {
      const xs = [1, 2, 3, 4, 5, 6];
      return {
        xCells: xs.map(String),
        yCells: xs.map((x) => String(2 * x + 1)),
        wKind: 'ones',
        wValuesText: '',
        seedText: '42',
        bText: '0',
        lrText: '0.01',
        epochsText: '500',
      };
    }
    case 'line-2x':
      // The classic line fit with one shared w and b: the loss landscape's lowest point is w = 2, b = 0.
      return { model: 'shared', xCells: ['1', '2', '3'], yCells: ['2', '4', '6'], wKind: 'values', wValuesText: '0.5', seedText: '42', bText: '0.25', lrText: '0.1', epochsText: '1000' };
    case 'line-2x-zigzag':
      // The same line with a learning rate just under the largest that converges (2 / 11.09 ≈ 0.18
      // here: the loss curves 46 times more steeply across the valley than along it), so every
      // update jumps across the valley and back (w 0.5 → 2.71 → 0.78 → 2.51 …) while it slowly
      // comes down to w = 2, b = 0; at 0.2 the jumps grow and the run leaves the bowl.
      return { ...makePreset('line-2x'), lrText: '0.17', epochsText: '200' };
    case 'noisy-line': {
      const n = Math.max(1, Math.min(MAX_NOISY_POINTS, Math.floor(noisyPoints)));
      const random = seededRandom(7);
      const xCells = new Array<string>(n);
      const yCells = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        // x runs 0, 0.04, ..., 4 and repeats, so values stay readable however many points there are.
        const x = ((i % 101) * 4) / 100;
        const noise = (random() - 0.5) * 1.2;
        xCells[i] = cellText(x);
        yCells[i] = cellText(3 * x - 2 + noise);
      }
      return { xCells, yCells, wKind: 'ones', wValuesText: '', seedText: '42', bText: '0', lrText: '0.01', epochsText: '1000' };
    }
  }
}
