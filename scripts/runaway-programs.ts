// The programs of tests/fixtures/python/runaway: each would take more memory (or size) than a
// learner's program may, and must end in a Python error. Their first comment lines say what
// GradLab prints: `# last line: ...` (the last line of stderr: the error) and, when the program
// prints before it fails, `# stdout: ...` (one comment per line of output).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUNAWAY_DIR = join(import.meta.dirname, '..', 'tests', 'fixtures', 'python', 'runaway');

export interface RunawayProgram {
  name: string;
  path: string;
  source: string;
  lastLine: string;
  stdout: string;
}

export function readRunawayPrograms(dir: string = RUNAWAY_DIR): RunawayProgram[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const source = readFileSync(path, 'utf8');
      const header = (key: string) => [...source.matchAll(new RegExp(`^# ${key}: (.*)$`, 'gm'))].map((m) => m[1]);
      const [lastLine] = header('last line');
      if (lastLine === undefined) throw new Error(`${f} says nothing about its last line ('# last line: ...')`);
      return { name: f.replace(/\.py$/, ''), path, source, lastLine, stdout: header('stdout').map((l) => l + '\n').join('') };
    });
}
