// The `functools` module's everyday part: wraps (for decorators), partial and reduce.
import { checkArgs, kwarg } from '../args';
import type { Context, Kwargs, Value } from '../context';
import { typeError } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { iterate } from '../ops';
import { Builtin, makeModule, PyFunctionLike } from '../values';

/** functools.wraps(wrapped)(wrapper): the wrapper takes the wrapped function's name, qualname and doc. */
function wraps(cx: Context, wrapped: Value): Builtin {
  return new Builtin(
    'decorator',
    (args) => {
      checkArgs('wraps', args, 1, 1);
      const wrapper = args[0];
      if (wrapper instanceof PyFunctionLike) {
        for (const name of ['__module__', '__name__', '__qualname__', '__doc__']) {
          let value: Value;
          try {
            value = cx.getAttr(wrapped, name);
          } catch {
            continue; // functools.wraps skips attributes the wrapped object lacks
          }
          if (name === '__name__' && typeof value === 'string') wrapper.name = value;
          else if (name === '__qualname__' && typeof value === 'string') wrapper.qualname = value;
          else if (name === '__doc__') wrapper.doc = value;
        }
        if (wrapped instanceof PyFunctionLike) for (const [k, v] of wrapped.attrs) if (!wrapper.attrs.has(k)) wrapper.attrs.set(k, v);
        wrapper.attrs.set('__wrapped__', wrapped);
      }
      return wrapper;
    },
    undefined,
    wrapped,
  );
}

function partial(args: Value[], kwargs: Kwargs): Builtin {
  if (args.length === 0) throw typeError('partial() missing required argument: \'func\'');
  const [fn, ...bound] = args;
  return new Builtin(
    'partial',
    (more, moreKwargs, cx) => {
      let merged: Kwargs = kwargs;
      if (moreKwargs && moreKwargs.size > 0) merged = new Map([...(kwargs ?? []), ...moreKwargs]);
      return cx.call(fn, [...bound, ...more], merged);
    },
    undefined,
    fn,
  );
}

function reduce(cx: Context, args: Value[]): Value {
  checkArgs('reduce', args, 2, 3);
  const [fn, iterable] = args;
  const next = iterate(cx, iterable, () => 'reduce() arg 2 must support iteration');
  let acc = args.length === 3 ? args[2] : next();
  if (acc === undefined) throw typeError('reduce() of empty iterable with no initial value');
  for (let v = next(); v !== undefined; v = next()) acc = cx.call(fn, [acc, v], null);
  return acc;
}

export const functoolsModule: ModuleDefinition = {
  name: 'functools',
  create: () =>
    makeModule(
      'functools',
      {
        wraps: new Builtin('wraps', (args, kwargs, cx) => {
          kwarg('wraps', kwargs, ['assigned', 'updated']);
          checkArgs('wraps', args, 1, 1);
          return wraps(cx, args[0]);
        }),
        partial: new Builtin('partial', (args, kwargs) => partial(args, kwargs)),
        reduce: new Builtin('reduce', (args, _kwargs, cx) => reduce(cx, args)),
      },
      ['lru_cache', 'cache', 'cached_property', 'total_ordering', 'singledispatch', 'partialmethod', 'cmp_to_key'],
    ),
};
