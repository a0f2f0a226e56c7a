// Web Worker that parses one numbers file (CSV, JSON, .npy) off the page's thread, so a big file
// never freezes the window: the page posts { name, bytes, column } (the bytes transferred) and
// gets back the same NumbersResult readNumbersFile gives, its arrays transferred.
import { readNumbersFile, type NumbersRequest } from './numbers';

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<NumbersRequest>) => void) | null;
}
declare const self: WorkerScope;

self.onmessage = ({ data }) => {
  const result = readNumbersFile(data.name, data.bytes, data.column);
  const transfer: Transferable[] = [];
  if (result.ok) {
    if (result.data.kind === 'xy') transfer.push(result.data.x.buffer, result.data.y.buffer);
    else transfer.push(result.data.values.buffer);
  }
  self.postMessage(result, transfer);
};
