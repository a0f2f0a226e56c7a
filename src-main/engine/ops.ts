// Every differentiable op is one entry of OPS: its grad_fn name, its forward (values exactly as
// PyTorch's CPU kernels produce them, float32-rounded), which tensors its backward needs, and
// its backward rule (PyTorch's derivatives.yaml formulas, evaluated with these same ops in
// no-grad mode). `apply` records the graph generically; methods on Tensor call the wrappers
// below, which only do argument handling, dtype promotion and PyTorch's error checks.
import { isGraphObserved, Node, SavedTensor } from './autograd';
import type { BackwardRule } from './autograd';
import { runtimeError, indexError } from './errors';
import { isGradEnabled } from './grad-mode';
import {
  allocStorage,
  castValue,
  isFloating,
  promoteTypes,
  scalarDType,
  scalarValue,
  TYPE_NAME,
} from './dtype';
import type { DType, ScalarLike, Storage } from './dtype';
import { BinaryOp, binaryKernel, binaryMap, broadcastCopy, UnaryOp, unaryKernel } from './kernels';
import { sumAxis, sumContiguous, sumOfSquaresContiguous } from './reduce';
import { broadcastShapes, inferShape, normalizeDim, numelOf, sameShape } from './shape';
import { Tensor, checkIndex } from './tensor';
import { getArena, inArena } from './arena';

// ---------------------------------------------------------------------------------------------
// Op definitions

interface SaveSpec {
  /** per input: keep it for backward */
  inputs?: readonly boolean[];
  /** keep the output for backward */
  output?: boolean;
}

export interface OpDefinition<A> {
  /** PyTorch's grad_fn class name */
  readonly gradFn: string | ((attrs: A) => string);
  /** Computes the output (no graph). Inputs are tensors; Python scalars arrive as 0-d tensors. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** Which values the backward rule needs, given which inputs need a gradient. */
  save?(needs: readonly boolean[], attrs: A): SaveSpec;
  /** Gradients for each input (before reduction to the input's shape, which the engine does). */
  backward: BackwardRule<A>;
}

function defineOp<A>(def: OpDefinition<A>): OpDefinition<A> {
  return def;
}

type NoAttrs = Record<string, never>;
const NONE: NoAttrs = {};

/** Runs an op and, when grad mode is on and an input requires grad, records its grad_fn node. */
export function apply<A>(def: OpDefinition<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  kept = null;
  const out = def.forward(inputs, attrs);
  const intermediates = kept;
  kept = null;
  return record(def, inputs, attrs, out, intermediates);
}

let kept: Tensor[] | null = null;

/**
 * For fused ops: keeps a value computed inside forward for the backward rule
 * (ctx.intermediates, in the order kept), where PyTorch's separate ops would have saved it.
 * Dropped when no graph is recorded.
 */
function keepForBackward(t: Tensor): void {
  (kept ??= []).push(t);
}

/** The graph half of apply: records `out` as the result of def(inputs) when a gradient is needed. */
function record<A>(def: OpDefinition<A>, inputs: readonly Tensor[], attrs: A, out: Tensor, intermediates: Tensor[] | null = null): Tensor {
  if (!isGradEnabled()) return out;
  let any = false;
  for (const t of inputs) if (t.requiresGrad) any = true;
  if (!any) return out;
  const needs = inputs.map((t) => t.requiresGrad);
  const spec = def.save ? def.save(needs, attrs) : {};
  const savedInputs = inputs.map((t, i) => (spec.inputs && spec.inputs[i] ? new SavedTensor(t) : null));
  const next = inputs.map((t) => (t.requiresGrad ? (t._gradFn ?? t._accumulateNode()) : null));
  const meta = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
  const name = typeof def.gradFn === 'string' ? def.gradFn : def.gradFn(attrs);
  const node = new Node(name, next, meta, def.backward as BackwardRule<unknown>, attrs, savedInputs, null, null, intermediates);
  out._gradFn = node;
  if (spec.output) node.attachOutput(new SavedTensor(out));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function makeTensor(dtype: DType, shape: readonly number[], data?: Storage): Tensor {
  return data ? new Tensor(data, shape, dtype) : Tensor.alloc(dtype, shape);
}

/** For outputs whose every element the caller writes (elementwise kernels, copies). */
function outputTensor(dtype: DType, shape: readonly number[]): Tensor {
  return Tensor.alloc(dtype, shape, true);
}

/** A Python scalar as a 0-d tensor of its natural dtype (bool, int64 or float32). */
export function scalarTensor(s: ScalarLike): Tensor {
  const dtype = scalarDType(s);
  const t = makeTensor(dtype, []);
  t.data[0] = castValue(dtype, scalarValue(s));
  return t;
}

export function asTensor(o: Tensor | ScalarLike): Tensor {
  return o instanceof Tensor ? o : scalarTensor(o);
}

/** Copy of t converted to dtype (float32 rounds, int64 truncates, bool tests != 0). */
export function toDType(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = makeTensor(dtype, t.shape);
  const src = t.data;
  const dst = out.data;
  if (dtype === 'float32') (dst as Float32Array).set(src);
  else for (let i = 0; i < src.length; i++) dst[i] = castValue(dtype, src[i]);
  return out;
}

export function copyOf(t: Tensor): Tensor {
  const out = outputTensor(t.dtype, t.shape);
  (out.data as Float32Array).set(t.data as Float32Array);
  return out;
}

function fullLike(shape: readonly number[], dtype: DType, value: number): Tensor {
  const t = makeTensor(dtype, shape);
  if (value !== 0) t.data.fill(value);
  return t;
}

/** t broadcast to shape as a fresh contiguous tensor (Tensor.expand + contiguous). */
function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(t.shape, shape)) return t;
  const out = makeTensor(t.dtype, shape);
  broadcastCopy(t.data, t.shape, out.data, shape);
  return out;
}

