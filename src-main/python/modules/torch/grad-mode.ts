// Grad-mode switches: torch.no_grad(), enable_grad(), set_grad_enabled(flag), inference_mode(),
// each usable in `with` and as a decorator (@torch.no_grad()), and the is_*_enabled queries.
import { torch as engine } from '../../../engine/index';
import { checkArgs } from '../../args';
import type { Context, Value } from '../../context';
import { typeError } from '../../errors';
import { typeName } from '../../objects';
import { Builtin, PyContextManager, PyFunctionLike } from '../../values';
import { bindArgs, boolArg } from './values';

/**
 * A grad-mode context: `with` it, or decorate a function with it (each call runs inside it).
 * (Runs once per `with torch.no_grad():` of a training loop: its closures are inline arrows,
 * which the dev build does not wrap in a naming helper.)
 */
function gradModeManager(kind: string, enter: () => () => void): PyContextManager {
  let restore: (() => void) | null = null;
  return new PyContextManager(
    kind,
    () => {
      restore = enter();
      return null;
    },
    () => {
      restore?.();
      restore = null;
    },
    (args, _kwargs, cx) => decorated(kind, enter, args, cx),
  );
}

/** @no_grad() def f(...): f's calls run inside the mode. */
function decorated(kind: string, enter: () => () => void, args: Value[], cx: Context): Value {
  checkArgs(kind, args, 1, 1);
  const fn = args[0];
  if (!(fn instanceof PyFunctionLike) && !(fn instanceof Builtin)) {
    throw typeError(`${kind}() can only decorate a function, not ${typeName(cx, fn)}`);
  }
  return new Builtin(fn.name, (callArgs, callKwargs, callCx) => {
    const restore = enter();
    try {
      return callCx.call(fn, callArgs, callKwargs);
    } finally {
      restore();
    }
  });
}

/** no_grad() and enable_grad() are classes whose __init__ takes only self (so `@torch.no_grad` without parentheses fails). */
function noArguments(name: string, args: Value[]): void {
  if (args.length > 0) throw typeError(`${name}.__init__() takes 1 positional argument but ${args.length + 1} were given`);
}

export function gradModeAttributes(): Record<string, Value> {
  return {
    no_grad: new Builtin('no_grad', (args) => {
      noArguments('no_grad', args);
      return gradModeManager('no_grad', () => engine.enterNoGrad());
    }),
    enable_grad: new Builtin('enable_grad', (args) => {
      noArguments('enable_grad', args);
      return gradModeManager('enable_grad', () => engine.setGradEnabled(true));
    }),
    set_grad_enabled: new Builtin('set_grad_enabled', (args, kwargs, cx) => {
      const a = bindArgs('set_grad_enabled', args, kwargs, ['mode']);
      if (a.mode === undefined) throw typeError("set_grad_enabled() missing 1 required positional argument: 'mode'");
      const flag = boolArg(cx, a.mode, true);
      // Like PyTorch: takes effect at once, and also works as a context manager restoring the mode before.
      const restore = engine.setGradEnabled(flag);
      return new PyContextManager('set_grad_enabled', () => null, restore);
    }),
    inference_mode: new Builtin('inference_mode', (args, kwargs, cx) => {
      const a = bindArgs('inference_mode', args, kwargs, ['mode']);
      const mode = boolArg(cx, a.mode, true);
      return gradModeManager('inference_mode', () => engine.enterInferenceMode(mode));
    }),
    is_grad_enabled: new Builtin('is_grad_enabled', () => engine.isGradEnabled()),
    is_inference_mode_enabled: new Builtin('is_inference_mode_enabled', () => engine.isInferenceModeEnabled()),
  };
}
