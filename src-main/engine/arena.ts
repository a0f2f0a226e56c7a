// Float32 tensor storage inside one WebAssembly memory, so the SIMD kernels of wasm.ts work on
// tensors in place (no copies). The memory is reserved once and never grows, so every
// Float32Array view handed out stays valid.
//
// Lifetimes. JavaScript cannot see when a tensor becomes unreachable during a synchronous loop,
// so arena blocks are returned in two ways:
//  - torch.tidy(fn): blocks allocated while fn runs are freed when it returns, except for the
//    tensors fn returns, tensors passed to torch.keep(), and gradients stored in a leaf's .grad.
//    The next epoch then gets the very same blocks back (exact-size free lists): no allocation,
//    no page faults. Using a tensor freed this way throws an error that says how to keep it.
//  - everything else is freed by a FinalizationRegistry once the tensor is garbage collected.
// When the arena is full (or WebAssembly SIMD is missing), storage falls back to ordinary
// Float32Arrays and the plain JavaScript kernels: always correct, just slower.
import { guardAllocation } from './allocation-guard';
import { instantiateKernels } from './wasm';
import type { Kernels } from './wasm';

/** Tensors smaller than this stay in the JS heap: the arena pays off for big arrays only. */
export const ARENA_MIN_ELEMENTS = 256;
const ARENA_BYTES = 192 * 1024 * 1024;
/** Untidied allocations may use only this share, so tidy scopes always find room. */
const UNSCOPED_LIMIT = ARENA_BYTES / 2;
/** Bytes at the start reserved as scratch (cascade-sum accumulators). */
export const SCRATCH_BYTES = 1024;

/** The shared state of a storage: views of one tensor share it (version counter + lifetime). */
export class StorageRef {
  /** bumped by every in-place change (checked by saved tensors) */
  value = 0;
  block: Block | null = null;
  disposed = false;
  /**
   * A storage whose every element is this value but has not been written yet (the gradient
   * of sum/mean is uniform: consumers that understand it skip a whole pass). Reading `data`
   * writes it out first.
   */
  pendingFill: number | null = null;
  pendingArray: Float32Array | null = null;
  /** liveness stamp of the last mark phase that reached this storage (see lifetime.ts) */
  mark = 0;
}

export class Block {
  constructor(
    readonly offset: number,
    readonly bytes: number,
  ) {}
  freed = false;
}

interface Arena {
  memory: WebAssembly.Memory;
  heap: Float32Array;
  kernels: Kernels;
  bump: number;
  unscopedBytes: number;
  freeLists: Map<number, number[]>;
  /** bytes in the free lists */
  freeBytes: number;
}

let arena: Arena | null | undefined;
let enabled = true;

function init(): Arena | null {
  try {
    if (typeof WebAssembly === 'undefined') return null;
    const memory = new WebAssembly.Memory({ initial: ARENA_BYTES / 65536, maximum: ARENA_BYTES / 65536 });
    const kernels = instantiateKernels(memory);
    if (!kernels) return null;
    return {
      memory,
      heap: new Float32Array(memory.buffer),
      kernels,
      bump: SCRATCH_BYTES,
      unscopedBytes: 0,
      freeLists: new Map(),
      freeBytes: 0,
    };
  } catch {
    return null;
  }
}

export function getArena(): Arena | null {
  if (!enabled) return null;
  if (arena === undefined) arena = init();
  return arena;
}

/** Switches the arena and the WASM kernels off or on (tests of the pure-JS path). */
export function setArenaEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Bytes of the arena no tensor uses (never handed out, or freed). The arena is reserved in one
 * piece when the first tensor is made, so a memory budget that measures the process subtracts
 * this part: it is not the program's.
 */
export function arenaIdleBytes(): number {
  const a = arena;
  return a ? ARENA_BYTES - a.bump + a.freeBytes : 0;
}

/** True when `a` is a view into the arena (so the WASM kernels can address it). */
export function inArena(a: ArrayBufferView): boolean {
  // heap.buffer, not memory.buffer: the memory never grows, and the getter is slow
  return enabled && arena != null && a.buffer === arena.heap.buffer;
}

// ---- scopes ---------------------------------------------------------------------------------

interface Scope {
  refs: StorageRef[];
  /** bytes of arena blocks handed out in this scope since its last sweep */
  newBytes: number;
}
const scopes: Scope[] = [];

const registry: FinalizationRegistry<Block> | null =
  typeof FinalizationRegistry === 'undefined' ? null : new FinalizationRegistry<Block>((block) => freeBlock(block, false));

function freeBlock(block: Block, scoped: boolean): void {
  const a = arena; // not getArena(): blocks are returned even while the arena is switched off
  if (block.freed || !a) return;
  block.freed = true;
  if (!scoped) a.unscopedBytes -= block.bytes;
  a.freeBytes += block.bytes;
  let list = a.freeLists.get(block.bytes);
  if (!list) a.freeLists.set(block.bytes, (list = []));
  list.push(block.offset);
}

/**
 * Allocates n float32 elements (zeroed unless `uninitialized`) for a new storage. Returns an arena view when
 * possible, else a plain Float32Array.
 */
