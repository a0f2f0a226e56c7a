// One update written out by hand: new = old − learning rate × gradient, for a chosen w element and
// for b, in float32 exactly as the trainer (and PyTorch) computes it, so a class can check it.
import type { ParamSnapshot } from '../state/run-recording';
import { wAt, wGradAt } from '../state/run-recording';

export interface UpdateRow {
  /** "w[0]" or "b". */
  name: string;
  before: number;
  grad: number;
  learningRate: number;
  /** learning rate × gradient, rounded to float32 like the tensor product. */
  step: number;
  after: number;
  /** The recorded new value equals float32(before − step): the arithmetic on screen is the real one. */
  checks: boolean;
}

export interface UpdateArithmetic {
  /** The epoch whose update this is (1-based). */
  epoch: number;
  rows: UpdateRow[];
}

function row(name: string, before: number, grad: number, learningRate: number, after: number): UpdateRow {
  // PyTorch multiplies a float32 tensor by a Python float in float32 (the scalar is cast first).
  const step = Math.fround(Math.fround(learningRate) * grad);
  const expected = Math.fround(before - step);
  const checks = Object.is(expected, after) || expected === after || (Number.isNaN(expected) && Number.isNaN(after));
  return { name, before, grad, learningRate, step, after, checks };
}

/**
 * The update that took `before` (after epoch k-1) to `after` (after epoch k). `after` carries the
 * gradient the update used. Null when the snapshots are not one epoch apart.
 */
export function updateArithmetic(before: ParamSnapshot, after: ParamSnapshot, wIndex: number): UpdateArithmetic | null {
  if (after.epoch !== before.epoch + 1) return null;
  const lr = after.learningRate;
  return {
    epoch: after.epoch,
    rows: [row(`w[${wIndex}]`, wAt(before, wIndex), wGradAt(after, wIndex), lr, wAt(after, wIndex)), row('b', before.b, after.bGrad, lr, after.b)],
  };
}

/** The prediction for element i as the lesson writes it: w[i] × x[i] + b = ŷ (float32). */
export function predictionOf(snapshot: ParamSnapshot, x: ArrayLike<number>, index: number): { w: number; x: number; b: number; yHat: number } | null {
  const w = wAt(snapshot, index);
  if (Number.isNaN(w) || index >= x.length) return null;
  const xi = Math.fround(x[index]);
  return { w, x: xi, b: snapshot.b, yHat: Math.fround(Math.fround(w * xi) + Math.fround(snapshot.b)) };
}
