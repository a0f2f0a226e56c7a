// tensor.numpy(): a small ndarray that prints as NumPy prints (numpy/core/arrayprint.py with its
// default options: 8 digits at most, shortest round-trip digits per dtype, 75 columns) and has
// shape, dtype, ndim, size, tolist() and item(). It shares the tensor's values at the time of the call.
import type { DType } from '../../../engine/index';
import type { NativeType, Value } from '../../context';
import { typeError, valueError } from '../../errors';
import { Builtin, PyList, PyTuple, PyType } from '../../values';

/** NumPy's dtype names for the tensor dtypes. */
const NUMPY_DTYPE: Record<DType, string> = { float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', bool: 'bool' };

export class NdArray {
  constructor(
    /** row-major values */
    readonly values: readonly number[],
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}
}

/** numpy.dtype('float32'): prints as its name. */
export class NumpyDType {
  constructor(readonly name: string) {}
}

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;

const isFloatDType = (d: DType): boolean => d === 'float32' || d === 'float64';

/** The shortest digits that read back as x in its dtype, in exponent form ('3.3333334e-01'). */
function shortestExponential(x: number, float32: boolean): string {
  for (let p = 1; p <= 17; p++) {
    const s = x.toExponential(p - 1);
    const back = Number(s);
    if ((float32 ? Math.fround(back) : back) === x) return s;
  }
  return x.toExponential(16);
}

/** Positional digits of the shortest representation, with at most `precision` fractional digits. */
function positional(x: number, float32: boolean): { int: string; frac: string } {
  const e = shortestExponential(x, float32);
  const [mantissa, expPart] = e.split('e');
  const exponent = Number(expPart);
  const digits = mantissa.replace('-', '').replace('.', '');
  let int: string;
  let frac: string;
  if (exponent >= 0) {
    int = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    frac = digits.slice(exponent + 1);
  } else {
    int = '0';
    frac = '0'.repeat(-exponent - 1) + digits;
  }
  if (frac.length > PRECISION) {
    const rounded = Math.abs(x).toFixed(PRECISION).replace(/0+$/, '');
    [int, frac] = rounded.split('.');
    frac = frac ?? '';
  }
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return { int: sign + int, frac };
}

/** FloatingFormat.fillFormat + __call__ for the default options. */
function floatFormatter(values: readonly number[], float32: boolean): (x: number) => string {
  const round = float32 ? Math.fround : (v: number): number => v;
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nonZero.length > 0) {
    const max = Math.max(...nonZero);
    const min = Math.min(...nonZero);
    expFormat = max >= 1e8 || min < round(0.0001) || round(max / min) > 1000;
  }
  let padLeft = 0;
  let padRight = 0;
  let expSize = -1;
  let precision = PRECISION;
  if (finite.length > 0 && expFormat) {
    const parts = finite.map((v) => {
      const [m, e] = shortestExponential(v, float32).split('e');
      const [i, f] = m.split('.');
      return { int: i, frac: f ?? '', exp: e };
    });
    expSize = Math.max(...parts.map((p) => p.exp.replace(/^[+-]/, '').length));
    expSize = Math.max(expSize, 2);
    precision = Math.max(...parts.map((p) => p.frac.length));
    padLeft = Math.max(...parts.map((p) => p.int.length));
    padRight = expSize + 2 + precision;
  } else if (finite.length > 0) {
    const parts = finite.map((v) => positional(v, float32));
    padLeft = Math.max(...parts.map((p) => p.int.length));
    padRight = Math.max(...parts.map((p) => p.frac.length));
  }
  if (finite.length !== values.length) {
    const negInf = values.some((v) => v === -Infinity);
    padLeft = Math.max(padLeft, 3 - (padRight + 1), 3 + (negInf ? 1 : 0) - (padRight + 1));
  }
  return (x) => {
    if (!Number.isFinite(x)) {
      const text = x !== x ? 'nan' : x < 0 ? '-inf' : 'inf';
      return ' '.repeat(Math.max(padLeft + padRight + 1 - text.length, 0)) + text;
    }
    if (expFormat) {
      const [m, e] = shortestExponential(x, float32).split('e');
      const [i, f] = m.split('.');
      const expDigits = e.replace(/^[+-]/, '').padStart(expSize, '0');
      return i.padStart(padLeft) + '.' + (f ?? '').padEnd(precision, '0') + 'e' + (e.startsWith('-') ? '-' : '+') + expDigits;
    }
    const { int, frac } = positional(x, float32);
    return int.padStart(padLeft) + '.' + frac.padEnd(padRight);
  };
}

