// Python's subscripts on runtime values: obj[i], obj[a:b:c], assignment and del through them,
// and slices resolved as CPython resolves them. Native types (tensors) and class instances get
// their own slots.
import type { Context, Value } from './context';
import { indexError, typeError, valueError } from './errors';
import { asIndex, typeName } from './objects';
import { instanceDelItem, instanceGetItem, instanceSetItem } from './instance-ops';
import { rangeItem, rangeSlice } from './ranges';
import { appendAll, PyDict, PyInstance, PyList, PyRange, PySlice, PyTuple } from './values';
import { nativeOf, keyError, iterableToArray, isIntLike, intOf } from './ops';

function normIndex(i: number, len: number, what: string): number {
  const j = i < 0 ? i + len : i;
  if (j < 0 || j >= len) throw indexError(`${what} index out of range`);
  return j;
}

/** Resolves a slice against a length like PySlice_AdjustIndices: [start, stop, step, count]. */
export function sliceIndices(s: PySlice, len: number): [number, number, number, number] {
  const num = (v: Value): number | null => {
    if (v === null) return null;
    if (isIntLike(v)) return Number(intOf(v));
    throw typeError('slice indices must be integers or None or have an __index__ method');
  };
  const stepRaw = num(s.step);
  const step = stepRaw ?? 1;
  if (step === 0) throw valueError('slice step cannot be zero');
  let start = num(s.start);
  let stop = num(s.stop);
  if (start === null) start = step < 0 ? len - 1 : 0;
  else {
    if (start < 0) start += len;
    if (start < 0) start = step < 0 ? -1 : 0;
    else if (start >= len) start = step < 0 ? len - 1 : len;
  }
  if (stop === null) stop = step < 0 ? -1 : len;
  else {
    if (stop < 0) stop += len;
    if (stop < 0) stop = step < 0 ? -1 : 0;
    else if (stop >= len) stop = step < 0 ? len - 1 : len;
  }
  let count = 0;
  if (step < 0) {
    if (stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  return [start, stop, step, count];
}

function sliceArray<T>(items: T[], s: PySlice): T[] {
  const [start, , step, count] = sliceIndices(s, items.length);
  if (step === 1) return items.slice(start, start + count);
  const out: T[] = [];
  for (let i = 0, j = start; i < count; i++, j += step) out.push(items[j]);
  return out;
}

export function getItem(cx: Context, obj: Value, index: Value): Value {
  if (obj instanceof PyList || obj instanceof PyTuple) {
    const kind = obj instanceof PyList ? 'list' : 'tuple';
    if (typeof index === 'bigint') {
      const items = obj.items;
      let i = Number(index);
      if (i < 0) i += items.length;
      if (i >= 0 && i < items.length) return items[i];
      throw indexError(`${kind} index out of range`);
    }
    if (index instanceof PySlice) {
      const items = sliceArray(obj.items, index);
      return obj instanceof PyList ? new PyList(items) : new PyTuple(items);
    }
    const i = asIndex(index, () => `${kind} indices must be integers or slices, not ${typeName(cx, index)}`);
    return obj.items[normIndex(i, obj.items.length, kind)];
  }
  if (typeof obj === 'string') {
    if (index instanceof PySlice) return sliceArray(Array.from(obj), index).join('');
    const i = asIndex(index, () => `string indices must be integers, not '${typeName(cx, index)}'`);
    return obj[normIndex(i, obj.length, 'string')];
  }
  if (obj instanceof PyInstance) return instanceGetItem(cx, obj, index);
  const native = nativeOf(cx, obj);
  if (native?.getItem) return native.getItem(obj as object, index, cx);
  if (obj instanceof PyDict) {
    const v = obj.get(index);
    if (v === undefined) throw keyError(cx, index);
    return v;
  }
  if (obj instanceof PyRange) {
    if (index instanceof PySlice) return rangeSlice(obj, index);
    return rangeItem(obj, index, () => `range indices must be integers or slices, not ${typeName(cx, index)}`);
  }
  throw typeError(`'${typeName(cx, obj)}' object is not subscriptable`);
}

export function setItem(cx: Context, obj: Value, index: Value, value: Value): void {
  if (obj instanceof PyList) {
    if (index instanceof PySlice) {
      const [start, , step, count] = sliceIndices(index, obj.items.length);
      const values = iterableToArray(cx, value);
      if (step === 1) {
        const tail = obj.items.splice(start);
        appendAll(obj.items, values);
        appendAll(obj.items, tail.slice(count));
        return;
      }
      if (values.length !== count) {
        throw valueError(`attempt to assign sequence of size ${values.length} to extended slice of size ${count}`);
      }
      for (let i = 0, j = start; i < count; i++, j += step) obj.items[j] = values[i];
      return;
    }
    const i = asIndex(index, () => `list indices must be integers or slices, not ${typeName(cx, index)}`);
    const j = i < 0 ? i + obj.items.length : i;
    if (j < 0 || j >= obj.items.length) throw indexError('list assignment index out of range');
    obj.items[j] = value;
    return;
  }
  if (obj instanceof PyDict) {
    obj.set(index, value);
    return;
  }
  if (obj instanceof PyInstance) {
    instanceSetItem(cx, obj, index, value);
    return;
  }
  const native = nativeOf(cx, obj);
  if (native?.setItem) {
    native.setItem(obj as object, index, value, cx);
    return;
  }
  throw typeError(`'${typeName(cx, obj)}' object does not support item assignment`);
}

export function delItem(cx: Context, obj: Value, index: Value): void {
  if (obj instanceof PyInstance) {
    instanceDelItem(cx, obj, index);
    return;
  }
  if (obj instanceof PyList) {
    if (index instanceof PySlice) {
      const [start, , step, count] = sliceIndices(index, obj.items.length);
      const remove = new Set<number>();
      for (let i = 0, j = start; i < count; i++, j += step) remove.add(j);
      obj.items = obj.items.filter((_, k) => !remove.has(k));
      return;
    }
    const i = asIndex(index, () => `list indices must be integers or slices, not ${typeName(cx, index)}`);
    const j = i < 0 ? i + obj.items.length : i;
    if (j < 0 || j >= obj.items.length) throw indexError('list assignment index out of range');
    obj.items.splice(j, 1);
    return;
  }
  if (obj instanceof PyDict) {
    if (!obj.delete(index)) throw keyError(cx, index);
    return;
  }
  throw typeError(`'${typeName(cx, obj)}' object doesn't support item deletion`);
}
