// Public API of the Python runner: run a program's source, streaming its output.
import './builtins';
import './torch-module';
import { resetModules } from './builtins';
import { Compiler, runCompiled, type RunResult } from './interp';
import { parse } from './parser';
import { Runtime, toPyException } from './runtime';
import { recordGraph, type RecordOptions } from '../graph/recorder';
import type { CellGraph } from '../contract/graph';
import { programVariables } from './graph-variables';

export type { RunResult } from './interp';
export { PyException } from './errors';

export interface RunOptions {
  /** Receives program output (print) as it is produced. */
  write: (text: string) => void;
  /** Called every few thousand loop iterations and before sleeping (flush output, etc.). */
  housekeeping?: () => void;
  /** Record the autograd graph the program builds (for the cell's Graph view); see graph/recorder.ts. */
  recordGraph?: Omit<RecordOptions, 'line'>;
}

export type RunOutcome = RunResult & { graph?: CellGraph };

/**
 * Runs a Python program. Never throws for program errors: an uncaught exception returns
 * { ok: false, errorLine, line } where errorLine is exactly the last line of Python's traceback.
 */
export function runPython(source: string, options: RunOptions): RunOutcome {
  const rt = new Runtime(options.write, options.housekeeping);
  resetModules();
  let program;
  try {
    const ast = parse(source);
    program = new Compiler(rt).compileModule(ast);
  } catch (e) {
    const ex = toPyException(e);
    return { ok: false, errorLine: ex.errorLine, line: ex.line };
  }
  if (!options.recordGraph) return runCompiled(rt, program);
  const recording = recordGraph({ ...options.recordGraph, line: () => rt.line });
  let result: RunResult;
  try {
    result = runCompiled(rt, program);
  } catch (e) {
    recording.stop();
    throw e;
  }
  return { ...result, graph: recording.finish(programVariables(rt)) };
}

/** Runs a program and returns everything it printed, plus the error line like run_torch.py. */
export function runPythonToString(source: string): { output: string; result: RunResult } {
  let output = '';
  const result = runPython(source, { write: (t) => (output += t) });
  if (!result.ok) output += result.errorLine + '\n';
  return { output, result };
}
