// Headless training: `npm run -s train -- --x 1,2 --y 115,21 --w 1,2 --b 0 --lr 0.01 --epochs 100`
// prints the final state as one JSON line {"epochs":100,"loss":...,"w":[...],"b":...}, where loss
// is the last epoch's loss computed before that epoch's update (as the lesson prints it) and
// every float32 value is widened to a float64 number. Same trainer as the app's worker.
// Exit codes: 0 done, 1 training diverged (nan/inf loss), 2 bad arguments or input files.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePyTorchExport } from '../data/export-py.node.js';
import { loadDataFile } from '../data/load';
import type { NumericData } from '../data/numbers';
import type { InitialWeights, TrainConfig } from '../contract/messages';
import { TrainConfigError, describeConfigProblem, trainToEnd, type TrainResult } from '../training/trainer';
import { errorMessage } from '../contract/error-message';

/** Wrong command-line input; printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run -s train -- (--x 1,2 | --x-file FILE) (--y 115,21 | --y-file FILE) [options]
  --x VALUES, --y VALUES   comma-separated numbers (x inputs and y targets, same length)
  --x-file, --y-file FILE  .csv, .json or .npy; a two-column CSV or {"x":..,"y":..} JSON given
                           to --x-file provides y too
  --model per-value|shared  per-value: one weight per x value, the lesson's w * x + b (default);
                           shared: one weight w and one bias b for all points (y = w·x + b)
  --w ones|zeros|random:SEED|1,2   initial weights (default ones; one value for --model shared)
  --b NUMBER               initial bias (default 0)
  --lr NUMBER              learning rate (default 0.01)
  --epochs N               epochs to train (default 100)
  --target-loss NUMBER     stop once an epoch's loss is below this
  --progress               draw a progress bar on stderr
  --export-py FILE         also write the run as a runnable PyTorch script (big data goes
                           to FILE's name + .data.npy beside it)
  --export-form tensors|nn the script's form: the lessons' hand-written loop (default) or
                           lesson 6's nn.Module + nn.MSELoss + optim.SGD`;

export interface TrainCliOptions {
  config: TrainConfig;
  progress: boolean;
  /** --export-py FILE: the run written as a PyTorch script (src-main/data/export-py.node.ts). */
  exportPy: string | null;
  /** --export-form: the script's form (data/export.ts). */
  exportForm: 'tensors' | 'nn';
}

const VALUE_OPTIONS = new Set(['--x', '--y', '--x-file', '--y-file', '--model', '--w', '--b', '--lr', '--epochs', '--target-loss', '--export-py', '--export-form']);
const FLAG_OPTIONS = new Set(['--progress']);

function parseNumber(text: string, option: string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) throw new UsageError(`${option}: "${text}" is not a number (e.g. ${option} 0.01).`);
  return value;
}

function parseList(text: string, option: string): number[] {
  if (text.trim() === '') throw new UsageError(`${option} is empty: give comma-separated numbers like ${option} 1,2.`);
  return text.split(',').map((part, i) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value)) {
      throw new UsageError(`${option}: item ${i + 1} ("${part}") is not a number; give comma-separated numbers like ${option} 1,2.`);
    }
    return value;
  });
}

function parseWeights(text: string): InitialWeights {
  if (text === 'ones') return { kind: 'ones' };
  if (text === 'zeros') return { kind: 'zeros' };
  if (text.startsWith('random')) {
    const match = /^random:(-?\d+)$/.exec(text);
    if (!match) throw new UsageError(`--w ${text}: write random:SEED with a whole-number seed, e.g. --w random:0.`);
    return { kind: 'random', seed: Number(match[1]) };
  }
  return { kind: 'values', values: parseList(text, '--w') };
}

/** Reads a data file with the data layer's parsers (format by extension). */
export function readDataFile(path: string): NumericData {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UsageError(`Cannot read ${path}: ${why}.`);
  }
  let loaded: ReturnType<typeof loadDataFile>;
  try {
    loaded = loadDataFile(path, bytes);
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  if (loaded.fileKind === 'image') {
    throw new UsageError(`${path} is an image; the train CLI reads numbers (.csv, .json or .npy). Save the pixels as .npy first.`);
  }
  return loaded;
}

