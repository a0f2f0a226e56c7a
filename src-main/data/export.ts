// Exports of a run: loss history and parameters as CSV, and a standalone PyTorch script that
// reproduces the run. Pure TS (returns text/bytes; export-py.node.ts writes them for the CLI).
//
// The script is the lesson's loop (../shared/torch-reference/04_linear_regression_100.py, beside the repository)
// with the run's data, initial w and b, learning rate and epochs, and it follows the trainer
// (src-main/training/trainer.ts) where the lesson says nothing: random w is torch.manual_seed(seed)
// then torch.rand(n); a nan/inf loss stops before its backward; a target loss stops after the
// update of the epoch that went below it. Its last line is the train CLI's JSON line,
// {"epochs":N,"loss":L,"w":[...],"b":B}, written with json.dumps of Python floats.
import type { ImageShape, SettingChange, TrainConfig } from '../contract/messages';
import { formatFloat32 } from './csv';
import { encodeNpyFloat32 } from './npy';

export interface PyTorchExportOptions {
  /** Arrays longer than this go to a sidecar file next to the script (default 2000 values). */
  inlineLimit?: number;
  /** The sidecar's file name, loaded from the script's own folder (default "gradlab-data.npy"/".json"). */
  sidecarName?: string;
  /** npy: compact and exact, needs numpy (PyTorch installs it); json: standard library only. */
  sidecarFormat?: 'npy' | 'json';
  /** A line for the script's header comment, e.g. the session's name. */
  title?: string;
  /** Print "Epoch N, Loss: L" every epoch as the lesson does (default false). */
  printEveryEpoch?: boolean;
  /**
   * Learning-rate and zero_grad changes made while the run trained (from the `update` events):
   * the script switches to them at the same epochs, so it reproduces that run. `config` holds the
   * settings the run started with.
   */
  settingChanges?: readonly SettingChange[];
  /**
   * How the script is written. 'tensors' (default): the lessons' hand-written loop (w and b are
   * tensors, the loss is written out, the update is `w -= learning_rate * w.grad`), which
   * reproduces GradLab's numbers bit for bit. 'nn': the same model as an nn.Module with
   * nn.MSELoss and torch.optim.SGD (lesson 6), which agrees to float32 rounding.
   */
  form?: 'tensors' | 'nn';
}

export interface PyTorchExport {
  script: string;
  /** Write this next to the script under fileName when it is not null. */
  sidecar: { fileName: string; bytes: Uint8Array } | null;
}

function pythonFloat(value: number): string {
  const text = formatFloat32(value);
  // "1" would be an int in Python; make every literal a float so tensors are float32.
  return /[.eEn]/.test(text) ? text : `${text}.0`;
}

function pythonDouble(value: number): string {
  const text = String(value);
  return /[.eEn]/.test(text) ? text : `${text}.0`;
}

/** A Python list literal of float32 values, wrapped at about 100 characters a line. */
function pythonList(values: ArrayLike<number>, indent = '    '): string {
  const items = Array.from(values as ArrayLike<number>, pythonFloat);
  if (items.join(', ').length <= 80) return `[${items.join(', ')}]`;
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line.length + item.length + 2 > 96) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += `${item}, `;
  }
  if (line) lines.push(line.trimEnd());
  return `[\n${lines.map((l) => indent + l).join('\n')}\n]`;
}

function describeImage(image: ImageShape | undefined): string[] {
  if (!image) return [];
  const colour = image.channels === 1 ? 'greyscale' : 'RGB';
  return [
    `# x and y are ${image.width}x${image.height} ${colour} images, flattened row by row`,
    `# (channels last); reshape with .reshape(${image.height}, ${image.width}${image.channels === 3 ? ', 3' : ''}) to look at them.`,
  ];
}

/**
 * A standalone PyTorch script reproducing a run of `config`. Large data goes to a sidecar file
 * (returned, for the caller to write next to the script); small data is written inline.
 */
