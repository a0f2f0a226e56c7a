// The loss landscape of the lab's model over two of its parameters, the others held where they
// are. The model is linear in every parameter, so the mean squared error is exactly a quadratic
// in any two of them: with the residual r = w*x + b - y written as r0 + a·p + c·q (p, q the two
// parameters, a and c what r changes by per unit of each),
//   loss(p, q) = mean(r0²) + 2p·mean(a·r0) + 2q·mean(c·r0) + p²·mean(a²) + 2pq·mean(a·c) + q²·mean(c²).
// The residual at the current values comes from the engine (the trainer's own forward pass, in
// float32); the six means are taken once in float64 (O(n)), after which every grid point costs
// O(1), so even 786,432-value frog pictures get a landscape in milliseconds, in the worker. The
// lowest point solves the 2x2 system exactly.
import { torch, type Tensor } from '../engine';
import type { EventMap, ModelKind, ParamRef } from '../contract/messages';

export interface LandscapeInput {
  model: ModelKind;
  x: Float32Array;
  /** The residual w*x + b - y at the current parameter values (float32, from the engine). */
  residual: Float32Array;
  /** Current w (one value for the shared model) and b. */
  w: ArrayLike<number>;
  b: number;
}

export type LandscapeResult = Omit<EventMap['landscape'], 'type' | 'runId' | 'epoch'>;

/** Quadratic coefficients of the mean squared error in (p, q) about (0, 0). */
export interface Quadratic {
  pp: number;
  qq: number;
  pq: number;
  p: number;
  q: number;
  c: number;
}

export class LandscapeError extends Error {
  override readonly name = 'LandscapeError';
}

/** The residual w*x + b - y the engine computes (one forward pass in float32, no graph). */
export function engineResidual(x: Tensor, y: Tensor, w: Tensor, b: Tensor): Float32Array {
  let out = new Float32Array(0);
  torch.tidy(() =>
    torch.noGrad(() => {
      const yHat = w.mul(x).add(b);
      // copied before the scope ends: the engine reuses the memory afterwards
      out = (yHat.sub(y).data as Float32Array).slice();
    }),
  );
  return out;
}

/** The landscape input for data sent with the request (the window's data before any run). */
export function inputFromData(data: { model: ModelKind; x: ArrayLike<number>; y: ArrayLike<number>; w: ArrayLike<number>; b: number }): LandscapeInput {
  const n = data.x.length;
  if (data.y.length !== n) throw new LandscapeError(`x has ${n} values but y has ${data.y.length}`);
  const wCount = data.model === 'shared' ? 1 : n;
  if (data.w.length !== wCount) throw new LandscapeError(`w has ${data.w.length} values; the ${data.model === 'shared' ? 'shared model has one' : `per-value model has ${n}`}`);
  const x = torch.tensor(Array.from(data.x), { dtype: 'float32' });
  const y = torch.tensor(Array.from(data.y), { dtype: 'float32' });
  const w = data.model === 'shared' ? torch.tensor(Number(data.w[0]), { dtype: 'float32' }) : torch.tensor(Array.from(data.w), { dtype: 'float32' });
  const b = torch.tensor(data.b, { dtype: 'float32' });
  return { model: data.model, x: x.data as Float32Array, residual: engineResidual(x, y, w, b), w: Float32Array.from(data.w), b: Math.fround(data.b) };
}

function valueOf(ref: ParamRef, input: LandscapeInput): number {
  return ref.kind === 'b' ? input.b : Number(input.w[ref.kind === 'w' && input.model === 'shared' ? 0 : ref.index]);
}

/** Checks that a parameter exists in this model; the message names the fix. */
export function checkParam(ref: ParamRef, model: ModelKind, n: number): void {
  if (ref.kind === 'b') return;
  const count = model === 'shared' ? 1 : n;
  if (ref.index >= count) {
    throw new LandscapeError(
      model === 'shared' ? `the shared model has one weight, w (index 0), not w[${ref.index}]` : `w has ${count} elements (0 to ${count - 1}); w[${ref.index}] does not exist`,
    );
  }
}

