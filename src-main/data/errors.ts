// One error type for every data problem a learner can cause (a bad file, a wrong shape, a huge
// image), so tests can check `code` and the window can word `detail` in the learner's language
// (messages.ts); `message` is the English sentence. Pure TS.
import { MAX_VALUES } from '../contract/limits';
import { dataMessage, formatDataMessage, type DataMessage, type MessageLang, type MessageParam } from './messages';

export type DataErrorCode =
  | 'empty'
  | 'not-a-number'
  | 'ragged'
  | 'shape'
  | 'syntax'
  | 'too-large'
  | 'too-deep'
  | 'truncated'
  | 'bad-magic'
  | 'unsupported-dtype'
  | 'bad-header'
  | 'wrong-extension'
  | 'image-too-large'
  | 'image-size'
  | 'bad-option';

/** Where in a text file the problem is (1-based), when that is known. */
export interface TextPosition {
  line: number;
  column: number;
}

export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  readonly code: DataErrorCode;
  readonly position: TextPosition | undefined;
  /** The sentence as an id plus parameters, for wording it in either language. */
  readonly detail: DataMessage;

  constructor(code: DataErrorCode, detail: DataMessage, position?: TextPosition) {
    super(formatDataMessage(detail, 'en'));
    this.code = code;
    this.detail = detail;
    this.position = position;
  }

  /** The message in `lang` ('en' gives exactly `message`). */
  text(lang: MessageLang): string {
    return formatDataMessage(this.detail, lang);
  }
}

/** The most values one data file may give x or y (the contract's cap, so a loaded file always passes it). */
export { MAX_VALUES };

export function tooManyValues(count: number, what: MessageParam): DataFileError {
  return new DataFileError('too-large', dataMessage('data.tooManyValues', { what, count: count.toLocaleString('en'), max: MAX_VALUES.toLocaleString('en') }));
}

/** For a parser that stops reading at the cap, before it knows how many values there are in all. */
export function moreThanMaxValues(what: MessageParam): DataFileError {
  return new DataFileError('too-large', dataMessage('data.moreThanMaxValues', { what, max: MAX_VALUES.toLocaleString('en') }));
}

/**
 * The largest data file GradLab reads at all (checked before reading it): MAX_VALUES float64
 * values of an .npy file fit, and so do MAX_VALUES numbers of CSV text at about 16 characters
 * each. Anything bigger could not be trained on anyway, and would only tie up memory.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Refuses a file larger than MAX_FILE_BYTES, before a single byte of it is read. */
export function checkFileSize(size: number, source: MessageParam): void {
  if (size > MAX_FILE_BYTES) {
    const mb = (bytes: number) => (bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 0 });
    throw new DataFileError('too-large', dataMessage('data.fileTooLarge', { source, size: mb(size), max: mb(MAX_FILE_BYTES) }));
  }
}

/** Shows a cell or token in a message without flooding it. */
export function quoteForMessage(text: string, max = 24): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