/** Elementwise arithmetic in `dtype`: converts inputs whose dtype differs, then one kernel pass. */
function arith(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType, out?: Tensor): Tensor {
  const outShape = out ? out.shape : broadcastShapes(a.shape, b.shape);
  const x = toDType(a, dtype);
  const y = toDType(b, dtype);
  const result = out ?? outputTensor(dtype, outShape);
  if (dtype !== 'float32' || !wasmBinary(op, x.data as Float32Array, y.data as Float32Array, result.data as Float32Array)) {
    binaryKernel(op, x.data, x.shape, y.data, y.shape, result.data, outShape);
  }
  if (dtype === 'bool') normalizeBool(result.data);
  return result;
}

const WASM_BINARY = ['add', 'sub', 'mul', 'div'] as const;

/**
 * Runs a float32 elementwise op in WebAssembly SIMD when the output and the full-size operands
 * live in the arena (one-element operands are passed as scalars). Returns false otherwise.
 */
function wasmBinary(op: BinaryOp, x: Float32Array, y: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (n < 16 || op > BinaryOp.Div || !inArena(out)) return false;
  const k = getArena()!.kernels;
  const name = WASM_BINARY[op as 0 | 1 | 2 | 3];
  if (x.length === n && y.length === n) {
    if (!inArena(x) || !inArena(y)) return false;
    k[name](out.byteOffset, x.byteOffset, y.byteOffset, n);
    return true;
  }
  if (x.length === n && y.length === 1) {
    if (!inArena(x)) return false;
    k[`${name}_scalar` as const](out.byteOffset, x.byteOffset, y[0], n);
    return true;
  }
  if (x.length === 1 && y.length === n) {
    if (!inArena(y)) return false;
    // s + b and s * b are b + s and b * s exactly (IEEE addition and multiplication commute)
    if (name === 'add' || name === 'mul') k[`${name}_scalar` as const](out.byteOffset, y.byteOffset, x[0], n);
    else k[`scalar_${name}` as const](out.byteOffset, x[0], y.byteOffset, n);
    return true;
  }
  return false;
}

// (abs has no WebAssembly kernel: the module must stay under 4 KB and abs is rarely hot)
const WASM_UNARY: Partial<Record<UnaryOp, 'neg' | 'sqrt' | 'square'>> = {
  [UnaryOp.Neg]: 'neg',
  [UnaryOp.Sqrt]: 'sqrt',
  [UnaryOp.Square]: 'square',
};

function normalizeBool(d: Storage): void {
  for (let i = 0; i < d.length; i++) if (d[i] > 1) d[i] = 1;
}

function divDType(a: Tensor, b: Tensor): DType {
  const d = promoteTypes(a.dtype, b.dtype);
  return isFloating(d) ? d : 'float32';
}

// Raw no-grad arithmetic used inside backward rules.
const addRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Add, a, b, promoteTypes(a.dtype, b.dtype));
const subRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Sub, a, b, promoteTypes(a.dtype, b.dtype));
const mulRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Mul, a, b, promoteTypes(a.dtype, b.dtype));
const divRaw = (a: Tensor, b: Tensor): Tensor => arith(BinaryOp.Div, a, b, divDType(a, b));
const negRaw = (a: Tensor): Tensor => unaryRaw(UnaryOp.Neg, a, a.dtype);
const mulScalarRaw = (a: Tensor, s: number): Tensor => arith(BinaryOp.Mul, a, scalarTensor(s), a.dtype);

/** (p * s1) * s2 for a float32 p, each product rounded to float32, in one pass. */
function scaleTwice(p: Tensor, s1: number, s2: number): Tensor {
  const n = p.numel();
  const out = outputTensor('float32', p.shape);
  const f1 = Math.fround(s1);
  const f2 = Math.fround(s2);
  if (n >= 16 && inArena(out.data) && inArena(p.data)) {
    getArena()!.kernels.mul_scalar2(out.data.byteOffset, p.data.byteOffset, f1, f2, n);
  } else {
    const src = p.data;
    const dst = out.data;
    for (let i = 0; i < n; i++) dst[i] = Math.fround(src[i] * f1) * f2;
  }
  return out;
}

/** g * (p * s) in one pass when the WASM kernel applies, else the same values in two. */
function mulScaledRaw(g: Tensor, p: Tensor, s: number): Tensor {
  const n = p.numel();
  const uniform = g._uniformValue();
  // grad is one repeated value c: c * (p * s) elementwise, without ever writing grad out
  if (uniform !== null && g.numel() === n && p.dtype === 'float32') return scaleTwice(p, s, uniform);
  if (g.dtype === 'float32' && p.dtype === 'float32' && g.numel() === n && n >= 16 && inArena(g.data) && inArena(p.data)) {
    const out = outputTensor('float32', p.shape);
    if (inArena(out.data)) {
      getArena()!.kernels.mul_scaled(out.data.byteOffset, g.data.byteOffset, p.data.byteOffset, Math.fround(s), n);
      return out;
    }
  }
  return mulRaw(g, mulScalarRaw(p, s));
}

/**
 * target += g * other in one WASM pass, when all three are same-shape float32 arena tensors.
 * Same values as computing g * other and then AccumulateGrad's in-place add.
 */
