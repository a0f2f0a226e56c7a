// NumPy .npy files (format versions 1, 2 and 3): header parsing, every plain numeric dtype in
// either byte order, any shape, C or Fortran order. Values come out as float32 in C (row-major)
// order, as torch.from_numpy(a).float() would give. Also writes float32 .npy files (for exports).
// Pure TS: DataView only.
import { DataFileError, quoteForMessage } from './errors';
import { dataMessage, type DataMessage, type DataMessageId, type MessageParam } from './messages';
import { checkValueCount, float32Problem, toBytes, type NumericData } from './numbers';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

export interface NpyHeader {
  version: [number, number];
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset where the array data starts. */
  dataOffset: number;
}

export interface NpyArray {
  header: NpyHeader;
  values: Float32Array;
  shape: number[];
}

type Reader = (view: DataView, offset: number, littleEndian: boolean) => number;

interface DtypeInfo {
  size: number;
  read: Reader;
  name: string;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const DTYPES: Record<string, DtypeInfo> = {
  f2: { size: 2, name: 'float16', read: (v, o, le) => halfToFloat(v.getUint16(o, le)) },
  f4: { size: 4, name: 'float32', read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, name: 'float64', read: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, name: 'int8', read: (v, o) => v.getInt8(o) },
  i2: { size: 2, name: 'int16', read: (v, o, le) => v.getInt16(o, le) },
  i4: { size: 4, name: 'int32', read: (v, o, le) => v.getInt32(o, le) },
  i8: { size: 8, name: 'int64', read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u1: { size: 1, name: 'uint8', read: (v, o) => v.getUint8(o) },
  u2: { size: 2, name: 'uint16', read: (v, o, le) => v.getUint16(o, le) },
  u4: { size: 4, name: 'uint32', read: (v, o, le) => v.getUint32(o, le) },
  u8: { size: 8, name: 'uint64', read: (v, o, le) => Number(v.getBigUint64(o, le)) },
  b1: { size: 1, name: 'bool', read: (v, o) => (v.getUint8(o) ? 1 : 0) },
};

const KIND_NAMES: Record<string, DataMessageId> = {
  c: 'npy.kind.c',
  U: 'npy.kind.U',
  S: 'npy.kind.S',
  a: 'npy.kind.S',
  O: 'npy.kind.O',
  M: 'npy.kind.M',
  m: 'npy.kind.m',
  V: 'npy.kind.V',
};

const SAVE_HINT = dataMessage('npy.saveHint');

// ---- a tiny reader for the header, a Python dict literal such as
//      {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
type PyValue = string | number | boolean | PyValue[] | { [key: string]: PyValue };

/** The header is a dict holding a tuple; nothing deeper is ever written. */
const MAX_HEADER_NESTING = 8;

/**
 * NumPy's own reader refuses headers over 10,000 bytes (`max_header_size`): real ones are a few
 * hundred bytes, and a longer one is damage (or a file built to make the reader work hard).
 */
export const MAX_NPY_HEADER_BYTES = 10_000;

function parsePythonLiteral(text: string): PyValue {
  let i = 0;
  let depth = 0;
  const fail = (what: DataMessage): never => {
    throw new DataFileError('bad-header', dataMessage('npy.headerDamaged', { what, at: i + 1, hint: SAVE_HINT }));
  };
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): PyValue => {
    skip();
    const ch = text[i];
    if ((ch === '{' || ch === '(' || ch === '[') && ++depth > MAX_HEADER_NESTING) fail(dataMessage('npy.syntax.tooDeep'));
    if (ch === '{') {
      i++;
      // no prototype: a key such as "__proto__" is just a key
      const dict: { [key: string]: PyValue } = Object.create(null) as { [key: string]: PyValue };
      for (;;) {
        skip();
        if (text[i] === '}') {
          i++;
          depth--;
          return dict;
        }
        const key = value();
        if (typeof key !== 'string') fail(dataMessage('npy.syntax.keyNotText'));
        skip();
        if (text[i] !== ':') fail(dataMessage('npy.syntax.noColon'));
        i++;
        dict[key as string] = value();
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail(dataMessage('npy.syntax.noComma', { close: '}' }));
      }
    }
    if (ch === '(' || ch === '[') {
      const close = ch === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      for (;;) {
        skip();
        if (text[i] === close) {
          i++;
          depth--;
          return items;
        }
        items.push(value());
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(dataMessage('npy.syntax.noComma', { close }));
      }
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) fail(dataMessage('npy.syntax.openText'));
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const word = /^(?:True|False|-?\d+L?)/.exec(text.slice(i));
    if (!word) return fail(dataMessage('npy.syntax.unexpected'));
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    return Number(word[0].replace('L', ''));
  };
  const result = value();
  return result;
}

function startsWithMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => i >= bytes.length || bytes[i] === b);
}

export interface NpyOptions {
  /** Name used in messages, e.g. the file name. */
  source?: string;
}

