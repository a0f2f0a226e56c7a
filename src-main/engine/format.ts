// Tensor -> PyTorch repr, via the printer in print.ts (owned by the print/RNG helper).
import { formatTensor } from './print';
import type { Tensor } from './tensor';

export function formatTensorRepr(t: Tensor): string {
  return formatTensor({
    data: t.data,
    shape: t.shape,
    dtype: t.dtype,
    requiresGrad: t.requiresGrad,
    gradFnName: t.gradFn ? t.gradFn.name : null,
  });
}
