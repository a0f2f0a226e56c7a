// What every GradLab page may do, decided in one place: main.ts applies hardenWebContents to every
// webContents the app ever creates (app 'web-contents-created', so a window added later cannot
// forget it), installs the permission policy on the session, and asks isTrustedSender before
// answering any IPC message. Plain functions over the few methods they use (types only from
// Electron), so tests/unit/electron/hardening.test.ts drives them with fakes.
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './window-options';

/** The navigation events a page can start; each carries the URL it wants to go to. */
const NAVIGATIONS = ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const;

/** The part of a webContents hardenWebContents touches. */
export interface HardenableContents {
  on(event: (typeof NAVIGATIONS)[number], listener: (event: { url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Keeps a page on GradLab's own pages: no navigation, frame navigation or redirect leaves
 * app://gradlab (a link in a lesson, or script injected into one, cannot load a remote page that
 * would then run with the preload's API); no new windows (window.open, target=_blank); no <webview>.
 */
export function hardenWebContents(contents: HardenableContents): void {
  const stayInApp = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  for (const navigation of NAVIGATIONS) contents.on(navigation, stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Permissions a GradLab page may use: fullscreen for presenter mode on the projector. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen']);

/** Camera, microphone, location, notifications, clipboard reading, USB…: refused, and only GradLab's own pages get even fullscreen. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl ?? '');
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/**
 * Both of Electron's permission hooks: the request handler answers a page that asks (e.g.
 * requestFullscreen), the check handler answers a page that only looks (navigator.permissions,
 * and Chromium's own checks before it asks); without the second, checks default to granted.
 */
export function installPermissionPolicy(session: PermissionSession): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL())));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin));
}

/** An IPC message's origin as Electron reports it (IpcMainEvent and IpcMainInvokeEvent alike). */
export interface IpcSender {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Only the main window, showing GradLab's own page in its top frame, may drive the workers and
 * the file dialogs: not the audience window, not a frame inside the page, not a page that
 * somehow navigated elsewhere.
 */
export function isTrustedSender(event: IpcSender, mainWindow: { webContents: WebContents | unknown } | null): boolean {
  if (!mainWindow || event.sender !== mainWindow.webContents) return false;
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}
