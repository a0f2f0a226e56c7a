// The `dataclasses` module's everyday part: @dataclass (with init, repr, eq and order; a base
// dataclass's fields first), field(default=..., default_factory=...), asdict and astuple.
// The generated __init__ is a real Python function (its arguments bound, and its errors worded,
// as any def's) whose body is native.
import { kwarg } from '../args';
import { lookup, NOT_IMPLEMENTED } from '../classes';
import type { Context, Kwargs, Value } from '../context';
import { PyException, typeError } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { compareValues, pyEquals, repr } from '../objects';
import { NORMAL, PyFunction, type CompiledParam } from '../runtime';
import { PySet } from '../sets';
import { setAttr } from '../attributes';
import { Builtin, makeModule, MethodDescriptor, PyClass, PyDict, PyInstance, PyList, PyTuple, PyType } from '../values';

/** What field(...) returns until @dataclass reads it. */
class FieldSpec {
  constructor(
    readonly defaultValue: Value | undefined,
    readonly factory: Value | undefined,
  ) {}
}

interface Field {
  name: string;
  defaultValue: Value | undefined;
  factory: Value | undefined;
}

/** The fields of each dataclass, in order (a base class's first). */
const FIELDS = new WeakMap<PyType, Field[]>();
/**
 * The default of a parameter whose field has a default_factory (CPython's _HAS_DEFAULT_FACTORY):
 * an object of its own, of a kind the loop memory sweep knows (a function's defaults are walked).
 */
const USE_FACTORY = new PyTuple([]);
/** Stands for "has a default" in a parameter list (bindArguments only asks whether there is one). */
const HAS_DEFAULT = { k: 'const', line: 0, value: null } as const;

function isMutableDefault(v: Value): boolean {
  return v instanceof PyList || v instanceof PyDict || (v instanceof PySet && !v.frozen);
}

function collectFields(cls: PyType): Field[] {
  const byName = new Map<string, Field>();
  for (const base of [...cls.mro].reverse().slice(0, -1)) for (const f of FIELDS.get(base) ?? []) byName.set(f.name, f);
  const annotations = cls.dict.get('__annotations__');
  if (annotations instanceof PyDict) {
    for (const [name] of annotations.map.values()) {
      if (typeof name !== 'string') continue;
      const own = cls.dict.get(name);
      let field: Field = { name, defaultValue: own, factory: undefined };
      if (own instanceof FieldSpec) {
        field = { name, defaultValue: own.defaultValue, factory: own.factory };
        // the class attribute is the field's default, as CPython leaves it (or nothing)
        if (own.defaultValue === undefined) cls.dict.delete(name);
        else cls.dict.set(name, own.defaultValue);
      }
      if (field.defaultValue !== undefined && isMutableDefault(field.defaultValue)) {
        const typeName = field.defaultValue instanceof PyList ? 'list' : field.defaultValue instanceof PyDict ? 'dict' : 'set';
        throw new PyException('ValueError', `mutable default <class '${typeName}'> for field ${name} is not allowed: use default_factory`);
      }
      byName.delete(name);
      byName.set(name, field);
    }
  }
  const fields = [...byName.values()];
  let seenDefault = false;
  for (const f of fields) {
    const hasDefault = f.defaultValue !== undefined || f.factory !== undefined;
    if (seenDefault && !hasDefault) throw typeError(`non-default argument '${f.name}' follows default argument`);
    seenDefault ||= hasDefault;
  }
  return fields;
}

/** The generated __init__(self, field1, field2=default, ...). */
function makeInit(cx: Context, cls: PyType, fields: Field[]): PyFunction {
  const params: CompiledParam[] = [{ name: 'self', default: null, kind: 'normal', slot: 0 }];
  const defaults: (Value | undefined)[] = [undefined];
  fields.forEach((f, i) => {
    const hasDefault = f.defaultValue !== undefined || f.factory !== undefined;
    params.push({ name: f.name, default: hasDefault ? HAS_DEFAULT : null, kind: 'normal', slot: i + 1 });
    defaults.push(f.factory !== undefined ? USE_FACTORY : f.defaultValue);
  });
  return new PyFunction(
    '__init__',
    `${cls.qualname}.__init__`,
    params,
    defaults,
    params.length,
    (frame) => {
      const self = frame.locals[0];
      fields.forEach((f, i) => {
        let v = frame.locals[i + 1];
        if (v === USE_FACTORY) v = cx.call(f.factory, [], null);
        setAttr(cx, self, f.name, v);
      });
      if (lookup(cls, '__post_init__') !== undefined) cx.call(cx.getAttr(self, '__post_init__'), [], null);
      return NORMAL;
    },
    null,
    false,
  );
}

function values(self: PyInstance, fields: Field[], cx: Context): PyTuple {
  return new PyTuple(fields.map((f) => cx.getAttr(self, f.name)));
}

