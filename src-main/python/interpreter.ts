// The interpreter: one per program run, like CPython's interpreter state. It owns the builtins,
// the modules (definitions and the ones imported so far), the native object types modules
// registered, the limits and the host's hooks, and the state of the running program (module
// cells, call frames, the current line). Everything below it receives it explicitly as a
// Context; nothing in the runner keeps module-level state that a run depends on.
import { getAttr } from './attributes';
import { bindArguments } from './binding';
import { STANDARD_BUILTINS, STANDARD_NATIVE_TYPES } from './builtins/index';
import { DEFAULT_LIMITS, type Context, type Kwargs, type Limits, type NativeType, type Value } from './context';
import { PyException, typeError } from './errors';
import { ModuleRegistry, type ModuleDefinition, type ModuleHost } from './module-registry';
import { RECURSION_WHILE_CALLING, typeName } from './objects';
import { Cell, Frame, PyFunction, RETURN, toPyException, type StmtFn } from './runtime';
import { blockingSleep } from './sleep';
import { MemoryBudget, type MemoryMeter } from './memory-budget';
import { estimateReachableBytes } from './memory-estimate';
import { setAllocationGuard } from '../engine';
import { callWithSelf, lookup } from './classes';
import { BoundMethod, Builtin, PyClass, PyContextManager, PyInstance, PyMethod, PyStaticMethod, PyType, type PyModule } from './values';
import { BUILTIN_TYPES } from './types';

/** CPython 3.11 specialises code once its calls and loop turns reach 8 (QUICKENING_WARMUP_DELAY). */
const QUICKENING_WARMTH = 8;

/** Loop turns between two calls of the host's housekeeping (and checks of the memory budget). */
const TICKS_PER_CHECK_IN = 4096;

export interface InterpreterOptions {
  /** Receives program output (print) as it is produced. */
  write: (text: string) => void;
  /** Called every few thousand loop iterations and while sleeping (flush output, check the time). */
  housekeeping?: () => void;
  /** How time.sleep blocks (default: Atomics.wait in short steps, calling housekeeping between them). */
  sleep?: (seconds: number, ip: Interpreter) => void;
  limits?: Partial<Limits>;
  /** Measures the runner's memory for the budget (limits.memoryBudget); without one only single huge allocations are refused. */
  memoryMeter?: MemoryMeter;
  /** The modules a program may import (modules/index.ts's STANDARD_MODULES for the app). */
  modules?: Iterable<ModuleDefinition>;
}

export interface RunResult {
  ok: boolean;
  /** Exactly the last line of Python's traceback. */
  errorLine?: string;
  /** 1-based line the error was raised on. */
  line?: number;
}

export class Interpreter implements Context, ModuleHost {
  // ----- the running program -----
  /** Line of the statement being executed (1-based). */
  line = 0;
  /** Recursion depth as CPython counts it: Python calls plus the C-level checks (enterRecursion). */
  depth = 0;
  /** Loop iterations since the last housekeeping call. */
  ticks = 0;
  /** Module-level variables. */
  readonly globals = new Map<string, Cell>();
  /** Frames of the calls being run, outermost first (their locals are live). */
  readonly frames: Frame[] = [];
  /** Exceptions being handled (for bare `raise`), innermost last. */
  readonly handling: PyException[] = [];
  /** The frames of generators waiting at a yield (live for loop memory sweeps; compiler/generators.ts). */
  readonly suspendedFrames = new Set<Frame>();
  /** The containers repr() is printing (objects.ts). */
  readonly reprInProgress = new Set<object>();
  /** CPython's warm-up count of the module's code (its one run, then its loop turns); see callerIsCold. */
  private moduleWarmth = 1;

  // ----- what the interpreter owns -----
  readonly builtins: Map<string, Value>;
  readonly modules: ModuleRegistry;
  readonly limits: Limits;
  readonly memory: MemoryBudget;
  private readonly nativeTypes: NativeType[] = [];
  private readonly output: (text: string) => void;
  private readonly checkIn: () => void;
  private readonly sleeper: (seconds: number, ip: Interpreter) => void;

  constructor(options: InterpreterOptions) {
    this.output = options.write;
    this.checkIn = options.housekeeping ?? (() => {});
    this.sleeper = options.sleep ?? blockingSleep;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.memory = new MemoryBudget(this.limits.memoryBudget, options.memoryMeter ?? null, () => estimateReachableBytes(this));
    this.builtins = new Map(STANDARD_BUILTINS);
    this.modules = new ModuleRegistry(options.modules ?? []);
    for (const m of this.modules.all()) m.install?.(this);
    // after the modules' types, so a tensor is recognised without asking these first
    for (const t of STANDARD_NATIVE_TYPES) this.registerNativeType(t);
    // the program runs as the main module (`if __name__ == '__main__':`)
    this.cell('__name__').value = '__main__';
  }

  // ----- Context -----

  write(text: string): void {
    this.output(text);
  }

  housekeeping(): void {
    this.memory.check();
    this.checkIn();
  }

  reserveMemory(bytes: number): void {
    this.memory.reserve(bytes);
  }

  /** One turn of a loop: every few thousand turns the host checks in and the budget is checked. */
  tick(): void {
    if (++this.ticks >= TICKS_PER_CHECK_IN) {
      this.ticks = 0;
      this.housekeeping();
    }
  }

  sleep(seconds: number): void {
    this.sleeper(seconds, this);
  }

  nativeType(v: object): NativeType | undefined {
    const types = this.nativeTypes;
    for (let i = 0; i < types.length; i++) if (types[i].is(v)) return types[i];
    return undefined;
  }

  getAttr(obj: Value, name: string): Value {
    return getAttr(this, obj, name);
  }

