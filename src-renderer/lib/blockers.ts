// Why Run cannot start, in the order a learner would fix it, each with the field to go to. Run's
// note shows the first one right next to the button.
import type { DataCheck, ParamCheck, Problem } from './validate';

export interface Blocker extends Problem {
  /** The lab section that holds the field, and the field itself (a CSS selector inside it). */
  section: 'data' | 'start' | 'settings';
  field: string;
}

export function runBlockers(data: DataCheck, params: ParamCheck): Blocker[] {
  const blockers: Blocker[] = [];
  for (const problem of data.overall) blockers.push({ ...problem, section: 'data', field: '[data-cell]' });
  if (data.cellProblems.size > 0) {
    const [first] = data.cellProblems.keys();
    const [column, row] = first.split(':');
    blockers.push({ key: 'controls.cannotRun', params: { n: data.cellProblems.size }, section: 'data', field: `[data-cell="${column}-${row}"]` });
  }
  const p = params.problems;
  if (p.w) blockers.push({ ...p.w, section: 'start', field: '#w-kind' });
  if (p.seed) blockers.push({ ...p.seed, section: 'start', field: '#w-kind' });
  if (p.b) blockers.push({ ...p.b, section: 'start', field: '#b-init' });
  if (p.lr) blockers.push({ ...p.lr, section: 'settings', field: '#lr-field' });
  if (p.epochs) blockers.push({ ...p.epochs, section: 'settings', field: '#epochs-field' });
  return blockers;
}
