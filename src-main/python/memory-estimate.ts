// Where the host cannot measure the runner's memory (a Web Worker: performance.memory is the
// page's only, and a worker that exhausts V8's heap takes Chromium's whole tab down), the budget
// estimates it: a walk over everything the program can reach, as liveness.ts walks it, adding
// up what V8 needs for it (array slots with growth room, dict and set entries, strings, big
// ints, object headers) plus the storage of every tensor reached (views counted once). Walking
// costs time in proportion to what the program holds, so the budget walks again only after the
// program has run a few times as long as the last walk took (memory-budget.ts).
import { Tensor } from '../engine/index';
import type { Interpreter } from './interpreter';
import { ClassFrame, Frame, PyFunction } from './runtime';
import { PySet } from './sets';
import { BoundMethod, Builtin, PyDict, PyExceptionValue, PyInstance, PyList, PyMethod, PyModule, PyTuple, PyType, type Value } from './values';

/** Bytes V8 needs per array slot, with the room a growing array keeps (up to half again). */
const SLOT_BYTES = 12;
const OBJECT_BYTES = 32;
const DICT_ENTRY_BYTES = 64;
const SET_ENTRY_BYTES = 48;

/** What the program's reachable values take, estimated. */
export function estimateReachableBytes(ip: Interpreter): number {
  const stack: Value[] = [];
  const seen = new Set<object>();
  const storages = new Set<object>();
  let bytes = 0;
  const scalar = (x: Value): void => {
    if (typeof x === 'string') bytes += 16 + x.length * 2;
    // small ints are often one shared value ([0] * n), big ones rarely: halfway for the small
    else if (typeof x === 'bigint') bytes += x < 2n ** 62n && x > -(2n ** 62n) ? 8 : 16 + Math.ceil((x < 0n ? -x : x).toString(16).length / 16) * 8;
    else if (typeof x === 'object' && x !== null) stack.push(x);
  };
  const slots = (items: readonly Value[]): void => {
    bytes += OBJECT_BYTES + items.length * SLOT_BYTES;
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      if (typeof x === 'object' ? x !== null : typeof x === 'string' || typeof x === 'bigint') scalar(x);
    }
  };
  for (const cell of ip.globals.values()) scalar(cell.value);
  for (const frame of ip.frames) stack.push(frame);
  for (const ex of ip.handling) scalar(ex.pyValue);
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Tensor) {
      const storage = v._storage;
      if (!storages.has(storage)) {
        storages.add(storage);
        bytes += storage.byteLength;
      }
      bytes += OBJECT_BYTES * 4;
      if (v.grad) stack.push(v.grad);
    } else if (v instanceof PyList || v instanceof PyTuple) slots(v.items);
    else if (v instanceof PyDict) {
      bytes += OBJECT_BYTES + v.map.size * DICT_ENTRY_BYTES;
      for (const [k, x] of v.map.values()) {
        scalar(k);
        scalar(x);
      }
    } else if (v instanceof PySet) {
      bytes += OBJECT_BYTES + v.size * SET_ENTRY_BYTES;
      for (const x of v) scalar(x);
    } else if (v instanceof Frame) {
      slots(v.locals);
      scalar(v.ret);
      if (v.parent) stack.push(v.parent);
      if (v instanceof ClassFrame) for (const x of v.namespace.values()) scalar(x);
    } else if (v instanceof PyInstance) {
      bytes += OBJECT_BYTES + v.dict.size * DICT_ENTRY_BYTES;
      for (const x of v.dict.values()) scalar(x);
      if (v instanceof PyExceptionValue) for (const x of v.args) scalar(x);
    } else if (v instanceof PyFunction) {
      bytes += OBJECT_BYTES;
      for (const d of v.defaults) scalar(d);
      for (const x of v.attrs.values()) scalar(x);
      if (v.closure) stack.push(v.closure);
    } else if (v instanceof PyType) {
      bytes += OBJECT_BYTES;
      for (const x of v.dict.values()) scalar(x);
    } else if (v instanceof BoundMethod) scalar(v.self);
    else if (v instanceof PyMethod) {
      scalar(v.self);
      scalar(v.fn);
    } else if (v instanceof Builtin) scalar(v.boundTo);
    else if (v instanceof PyModule) {
      // modules are the runner's own; what a program stores in one is reached through its names
    } else bytes += OBJECT_BYTES;
  }
  return bytes;
}
