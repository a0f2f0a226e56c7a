// Public API of the GradLab autograd engine (the contract is described in docs/ENGINE.md).
export { TorchError } from './errors';
export type { PyErrorType } from './errors';
export type { DType, ScalarLike, PyScalar, Storage } from './dtype';
export { pyFloat, pyInt, pyBool, isFloating, promoteTypes, TENSOR_TYPE_NAME, TYPE_NAME } from './dtype';
export { Tensor } from './tensor';
export type { NestedArray } from './tensor';
export { torch } from './torch';
export type { CreationOptions, TensorData } from './torch';
export { formatSize } from './shape';
export { printOptions, resetPrintOptions, setPrintOptions } from './print';
export type { PrintOptions } from './print';
export { guardAllocation, setAllocationGuard, type AllocationGuard } from './allocation-guard';
export { arenaIdleBytes } from './arena';
export { fma32, fma64, twoProduct } from './fma';
export { OPS, OP_NAMES } from './ops';
export { beginSweepScope, endSweepScope, markNodeLive, markTensorLive, newLivenessStamp, sweepScope, sweepScopeNewBytes, sweepScopeSize } from './lifetime';
