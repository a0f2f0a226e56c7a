// What builtins, methods, the object protocols and modules may use of the running interpreter.
// The Interpreter (interpreter.ts) implements it; code below the interpreter depends on this
// interface only, so nothing imports the interpreter back and no module-level state is needed:
// every native function receives the context it runs in.

/**
 * A Python value. None -> null, bool -> boolean, int -> bigint (exact, unbounded), float ->
 * number, str -> string; containers, functions, modules and exceptions are the classes of
 * values.ts; other objects (tensors, dtypes, ...) are native objects described by a NativeType.
 */
export type Value = unknown;
/** Keyword arguments of a call, in the order given; null when there are none. */
export type Kwargs = Map<string, Value> | null;

/** What a program may use; the host chooses. */
export interface Limits {
  /**
   * Deepest Python call nesting before RecursionError; also the deepest nesting repr() and ==
   * follow into containers.
   */
  readonly recursionLimit: number;
  /** Bytes a program may use, tensors and Python objects together, before MemoryError (memory-budget.ts). */
  readonly memoryBudget: number;
}

/** 768 MiB: every lesson many times over, and below where one V8 array runs into its size limit (~1 GiB). */
export const DEFAULT_MEMORY_BUDGET = 768 * 1024 * 1024;

/**
 * CPython's default recursion limit is 1000 frames; a learner's program run as the reference
 * outputs were made (exec'd by ../shared/torch-reference/run_torch.py) has 997 of them left.
 */
export const DEFAULT_LIMITS: Limits = { recursionLimit: 997, memoryBudget: DEFAULT_MEMORY_BUDGET };

/**
 * An object type implemented natively by a module (torch.Tensor, torch.dtype, ...): how its
 * instances behave as Python objects, like the slots of CPython's PyTypeObject. Optional slots
 * fall back to what Python does for a plain object.
 */
export interface NativeType {
  /** type(x).__name__ */
  readonly name: string;
  /** type(x).__name__ when it differs per instance (a grad_fn is an AddBackward0, a MulBackward0, ...). */
  nameOf?(v: object): string;
  /** The type object type(x) returns and isinstance() compares with (a PyType), if any. */
  readonly pyType?: Value;
  /**
   * The native type this one specialises (nn.Parameter of Tensor): the interpreter asks this type
   * before its base, which would claim its instances too. (isinstance follows pyType's bases.)
   */
  readonly base?: NativeType;
  /** true when v is an instance of this type. */
  is(v: object): boolean;
  repr(v: object, cx: Context): string;
  str?(v: object, cx: Context): string;
  truthy?(v: object): boolean;
  /** format(v, spec) */
  format?(v: object, spec: string, cx: Context): string;
  len?(v: object): number;
  /** float(v) / int(v) for number-like objects (a bigint when exact as an int only); undefined when not one. */
  scalar?(v: object): number | bigint | undefined;
  /** Attribute read; undefined when there is no such attribute. */
  getAttr?(v: object, name: string, cx: Context): Value | undefined;
  /** Attribute write; false when the attribute cannot be set. */
  setAttr?(v: object, name: string, value: Value, cx: Context): boolean;
  /** v.name(*args, **kwargs) without a bound-method object; undefined when there is no such method. */
  callMethod?(v: object, name: string, args: Value[], kwargs: Kwargs, cx: Context): Value | undefined;
  /** a OP b where a or b is of this type; undefined when not defined for these operands. */
  binary?(op: string, a: Value, b: Value, cx: Context): Value | undefined;
  /** a OP= b in place (a is of this type): returns a, or undefined to fall back to a = a OP b. */
  inplace?(op: string, a: object, b: Value, cx: Context): Value | undefined;
  unary?(op: string, a: object, cx: Context): Value;
  /** a OP b for comparison operators; undefined when not defined for these operands. */
  compare?(op: string, a: Value, b: Value, cx: Context): Value | undefined;
  getItem?(v: object, index: Value, cx: Context): Value;
  setItem?(v: object, index: Value, value: Value, cx: Context): void;
  /** `item in v`, when it means more than one of v's items equals item (a bytes inside bytes). */
  contains?(v: object, item: Value, cx: Context): boolean;
  /** A next() function (undefined marks the end). */
  iterate?(v: object, cx: Context): () => Value | undefined;
  /** Marks the engine memory v keeps alive (liveness.ts); false when v may hide values it cannot mark. */
  markLive?(v: object, stamp: number): boolean;
  /** One-pass forms of operator sequences the fusion pass (fusion.ts) rewrote; absent = run them as written. */
  readonly fused?: FusedKernels;
}

