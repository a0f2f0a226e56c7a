// The UTF-8 codec against the platform's own strict decoder/encoder: the same strings, and an
// error exactly where the platform refuses (CPython's texts are checked by language fixtures 140/141).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBytes, encodeString } from '../../../src-main/python/codecs';
import { PyException } from '../../../src-main/python/errors';

function platformDecode(data: Uint8Array): string | 'error' {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return 'error';
  }
}

function ourDecode(data: Uint8Array): string | 'error' {
  try {
    return decodeBytes(data, 'utf-8');
  } catch (e) {
    expect(e).toBeInstanceOf(PyException);
    expect((e as PyException).pyType).toBe('UnicodeDecodeError');
    return 'error';
  }
}

// bytes near the edges of UTF-8's ranges, so malformed sequences are common
const interesting = fc.constantFrom(0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff);

describe('UTF-8 codec', () => {
  it('decodes exactly what a strict decoder accepts, to the same string', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(interesting, fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), (bytes) => {
        const data = Uint8Array.from(bytes);
        expect(ourDecode(data)).toBe(platformDecode(data));
      }),
      { numRuns: 3000, seed: 15 },
    );
  });

  it('keeps a leading byte order mark, as CPython does', () => {
    expect(decodeBytes(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), 'utf-8')).toBe('\ufeffa');
  });

  it('encodes every string without lone surrogates as the platform does, and round-trips it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 20 }), (text) => {
        const encoded = encodeString(text, 'utf-8');
        expect(Array.from(encoded)).toEqual(Array.from(new TextEncoder().encode(text)));
        expect(decodeBytes(encoded, 'utf8')).toBe(text);
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  it('names the first malformed sequence as CPython does', () => {
    const message = (bytes: number[]): string => {
      try {
        decodeBytes(Uint8Array.from(bytes), 'utf-8');
      } catch (e) {
        return (e as PyException).pyMessage;
      }
      return 'decoded';
    };
    expect(message([0x61, 0xe2, 0x82, 0x78])).toBe("'utf-8' codec can't decode bytes in position 1-2: invalid continuation byte");
    expect(message([0xf0, 0x9f, 0x98])).toBe("'utf-8' codec can't decode bytes in position 0-2: unexpected end of data");
    expect(message([0xe0, 0x80])).toBe("'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte");
  });
});
