// PyTorch 1.13's tensor repr (torch/_tensor_str.py) ported line by line, so print(t) in GradLab
// shows the same bytes as PyTorch: print options (by default precision 4, threshold 1000,
// edgeitems 3, linewidth 80, automatic scientific mode). Works on plain data, not on the
// Tensor class. Pure TypeScript: no Node, Electron or DOM imports.

import { formatExponent, formatFixed } from './pyfloat';

/** The dtypes the printer knows; all but float32, int64 and bool print a `dtype=torch.<name>` suffix as in PyTorch. */
export type PrintDType = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** Element storage: float values as numbers (float32 already widened), int64 as numbers or bigints. */
export type PrintStorage = ArrayLike<number> | ArrayLike<bigint> | ArrayLike<boolean>;

export interface TensorPrintData {
  /** Contiguous row-major elements; length must equal the product of `shape`. */
  data: PrintStorage;
  shape: readonly number[];
  dtype: PrintDType;
  requiresGrad: boolean;
  /** e.g. 'AddBackward0'; null for leaves and tensors made under no_grad. */
  gradFnName: string | null;
}

/** torch._tensor_str.PRINT_OPTS: what torch.set_printoptions changes (sciMode null: chosen per tensor). */
export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}
const DEFAULT_PRINT_OPTIONS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const options: PrintOptions = { ...DEFAULT_PRINT_OPTIONS };

/** torch.set_printoptions: the given fields change (every later print uses them). */
export function setPrintOptions(changes: Partial<PrintOptions>): void {
  Object.assign(options, changes);
}

/** Back to PyTorch's defaults (each program starts with them). */
export function resetPrintOptions(): void {
  Object.assign(options, DEFAULT_PRINT_OPTIONS);
}

/** The print options in effect. */
export function printOptions(): Readonly<PrintOptions> {
  return options;
}

type Element = number | bigint | boolean;

/** A strided view over the storage, enough for PyTorch's indexing and edge-item slicing. */
interface View {
  offset: number;
  shape: readonly number[];
  strides: readonly number[];
}

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (const size of shape) n *= size;
  return n;
}

function select(view: View, index: number): View {
  return { offset: view.offset + index * view.strides[0], shape: view.shape.slice(1), strides: view.strides.slice(1) };
}

/** Indices along dim 0 that PyTorch shows: all, or the first and last options.edgeitems when summarizing. */
function shownIndices(size: number, summarize: boolean): { head: number[]; tail: number[] } {
  if (summarize && size > 2 * options.edgeitems) {
    const head = Array.from({ length: options.edgeitems }, (_, i) => i);
    const tail = Array.from({ length: options.edgeitems }, (_, i) => size - options.edgeitems + i);
    return { head, tail };
  }
  return { head: Array.from({ length: size }, (_, i) => i), tail: [] };
}

/** Storage offsets of get_summarized_data(view) (all elements when not summarizing). */
function collectOffsets(view: View, summarize: boolean, out: number[]): void {
  if (view.shape.length === 0) {
    out.push(view.offset);
    return;
  }
  const { head, tail } = shownIndices(view.shape[0], summarize);
  for (const i of [...head, ...tail]) collectOffsets(select(view, i), summarize, out);
}

/** Python str() of a non-float element. */
function plainElementString(value: Element): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  // int64 stored as a JS number: print every digit, never exponent notation
  return Number.isSafeInteger(value) ? String(value) : BigInt(Math.trunc(value)).toString();
}

/** torch._tensor_str._Formatter under the print options in effect. */
class Formatter {
  private readonly floating: boolean;
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(floating: boolean, values: readonly Element[]) {
    this.floating = floating;
    if (!floating) {
      for (const value of values) this.maxWidth = Math.max(this.maxWidth, plainElementString(value).length);
      return;
    }
    const nonzeroFinite: number[] = [];
    for (const value of values) {
      const v = value as number;
      if (Number.isFinite(v) && v !== 0) nonzeroFinite.push(v);
    }
    if (nonzeroFinite.length === 0) return; // no valid number, keep int mode with width 1
    let absMin = Infinity;
    let absMax = 0;
    for (const v of nonzeroFinite) {
      const a = Math.abs(v);
      if (a < absMin) absMin = a;
      if (a > absMax) absMax = a;
    }
    for (const v of nonzeroFinite) {
      if (v !== Math.ceil(v)) {
        this.intMode = false;
        break;
      }
    }
    if (this.intMode) {
      // all integers: a '.' marks the float dtype, so count one more character
      if (absMax / absMin > 1000.0 || absMax > 1.0e8) {
        this.sciMode = true;
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatExponent(v, options.precision).length);
      } else {
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
      }
    } else if (absMax / absMin > 1000.0 || absMax > 1.0e8 || absMin < 1.0e-4) {
      this.sciMode = true;
      for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatExponent(v, options.precision).length);
    } else {
      for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, options.precision).length);
    }
    // set_printoptions(sci_mode=...) overrides the choice after the widths are known, as PyTorch's _Formatter does
    if (options.sciMode !== null) this.sciMode = options.sciMode;
  }

  width(): number {
    return this.maxWidth;
  }

  format(value: Element): string {
    let text: string;
    if (this.floating) {
      const v = value as number;
      if (this.sciMode) {
        text = formatExponent(v, options.precision);
      } else if (this.intMode) {
        text = formatFixed(v, 0);
        if (Number.isFinite(v)) text += '.';
      } else {
        text = formatFixed(v, options.precision);
      }
    } else {
      text = plainElementString(value);
    }
    return text.length < this.maxWidth ? ' '.repeat(this.maxWidth - text.length) + text : text;
  }
}

