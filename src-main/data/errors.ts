// One error type for every data problem a learner can cause (a bad file, a wrong shape, a huge
// image), so the window can show `message` as is and tests can check `code`. Pure TS.

export type DataErrorCode =
  | 'empty'
  | 'not-a-number'
  | 'ragged'
  | 'shape'
  | 'syntax'
  | 'too-large'
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

  constructor(code: DataErrorCode, message: string, position?: TextPosition) {
    super(message);
    this.code = code;
    this.position = position;
  }
}

/** The most values one data file may give x or y: 512 x 512 RGB images, with room to spare. */
export const MAX_VALUES = 16_777_216;

export function tooManyValues(count: number, what: string): DataFileError {
  return new DataFileError(
    'too-large',
    `${what} holds ${count.toLocaleString('en')} values; GradLab trains on at most ${MAX_VALUES.toLocaleString('en')}. Use a smaller sample of the data.`,
  );
}

/** Shows a cell or token in a message without flooding it. */
export function quoteForMessage(text: string, max = 24): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
