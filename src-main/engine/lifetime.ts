// Automatic release of tensor memory for callers that can see every live tensor, such as the
// Python runner (it knows all variables, containers and frames). Instead of torch.tidy()'s
// "free everything not returned", a sweep scope frees only the storages that a mark phase did
// not reach:
//   beginSweepScope();            // e.g. when a loop starts
//   ... each iteration: const s = newLivenessStamp(); markTensorLive(t, s) for every tensor
//       the program can still reach; sweepScope(s);   // frees the rest, reused next iteration
//   endSweepScope();              // survivors go to the enclosing scope (or the GC)
// Only storages allocated while the scope is innermost are candidates, so tensors made before
// it (held anywhere, even in JavaScript variables) are never touched.
import type { Node } from './autograd';
import { enterScope, exitScopeKeepingAll, innermostScopeCount, innermostScopeNewBytes, sweepInnermostScope } from './arena';
import type { Tensor } from './tensor';

let lastStamp = 0;

/** A fresh stamp for one mark phase. */
export function newLivenessStamp(): number {
  lastStamp = (lastStamp + 1) | 0 || 1;
  return lastStamp;
}

/** Marks t live: its storage, its .grad, the tensor it views, and the saved tensors of its graph. */
export function markTensorLive(t: Tensor, stamp: number): void {
  t._version.mark = stamp;
  if (t.grad !== null) markTensorLive(t.grad, stamp);
  const base = t._base;
  if (base !== null && base !== t) {
    base._version.mark = stamp;
    if (base.grad !== null) markTensorLive(base.grad, stamp);
    if (base._gradFn !== null) markNodeLive(base._gradFn, stamp);
  }
  if (t._gradFn !== null) markNodeLive(t._gradFn, stamp);
}

const nodeStack: Node[] = [];

/** Marks a grad_fn graph live: every node reachable from `node`, their saved tensors and leaves. */
export function markNodeLive(node: Node, stamp: number): void {
  if (node.mark === stamp) return;
  const stack = nodeStack;
  const base = stack.length;
  stack.push(node);
  while (stack.length > base) {
    const n = stack.pop()!;
    if (n.mark === stamp) continue;
    n.mark = stamp;
    n.forEachSaved((t) => markTensorLive(t, stamp));
    if (n.leaf) markTensorLive(n.leaf, stamp);
    for (const child of n.next) if (child !== null && child.mark !== stamp) stack.push(child);
  }
}

/** Starts a scope whose storages are freed by sweepScope when no longer marked. */
export function beginSweepScope(): void {
  enterScope();
}

/** Storages the innermost scope holds (a sweep is pointless when this is 0). */
export function sweepScopeSize(): number {
  return innermostScopeCount();
}

/** Bytes of arena memory the innermost sweep scope handed out since its last sweep. */
export function sweepScopeNewBytes(): number {
  return innermostScopeNewBytes();
}

/** Frees the innermost scope's storages not marked with `stamp`; returns how many were freed. */
export function sweepScope(stamp: number): number {
  return sweepInnermostScope(stamp);
}

/** Ends the innermost sweep scope, handing what is left to the enclosing scope (or the GC). */
export function endSweepScope(): void {
  exitScopeKeepingAll();
}