export function parseNpyHeader(input: Uint8Array | ArrayBuffer, options: NpyOptions = {}): NpyHeader {
  const source: MessageParam = options.source ?? dataMessage('source.npy');
  const bytes = toBytes(input);
  if (bytes.length === 0) throw new DataFileError('empty', dataMessage('npy.empty', { source }));
  if (!startsWithMagic(bytes)) {
    throw new DataFileError('bad-magic', dataMessage('npy.badMagic', { source }));
  }
  if (bytes.length < 10) throw new DataFileError('truncated', dataMessage('npy.cutInHeader', { source, bytes: bytes.length }));
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) {
    throw new DataFileError('bad-header', dataMessage('npy.version', { source, major, minor, hint: SAVE_HINT }));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) throw new DataFileError('truncated', dataMessage('npy.cutInHeaderLength', { source }));
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthSize;
  const dataOffset = headerStart + headerLength;
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    throw new DataFileError('bad-header', dataMessage('npy.headerTooLong', { source, bytes: headerLength.toLocaleString('en'), hint: SAVE_HINT }));
  }
  if (bytes.length < dataOffset) {
    throw new DataFileError('truncated', dataMessage('npy.cutHeader', { source, expected: headerLength, actual: bytes.length - headerStart }));
  }
  const headerBytes = bytes.subarray(headerStart, dataOffset);
  // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
  const headerText = major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : String.fromCharCode(...headerBytes);
  const dict = parsePythonLiteral(headerText);
  if (typeof dict !== 'object' || Array.isArray(dict)) {
    throw new DataFileError('bad-header', dataMessage('npy.notDict', { source, hint: SAVE_HINT }));
  }
  const { descr, fortran_order: fortranOrder, shape } = dict as Record<string, PyValue>;
  if (Array.isArray(descr)) {
    throw new DataFileError('unsupported-dtype', dataMessage('npy.structured', { source, hint: SAVE_HINT }));
  }
  if (typeof descr !== 'string') throw new DataFileError('bad-header', dataMessage('npy.noDescr', { source, hint: SAVE_HINT }));
  if (typeof fortranOrder !== 'boolean') throw new DataFileError('bad-header', dataMessage('npy.noFortranOrder', { source, hint: SAVE_HINT }));
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new DataFileError('bad-header', dataMessage('npy.noShape', { source, hint: SAVE_HINT }));
  }
  return { version: [major, minor], descr, fortranOrder, shape: shape as number[], dataOffset };
}

function dtypeOf(descr: string, source: MessageParam): { info: DtypeInfo; littleEndian: boolean } {
  const match = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const key = match ? `${match[2]}${match[3]}` : '';
  const info = DTYPES[key] ?? (match?.[2] === '?' ? DTYPES.b1 : undefined);
  if (!match || !info) {
    const kind = match ? KIND_NAMES[match[2]] : undefined;
    throw new DataFileError(
      'unsupported-dtype',
      dataMessage('npy.dtype', { source, kind: dataMessage(kind ?? 'npy.kind.unsupported'), descr: quoteForMessage(descr), hint: SAVE_HINT }),
    );
  }
  return { info, littleEndian: match[1] !== '>' };
}

/** Reads an .npy file into float32 values in row-major order. */
export function parseNpyArray(input: Uint8Array | ArrayBuffer, options: NpyOptions = {}): NpyArray {
  const source: MessageParam = options.source ?? dataMessage('source.npy');
  const bytes = toBytes(input);
  const header = parseNpyHeader(bytes, options);
  const { info, littleEndian } = dtypeOf(header.descr, source);
  const count = header.shape.reduce((a, b) => a * b, 1);
  checkValueCount(count, source);
  const needed = count * info.size;
  const available = bytes.length - header.dataOffset;
  if (available < needed) {
    throw new DataFileError(
      'truncated',
      dataMessage('npy.cutData', {
        source,
        count: count.toLocaleString('en'),
        dtype: info.name,
        shape: header.shape.join(', '),
        needed: needed.toLocaleString('en'),
        available: available.toLocaleString('en'),
      }),
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, needed);
  const values = new Float32Array(count);
  const shape = header.shape;
  if (!header.fortranOrder || shape.length < 2) {
    for (let i = 0; i < count; i++) values[i] = info.read(view, i * info.size, littleEndian);
  } else {
    // Fortran order: the first index varies fastest in the file. Walk the file in that order and
    // put each value where row-major order wants it.
    const rank = shape.length;
    const rowMajorStride = new Array<number>(rank);
    rowMajorStride[rank - 1] = 1;
    for (let d = rank - 2; d >= 0; d--) rowMajorStride[d] = rowMajorStride[d + 1] * shape[d + 1];
    const index = new Array<number>(rank).fill(0);
    for (let i = 0; i < count; i++) {
      let target = 0;
      for (let d = 0; d < rank; d++) target += index[d] * rowMajorStride[d];
      values[target] = info.read(view, i * info.size, littleEndian);
      for (let d = 0; d < rank; d++) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(values[i])) {
      // Infinity here is either inf/nan in the file or a float64 beyond float32's range.
      throw new DataFileError(
        'not-a-number',
        dataMessage('npy.badValue', { source, index: i + 1, problem: float32Problem(values[i]) ?? dataMessage('number.notFinite') }),
      );
    }
  }
  return { header, values, shape: [...shape] };
}

export function parseNpy(input: Uint8Array | ArrayBuffer, options: NpyOptions = {}): NumericData {
  const source: MessageParam = options.source ?? dataMessage('source.npy');
  const array = parseNpyArray(input, options);
  if (array.values.length === 0) {
    throw new DataFileError('empty', dataMessage('npy.emptyArray', { source, shape: array.shape.join(', ') }));
  }
  return { kind: 'values', values: array.values, shape: array.shape };
}

/** Writes a little-endian float32 .npy (format 1.0), the way np.save does. */
export function encodeNpyFloat32(values: Float32Array | ArrayLike<number>, shape: number[] = [values.length]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new RangeError(`shape (${shape.join(', ')}) holds ${count} values, but ${values.length} were given`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // np.save pads with spaces and ends with a newline so the data starts on a 64-byte boundary.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + count * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dataStart = 10 + header.length;
  for (let i = 0; i < count; i++) view.setFloat32(dataStart + i * 4, values[i], true);
  return out;
}
