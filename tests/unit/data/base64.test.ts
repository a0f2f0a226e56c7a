import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64ToBytes, base64ToFloat32, bytesToBase64, float32ToBase64 } from '../../../src-main/data/base64';
import * as dataApi from '../../../src-main/data/index';

describe('base64', () => {
  it('agrees with Node for any bytes, both ways (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64ToBytes(text)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes a float32 view at an offset in its buffer (only its own bytes)', () => {
    const buffer = new Float32Array([9, 1.5, -2, 9]).buffer;
    const view = new Float32Array(buffer, 4, 2);
    expect(float32ToBase64(view)).toBe(Buffer.from(Float32Array.of(1.5, -2).buffer).toString('base64'));
  });

  it('round-trips float32 values bit for bit, nan and -0 included', () => {
    const values = Float32Array.of(0, -0, 1.5, NaN, Infinity, -3.4028234663852886e38, 1e-45);
    const back = base64ToFloat32(float32ToBase64(values))!;
    expect(Buffer.from(back.buffer).equals(Buffer.from(values.buffer))).toBe(true);
  });

  it('rejects text that is not base64 of whole float32 values', () => {
    expect(base64ToBytes('abc')).toBeNull();
    expect(base64ToBytes('ab$d')).toBeNull();
    expect(base64ToBytes('a=bc')).toBeNull();
    expect(base64ToFloat32('AAA=')).toBeNull(); // 2 bytes
    expect(base64ToBytes('AAé=')).toBeNull(); // not ASCII
    expect(base64ToBytes('A===')).toBeNull();
  });

  it('the pure index exports the API the renderer uses', () => {
    for (const name of ['loadDataFile', 'imageToVector', 'vectorToRgba', 'parseSession', 'serializeSession', 'exportPyTorchScript', 'lossHistoryCsv']) {
      expect(typeof (dataApi as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
