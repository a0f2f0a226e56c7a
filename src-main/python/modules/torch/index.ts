// The torch module for the runner (module registration): `torch` itself, whose tensor types join
// every interpreter when it starts, and the submodules GradLab does not have yet.
import { PyException } from '../../errors';
import type { ModuleDefinition } from '../../module-registry';
import { makeModule } from '../../values';
import { torchAttributes } from './factories';
import { TORCH_NATIVE_TYPES } from './objects';
import { NN_MODULES } from './nn/index';
import { UNSUPPORTED_DTYPE_NAMES } from './values';
import { lrSchedulerModule } from './lr-scheduler';
import { optimModule } from './optim';
import { dataModule, utilsModule } from './data';
import { resetPrintOptions } from './tensor-extras';
import { TORCH_MODULE_NAMES } from './torch-names';

/** Real torch attributes GradLab does not have yet (every public name of PyTorch's torch module): using one says so plainly. */
const UNSUPPORTED_TORCH_ATTRS = [...TORCH_MODULE_NAMES, ...UNSUPPORTED_DTYPE_NAMES];

/** `import torch`: the tensor types join the interpreter when it starts, the module object on import. */
export const torchModule: ModuleDefinition = {
  name: 'torch',
  install(ip) {
    for (const t of TORCH_NATIVE_TYPES) ip.registerNativeType(t);
  },
  create(ip) {
    resetPrintOptions();
    const torch = makeModule('torch', torchAttributes(), UNSUPPORTED_TORCH_ATTRS);
    // `import torch` brings its submodules along, as in PyTorch: torch.optim.SGD works without `import torch.optim`.
    torch.attrs.set('optim', ip.importModule('torch.optim', ip.line));
    torch.attrs.set('nn', ip.importModule('torch.nn', ip.line));
    torch.attrs.set('utils', ip.importModule('torch.utils', ip.line));
    return torch;
  },
};

/** torch's submodules GradLab does not have yet: importing one says so plainly. */
export const torchSubmodulesNotYet: ModuleDefinition[] = ['autograd'].map((sub) => ({
  name: `torch.${sub}`,
  create(ip) {
    throw new PyException('NotImplementedError', `GradLab does not support the 'torch.${sub}' module yet; the lessons build models from tensors directly (line ${ip.line})`);
  },
}));

export const TORCH_MODULES: readonly ModuleDefinition[] = [torchModule, optimModule, lrSchedulerModule, ...NN_MODULES, utilsModule, dataModule, ...torchSubmodulesNotYet];
