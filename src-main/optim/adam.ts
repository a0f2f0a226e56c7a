// torch.optim.Adam's step, as PyTorch 1.13's single-tensor implementation (`_single_tensor_adam`
// in torch/optim/adam.py; not capturable, not differentiable) computes it in float32:
//   step_t += 1;  step = step_t.item()
//   grad = -grad if maximize else grad;  grad = grad.add(param, alpha=weight_decay)
//   exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
//   exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
//   bias_correction1 = 1 - beta1 ** step;  bias_correction2 = 1 - beta2 ** step   (Python floats)
//   step_size = lr / bias_correction1;  bias_correction2_sqrt = math.sqrt(bias_correction2)
//   amsgrad: torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq), used below instead
//   denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
//   param.addcdiv_(exp_avg, denom, value=-step_size)
// AdamW (adamw.py) is the same with param.mul_(1 - lr * weight_decay) in place of the decay term.
import { torch, type Tensor } from '../engine/index';
import { fma32, pythonPow } from './float';
import { float32Elements, float32Tensor, freshState, markModified, stateFor, stateTensor, writeElements, type OptimizerState } from './state';

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW: param.mul_(1 - lr * weight_decay) first, and the gradient keeps no weight decay term */
  decoupled?: boolean;
}

export const ADAM_DEFAULTS: AdamSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

export interface AdamBuffers {
  expAvg: Float32Array;
  expAvgSq: Float32Array;
  /** Only with amsgrad. */
  maxExpAvgSq: Float32Array | null;
}

/** Adam's bias corrections after `step` steps (1 on the first), as Python floats: 1 - beta ** step. */
export function biasCorrections(s: AdamSettings, step: number): [number, number] {
  return [1 - pythonPow(s.beta1, step), 1 - pythonPow(s.beta2, step)];
}

/** One element-wise Adam update of `param` and its buffers in place, given the step's bias corrections. */
export function adamUpdate(param: Float32Array, grad: Float32Array, b: AdamBuffers, [biasCorrection1, biasCorrection2]: [number, number], s: AdamSettings): void {
  const stepSize = Math.fround(-(s.lr / biasCorrection1));
  const correction2Sqrt = Math.fround(Math.sqrt(biasCorrection2));
  const weightDecay = Math.fround(s.weightDecay);
  const beta1 = Math.fround(s.beta1);
  const keep1 = Math.fround(1 - s.beta1);
  const beta2 = Math.fround(s.beta2);
  const keep2 = Math.fround(1 - s.beta2);
  const eps = Math.fround(s.eps);
  const { expAvg, expAvgSq, maxExpAvgSq } = b;
  const decay = Math.fround(1 - s.lr * s.weightDecay);
  for (let i = 0; i < param.length; i++) {
    let g = s.maximize ? -grad[i] : grad[i];
    if (s.decoupled) param[i] = Math.fround(param[i] * decay);
    else if (s.weightDecay !== 0) g = fma32(param[i], weightDecay, g);
    const m = fma32(g, keep1, Math.fround(expAvg[i] * beta1));
    const v = fma32(Math.fround(keep2 * g), g, Math.fround(expAvgSq[i] * beta2));
    expAvg[i] = m;
    expAvgSq[i] = v;
    let second = v;
    if (maxExpAvgSq) {
      const before = maxExpAvgSq[i];
      // torch.maximum propagates NaN.
      second = Number.isNaN(before) || Number.isNaN(v) ? NaN : Math.max(before, v);
      maxExpAvgSq[i] = second;
    }
    const denom = Math.fround(Math.fround(Math.fround(Math.sqrt(second)) / correction2Sqrt) + eps);
    param[i] = Math.fround(param[i] + Math.fround(Math.fround(stepSize * m) / denom));
  }
}

/** optimizer.step() for one parameter group: parameters without a gradient are skipped. */
export function adamStep(params: readonly Tensor[], s: AdamSettings, state: OptimizerState): void {
  for (const p of params) {
    if (p.grad === null) continue;
    const st = stateFor(state, p);
    if (Object.keys(st).length === 0) freshState(st, p, torch.zeros([]), ['exp_avg', 'exp_avg_sq', s.amsgrad && 'max_exp_avg_sq']);
    if (s.amsgrad && !st.max_exp_avg_sq) st.max_exp_avg_sq = float32Tensor(p);
    const stepTensor = stateTensor(st, 'step');
    const count = float32Elements(stepTensor);
    count[0] = Math.fround(count[0] + 1);
    const buffers: AdamBuffers = {
      expAvg: float32Elements(stateTensor(st, 'exp_avg')),
      expAvgSq: float32Elements(stateTensor(st, 'exp_avg_sq')),
      maxExpAvgSq: s.amsgrad ? float32Elements(stateTensor(st, 'max_exp_avg_sq')) : null,
    };
    const values = float32Elements(p);
    adamUpdate(values, float32Elements(p.grad), buffers, biasCorrections(s, count[0]), s);
    writeElements(p, values);
    for (const key of ['exp_avg', 'exp_avg_sq', ...(s.amsgrad ? ['max_exp_avg_sq'] : [])]) markModified(stateTensor(st, key));
    markModified(p);
    markModified(stepTensor);
  }
}