function formatterFor(a: NdArray, values: readonly number[]): (x: number) => string {
  if (isFloatDType(a.dtype)) return floatFormatter(values, a.dtype === 'float32');
  if (a.dtype === 'bool') {
    const width = values.some((v) => v === 0) ? 5 : 4;
    return (x) => (x ? 'True' : 'False').padStart(width);
  }
  const width = Math.max(...values.map((v) => String(v).length));
  return (x) => String(x).padStart(width);
}

/** numpy's _formatArray: nested brackets, wrapping 1-D rows at the line width. */
function formatArray(a: NdArray, format: (x: number) => string, separator: string, nextLinePrefix: string, lineWidth: number, summarize: boolean): string {
  const strides: number[] = [];
  let s = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= a.shape[d];
  }
  const extend = (out: { s: string; line: string }, word: string, width: number, indent: string): void => {
    let wrap = out.line.length + word.length > width;
    if (out.line.length <= indent.length) wrap = false;
    if (wrap) {
      out.s += out.line.replace(/\s+$/, '') + '\n';
      out.line = indent;
    }
    out.line += word;
  };
  const recurse = (offset: number, axis: number, indent: string, width: number): string => {
    if (axis === a.shape.length) return format(a.values[offset]);
    const nextIndent = indent + ' ';
    const nextWidth = width - 1;
    const size = a.shape[axis];
    const summary = summarize && 2 * EDGE_ITEMS < size;
    const leading = summary ? EDGE_ITEMS : 0;
    const trailing = summary ? EDGE_ITEMS : size;
    const at = (i: number): number => offset + (i < 0 ? size + i : i) * strides[axis];
    let text: string;
    if (axis === a.shape.length - 1) {
      const elemWidth = width - Math.max(separator.trimEnd().length, 1);
      const out = { s: '', line: indent };
      for (let i = 0; i < leading; i++) {
        extend(out, recurse(at(i), axis + 1, nextIndent, nextWidth), elemWidth, indent);
        out.line += separator;
      }
      if (summary) {
        extend(out, '...', elemWidth, indent);
        out.line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        extend(out, recurse(at(-i), axis + 1, nextIndent, nextWidth), elemWidth, indent);
        out.line += separator;
      }
      extend(out, recurse(at(-1), axis + 1, nextIndent, nextWidth), elemWidth, indent);
      text = out.s + out.line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(a.shape.length - axis - 1);
      text = '';
      for (let i = 0; i < leading; i++) text += indent + recurse(at(i), axis + 1, nextIndent, nextWidth) + lineSep;
      if (summary) text += indent + '...' + lineSep;
      for (let i = trailing; i > 1; i--) text += indent + recurse(at(-i), axis + 1, nextIndent, nextWidth) + lineSep;
      text += indent + recurse(at(-1), axis + 1, nextIndent, nextWidth);
    }
    return '[' + text.slice(indent.length) + ']';
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

/** The values the formatter sees: all of them, or the edge items when the array is summarized. */
function shownValues(a: NdArray, summarize: boolean): number[] {
  if (!summarize) return a.values.slice();
  const out: number[] = [];
  const strides: number[] = [];
  let s = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= a.shape[d];
  }
  const walk = (offset: number, axis: number): void => {
    if (axis === a.shape.length) {
      out.push(a.values[offset]);
      return;
    }
    const size = a.shape[axis];
    const idx = 2 * EDGE_ITEMS < size ? [0, 1, 2, size - 3, size - 2, size - 1] : Array.from({ length: size }, (_, i) => i);
    for (const i of idx) walk(offset + i * strides[axis], axis + 1);
  };
  walk(0, 0);
  return out;
}

/** str(array) */
export function ndarrayStr(a: NdArray): string {
  if (a.shape.length === 0) return scalarStr(a.values[0], a.dtype);
  if (a.values.length === 0) return '[]';
  const summarize = a.values.length > THRESHOLD;
  return formatArray(a, formatterFor(a, shownValues(a, summarize)), ' ', ' ', LINE_WIDTH, summarize);
}