export function allocFloat32(n: number, ref: StorageRef, uninitialized = false): Float32Array {
  // larger than the whole arena: never fits (and n * 4 would overflow the 32-bit rounding below)
  const a = n >= ARENA_MIN_ELEMENTS && n <= ARENA_BYTES / 4 ? getArena() : null;
  if (!a) return plainFloat32(n);
  const bytes = (n * 4 + 15) & ~15;
  const scope = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  if (!scope && (a.unscopedBytes + bytes > UNSCOPED_LIMIT || !registry)) return plainFloat32(n);
  let offset: number;
  const list = a.freeLists.get(bytes);
  if (list && list.length > 0) {
    offset = list.pop()!;
    a.freeBytes -= bytes;
    // a recycled block holds old values: zero it unless the caller overwrites every element
    if (!uninitialized) a.heap.fill(0, offset >> 2, (offset >> 2) + n);
  } else if (a.bump + bytes <= ARENA_BYTES) {
    offset = a.bump;
    a.bump += bytes;
  } else return plainFloat32(n);
  const block = new Block(offset, bytes);
  ref.block = block;
  const view = new Float32Array(a.heap.buffer, offset, n);
  if (scope) {
    scope.refs.push(ref);
    scope.newBytes += bytes;
  } else handToGarbageCollector(ref, block);
  return view;
}

/** Storage outside the arena: new memory, so the allocation guard is asked first (the arena is reserved once). */
function plainFloat32(n: number): Float32Array {
  guardAllocation(n * 4);
  return new Float32Array(n);
}

/** Moves a scoped storage to the garbage-collected lifetime, whatever scope holds it. */
export function persistStorage(ref: StorageRef): void {
  const block = ref.block;
  if (!block || block.freed || ref.disposed) return;
  if (takeFromScopes(ref) >= 0) handToGarbageCollector(ref, block);
}

/** Removes ref from the innermost scope that holds it; returns that scope's index, or -1. */
function takeFromScopes(ref: StorageRef): number {
  for (let s = scopes.length - 1; s >= 0; s--) {
    const refs = scopes[s].refs;
    const i = refs.lastIndexOf(ref);
    if (i >= 0) {
      refs[i] = refs[refs.length - 1];
      refs.pop();
      return s;
    }
  }
  return -1;
}

/** From now on the storage is freed when its tensor is garbage collected. */
function handToGarbageCollector(ref: StorageRef, block: Block): void {
  if (!registry) return;
  arena!.unscopedBytes += block.bytes;
  registry.register(ref, block);
}

/** Hands a scoped storage to the enclosing scope (or, at the outermost, to the GC). */
export function keepStorage(ref: StorageRef): void {
  const block = ref.block;
  if (!block || block.freed || ref.disposed) return;
  const s = takeFromScopes(ref);
  // an inner scope keeps it: it belongs to the enclosing scope now
  if (s > 0) {
    scopes[s - 1].refs.push(ref);
    scopes[s - 1].newBytes += block.bytes;
  }
  else if (s === 0) handToGarbageCollector(ref, block);
}

export function enterScope(): void {
  scopes.push({ refs: [], newBytes: 0 });
}

/** Bytes of arena blocks the innermost scope handed out since it was last swept. */
export function innermostScopeNewBytes(): number {
  return scopes.length > 0 ? scopes[scopes.length - 1].newBytes : 0;
}

/** Storages allocated in the innermost scope and still held by it. */
export function innermostScopeCount(): number {
  return scopes.length > 0 ? scopes[scopes.length - 1].refs.length : 0;
}

/**
 * Frees the storages of the innermost scope whose `mark` is not `stamp` (a mark phase found no
 * live tensor using them) and marks them disposed; the rest stay in the scope. Returns how many
 * were freed.
 */
export function sweepInnermostScope(stamp: number): number {
  const scope = scopes[scopes.length - 1];
  if (!scope) return 0;
  scope.newBytes = 0;
  const refs = scope.refs;
  let kept = 0;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    if (ref.mark === stamp) refs[kept++] = ref;
    else {
      ref.disposed = true;
      if (ref.block) freeBlock(ref.block, true);
    }
  }
  const freed = refs.length - kept;
  refs.length = kept;
  return freed;
}

/** Ends the innermost scope without freeing anything: its storages go to the enclosing scope, or to the GC at the outermost. */
export function exitScopeKeepingAll(): void {
  const scope = scopes.pop();
  if (!scope) return;
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const ref of scope.refs) {
    const block = ref.block;
    if (!block || block.freed || ref.disposed) continue;
    if (parent) {
      parent.refs.push(ref);
      // new to the parent's sweeps too (or an outer loop that only runs inner loops would never sweep)
      parent.newBytes += block.bytes;
    } else handToGarbageCollector(ref, block);
  }
}

/** Ends the innermost scope: frees its blocks and marks their storages disposed. */
export function exitScope(): void {
  const scope = scopes.pop();
  if (!scope) return;
  for (const ref of scope.refs) {
    ref.disposed = true;
    if (ref.block) freeBlock(ref.block, true);
  }
}

/** Scratch area at the start of the arena (byte offset 0), for the cascade-sum accumulators. */
export function scratch(): Float32Array | null {
  const a = getArena();
  return a ? a.heap.subarray(0, SCRATCH_BYTES / 4) : null;
}