/**
 * One-pass kernels for the sequences fusion.ts recognises. Each returns undefined when it does
 * not apply to its operands; the caller then runs the operators as written, so a kernel only
 * ever changes speed, never results.
 */
/** What a fused epoch leaves for the names y_hat and loss. */
export interface EpochOutputs {
  readonly yHat: Value;
  readonly loss: Value;
}

export interface FusedKernels {
  /** True when a * b cannot fail (so c may be read before multiplying). */
  mulAddCandidate(a: object, b: Value): boolean;
  /** a * b + c */
  mulAdd(a: object, b: Value, c: Value): Value | undefined;
  /** (a - b).pow(2).mean(), or ((a - b) ** 2).mean() */
  squaredErrorMean(a: object, b: Value): Value | undefined;
  /** target OP= t * s in place (op '+' or '-'), t of this type and s a Python number: returns target. */
  addScaledInPlace(target: object, op: '+' | '-', t: object, s: Value): Value | undefined;
  /**
   * One epoch of the lessons' loop (fusion.ts's fusedEpoch): y_hat = w * x + b, the mean squared
   * error against y, backward, `w -= lr * w.grad` and `b -= lr * b.grad` under no_grad, both
   * gradients zeroed. Returns y_hat and loss, or undefined having done nothing. `reuse`: what
   * this call site's previous epoch returned, when nothing in the program can reach it any more
   * but the two names about to be rebound; the kernel may write the new epoch into it and return it.
   */
  linearRegressionEpoch(w: object, x: Value, b: Value, y: Value, lr: Value, reuse: EpochOutputs | null): EpochOutputs | undefined;
  /**
   * The epoch's last four statements (fusion.ts's fusedStep): loss.backward(), both updates under
   * no_grad, both gradients zeroed, when loss's graph is the one the epoch's first two statements
   * record. True when done; false having done nothing.
   */
  linearRegressionStep(loss: object, w: Value, b: Value, lr: Value): boolean;
}

/** The running interpreter as builtins and modules see it. */
export interface Context {
  /** 1-based line of the statement being executed (for messages naming the line). */
  readonly line: number;
  readonly limits: Limits;
  /** Program output (print). */
  write(text: string): void;
  /** Lets the host flush output and check in, and checks the memory budget; called every few thousand loop iterations. */
  housekeeping(): void;
  /** Raises MemoryError unless `bytes` more fit in the program's memory budget (call before building something big). */
  reserveMemory(bytes: number): void;
  /** Blocks for `seconds` (time.sleep), keeping the host informed. */
  sleep(seconds: number): void;
  /** Calls any callable value: fn(*args, **kwargs). */
  call(fn: Value, args: Value[], kwargs: Kwargs): Value;
  /** obj.name (attributes.ts's getattr protocol). */
  getAttr(obj: Value, name: string): Value;
  /** The native type of v, if a module registered one for it. */
  nativeType(v: object): NativeType | undefined;
  /**
   * One more level of recursion, counted as CPython counts it (Python calls and the C-level
   * checks in repr(), str(), comparisons and calls share one depth); past the limit a
   * RecursionError whose message ends with `where` (RECURSION_WHILE_* in objects.ts).
   * Every successful enter is paired with leaveRecursion().
   */
  enterRecursion(where: string): void;
  leaveRecursion(): void;
  /** The containers repr() is printing, outermost first: one met again prints as `[...]`. */
  readonly reprInProgress: Set<object>;
}
