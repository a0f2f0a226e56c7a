// The `typing` module as type hints use it: List, Dict, Tuple, Optional, Union, Any, Callable,
// ... can be imported and subscripted (List[float], Dict[str, int]) and print as CPython's do;
// they check nothing, as in CPython. cast() returns its value.
import { checkArgs } from '../args';
import type { Context, NativeType, Value } from '../context';
import { typeError } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { repr } from '../objects';
import { Builtin, ELLIPSIS, makeModule, PyList, PyTuple, PyType } from '../values';

/** typing.List, typing.List[int], typing.Optional[float], ... */
class TypingForm {
  constructor(
    readonly name: string,
    readonly args: readonly Value[] | null,
  ) {}
}

const SUBSCRIPTABLE = ['List', 'Dict', 'Tuple', 'Set', 'FrozenSet', 'Optional', 'Union', 'Callable', 'Iterable', 'Iterator', 'Sequence', 'Mapping', 'Generator', 'Type'];

function argRepr(cx: Context, v: Value): string {
  if (v === null) return 'NoneType';
  if (v === ELLIPSIS) return '...';
  if (v instanceof PyList) return `[${v.items.map((a) => argRepr(cx, a)).join(', ')}]`; // Callable's arguments
  if (v instanceof PyType) return v.module && v.module !== 'builtins' ? `${v.module}.${v.qualname}` : v.name;
  if (v instanceof TypingForm) return formRepr(cx, v);
  return repr(cx, v);
}

function formRepr(cx: Context, f: TypingForm): string {
  if (f.args === null) return `typing.${f.name}`;
  return `typing.${f.name}[${f.args.map((a) => argRepr(cx, a)).join(', ')}]`;
}

const TYPING_FORM: NativeType = {
  name: '_GenericAlias',
  is: (v) => v instanceof TypingForm,
  repr: (v, cx) => formRepr(cx, v as TypingForm),
  getItem(v, index) {
    const form = v as TypingForm;
    if (form.args !== null || !SUBSCRIPTABLE.includes(form.name)) throw typeError(`typing.${form.name} is not subscriptable`);
    const args = index instanceof PyTuple ? index.items.slice() : [index];
    return new TypingForm(form.name, args);
  },
};

const FORMS = [...SUBSCRIPTABLE, 'Any'];

export const typingModule: ModuleDefinition = {
  name: 'typing',
  install: (ip) => ip.registerNativeType(TYPING_FORM),
  create: () =>
    makeModule(
      'typing',
      {
        ...Object.fromEntries(FORMS.map((name) => [name, new TypingForm(name, null)])),
        TYPE_CHECKING: false,
        cast: new Builtin('cast', (args) => {
          checkArgs('cast', args, 2, 2);
          return args[1];
        }),
      },
      ['NamedTuple', 'TypedDict', 'TypeVar', 'Generic', 'Protocol', 'Literal', 'Final', 'ClassVar', 'overload', 'Annotated'],
    ),
};
