// The hot loop: one slice of epochs, until the slice's time is up, an update is due, the speed
// limit says wait, or the run reaches an end. The host calls it, posts what is due, and
// schedules the next slice; between two slices control messages get in.
import type { RecordedGraph } from '../contract/graph';
import { graphDue, runGraphEpoch } from './lab-graph';
import type { Run } from './run';

export type SliceEnd = 'yield' | 'wait' | 'epochs' | 'target' | 'diverged' | 'stepped';

export interface SliceOutcome {
  end: SliceEnd;
  /** For 'yield' and 'wait': when to run the next slice (clock ms). */
  resumeAt: number;
}

/** `postGraph` receives the graphs of epochs recorded for the lab's graph view (lab-graph.ts). */
export function runSlice(run: Run, clock: () => number, startedAt: number, sliceMs: number, postGraph: (graph: RecordedGraph, epoch: number) => void = () => {}): SliceOutcome {
  const sliceEnd = startedAt + sliceMs;
  const { trainer, pacing } = run;
  let now = startedAt;
  for (;;) {
    if (trainer.epoch >= run.totalEpochs) return { end: 'epochs', resumeAt: Infinity };
    let chunk = pacing.epochsAllowed(now, trainer.epoch);
    if (chunk === 0) return { end: 'wait', resumeAt: pacing.resumeAt(trainer.epoch) };
    chunk = Math.min(chunk, run.totalEpochs - trainer.epoch);
    if (run.stepBudget !== null) chunk = Math.min(chunk, run.stepBudget);
    // while the graph view is open the run's last epoch runs on its own, so its graph is recorded
    if (run.graphWatch !== null && chunk > 1 && trainer.epoch + chunk >= run.totalEpochs) chunk = run.totalEpochs - trainer.epoch - 1;
    const done = graphDue(run, now) ? runGraphEpoch(run, now, postGraph) : trainer.runEpochs(chunk, run.history, run.targetLoss, run.trace);
    if (run.stepBudget !== null) run.stepBudget -= done;
    const loss = trainer.lastLoss as number;
    if (!Number.isFinite(loss)) return { end: 'diverged', resumeAt: Infinity };
    if (trainer.epoch >= run.totalEpochs) return { end: 'epochs', resumeAt: Infinity };
    if (run.targetLoss !== null && loss < run.targetLoss) return { end: 'target', resumeAt: Infinity };
    if (run.stepBudget === 0) return { end: 'stepped', resumeAt: Infinity };
    const previous = now;
    now = clock();
    pacing.adaptStride(chunk, now - previous);
    // Yield when the slice is used up, or when an update is due (so updates go out every
    // frame rather than at the next slice boundary).
    if (now >= sliceEnd || now >= pacing.nextUpdateAt) return { end: 'yield', resumeAt: now };
  }
}
