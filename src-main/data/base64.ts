// Float32 vectors <-> base64 text (little-endian bytes), for session files. Pure TS: no Buffer,
// no atob/btoa (their binary strings are slow and they are absent in some workers). A 512x512 RGB
// image is 3 MB of floats, and the window encodes it on its main thread when it autosaves, so
// both directions work on whole byte arrays: no string or array per group of characters.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
const LOOKUP = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
const EQUALS = 61;
/** Base64 is ASCII, which UTF-8 decodes byte for byte (and fast). */
const ascii = new TextDecoder();
const ASCII_ENCODER = new TextEncoder();
/** Float32Array's own bytes are little-endian here (every platform the app runs on), so they are copied as they are. */
const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

/** The platform's own encoder where it has one (Chromium 140+: a few ms for 3 MB instead of ~50). */
const nativeToBase64 = (Uint8Array.prototype as { toBase64?: (this: Uint8Array) => string }).toBase64;

export function bytesToBase64(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  return bytesToBase64Portable(bytes);
}

/** The same text without the platform's encoder (Node 20, older engines); exported for tests. */
export function bytesToBase64Portable(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o] = ENCODE[triple >> 18];
    out[o + 1] = ENCODE[(triple >> 12) & 63];
    out[o + 2] = ENCODE[(triple >> 6) & 63];
    out[o + 3] = ENCODE[triple & 63];
    o += 4;
  }
  if (whole < bytes.length) {
    const a = bytes[whole];
    const b = whole + 1 < bytes.length ? bytes[whole + 1] : 0;
    out[o] = ENCODE[a >> 2];
    out[o + 1] = ENCODE[((a & 3) << 4) | (b >> 4)];
    out[o + 2] = whole + 1 < bytes.length ? ENCODE[(b & 15) << 2] : EQUALS;
    out[o + 3] = EQUALS;
  }
  return ascii.decode(out);
}

/** Returns null when the text is not canonical base64 (wrong length or characters). */
export function base64ToBytes(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const chars = ASCII_ENCODER.encode(text); // a non-ASCII character becomes bytes >= 128: refused below
  if (chars.length !== text.length) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const groups = text.length / 4 - (padding > 0 ? 1 : 0);
  let o = 0;
  for (let g = 0, i = 0; g < groups; g++, i += 4) {
    const c0 = LOOKUP[chars[i]];
    const c1 = LOOKUP[chars[i + 1]];
    const c2 = LOOKUP[chars[i + 2]];
    const c3 = LOOKUP[chars[i + 3]];
    if ((c0 | c1 | c2 | c3) < 0) return null;
    const triple = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o] = triple >> 16;
    out[o + 1] = (triple >> 8) & 255;
    out[o + 2] = triple & 255;
    o += 3;
  }
  if (padding > 0) {
    const i = text.length - 4;
    const c0 = LOOKUP[chars[i]];
    const c1 = LOOKUP[chars[i + 1]];
    const c2 = padding === 1 ? LOOKUP[chars[i + 2]] : 0;
    if ((c0 | c1 | c2) < 0) return null;
    const triple = (c0 << 18) | (c1 << 12) | (c2 << 6);
    out[o] = triple >> 16;
    if (padding === 1) out[o + 1] = (triple >> 8) & 255;
  }
  return out;
}

export function float32ToBase64(values: Float32Array): string {
  if (LITTLE_ENDIAN) return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytesToBase64(bytes);
}

/** Returns null when the text is not base64 of a whole number of float32 values. */
export function base64ToFloat32(text: string): Float32Array | null {
  const bytes = base64ToBytes(text);
  if (!bytes || bytes.length % 4 !== 0) return null;
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, 0, bytes.length / 4);
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
