// `npm run bench:validate`: how long main (and again the worker) takes to check the largest start
// request the app sends: x, y and w of a 512x512 RGB image (786,432 values each) as number[], and
// as Float32Array. The schema's number lists are checked by one plain loop (contract/
// validate-request.ts) because valibot's per-element `v.array(finite number)` needed most of a
// second for x alone; the same data through that per-element schema is timed beside it.
import * as v from 'valibot';
import { validateRequest } from '../contract/validate-request';

const N = 786_432;
const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

const numbers = Array.from({ length: N }, (_, i) => i / N);
const floats = Float32Array.from(numbers);
const startRequest = (values: number[] | Float32Array) => ({
  type: 'start',
  runId: 'big',
  config: { x: values, y: values, initialW: { kind: 'values', values: numbers }, initialB: 0, learningRate: 0.01, epochs: 1 },
});
const perElement = v.array(v.pipe(v.number(), v.finite()));

const rows: [string, () => boolean][] = [
  ['validateRequest, x/y/w as number[]', () => validateRequest(startRequest(numbers)).ok],
  ['validateRequest, x/y as Float32Array', () => validateRequest(startRequest(floats)).ok],
  ["valibot's per-element v.array, x alone", () => v.safeParse(perElement, numbers).success],
];

console.log(`Validating a start request of ${N.toLocaleString('en')} values (median of ${ROUNDS}):`);
const medians: number[] = [];
for (const [name, run] of rows) {
  if (!run()) throw new Error(`${name}: the request was refused`);
  const ms = median(Array.from({ length: ROUNDS }, () => time(run)));
  medians.push(ms);
  console.log(`  ${name.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms`);
}
console.log(`  the whole number[] request takes ${(medians[0] / medians[2]).toFixed(2)}x the time valibot's per-element check needs for x alone`);
