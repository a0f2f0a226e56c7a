// The Web APIs that Node and browsers (pages and Web Workers) both provide, declared for the
// portable layers (src-main/tsconfig.json), which see neither the DOM's nor Node's type library.
// Only what both platforms have belongs here: code that compiles against these declarations runs
// in either, and also compiles under the DOM and Node libraries when the renderer, a Web Worker
// entry or a Node-only file imports it.

/** A timer handle: opaque (a number in browsers, an object in Node). */
type PortableTimerHandle = ReturnType<typeof setTimeout>;
declare function setTimeout(handler: () => void, ms?: number): { readonly __portableTimer: unique symbol };
declare function clearTimeout(handle: PortableTimerHandle | undefined): void;

declare const performance: { now(): number };

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