function accumulateProduct(target: Tensor | null | undefined, g: Tensor, other: Tensor): boolean {
  if (!target || target.dtype !== 'float32' || g.dtype !== 'float32' || other.dtype !== 'float32') return false;
  const n = target.numel();
  if (n < 16 || g.numel() !== n || other.numel() !== n || !sameShape(g.shape, target.shape) || !sameShape(other.shape, target.shape)) return false;
  if (!inArena(g.data) || !inArena(other.data)) return false;
  const ref = target._version;
  const base = target._isView() ? null : ref.pendingFill;
  if (base !== null) {
    // the gradient was zero_()ed lazily: grad = base + g * other, without writing base out first
    const out = ref.pendingArray!;
    if (!inArena(out)) return false;
    ref.pendingFill = null;
    ref.pendingArray = null;
    getArena()!.kernels.mul_add_scalar(out.byteOffset, g.data.byteOffset, other.data.byteOffset, base, n);
  } else {
    if (!inArena(target.data)) return false;
    getArena()!.kernels.add_mul(target.data.byteOffset, g.data.byteOffset, other.data.byteOffset, n);
  }
  ref.value++;
  return true;
}

function unaryRaw(op: UnaryOp, a: Tensor, dtype: DType): Tensor {
  const x = toDType(a, dtype);
  const out = outputTensor(dtype, a.shape);
  const n = out.data.length;
  const wasmOp = WASM_UNARY[op];
  if (wasmOp && dtype === 'float32' && n >= 16 && inArena(out.data) && inArena(x.data)) {
    getArena()!.kernels[wasmOp](out.data.byteOffset, x.data.byteOffset, n);
  } else unaryKernel(op, x.data, out.data, n);
  return out;
}

function mapRaw(a: Tensor, dtype: DType, f: (x: number) => number): Tensor {
  const out = makeTensor(dtype, a.shape);
  const src = a.data;
  const dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i]);
  return out;
}

export const addNoGrad = addRaw;
/** target += b (same shape or broadcastable into it), used for gradient accumulation. */
export function addIntoNoGrad(target: Tensor, b: Tensor): void {
  arith(BinaryOp.Add, target, b, target.dtype, target);
}

/** Sums g down to `shape` (the reverse of broadcasting), like at::sum_to. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const reduce: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) reduce.push(i);
  }
  let r = g;
  if (reduce.length === g.shape.length) {
    r = sumAll(g);
  } else if (isContiguousRun(reduce)) {
    r = sumRange(g, reduce[0], reduce[reduce.length - 1] + 1);
  } else {
    // Non-adjacent dims: reduce one block at a time (rounding may differ from PyTorch in the last bit).
    for (let k = reduce.length - 1; k >= 0; k--) r = sumRange(r, reduce[k], reduce[k] + 1);
  }
  return new Tensor(r.data, shape.slice(), r.dtype, r._version);
}

function isContiguousRun(dims: readonly number[]): boolean {
  for (let i = 1; i < dims.length; i++) if (dims[i] !== dims[i - 1] + 1) return false;
  return dims.length > 0;
}

/** Sum over dims [from, to) keeping them as size 1. */
function sumRange(t: Tensor, from: number, to: number): Tensor {
  const shape = t.shape;
  let outer = 1;
  let reduced = 1;
  let inner = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < from) outer *= shape[i];
    else if (i < to) reduced *= shape[i];
    else inner *= shape[i];
  }
  const outShape = shape.map((s, i) => (i >= from && i < to ? 1 : s));
  const outDType: DType = isFloating(t.dtype) ? t.dtype : 'int64';
  const out = makeTensor(outDType, outShape);
  if (outDType === 'float32') {
    sumAxis(t.data as Float32Array, outer, reduced, inner, out.data as Float32Array);
  } else {
    const src = t.data;
    const dst = out.data;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < reduced; r++) {
        const base = (o * reduced + r) * inner;
        for (let k = 0; k < inner; k++) dst[o * inner + k] += src[base + k];
      }
    }
  }
  return out;
}

function sumAll(t: Tensor): Tensor {
  const outDType: DType = isFloating(t.dtype) ? t.dtype : 'int64';
  const out = makeTensor(outDType, []);
  if (outDType === 'float32') out.data[0] = sumContiguous(t.data as Float32Array, 0, t.data.length);
  else {
    let s = 0;
    const d = t.data;
    for (let i = 0; i < d.length; i++) s += d[i];
    out.data[0] = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The op list

interface PowAttrs {
  exponent: number;
  /** the exponent's dtype as a scalar (int vs float matters for int tensors) */
  exponentDType: DType;
}
interface DimAttrs {
  dim: number | null;
  keepdim: boolean;
}
interface ShapeAttrs {
  shape: readonly number[];
  kind: 'reshape' | 'view';
}
interface SelectAttrs {
  index: number;
}
interface SliceAttrs {
  start: number;
  stop: number;
}
interface RpowAttrs {
  base: number;
}

function powForward(a: Tensor, e: number, outDType: DType): Tensor {
  if (outDType !== 'float32') {
    const x = toDType(a, outDType);
    return mapRaw(x, outDType, (v) => castValue(outDType, Math.pow(v, e)));
  }
  const x = toDType(a, 'float32');
  if (e === 0) return fullLike(a.shape, 'float32', 1);
  if (e === 1) return copyOf(x);
  const special: Record<number, UnaryOp> = {
    0.5: UnaryOp.Sqrt,
    [-0.5]: UnaryOp.Rsqrt,
    [-1]: UnaryOp.Reciprocal,
    2: UnaryOp.Square,
    3: UnaryOp.Cube,
    [-2]: UnaryOp.InvSquare,
  };
  const op = special[e];
  if (op !== undefined) return unaryRaw(op, x, 'float32');
  return mapRaw(x, 'float32', (v) => Math.pow(v, Math.fround(e)));
}

function selectForward(t: Tensor, index: number): Tensor {
  const rowSize = numelOf(t.shape.slice(1));
  const view = new Tensor(t.data.subarray(index * rowSize, (index + 1) * rowSize), t.shape.slice(1), t.dtype, t._version);
  view._base = t._base ?? t;
  return view;
}

/** Rows start..stop-1 of a contiguous tensor: a view on the same storage (contiguous, so no strides). */
function sliceForward(t: Tensor, start: number, stop: number): Tensor {
  const rest = t.shape.slice(1);
  const rowSize = numelOf(rest);
  const view = new Tensor(t.data.subarray(start * rowSize, stop * rowSize), [stop - start, ...rest], t.dtype, t._version);
  view._base = t._base ?? t;
  return view;
}

/** mm in float32, accumulating each dot product in order. */
function mmRaw(a: Storage, b: Storage, n: number, k: number, m: number, dtype: DType): Storage {
  const out = allocStorage(dtype, n * m);
  const isFloat = dtype === 'float32';
  const fr = Math.fround;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = isFloat ? fr(acc + fr(a[i * k + p] * b[p * m + j])) : acc + a[i * k + p] * b[p * m + j];
      out[i * m + j] = acc;
    }
  }
  return out;
}