export function exportPyTorchScript(config: TrainConfig, opts: PyTorchExportOptions = {}): PyTorchExport {
  const n = config.x.length;
  if (config.y.length !== n) throw new RangeError(`x has ${n} values but y has ${config.y.length}; export needs matching data.`);
  const inlineLimit = opts.inlineLimit ?? 2000;
  const shared = config.model === 'shared';
  const useSidecar = n > inlineLimit || (config.initialW.kind === 'values' && config.initialW.values.length > inlineLimit);
  const sidecarFormat = opts.sidecarFormat ?? 'npy';
  const sidecarName = opts.sidecarName ?? `gradlab-data.${sidecarFormat}`;
  const x = Float32Array.from(config.x as ArrayLike<number>);
  const y = Float32Array.from(config.y as ArrayLike<number>);
  // the shared model's one weight is written as a number, never into the sidecar
  const wValues = config.initialW.kind === 'values' && !shared ? Float32Array.from(config.initialW.values) : null;

  const nn = opts.form === 'nn';
  const lines: string[] = [];
  const imports = ['import json', 'import math'];
  if (useSidecar) imports.push('import os');
  if (useSidecar && sidecarFormat === 'npy') imports.push('import numpy as np');
  imports.push('import torch');
  if (nn) imports.push('from torch import nn');
  lines.push(
    `# Linear regression y_hat = w * x + b${shared ? ' with one weight w and one bias b for all points' : ''}, exported from GradLab${nn ? ', written with torch.nn and torch.optim' : ''}.`,
    ...(opts.title ? [`# ${opts.title.replace(/[\r\n]+/g, ' ')}`] : []),
    '# Run it with PyTorch: python3 this_script.py',
    "# The last line printed is the result as JSON, the same line GradLab's train command prints.",
    ...(nn
      ? [
          '# nn.MSELoss and optim.SGD round some steps differently from the hand-written loop GradLab runs',
          '# (SGD computes w - lr * grad with one rounding), so after many epochs the last digits can differ.',
        ]
      : []),
    ...describeImage(config.image),
    ...imports,
    '',
  );

  let sidecar: PyTorchExport['sidecar'] = null;
  if (useSidecar) {
    const rows = wValues ? 3 : 2;
    if (sidecarFormat === 'npy') {
      const table = new Float32Array(rows * n);
      table.set(x, 0);
      table.set(y, n);
      if (wValues) table.set(wValues, 2 * n);
      sidecar = { fileName: sidecarName, bytes: encodeNpyFloat32(table, [rows, n]) };
      lines.push(
        `# The data is in ${sidecarName} next to this script: row 0 is x, row 1 is y${wValues ? ', row 2 the initial w' : ''} (float32).`,
        `data = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(sidecarName)}))`,
        'x = torch.from_numpy(data[0].copy())',
        'y = torch.from_numpy(data[1].copy())',
      );
    } else {
      const body: Record<string, string> = { x: `[${Array.from(x, formatFloat32).join(',')}]`, y: `[${Array.from(y, formatFloat32).join(',')}]` };
      if (wValues) body.w = `[${Array.from(wValues, formatFloat32).join(',')}]`;
      const text = `{${Object.entries(body).map(([k, v]) => `"${k}":${v}`).join(',')}}\n`;
      sidecar = { fileName: sidecarName, bytes: new TextEncoder().encode(text) };
      lines.push(
        `# The data is in ${sidecarName} next to this script: {"x": [...], "y": [...]${wValues ? ', "w": [...]' : ''}}.`,
        `with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(sidecarName)})) as f:`,
        '    data = json.load(f)',
        "x = torch.tensor(data['x'])",
        "y = torch.tensor(data['y'])",
      );
    }
  } else {
    lines.push(`x = torch.tensor(${pythonList(x)})`, `y = torch.tensor(${pythonList(y)})`);
  }

  // Where w starts: for the tensor form w itself, for the nn form the values its Parameter takes.
  const grad = nn ? '' : ', requires_grad=True';
  const wName = nn ? 'w_start' : 'w';
  if (shared) lines.push(...sharedWeightLines(config, wName, grad));
  else {
    switch (config.initialW.kind) {
      case 'values':
        lines.push(
          useSidecar
            ? sidecarFormat === 'npy'
              ? `${wName} = torch.from_numpy(data[2].copy())${nn ? '' : '.requires_grad_(True)'}`
              : `${wName} = torch.tensor(data['w']${grad})`
            : `${wName} = torch.tensor(${pythonList(wValues!)}${grad})`,
        );
        break;
      case 'ones':
        lines.push(`${wName} = torch.ones(x.shape${grad})`);
        break;
      case 'zeros':
        lines.push(`${wName} = torch.zeros(x.shape${grad})`);
        break;
      case 'random':
        lines.push(`torch.manual_seed(${config.initialW.seed})`, `${wName} = torch.rand(${n}${grad})`);
        break;
    }
  }
  const target = config.targetLoss;
  // Only changes that do something, in epoch order (a later change for the same epoch wins).
  const byEpoch = new Map<number, SettingChange>();
  for (const change of opts.settingChanges ?? []) {
    if (Number.isInteger(change.fromEpoch) && change.fromEpoch >= 1 && change.fromEpoch <= config.epochs) byEpoch.set(change.fromEpoch, change);
  }
  const changes = [...byEpoch.values()].sort((a, b) => a.fromEpoch - b.fromEpoch);
  const live = changes.length > 0;
  const zeroGradTensors = ['w.grad.zero_()', 'b.grad.zero_()'];
  const zeroGrad = nn ? ['optimizer.zero_grad()'] : zeroGradTensors;
  const zeroGradLines = live
    ? ['    if not forget_zero_grad:', ...zeroGrad.map((l) => `        ${l}`)]
    : config.skipZeroGrad
      ? ['    # The classroom mistake: the gradients are never zeroed, so they pile up.']
      : zeroGrad.map((l) => `    ${l}`);
  const b = `torch.tensor(${pythonFloat(config.initialB)}${grad})`;
  const modelLines = nn
    ? [
        `b_start = ${b}`,
        '',
        '',
        'class Regression(nn.Module):',
        "    # One weight per value of x (w has x's shape) and one bias, as in GradLab's lessons;",
        '    # nn.Linear(1, 1) would instead share a single weight across all the values.',
        '    def __init__(self, w, b):',
        '        super().__init__()',
        '        self.w = nn.Parameter(w)',
        '        self.b = nn.Parameter(b)',
        '',
        '    def forward(self, x):',
        '        return self.w * x + self.b',
        '',
        '',
        'model = Regression(w_start, b_start)',
        'loss_fn = nn.MSELoss()',
      ]
    : [`b = ${b}`];
  lines.push(
    ...modelLines,
    `learning_rate = ${pythonDouble(config.learningRate)}`,
    ...(nn ? ['optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)'] : []),
    `epochs = ${config.epochs}`,
    ...(target !== undefined ? [`target_loss = ${pythonDouble(target)}  # stop once a loss is below this`] : []),
    ...(live
      ? [
          '# Settings changed while the run trained in GradLab, from these epochs on (1-based):',
          '# epoch: (learning rate, forget zero_grad: gradients are not zeroed and pile up)',
          'changes = {',
          ...changes.map((c) => `    ${c.fromEpoch}: (${pythonDouble(c.learningRate)}, ${c.skipZeroGrad ? 'True' : 'False'}),`),
          '}',
          `forget_zero_grad = ${config.skipZeroGrad ? 'True' : 'False'}`,
        ]
      : []),
    '',
    'loss_value = None',
    'last_finite_loss = None',
    'epochs_done = 0',
    "reason = 'epochs'",
    'diverged_at = None',
    'for epoch in range(epochs):',
    ...(live
      ? [
          '    if epoch + 1 in changes:',
          '        learning_rate, forget_zero_grad = changes[epoch + 1]',
          ...(nn ? ["        optimizer.param_groups[0]['lr'] = learning_rate"] : []),
        ]
      : []),
    ...(nn ? ['    y_hat = model(x)', '    loss = loss_fn(y_hat, y)'] : ['    y_hat = w * x + b', '    loss = (y_hat - y).pow(2).mean()']),
    '    loss_value = loss.item()',
    '    if not math.isfinite(loss_value):',
    '        # nan/inf: the learning rate is too large; stop before using this loss',
    "        reason = 'diverged'",
    '        diverged_at = epoch + 1',
    '        break',
    '    loss.backward()',
    ...(nn ? ['    optimizer.step()'] : ['    with torch.no_grad():', '        w -= learning_rate * w.grad', '        b -= learning_rate * b.grad']),
    ...zeroGradLines,
    '    epochs_done = epoch + 1',
    '    last_finite_loss = loss_value',
    ...(opts.printEveryEpoch ? ["    print(f'Epoch {epoch + 1}, Loss: {loss_value}')"] : []),
    ...(target !== undefined ? ['    if loss_value < target_loss:', "        reason = 'target'", '        break'] : []),
    '',
    ...(nn ? ['w = model.w', 'b = model.b'] : []),
    "result = {'epochs': epochs_done,",
    "          'loss': last_finite_loss,",
    "          'w': [float(v) for v in w.detach().reshape(-1).tolist()],",
    "          'b': float(b.item())}",
    "if reason == 'target':",
    "    result['reason'] = 'target'",
    "if reason == 'diverged':",
    "    result['reason'] = 'diverged'",
    "    result['divergedAtEpoch'] = diverged_at",
    "print(json.dumps(result, separators=(',', ':')))",
    '',
  );
  return { script: lines.join('\n'), sidecar };
}

