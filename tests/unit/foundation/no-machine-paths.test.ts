// No machine paths in the tree: the steering folder is `../shared` from the repository root, and
// nothing names the folder this checkout happens to live in. The path is computed here, so the
// check holds wherever the repository is cloned (on CI as well as on a developer's machine).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../../..');

/** Every tracked text file's lines that contain `needle` (git grep: fixed string, binary files skipped). */
function trackedLinesContaining(needle: string): string[] {
  const result = spawnSync('git', ['grep', '-n', '-I', '-F', '-e', needle], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status === 1) return []; // nothing found
  if (result.status !== 0) throw new Error(`git grep failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

describe('machine paths', () => {
  it("no tracked file contains the absolute path of the repository's parent folder", () => {
    const parent = dirname(repoRoot);
    // A checkout directly under / has no parent worth naming: then the repository's own path.
    const needle = parent === dirname(parent) ? `${repoRoot}/` : `${parent}/`;
    expect(trackedLinesContaining(needle)).toEqual([]);
  });

  it('finds such a path when one is there (the check can fail)', () => {
    expect(trackedLinesContaining('src-main/contract/').length).toBeGreaterThan(0);
  });
});
