// The lab's graph view: while it is open, the host runs an epoch now and then with its autograd
// graph recorded (trainer.runEpochWithGraph, the same arithmetic) and posts it as `labGraph`.
// Every epoch when stepping or in slow motion, otherwise a few a second, and always the first
// and the last epoch of a run, so a paused or finished run shows its latest epoch's numbers.
import type { RecordedGraph } from '../contract/graph';
import type { ModelKind } from '../contract/messages';
import type { Run } from './run';
import { LinearRegressionTrainer } from './trainer';

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

/** The values a graph is recorded at: a model's data and parameters. */
export interface GraphValues {
  model: ModelKind;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  w: ArrayLike<number>;
  b: number;
}

/** The values of a run as they are now (after its latest update). */
export function runValues(run: Run): GraphValues {
  const { trainer } = run;
  return { model: trainer.model, x: trainer.x.data as Float32Array, y: trainer.y.data as Float32Array, w: trainer.wValues, b: trainer.bValue };
}

/**
 * The graph one more epoch builds from `values`, without changing anything: a scratch trainer
 * with learning rate 0 runs the lesson's epoch once, recorded (the same ops, the real numbers).
 * This is how a finished, stopped or restored run still shows its graph. Null when the loss at
 * these values is nan/inf (backward() does not run then) or the values cannot be trained.
 */
export function graphAtValues(values: GraphValues, element: number): RecordedGraph | null {
  let trainer: LinearRegressionTrainer;
  try {
    trainer = new LinearRegressionTrainer({
      model: values.model,
      x: Float32Array.from(values.x),
      y: Float32Array.from(values.y),
      initialW: { kind: 'values', values: Array.from(values.w) },
      initialB: values.b,
      learningRate: 0,
      epochs: 1,
    });
  } catch {
    return null;
  }
  try {
    const graph = trainer.runEpochWithGraph(element).graph;
    // the update with learning rate 0 wrote the same values back: the leaves did not change
    return graph && { ...graph, nodes: graph.nodes.map((node) => (node.leaf?.valueNow ? { ...node, leaf: { ...node.leaf, valueNow: null } } : node)) };
  } finally {
    trainer.dispose();
  }
}
