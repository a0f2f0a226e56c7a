// Public API of the Python runner: run a program's source, streaming its output.
import './builtins';
import './torch-module';
import { resetModules } from './builtins';
import { Compiler, runCompiled, type RunResult } from './interp';
import { parse } from './parser';
import { Runtime, toPyException } from './runtime';

export type { RunResult } from './interp';
export { PyException } from './errors';

export interface RunOptions {
  /** Receives program output (print) as it is produced. */
  write: (text: string) => void;
  /** Called every few thousand loop iterations and before sleeping (flush output, etc.). */
  housekeeping?: () => void;
}

/**
 * Runs a Python program. Never throws for program errors: an uncaught exception returns
 * { ok: false, errorLine, line } where errorLine is exactly the last line of Python's traceback.
 */
export function runPython(source: string, options: RunOptions): RunResult {
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
  return runCompiled(rt, program);
}

/** Runs a program and returns everything it printed, plus the error line like run_torch.py. */
export function runPythonToString(source: string): { output: string; result: RunResult } {
  let output = '';
  const result = runPython(source, { write: (t) => (output += t) });
  if (!result.ok) output += result.errorLine + '\n';
  return { output, result };
}
