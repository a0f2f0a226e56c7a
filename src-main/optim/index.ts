// torch.optim's arithmetic over the engine's tensors (the Python binding adds param_groups,
// argument checks and printing). Bit for bit with PyTorch 1.13's CPU single-tensor code.
export { sgdStep, sgdUpdate, SGD_DEFAULTS, type SgdSettings } from './sgd';
export { adamStep, adamUpdate, biasCorrections, ADAM_DEFAULTS, type AdamSettings, type AdamBuffers } from './adam';
export { adagradInitState, adagradStep, rmspropStep, type AdagradSettings, type RmspropSettings } from './rmsprop';
export { fma32, pythonPow } from './float';
export type { OptimizerState, ParamState } from './state';
