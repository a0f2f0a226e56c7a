// Public API of the Python runner: run a program's source, streaming its output.
//   tokenizer.ts -> parser.ts -> fusion.ts (optional) -> compiler.ts -> Interpreter.execute
import type { CellGraph } from '../contract/graph';
import { recordGraph, type RecordOptions } from '../graph/recorder';
import { Compiler } from './compiler/index';
import type { Limits } from './context';
import { fuseProgram } from './fusion';
import { programVariables } from './graph-variables';
import { Interpreter, type InterpreterOptions, type RunResult } from './interpreter';
import type { ModuleDefinition } from './module-registry';
import { STANDARD_MODULES } from './modules/index';
import { parse } from './parser/index';
import { toPyException } from './runtime';

export type { RunResult } from './interpreter';
export { PyException } from './errors';

export interface RunOptions {
  /** Receives program output (print) as it is produced. */
  write: (text: string) => void;
  /** Called every few thousand loop iterations and before sleeping (flush output, etc.). */
  housekeeping?: () => void;
  /** How time.sleep blocks (default: Atomics.wait in short steps). */
  sleep?: InterpreterOptions['sleep'];
  limits?: Partial<Limits>;
  /** Measures the runner's memory for limits.memoryBudget (see memory-budget.ts). */
  memoryMeter?: InterpreterOptions['memoryMeter'];
  /** The fusion pass (fusion.ts); on by default. Off runs every operator as written. */
  fusion?: boolean;
  /** The importable modules (default: STANDARD_MODULES). */
  modules?: Iterable<ModuleDefinition>;
  /** Record the autograd graph the program builds (for the cell's Graph view); see graph/recorder.ts. */
  recordGraph?: Omit<RecordOptions, 'line'>;
}

export type RunOutcome = RunResult & { graph?: CellGraph };

/**
 * Runs a Python program in a fresh interpreter. Never throws for program errors: an uncaught
 * exception returns { ok: false, errorLine, line } where errorLine is exactly the last line of
 * Python's traceback.
 */
export function runPython(source: string, options: RunOptions): RunOutcome {
  const ip = new Interpreter({
    write: options.write,
    housekeeping: options.housekeeping,
    sleep: options.sleep,
    limits: options.limits,
    memoryMeter: options.memoryMeter,
    modules: options.modules ?? STANDARD_MODULES,
  });
  let program;
  try {
    const tree = parse(source);
    program = new Compiler(ip).compileModule(options.fusion === false ? tree : fuseProgram(tree));
  } catch (e) {
    const ex = toPyException(e);
    return { ok: false, errorLine: ex.errorLine, line: ex.line };
  }
  if (!options.recordGraph) return ip.execute(program);
  const recording = recordGraph({ ...options.recordGraph, line: () => ip.line });
  let result: RunResult;
  try {
    result = ip.execute(program);
  } catch (e) {
    recording.stop();
    throw e;
  }
  return { ...result, graph: recording.finish(programVariables(ip)) };
}

/** Runs a program and returns everything it printed, plus the error line like run_torch.py. */
export function runPythonToString(source: string, options: Omit<RunOptions, 'write'> = {}): { output: string; result: RunOutcome } {
  let output = '';
  const result = runPython(source, { ...options, write: (t) => (output += t) });
  if (!result.ok) output += result.errorLine + '\n';
  return { output, result };
}