  enterRecursion(where: string): void {
    if (this.depth >= this.limits.recursionLimit) throw new PyException('RecursionError', 'maximum recursion depth exceeded' + where);
    this.depth++;
  }

  leaveRecursion(): void {
    this.depth--;
  }

  call(fn: Value, args: Value[], kwargs: Kwargs): Value {
    if (fn instanceof PyFunction) return this.callFunction(fn, args, kwargs);
    if (fn instanceof Builtin) {
      if (fn.recursionCheck === undefined || (fn.recursionCheck === 'cold' && !this.callerIsCold())) return fn.fn(args, kwargs, this);
      return this.callChecked(() => fn.fn(args, kwargs, this));
    }
    if (fn instanceof BoundMethod) return fn.impl(fn.self, args, kwargs, this);
    if (fn instanceof PyMethod) return this.call(fn.fn, [fn.self, ...args], kwargs);
    if (fn instanceof PyClass) return this.callChecked(() => fn.construct(args, kwargs, this));
    if (fn instanceof PyType) {
      if (fn === BUILTIN_TYPES.get('str') && this.callerIsCold()) return this.callChecked(() => fn.construct(args, kwargs, this));
      return fn.construct(args, kwargs, this);
    }
    if (fn instanceof PyInstance) {
      const method = lookup(fn.cls, '__call__');
      if (method !== undefined) return this.callChecked(() => callWithSelf(this, method, fn, fn.cls, args, kwargs, '__call__'));
    }
    if (fn instanceof PyContextManager) {
      if (fn.call) return fn.call(args, kwargs, this);
      if (args.length === 1 && kwargs === null) return contextDecorator(fn, args[0]);
    }
    if (fn instanceof PyStaticMethod) return this.call(fn.fn, args, kwargs);
    throw typeError(`'${typeName(this, fn)}' object is not callable`);
  }

  // ----- for modules -----

  /** Makes the interpreter recognise a module's native object type (call from ModuleDefinition.install). */
  registerNativeType(type: NativeType): void {
    // A specialised type must be asked before its base, which would claim its instances too.
    const at = type.base ? this.nativeTypes.indexOf(type.base) : -1;
    if (at >= 0) this.nativeTypes.splice(at, 0, type);
    else this.nativeTypes.push(type);
  }

  /** `import name` */
  importModule(name: string, line: number): PyModule {
    return this.modules.import(this, name, line);
  }

  // ----- running -----

  /** The cell of a module-level name. */
  cell(name: string): Cell {
    let c = this.globals.get(name);
    if (!c) {
      c = new Cell(name);
      this.globals.set(name, c);
    }
    return c;
  }

  /** A call CPython makes through a recursion check (' while calling a Python object'). */
  private callChecked(f: () => Value): Value {
    this.enterRecursion(RECURSION_WHILE_CALLING);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /**
   * Whether the calling code still runs unspecialised in CPython 3.11 (its first calls and loop
   * turns, see loopTurn). There CPython calls a built-in through a path with a recursion check
   * that its specialised call instructions skip, so the depth at which a runaway recursion stops,
   * and the words its RecursionError ends with, depend on it.
   */
  private callerIsCold(): boolean {
    const fn = this.frames[this.frames.length - 1]?.func;
    return (fn ? fn.warmth : this.moduleWarmth) < QUICKENING_WARMTH;
  }

  /** A loop turn in `frame`'s code, which CPython counts towards specialising the code, as a call. */
  loopTurn(frame: Frame): void {
    const fn = frame.func;
    if (fn === null) {
      if (this.moduleWarmth < QUICKENING_WARMTH) this.moduleWarmth++;
    } else if (fn.warmth < QUICKENING_WARMTH) fn.warmth++;
  }

  callFunction(fn: PyFunction, args: Value[], kwargs: Kwargs): Value {
    if (fn.warmth < QUICKENING_WARMTH) fn.warmth++;
    const locals: Value[] = new Array(fn.nLocals);
    if (fn.simplePositional && kwargs === null && args.length === fn.params.length) {
      for (let i = 0; i < args.length; i++) locals[i] = args[i];
    } else bindArguments(fn, args, kwargs, locals);
    const frame = new Frame(locals, fn.closure, fn);
    if (this.depth >= this.limits.recursionLimit) throw new PyException('RecursionError', 'maximum recursion depth exceeded');
    this.depth++;
    const savedLine = this.line;
    const frames = this.frames;
    const frameCount = frames.length;
    frames.push(frame);
    try {
      return fn.body(frame) === RETURN ? frame.ret : null;
    } catch (e) {
      throw toPyException(e, this.line);
    } finally {
      frames.length = frameCount;
      this.depth--;
      this.line = savedLine;
    }
  }

  /** Runs a compiled module body. Never throws for program errors: they come back in the result. */
  execute(program: StmtFn): RunResult {
    const moduleFrame = new Frame([], null);
    this.frames.push(moduleFrame);
    // tensor storage counts against the same budget as Python objects
    const previousGuard = setAllocationGuard((bytes) => this.memory.reserve(bytes));
    try {
      program(moduleFrame);
      return { ok: true };
    } catch (e) {
      const ex = toPyException(e, this.line);
      return { ok: false, errorLine: ex.errorLine, line: ex.line };
    } finally {
      setAllocationGuard(previousGuard);
    }
  }
}

/** `@torch.no_grad()` on a function: the function, run inside the context manager (contextlib.ContextDecorator). */
function contextDecorator(manager: PyContextManager, fn: Value): Builtin {
  const name = fn instanceof PyFunction ? fn.name : manager.kind;
  return new Builtin(
    name,
    (args, kwargs, cx) => {
      manager.enter();
      try {
        return cx.call(fn, args, kwargs);
      } finally {
        manager.exit();
      }
    },
    undefined,
    fn,
  );
}
