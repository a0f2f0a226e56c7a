// The torch module for the runner (module registration): `torch` itself, whose tensor types join
// every interpreter when it starts, and the submodules GradLab does not have yet.
import { PyException } from '../../errors';
import type { ModuleDefinition } from '../../module-registry';
import { makeModule } from '../../values';
import { torchAttributes } from './factories';
import { TORCH_NATIVE_TYPES } from './objects';
import { optimModule } from './optim';

/** Real torch attributes GradLab does not have yet: using one says so plainly. */
const UNSUPPORTED_TORCH_ATTRS = [
  'nn', 'sigmoid', 'relu', 'tanh', 'softmax', 'cat', 'stack', 'max', 'min', 'argmax', 'argmin', 'transpose',
  'squeeze', 'unsqueeze', 'flatten', 'randint', 'randperm', 'normal', 'eye', 'diag', 'where', 'clamp', 'dot', 'mm',
  'from_numpy', 'save', 'load', 'device', 'cuda', 'float64', 'double', 'int32', 'int', 'float16', 'half', 'uint8',
  'int8', 'int16', 'autograd', 'utils', 'sin', 'cos', 'square', 'std', 'var', 'norm', 'allclose', 'equal', 'prod',
  'cumsum', 'set_printoptions', 'empty_like', 'full_like', 'rand_like', 'randn_like', 'as_tensor', 'from_list', 'logspace', 'round',
];

/** `import torch`: the tensor types join the interpreter when it starts, the module object on import. */
export const torchModule: ModuleDefinition = {
  name: 'torch',
  install(ip) {
    for (const t of TORCH_NATIVE_TYPES) ip.registerNativeType(t);
  },
  create(ip) {
    const torch = makeModule('torch', torchAttributes(), UNSUPPORTED_TORCH_ATTRS);
    // `import torch` brings its submodules along, as in PyTorch: torch.optim.SGD works without `import torch.optim`.
    torch.attrs.set('optim', ip.importModule('torch.optim', ip.line));
    return torch;
  },
};

/** torch's submodules GradLab does not have yet: importing one says so plainly. */
export const torchSubmodulesNotYet: ModuleDefinition[] = ['nn', 'autograd', 'utils', 'nn.functional', 'utils.data'].map((sub) => ({
  name: `torch.${sub}`,
  create(ip) {
    throw new PyException('NotImplementedError', `GradLab does not support the 'torch.${sub}' module yet; the lessons build models from tensors directly (line ${ip.line})`);
  },
}));

export const TORCH_MODULES: readonly ModuleDefinition[] = [torchModule, optimModule, ...torchSubmodulesNotYet];
