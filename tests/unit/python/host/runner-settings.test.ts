// The runner process's V8 flags: the speed flags reach every runner (pyrun, the tests' forked
// runners, Electron's utility process all start it from runnerArguments) and this Node accepts
// them (an unknown or renamed flag would make Node refuse to start, or V8 ignore it with a warning).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runnerArguments, RUNNER_SPEED_FLAGS } from '../../../../src-main/python/host/runner-settings';

describe('runner V8 flags', () => {
  it('starts every runner with the speed flags', () => {
    expect(RUNNER_SPEED_FLAGS).toContain('--no-concurrent-recompilation');
    for (const settings of [{}, { memoryMb: 300 }, { heapMb: 64, warmUp: 'off' as const }]) {
      expect(runnerArguments(settings).execArgv).toEqual(expect.arrayContaining([...RUNNER_SPEED_FLAGS]));
    }
  });

  it('uses only flags this Node accepts (exit 9 and "bad option" otherwise), and they take effect', () => {
    const { execArgv } = runnerArguments({});
    // the young generation's size is the one flag V8 lets a program read back
    const probe = "const v8 = require('node:v8'); process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))";
    const child = spawnSync(process.execPath, [...execArgv, '-e', probe], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    // --min-semi-space-size=16: the young generation starts at 16 MB or more (V8's default starts at 1 MB)
    expect(Number(child.stdout)).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });
});
