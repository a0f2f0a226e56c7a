// The shell's security rules as plain functions, with fakes for the Electron objects (no Electron
// here): every webContents stays on app://gradlab, permissions are refused but fullscreen for
// GradLab's own pages (asked or checked), only the main window's own top frame is a trusted IPC
// sender, app:// answers 404 for anything that is not a file, and the packaged binary's fuses.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builderConfig } from '../../../electron.config';
import { appProtocolResponse } from '../../../src-main/electron/app-protocol';
import { CSP_NONCE_PLACEHOLDER } from '../../../src-main/electron/csp';
import { hardenWebContents, installPermissionPolicy, isPermissionAllowed, isTrustedSender, type HardenableContents } from '../../../src-main/electron/hardening';

type Listener = (event: { url?: string; preventDefault(): void }) => void;

/** A webContents that records its listeners, so a test can fire the events Electron would. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  };
  /** Fires `event` as Electron would; true when a listener prevented it. */
  const fire = (event: string, url = ''): boolean => {
    let prevented = false;
    for (const listener of listeners.get(event) ?? []) listener({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents: contents as unknown as HardenableContents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('hardenWebContents', () => {
  it('keeps navigation, frame navigation and redirects on app://gradlab', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(event, 'app://gradlab/index.html?audience=1'), event).toBe(false);
      for (const away of ['https://example.com/', 'http://127.0.0.1:5178/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'not a url']) {
        expect(fire(event, away), `${event} ${away}`).toBe(true);
      }
    }
  });

  it('refuses <webview> and every new window', () => {
    const { contents, fire, open } = fakeContents();
    hardenWebContents(contents);
    expect(fire('will-attach-webview')).toBe(true);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('app://gradlab/index.html')).toEqual({ action: 'deny' });
  });

  it('is the only place that sets these rules: main.ts applies it to every webContents', () => {
    const main = readFileSync(join(import.meta.dirname, '../../../src-main/electron/main.ts'), 'utf8');
    expect(main).toContain("app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))");
    expect(main).not.toMatch(/will-navigate|will-redirect|setWindowOpenHandler|will-attach-webview/);
    expect(main).toContain('installPermissionPolicy(session.defaultSession)');
    expect(main.match(/isTrustedSender\(event, mainWindow\)/g)).toHaveLength(2); // both IPC channels
  });
});

describe('permission policy', () => {
  it('allows fullscreen to GradLab pages only, and nothing else to anyone', () => {
    expect(isPermissionAllowed('fullscreen', 'app://gradlab/index.html')).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'app://gradlab')).toBe(true); // an origin, as the check handler gets it
    expect(isPermissionAllowed('fullscreen', 'https://example.com/')).toBe(false);
    expect(isPermissionAllowed('fullscreen', undefined)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'usb', 'serial', 'unknown']) {
      expect(isPermissionAllowed(permission, 'app://gradlab/index.html'), permission).toBe(false);
    }
  });

  it('installs both the request handler and the check handler', () => {
    type RequestHandler = (contents: { getURL(): string }, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
    type CheckHandler = (contents: unknown, permission: string, origin: string, details: { requestingUrl?: string }) => boolean;
    let request: RequestHandler | null = null;
    let check: CheckHandler | null = null;
    installPermissionPolicy({
      setPermissionRequestHandler: (handler: unknown) => void (request = handler as RequestHandler),
      setPermissionCheckHandler: (handler: unknown) => void (check = handler as CheckHandler),
    } as Parameters<typeof installPermissionPolicy>[0]);
    const page = { getURL: () => 'app://gradlab/index.html' };
    const answers: boolean[] = [];
    request!(page, 'fullscreen', (granted) => answers.push(granted), { requestingUrl: 'app://gradlab/index.html' });
    request!(page, 'media', (granted) => answers.push(granted), { requestingUrl: 'app://gradlab/index.html' });
    request!({ getURL: () => 'https://evil.example/' }, 'fullscreen', (granted) => answers.push(granted), {});
    expect(answers).toEqual([true, false, false]);
    expect(check!(null, 'fullscreen', 'app://gradlab', {})).toBe(true);
    expect(check!(null, 'notifications', 'app://gradlab', {})).toBe(false);
    expect(check!(null, 'fullscreen', 'https://evil.example', { requestingUrl: 'https://evil.example/x' })).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const main = { webContents: { id: 1 } };
  const audience = { webContents: { id: 2 } };
  const top = (url: string) => ({ url, parent: null });
  it('trusts the main window’s own page in its top frame, and nothing else', () => {
    expect(isTrustedSender({ sender: main.webContents, senderFrame: top('app://gradlab/index.html') }, main)).toBe(true);
    expect(isTrustedSender({ sender: audience.webContents, senderFrame: top('app://gradlab/index.html?audience=1') }, main)).toBe(false);
    expect(isTrustedSender({ sender: main.webContents, senderFrame: { url: 'app://gradlab/frame.html', parent: {} } }, main)).toBe(false);
    expect(isTrustedSender({ sender: main.webContents, senderFrame: top('https://example.com/') }, main)).toBe(false);
    expect(isTrustedSender({ sender: main.webContents, senderFrame: null }, main)).toBe(false);
    expect(isTrustedSender({ sender: main.webContents, senderFrame: top('app://gradlab/index.html') }, null)).toBe(false);
  });
});

describe('app:// responses', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gradlab-app-'));
    writeFileSync(join(root, 'index.html'), `<meta content="style-src-elem 'nonce-${CSP_NONCE_PLACEHOLDER}'"><title>GradLab</title>`);
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves files with their type and the CSP header (fresh nonce in header and page)', async () => {
    const page = await appProtocolResponse('app://gradlab/', root, 'n0nce');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("'nonce-n0nce'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain("'nonce-n0nce'");
    const script = await appProtocolResponse('app://gradlab/assets/app.js', root, 'n0nce');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers 404 for a folder (issue 13: app://gradlab/assets), a missing file, an escape or another host', async () => {
    for (const url of ['app://gradlab/assets', 'app://gradlab/assets/', 'app://gradlab/missing.js', 'app://gradlab/..%2f..%2fetc%2fpasswd', 'app://other/index.html', 'app://gradlab/%E0%A4%A']) {
      const response = await appProtocolResponse(url, root);
      expect(response.status, url).toBe(404);
    }
  });
});

describe('packaged binary', () => {
  it('flips the fuses that would let the binary run code that is not GradLab', () => {
    expect(builderConfig.asar).toBe(true); // onlyLoadAppFromAsar needs the app in an archive
    expect(builderConfig.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
