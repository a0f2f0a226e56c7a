// The headless training CLI: the exact command, data files, init options, errors.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UsageError, main, parseTrainArgs, resultJson } from '../../../src-main/cli/train';
import { trainToEnd } from '../../../src-main/training/trainer';
import { reference } from './helpers';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gradlab-train-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src-main/cli/train.ts', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A minimal .npy (format 1.0, little-endian float32, 1-D). */
function npy(values: number[]): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${values.length},), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(new Float32Array(values).buffer)]);
}

describe('npm run -s train', () => {
  it('prints the lesson result for 100 epochs as one JSON line', async () => {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'train', '--', '--x', '1,2', '--y', '115,21', '--w', '1,2', '--b', '0', '--lr', '0.01', '--epochs', '100'], { cwd: root });
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['epochs', 'loss', 'w', 'b']);
    expect(out).toEqual({ epochs: 100, loss: 183.07989501953125, w: reference.lesson100.w, b: reference.lesson100.b });
    expect(out.w.map((v: number) => v.toFixed(4))).toEqual(['51.8260', '-9.4314']);
    expect(out.b.toFixed(4)).toBe('45.1103');
  });

  it('2000 epochs gives w=[62.4444,-15.7777], b=52.5554; --progress draws on stderr only', async () => {
    const { code, stdout, stderr } = await cli(['--x', '1,2', '--y', '115,21', '--w', '1,2', '--epochs', '2000', '--progress']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.w.map((v: number) => v.toFixed(4))).toEqual(['62.4444', '-15.7777']);
    expect(out.b.toFixed(4)).toBe('52.5554');
    expect(stderr).toMatch(/\[#{30}\] 100% epoch 2000\/2000 loss \S+\n$/);
  });

  it('bad arguments: one line on stderr, exit code 2', async () => {
    const { code, stdout, stderr } = await cli(['--x', '1,2', '--y', '115']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('train: x has 2 values but y has 1: x and y must have the same length (one target y for every input x).\n');
  });
});

/** Runs the CLI's main() in this process, capturing what it writes. */
function mainInProcess(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('train CLI main()', () => {
  const expected = { epochs: 100, loss: 183.07989501953125, w: reference.lesson100.w, b: reference.lesson100.b };

  it('reads x and y from CSV (two columns), JSON and .npy files', () => {
    writeFileSync(join(dir, 'xy.csv'), 'x,y\n1,115\n2,21\n');
    writeFileSync(join(dir, 'x.json'), '[1, 2]');
    writeFileSync(join(dir, 'y.npy'), npy([115, 21]));
    const csv = mainInProcess(['--x-file', join(dir, 'xy.csv'), '--w', '1,2']);
    expect(csv.code).toBe(0);
    expect(JSON.parse(csv.stdout)).toEqual(expected);
    const mixed = mainInProcess(['--x-file', join(dir, 'x.json'), '--y-file', join(dir, 'y.npy'), '--w', '1,2']);
    expect(mixed.code).toBe(0);
    expect(JSON.parse(mixed.stdout)).toEqual(expected);
  });

  it('bad arguments and files: one line on stderr, exit code 2, nothing on stdout', () => {
    writeFileSync(join(dir, 'bad.csv'), '1\nabc\n');
    writeFileSync(join(dir, 'notes.docx'), 'hello');
    for (const args of [
      ['--x', '1,a', '--y', '1,2'],
      ['--x-file', join(dir, 'missing.csv'), '--y', '1'],
      ['--x-file', join(dir, 'bad.csv'), '--y', '1,2'],
      ['--x-file', join(dir, 'notes.docx'), '--y', '1'],
      ['--x', '1', '--y', '1', '--bogus'],
      ['--x', '1', '--y', '1', '--export-py', join(dir, 'no-such-folder', 'out.py')],
    ]) {
      const { code, stdout, stderr } = mainInProcess(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.endsWith('\n')).toBe(true);
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(/^train: /);
    }
    expect(mainInProcess(['--x-file', join(dir, 'missing.csv'), '--y', '1']).stderr).toMatch(/missing\.csv: no such file/);
    expect(mainInProcess(['--x-file', join(dir, 'bad.csv'), '--y', '1,2']).stderr).toMatch(/Line 2.*"abc" is not a number/);
  });

  it('--export-py writes the run as a PyTorch script and still prints the JSON', () => {
    const script = join(dir, 'lesson.py');
    const { code, stdout, stderr } = mainInProcess(['--x', '1,2', '--y', '115,21', '--w', '1,2', '--export-py', script]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(stderr).toBe(`train: wrote ${script}\n`);
    const text = readFileSync(script, 'utf8');
    expect(text).toMatch(/import torch/);
    expect(text).toMatch(/115/);
  });

  it('--export-form nn writes lesson 6\'s torch.nn / torch.optim form', () => {
    const script = join(dir, 'lesson-nn.py');
    const { code, stdout } = mainInProcess(['--x', '1,2', '--y', '115,21', '--w', '1,2', '--export-py', script, '--export-form', 'nn']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expected);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('class Regression(nn.Module):');
    expect(text).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)');
  });

  it('a diverging run prints its JSON and explains on stderr with exit code 1', () => {
    const { code, stdout, stderr } = mainInProcess(['--x', '1,2', '--y', '115,21', '--w', '1,2', '--lr', '1', '--epochs', '1000']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ epochs: 28, reason: 'diverged', divergedAtEpoch: 29 });
    expect(stderr).toMatch(/nan\/inf at epoch 29 .* lower it/);
  });
});

describe('parseTrainArgs', () => {
  const base = ['--x', '1,2', '--y', '115,21'];
  it('reads every option', () => {
    const parsed = parseTrainArgs([...base, '--w', 'random:7', '--b=0.5', '--lr', '0.1', '--epochs', '5', '--target-loss', '3', '--progress']);
    expect(parsed.config).toEqual({
      x: [1, 2],
      y: [115, 21],
      initialW: { kind: 'random', seed: 7 },
      initialB: 0.5,
      learningRate: 0.1,
      epochs: 5,
      targetLoss: 3,
    });
    expect(parsed.progress).toBe(true);
    expect(parseTrainArgs([...base, '--w', 'zeros']).config.initialW).toEqual({ kind: 'zeros' });
    expect(parseTrainArgs(base).config).toMatchObject({ initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.01, epochs: 100 });
    expect(parseTrainArgs([...base, '--w', '-1,2']).config.initialW).toEqual({ kind: 'values', values: [-1, 2] });
  });

  it.each([
    [['--y', '1'], /x is missing/],
    [[...base, '--w', 'random:x'], /random:SEED/],
    [[...base, '--epochs', '1.5'], /--epochs 1.5: give a whole number/],
    [[...base, '--lr', '-1'], /learning rate must be >= 0/],
    [[...base, '--lr'], /--lr needs a value/],
    [[...base, '--x', '3,4'], /--x is given twice/],
    [['--x', '1,,2', '--y', '1'], /item 2 \(""\) is not a number/],
    [[...base, '--export-py', 'a.py', '--export-form', 'keras'], /--export-form keras: give tensors or nn/],
    [[...base, '--export-form', 'nn'], /--export-form needs --export-py FILE/],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseTrainArgs(args as string[])).toThrow(UsageError);
    expect(() => parseTrainArgs(args as string[])).toThrow(message);
  });

  it('--target-loss stops early and says so; divergence is reported in the JSON', () => {
    const target = trainToEnd(parseTrainArgs([...base, '--w', '1,2', '--epochs', '100000', '--target-loss', '1']).config);
    expect(JSON.parse(resultJson(target))).toMatchObject({ epochs: reference.target1.epochs, reason: 'target' });
    const diverged = trainToEnd(parseTrainArgs([...base, '--w', '1,2', '--lr', '1', '--epochs', '1000']).config);
    expect(JSON.parse(resultJson(diverged))).toMatchObject({ epochs: 28, reason: 'diverged', divergedAtEpoch: 29, loss: reference.diverge_lr1.diverged!.lastFiniteLoss });
  });
});
