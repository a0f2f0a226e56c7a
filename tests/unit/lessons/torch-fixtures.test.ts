// Re-runs the committed lesson programs under real PyTorch, when this machine has it, to prove the
// fixtures are what PyTorch prints. CI has no PyTorch: there the test skips and says why.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const python = '/usr/bin/python3';
const fixtureDir = join(import.meta.dirname, '../../fixtures/lessons');

// The same rules as ../shared/torch-reference/run_torch.py (stdout, then the last traceback
// line on an uncaught exception), but torch is imported once for all programs, which keeps this
// test at seconds instead of a minute. Each program gets fresh globals; the ones that use random
// numbers seed the generator themselves. Prints one JSON object: {program: [output, exitCode]}.
const driver = `
import contextlib, io, json, sys, traceback
import torch
results = {}
for path in sys.argv[1:]:
    src = open(path).read()
    buf = io.StringIO()
    last = None
    with contextlib.redirect_stdout(buf):
        try:
            exec(compile(src, path, "exec"), {"__name__": "__main__"})
        except Exception as e:
            last = traceback.format_exception_only(type(e), e)[-1].rstrip("\\n")
    out = buf.getvalue()
    if last is not None:
        out += last.splitlines()[0] + "\\n"
    results[path] = [out, 1 if last is not None else 0]
sys.stdout.write(json.dumps(results))
`;

function torchAvailable(): boolean {
  if (!existsSync(python)) return false;
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}
const haveTorch = torchAvailable();

describe('lesson fixtures against real PyTorch', () => {
  it.skipIf(!haveTorch)('every program prints exactly its committed .out (skipped when /usr/bin/python3 has no torch, as in CI)', () => {
    const manifest = JSON.parse(readFileSync(join(fixtureDir, 'manifest.json'), 'utf8')) as { programs: { program: string; output: string; exitCode: number }[] };
    const paths = manifest.programs.map((entry) => join(fixtureDir, entry.program));
    const run = spawnSync(python, ['-c', driver, ...paths], { encoding: 'utf8', timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, [string, number]>;
    for (const entry of manifest.programs) {
      const [output, exitCode] = results[join(fixtureDir, entry.program)];
      expect(output, entry.program).toBe(readFileSync(join(fixtureDir, entry.output), 'utf8'));
      expect(exitCode, entry.program).toBe(entry.exitCode);
    }
  }, 300_000);
});