/** The loss as a quadratic in the two parameters (about p = q = 0). */
export function quadratic(input: LandscapeInput, params: readonly [ParamRef, ParamRef]): Quadratic {
  const n = input.x.length;
  const [pRef, qRef] = params;
  checkParam(pRef, input.model, n);
  checkParam(qRef, input.model, n);
  if (pRef.kind === qRef.kind && (pRef.kind === 'b' || (pRef as { index: number }).index === (qRef as { index: number }).index)) {
    throw new LandscapeError('choose two different parameters');
  }
  const p0 = valueOf(pRef, input);
  const q0 = valueOf(qRef, input);
  // how much r_k changes per unit of a parameter: x_k for the shared w, x_i at k = i only for w[i], 1 for b
  const slope = (ref: ParamRef, k: number): number => {
    if (ref.kind === 'b') return 1;
    if (input.model === 'shared') return input.x[k];
    return k === ref.index ? input.x[k] : 0;
  };
  let pp = 0;
  let qq = 0;
  let pq = 0;
  let lp = 0;
  let lq = 0;
  let c = 0;
  for (let k = 0; k < n; k++) {
    const a = slope(pRef, k);
    const cc = slope(qRef, k);
    const r0 = input.residual[k] - a * p0 - cc * q0;
    pp += a * a;
    qq += cc * cc;
    pq += a * cc;
    lp += a * r0;
    lq += cc * r0;
    c += r0 * r0;
  }
  return { pp: pp / n, qq: qq / n, pq: (2 * pq) / n, p: (2 * lp) / n, q: (2 * lq) / n, c: c / n };
}

export function lossAt(f: Quadratic, p: number, q: number): number {
  return f.pp * p * p + f.qq * q * q + f.pq * p * q + f.p * p + f.q * q + f.c;
}

/** The single lowest point, or null when the loss has a flat direction (no single minimum). */
export function minimumOf(f: Quadratic): { p: number; q: number; loss: number } | null {
  // gradient zero: [2pp, pq; pq, 2qq] [p; q] = -[p; q]
  const a = 2 * f.pp;
  const d = 2 * f.qq;
  const det = a * d - f.pq * f.pq;
  if (!(det > 1e-12 * Math.max(a * d, 1e-300))) return null;
  const p = (-f.p * d + f.q * f.pq) / det;
  const q = (-f.q * a + f.p * f.pq) / det;
  return { p, q, loss: Math.max(0, lossAt(f, p, q)) };
}

/** An interval around `centre` wide enough for every value in `values` (with a margin). */
function around(centre: number, values: number[]): [number, number] {
  let half = 0;
  for (const v of values) half = Math.max(half, Math.abs(v - centre));
  half = half > 0 ? half * 1.6 : Math.max(1, Math.abs(centre)) * 0.5;
  return [centre - half, centre + half];
}

/**
 * The landscape over a size x size grid. Without `range`, each axis is centred on the minimum
 * (or the current value when there is none) and reaches past the current value.
 */
export function computeLandscape(
  input: LandscapeInput,
  params: [ParamRef, ParamRef],
  size: number,
  range?: { p: [number, number]; q: [number, number] },
): LandscapeResult {
  const f = quadratic(input, params);
  const minimum = minimumOf(f);
  const at = { p: valueOf(params[0], input), q: valueOf(params[1], input) };
  const p = range?.p ?? around(minimum?.p ?? at.p, [at.p]);
  const q = range?.q ?? around(minimum?.q ?? at.q, [at.q]);
  const loss = new Float32Array(size * size);
  for (let r = 0; r < size; r++) {
    const qv = q[0] + ((q[1] - q[0]) * r) / (size - 1);
    for (let col = 0; col < size; col++) {
      const pv = p[0] + ((p[1] - p[0]) * col) / (size - 1);
      loss[r * size + col] = Math.max(0, lossAt(f, pv, qv));
    }
  }
  return { params, size, p, q, loss, minimum, at };
}
