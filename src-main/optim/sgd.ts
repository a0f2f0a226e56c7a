// torch.optim.SGD's step, as PyTorch 1.13's single-tensor implementation (`_single_tensor_sgd`
// in torch/optim/sgd.py; foreach=None means this one on the CPU) computes it in float32:
//   d_p = -grad if maximize else grad
//   d_p = d_p.add(param, alpha=weight_decay)                  if weight_decay != 0
//   buf = clone(d_p)  or  buf.mul_(momentum).add_(d_p, alpha=1 - dampening)   if momentum != 0
//   d_p = d_p.add(buf, alpha=momentum) if nesterov else buf
//   param.add_(d_p, alpha=-lr)
import type { Tensor } from '../engine/index';
import { fma32 } from './float';
import { float32Elements, float32Tensor, markModified, stateFor, writeElements, type OptimizerState } from './state';

export interface SgdSettings {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export const SGD_DEFAULTS: Omit<SgdSettings, 'lr'> = { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * One element-wise SGD update of `param` in place. `buf` is the momentum buffer (updated in
 * place) or null on the first step with momentum, when it is created from d_p and returned.
 */
export function sgdUpdate(param: Float32Array, grad: Float32Array, buf: Float32Array | null, s: SgdSettings): Float32Array | null {
  const weightDecay = Math.fround(s.weightDecay);
  const momentum = Math.fround(s.momentum);
  const keep = Math.fround(1 - s.dampening);
  const step = Math.fround(-s.lr);
  const fresh = s.momentum !== 0 && buf === null;
  const buffer = fresh ? new Float32Array(param.length) : buf;
  for (let i = 0; i < param.length; i++) {
    let d = s.maximize ? -grad[i] : grad[i];
    if (s.weightDecay !== 0) d = fma32(param[i], weightDecay, d);
    if (s.momentum !== 0) {
      const b = fresh ? d : fma32(d, keep, Math.fround(buffer![i] * momentum));
      buffer![i] = b;
      d = s.nesterov ? fma32(b, momentum, d) : b;
    }
    param[i] = fma32(d, step, param[i]);
  }
  return buffer;
}

/** optimizer.step() for one parameter group: parameters without a gradient are skipped. */
export function sgdStep(params: readonly Tensor[], s: SgdSettings, state: OptimizerState): void {
  for (const p of params) {
    if (p.grad === null) continue;
    const st = stateFor(state, p);
    const old = st.momentum_buffer instanceof Object ? st.momentum_buffer : null;
    const values = float32Elements(p);
    const buf = sgdUpdate(values, float32Elements(p.grad), old ? float32Elements(old) : null, s);
    writeElements(p, values);
    markModified(p);
    if (old) {
      if (s.momentum !== 0) markModified(old);
    } else {
      st.momentum_buffer = buf ? float32Tensor(p, buf) : null;
    }
  }
}