function dataclass(cx: Context, cls: Value, options: Record<string, Value>): Value {
  if (!(cls instanceof PyClass)) throw typeError('dataclass() should be called on a class');
  for (const unsupported of ['frozen', 'slots', 'kw_only', 'unsafe_hash']) {
    if (options[unsupported] === true) throw new PyException('NotImplementedError', `GradLab does not support dataclass(${unsupported}=True) yet (line ${cx.line})`);
  }
  const fields = collectFields(cls);
  FIELDS.set(cls, fields);
  const own = (name: string): boolean => cls.dict.has(name);
  if (options.init !== false && !own('__init__')) {
    cls.dict.set('__init__', makeInit(cx, cls, fields));
  }
  if (options.repr !== false && !own('__repr__')) {
    cls.dict.set(
      '__repr__',
      new MethodDescriptor('__repr__', (self: PyInstance, _args, _kwargs, c) => {
        if (c.reprInProgress.has(self)) return '...';
        c.reprInProgress.add(self);
        try {
          return `${self.cls.qualname}(${fields.map((f) => `${f.name}=${repr(c, c.getAttr(self, f.name))}`).join(', ')})`;
        } finally {
          c.reprInProgress.delete(self);
        }
      }),
    );
  }
  if (options.eq !== false) {
    if (!own('__eq__')) {
      cls.dict.set(
        '__eq__',
        new MethodDescriptor('__eq__', (self: PyInstance, args, _kwargs, c) => {
          const other = args[0];
          if (!(other instanceof PyInstance) || other.cls !== self.cls) return NOT_IMPLEMENTED;
          return pyEquals(c, values(self, fields, c), values(other, fields, c));
        }),
      );
    }
    if (!own('__hash__')) cls.dict.set('__hash__', null); // eq without frozen: unhashable, as CPython makes it
  }
  if (options.order === true) {
    if (options.eq === false) throw new PyException('ValueError', 'eq must be true if order is true');
    for (const [name, op, test] of [
      ['__lt__', '<', (c: number) => c < 0],
      ['__le__', '<=', (c: number) => c <= 0],
      ['__gt__', '>', (c: number) => c > 0],
      ['__ge__', '>=', (c: number) => c >= 0],
    ] as const) {
      if (own(name)) throw typeError(`Cannot overwrite attribute ${name} in class ${cls.name}. Consider using functools.total_ordering`);
      cls.dict.set(
        name,
        new MethodDescriptor(name, (self: PyInstance, args, _kwargs, c) => {
          const other = args[0];
          if (!(other instanceof PyInstance) || other.cls !== self.cls) return NOT_IMPLEMENTED;
          return test(compareValues(c, values(self, fields, c), values(other, fields, c), op));
        }),
      );
    }
  }
  return cls;
}

/** asdict / astuple: a dataclass instance's fields, recursing into dataclasses, lists, tuples and dicts. */
function convert(cx: Context, v: Value, asTuple: boolean): Value {
  if (v instanceof PyInstance && FIELDS.has(v.cls)) {
    const fields = FIELDS.get(v.cls)!;
    if (asTuple) return new PyTuple(fields.map((f) => convert(cx, cx.getAttr(v, f.name), true)));
    const d = new PyDict();
    for (const f of fields) d.set(f.name, convert(cx, cx.getAttr(v, f.name), false));
    return d;
  }
  if (v instanceof PyList) return new PyList(v.items.map((x) => convert(cx, x, asTuple)));
  if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => convert(cx, x, asTuple)));
  if (v instanceof PyDict) {
    const d = new PyDict();
    for (const [k, x] of v.map.values()) d.set(convert(cx, k, asTuple), convert(cx, x, asTuple));
    return d;
  }
  return v;
}

function instanceArgument(name: string, args: Value[]): PyInstance {
  const v = args[0];
  if (!(v instanceof PyInstance) || !FIELDS.has(v.cls)) throw typeError(`${name}() should be called on dataclass instances`);
  return v;
}

export const dataclassesModule: ModuleDefinition = {
  name: 'dataclasses',
  create: () =>
    makeModule(
      'dataclasses',
      {
        dataclass: new Builtin('dataclass', (args, kwargs: Kwargs, cx) => {
          const options = kwarg('dataclass', kwargs, ['init', 'repr', 'eq', 'order', 'unsafe_hash', 'frozen', 'match_args', 'kw_only', 'slots', 'weakref_slot']);
          if (args.length === 1) return dataclass(cx, args[0], options);
          return new Builtin('wrap', (inner, _kw, c) => dataclass(c, inner[0], options));
        }),
        field: new Builtin('field', (args, kwargs) => {
          if (args.length > 0) throw typeError('field() takes 0 positional arguments but ' + args.length + ' were given');
          const k = kwarg('field', kwargs, ['default', 'default_factory', 'init', 'repr', 'hash', 'compare', 'metadata', 'kw_only']);
          if (k.default !== undefined && k.default_factory !== undefined) throw new PyException('ValueError', 'cannot specify both default and default_factory');
          return new FieldSpec(k.default, k.default_factory);
        }),
        asdict: new Builtin('asdict', (args, _kwargs, cx) => convert(cx, instanceArgument('asdict', args), false)),
        astuple: new Builtin('astuple', (args, _kwargs, cx) => convert(cx, instanceArgument('astuple', args), true)),
        is_dataclass: new Builtin('is_dataclass', (args) => {
          const v = args[0];
          return (v instanceof PyType && FIELDS.has(v)) || (v instanceof PyInstance && FIELDS.has(v.cls));
        }),
      },
      ['fields', 'replace', 'make_dataclass', 'InitVar', 'KW_ONLY', 'FrozenInstanceError', 'MISSING', 'Field'],
    ),
};
