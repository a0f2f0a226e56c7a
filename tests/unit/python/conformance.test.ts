// Byte-for-byte conformance: every program prints exactly what real PyTorch 1.13.1 printed
// (outputs made with ../shared/torch-reference/run_torch.py and committed as fixtures).
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

describe('lesson cells (tests/fixtures/lessons)', () => {
  // What real PyTorch printed for each cell: stdout, then the last traceback line on an error.
  const dir = join(repoRoot, 'tests/fixtures/lessons');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { programs: { program: string; output: string }[] };
  it('has the cells of six lessons', () => {
    expect(new Set(manifest.programs.map((entry) => entry.program.replace(/-\d+\.py$/, ''))).size).toBe(6);
  });
  for (const { program, output } of manifest.programs) {
    it(program, () => {
      const { output: printed } = runPythonToString(readFileSync(join(dir, program), 'utf8'));
      expect(printed).toBe(readFileSync(join(dir, output), 'utf8'));
    });
  }
});

// Issue 15's programs, one folder per area. Only the active folders run here; programs GradLab
// cannot run yet wait in pending/<area>/ (`npm run fixtures:pending` reports on them).
const AREAS = ['views', 'dtypes', 'functions', 'nn', 'optim', 'language', 'limits'];
const fixturesDir = join(repoRoot, 'tests/fixtures/python');

describe('issue 15 area folders', () => {
  it('hold only the known areas, with every program paired with its PyTorch output', () => {
    // (pending/ disappears from a checkout once every program in it passes)
    for (const base of [fixturesDir, join(fixturesDir, 'pending')].filter((dir) => existsSync(dir))) {
      for (const entry of readdirSync(base, { withFileTypes: true })) {
        // runaway/: programs past the memory budget, run in runner processes (host/runaway.test.ts)
        if (!entry.isDirectory() || entry.name === 'pending' || entry.name === 'tools' || entry.name === 'runaway') continue;
        expect(AREAS).toContain(entry.name);
        const files = readdirSync(join(base, entry.name));
        for (const file of files.filter((f) => f.endsWith('.py'))) expect(files).toContain(file.replace(/\.py$/, '.out'));
      }
    }
  });
  it('keep the corpus of at least 140 programs across active and pending folders', () => {
    const count = (base: string) => AREAS.filter((a) => existsSync(join(base, a))).reduce((n, a) => n + programs(join(base, a)).length, 0);
    expect(count(fixturesDir) + count(join(fixturesDir, 'pending'))).toBeGreaterThanOrEqual(140);
  });
});

for (const area of AREAS) {
  const dir = join(fixturesDir, area);
  if (!existsSync(dir)) continue;
  describe(`issue 15 programs: ${area} (tests/fixtures/python/${area})`, () => checkDir(dir));
}
