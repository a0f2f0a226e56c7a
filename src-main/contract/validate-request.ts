// The schema every request is checked against: by main before a worker sees it, and again by
// the workers (the browser edition has no main). valibot is the only import besides the types.
import * as v from 'valibot';
import { firstIssue } from './first-issue';
import { MAX_SOURCE_CHARS, MAX_VALUES } from './limits';
import type { Request } from './messages';

const runId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const finiteNumber = v.pipe(v.number(), v.finite());

/**
 * Why `input` is not a usable list of training values (x, y or the starting w), or null when it
 * is: a Float32Array (or, with `typed` false, only an array) of at most MAX_VALUES finite numbers.
 * One plain loop rather than valibot's per-element pipeline, which needs most of a second for a
 * 786,432-value image (a start request is checked in main and again in the worker).
 */
function valuesProblem(input: unknown, typed: boolean): string | null {
  const isTyped = typed && input instanceof Float32Array;
  if (!isTyped && !Array.isArray(input)) {
    return typed ? 'Expected a Float32Array or an array of finite numbers' : 'Expected an array of finite numbers';
  }
  const values = input as ArrayLike<unknown>;
  if (values.length > MAX_VALUES) {
    return `Expected at most ${MAX_VALUES.toLocaleString('en')} values, got ${values.length.toLocaleString('en')}`;
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `Expected finite numbers only, but [${i}] is ${describe(value)}`;
    }
  }
  return null;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  return value === null ? 'null' : typeof value;
}

function trainingValues<T extends number[] | Float32Array>(typed: boolean) {
  return v.custom<T>(
    (input) => valuesProblem(input, typed) === null,
    (issue) => valuesProblem(issue.input, typed) ?? 'Expected finite numbers',
  );
}
const numberArray = trainingValues<number[] | Float32Array>(true);
const finiteNumberList = trainingValues<number[]>(false);

const initialWeightsSchema = v.variant('kind', [
  v.object({ kind: v.literal('values'), values: finiteNumberList }),
  v.object({ kind: v.literal('ones') }),
  v.object({ kind: v.literal('zeros') }),
  v.object({ kind: v.literal('random'), seed: v.pipe(v.number(), v.integer()) }),
]);

const modelSchema = v.picklist(['perValue', 'shared']);
const paramRefSchema = v.variant('kind', [v.object({ kind: v.literal('w'), index: v.pipe(v.number(), v.integer(), v.minValue(0)) }), v.object({ kind: v.literal('b') })]);
const intervalSchema = v.pipe(
  v.tuple([finiteNumber, finiteNumber]),
  v.check(([lo, hi]) => lo < hi, 'Expected an interval [low, high] with low < high'),
);

const trainConfigSchema = v.object({
  model: v.optional(modelSchema),
  x: numberArray,
  y: numberArray,
  initialW: initialWeightsSchema,
  initialB: finiteNumber,
  learningRate: v.pipe(finiteNumber, v.minValue(0)),
  epochs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000_000)),
  targetLoss: v.optional(finiteNumber),
  epochsPerSecond: v.optional(v.nullable(v.pipe(finiteNumber, v.minValue(1)))),
  startPaused: v.optional(v.boolean()),
  image: v.optional(
    v.object({
      width: v.pipe(v.number(), v.integer(), v.minValue(1)),
      height: v.pipe(v.number(), v.integer(), v.minValue(1)),
      channels: v.union([v.literal(1), v.literal(3)]),
      scale: v.optional(v.picklist(['0..1', '0..255'])),
    }),
  ),
  skipZeroGrad: v.optional(v.boolean()),
  initialGrad: v.optional(v.object({ w: numberArray, b: finiteNumber })),
  traceEpochs: v.optional(v.boolean()),
  waitForWindow: v.optional(v.boolean()),
});

export const requestSchema = v.variant('type', [
  v.object({ type: v.literal('start'), runId, config: trainConfigSchema }),
  v.object({ type: v.literal('pause'), runId }),
  v.object({ type: v.literal('resume'), runId }),
  v.object({ type: v.literal('step'), runId, count: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  v.object({ type: v.literal('stop'), runId }),
  v.object({ type: v.literal('reset'), runId }),
  v.object({ type: v.literal('setLearningRate'), runId, learningRate: v.pipe(finiteNumber, v.minValue(0)) }),
  v.object({ type: v.literal('setSpeed'), runId, epochsPerSecond: v.nullable(v.pipe(finiteNumber, v.minValue(1))) }),
  v.object({ type: v.literal('setTargetLoss'), runId, targetLoss: v.nullable(finiteNumber) }),
  v.object({ type: v.literal('runPython'), runId, source: v.pipe(v.string(), v.maxLength(MAX_SOURCE_CHARS)), recordGraph: v.optional(v.boolean()) }),
  v.object({ type: v.literal('stopPython'), runId }),
  v.object({ type: v.literal('setSkipZeroGrad'), runId, skipZeroGrad: v.boolean() }),
  v.object({ type: v.literal('windowReady'), runId }),
  v.object({ type: v.literal('ping'), runId, seq: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  v.object({ type: v.literal('watchGraph'), runId, on: v.boolean(), element: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  v.object({
    type: v.literal('graphAt'),
    runId,
    element: v.pipe(v.number(), v.integer(), v.minValue(0)),
    data: v.optional(v.object({ model: modelSchema, x: numberArray, y: numberArray, w: numberArray, b: finiteNumber, epoch: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
  }),
  v.object({
    type: v.literal('landscape'),
    runId,
    params: v.tuple([paramRefSchema, paramRefSchema]),
    size: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(256)),
    range: v.optional(v.object({ p: intervalSchema, q: intervalSchema })),
    data: v.optional(v.object({ model: modelSchema, x: numberArray, y: numberArray, w: numberArray, b: finiteNumber })),
  }),
]);

export type ValidationResult = { ok: true; request: Request } | { ok: false; error: string };

/** Checks an untrusted message; the error names the field and what was wrong with it. */
export function validateRequest(message: unknown): ValidationResult {
  const result = v.safeParse(requestSchema, message);
  if (result.success) return { ok: true, request: result.output as Request };
  return { ok: false, error: firstIssue('request', result.issues) };
}
