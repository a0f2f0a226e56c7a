// Automatic memory release for tensors made inside loops. CPython frees a tensor as soon as the
// last name referring to it is rebound (reference counting), so PyTorch reuses the same buffers
// epoch after epoch. JavaScript's GC runs much later, so without help every epoch's temporaries
// would fill the engine's WebAssembly arena. Instead, each loop runs in an engine sweep scope:
// after every completed iteration, a mark phase walks everything the program can still reach
// (module variables, the locals of active calls and of generators waiting at a yield, containers, functions' closures and defaults,
// bound methods, exceptions being handled, attributes of imported modules; for tensors their
// .grad and autograd graph) and the engine frees the buffers allocated in that loop that were
// not reached. Anything the walk cannot see inside (an iterator stored in a variable) makes it
// give up for that iteration: memory then waits, nothing is ever freed too early.
import { beginSweepScope, endSweepScope, newLivenessStamp, sweepScope, sweepScopeNewBytes, sweepScopeSize } from '../engine/index';
import type { Interpreter } from './interpreter';
import { PyNotImplemented } from './classes';
import { ClassFrame, Frame, PyFunction } from './runtime';
import { PySet } from './sets';
import {
  BoundMethod,
  Builtin,
  MethodDescriptor,
  PyClassMethod,
  PyEllipsis,
  PyInstance,
  PyMethod,
  PyProperty,
  PyStaticMethod,
  PySuper,
  PyContextManager,
  PyDict,
  PyExceptionValue,
  PyIterator,
  PyList,
  PyModule,
  PyRange,
  PySlice,
  PyTuple,
  PyType,
  type Value,
} from './values';

/** Starts a loop's memory scope (call after the loop's iterable is evaluated). */
export function enterLoopMemory(): void {
  beginSweepScope();
}

/** Ends a loop's memory scope; whatever it still holds goes to the enclosing loop (or the GC). */
export function exitLoopMemory(): void {
  endSweepScope();
}

/**
 * A loop's new buffers wait for a sweep until they add up to this much. The walk over everything
 * the program can reach costs as much as a pass over a 65,536-value tensor, so the lesson loop
 * at that size sweeps every fourth epoch (its blocks come back a few epochs later, still in the
 * cache), and at 786,432 values every epoch.
 */
const SWEEP_AFTER_BYTES = 1 << 20;

/** After a completed iteration: frees the loop's buffers that the program can no longer reach. */
export function sweepLoopMemory(ip: Interpreter): void {
  if (sweepScopeSize() === 0 || sweepScopeNewBytes() < SWEEP_AFTER_BYTES) return;
  const stamp = newLivenessStamp();
  if (markReachable(ip, stamp)) sweepScope(stamp);
}

/** Marks every tensor the program can reach; false when something opaque was met. */
function markReachable(ip: Interpreter, stamp: number): boolean {
  const stack: Value[] = [];
  const seen = new Set<object>();
  for (const cell of ip.globals.values()) stack.push(cell.value);
  for (const frame of ip.frames) stack.push(frame);
  for (const frame of ip.suspendedFrames) stack.push(frame);
  for (const ex of ip.handling) stack.push(ex.pyValue);
  for (const m of ip.modules.loaded.values()) stack.push(m);
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    const native = ip.nativeType(v);
    if (native) {
      // tensors are cheap and idempotent to mark: no need to remember them in `seen`
      if (native.markLive && !native.markLive(v, stamp)) return false;
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    if (v instanceof PyList || v instanceof PyTuple) {
      for (const x of v.items) if (typeof x === 'object' && x !== null) stack.push(x);
    } else if (v instanceof PySet) {
      for (const x of v) stack.push(x);
    } else if (v instanceof PyDict) {
      for (const [k, x] of v.map.values()) {
        stack.push(k);
        stack.push(x);
      }
    } else if (v instanceof PyFunction) {
      for (const d of v.defaults) stack.push(d);
      for (const x of v.attrs.values()) stack.push(x);
      stack.push(v.closure);
    } else if (v instanceof Frame) {
      for (const x of v.locals) if (typeof x === 'object' && x !== null) stack.push(x);
      stack.push(v.ret);
      stack.push(v.parent);
      stack.push(v.func);
      if (v instanceof ClassFrame) for (const x of v.namespace.values()) stack.push(x);
    } else if (v instanceof BoundMethod) {
      stack.push(v.self);
    } else if (v instanceof Builtin) {
      stack.push(v.boundTo);
    } else if (v instanceof PyInstance) {
      stack.push(v.cls);
      for (const x of v.dict.values()) stack.push(x);
      if (v instanceof PyExceptionValue) {
        for (const x of v.args) stack.push(x);
        stack.push(v.cause);
      }
    } else if (v instanceof PyType) {
      for (const x of v.dict.values()) stack.push(x);
      for (const b of v.bases) stack.push(b);
    } else if (v instanceof PyMethod) {
      stack.push(v.self, v.fn);
    } else if (v instanceof PySuper) {
      stack.push(v.self);
    } else if (v instanceof PyProperty) {
      stack.push(v.fget, v.fset);
    } else if (v instanceof PyStaticMethod || v instanceof PyClassMethod) {
      stack.push(v.fn);
    } else if (v instanceof PyModule) {
      if (v.assigned) for (const x of v.attrs.values()) stack.push(x);
    } else if (v instanceof PySlice) {
      stack.push(v.start, v.stop, v.step);
    } else if (v instanceof PyRange || v instanceof PyContextManager || v instanceof MethodDescriptor || v instanceof PyNotImplemented || v instanceof PyEllipsis) {
      // hold no values
    } else if (v instanceof PyIterator) {
      return false; // its state lives in a closure the walk cannot see
    } else return false;
  }
  return true;
}
