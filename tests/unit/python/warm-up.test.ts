// The runner's start-up warm-up (python/warm-up.ts) must leave nothing a learner's program
// could notice: no output, the random generator untouched, grad mode on, a fresh namespace.
import { describe, expect, it } from 'vitest';
import { defaultGenerator } from '../../../src-main/engine/random';
import { isGradEnabled } from '../../../src-main/engine/grad-mode';
import { runPythonToString } from '../../../src-main/python/index';
import { warmUpRunner, warmUpWhileIdle } from '../../../src-main/python/warm-up';

describe('runner warm-up', () => {
  it('runs its lesson-shaped program and leaves no trace', () => {
    const generatorBefore = structuredClone(defaultGenerator);
    const printedBefore = runPythonToString('import torch\nprint(torch.tensor([1.23456789, 2.0]))\n').output;
    expect(warmUpRunner(40)).toBeGreaterThan(0);
    expect(structuredClone(defaultGenerator)).toEqual(generatorBefore);
    expect(isGradEnabled()).toBe(true);
    // same printing as before, and the warm-up's names (w, loss, ...) are not defined
    expect(runPythonToString('import torch\nprint(torch.tensor([1.23456789, 2.0]))\n').output).toBe(printedBefore);
    expect(runPythonToString('print(loss)\n').output).toBe("NameError: name 'loss' is not defined\n");
  });
});

describe('warm-up garbage', () => {
  it('is collected by a minor collection where gc() is exposed (the runner process), never a full one', () => {
    const host = globalThis as { gc?: unknown };
    const before = host.gc;
    const calls: unknown[] = [];
    host.gc = (options: unknown) => calls.push(options);
    try {
      warmUpRunner(20);
    } finally {
      host.gc = before;
    }
    expect(calls).toEqual([{ type: 'minor' }]);
  });
});

describe('warm-up while idle', () => {
  it('runs one slice per tick and stops for good once a program is requested', () => {
    const ticks: (() => void)[] = [];
    let requested = false;
    warmUpWhileIdle(() => requested, (next) => ticks.push(next), 4);
    expect(ticks).toHaveLength(1); // nothing runs before the first tick
    ticks.shift()!(); // slice 1
    expect(ticks).toHaveLength(1);
    requested = true;
    ticks.shift()!();
    expect(ticks).toHaveLength(0); // cancelled: no more slices scheduled
  });

  it('ends after its slices when nobody asks', () => {
    const ticks: (() => void)[] = [];
    warmUpWhileIdle(() => false, (next) => ticks.push(next), 2);
    let ran = 0;
    while (ticks.length > 0) {
      ticks.shift()!();
      ran++;
    }
    expect(ran).toBe(3); // two slices, then one tick that finds the work done
  });
});
