// The modules a program can import. Each module is described once, as data (a ModuleDefinition);
// the interpreter builds a module object on its first import in a run (sys.modules), so every
// run starts with fresh modules.
import type { Context, NativeType } from './context';
import { PyException } from './errors';
import type { PyModule } from './values';

/** What a module sees of the interpreter while it installs itself or builds its module object. */
export interface ModuleHost extends Context {
  /** Makes the interpreter recognise a native object type (tensors, ...) from now on. */
  registerNativeType(type: NativeType): void;
  /** `import name` (for modules that import others). */
  importModule(name: string, line: number): PyModule;
}

/**
 * How a module joins the runner (math, time, torch, torch.nn, ...). List it in
 * modules/index.ts's STANDARD_MODULES; nothing registers itself by being imported.
 */
export interface ModuleDefinition {
  /** Dotted import name: 'torch', 'torch.nn'. */
  readonly name: string;
  /** Builds the module object on its first import in a run. */
  create(ip: ModuleHost): PyModule;
  /**
   * Called once when an interpreter starts, before the program runs: registers the module's
   * native object types (ip.registerNativeType) and anything else the interpreter must know
   * before the module is imported.
   */
  install?(ip: ModuleHost): void;
}

/** Real modules a learner may try that GradLab does not have: importing one says so plainly. */
const KNOWN_UNSUPPORTED_MODULES = new Set([
  'numpy', 'matplotlib', 'pandas', 'sklearn', 'scipy', 'os', 'sys', 'PIL', 'torchvision', 'tensorflow', 'json', 'csv',
  'itertools', 're', 'pathlib', 'subprocess', 'threading', 'asyncio', 'typing', 'dataclasses',
  'copy', 'datetime', 'statistics', 'io', 'pickle', 'string',
]);

export class ModuleRegistry {
  private readonly definitions = new Map<string, ModuleDefinition>();
  /** Modules imported so far in this run, by name (CPython's sys.modules). */
  readonly loaded = new Map<string, PyModule>();

  constructor(definitions: Iterable<ModuleDefinition>) {
    for (const d of definitions) this.definitions.set(d.name, d);
  }

  all(): Iterable<ModuleDefinition> {
    return this.definitions.values();
  }

  /** `import name`: the module object, built on first use. */
  import(ip: ModuleHost, name: string, line: number): PyModule {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const definition = this.definitions.get(name);
    if (!definition) {
      const top = name.split('.')[0];
      if (this.definitions.has(top) || KNOWN_UNSUPPORTED_MODULES.has(top)) {
        const available = [...this.definitions.keys()].filter((m) => !m.includes('.')).sort().join(', ');
        throw new PyException('NotImplementedError', `GradLab does not support the '${name}' module yet; available modules: ${available} (line ${line})`, line);
      }
      throw new PyException('ModuleNotFoundError', `No module named '${name}'`);
    }
    const module = definition.create(ip);
    this.loaded.set(name, module);
    return module;
  }
}