function vectorString(
  view: View,
  get: (offset: number) => Element,
  indent: number,
  summarize: boolean,
  formatter: Formatter,
): string {
  // element length includes the comma and space between elements
  const elementLength = formatter.width() + 2;
  const elementsPerLine = Math.max(1, Math.floor((options.linewidth - indent) / elementLength));
  const size = view.shape[0];
  const stride = view.strides[0];
  const at = (i: number) => formatter.format(get(view.offset + i * stride));
  const data: string[] = [];
  if (summarize && size > 2 * options.edgeitems) {
    for (let i = 0; i < options.edgeitems; i++) data.push(at(i));
    data.push(' ...');
    for (let i = size - options.edgeitems; i < size; i++) data.push(at(i));
  } else {
    for (let i = 0; i < size; i++) data.push(at(i));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += elementsPerLine) lines.push(data.slice(i, i + elementsPerLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStringWithFormatter(
  view: View,
  get: (offset: number) => Element,
  indent: number,
  summarize: boolean,
  formatter: Formatter,
): string {
  const dim = view.shape.length;
  if (dim === 0) return formatter.format(get(view.offset));
  if (dim === 1) return vectorString(view, get, indent, summarize, formatter);
  const size = view.shape[0];
  const slices: string[] = [];
  if (summarize && size > 2 * options.edgeitems) {
    for (let i = 0; i < options.edgeitems; i++) slices.push(tensorStringWithFormatter(select(view, i), get, indent + 1, summarize, formatter));
    slices.push('...');
    for (let i = size - options.edgeitems; i < size; i++) {
      slices.push(tensorStringWithFormatter(select(view, i), get, indent + 1, summarize, formatter));
    }
  } else {
    for (let i = 0; i < size; i++) slices.push(tensorStringWithFormatter(select(view, i), get, indent + 1, summarize, formatter));
  }
  return '[' + slices.join(',' + '\n'.repeat(dim - 1) + ' '.repeat(indent + 1)) + ']';
}

/** Python str(tuple(shape)): '(0, 3)', '(0,)', '()'. */
function pythonTuple(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function addSuffixes(tensorString: string, suffixes: readonly string[], indent: number): string {
  const parts = [tensorString];
  // Python: len(s) - s.rfind('\n') + 1, where rfind gives -1 when there is no newline
  let lastLineLength = tensorString.length - tensorString.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > options.linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** PyTorch 1.13's repr of a tensor: what print(t) shows, e.g. 'tensor([1., 2.], requires_grad=True)'. */
export function formatTensor(tensor: TensorPrintData): string {
  const { data, shape, dtype, requiresGrad, gradFnName } = tensor;
  const count = numel(shape);
  if (data.length !== count) {
    throw new RangeError(
      `formatTensor: storage has ${data.length} elements but shape ${pythonTuple(shape)} needs ${count}; pass contiguous data`,
    );
  }
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (count === 0) {
    // numpy-style: the shape is spelled out unless it is (0,); the dtype too unless float32
    if (shape.length !== 1) suffixes.push('size=' + pythonTuple(shape));
    if (dtype !== 'float32') suffixes.push('dtype=torch.' + dtype);
    body = '[]';
  } else {
    // has_default_dtype: the default float dtype, int64 and bool go without a suffix
    if (dtype !== 'float32' && dtype !== 'int64' && dtype !== 'bool') suffixes.push('dtype=torch.' + dtype);
    body = formatTensorContents(tensor, indent);
  }
  if (gradFnName !== null) suffixes.push(`grad_fn=<${gradFnName}>`);
  else if (requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent);
}

/** _tensor_str: the bracketed contents only (no 'tensor(' prefix or suffixes). */
export function formatTensorContents(tensor: Pick<TensorPrintData, 'data' | 'shape' | 'dtype'>, indent = 7): string {
  const { data, shape, dtype } = tensor;
  const count = numel(shape);
  if (count === 0) return '[]';
  const summarize = count > options.threshold;
  const view: View = { offset: 0, shape, strides: contiguousStrides(shape) };
  const floating = dtype === 'float32' || dtype === 'float64';
  const get = (offset: number): Element => {
    const raw = (data as ArrayLike<Element>)[offset];
    if (dtype === 'bool') return typeof raw === 'boolean' ? raw : Number(raw) !== 0;
    if (floating) return Number(raw);
    return raw;
  };
  const offsets: number[] = [];
  collectOffsets(view, summarize, offsets);
  const formatter = new Formatter(
    floating,
    offsets.map((o) => get(o)),
  );
  return tensorStringWithFormatter(view, get, indent, summarize, formatter);
}

/** str(torch.Size(shape)): 'torch.Size([2, 3])', 'torch.Size([])'. */
export function formatSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}
