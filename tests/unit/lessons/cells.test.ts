// Every runnable cell in the lessons is a program whose real-PyTorch output is committed under
// tests/fixtures/lessons (so the Python runner's conformance suite can check the app prints the
// same), and the numbers the prose quotes are the numbers PyTorch printed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonLanguages, lessonList, lessonSource } from '../../../src-renderer/lessons/lessons';
import { lessonStructure } from '../../../src-renderer/lessons/markdown';

const fixtureDir = join(import.meta.dirname, '../../fixtures/lessons');
/** Committed copies of ../shared/torch-reference outputs (the steering folder beside the repository). */
const referenceDir = join(import.meta.dirname, '../../fixtures/torch-reference');
const sharedReferenceDir = join(import.meta.dirname, '../../../../shared/torch-reference');
const reference = (name: string) => readFileSync(join(referenceDir, name), 'utf8');

interface ManifestEntry {
  program: string;
  output: string;
  exitCode: number;
  errorLine?: string;
  line?: number | null;
}
const manifest = JSON.parse(readFileSync(join(fixtureDir, 'manifest.json'), 'utf8')) as { generatedWith: string; programs: ManifestEntry[] };
const byProgram = new Map(manifest.programs.map((entry) => [entry.program, entry]));
const read = (name: string) => readFileSync(join(fixtureDir, name), 'utf8');
const outputOf = (lessonId: string, cellNumber: number) => read(`${lessonId}-${cellNumber}.out`);

describe('lesson cells are committed PyTorch fixtures', () => {
  it('the manifest was made with PyTorch and lists every .py in the folder', () => {
    expect(manifest.generatedWith).toMatch(/^PyTorch 1\.13/);
    const programs = readdirSync(fixtureDir).filter((name) => name.endsWith('.py')).sort();
    expect(manifest.programs.map((entry) => entry.program).sort()).toEqual(programs);
  });

  for (const lang of lessonLanguages) {
    for (const { id } of lessonList(lang)) {
      it(`${lang}/${id}: each python cell is ${id}-N.py byte for byte, with its output`, () => {
        const cells = lessonStructure(lessonSource(id, lang)).cells;
        cells.forEach((cell, i) => {
          const program = `${id}-${i + 1}.py`;
          const entry = byProgram.get(program);
          expect(entry, `cell ${i + 1} of ${lang}/${id} has no fixture: save it as tests/fixtures/lessons/${program} and run tools/regenerate.py`).toBeDefined();
          // The markdown cell has no trailing newline; the program file ends with one.
          expect(`${cell}\n`, `cell ${i + 1} of ${lang}/${id} differs from ${program}`).toBe(read(program));
          expect(read(entry!.output).length).toBeGreaterThan(0);
        });
      });
    }
  }

  it('every fixture program is used by a lesson (no stale fixtures)', () => {
    const used = new Set<string>();
    for (const { id } of lessonList('en')) {
      lessonStructure(lessonSource(id, 'en')).cells.forEach((_, i) => used.add(`${id}-${i + 1}.py`));
    }
    expect([...byProgram.keys()].filter((program) => !used.has(program))).toEqual([]);
  });

  it('failing programs record the error line and the line to highlight', () => {
    const failing = manifest.programs.filter((entry) => entry.exitCode !== 0);
    expect(failing.map((entry) => [entry.program, entry.errorLine, entry.line])).toEqual([
      ['linear-regression-3.py', 'RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.', 3],
      ['scalar-backward-2.py', 'RuntimeError: grad can be implicitly created only for scalar outputs', 8],
    ]);
    for (const entry of failing) {
      const lines = read(entry.program).split('\n');
      expect(read(entry.output).trimEnd().split('\n').at(-1)).toBe(entry.errorLine);
      expect(lines[entry.line! - 1]).toMatch(/backward\(\)|-=/);
    }
  });
});