export function parseTrainArgs(argv: readonly string[]): TrainCliOptions {
  const values = new Map<string, string>();
  let progress = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (FLAG_OPTIONS.has(arg)) {
      progress = true;
      continue;
    }
    if (!VALUE_OPTIONS.has(arg)) {
      if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
      throw new UsageError(`Unknown option "${argv[i]}". Options: ${[...VALUE_OPTIONS, ...FLAG_OPTIONS].join(', ')}.`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value (e.g. ${arg === '--w' ? '--w ones' : `${arg} 1`}).`);
    if (values.has(arg)) throw new UsageError(`${arg} is given twice; give it once.`);
    values.set(arg, value);
  }

  if (values.has('--x') && values.has('--x-file')) throw new UsageError('Give x either as --x or as --x-file, not both.');
  if (values.has('--y') && values.has('--y-file')) throw new UsageError('Give y either as --y or as --y-file, not both.');

  let x: Float32Array | number[] | undefined;
  let y: Float32Array | number[] | undefined;
  if (values.has('--x')) x = parseList(values.get('--x')!, '--x');
  if (values.has('--x-file')) {
    const data = readDataFile(values.get('--x-file')!);
    if (data.kind === 'xy') {
      x = data.x;
      if (values.has('--y') || values.has('--y-file')) {
        throw new UsageError(`${values.get('--x-file')} holds both x and y; drop --y/--y-file or give a file with x only.`);
      }
      y = data.y;
    } else {
      x = data.values;
    }
  }
  if (values.has('--y')) y = parseList(values.get('--y')!, '--y');
  if (values.has('--y-file')) {
    const data = readDataFile(values.get('--y-file')!);
    if (data.kind === 'xy') throw new UsageError(`${values.get('--y-file')} holds x and y; give it as --x-file instead.`);
    y = data.values;
  }
  if (!x) throw new UsageError('x is missing: give --x 1,2 or --x-file data.csv.');
  if (!y) throw new UsageError('y is missing: give --y 115,21 or --y-file targets.csv.');

  const epochsText = values.get('--epochs') ?? '100';
  const epochs = parseNumber(epochsText, '--epochs');
  if (!Number.isInteger(epochs) || epochs < 0 || epochs > 100_000_000) {
    throw new UsageError(`--epochs ${epochsText}: give a whole number from 0 to 100000000.`);
  }
  const learningRate = parseNumber(values.get('--lr') ?? '0.01', '--lr');
  if (learningRate < 0) throw new UsageError(`--lr ${learningRate}: the learning rate must be >= 0.`);
  const config: TrainConfig = {
    x,
    y,
    initialW: parseWeights(values.get('--w') ?? 'ones'),
    initialB: parseNumber(values.get('--b') ?? '0', '--b'),
    learningRate,
    epochs,
  };
  const model = values.get('--model') ?? 'per-value';
  if (model !== 'per-value' && model !== 'shared') throw new UsageError(`--model ${model}: give per-value or shared.`);
  if (model === 'shared') config.model = 'shared';
  if (values.has('--target-loss')) config.targetLoss = parseNumber(values.get('--target-loss')!, '--target-loss');
  const exportForm = values.get('--export-form') ?? 'tensors';
  if (exportForm !== 'tensors' && exportForm !== 'nn') throw new UsageError(`--export-form ${exportForm}: give tensors or nn.`);
  if (values.has('--export-form') && !values.has('--export-py')) throw new UsageError('--export-form needs --export-py FILE.');
  return { config, progress, exportPy: values.has('--export-py') ? resolve(values.get('--export-py')!) : null, exportForm };
}

/** The output line: float32 values widened to float64 numbers. */
export function resultJson(result: TrainResult): string {
  const out: Record<string, unknown> = { epochs: result.epochs, loss: result.loss, w: Array.from(result.w), b: result.b };
  if (result.reason === 'target') out.reason = 'target';
  if (result.diverged) {
    out.reason = 'diverged';
    out.divergedAtEpoch = result.diverged.epoch;
  }
  return JSON.stringify(out);
}

function progressBar(total: number, write: (text: string) => void): { tick(epoch: number, loss: number): void; done(): void } {
  const width = 30;
  let lastDraw = 0;
  const draw = (epoch: number, loss: number) => {
    const share = total === 0 ? 1 : epoch / total;
    const filled = Math.round(share * width);
    write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% epoch ${epoch}/${total} loss ${loss.toPrecision(6)}`);
  };
  let last = { epoch: 0, loss: Number.NaN };
  return {
    tick(epoch, loss) {
      last = { epoch, loss };
      const now = performance.now();
      if (now - lastDraw >= 100) {
        lastDraw = now;
        draw(epoch, loss);
      }
    },
    done() {
      draw(last.epoch, last.loss);
      write('\n');
    },
  };
}

export function main(argv: readonly string[]): number {
  let options: TrainCliOptions;
  try {
    options = parseTrainArgs(argv);
  } catch (error) {
    process.stderr.write(`train: ${errorMessage(error)}\n`);
    return 2;
  }
  if (options.exportPy) {
    // The exported script depends on the config only, so write it before training: a bad path
    // then fails fast with exit code 2 and nothing on stdout.
    const problem = describeConfigProblem(options.config);
    if (problem) {
      process.stderr.write(`train: ${problem}\n`);
      return 2;
    }
    try {
      const written = writePyTorchExport(options.exportPy, options.config, { form: options.exportForm });
      process.stderr.write(`train: wrote ${written.scriptPath}${written.sidecarPath ? ` and ${written.sidecarPath}` : ''}\n`);
    } catch (error) {
      process.stderr.write(`train: cannot write ${options.exportPy}: ${errorMessage(error)}\n`);
      return 2;
    }
  }
  const bar = options.progress ? progressBar(options.config.epochs, (text) => process.stderr.write(text)) : null;
  let result: TrainResult;
  try {
    result = trainToEnd(options.config, bar ? (epoch, loss) => bar.tick(epoch, loss) : undefined);
  } catch (error) {
    if (error instanceof TrainConfigError) {
      process.stderr.write(`train: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  bar?.done();
  process.stdout.write(resultJson(result) + '\n');
  if (result.diverged) {
    const { epoch, lastFiniteLoss } = result.diverged;
    process.stderr.write(
      `train: the loss became nan/inf at epoch ${epoch} (last finite loss ${lastFiniteLoss}); the learning rate ${options.config.learningRate} is too large: lower it.\n`,
    );
    return 1;
  }
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