function transpose2d(t: Tensor): Tensor {
  const [r, c] = t.shape;
  const out = makeTensor(t.dtype, [c, r]);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = t.data[i * c + j];
  return out;
}

function matmulRaw(a: Tensor, b: Tensor): Tensor {
  const dtype = promoteTypes(a.dtype, b.dtype);
  const x = toDType(a, dtype);
  const y = toDType(b, dtype);
  const as = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
  const data = mmRaw(x.data, y.data, as[0], as[1], bs[1], dtype);
  const shape: number[] = [];
  if (a.shape.length === 2) shape.push(as[0]);
  if (b.shape.length === 2) shape.push(bs[1]);
  return makeTensor(dtype, shape, data);
}

export const OPS = {
  add: defineOp<NoAttrs>({
    gradFn: 'AddBackward0',
    forward: ([a, b]) => arith(BinaryOp.Add, a, b, promoteTypes(a.dtype, b.dtype)),
    backward: (g, { needs }) => [needs[0] ? g : null, needs[1] ? g : null],
  }),
  sub: defineOp<NoAttrs>({
    gradFn: 'SubBackward0',
    forward: ([a, b]) => arith(BinaryOp.Sub, a, b, promoteTypes(a.dtype, b.dtype)),
    backward: (g, { needs }) => [needs[0] ? g : null, needs[1] ? negRaw(g) : null],
  }),
  /** other - self, for `number - tensor` */
  rsub: defineOp<{ scalarOther: boolean }>({
    gradFn: (a) => (a.scalarOther ? 'RsubBackward1' : 'RsubBackward0'),
    forward: ([a, b]) => arith(BinaryOp.Sub, b, a, promoteTypes(a.dtype, b.dtype)),
    backward: (g, { needs }) => [needs[0] ? negRaw(g) : null, needs[1] ? g : null],
  }),
  mul: defineOp<NoAttrs>({
    gradFn: 'MulBackward0',
    forward: ([a, b]) => arith(BinaryOp.Mul, a, b, promoteTypes(a.dtype, b.dtype)),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    backward: (g, { needs, inputs: [a, b], accumulateInto }) => [
      needs[0] ? (accumulateProduct(accumulateInto[0], g, b!) ? null : mulRaw(g, b!)) : null,
      needs[1] ? (accumulateProduct(accumulateInto[1], g, a!) ? null : mulRaw(g, a!)) : null,
    ],
  }),
  div: defineOp<NoAttrs>({
    gradFn: 'DivBackward0',
    forward: ([a, b]) => arith(BinaryOp.Div, a, b, divDType(a, b)),
    save: (needs) => ({ inputs: [needs[1], true] }),
    // self: grad / other;  other: -grad * ((self / other) / other)
    backward: (g, { needs, inputs: [a, b] }) => [
      needs[0] ? divRaw(g, b!) : null,
      needs[1] ? mulRaw(negRaw(g), divRaw(divRaw(a!, b!), b!)) : null,
    ],
  }),
  reciprocal: defineOp<NoAttrs>({
    gradFn: 'ReciprocalBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Reciprocal, a, 'float32'),
    save: () => ({ output: true }),
    // -grad * (result * result)
    backward: (g, { output }) => [mulRaw(negRaw(g), mulRaw(output!, output!))],
  }),
  neg: defineOp<NoAttrs>({
    gradFn: 'NegBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Neg, a, a.dtype),
    backward: (g) => [negRaw(g)],
  }),
  pow: defineOp<PowAttrs>({
    gradFn: 'PowBackward0',
    forward: ([a], { exponent, exponentDType }) => powForward(a, exponent, promoteTypes(a.dtype, exponentDType)),
    save: () => ({ inputs: [true] }),
    // grad * (exponent * self.pow(exponent - 1)); zero when exponent == 0
    backward: (g, { inputs: [a], attrs: { exponent } }) => {
      if (exponent === 0) return [fullLike(a!.shape, a!.dtype, 0)];
      const e1 = exponent - 1;
      // self.pow(1) is an exact copy of self: skip the copy
      const p = e1 === 1 ? toDType(a!, 'float32') : powForward(a!, e1, 'float32');
      return [mulScaledRaw(g, p, exponent)];
    },
  }),
  powTensor: defineOp<NoAttrs>({
    gradFn: 'PowBackward1',
    forward: ([a, e]) => {
      const dtype = promoteTypes(a.dtype, e.dtype);
      const out = makeTensor(dtype, broadcastShapes(a.shape, e.shape));
      binaryMap(a.data, a.shape, e.data, e.shape, out.data, out.shape, (x, y) => castValue(dtype, Math.pow(x, y)));
      return out;
    },
    save: () => ({ inputs: [true, true], output: true }),
    backward: (g, { needs, inputs: [a, e], output }) => {
      let ga: Tensor | null = null;
      let ge: Tensor | null = null;
      if (needs[0]) {
        // where(exponent == 0, 0, grad * (exponent * self.pow(exponent - 1)))
        const em1 = subRaw(e!, scalarTensor(1));
        const p = OPS.powTensor.forward([a!, em1], NONE);
        const full = mulRaw(g, mulRaw(e!, p));
        const eb = expandTo(e!, full.shape);
        ga = mapIndexed(full, (v, i) => (eb.data[i] === 0 ? 0 : v));
      }
      if (needs[1]) {
        // grad * where(self == 0 & exponent >= 0, 0, result * self.log())
        const rl = mulRaw(output!, unaryRaw(UnaryOp.Log, a!, 'float32'));
        const ab = expandTo(a!, rl.shape);
        const eb = expandTo(e!, rl.shape);
        ge = mulRaw(g, mapIndexed(rl, (v, i) => (ab.data[i] === 0 && eb.data[i] >= 0 ? 0 : v)));
      }
      return [ga, ge];
    },
  }),
  /** base ** tensor with a Python number base */
  rpow: defineOp<RpowAttrs>({
    gradFn: 'PowBackward1',
    forward: ([e], { base }) =>
      mapRaw(toDType(e, 'float32'), 'float32', (x) => Math.pow(Math.fround(base), x)),
    save: () => ({ output: true }),
    backward: (g, { output, attrs: { base } }) => [mulRaw(g, mulScalarRaw(output!, Math.log(base)))],
  }),
  exp: defineOp<NoAttrs>({
    gradFn: 'ExpBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Exp, a, 'float32'),
    save: () => ({ output: true }),
    backward: (g, { output }) => [mulRaw(g, output!)],
  }),
  log: defineOp<NoAttrs>({
    gradFn: 'LogBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Log, a, 'float32'),
    save: () => ({ inputs: [true] }),
    backward: (g, { inputs: [a] }) => [divRaw(g, a!)],
  }),
  sqrt: defineOp<NoAttrs>({
    gradFn: 'SqrtBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Sqrt, a, 'float32'),
    save: () => ({ output: true }),
    // grad / (2 * result)
    backward: (g, { output }) => [divRaw(g, mulScalarRaw(output!, 2))],
  }),
  abs: defineOp<NoAttrs>({
    gradFn: 'AbsBackward0',
    forward: ([a]) => unaryRaw(UnaryOp.Abs, a, a.dtype),
    save: () => ({ inputs: [true] }),
    // grad * self.sgn()
    backward: (g, { inputs: [a] }) => [mulRaw(g, mapRaw(a!, a!.dtype, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0)))],
  }),
  sum: defineOp<DimAttrs>({
    gradFn: (a) => (a.dim === null ? 'SumBackward0' : 'SumBackward1'),
    forward: ([a], { dim, keepdim }) => reduceSum(a, dim, keepdim),
    backward: (g, { inputMeta: [m], attrs: { dim, keepdim } }) => [expandTo(unsqueezeFor(g, m.shape, dim, keepdim), m.shape)],
  }),
  mean: defineOp<DimAttrs>({
    gradFn: (a) => (a.dim === null ? 'MeanBackward0' : 'MeanBackward1'),
    forward: ([a], { dim, keepdim }) => {
      const s = reduceSum(a, dim, keepdim);
      const count = a.numel() / Math.max(s.numel(), 1);
      return arith(BinaryOp.Div, s, scalarTensor(count), 'float32', s);
    },
    // grad.expand(self.sizes()) / (number of elements reduced)
    backward: (g, { inputMeta: [m], attrs: { dim, keepdim } }) => {
      if (g.numel() === 1) {
        // every element of grad.expand(shape) / n is the same float32 quotient
        const count = Math.fround(numelOf(m.shape));
        return [Tensor.uniform(m.shape, Math.fround(g.data[0] / count))];
      }
      const expanded = expandTo(unsqueezeFor(g, m.shape, dim, keepdim), m.shape);
      const count = numelOf(m.shape) / Math.max(g.numel(), 1);
      return [arith(BinaryOp.Div, expanded, scalarTensor(count), 'float32', expanded === g ? undefined : expanded)];
    },
  }),
  /**
   * `(a - b).pow(2).mean()` as one node: the loss of every lesson, computed in one pass over
   * a - b (squares summed as they are read, in the cascade order of torch.sum) with the values
   * of the three ops. Only used for same-shape float32 inputs (see squaredErrorMean), where
   * nothing in between is observable; the node carries the name of the last op.
   */
  squaredErrorMean: defineOp<NoAttrs>({
    gradFn: 'MeanBackward0',
    forward: ([a, b]) => {
      const diff = arith(BinaryOp.Sub, a, b, 'float32');
      keepForBackward(diff); // what pow's node saves in PyTorch
      const n = diff.numel();
      const out = makeTensor('float32', []);
      out.data[0] = Math.fround(sumOfSquaresContiguous(diff.data as Float32Array, 0, n) / Math.fround(n));
      return out;
    },
    backward: (g, { needs, intermediates: [diff] }) => {
      // mean's backward gives every element g / n; pow's multiplies by 2 * diff; sub's passes it on (negated for b)
      const each = Math.fround(g.data[0] / Math.fround(diff.numel()));
      const gradDiff = scaleTwice(diff, 2, each);
      return [needs[0] ? gradDiff : null, needs[1] ? negRaw(gradDiff) : null];
    },
  }),
  mm: defineOp<NoAttrs>({
    gradFn: 'MmBackward0',
    forward: ([a, b]) => matmulRaw(a, b),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    // self: grad.mm(mat2.t());  mat2: self.t().mm(grad)
    backward: (g, { needs, inputs: [a, b] }) => [
      needs[0] ? matmulRaw(g, transpose2d(b!)) : null,
      needs[1] ? matmulRaw(transpose2d(a!), g) : null,
    ],
  }),
  mv: defineOp<NoAttrs>({
    gradFn: 'MvBackward0',
    forward: ([a, v]) => matmulRaw(a, v),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    // self: grad.ger(vec);  vec: self.t().mv(grad)
    backward: (g, { needs, inputs: [a, v] }) => [
      needs[0] ? matmulRaw(g.reshape([g.numel(), 1]), v!.reshape([1, v!.numel()])) : null,
      needs[1] ? matmulRaw(transpose2d(a!), g) : null,
    ],
  }),
  dot: defineOp<NoAttrs>({
    gradFn: 'DotBackward0',
    forward: ([a, b]) => matmulRaw(a, b),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    backward: (g, { needs, inputs: [a, b] }) => [needs[0] ? mulRaw(g, b!) : null, needs[1] ? mulRaw(g, a!) : null],
  }),
  /** vector @ matrix: PyTorch runs unsqueeze(0).mm(m).squeeze(0); the visible grad_fn is the squeeze. */
  vm: defineOp<NoAttrs>({
    gradFn: 'SqueezeBackward3',
    forward: ([v, m]) => matmulRaw(v, m),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    backward: (g, { needs, inputs: [v, m] }) => [
      needs[0] ? matmulRaw(g, transpose2d(m!)) : null,
      needs[1] ? matmulRaw(v!.reshape([v!.numel(), 1]), g.reshape([1, g.numel()])) : null,
    ],
  }),
  reshape: defineOp<ShapeAttrs>({
    gradFn: (a) => (a.kind === 'view' ? 'ViewBackward0' : 'ReshapeAliasBackward0'),
    forward: ([a], { shape }) => {
      const t = new Tensor(a.data, shape, a.dtype, a._version);
      t._base = a._base ?? a;
      return t;
    },
    backward: (g, { inputMeta: [m] }) => [new Tensor(g.data, m.shape, g.dtype, g._version)],
  }),
  select: defineOp<SelectAttrs>({
    gradFn: 'SelectBackward0',
    forward: ([a], { index }) => selectForward(a, index),
    backward: (g, { inputMeta: [m], attrs: { index } }) => {
      const out = makeTensor(g.dtype, m.shape);
      out.data.set(g.data as Float32Array, index * g.numel());
      return [out];
    },
  }),
  slice: defineOp<SliceAttrs>({
    gradFn: 'SliceBackward0',
    forward: ([a], { start, stop }) => sliceForward(a, start, stop),
    backward: (g, { inputMeta: [m], attrs: { start } }) => {
      const out = makeTensor(g.dtype, m.shape);
      out.data.set(g.data as Float32Array, start * numelOf(m.shape.slice(1)));
      return [out];
    },
  }),
  clone: defineOp<NoAttrs>({
    gradFn: 'CloneBackward0',
    forward: ([a]) => copyOf(a),
    backward: (g) => [g],
  }),
};

