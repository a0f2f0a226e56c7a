// `npm run -s pyrun -- FILE.py` on the programs issue 13 is about, as a learner would run them:
// the Python error is the last line of stderr and the exit code 1 (never V8's 133/134, never a
// hang), pyrun's own refusals exit with 2, and a too long program is refused at once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SOURCE_CHARS } from '../../../../src-main/contract/limits';

const repoRoot = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'gradlab-pyrun-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pyrun(name: string, source: string, ...flags: string[]) {
  const file = join(dir, name);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/pyrun.ts'), '--no-warm-up', ...flags, file], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  const lines = r.stderr.trimEnd().split('\n');
  return { status: r.status, signal: r.signal, stdout: r.stdout, last: lines[lines.length - 1], stderr: r.stderr };
}

describe('pyrun at the limits', () => {
  it('a program that grows a list forever: MemoryError last on stderr, exit code 1', () => {
    const r = pyrun('grow.py', 'print("start")\nl = []\nwhile True:\n    l.append(0)\n', '--memory-mb', '64');
    expect([r.status, r.signal, r.stdout, r.last]).toEqual([1, null, 'start\n', 'MemoryError']);
  }, 240_000);

  it('torch.zeros(200000000).tolist() and a 10 GB outer product: MemoryError, exit code 1', () => {
    expect(pyrun('tolist.py', 'import torch\nx = torch.zeros(200000000).tolist()\n')).toMatchObject({ status: 1, last: 'MemoryError' });
    expect(pyrun('outer.py', 'import torch\na = torch.ones(50000)\nb = a.reshape(1, 50000) * a.reshape(50000, 1)\n')).toMatchObject({ status: 1, last: 'MemoryError' });
  }, 240_000);

  it('100,000 nested parentheses reach the tokenizer: CPython\'s SyntaxError, exit code 1', () => {
    const r = pyrun('nested.py', `x = ${'('.repeat(100_000)}${')'.repeat(100_000)}\n`);
    expect([r.status, r.stdout, r.last]).toEqual([1, '', 'SyntaxError: too many nested parentheses']);
  }, 240_000);

  it('a program longer than a runner request may be is refused at once with exit code 2', () => {
    const r = pyrun('long.py', `x = ${'('.repeat(MAX_SOURCE_CHARS)}\n`);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.last).toMatch(/^pyrun: .*long\.py has 8,000,005 characters; GradLab runs programs of at most 8,000,000$/);
  }, 240_000);

  it('usage mistakes exit with 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/pyrun.ts'), '--memory-mb', 'lots', 'x.py'], { cwd: repoRoot, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([2, 'pyrun: --memory-mb needs a whole number of megabytes (16 or more)\n']);
  }, 240_000);
});
