// One entry point for a file the learner picked or dropped: decide by extension, parse numbers,
// or (for images) check the size from the header and say how the platform should decode it.
// Pure TS: the renderer calls it with the dropped file's bytes, the train CLI with a file's bytes.
import { parseCsv } from './csv';
import { checkFileSize, DataFileError } from './errors';
import { dataMessage } from './messages';
import { checkImageDimensions, IMAGE_EXTENSIONS, IMAGE_MIME_TYPES, readImageDimensions, type ImageFormat } from './image';
import { parseJson } from './json';
import { parseNpy } from './npy';
import { toBytes, type NumericData } from './numbers';

export type LoadedDataFile =
  | ({ fileKind: 'numbers'; format: 'csv' | 'json' | 'npy' } & NumericData)
  | {
      fileKind: 'image';
      format: ImageFormat;
      /** For new Blob([bytes], { type: mimeType }) before createImageBitmap. */
      mimeType: string;
      /** From the file header; null when the header does not say (the decoder will). */
      width: number | null;
      height: number | null;
    };

export const NUMBER_EXTENSIONS = ['csv', 'tsv', 'txt', 'json', 'npy'] as const;
export const DATA_FILE_EXTENSIONS = [...NUMBER_EXTENSIONS, ...Object.keys(IMAGE_EXTENSIONS)];

/** For file dialogs: filters by extension. */
export const DATA_FILE_FILTERS = [
  { name: 'Numbers (CSV, JSON, NumPy)', extensions: [...NUMBER_EXTENSIONS] },
  { name: 'Images', extensions: Object.keys(IMAGE_EXTENSIONS) },
];

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

const ACCEPTED = dataMessage('load.accepted');

/**
 * Parses a data file by its extension. Throws DataFileError with a message for the learner; on
 * error nothing has been changed (the caller only replaces its data when this returns).
 */
export function loadDataFile(name: string, input: Uint8Array | ArrayBuffer): LoadedDataFile {
  const bytes = toBytes(input);
  const file = baseName(name);
  checkFileSize(bytes.length, file);
  const extension = extensionOf(name);
  switch (extension) {
    case 'csv':
    case 'tsv':
    case 'txt':
      return { fileKind: 'numbers', format: 'csv', ...parseCsv(bytes, { source: file }) };
    case 'json':
      return { fileKind: 'numbers', format: 'json', ...parseJson(bytes, { source: file }) };
    case 'npy':
      return { fileKind: 'numbers', format: 'npy', ...parseNpy(bytes, { source: file }) };
    case 'gradlab':
      throw new DataFileError('wrong-extension', dataMessage('load.session', { file }));
    case 'npz':
      throw new DataFileError('wrong-extension', dataMessage('load.npz', { file }));
  }
  const format = IMAGE_EXTENSIONS[extension];
  if (!format) {
    const what = extension ? dataMessage('load.ext.named', { extension }) : dataMessage('load.ext.none');
    throw new DataFileError('wrong-extension', dataMessage('load.extension', { file, what, accepted: ACCEPTED }));
  }
  if (bytes.length === 0) throw new DataFileError('empty', dataMessage('load.emptyImage', { file }));
  const header = readImageDimensions(bytes);
  if (header) checkImageDimensions(header.width, header.height, file);
  if (header && header.format !== format) {
    // A renamed file: decoders sniff the content anyway, so trust the content's type.
    return { fileKind: 'image', format: header.format, mimeType: IMAGE_MIME_TYPES[header.format], width: header.width, height: header.height };
  }
  return { fileKind: 'image', format, mimeType: IMAGE_MIME_TYPES[format], width: header?.width ?? null, height: header?.height ?? null };
}