/** Registered op names (for tests that check every op has a gradient check). */
export const OP_NAMES = Object.keys(OPS) as (keyof typeof OPS)[];

function mapIndexed(t: Tensor, f: (v: number, i: number) => number): Tensor {
  const out = makeTensor(t.dtype, t.shape);
  for (let i = 0; i < t.data.length; i++) out.data[i] = f(t.data[i], i);
  return out;
}

/** For sum/mean backward over a dim without keepdim: put the reduced dim back as size 1. */
function unsqueezeFor(g: Tensor, inputShape: readonly number[], dim: number | null, keepdim: boolean): Tensor {
  if (dim === null || keepdim || inputShape.length === 0) return g;
  const shape = inputShape.slice();
  shape[dim] = 1;
  return new Tensor(g.data, shape, g.dtype, g._version);
}

function reduceSum(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  if (dim === null) return sumAll(a);
  if (a.shape.length === 0) return toDType(copyOf(a), isFloating(a.dtype) ? a.dtype : 'int64');
  const r = sumRange(a, dim, dim + 1);
  if (keepdim) return r;
  return new Tensor(r.data, a.shape.filter((_, i) => i !== dim), r.dtype, r._version);
}

// ---------------------------------------------------------------------------------------------
// Public op wrappers (argument handling and PyTorch's checks)

