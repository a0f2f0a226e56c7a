// How tensors, dtypes, grad_fn objects and the device behave as Python objects: their native
// types (names, printing, truth, format, len, attributes, operators, liveness).
import { markNodeLive, markTensorLive, Tensor } from '../../../engine/index';
import { qualifiedName, type Node } from '../../../engine/autograd';
import type { NativeType } from '../../context';
import { PyException, typeError } from '../../errors';
import { formatValue } from '../../format';
import { Builtin, objectAddress, PyTuple, PyType } from '../../values';
import { checkedIndex, setTensorItem } from './indexing';
import { compareTensors, iterateTensor, TENSOR_FUSED_KERNELS, tensorBinary, tensorInplace, tensorUnary } from './operators';
import { setTensorAttr, TENSOR_METHODS, tensorAttr, tensorLen } from './tensor-methods';
import { NDARRAY_TYPE, NUMPY_DTYPE_TYPE } from './numpy';
import { RETURN_TYPES_TYPE } from './return-types';
import { GENERATOR_TYPE } from './generator';
import { bindArgs, CPU, elementValue, GradFnRef, gradFnRef, tensorClass, TORCH_DTYPE_CLASS, TorchDevice, TorchDType } from './values';

/** torch.Tensor */
export const TENSOR_TYPE: NativeType = {
  name: 'Tensor',
  pyType: tensorClass,
  is: (v) => v instanceof Tensor,
  repr: (v) => (v as Tensor).toString(),
  truthy(v) {
    const t = v as Tensor;
    const n = t.numel();
    if (n === 1) return t.item() !== 0;
    if (n === 0) throw new PyException('RuntimeError', 'Boolean value of Tensor with no values is ambiguous');
    throw new PyException('RuntimeError', 'Boolean value of Tensor with more than one value is ambiguous');
  },
  format(v, spec, cx) {
    const t = v as Tensor;
    if (t.dim() === 0) return formatValue(cx, elementValue(t.itemExact(), t.dtype), spec);
    if (spec === '') return t.toString();
    throw typeError('unsupported format string passed to Tensor.__format__');
  },
  len: (v) => tensorLen(v as Tensor),
  scalar: (v) => (v as Tensor).itemExact(),
  getAttr: (v, name, cx) => tensorAttr(cx, v as Tensor, name),
  setAttr: (v, name, value, cx) => setTensorAttr(cx, v as Tensor, name, value),
  callMethod(v, name, args, kwargs, cx) {
    const m = TENSOR_METHODS.get(name);
    return m !== undefined ? m(v, args, kwargs, cx) : undefined;
  },
  binary: tensorBinary,
  inplace: (op, a, b) => tensorInplace(op, a as Tensor, b),
  unary: (op, a, cx) => tensorUnary(op, a as Tensor, cx),
  compare: (op, a, b) => compareTensors(op, a, b),
  getItem: (v, index, cx) => checkedIndex(cx, v as Tensor, index),
  setItem: (v, index, value, cx) => setTensorItem(cx, v as Tensor, index, value),
  iterate: (v) => iterateTensor(v as Tensor),
  markLive(v, stamp) {
    markTensorLive(v as Tensor, stamp);
    return true;
  },
  fused: TENSOR_FUSED_KERNELS,
};

/** torch.float32, torch.int64, torch.bool, ... */
export const DTYPE_TYPE: NativeType = {
  name: 'dtype',
  pyType: TORCH_DTYPE_CLASS,
  is: (v) => v instanceof TorchDType,
  repr: (v) => (v as TorchDType).pyName,
  getAttr(v, name) {
    const d = v as TorchDType;
    if (name === 'is_floating_point') return d.isFloatingPoint;
    if (name === 'is_signed') return d.isSigned;
    if (name === 'is_complex') return false;
    // PyTorch's message names the type torch.dtype (its __name__ is just 'dtype')
    if (!name.startsWith('__')) throw new PyException('AttributeError', `'torch.dtype' object has no attribute '${name}'`);
    return undefined;
  },
};

/** t.grad_fn: its type's name is the node's (AddBackward0, ...). */
export const GRAD_FN_TYPE: NativeType = {
  name: 'grad_fn',
  nameOf: (v) => (v as GradFnRef).node.name,
  is: (v) => v instanceof GradFnRef,
  repr: (v) => `<${(v as GradFnRef).node.name} object at ${objectAddress(v)}>`,
  getAttr(v, name) {
    const ref = v as GradFnRef;
    if (name === 'name') return new Builtin('name', () => qualifiedName(ref.node as Node));
    const node = ref.node as Node;
    // Each edge is (the node that takes this input's gradient, which of its outputs): leaves are
    // reached through their AccumulateGrad, inputs that need no gradient are (None, 0).
    if (name === 'next_functions') return new PyTuple(node.shownEdges().map((n) => new PyTuple([n === null ? null : gradFnRef(n), 0n])));
    if (name === 'variable' && node.leaf !== null) return node.leaf;
    return undefined;
  },
  markLive(v, stamp) {
    markNodeLive((v as GradFnRef).node as Node, stamp);
    return true;
  },
};

const DEVICE_TYPES = 'cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, xla, lazy, vulkan, mps, meta, hpu, privateuseone'.split(', ');

/** torch.device('cpu'), torch.device('cuda:1'), torch.device('cuda', 0): only the CPU runs tensors here. */
export const deviceClass = new PyType(
  'device',
  (args, kwargs) => {
    const a = bindArgs('device', args, kwargs, ['type', 'index']);
    const spec = a.type;
    if (typeof spec !== 'string') throw typeError(`device() received an invalid combination of arguments`);
    const m = /^([a-z]+)(?::(.*))?$/.exec(spec);
    if (!m || !DEVICE_TYPES.includes(m[1])) {
      throw new PyException('RuntimeError', `Expected one of ${DEVICE_TYPES.join(', ')} device type at start of device string: ${spec}`);
    }
    if (m[2] !== undefined && !/^(0|[1-9]\d*)$/.test(m[2])) throw new PyException('RuntimeError', `Invalid device string: '${spec}'`);
    const index = m[2] !== undefined ? Number(m[2]) : typeof a.index === 'bigint' ? Number(a.index) : null;
    return m[1] === 'cpu' && index === null ? CPU : new TorchDevice(m[1], index);
  },
  'torch',
);

/** t.device */
export const DEVICE_TYPE: NativeType = {
  name: 'device',
  pyType: deviceClass,
  is: (v) => v instanceof TorchDevice,
  repr: (v) => {
    const d = v as TorchDevice;
    return d.index === null ? `device(type='${d.type}')` : `device(type='${d.type}', index=${d.index})`;
  },
  str: (v) => {
    const d = v as TorchDevice;
    return d.index === null ? d.type : `${d.type}:${d.index}`;
  },
  getAttr: (v, name) => (name === 'type' ? (v as TorchDevice).type : name === 'index' ? ((v as TorchDevice).index === null ? null : BigInt((v as TorchDevice).index as number)) : undefined),
};

/** The torch module's native types, most used first (the interpreter checks them in order). */
export const TORCH_NATIVE_TYPES: readonly NativeType[] = [TENSOR_TYPE, DTYPE_TYPE, GRAD_FN_TYPE, RETURN_TYPES_TYPE, NDARRAY_TYPE, NUMPY_DTYPE_TYPE, DEVICE_TYPE, GENERATOR_TYPE];
