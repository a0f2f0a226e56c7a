// The renderer's only door to training and the Python runner. In Electron the preload exposes
// `window.gradlab`; in the browser edition Web Workers do the same work. Nothing above this file
// knows which one it talks to.
import type { GradLabBridge } from '../../src-main/contract/messages';
import type { SessionFilesApi } from '../../src-main/contract/session-files';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    gradlab?: GradLabBridge;
  }
}

export const bridge: GradLabBridge = typeof window !== 'undefined' && window.gradlab ? window.gradlab : createWebBridge();

/**
 * Save / Open through the desktop's own dialogs (and its recent-files list), or null in the
 * browser edition, which downloads sessions and opens them with a file picker instead.
 */
export const sessionFiles: SessionFilesApi | null = bridge.files ?? null;

let counter = 0;
/** A fresh run id for a request stream (training run or Python program). */
export function newRunId(prefix = 'run'): string {
  counter += 1;
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : String(Date.now());
  return `${prefix}-${counter}-${random}`;
}
