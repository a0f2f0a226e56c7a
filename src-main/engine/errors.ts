// Errors the engine raises carry the Python exception type PyTorch would raise, so the Python
// runner can print `RuntimeError: ...` exactly like a real traceback's last line.
export type PyErrorType = 'RuntimeError' | 'TypeError' | 'IndexError' | 'ValueError' | 'NotImplementedError';

export class TorchError extends Error {
  readonly pyType: PyErrorType;
  constructor(pyType: PyErrorType, message: string) {
    super(message);
    this.name = pyType;
    this.pyType = pyType;
  }
}

export const runtimeError = (message: string): TorchError => new TorchError('RuntimeError', message);
export const indexError = (message: string): TorchError => new TorchError('IndexError', message);
export const valueError = (message: string): TorchError => new TorchError('ValueError', message);
export const typeError = (message: string): TorchError => new TorchError('TypeError', message);