/** w for the shared model: one number, a 0-d tensor (torch.rand(()) draws what torch.rand(1) would). */
function sharedWeightLines(config: TrainConfig, wName: string, grad: string): string[] {
  const w = config.initialW;
  switch (w.kind) {
    case 'values':
      return [`${wName} = torch.tensor(${pythonFloat(w.values[0])}${grad})`];
    case 'ones':
      return [`${wName} = torch.tensor(1.0${grad})`];
    case 'zeros':
      return [`${wName} = torch.tensor(0.0${grad})`];
    case 'random':
      return [`torch.manual_seed(${w.seed})`, `${wName} = torch.rand(()${grad})`];
  }
}

// ---- CSV ----

/** "epoch,loss" rows; losses[i] belongs to epoch firstEpoch + i. */
export function lossHistoryCsv(losses: ArrayLike<number>, firstEpoch = 1): string {
  const rows = ['epoch,loss'];
  for (let i = 0; i < losses.length; i++) rows.push(`${firstEpoch + i},${formatFloat32(losses[i])}`);
  return rows.join('\n') + '\n';
}

export interface ParametersForCsv {
  w: ArrayLike<number>;
  b: number;
  wGrad?: ArrayLike<number> | null;
  bGrad?: number | null;
}

/** "parameter,index,value,grad" rows: one per weight w[i], then b. */
export function parametersCsv(params: ParametersForCsv): string {
  const withGrad = params.wGrad != null || params.bGrad != null;
  const rows = [withGrad ? 'parameter,index,value,grad' : 'parameter,index,value'];
  for (let i = 0; i < params.w.length; i++) {
    const grad = withGrad ? `,${params.wGrad ? formatFloat32(params.wGrad[i]) : ''}` : '';
    rows.push(`w,${i},${formatFloat32(params.w[i])}${grad}`);
  }
  rows.push(`b,,${formatFloat32(params.b)}${withGrad ? `,${params.bGrad != null ? formatFloat32(params.bGrad) : ''}` : ''}`);
  return rows.join('\n') + '\n';
}
