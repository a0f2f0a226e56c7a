// Byte-for-byte conformance: every program prints exactly what real PyTorch 1.13.1 printed
// (outputs made with /work/shared/torch-reference/run_torch.py and committed as fixtures).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPythonToString } from '../../../src-main/python/index';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function programs(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.*\.py$/.test(f) && existsSync(join(dir, f.replace(/\.py$/, '.out'))))
    .sort();
}

function checkDir(dir: string): void {
  for (const file of programs(dir)) {
    it(file, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const expected = readFileSync(join(dir, file.replace(/\.py$/, '.out')), 'utf8');
      const { output } = runPythonToString(source);
      expect(output).toBe(expected);
    });
  }
}

describe('shared torch-reference programs (../shared/torch-reference)', () => {
  const dir = resolve(repoRoot, '../shared/torch-reference');
  it('the shared reference directory exists beside the repository', () => {
    expect(existsSync(dir)).toBe(true);
    expect(programs(dir).length).toBeGreaterThanOrEqual(8);
  });
  if (existsSync(dir)) checkDir(dir);
});

describe('GradLab Python suite (tests/fixtures/python)', () => {
  const dir = join(repoRoot, 'tests/fixtures/python');
  it('has at least 40 programs', () => {
    expect(programs(dir).length).toBeGreaterThanOrEqual(40);
  });
  checkDir(dir);
});
