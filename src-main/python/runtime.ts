// What compiled code runs on: module-level cells, call frames, completion codes, user-defined
// functions, and the conversion of any thrown error into a Python exception.
import type { Param } from './ast';
import type { Value } from './context';
import { PyException } from './errors';
import { PyFunctionLike, type PyType } from './values';
import { errorMessage } from '../contract/error-message';

/** A module-level variable. `undefined` = not bound yet (NameError when read). */
export class Cell {
  value: Value | undefined = undefined;
  constructor(readonly name: string) {}
}

/** A function activation: local slots, and the frame of the enclosing function (for closures). */
export class Frame {
  ret: Value = null;
  constructor(
    readonly locals: Value[],
    readonly parent: Frame | null,
    /** The function running in this frame (zero-argument super() reads its class cell). */
    readonly func: PyFunction | null = null,
  ) {}
}

/** Set to the class once a class statement has made it (CPython's __class__ cell). */
export interface ClassCell {
  cls: PyType | null;
}

/** A class body running: its names go to the namespace that becomes the class's dict. */
export class ClassFrame extends Frame {
  readonly namespace = new Map<string, Value>();
  readonly classCell: ClassCell = { cls: null };
}

/** Statement completion codes (no exceptions for ordinary control flow). */
export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;
export type StmtFn = (f: Frame) => number;
export type ExprFn = (f: Frame) => Value;

export interface CompiledParam extends Param {
  slot: number;
}

export class PyFunction extends PyFunctionLike {
  constructor(
    public name: string,
    public qualname: string,
    readonly params: CompiledParam[],
    readonly defaults: (Value | undefined)[],
    readonly nLocals: number,
    readonly body: StmtFn,
    readonly closure: Frame | null,
    /** All parameters positional without defaults (calls with exactly that many arguments skip binding). */
    readonly simplePositional: boolean,
    /** The class whose body defined this function (for zero-argument super()). */
    readonly classCell: ClassCell | null = null,
  ) {
    super();
  }
  /** CPython 3.11's warm-up count of this function's code: its calls and loop turns, up to QUICKENING_WARMTH. */
  warmth = 0;
}

interface ErrorWithPyType {
  pyType: string;
  message: string;
}

const OUT_OF_MEMORY = /Invalid array length|Array buffer allocation failed|Invalid typed array length|Invalid string length|Maximum (Map|Set) size exceeded|Map maximum size exceeded|Set maximum size exceeded|Maximum BigInt size exceeded|Out of memory/i;

/** Any thrown value as a Python exception (engine errors keep PyTorch's type and text). */
export function toPyException(e: unknown, line?: number): PyException {
  let ex: PyException;
  if (e instanceof PyException) ex = e;
  else if (e instanceof Error && typeof (e as unknown as ErrorWithPyType).pyType === 'string') {
    ex = new PyException((e as unknown as ErrorWithPyType).pyType, e.message);
  } else if (e instanceof RangeError && /call stack/i.test(e.message)) {
    ex = new PyException('RecursionError', 'maximum recursion depth exceeded');
  } else if (e instanceof RangeError && OUT_OF_MEMORY.test(e.message)) {
    // JavaScript's size limits (strings, arrays, Maps, buffers): where CPython runs out of memory
    ex = new PyException('MemoryError', '');
  } else {
    const message = errorMessage(e);
    ex = new PyException('SystemError', `GradLab internal error: ${message} (please report this program)`);
  }
  if (ex.line === undefined && line !== undefined) ex.line = line;
  return ex;
}
