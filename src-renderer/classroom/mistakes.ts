// The three deliberate mistakes a teacher can switch on, what each changes, and its fix.
import type { TrainConfig } from '../../src-main/contract/messages';

export type MistakeId = 'noZeroGrad' | 'lrTimes100' | 'vectorLoss';
export const mistakeIds: readonly MistakeId[] = ['noZeroGrad', 'lrTimes100', 'vectorLoss'];

/** The lesson's worked example: x = [1, 2], y = [115, 21], w = [1, 2], b = 0, lr 0.01. */
export function lessonExampleConfig(epochs = 100): TrainConfig {
  return { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs };
}

/** The config a training mistake runs with: the same example, one thing wrong. */
export function configWithMistake(base: TrainConfig, mistake: MistakeId | null): TrainConfig {
  switch (mistake) {
    case 'noZeroGrad':
      return { ...base, skipZeroGrad: true };
    case 'lrTimes100':
      return { ...base, learningRate: base.learningRate * 100, skipZeroGrad: false };
    default:
      return { ...base, skipZeroGrad: false };
  }
}

/** Part 2 of the lesson: a vector loss, which backward() refuses. */
export const VECTOR_LOSS_PROGRAM = `import torch
x = torch.tensor([1.0, 2.0])
y = torch.tensor([1.0, 2.0])
w = torch.tensor([1.0, 2.0], requires_grad=True)
y_hat = w * x
loss = (y_hat - y) ** 2
print(loss)
loss.backward()
print(w.grad)
`;

const LOSS_LINE = /^(\s*loss\s*=\s*)(.+?)\s*$/m;

/** Line number (1-based) of the `loss = ...` assignment, or null. */
export function lossLineNumber(source: string): number | null {
  const lines = source.split('\n');
  const at = lines.findIndex((line) => /^\s*loss\s*=/.test(line));
  return at >= 0 ? at + 1 : null;
}

/** The one-click fix: average the squared differences so the loss is one number. */
export function fixVectorLoss(source: string): string {
  return source.replace(LOSS_LINE, (whole, head: string, expression: string) => {
    if (/\.(mean|sum)\(\)\s*$/.test(expression)) return whole;
    return `${head}(${expression}).mean()`;
  });
}

/** The source line the error points at (1-based), trimmed, or null when unknown. */
export function sourceLine(source: string, line: number | undefined): string | null {
  if (!line || line < 1) return null;
  const text = source.split('\n')[line - 1];
  return text === undefined ? null : text.trim();
}
