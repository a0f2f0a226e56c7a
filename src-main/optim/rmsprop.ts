// torch.optim.RMSprop and torch.optim.Adagrad steps, as PyTorch 1.13's single-tensor
// implementations compute them in float32 (torch/optim/rmsprop.py, adagrad.py):
// RMSprop:  grad = grad.add(param, alpha=weight_decay)
//           square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
//           centered: grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
//                     avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_().add_(eps)
//           else      avg = square_avg.sqrt().add_(eps)
//           momentum: buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
//           else      param.addcdiv_(grad, avg, value=-lr)
// Adagrad:  step += 1; grad = grad.add(param, alpha=weight_decay)
//           clr = lr / (1 + (step - 1) * lr_decay)          (Python floats)
//           state_sum.addcmul_(grad, grad, value=1); std = state_sum.sqrt().add_(eps)
//           param.addcdiv_(grad, std, value=-clr)
// add_(alpha) and addcmul_ are one fused multiply-add each; mul_, sqrt, add_ and addcdiv_ round
// after each step (src-main/optim/float.ts).
import { torch, type Tensor } from '../engine/index';
import { fma32 } from './float';
import { float32Elements, float32Tensor, freshState, markModified, stateFor, stateTensor, writeElements, type OptimizerState } from './state';

const f = Math.fround;

export interface RmspropSettings {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export function rmspropStep(params: readonly Tensor[], s: RmspropSettings, state: OptimizerState): void {
  const alpha = f(s.alpha);
  const keep = f(1 - s.alpha);
  const eps = f(s.eps);
  const weightDecay = f(s.weightDecay);
  const momentum = f(s.momentum);
  const minusLr = f(-s.lr);
  for (const p of params) {
    if (p.grad === null) continue;
    const st = stateFor(state, p);
    // 1.13's RMSprop counts steps in a Python int (state['step'] = 0; += 1)
    if (Object.keys(st).length === 0) freshState(st, p, 0, ['square_avg', s.momentum > 0 && 'momentum_buffer', s.centered && 'grad_avg']);
    st.step = (st.step as number) + 1;
    const param = float32Elements(p);
    const grad = float32Elements(p.grad);
    const sq = float32Elements(stateTensor(st, 'square_avg'));
    const gradAvg = s.centered ? float32Elements(stateTensor(st, 'grad_avg')) : null;
    const buf = s.momentum > 0 ? float32Elements(stateTensor(st, 'momentum_buffer')) : null;
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i];
      if (s.weightDecay !== 0) g = fma32(param[i], weightDecay, g);
      sq[i] = fma32(f(keep * g), g, f(sq[i] * alpha));
      let avg: number;
      if (gradAvg) {
        gradAvg[i] = fma32(g, keep, f(gradAvg[i] * alpha));
        avg = f(f(Math.sqrt(fma32(-gradAvg[i], gradAvg[i], sq[i]))) + eps);
      } else {
        avg = f(f(Math.sqrt(sq[i])) + eps);
      }
      if (buf) {
        buf[i] = f(f(buf[i] * momentum) + f(g / avg));
        param[i] = fma32(buf[i], minusLr, param[i]);
      } else {
        param[i] = f(param[i] + f(f(minusLr * g) / avg));
      }
    }
    writeElements(p, param);
    for (const t of [p, st.square_avg, st.momentum_buffer, st.grad_avg]) if (t instanceof Object) markModified(t);
  }
}

export interface AdagradSettings {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/** Adagrad makes its state when it is constructed: step = tensor(0.), sum = initial_accumulator_value everywhere. */
export function adagradInitState(params: readonly Tensor[], initialAccumulator: number, state: OptimizerState): void {
  for (const p of params) {
    const st = stateFor(state, p);
    st.step = torch.zeros([]);
    st.sum = float32Tensor(p);
    float32Elements(st.sum).fill(initialAccumulator);
  }
}

export function adagradStep(params: readonly Tensor[], s: AdagradSettings, state: OptimizerState): void {
  const eps = f(s.eps);
  const weightDecay = f(s.weightDecay);
  for (const p of params) {
    if (p.grad === null) continue;
    const st = stateFor(state, p);
    const step = float32Elements(stateTensor(st, 'step'));
    step[0] = f(step[0] + 1);
    const clr = f(-(s.lr / (1 + (step[0] - 1) * s.lrDecay)));
    const param = float32Elements(p);
    const grad = float32Elements(p.grad);
    const sum = float32Elements(stateTensor(st, 'sum'));
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i];
      if (s.weightDecay !== 0) g = fma32(param[i], weightDecay, g);
      sum[i] = fma32(g, g, sum[i]);
      const std = f(f(Math.sqrt(sum[i])) + eps);
      param[i] = f(param[i] + f(f(clr * g) / std));
    }
    writeElements(p, param);
    for (const t of [p, stateTensor(st, 'step'), stateTensor(st, 'sum')]) markModified(t);
  }
}
