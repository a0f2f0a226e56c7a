// Numbers and tensors as the graph views write them: short, exact for whole numbers
// (-114, not -114.0000), at most 4 decimals otherwise, so a node box stays small.
import type { TensorSummary } from '../../src-main/contract/graph';

/** -114, 0.5, 0.3333, 6642.5, 1.235e+9, nan, inf. */
export function fmtNum(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-4)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  if (Number.isInteger(value)) return String(value);
  const text = value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/** A tensor in a line: 6642.5, [1, 2, 3], or [0.1, 0.2, 0.3, 0.4, …] for a big one (the shape says how big). */
export function fmtTensor(summary: TensorSummary | null | undefined, maxValues = 6): string {
  if (!summary) return '?';
  if (summary.shape.length === 0) return summary.values.length > 0 ? fmtNum(summary.values[0]) : '?';
  const shown = Math.min(summary.values.length, maxValues);
  const parts = summary.values.slice(0, shown).map(fmtNum);
  if (shown < summary.numel) parts.push('…');
  return `[${parts.join(', ')}]`;
}

/** torch.Size-like: [2], [3, 4], [] for a scalar. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Element `index` of a tensor (row-major), when the summary has it. */
export function elementOf(summary: TensorSummary | null | undefined, index: number): number | undefined {
  if (!summary) return undefined;
  if (summary.numel === 1) return summary.values[0];
  if (index < summary.values.length) return summary.values[index];
  if (summary.focus?.index === index) return summary.focus.value;
  return undefined;
}
