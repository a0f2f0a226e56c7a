// The big float vectors of a session file, written without passing through JSON.stringify. A
// 512x512 RGB pair is 8 MB of base64; encoding it and letting JSON.stringify scan and copy it on
// every autosave was a 0.3-0.6 s task on the window's thread. The document is stringified with a
// short placeholder where each vector's base64 goes, and the base64 is put in afterwards (base64
// needs no JSON escaping, so the text is byte for byte what stringify would have written).
//
// FloatEncodings remembers the base64 and a content digest of arrays that never change once made
// (the lab's x and y: replaced on every edit, never written in place), so saving the same data
// again costs neither an encoding nor a pass over its values.
import { float32ToBase64 } from './base64';

/** What one vector's base64 (or, in a fingerprint, its digest) is: computed at most once per array by FloatEncodings. */
export type FloatPayload = (values: Float32Array, unchanging: boolean) => string;

export class FloatEncodings {
  readonly #base64 = new WeakMap<Float32Array, string>();
  readonly #digests = new WeakMap<Float32Array, string>();

  /** The base64 of `values`; remembered when the array is `unchanging` (never written after it was made). */
  readonly base64: FloatPayload = (values, unchanging) => remembered(this.#base64, values, unchanging, float32ToBase64);
  /** A digest of `values` for comparing sessions (unsaved changes), remembered like base64. */
  readonly digest: FloatPayload = (values, unchanging) => remembered(this.#digests, values, unchanging, floatDigest);

  /**
   * Works out the digest and the base64 of each of `arrays` (unchanging ones) not known yet, one
   * array and one of the two at a time, awaiting `nextTask` before each: a 512x512 RGB image is
   * then a few short tasks on the window's thread instead of one long one. Null when every one is
   * known already (nothing to wait for).
   */
  prepare(arrays: readonly Float32Array[], nextTask: () => Promise<void>): Promise<void> | null {
    const jobs: (() => void)[] = [];
    for (const values of arrays) {
      if (!this.#digests.has(values)) jobs.push(() => this.digest(values, true));
      if (!this.#base64.has(values)) jobs.push(() => this.base64(values, true));
    }
    if (jobs.length === 0) return null;
    return (async () => {
      for (const job of jobs) {
        await nextTask();
        job();
      }
    })();
  }
}

function remembered(known: WeakMap<Float32Array, string>, values: Float32Array, unchanging: boolean, make: (values: Float32Array) => string): string {
  if (!unchanging) return make(values);
  let text = known.get(values);
  if (text === undefined) {
    text = make(values);
    known.set(values, text);
  }
  return text;
}

export const encodeBase64: FloatPayload = (values) => float32ToBase64(values);

/**
 * Two independent 32-bit hashes (FNV-1a and a murmur-style mix) of the float32 bit patterns, and
 * the length: equal values always give equal digests; different ones collide with a chance near
 * 2^-64, far below anything "unsaved changes" could show.
 */
export function floatDigest(values: Float32Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    a = Math.imul(a ^ word, 0x01000193);
    b = Math.imul(b ^ Math.imul(word, 0xcc9e2d51), 0x1b873593);
    b = (b << 13) | (b >>> 19);
  }
  return `${values.length}:${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}

/**
 * Collects the vectors of one document: `put` returns the placeholder to stringify in the
 * payload's place, `fill` replaces the placeholders in the stringified text. The placeholders carry
 * a random tag, so text the learner typed (an image's name) cannot be mistaken for one.
 */
export class SplicedPayloads {
  readonly #tag = `gradlab-float32-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}-`;
  readonly #payloads: string[] = [];

  put(payload: string): string {
    this.#payloads.push(payload);
    return this.#tag + (this.#payloads.length - 1);
  }

  fill(text: string): string {
    if (this.#payloads.length === 0) return text;
    const pieces = text.split(new RegExp(`${this.#tag}(\\d+)`));
    // split with a capture group: text, index, text, index, ..., text
    for (let i = 1; i < pieces.length; i += 2) pieces[i] = this.#payloads[Number(pieces[i])];
    return pieces.join('');
  }
}
