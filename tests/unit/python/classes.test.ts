// Classes implemented in TypeScript (classes.ts nativeClass, the way torch.nn.Module is built) and
// subclassed by a program: the hooks a native base class gets, and the memory rules for tensors
// kept in instances. Python behaviour itself is checked against CPython by the fixtures in
// tests/fixtures/python/language.
import { describe, expect, it } from 'vitest';
import { callMethod } from '../../../src-main/python/attributes';
import { nativeClass, objectSetAttr } from '../../../src-main/python/classes';
import { getArena } from '../../../src-main/engine/arena';
import { runPythonToString } from '../../../src-main/python/index';
import type { ModuleDefinition } from '../../../src-main/python/module-registry';
import { STANDARD_MODULES } from '../../../src-main/python/modules/index';
import { typeName } from '../../../src-main/python/objects';
import { makeModule, PyDict, PyInstance, PyList } from '../../../src-main/python/values';

/** A tiny Module in TypeScript: registers values whose name starts with `p_` as parameters. */
const Module = nativeClass({
  name: 'Module',
  module: 'toy.nn',
  methods: {
    __init__: (self: PyInstance, _args, _kwargs, cx) => {
      objectSetAttr(cx, self, '_params', new PyDict());
      return null;
    },
    __setattr__: (self: PyInstance, args, _kwargs, cx) => {
      const [name, value] = args as [string, unknown];
      const params = self.dict.get('_params');
      if (name.startsWith('p_')) {
        if (!(params instanceof PyDict)) throw new Error('Module.__init__() was not called');
        params.set(name, value);
      } else objectSetAttr(cx, self, name, value);
      return null;
    },
    __getattr__: (self: PyInstance, args) => {
      const params = self.dict.get('_params') as PyDict;
      const value = params.get(args[0]);
      if (value === undefined) throw new Error(`no ${String(args[0])}`);
      return value;
    },
    __call__: (self: PyInstance, args, kwargs, cx) => callMethod(cx, self, 'forward', args, kwargs),
    __repr__: (self: PyInstance, _args, _kwargs, cx) => `${typeName(cx, self)}(${[...(self.dict.get('_params') as PyDict).map.values()].map(([k]) => k as string).join(', ')})`,
    parameters: (self: PyInstance) => new PyList([...(self.dict.get('_params') as PyDict).map.values()].map(([, v]) => v)),
  },
});

const toyModule: ModuleDefinition = { name: 'toy', create: () => makeModule('toy', { Module }) };
const run = (source: string): string => runPythonToString(source, { modules: [...STANDARD_MODULES, toyModule] }).output;

describe('a native base class subclassed by a program', () => {
  it('sees attribute sets (__setattr__), serves __getattr__ and __call__, and is reached by super().__init__()', () => {
    const out = run(
      [
        'from toy import Module',
        'class Line(Module):',
        '    def __init__(self, w, b):',
        '        super().__init__()',
        '        self.p_w = w',
        '        self.p_b = b',
        '        self.calls = 0',
        '    def forward(self, x):',
        '        self.calls += 1',
        '        return self.p_w * x + self.p_b',
        'line = Line(2, 1)',
        'print(line(3), line(x=4), line.calls)',
        'print(line, line.parameters(), isinstance(line, Module), type(line).__name__)',
        "print(sorted(line.__dict__), Module.__module__, Line.__mro__[1].__name__)",
      ].join('\n'),
    );
    expect(out).toBe("7 9 2\nLine(p_w, p_b) [2, 1] True Line\n['_params', 'calls'] toy.nn Module\n");
  });

  it('a TypeScript error inside a native method ends the program as a SystemError, not a crash', () => {
    const out = run(['from toy import Module', 'class Net(Module):', '    def __init__(self):', '        self.p_w = 1', 'Net()'].join('\n'));
    expect(out).toBe('SystemError: GradLab internal error: Module.__init__() was not called (please report this program)\n');
  });

  it('a subclass without its own __init__ uses the native one', () => {
    const out = run(['from toy import Module', 'class Net(Module):', '    def forward(self):', "        return 'ran'", 'n = Net()', 'print(repr(n), n())'].join('\n'));
    expect(out).toBe('Net() ran\n');
  });
});

describe('tensors kept in instances survive the loop memory sweeps', () => {
  it('keeps a parameter created in a loop and stored on an instance (and on a class)', () => {
    const out = runPythonToString(
      [
        'import torch',
        'class Holder:',
        '    pass',
        'class Registry:',
        '    items = []',
        'h = Holder()',
        'for i in range(5):',
        '    t = torch.ones(2000) * i',
        '    setattr(h, f"t{i}", t * 2)',
        '    Registry.items.append(t + 1)',
        '    for j in range(3):',
        '        tmp = torch.ones(2000) * j',
        'print([getattr(h, f"t{i}").sum().item() for i in range(5)])',
        'print([t.sum().item() for t in Registry.items])',
      ].join('\n'),
    ).output;
    expect(out).toBe('[0.0, 4000.0, 8000.0, 12000.0, 16000.0]\n[2000.0, 4000.0, 6000.0, 8000.0, 10000.0]\n');
  });
});

describe('a training loop over a class still frees its temporaries every epoch', () => {
  it('reuses arena buffers when the model and optimizer are instances of classes', () => {
    const program = (epochs: number): string =>
      [
        'import torch',
        'torch.manual_seed(0)',
        'class Linear:',
        '    def __init__(self, n):',
        '        self.w = torch.ones(n, requires_grad=True)',
        '        self.b = torch.tensor(0.0, requires_grad=True)',
        '    def __call__(self, x):',
        '        return self.w * x + self.b',
        'class SGD:',
        '    def __init__(self, params, lr):',
        '        self.params = params',
        '        self.lr = lr',
        '    def step(self):',
        '        with torch.no_grad():',
        '            for p in self.params:',
        '                p -= self.lr * p.grad',
        '                p.grad.zero_()',
        'x = torch.rand(65536)',
        'y = torch.rand(65536)',
        'model = Linear(65536)',
        'opt = SGD([model.w, model.b], 0.01)',
        `for epoch in range(${epochs}):`,
        '    loss = ((model(x) - y) ** 2).mean()',
        '    loss.backward()',
        '    opt.step()',
        'print(f"{loss.item():.6f}")',
      ].join('\n');
    const arena = getArena();
    expect(arena).not.toBeNull();
    expect(runPythonToString(program(3)).result.ok).toBe(true);
    const before = arena!.bump;
    const { output, result } = runPythonToString(program(300));
    expect(result.ok).toBe(true);
    expect(output).toBe('0.165634\n'); // the lesson loop's number: the same arithmetic
    expect(arena!.bump - before).toBeLessThan(40 * 65536 * 4);
  });
});
