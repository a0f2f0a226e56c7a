// The engine's allocation guard: asked with the size of every large storage (any dtype, in the
// arena or outside it) and of tolist()'s arrays; a guard that throws stops the allocation and the
// error reaches the caller; small allocations do not ask one by one, but after every 16 MB of them
// the guard is asked with 0 (is memory still in budget?). The arena stays sound after a request
// larger than itself.
import { afterEach, describe, expect, it } from 'vitest';
import { setAllocationGuard, torch } from '../../../src-main/engine';
import { GUARDED_MIN_BYTES } from '../../../src-main/engine/allocation-guard';

afterEach(() => {
  setAllocationGuard(null);
});

class Refused extends Error {}

describe('allocation guard', () => {
  it('is asked the byte size of large storages of every dtype, not of small ones', () => {
    const asked: number[] = [];
    setAllocationGuard((bytes) => {
      asked.push(bytes);
      if (bytes > 1e8) throw new Refused('too big for a test');
    });
    torch.zeros([10]);
    torch.zeros([1000, 1000]);
    torch.zeros([1000, 1000], { dtype: 'float64' });
    torch.zeros([2000, 1000], { dtype: 'int32' });
    torch.zeros([3000, 1000], { dtype: 'bool' });
    expect(() => torch.zeros([100_000_000])).toThrow(Refused); // larger than the arena: plain memory
    expect(asked.every((b) => b >= GUARDED_MIN_BYTES)).toBe(true);
    expect(asked).toEqual(expect.arrayContaining([8_000_000, 8_000_000, 3_000_000, 400_000_000]));
    expect(asked).not.toContain(40);
  });

  it('is asked with 0 after every 16 MB of small storages, so a loop keeping small tensors meets its budget', () => {
    const asked: number[] = [];
    setAllocationGuard((bytes) => {
      asked.push(bytes);
    });
    const kept = [];
    // 400 kB each, 40 MB in all (float64: outside the arena, which is reserved once)
    for (let i = 0; i < 100; i++) kept.push(torch.zeros([50_000], { dtype: 'float64' }));
    expect(asked).toEqual([0, 0]);
    setAllocationGuard((bytes) => {
      if (bytes === 0) throw new Refused('over budget');
    });
    expect(() => {
      for (let i = 0; i < 100; i++) kept.push(torch.zeros([50_000], { dtype: 'float64' }));
    }).toThrow(Refused);
  });

  it('a guard that throws stops the allocation; the arena is sound afterwards', () => {
    setAllocationGuard((bytes) => {
      if (bytes > 1e9) throw new Refused(`no ${bytes} bytes`);
    });
    const a = torch.ones([50000]);
    // 2.5e9 elements: more than 2**31 bytes, which once overflowed the arena's 32-bit rounding
    expect(() => a.reshape([1, 50000]).mul(a.reshape([50000, 1]))).toThrow(Refused);
    expect(() => torch.zeros([600_000_000])).toThrow(Refused);
    const b = torch.ones([1000, 1000]);
    expect(b.sum().item()).toBe(1_000_000);
  });

  it('asks before tolist() builds its arrays', () => {
    const t = torch.zeros([300_000]);
    setAllocationGuard((bytes) => {
      throw new Refused(`no ${bytes} bytes`);
    });
    expect(() => t.tolist()).toThrow('no 2400000 bytes');
    setAllocationGuard(null);
    expect((t.tolist() as number[]).length).toBe(300_000);
  });
});
