// A tiny WebAssembly assembler: value types, LEB128, the few instructions the engine's kernels
// use, and a module builder. Kernels are written as byte arrays in TypeScript, so there is no
// build step and nothing generated to keep in sync; instantiating them needs only the CSP's
// 'wasm-unsafe-eval' (never eval). Used by wasm.ts (the engine's kernels) and by the trainer's
// summary kernel (training/summary.ts).

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

// instructions
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32c = (v: number): number[] => [0x41, ...sleb(v)];
export const f32c = (value: number): number[] => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)];
export const I32_ADD = [0x6a];
export const I32_AND = [0x71];
export const I32_SHL = [0x74];
export const I32_LT_U = [0x49];
export const I32_GE_U = [0x4f];
export const I32_EQZ = [0x45];
export const F32_LOAD = [0x2a, 2, 0];
export const F32_STORE = [0x38, 2, 0];
export const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
export const V_STORE = simd(0x0b, 0, 0);
/** v128.load / v128.store with a constant byte offset (used to unroll loops) */
export const vLoadAt = (offset: number, align = 0): number[] => simd(0x00, align, ...uleb(offset));
export const vStoreAt = (offset: number): number[] => simd(0x0b, 0, ...uleb(offset));
export const F32X4_SPLAT = simd(0x13);
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const END = [0x0b];
export const br = (d: number): number[] => [0x0c, ...uleb(d)];
export const brIf = (d: number): number[] => [0x0d, ...uleb(d)];

export interface WasmFunction {
  /** exported under this name */
  name: string;
  params: number[];
  results?: number[];
  locals: number[];
  body: number[];
}

/** A module importing `env.memory` and exporting every function by name. */
export function assembleModule(fns: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types: string[] = [];
  const typeIndex = fns.map((f) => {
    const key = `${f.params.join(',')}->${(f.results ?? []).join(',')}`;
    let idx = types.indexOf(key);
    if (idx < 0) idx = types.push(key) - 1;
    return idx;
  });
  const valueTypes = (list: string): number[][] => (list === '' ? [] : list.split(',').map((p) => [Number(p)]));
  const typeSection = vec(
    types.map((t) => {
      const [params, results] = t.split('->');
      return [0x60, ...vec(valueTypes(params)), ...vec(valueTypes(results))];
    }),
  );
  const importSection = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const funcSection = vec(typeIndex.map((t) => uleb(t)));
  const exportSection = vec(fns.map((f, k) => [...name(f.name), 0x00, ...uleb(k)]));
  const codeSection = vec(
    fns.map((f) => {
      const locals = vec(f.locals.map((t) => [1, t]));
      const body = [...locals, ...f.body, ...END];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, typeSection),
    ...section(2, importSection),
    ...section(3, funcSection),
    ...section(7, exportSection),
    ...section(10, codeSection),
  ]);
}
