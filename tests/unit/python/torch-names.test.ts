// A real PyTorch name GradLab does not have says so plainly; a misspelt one is Python's
// AttributeError, as in PyTorch. The list of real names is generated from PyTorch 1.13
// (tests/fixtures/python/tools/torch_names.py).
import { describe, expect, it } from 'vitest';
import { runPython } from '../../../src-main/python/index';
import { TENSOR_ATTRIBUTE_NAMES, TORCH_MODULE_NAMES } from '../../../src-main/python/modules/torch/torch-names';

function errorOf(source: string): string | undefined {
  const r = runPython(`import torch\nt = torch.ones(2)\n${source}\n`, { write: () => {} });
  return r.errorLine;
}

describe('names GradLab does not have', () => {
  it('a real torch function or Tensor method is reported as not supported, by name and line', () => {
    expect(errorOf('torch.logcumsumexp(t, 0)')).toBe('NotImplementedError: GradLab does not support torch.logcumsumexp yet (line 3)');
    expect(errorOf('torch.bucketize(t, t)')).toBe('NotImplementedError: GradLab does not support torch.bucketize yet (line 3)');
    expect(errorOf('t.logcumsumexp(0)')).toBe('NotImplementedError: GradLab does not support Tensor.logcumsumexp yet (line 3)');
    expect(errorOf('t.is_sparse')).toBe('NotImplementedError: GradLab does not support Tensor.is_sparse yet (line 3)');
  });

  it('a misspelt name is an AttributeError with PyTorch text', () => {
    expect(errorOf('torch.sofmax(t, 0)')).toBe("AttributeError: module 'torch' has no attribute 'sofmax'");
    expect(errorOf('t.szie()')).toBe("AttributeError: 'Tensor' object has no attribute 'szie'");
  });

  it('the generated lists hold what the lessons use and only public names', () => {
    for (const name of ['tensor', 'zeros', 'no_grad', 'manual_seed', 'float64']) expect(TORCH_MODULE_NAMES).toContain(name);
    for (const name of ['backward', 'grad', 'view', 'item']) expect(TENSOR_ATTRIBUTE_NAMES).toContain(name);
    expect([...TORCH_MODULE_NAMES, ...TENSOR_ATTRIBUTE_NAMES].filter((n) => n.startsWith('_'))).toEqual([]);
  });
});
