// Reading values out of the trainer's ParamView (every value when short, a summary when long).
import type { ParamView } from '../../src-main/contract/messages';

export function paramLength(view: ParamView): number {
  return view.kind === 'full' ? view.values.length : view.length;
}

/** w[i] when the trainer reported it, otherwise undefined. */
export function paramAt(view: ParamView, index: number): number | undefined {
  if (view.kind === 'full') return index >= 0 && index < view.values.length ? view.values[index] : undefined;
  const at = view.indices.indexOf(index);
  return at >= 0 ? view.values[at] : undefined;
}

/** The elements followed in the trajectory charts: the first few, or the ones a summary names. */
export function trackedIndices(view: ParamView, max = 4): number[] {
  if (view.kind === 'full') return Array.from({ length: Math.min(max, view.values.length) }, (_, i) => i);
  return view.indices.slice(0, max);
}
