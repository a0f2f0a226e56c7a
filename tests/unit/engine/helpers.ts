// Shared test helpers: deterministic float32 inputs made identically in the fixture generators.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', '..', 'fixtures', 'engine');

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** value(i, seed) = float32(((i*7919 + seed*104729) % 10007) / 10007 * 2 - 1) * scale (float32 multiply). */
export function makeInput(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.fround((((i * 7919 + seed * 104729) % 10007) / 10007) * 2 - 1);
    out[i] = Math.fround(v * scale);
  }
  return out;
}
