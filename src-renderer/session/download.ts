// Downloads in the browser edition (and Electron, whose default download handler asks where to save).
import type { DownloadFile } from './session-io';

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function downloadFile(file: DownloadFile): void {
  const part: BlobPart = typeof file.data === 'string' ? file.data : (file.data as Uint8Array<ArrayBuffer>);
  downloadBlob(file.name, new Blob([part], { type: file.type }));
}
