import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPyTorchScript, lossHistoryCsv, parametersCsv } from '../../../src-main/data/export';
import { writePyTorchExport } from '../../../src-main/data/export-py.node.js';
import { parseCsvText } from '../../../src-main/data/csv';
import { parseNpyArray } from '../../../src-main/data/npy';
import type { TrainConfig } from '../../../src-main/contract/messages';
import { trainToEnd, type TrainResult } from '../../../src-main/training/trainer';
import { resultJson } from '../../../src-main/cli/train';
import { liveChangeCases, trainWithChanges } from './helpers/live-changes';
import { nnFormCases } from './helpers/nn-form';
import { sharedExportCases } from './helpers/shared-model-exports';

const liveChangeFixture = JSON.parse(readFileSync(new URL('../../fixtures/data/export-live-changes.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: { name: string; script: string; pytorch: CliJson }[];
};

const nnFormFixture = JSON.parse(readFileSync(new URL('../../fixtures/data/export-nn-form.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: { name: string; script: string; pytorch: CliJson }[];
};

const PYTHON = '/usr/bin/python3';
const torchCheck = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const hasTorch = torchCheck.status === 0;
const skipReason = hasTorch ? '' : ` (skipped: ${PYTHON} with torch and numpy is not available here${torchCheck.error ? `: ${torchCheck.error.message}` : ''})`;

const workDir = mkdtempSync(join(tmpdir(), 'gradlab-export-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const lesson: TrainConfig = { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 };

/** Deterministic pseudo-random image-like data (values in 0..1). */
function imageLike(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
}

const cases: { name: string; config: TrainConfig; sidecarFormat?: 'npy' | 'json' }[] = [
  { name: 'lesson, 100 epochs', config: lesson },
  { name: 'lesson, 2000 epochs', config: { ...lesson, epochs: 2000 } },
  { name: 'w ones, b 0.5, fractional data', config: { x: [0.1, 0.2, 0.3, 0.7], y: [1.3, -0.2, 0.33, 7], initialW: { kind: 'ones' }, initialB: 0.5, learningRate: 0.05, epochs: 300 } },
  { name: 'w zeros', config: { x: [3, -1, 2], y: [1, 2, 3], initialW: { kind: 'zeros' }, initialB: 0, learningRate: 0.02, epochs: 50 } },
  { name: 'seeded random w', config: { x: [1, 2, 3, 4, 5], y: [2, 4, 6, 8, 10], initialW: { kind: 'random', seed: 42 }, initialB: 0, learningRate: 0.01, epochs: 200 } },
  { name: 'target loss stops early', config: { ...lesson, epochs: 5000, targetLoss: 1 } },
  { name: 'gradients never zeroed', config: { ...lesson, epochs: 30, learningRate: 0.001, skipZeroGrad: true } },
  { name: 'learning rate too large diverges', config: { ...lesson, learningRate: 5, epochs: 1000 } },
  { name: 'zero epochs', config: { ...lesson, epochs: 0 } },
  {
    name: '64x64 image data in an .npy sidecar',
    config: { x: imageLike(4096, 1), y: imageLike(4096, 2), initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.1, epochs: 200, image: { width: 64, height: 64, channels: 1 } },
  },
  {
    name: 'image data with given w in a .json sidecar',
    config: { x: imageLike(2500, 3), y: imageLike(2500, 4), initialW: { kind: 'values', values: Array.from(imageLike(2500, 5)) }, initialB: 0.25, learningRate: 0.1, epochs: 100 },
    sidecarFormat: 'json',
  },
];

interface CliJson {
  epochs: number;
  loss: number | null;
  w: number[];
  b: number;
  reason?: string;
  divergedAtEpoch?: number;
}

function expectClose(actual: number | null, expected: number | null, what: string) {
  if (expected === null || actual === null) return expect(actual, what).toBe(expected);
  expect(Math.abs(actual - expected), `${what}: python ${actual} vs app ${expected}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
}

function compare(python: CliJson, app: TrainResult, name: string) {
  expect(python.epochs, name).toBe(app.epochs);
  expectClose(python.loss, app.loss, `${name} loss`);
  expectClose(python.b, app.b, `${name} b`);
  expect(python.w.length).toBe(app.w.length);
  python.w.forEach((w, i) => expectClose(w, app.w[i], `${name} w[${i}]`));
  expect(python.reason).toBe(app.reason === 'epochs' ? undefined : app.reason);
  expect(python.divergedAtEpoch).toBe(app.diverged?.epoch);
}

/**
 * Runs the scripts in one Python process (importing torch once), from another folder so they must
 * find their sidecars next to themselves; returns each script's last printed line.
 */
function lastLinesInPython(scripts: string[]): string[] {
  const runner = join(workDir, 'run_all.py');
  writeFileSync(
    runner,
    [
      'import contextlib, io, json, runpy, sys',
      'for path in sys.argv[1:]:',
      '    out = io.StringIO()',
      '    with contextlib.redirect_stdout(out):',
      "        runpy.run_path(path, run_name='__main__')",
      "    print(out.getvalue().rstrip('\\n').split('\\n')[-1])",
    ].join('\n'),
  );
  const output = execFileSync(PYTHON, [runner, ...scripts], { cwd: tmpdir(), encoding: 'utf8', timeout: 240_000 });
  return output.trimEnd().split('\n');
}

/** compare() for two CLI JSON lines. */
function compareJson(python: CliJson, app: CliJson, name: string) {
  expect(python.epochs, name).toBe(app.epochs);
  expectClose(python.loss, app.loss, `${name} loss`);
  expectClose(python.b, app.b, `${name} b`);
  expect(python.w.length).toBe(app.w.length);
  python.w.forEach((w, i) => expectClose(w, app.w[i], `${name} w[${i}]`));
  expect(python.reason).toBe(app.reason);
  expect(python.divergedAtEpoch).toBe(app.divergedAtEpoch);
}

const sharedFixture = JSON.parse(readFileSync(new URL('../../fixtures/data/export-shared-model.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: { name: string; script: string; pytorch: CliJson }[];
};

describe('exportPyTorchScript writes the shared model (one w and one b for all points)', () => {
  it(`writes the scripts PyTorch ${sharedFixture.torch} ran for the fixture, and the app's trainer prints what PyTorch printed`, () => {
    expect(sharedFixture.cases.map((c) => c.name)).toEqual(sharedExportCases.map((c) => c.name));
    sharedExportCases.forEach(({ name, config, settingChanges }, i) => {
      const { script } = exportPyTorchScript(config, { settingChanges, title: name });
      expect(script, name).toBe(sharedFixture.cases[i].script);
      // float32 for float32: the same bits, not just close
      expect(trainWithChanges(config, settingChanges), name).toEqual(sharedFixture.cases[i].pytorch);
    });
    const script = sharedFixture.cases[0].script.split('\n');
    expect(script).toContain('w = torch.tensor(0.5, requires_grad=True)');
    expect(script).toContain('    y_hat = w * x + b');
    expect(sharedFixture.cases[3].script.split('\n')).toContain('w = torch.rand((), requires_grad=True)');
  });

  it.skipIf(!hasTorch)(`each shared-model script, in both forms, prints the trainer's numbers in real PyTorch here too${skipReason}`, () => {
    const paths: string[] = [];
    for (const form of ['tensors', 'nn'] as const) {
      sharedExportCases.forEach(({ name, config, settingChanges }, i) => {
        const { script, sidecar } = exportPyTorchScript(config, { settingChanges, title: name, form, sidecarName: `shared-${form}${i}.npy` });
        const path = join(workDir, `shared-${form}${i}.py`);
        writeFileSync(path, script);
        if (sidecar) writeFileSync(join(workDir, sidecar.fileName), sidecar.bytes);
        paths.push(path);
      });
    }
    const lines = lastLinesInPython(paths);
    sharedExportCases.forEach(({ name, config, settingChanges }, i) => {
      const app = trainWithChanges(config, settingChanges) as CliJson;
      expect(JSON.parse(lines[i]), name).toEqual(app);
      // the nn form rounds some steps differently (see its header), so close rather than equal
      if (app.reason !== 'diverged') compareJson(JSON.parse(lines[sharedExportCases.length + i]) as CliJson, app, `${name} (nn form)`);
    });
  }, 240_000);
});

describe('exportPyTorchScript replays live changes (learning rate, zero_grad)', () => {
  it(`writes the same scripts PyTorch ${liveChangeFixture.torch} ran for the fixture, and the app's trainer prints what PyTorch printed`, () => {
    expect(liveChangeFixture.cases.map((c) => c.name)).toEqual(liveChangeCases.map((c) => c.name));
    liveChangeCases.forEach(({ name, config, settingChanges }, i) => {
      const { script } = exportPyTorchScript(config, { settingChanges, title: name });
      expect(script, name).toBe(liveChangeFixture.cases[i].script);
      // float32 for float32: the same bits, not just close
      expect(trainWithChanges(config, settingChanges), name).toEqual(liveChangeFixture.cases[i].pytorch);
    });
    // Without the changes the run would end elsewhere: the replay is what makes the numbers match.
    expect(trainToEnd(liveChangeCases[0].config).w).not.toEqual(Float32Array.from(liveChangeFixture.cases[0].pytorch.w));
  });

  it('switches at the listed epochs, the last change for an epoch winning; changes outside the run are left out', () => {
    const base = liveChangeCases[0].config;
    const plain = exportPyTorchScript(base).script;
    expect(exportPyTorchScript(base, { settingChanges: [] }).script).toBe(plain);
    expect(exportPyTorchScript(base, { settingChanges: [{ fromEpoch: 500, learningRate: 1, skipZeroGrad: true }] }).script).toBe(plain);
    const lines = exportPyTorchScript(base, {
      settingChanges: [
        { fromEpoch: 40, learningRate: 0.5, skipZeroGrad: false },
        { fromEpoch: 12, learningRate: 0.003, skipZeroGrad: true },
        { fromEpoch: 40, learningRate: 0.002, skipZeroGrad: false },
      ],
    }).script.split('\n');
    const table = lines.slice(lines.indexOf('changes = {') + 1, lines.indexOf('}'));
    expect(table).toEqual(['    12: (0.003, True),', '    40: (0.002, False),']);
    expect(lines).toContain('forget_zero_grad = False');
    expect(lines).toContain('    if not forget_zero_grad:');
  });

  it.skipIf(!hasTorch)(`each case's script prints the trainer's numbers in real PyTorch here too${skipReason}`, () => {
    liveChangeCases.forEach(({ name, config, settingChanges }, i) => {
      const path = join(workDir, `live${i}.py`);
      writeFileSync(path, exportPyTorchScript(config, { settingChanges, title: name }).script);
      const lines = execFileSync(PYTHON, [path], { encoding: 'utf8' }).trimEnd().split('\n');
      expect(JSON.parse(lines.at(-1)!), name).toEqual(trainWithChanges(config, settingChanges));
    });
  }, 120_000);
});

describe("exportPyTorchScript's torch.nn / torch.optim form (lesson 6)", () => {
  it(`writes the scripts PyTorch ${nnFormFixture.torch} ran for the fixture, whose results agree with the app's trainer to float32 rounding`, () => {
    expect(nnFormFixture.cases.map((c) => c.name)).toEqual(nnFormCases.map((c) => c.name));
    nnFormCases.forEach(({ name, config, settingChanges }, i) => {
      const { script } = exportPyTorchScript(config, { settingChanges, title: name, form: 'nn' });
      expect(script, name).toBe(nnFormFixture.cases[i].script);
      const app = JSON.parse(resultJson(trainToEnd(config, undefined, settingChanges))) as CliJson;
      compareJson(nnFormFixture.cases[i].pytorch, app, name);
    });
    // optim.SGD rounds w - lr * grad once where the lesson's loop rounds twice: close, not equal.
    expect(nnFormFixture.cases[0].pytorch.w).not.toEqual(JSON.parse(resultJson(trainToEnd(lesson))).w);
  });

  it('is the same model and data as the tensor form, written as an nn.Module trained by optim.SGD', () => {
    const lines = exportPyTorchScript(lesson, { form: 'nn' }).script.split('\n');
    for (const line of [
      'from torch import nn',
      'x = torch.tensor([1.0, 2.0])',
      'w_start = torch.tensor([1.0, 2.0])',
      'b_start = torch.tensor(0.0)',
      'class Regression(nn.Module):',
      '        self.w = nn.Parameter(w)',
      '        return self.w * x + self.b',
      'loss_fn = nn.MSELoss()',
      'optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)',
      '    loss = loss_fn(y_hat, y)',
      '    optimizer.step()',
      '    optimizer.zero_grad()',
    ]) {
      expect(lines).toContain(line);
    }
    expect(lines.some((l) => l.includes('w.grad'))).toBe(false);
    const sidecar = exportPyTorchScript(cases[9].config, { form: 'nn' }).script;
    expect(sidecar).toContain('w_start = torch.ones(x.shape)');
    expect(exportPyTorchScript({ ...lesson, initialW: { kind: 'random', seed: 7 } }, { form: 'nn' }).script).toContain('torch.manual_seed(7)\nw_start = torch.rand(2)');
  });

  it.skipIf(!hasTorch)(`every case's nn-form script runs in real PyTorch here and agrees with the app's trainer within 1e-4${skipReason}`, () => {
    const scripts = cases.map(({ name, config, sidecarFormat }, i) => writePyTorchExport(join(workDir, `nn${i}.py`), config, { title: name, sidecarFormat, form: 'nn' }).scriptPath);
    const lines = lastLinesInPython(scripts);
    expect(lines.length).toBe(cases.length);
    cases.forEach(({ name, config }, i) => compare(JSON.parse(lines[i]) as CliJson, trainToEnd(config), name));
  }, 300_000);
});

describe('exportPyTorchScript', () => {
  it('writes the lesson loop with the data inline', () => {
    const { script, sidecar } = exportPyTorchScript(lesson, { title: 'Part 3' });
    expect(sidecar).toBeNull();
    for (const line of [
      '# Part 3',
      'x = torch.tensor([1.0, 2.0])',
      'y = torch.tensor([115.0, 21.0])',
      'w = torch.tensor([1.0, 2.0], requires_grad=True)',
      'b = torch.tensor(0.0, requires_grad=True)',
      'learning_rate = 0.01',
      'epochs = 100',
      '    y_hat = w * x + b',
      '    loss = (y_hat - y).pow(2).mean()',
      '    loss.backward()',
      '        w -= learning_rate * w.grad',
      '        b -= learning_rate * b.grad',
      '    w.grad.zero_()',
      '    b.grad.zero_()',
      "print(json.dumps(result, separators=(',', ':')))",
    ]) {
      expect(script.split('\n')).toContain(line);
    }
  });

  it('moves large data to a sidecar that holds exactly the float32 values', () => {
    const config = cases[9].config;
    const { script, sidecar } = exportPyTorchScript(config, { sidecarName: 'frogs.data.npy' });
    expect(sidecar?.fileName).toBe('frogs.data.npy');
    const table = parseNpyArray(sidecar!.bytes);
    expect(table.shape).toEqual([2, 4096]);
    expect(table.values.subarray(0, 4096)).toEqual(config.x);
    expect(table.values.subarray(4096)).toEqual(config.y);
    expect(script).toContain('"frogs.data.npy"');
    expect(script).toContain('# x and y are 64x64 greyscale images, flattened row by row');
    expect(script.length).toBeLessThan(5000);
  });

  it.skipIf(!hasTorch)(`reproduces the app's trainer in real PyTorch within 1e-4${skipReason}`, () => {
    const scripts: string[] = [];
    cases.forEach(({ name, config, sidecarFormat }, i) => {
      const path = join(workDir, `case${i}.py`);
      const written = writePyTorchExport(path, config, { title: name, sidecarFormat });
      expect(written.sidecarPath !== null, name).toBe(config.x.length > 2000);
      scripts.push(path);
    });
    const lines = lastLinesInPython(scripts);
    expect(lines.length).toBe(cases.length);
    cases.forEach(({ name, config }, i) => compare(JSON.parse(lines[i]) as CliJson, trainToEnd(config), name));
    // The lesson's own numbers, as PyTorch printed them.
    expect(JSON.parse(lines[0])).toEqual({ epochs: 100, loss: 183.07989501953125, w: [51.82602310180664, -9.431371688842773], b: 45.11032485961914 });
  }, 180_000);

  it.skipIf(!hasTorch)(`prints the lesson's epochs when asked, and the JSON line last${skipReason}`, () => {
    const path = join(workDir, 'lesson.py');
    writeFileSync(path, exportPyTorchScript({ ...lesson, epochs: 3 }, { printEveryEpoch: true }).script);
    const lines = execFileSync(PYTHON, [path], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['Epoch 1, Loss: 6642.5', 'Epoch 2, Loss: 6334.3515625', 'Epoch 3, Loss: 6045.306640625']);
    expect(JSON.parse(lines[3]).epochs).toBe(3);
  }, 60_000);

  it('writes the sidecar next to the script', () => {
    const folder = mkdtempSync(join(workDir, 'side-'));
    const written = writePyTorchExport(join(folder, 'my run.py'), cases[9].config);
    expect(readdirSync(folder).sort()).toEqual(['my run.data.npy', 'my run.py']);
    expect(written.sidecarPath).toBe(join(folder, 'my run.data.npy'));
    expect(readFileSync(join(folder, 'my run.py'), 'utf8')).toContain('"my run.data.npy"');
  });
});

describe('CSV exports', () => {
  it('loss history: one row per epoch, values that read back exactly', () => {
    const losses = Float32Array.of(6642.5, 6334.3515625, 183.07989501953125);
    const text = lossHistoryCsv(losses, 98);
    expect(text).toBe('epoch,loss\n98,6642.5\n99,6334.3516\n100,183.0799\n');
    const back = parseCsvText(text);
    expect(back.kind === 'xy' && Array.from(back.y)).toEqual(Array.from(losses));
  });

  it('parameters: w by index, then b, with gradients when given', () => {
    expect(parametersCsv({ w: Float32Array.of(51.82602310180664, -9.431371688842773), b: 45.11032485961914 })).toBe(
      'parameter,index,value\nw,0,51.826023\nw,1,-9.431372\nb,,45.110325\n',
    );
    expect(parametersCsv({ w: [1], b: 2, wGrad: [0.5], bGrad: -0.25 })).toBe('parameter,index,value,grad\nw,0,1,0.5\nb,,2,-0.25\n');
  });
});
