// Python exceptions as the runner raises them. The text a learner sees is `${pyType}: ${message}`,
// exactly the last line of CPython's traceback; `line` is the 1-based source line the app highlights.

/** Exception classes a program can name in `except` / `raise`, with their base class. */
export const EXCEPTION_BASES: Readonly<Record<string, string | null>> = {
  BaseException: null,
  Exception: 'BaseException',
  KeyboardInterrupt: 'BaseException',
  ArithmeticError: 'Exception',
  ZeroDivisionError: 'ArithmeticError',
  OverflowError: 'ArithmeticError',
  LookupError: 'Exception',
  IndexError: 'LookupError',
  KeyError: 'LookupError',
  NameError: 'Exception',
  UnboundLocalError: 'NameError',
  TypeError: 'Exception',
  ValueError: 'Exception',
  UnicodeError: 'ValueError',
  UnicodeDecodeError: 'UnicodeError',
  UnicodeEncodeError: 'UnicodeError',
  AttributeError: 'Exception',
  RuntimeError: 'Exception',
  NotImplementedError: 'RuntimeError',
  RecursionError: 'RuntimeError',
  AssertionError: 'Exception',
  ImportError: 'Exception',
  ModuleNotFoundError: 'ImportError',
  StopIteration: 'Exception',
  SyntaxError: 'Exception',
  IndentationError: 'SyntaxError',
  SystemError: 'Exception',
  OSError: 'Exception',
  FileNotFoundError: 'OSError',
  EOFError: 'Exception',
};

export function isSubclassOf(pyType: string, base: string): boolean {
  let t: string | null | undefined = pyType;
  while (t) {
    if (t === base) return true;
    t = EXCEPTION_BASES[t];
  }
  return false;
}

export class PyException extends Error {
  /** 1-based source line; set where the exception is raised (innermost statement). */
  line: number | undefined;
  /** The Python exception object (for `except E as e`), created lazily. */
  pyValue: unknown;
  constructor(
    readonly pyType: string,
    readonly pyMessage: string,
    line?: number,
  ) {
    super(pyMessage === '' ? pyType : `${pyType}: ${pyMessage}`);
    this.line = line;
  }
  /** Exactly Python's last traceback line. */
  get errorLine(): string {
    return this.pyMessage === '' ? this.pyType : `${this.pyType}: ${this.pyMessage}`;
  }
}

export const typeError = (msg: string): PyException => new PyException('TypeError', msg);
export const valueError = (msg: string): PyException => new PyException('ValueError', msg);
export const indexError = (msg: string): PyException => new PyException('IndexError', msg);
export const attributeError = (msg: string): PyException => new PyException('AttributeError', msg);

/** Python the runner does not implement: a clear message naming the construct (line added by the caller). */
export function unsupported(what: string, line?: number): PyException {
  return new PyException(
    'NotImplementedError',
    `GradLab does not support ${what} yet${line !== undefined ? ` (line ${line})` : ''}`,
    line,
  );
}
