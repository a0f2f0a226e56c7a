// Matrix products: matmul's 1-D/2-D cases (dot, mv, vector @ matrix, mm) and addmm (what
// nn.Linear computes: bias + x @ W.T). Operands are read through their strides, so transposed
// views (W.T) need no copy; each dot product accumulates in order in the result dtype.
import { runtimeError } from '../errors';
import { asNumbers, TYPE_NAME, type NumericStorage } from '../dtype';
import type { DType } from '../dtype';
import { Tensor } from '../tensor';
import { apply, defineOp, NONE } from './registry';
import type { NoAttrs } from './registry';
import { contiguous, makeTensor, resultTypeOf, toDType } from './common';
import { mulRaw, addRaw } from './elementwise-raw';
import { sumTo } from './reductions';
import { t, transposeRaw, unsqueezeRaw } from './views';

/** a [n, k] @ b [k, m] in `dtype`, reading both through their strides. */
function mmStrided(a: Tensor, b: Tensor, dtype: DType): Tensor {
  const [n, k] = a.shape;
  const m = b.shape[1];
  const x = a.dtype === dtype ? a : toDType(a, dtype);
  const y = b.dtype === dtype ? b : toDType(b, dtype);
  const [as0, as1] = x.strides();
  const [bs0, bs1] = y.strides();
  const ao = x._offset;
  const bo = y._offset;
  const out = makeTensor(dtype, [n, m]);
  if (dtype === 'int64') {
    // exact products and sums, wrapping to 64 bits on the store as C's int64_t does
    const ad = x._storageData() as BigInt64Array;
    const bd = y._storageData() as BigInt64Array;
    const od = out.data as BigInt64Array;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let acc = 0n;
        for (let p = 0; p < k; p++) acc += ad[ao + i * as0 + p * as1] * bd[bo + j * bs1 + p * bs0];
        od[i * m + j] = acc;
      }
    }
    return out;
  }
  // (narrower integers in doubles: exact while a sum stays within 2^53)
  const ad = asNumbers(x._storageData());
  const bd = asNumbers(y._storageData());
  const od = out.data as NumericStorage;
  const round = dtype === 'float32' ? Math.fround : null;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      const ai = ao + i * as0;
      const bj = bo + j * bs1;
      if (round) for (let p = 0; p < k; p++) acc = round(acc + round(ad[ai + p * as1] * bd[bj + p * bs0]));
      else for (let p = 0; p < k; p++) acc += ad[ai + p * as1] * bd[bj + p * bs0];
      od[i * m + j] = acc;
    }
  }
  return out;
}

/** matmul of 1-D/2-D operands without a graph: vectors become a row (left) or a column (right). */
export function matmulRaw(a: Tensor, b: Tensor): Tensor {
  const dtype = resultTypeOf(a, b);
  const x = a.shape.length === 1 ? unsqueezeRaw(a, 0) : a;
  const y = b.shape.length === 1 ? unsqueezeRaw(b, 1) : b;
  const product = mmStrided(x, y, dtype);
  const shape: number[] = [];
  if (a.shape.length === 2) shape.push(x.shape[0]);
  if (b.shape.length === 2) shape.push(y.shape[1]);
  return new Tensor(product.data, shape, dtype, product._version);
}

const T = (t: Tensor): Tensor => transposeRaw(t, 0, 1);

/** [B, n, k] @ [B, k, m] without a graph: one mm per batch entry. */
function bmmRaw(a: Tensor, b: Tensor): Tensor {
  const dtype = resultTypeOf(a, b);
  const [batches, n, k] = a.shape;
  const m = b.shape[2];
  const x = contiguous(toDType(a, dtype)).data;
  const y = contiguous(toDType(b, dtype)).data;
  const out = makeTensor(dtype, [batches, n, m]);
  for (let i = 0; i < batches; i++) {
    const left = new Tensor(x.subarray(i * n * k, (i + 1) * n * k), [n, k], dtype);
    const right = new Tensor(y.subarray(i * k * m, (i + 1) * k * m), [k, m], dtype);
    (out.data as Float64Array).set(mmStrided(left, right, dtype).data as Float64Array, i * n * m);
  }
  return out;
}

const BT = (t: Tensor): Tensor => transposeRaw(t, 1, 2);