/** repr(array): array([...], dtype=...) (the dtype is left out for float64, int64 and bool). */
export function ndarrayRepr(a: NdArray): string {
  const skipDType = a.dtype === 'float64' || a.dtype === 'int64' || a.dtype === 'bool';
  const suffix = skipDType ? ')' : ',';
  const summarize = a.values.length > THRESHOLD;
  let body: string;
  if (a.shape.length === 0) body = formatterFor(a, a.values)(a.values[0]);
  else if (a.values.length === 0) body = a.shape.length === 1 ? '[]' : `[], shape=(${a.shape.join(', ')})`;
  else body = formatArray(a, formatterFor(a, shownValues(a, summarize)), ', ', ' '.repeat('array('.length + 1), LINE_WIDTH - suffix.length, summarize);
  const text = 'array(' + body + suffix;
  if (skipDType) return text;
  const dtypeText = `dtype=${NUMPY_DTYPE[a.dtype]})`;
  const lastLine = text.length - (text.lastIndexOf('\n') + 1);
  const spacer = lastLine + dtypeText.length + 1 > LINE_WIDTH ? '\n' + ' '.repeat('array('.length) : ' ';
  return text + spacer + dtypeText;
}

/** str() of one NumPy scalar of this dtype. */
function scalarStr(x: number, dtype: DType): string {
  if (dtype === 'bool') return x ? 'True' : 'False';
  if (!isFloatDType(dtype)) return String(x);
  if (x !== x) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  // numpy's float scalar str: shortest digits, positional unless very large or small
  const e = shortestExponential(x, dtype === 'float32');
  const exponent = Number(e.split('e')[1]);
  if (exponent < -4 || exponent >= 16) {
    const [m, ex] = e.split('e');
    return (m.includes('.') ? m : m + '.') + 'e' + (ex.startsWith('-') ? '-' : '+') + ex.replace(/^[+-]/, '').padStart(2, '0');
  }
  const { int, frac } = positional(x, dtype === 'float32');
  return int + '.' + (frac === '' ? '0' : frac);
}

/** Python value of one element (a float, int or bool). */
function element(x: number, dtype: DType): Value {
  if (dtype === 'bool') return x !== 0;
  if (isFloatDType(dtype)) return x;
  return BigInt(x);
}

function tolist(a: NdArray): Value {
  if (a.shape.length === 0) return element(a.values[0], a.dtype);
  let offset = 0;
  const build = (axis: number): PyList => {
    const items: Value[] = [];
    for (let i = 0; i < a.shape[axis]; i++) {
      if (axis === a.shape.length - 1) items.push(element(a.values[offset++], a.dtype));
      else items.push(build(axis + 1));
    }
    return new PyList(items);
  };
  return build(0);
}

const ndarrayClass = new PyType(
  'ndarray',
  () => {
    throw typeError('GradLab makes arrays only with tensor.numpy()');
  },
  'numpy',
);

/** numpy.ndarray as the runner sees it. */
export const NDARRAY_TYPE: NativeType = {
  name: 'ndarray',
  pyType: ndarrayClass,
  is: (v) => v instanceof NdArray,
  repr: (v) => ndarrayRepr(v as NdArray),
  str: (v) => ndarrayStr(v as NdArray),
  len(v) {
    const a = v as NdArray;
    if (a.shape.length === 0) throw typeError('len() of unsized object');
    return a.shape[0];
  },
  getAttr(v, name) {
    const a = v as NdArray;
    switch (name) {
      case 'shape':
        return new PyTuple(a.shape.map((s) => BigInt(s)));
      case 'dtype':
        return new NumpyDType(NUMPY_DTYPE[a.dtype]);
      case 'ndim':
        return BigInt(a.shape.length);
      case 'size':
        return BigInt(a.values.length);
      case 'tolist':
        return new Builtin('tolist', () => tolist(a));
      case 'item':
        return new Builtin('item', () => {
          if (a.values.length !== 1) throw valueError('can only convert an array of size 1 to a Python scalar');
          return element(a.values[0], a.dtype);
        });
    }
    return undefined;
  },
};

/** numpy.dtype */
export const NUMPY_DTYPE_TYPE: NativeType = {
  name: 'dtype',
  is: (v) => v instanceof NumpyDType,
  repr: (v) => `dtype('${(v as NumpyDType).name}')`,
  str: (v) => (v as NumpyDType).name,
};
