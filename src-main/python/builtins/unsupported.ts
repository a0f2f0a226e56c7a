// Real Python builtins GradLab does not have: calling one says so plainly, naming it and the line.
import { PyException } from '../errors';
import type { NativeFn } from '../values';

const NOT_YET = [
  'input', 'open', 'eval', 'exec', 'compile', 'globals', 'locals', 'dir', 'help', 'breakpoint', '__import__',
  'memoryview', 'complex',
];

const exit: NativeFn = (_args, _kwargs, cx) => {
  throw new PyException('NotImplementedError', `GradLab does not support exit() yet; the program ends by itself after its last line (line ${cx.line})`);
};

export const UNSUPPORTED_BUILTINS: Readonly<Record<string, NativeFn>> = {
  ...Object.fromEntries(
    NOT_YET.map((name): [string, NativeFn] => [
      name,
      (_args, _kwargs, cx) => {
        throw new PyException('NotImplementedError', `GradLab does not support ${name}() yet (line ${cx.line})`);
      },
    ]),
  ),
  exit,
  quit: exit,
};
