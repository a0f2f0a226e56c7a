// The torch.nn, torch.nn.functional, torch.nn.init and torch.nn.utils modules for the runner.
import type { ModuleDefinition } from '../../../module-registry';
import { makeModule, type Value } from '../../../values';
import { functionalAttributes, UNSUPPORTED_FUNCTIONAL } from './functional';
import { initAttributes, UNSUPPORTED_INIT } from './init';
import { ACTIVATION_CLASSES } from './activations';
import { CLASS_LOSS_CLASSES } from './class-losses';
import { CONTAINER_CLASSES } from './containers';
import { LAYER_CLASSES } from './layers';
import { MODULE_CLASS } from './module';
import { PARAMETER_TYPE, parameterClass } from './parameter';
import { UNSUPPORTED_UTILS, utilsAttributes } from './utils';

/** Real torch.nn classes GradLab does not have yet: using one says so plainly. */
const UNSUPPORTED_NN = [
  'Conv1d', 'Conv2d', 'Conv3d', 'MaxPool2d', 'AvgPool2d', 'Dropout2d', 'AlphaDropout', 'BatchNorm1d', 'BatchNorm2d', 'LayerNorm', 'Embedding',
  'RNN', 'LSTM', 'GRU', 'Transformer', 'SmoothL1Loss',
  'HuberLoss', 'Softplus', 'ReLU6', 'Hardtanh', 'CELU', 'PReLU', 'Mish', 'Hardswish', 'Softsign', 'Tanhshrink',
  'Bilinear', 'DataParallel',
];

export const nnModule: ModuleDefinition = {
  name: 'torch.nn',
  install(ip) {
    ip.registerNativeType(PARAMETER_TYPE);
  },
  create(ip) {
    const attrs: Record<string, Value> = { Parameter: parameterClass, Module: MODULE_CLASS };
    for (const cls of [...LAYER_CLASSES, ...ACTIVATION_CLASSES, ...CLASS_LOSS_CLASSES, ...CONTAINER_CLASSES]) attrs[cls.name] = cls;
    attrs.functional = ip.importModule('torch.nn.functional', ip.line);
    attrs.init = ip.importModule('torch.nn.init', ip.line);
    attrs.utils = ip.importModule('torch.nn.utils', ip.line);
    return makeModule('torch.nn', attrs, UNSUPPORTED_NN);
  },
};

export const nnFunctionalModule: ModuleDefinition = {
  name: 'torch.nn.functional',
  create: () => makeModule('torch.nn.functional', functionalAttributes(), UNSUPPORTED_FUNCTIONAL),
};

export const nnInitModule: ModuleDefinition = {
  name: 'torch.nn.init',
  create: () => makeModule('torch.nn.init', initAttributes(), UNSUPPORTED_INIT),
};

export const nnUtilsModule: ModuleDefinition = {
  name: 'torch.nn.utils',
  create: () => makeModule('torch.nn.utils', utilsAttributes(), UNSUPPORTED_UTILS),
};

export const NN_MODULES: readonly ModuleDefinition[] = [nnModule, nnFunctionalModule, nnInitModule, nnUtilsModule];

