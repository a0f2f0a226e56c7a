// What GradLab's windows are allowed to do, as plain data so tests can check it without Electron.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 1024, height: 700 };

export function mainWindowOptions(bounds: WindowBounds, preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false, // shown on ready-to-show, so no white flash
    title: 'GradLab',
    backgroundColor: '#1b1f24',
    autoHideMenuBar: false,
    webPreferences: {
      // The only bridge to main: a small typed API (window.gradlab), never ipcRenderer itself.
      preload: preloadPath,
      // The preload runs in its own JavaScript world, so the page (and anything injected into a
      // lesson) cannot reach into it or replace the built-ins it relies on.
      contextIsolation: true,
      // The renderer is an ordinary Chromium sandboxed process: no file system, no processes,
      // even if a bug let a page run arbitrary code.
      sandbox: true,
      // No require() or process in the page or in its workers: pages are web content, not Node.
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      // Same-origin policy and CORS stay on: app:// pages cannot read other origins.
      webSecurity: true,
      // Nothing is loaded over http, and mixed content is never run.
      allowRunningInsecureContent: false,
      // <webview> would embed a second, separately configured page; refused again in hardening.ts.
      webviewTag: false,
      // The lessons are code and numbers; a spell checker would only underline them (and load dictionaries).
      spellcheck: false,
    },
  };
}

/** Only the app's own pages may load: everything else is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'gradlab';
  } catch {
    return false;
  }
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Restores saved bounds only when most of the window would be visible on a current display
 * (a projector may have been unplugged since); otherwise falls back to a centred default.
 */
export function restoreBounds(saved: unknown, workAreas: Rectangle[]): WindowBounds {
  if (!saved || typeof saved !== 'object') return { ...DEFAULT_BOUNDS };
  const s = saved as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
  const width = num(s.width);
  const height = num(s.height);
  if (width === undefined || height === undefined) return { ...DEFAULT_BOUNDS };
  const bounds: WindowBounds = {
    width: Math.max(MIN_SIZE.width, width),
    height: Math.max(MIN_SIZE.height, height),
    maximized: s.maximized === true,
  };
  const x = num(s.x);
  const y = num(s.y);
  if (x === undefined || y === undefined) return bounds;
  const visibleArea = Math.max(
    0,
    ...workAreas.map((a) => {
      const w = Math.min(x + bounds.width, a.x + a.width) - Math.max(x, a.x);
      const h = Math.min(y + bounds.height, a.y + a.height) - Math.max(y, a.y);
      return w > 0 && h > 0 ? w * h : 0;
    }),
  );
  if (visibleArea < 0.5 * bounds.width * bounds.height) return bounds; // let Electron centre it
  return { ...bounds, x, y };
}