export const LINALG_OPS = {
  bmm: defineOp<NoAttrs>({
    gradFn: 'BmmBackward0',
    forward: ([a, b]) => bmmRaw(a, b),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    backward: (g, { needs, inputs: [a, b] }) => [needs[0] ? bmmRaw(g, BT(b!)) : null, needs[1] ? bmmRaw(BT(a!), g) : null],
  }),
  mm: defineOp<NoAttrs>({
    gradFn: 'MmBackward0',
    forward: ([a, b]) => matmulRaw(a, b),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    // self: grad.mm(mat2.t());  mat2: self.t().mm(grad)
    backward: (g, { needs, inputs: [a, b] }) => [needs[0] ? matmulRaw(g, T(b!)) : null, needs[1] ? matmulRaw(T(a!), g) : null],
  }),
  mv: defineOp<NoAttrs>({
    gradFn: 'MvBackward0',
    forward: ([a, v]) => matmulRaw(a, v),
    save: (needs) => ({ inputs: [needs[1], needs[0]] }),
    // self: grad.ger(vec);  vec: self.t().mv(grad)
    backward: (g, { needs, inputs: [a, v] }) => [
      needs[0] ? matmulRaw(unsqueezeRaw(g, 1), unsqueezeRaw(v!, 0)) : null,
      needs[1] ? matmulRaw(T(a!), g) : null,
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
      needs[0] ? matmulRaw(g, T(m!)) : null,
      needs[1] ? matmulRaw(unsqueezeRaw(v!, 1), unsqueezeRaw(g, 0)) : null,
    ],
  }),
  /** bias + mat1 @ mat2 (torch.addmm, nn.Linear's forward) */
  addmm: defineOp<NoAttrs>({
    gradFn: 'AddmmBackward0',
    forward: ([bias, m1, m2]) => addRaw(bias, matmulRaw(m1, m2)),
    save: (needs) => ({ inputs: [false, needs[2], needs[1]] }),
    // self: maybe_multiply(grad, beta) summed to its shape;  mat1: grad.mm(mat2.t());  mat2: mat1.t().mm(grad)
    backward: (g, { needs, inputs: [, m1, m2], inputMeta: [bm] }) => [
      needs[0] ? sumTo(g, bm.shape) : null,
      needs[1] ? matmulRaw(g, T(m2!)) : null,
      needs[2] ? matmulRaw(T(m1!), g) : null,
    ],
  }),
};

function checkMatmulDTypes(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) throw runtimeError(`expected scalar type ${TYPE_NAME[a.dtype]} but found ${TYPE_NAME[b.dtype]}`);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.shape.length;
  const db = b.shape.length;
  if (da === 0 || db === 0) {
    throw runtimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da > 2 || db > 2) {
    throw runtimeError(`GradLab supports matmul of 1-D and 2-D tensors only, but got ${da}-D and ${db}-D tensors; reshape them to 2-D first`);
  }
  if (da === 1 && db === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw runtimeError(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    if (a.dtype !== b.dtype) throw runtimeError(`dot : expected both vectors to have same dtype, but found ${TYPE_NAME[a.dtype]} and ${TYPE_NAME[b.dtype]}`);
    return apply(LINALG_OPS.dot, [a, b], NONE);
  }
  checkMatmulDTypes(a, b);
  if (da === 2 && db === 1) {
    if (a.shape[1] !== b.shape[0]) throw runtimeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${b.shape[0]}`);
    return apply(LINALG_OPS.mv, [a, b], NONE);
  }
  const as = da === 1 ? [1, a.shape[0]] : a.shape;
  if (as[1] !== b.shape[0]) {
    throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${as[0]}x${as[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  return apply(da === 1 ? LINALG_OPS.vm : LINALG_OPS.mm, [a, b], NONE);
}

/** torch.mm: 2-D operands only. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2) throw runtimeError('self must be a matrix');
  if (b.shape.length !== 2) throw runtimeError('mat2 must be a matrix');
  return matmul(a, b);
}

/** torch.bmm: [B, n, k] @ [B, k, m], one matrix product per batch entry (BmmBackward0). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 3) throw runtimeError('batch1 must be a 3D tensor');
  if (b.shape.length !== 3) throw runtimeError('batch2 must be a 3D tensor');
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  checkMatmulDTypes(a, b);
  return apply(LINALG_OPS.bmm, [a, b], NONE);
}

/** torch.addmm(bias, mat1, mat2) = bias + mat1 @ mat2, one node (AddmmBackward0). */
export function addmm(bias: Tensor, m1: Tensor, m2: Tensor): Tensor {
  if (m1.shape.length !== 2) throw runtimeError(`mat1 must be a matrix, got ${m1.shape.length}-D tensor`);
  if (m2.shape.length !== 2) throw runtimeError(`mat2 must be a matrix, got ${m2.shape.length}-D tensor`);
  if (m1.shape[1] !== m2.shape[0]) {
    throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${m1.shape[0]}x${m1.shape[1]} and ${m2.shape[0]}x${m2.shape[1]})`);
  }
  checkMatmulDTypes(m1, m2);
  checkMatmulDTypes(m1, bias);
  return apply(LINALG_OPS.addmm, [bias, m1, m2], NONE);
}

/** F.linear(x, W, b): addmm(b, x, W.t()) for 2-D x (AddmmBackward0 over TBackward0), else x @ W.t() (+ b). */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  if (x.shape.length === 2 && bias !== null) return addmm(bias, x, t(weight));
  const out = matmul(x, t(weight));
  return bias === null ? out : out.add(bias);
}