describe('what the prose says is what PyTorch printed', () => {
  it('lesson 2', () => {
    expect(outputOf('scalar-backward', 1)).toBe('tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n');
    expect(outputOf('scalar-backward', 2)).toBe('tensor([0., 4.], grad_fn=<PowBackward0>)\nRuntimeError: grad can be implicitly created only for scalar outputs\n');
    expect(outputOf('scalar-backward', 3)).toContain('tensor([0., 8.])');
    expect(outputOf('scalar-backward', 4)).toContain('tensor([0., 4.])');
    expect(outputOf('scalar-backward', 5)).toBe('tensor([0., 8.])\n');
  });

  it('lesson 1', () => {
    expect(outputOf('no-grad', 1)).toBe('tensor([1., 2., 3.], requires_grad=True)\nafter: tensor([1., 2., 3.])\n');
    expect(outputOf('no-grad', 3)).toBe('y: tensor([3., 4., 5.])\nx: tensor([1., 2., 3.], requires_grad=True)\nz: tensor([3., 4., 5.], grad_fn=<AddBackward0>)\n');
    expect(outputOf('no-grad', 4)).toBe(reference('01_switch_off_grad.out'));
  });

  it('lesson 4: epoch 1, after 100 and after 2000 epochs', () => {
    const byHand = outputOf('worked-example', 1);
    expect(byHand).toContain('loss: 6642.5\n');
    expect(byHand).toContain('w.grad: tensor([-114.,  -34.])');
    expect(byHand).toContain('b.grad: tensor(-131.)');
    expect(byHand).toContain('new w: tensor([2.1400, 2.3400], requires_grad=True)');
    expect(byHand).toContain('new b: tensor(1.3100, requires_grad=True)');
    const hundred = outputOf('worked-example', 2);
    expect(hundred.startsWith('Epoch 1, Loss: 6642.5\n')).toBe(true);
    expect(hundred).toContain('Epoch 100, Loss: 183.07989501953125\n');
    expect(hundred).toContain('Final weights: tensor([51.8260, -9.4314], requires_grad=True)');
    expect(hundred).toContain('Final bias: tensor(45.1103, requires_grad=True)');
    expect(hundred).toContain('y_pred = 51.8260 * 1 + 45.1103 = 96.9363');
    expect(outputOf('worked-example', 3)).toBe(reference('05_linear_regression_2000.out'));
  });

  it.runIf(existsSync(sharedReferenceDir))('the committed reference copies still match ../shared/torch-reference', () => {
    for (const name of readdirSync(referenceDir).filter((file) => file.endsWith('.out'))) {
      expect(reference(name), name).toBe(readFileSync(join(sharedReferenceDir, name), 'utf8'));
    }
  });

  it('lesson 6: nn.Linear by hand and from torch.nn agree bit for bit; the module form gives lesson 4\'s numbers', () => {
    const seeded = outputOf('nn-linear', 1);
    expect(seeded).toContain('Linear(in_features=1, out_features=1, bias=True)');
    expect(seeded).toContain('tensor([[-0.0075]], requires_grad=True)');
    expect(seeded).toContain('tensor([0.5364], requires_grad=True)');
    expect(seeded).toContain('grad_fn=<AddmmBackward0>');
    const sideBySide = outputOf('nn-linear', 2);
    expect(sideBySide).toContain('epoch 1: by hand 62.875, nn.Linear 62.875\n');
    expect(sideBySide).toContain('epoch 2: by hand 44.11808776855469, nn.Linear 44.11808776855469\n');
    expect(sideBySide).toContain('epochs that differ: 0\n');
    for (const line of sideBySide.split('\n').filter((l) => l.startsWith('epoch '))) {
      const [, hand, nn] = /by hand (\S+), nn\.Linear (\S+)/.exec(line)!;
      expect(hand).toBe(nn);
    }
    expect(sideBySide).toMatch(/by hand: {3}w = 2\.05305\d* b = 3\.84401\d*\n/);
    const module = outputOf('nn-linear', 3);
    expect(module).toContain('Epoch 1, Loss: 6642.5000\n');
    expect(module).toContain('Epoch 100, Loss: 183.0799\n');
    expect(module).toContain('tensor([51.8260, -9.4314], requires_grad=True)');
    expect(module).toContain('tensor(45.1103, requires_grad=True)');
    // Lesson 4's hand-written loop after 100 epochs: the same printed numbers.
    expect(outputOf('worked-example', 2)).toContain('Final weights: tensor([51.8260, -9.4314], requires_grad=True)');
    const line = outputOf('nn-linear', 4);
    expect(line).toContain('Loss: 11.0351\n');
    expect(line).toContain('tensor([[-87.5433]], requires_grad=True)');
    expect(line).toContain('tensor([198.5529], requires_grad=True)');
    expect(line).toContain('predictions: tensor([111.0096,  23.4662])');
  });

  it('lesson 5: the similar frog reaches 0.0000, the different one stays at 0.0833', () => {
    const frogs = outputOf('frogs', 1);
    expect(frogs).toContain('similar, epoch 1: loss 0.0100');
    expect(frogs).toContain('similar, epoch 1000: loss 0.0000');
    expect(frogs).toContain('different, epoch 1: loss 0.2983');
    expect(frogs).toContain('different, epoch 100: loss 0.0833');
    expect(frogs).toContain('different, epoch 1000: loss 0.0833');
    expect(frogs).toContain('different: b = 0.5000');
  });
});