export function add(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(OPS.add, [a, asTensor(o)], NONE);
}
export function sub(a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  checkBoolSub(a, b);
  return apply(OPS.sub, [a, b], NONE);
}
export function rsub(a: Tensor, o: Tensor | ScalarLike): Tensor {
  const b = asTensor(o);
  checkBoolSub(a, b);
  return apply(OPS.rsub, [a, b], { scalarOther: !(o instanceof Tensor) });
}
export function mul(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(OPS.mul, [a, asTensor(o)], NONE);
}
export function div(a: Tensor, o: Tensor | ScalarLike): Tensor {
  return apply(OPS.div, [a, asTensor(o)], NONE);
}
export function rdiv(a: Tensor, o: Tensor | ScalarLike): Tensor {
  if (o instanceof Tensor) return div(o, a);
  return mul(reciprocal(a), o);
}
export function reciprocal(a: Tensor): Tensor {
  return apply(OPS.reciprocal, [a], NONE);
}
export function neg(a: Tensor): Tensor {
  if (a.dtype === 'bool') {
    throw runtimeError(
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
  }
  return apply(OPS.neg, [a], NONE);
}
export function pow(a: Tensor, e: Tensor | ScalarLike): Tensor {
  if (e instanceof Tensor) return apply(OPS.powTensor, [a, e], NONE);
  const exponent = scalarValue(e);
  const exponentDType = scalarDType(e);
  if (!isFloating(a.dtype) && exponentDType !== 'float32' && exponent < 0) {
    throw runtimeError('Integers to negative integer powers are not allowed.');
  }
  return apply(OPS.pow, [a], { exponent, exponentDType });
}
export function rpow(a: Tensor, base: ScalarLike): Tensor {
  return apply(OPS.rpow, [a], { base: scalarValue(base) });
}
export function exp(a: Tensor): Tensor {
  return apply(OPS.exp, [a], NONE);
}
export function log(a: Tensor): Tensor {
  return apply(OPS.log, [a], NONE);
}
export function sqrt(a: Tensor): Tensor {
  return apply(OPS.sqrt, [a], NONE);
}
export function abs(a: Tensor): Tensor {
  return apply(OPS.abs, [a], NONE);
}
export function sum(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  const d = dim === null ? null : normalizeDim(dim, a.shape.length);
  return apply(OPS.sum, [a], { dim: d, keepdim });
}
export function mean(a: Tensor, dim: number | null, keepdim: boolean): Tensor {
  if (!isFloating(a.dtype)) {
    throw runtimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${TYPE_NAME[a.dtype]}`,
    );
  }
  const d = dim === null ? null : normalizeDim(dim, a.shape.length);
  return apply(OPS.mean, [a], { dim: d, keepdim });
}
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.shape.length;
  const db = b.shape.length;
  if (da === 0 || db === 0) {
    throw runtimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da > 2 || db > 2) {
    throw runtimeError(
      `GradLab supports matmul of 1-D and 2-D tensors only, but got ${da}-D and ${db}-D tensors; reshape them to 2-D first`,
    );
  }
  if (da === 1 && db === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw runtimeError(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    return apply(OPS.dot, [a, b], NONE);
  }
  if (da === 2 && db === 1) {
    if (a.shape[1] !== b.shape[0]) throw runtimeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${b.shape[0]}`);
    return apply(OPS.mv, [a, b], NONE);
  }
  const as = da === 1 ? [1, a.shape[0]] : a.shape;
  if (as[1] !== b.shape[0]) {
    throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${as[0]}x${as[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  return apply(da === 1 ? OPS.vm : OPS.mm, [a, b], NONE);
}
export function reshape(a: Tensor, shape: readonly number[], kind: 'reshape' | 'view'): Tensor {
  return apply(OPS.reshape, [a], { shape: inferShape(shape, a.numel()), kind });
}
export function select(a: Tensor, i: number): Tensor {
  if (a.shape.length === 0) {
    throw indexError(
      'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number',
    );
  }
  return apply(OPS.select, [a], { index: checkIndex(i, a.shape[0], 0) });
}
/**
 * t[start:stop] along the first dimension (step 1): a view sharing t's storage, like PyTorch's
 * slice. Bounds are clamped to 0..size as Python slices are (an empty range gives 0 rows).
 */
export function sliceRows(a: Tensor, start: number, stop: number): Tensor {
  if (a.shape.length === 0) throw indexError('slice() cannot be applied to a 0-dim tensor.');
  const size = a.shape[0];
  const from = Math.min(Math.max(start, 0), size);
  const to = Math.min(Math.max(stop, from), size);
  return apply(OPS.slice, [a], { start: from, stop: to });
}
export function clone(a: Tensor): Tensor {
  return apply(OPS.clone, [a], NONE);
}

function checkBoolSub(a: Tensor, b: Tensor): void {
  if (a.dtype === 'bool' && b.dtype === 'bool') {
    throw runtimeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// In-place ops

const BINARY: Record<'add' | 'sub' | 'mul' | 'div', BinaryOp> = {
  add: BinaryOp.Add,
  sub: BinaryOp.Sub,
  mul: BinaryOp.Mul,
  div: BinaryOp.Div,
};

function checkInPlaceAllowed(t: Tensor): void {
  if (!isGradEnabled()) return;
  if (t.isLeaf && t.requiresGrad) {
    throw runtimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const base = t._base;
  if (t._gradFn !== null && base !== null && base.isLeaf && base.requiresGrad) {
    throw runtimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

function canCast(from: DType, to: DType): boolean {
  // PyTorch refuses float -> integral and anything non-bool -> bool for in-place results.
  if (isFloating(from) && !isFloating(to)) return false;
  if (to === 'bool' && from !== 'bool') return false;
  return true;
}

/** t op= o: `w -= lr * w.grad` and friends. */
export function inplaceBinary(t: Tensor, o: Tensor | ScalarLike, kind: 'add' | 'sub' | 'mul' | 'div'): Tensor {
  const other = asTensor(o);
  checkInPlaceAllowed(t);
  if (kind === 'sub') checkBoolSub(t, other);
  const resultDType = kind === 'div' ? divDType(t, other) : promoteTypes(t.dtype, other.dtype);
  if (!canCast(resultDType, t.dtype)) {
    throw runtimeError(`result type ${TYPE_NAME[resultDType]} can't be cast to the desired output type ${TYPE_NAME[t.dtype]}`);
  }
  const outShape = broadcastShapes(t.shape, other.shape);
  if (!sameShape(outShape, t.shape)) {
    throw runtimeError(`output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${outShape.join(', ')}]`);
  }
  const recordGraph = isGradEnabled() && (t.requiresGrad || other.requiresGrad);
  if (!recordGraph) {
    if (resultDType === t.dtype) arith(BINARY[kind], t, other, t.dtype, t);
    else {
      const r = arith(BINARY[kind], t, other, resultDType);
      t.data.set(toDType(r, t.dtype).data as Float32Array);
    }
    t._version.value++;
    return t;
  }
  // Graph path: the op reads the value t had before, kept in a copy that shares t's history.
  const before = copyOf(t);
  before._gradFn = t._gradFn;
  const result = { add, sub, mul, div }[kind](before, other);
  t.data.set(result.dtype === t.dtype ? (result.data as Float32Array) : (toDType(result, t.dtype).data as Float32Array));
  t._gradFn = result._gradFn;
  t._version.value++;
  return t;
}

const NO_VALUES = new Float32Array(0);

/**
 * a * b + c (`w * x + b`) in one pass for same-shape float32 tensors a, b and a 0-d (or Python
 * number) c: the values of mul then add (the product rounded to float32 first), and the same
 * autograd graph (AddBackward0 over MulBackward0), but the product is never written out: no
 * backward rule of either op reads it. Returns null, having done nothing, when this does not
 * apply; then run the two ops.
 */
export function mulAdd(a: Tensor, b: Tensor, c: Tensor | ScalarLike): Tensor | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !sameShape(a.shape, b.shape)) return null;
  const ct = asTensor(c);
  if (ct.shape.length !== 0) return null;
  const n = a.numel();
  if (b.numel() !== n) return null;
  const ad = a.data;
  const bd = b.data;
  const cv = Math.fround(ct.data[0]);
  const out = outputTensor('float32', a.shape.slice());
  const od = out.data as Float32Array;
  if (n >= 16 && inArena(od) && inArena(ad) && inArena(bd)) getArena()!.kernels.mul_add_scalar(od.byteOffset, ad.byteOffset, bd.byteOffset, cv, n);
  else for (let i = 0; i < n; i++) od[i] = Math.fround(ad[i] * bd[i]) + cv;
  if (isGradEnabled() && (a.requiresGrad || b.requiresGrad || ct.requiresGrad)) {
    // the product as the graph sees it: shape and history only (its values are never read)
    const product = new Tensor(NO_VALUES, out.shape, 'float32');
    record(OPS.mul, [a, b], NONE, product);
    record(OPS.add, [product, ct], NONE, out);
  }
  return out;
}

/** True when a * b is certain to succeed without reading anything else (mulAdd's precondition). */
export function mulAddCandidate(a: Tensor, b: Tensor): boolean {
  return a.dtype === 'float32' && b.dtype === 'float32' && sameShape(a.shape, b.shape) && !a._version.disposed && !b._version.disposed;
}

/**
 * `(a - b).pow(2).mean()` (also spelled `((a - b) ** 2).mean()`) as one op with the values,
 * gradients and errors of the three: for float32 tensors of one shape with at least one
 * element. Returns null, having done nothing, otherwise; then run the three ops.
 */
export function squaredErrorMean(a: Tensor, b: Tensor): Tensor | null {
  // a recorded graph shows PyTorch's three nodes (MeanBackward0 -> PowBackward0 -> SubBackward0)
  if (!mulAddCandidate(a, b) || a.numel() === 0 || isGraphObserved()) return null;
  return apply(OPS.squaredErrorMean, [a, b], NONE);
}

/**
 * t += y * s (t -= y * s with `subtract`) in one pass, for float32 tensors of one shape when no
 * graph is recorded: the same values as `t.add_(y.mul(s))` (the product rounded to float32,
 * then the sum; x - p is x + (-p) exactly), without the temporary. Returns null, having done
 * nothing, when the fused kernel does not apply; then run the two steps.
 */
export function addScaledInPlace(t: Tensor, y: Tensor, s: ScalarLike, subtract: boolean): Tensor | null {
  if (t.dtype !== 'float32' || y.dtype !== 'float32' || !sameShape(t.shape, y.shape)) return null;
  if (isGradEnabled() && (t.requiresGrad || y.requiresGrad)) return null;
  const n = t.numel();
  if (y.numel() !== n) return null;
  const yd = y.data;
  const td = t.data;
  const scale = Math.fround(scalarValue(s));
  const signed = subtract ? -scale : scale;
  if (n >= 16 && inArena(td) && inArena(yd)) getArena()!.kernels.add_scaled(td.byteOffset, yd.byteOffset, signed, n);
  else for (let i = 0; i < n; i++) td[i] += Math.fround(yd[i] * signed);
  t._version.value++;
  return t;
}

export function zeroInPlace(t: Tensor): Tensor {
  checkInPlaceAllowed(t);
  if (isGradEnabled() && t.requiresGrad) {
    const meta = [{ shape: t.shape, dtype: t.dtype }];
    t._gradFn = new Node('ZeroBackward0', [t._gradFn], meta, ((g: Tensor) => [fullLike(g.shape, g.dtype, 0)]) as BackwardRule<unknown>, NONE, [], null);
  }
  // Big gradients are zeroed lazily: the next backward adds into them in the same pass.
  if (t.numel() < 16 || !t._fillLazily(0)) t.data.fill(0);
  t._version.value++;
  return t;
}
