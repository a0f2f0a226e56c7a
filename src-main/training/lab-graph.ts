// The lab's graph view: while it is open, the host runs an epoch now and then with its autograd
// graph recorded (trainer.runEpochWithGraph, the same arithmetic) and posts it as `labGraph`.
// Every epoch when stepping or in slow motion, otherwise a few a second, and always the first
// and the last epoch of a run, so a paused or finished run shows its latest epoch's numbers.
import type { RecordedGraph } from '../contract/graph';
import type { Run } from './run';

/** Shortest time between two recorded graphs while training runs freely (ms). */
export const GRAPH_INTERVAL_MS = 250;
/** Under this speed limit (epochs per second) every epoch's graph is recorded. */
const GRAPH_EVERY_EPOCH_BELOW = 30;

/** What a run keeps for the graph view. */
export interface GraphWatch {
  /** The element big tensors' summaries keep (the lab's selected element). */
  element: number;
  lastAt: number;
}

/** Whether the next epoch should be recorded. */
export function graphDue(run: Run, now: number): boolean {
  const watch = run.graphWatch;
  if (watch === null) return false;
  const { trainer } = run;
  if (run.stepBudget !== null || trainer.epoch === 0 || trainer.epoch + 1 >= run.totalEpochs) return true;
  const speed = run.pacing.epochsPerSecond;
  if (speed !== null && speed < GRAPH_EVERY_EPOCH_BELOW) return true;
  return now - watch.lastAt >= GRAPH_INTERVAL_MS;
}

/** One epoch with its graph recorded, the loss kept in the history; returns the epochs completed (0 on nan/inf). */
export function runGraphEpoch(run: Run, now: number, post: (graph: RecordedGraph, epoch: number) => void): number {
  const watch = run.graphWatch!;
  const { loss, graph } = run.trainer.runEpochWithGraph(watch.element);
  watch.lastAt = now;
  if (!Number.isFinite(loss)) return 0;
  run.history.push(loss);
  if (graph) post(graph, run.trainer.epoch);
  return 1;
}
