// The desktop app runs the esbuild bundles, not the TypeScript sources: build them the way
// `npm run build` does and drive the bundled workers exactly as main.ts does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMain } from '../../../scripts/build-main';
import { forkRunner } from '../../../src-main/python/host/fork-runner.node.js';
import { createPythonHost } from '../../../src-main/python/host/python-host';
import { createTrainingSupervisor, type TrainingSupervisor } from '../../../src-main/training/supervisor';
import { forkTraining } from '../../../src-main/training/fork-training.node.js';
import type { GradLabEvent } from '../../../src-main/contract/messages';

let outDir = '';
beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'gradlab-bundles-'));
  await buildMain(outDir);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function waitFor(events: GradLabEvent[], test: (e: GradLabEvent) => boolean, timeoutMs = 20_000): Promise<GradLabEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = events.find(test);
      if (found) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out; saw ${events.map((e) => e.type).join(', ')}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

describe('bundled workers (dist/main/*.cjs)', () => {
  it('the preload bundle only needs electron, which the sandbox provides', () => {
    const preload = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\)/);
  });

  let supervisor: TrainingSupervisor | null = null;
  afterAll(async () => supervisor?.dispose());

  it('the training worker bundle trains the lesson example to its numbers in a process of its own', async () => {
    const events: GradLabEvent[] = [];
    supervisor = createTrainingSupervisor({ spawn: () => forkTraining(join(outDir, 'training-worker.cjs')), onEvent: (e) => events.push(e) });
    supervisor.send({
      type: 'start',
      runId: 'bundle-run',
      config: { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 },
    });
    const finished = await waitFor(events, (e) => e.type === 'finished' && e.runId === 'bundle-run');
    expect(finished).toMatchObject({ epoch: 100, loss: 183.07989501953125 });
    const last = events.filter((e) => e.type === 'update').at(-1) as Extract<GradLabEvent, { type: 'update' }>;
    expect(last.w.kind).toBe('full');
    if (last.w.kind === 'full') expect(Array.from(last.w.values, (v) => v.toFixed(4))).toEqual(['51.8260', '-9.4314']);
    expect(last.b.toFixed(4)).toBe('45.1103');
  });

  it('the Python runner bundle runs a lesson program in its own process', async () => {
    const events: GradLabEvent[] = [];
    const host = createPythonHost({ spawn: () => forkRunner(join(outDir, 'python-runner.cjs'), { warmUp: 'off' }), emit: (e) => events.push(e), spare: false });
    host.run('bundle-py', 'import torch\nx = torch.tensor([1.0, 2.0])\nprint(x * 2)\n');
    await waitFor(events, (e) => e.type === 'pyDone');
    const text = events.filter((e) => e.type === 'pyOutput').map((e) => (e as { text: string }).text).join('');
    expect(text).toBe('tensor([2., 4.])\n');
    expect(events.at(-1)).toMatchObject({ type: 'pyDone', ok: true });
    host.dispose();
  });
});
