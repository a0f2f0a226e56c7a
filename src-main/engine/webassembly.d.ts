// The part of the WebAssembly JS API the engine uses. Every place the engine runs (Node, a Web
// Worker, a browser tab) provides it, but TypeScript only declares it in the DOM and Node type
// libraries, which the engine's own tsconfig leaves out on purpose (no DOM, no Node).
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Module {
    constructor(bytes: BufferSource);
  }
  type BufferSource = ArrayBufferView | ArrayBuffer;
  type ImportValue = Memory | ((...args: never[]) => unknown) | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  type Exports = Record<string, unknown>;
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  function validate(bytes: BufferSource): boolean;
}
