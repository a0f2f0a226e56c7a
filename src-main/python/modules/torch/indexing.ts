// Tensor indexing and item assignment: the Python index (ints, slices with steps, None, `...`,
// lists, index and mask tensors, and tuples of these) parsed as PyTorch's python_variable_indexing
// does, then applied by the engine (views for the basic part, copies for advanced indexing).
import { Tensor, TENSOR_TYPE_NAME, torch as engine, type NestedArray } from '../../../engine/index';
import { getItem, setItem, type IndexItem } from '../../../engine/ops/index';
import type { Context, Value } from '../../context';
import { PyException, typeError } from '../../errors';
import { typeName } from '../../objects';
import { ELLIPSIS, PyList, PySlice, PyTuple } from '../../values';
import { dataArg, scalarArg } from './values';

/** A slice bound: None, an int, or anything with __index__ (a 0-d integer tensor). */
function sliceBound(cx: Context, v: Value): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor && v.numel() === 1 && v.dtype !== 'float32' && v.dtype !== 'float64' && v.dtype !== 'bool') return v.item();
  throw typeError('slice indices must be integers or None or have an __index__ method');
}

/** NumPy's (and PyTorch's) rule: a short list holding slices, None, lists or tensors is a tuple of indices. */
function sequenceIsTuple(list: PyList): boolean {
  if (list.items.length >= 32) return false;
  return list.items.some((i) => i instanceof PySlice || i === null || i instanceof PyList || i instanceof PyTuple || i instanceof Tensor || isEllipsis(i));
}

function isEllipsis(v: Value): boolean {
  return v === ELLIPSIS;
}

/** A list used as an index becomes a tensor (ints: int64 positions; bools: a mask). */
function listIndex(cx: Context, list: PyList | PyTuple): Tensor {
  const t = engine.tensor(dataArg(cx, list, 'index') as NestedArray);
  if (t.dtype === 'float32' && t.numel() > 0) throw new PyException('IndexError', 'tensors used as indices must be long, byte or bool tensors');
  return t.numel() === 0 ? engine.tensor([], { dtype: 'int64' }) : t;
}

function parseItem(cx: Context, v: Value): IndexItem {
  if (typeof v === 'bigint') return { kind: 'int', value: Number(v) };
  if (typeof v === 'boolean') return { kind: 'tensor', tensor: engine.tensor(v) };
  if (v === null) return { kind: 'none' };
  if (isEllipsis(v)) return { kind: 'ellipsis' };
  if (v instanceof PySlice) return { kind: 'slice', start: sliceBound(cx, v.start), stop: sliceBound(cx, v.stop), step: sliceBound(cx, v.step) };
  if (v instanceof Tensor) return { kind: 'tensor', tensor: v };
  if (v instanceof PyList || v instanceof PyTuple) return { kind: 'tensor', tensor: listIndex(cx, v) };
  // PyTorch tries a str as a sequence of indices and fails converting it to a tensor
  if (typeof v === 'string') throw typeError("new(): invalid data type 'str'");
  throw new PyException(
    'IndexError',
    `only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeName(cx, v)})`,
  );
}

/** The index as the engine takes it: its items, and whether it was a tuple. */
function parseIndex(cx: Context, index: Value): { items: IndexItem[]; tuple: boolean } {
  if (index instanceof PyTuple) return { items: index.items.map((i) => parseItem(cx, i)), tuple: true };
  if (index instanceof PyList && sequenceIsTuple(index)) return { items: index.items.map((i) => parseItem(cx, i)), tuple: true };
  return { items: [parseItem(cx, index)], tuple: false };
}

/** t[index] */
export function checkedIndex(cx: Context, t: Tensor, index: Value): Tensor {
  const { items, tuple } = parseIndex(cx, index);
  return getItem(t, items, tuple);
}

/** t[index] = value: written through views (copy_) or with index_put_, as PyTorch's setitem. */
export function setTensorItem(cx: Context, t: Tensor, index: Value, value: Value): void {
  const { items, tuple } = parseIndex(cx, index);
  if (value instanceof Tensor) {
    setItem(t, items, tuple, value);
    return;
  }
  const s = scalarArg(value);
  if (s === undefined) {
    if (value instanceof PyList || value instanceof PyTuple) {
      setItem(t, items, tuple, engine.tensor(dataArg(cx, value, 'value') as NestedArray, { dtype: t.dtype }));
      return;
    }
    throw typeError(`can't assign a ${typeName(cx, value)} to a ${TENSOR_TYPE_NAME[t.dtype]}`);
  }
  setItem(t, items, tuple, s);
}
