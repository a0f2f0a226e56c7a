// Turns whatever went wrong while loading a file into a message in the learner's language. A
// problem is stored as a key plus parameters (not as finished text) so switching the language
// re-translates it. The parser's own sentence is kept as the detail (as an id plus parameters, so it
// is worded in the learner's language too): it names the line, column or byte at fault.
import { DataFileError } from '../../src-main/data/errors';
import type { DataMessage } from '../../src-main/data/messages';
import { MAX_SOURCE_MEGAPIXELS, readImageDimensions } from '../../src-main/data/image';
import type { ImageStringKey } from './strings';
import { errorMessage } from '../../src-main/contract/error-message';

export interface LoadProblem {
  key: ImageStringKey;
  params: Record<string, string | number>;
  /** The parser's own sentence in English, shown under the translated one unless detailMessage is given. */
  detail?: string;
  /** The same sentence as an id plus parameters: shown in the learner's language. */
  detailMessage?: DataMessage;
}

export function megapixels(width: number, height: number): string {
  const mp = (width * height) / 1e6;
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1);
}

export function imageTooLargeProblem(name: string, width: number, height: number): LoadProblem {
  return {
    key: 'error.imageTooLarge',
    params: { name, width: width.toLocaleString('en'), height: height.toLocaleString('en'), mp: megapixels(width, height), max: MAX_SOURCE_MEGAPIXELS },
  };
}

/**
 * A problem from an error thrown while loading `name` (bytes: the file's first bytes, used to
 * restate an image's size). Numeric files keep the parser's sentence as the detail.
 */
export function problemFromError(error: unknown, name: string, bytes?: Uint8Array): LoadProblem {
  if (error instanceof DataFileError) {
    switch (error.code) {
      case 'image-too-large': {
        const header = bytes ? readImageDimensions(bytes) : null;
        if (header) return imageTooLargeProblem(name, header.width, header.height);
        return { key: 'error.imageTooLarge', params: { name, width: '?', height: '?', mp: '?', max: MAX_SOURCE_MEGAPIXELS }, detail: error.message, detailMessage: error.detail };
      }
      case 'image-size':
        return { key: 'error.imageSize', params: { name }, detail: error.message, detailMessage: error.detail };
      case 'wrong-extension':
        return { key: 'error.wrongExtension', params: { name }, detail: error.message, detailMessage: error.detail };
      case 'empty':
        return { key: 'error.empty', params: { name } };
      default:
        return { key: 'error.numbers', params: { name }, detail: error.message, detailMessage: error.detail };
    }
  }
  const message = errorMessage(error);
  return { key: 'error.read', params: { name, reason: message } };
}
