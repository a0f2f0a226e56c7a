import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSize, formatTensor, formatTensorContents, type PrintDType } from '../../../src-main/engine/print';

// Expected reprs come from real PyTorch 1.13.1 (tests/fixtures/engine/print/gen_print.py).
interface PrintCase {
  name: string;
  dtype: PrintDType;
  shape: number[];
  requires_grad: boolean;
  grad_fn: string | null;
  data: (string | boolean)[];
  repr: string;
}
// Copies of ../shared/torch-reference programs (beside the repository) and their PyTorch output.
const referencePath = (name: string) => fileURLToPath(new URL(`../../fixtures/engine/print/${name}`, import.meta.url));
const fixturePath = fileURLToPath(new URL('../../fixtures/engine/print/print_cases.json', import.meta.url));
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
  cases: PrintCase[];
  sizes: { shape: number[]; repr: string }[];
};

function storageOf(c: PrintCase): Float32Array | Float64Array | BigInt64Array | boolean[] {
  if (c.dtype === 'bool') return c.data as boolean[];
  if (c.dtype === 'int64') return BigInt64Array.from(c.data as string[], (s) => BigInt(s));
  const hex = c.data as string[];
  if (c.dtype === 'float64') {
    const out = new Float64Array(hex.length);
    const view = new DataView(out.buffer);
    hex.forEach((h, i) => view.setBigUint64(i * 8, BigInt('0x' + h), true));
    return out;
  }
  const out = new Float32Array(hex.length);
  const view = new DataView(out.buffer);
  hex.forEach((h, i) => view.setUint32(i * 4, parseInt(h, 16), true));
  return out;
}

describe('formatTensor matches PyTorch 1.13 repr', () => {
  expect(fixture.cases.length).toBeGreaterThanOrEqual(60);
  for (const c of fixture.cases) {
    it(c.name, () => {
      const text = formatTensor({
        data: storageOf(c),
        shape: c.shape,
        dtype: c.dtype,
        requiresGrad: c.requires_grad,
        gradFnName: c.grad_fn,
      });
      expect(text).toBe(c.repr);
    });
  }
});

describe('print details', () => {
  it('prints the lesson reference lines', () => {
    const lesson = readFileSync(referencePath('06_print_formats.out'), 'utf8').split('\n');
    const f32 = (values: number[]) => Float32Array.from(values);
    const plain = (data: Float32Array, shape: number[], requiresGrad = false) =>
      formatTensor({ data, shape, dtype: 'float32', requiresGrad, gradFnName: null });
    expect(plain(f32([2, 4]), [2])).toBe(lesson[0]);
    expect(plain(f32([0.25, -3.5, 10]), [3])).toBe(lesson[1]);
    expect(plain(f32([50000, 0.5]), [2])).toBe(lesson[2]);
    expect(plain(f32([0.001, 2]), [2])).toBe(lesson[3]);
    expect(plain(f32([7]), [])).toBe(lesson[4]);
    expect(plain(f32([0.125]), [])).toBe(lesson[5]);
    expect(plain(f32([1, 1, 1, 1, 1, 1]), [3, 2])).toBe(lesson.slice(6, 9).join('\n'));
    expect(plain(f32([0, 0]), [2], true)).toBe(lesson[9]);
  });

  it('accepts int64 stored as plain numbers and bools stored as 0/1', () => {
    expect(formatTensor({ data: [1, 2], shape: [2], dtype: 'int64', requiresGrad: false, gradFnName: null })).toBe('tensor([1, 2])');
    expect(formatTensor({ data: Uint8Array.from([1, 0]), shape: [2], dtype: 'bool', requiresGrad: false, gradFnName: null })).toBe(
      'tensor([ True, False])',
    );
  });

  it('prefers grad_fn over requires_grad, as PyTorch does', () => {
    const text = formatTensor({ data: Float32Array.from([3]), shape: [], dtype: 'float32', requiresGrad: true, gradFnName: 'AddBackward0' });
    expect(text).toBe('tensor(3., grad_fn=<AddBackward0>)');
  });

  it('explains a storage/shape mismatch', () => {
    expect(() => formatTensor({ data: [1, 2, 3], shape: [2, 2], dtype: 'float32', requiresGrad: false, gradFnName: null })).toThrow(
      /storage has 3 elements but shape \(2, 2\) needs 4/,
    );
  });

  it('formatTensorContents gives the bare brackets for other prefixes', () => {
    expect(formatTensorContents({ data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2], dtype: 'float32' }, 10)).toBe(
      '[[1., 2.],\n           [3., 4.]]',
    );
  });

  it('formatSize prints torch.Size', () => {
    for (const s of fixture.sizes) expect(formatSize(s.shape)).toBe(s.repr);
    expect(formatSize([2, 3])).toBe('torch.Size([2, 3])');
  });
});

describe('random values printed like the lesson', () => {
  it('reproduces 01_switch_off_grad: randn(3) after manual_seed(0), twice', async () => {
    const { manualSeed, randnFill } = await import('../../../src-main/engine/random');
    const out = readFileSync(referencePath('01_switch_off_grad.out'), 'utf8').split('\n');
    manualSeed(0);
    const first = new Float32Array(3);
    randnFill(first);
    expect(formatTensor({ data: first, shape: [3], dtype: 'float32', requiresGrad: true, gradFnName: null })).toBe(out[0]);
    const second = new Float32Array(3);
    randnFill(second);
    expect('new x: ' + formatTensor({ data: second, shape: [3], dtype: 'float32', requiresGrad: true, gradFnName: null })).toBe(out[2]);
  });
});
