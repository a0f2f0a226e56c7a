// The Electron shell's decisions, checked without Electron: window security, bounds restore,
// the menu, the app:// file mapping and the request router's validation.
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { createRequestRouter } from '../../../src-main/electron/ipc';
import { menuTemplate } from '../../../src-main/electron/menu';
import { resolveAppFile, resolveStaticPath } from '../../../src-main/electron/app-protocol';
import { contentSecurityPolicy } from '../../../src-main/electron/csp';
import { DEFAULT_BOUNDS, isAppUrl, mainWindowOptions, restoreBounds } from '../../../src-main/electron/window-options';
import type { GradLabEvent, Request } from '../../../src-main/contract/messages';

describe('main window options', () => {
  it('isolates the page: contextIsolation and sandbox on, no Node, no webview', () => {
    const options = mainWindowOptions(DEFAULT_BOUNDS, '/app/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    expect(options.show).toBe(false);
  });

  it('only treats app://gradlab pages as the app', () => {
    expect(isAppUrl('app://gradlab/index.html')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('restores a window that is on a display', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1400, height: 900, maximized: true }, screen)).toEqual({ x: 100, y: 50, width: 1400, height: 900, maximized: true });
  });
  it('drops the position when the display it was on is gone (a projector unplugged)', () => {
    const bounds = restoreBounds({ x: 2500, y: 100, width: 1280, height: 800 }, screen);
    expect(bounds.x).toBeUndefined();
    expect(bounds.width).toBe(1280);
  });
  it('enforces the minimum size and ignores garbage', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 200, height: 100 }, screen)).toMatchObject({ width: 1024, height: 700 });
    expect(restoreBounds('nonsense', screen)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: 'wide' }, screen)).toEqual(DEFAULT_BOUNDS);
  });
});

describe('application menu', () => {
  it('has the standard roles and a Help menu with shortcuts and About, in both languages', () => {
    const sent: string[] = [];
    for (const lang of ['en', 'zh-CN'] as const) {
      const template = menuTemplate('linux', lang, (c) => sent.push(c));
      const roles = template.map((item) => item.role).filter(Boolean);
      expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help']));
      const help = template.find((item) => item.role === 'help');
      const items = help?.submenu as { label: string; click: () => void }[];
      expect(items).toHaveLength(2);
      items.forEach((item) => item.click());
    }
    expect(sent).toEqual(['showShortcuts', 'showAbout', 'showShortcuts', 'showAbout']);
    expect(menuTemplate('darwin', 'en', () => {})[0].role).toBe('appMenu');
    const view = menuTemplate('linux', 'en', (c) => sent.push(c)).find((i) => i.label === 'View');
    const viewItems = view?.submenu as { label?: string; accelerator?: string; click?: () => void }[];
    viewItems.filter((i) => i.click).forEach((i) => i.click!());
    expect(sent.slice(-2)).toEqual(['togglePresenter', 'openAudienceWindow']);
    expect(viewItems.find((i) => i.accelerator === 'F5')?.label).toBe('Presenter Mode');
    const zhHelp = menuTemplate('linux', 'zh-CN', () => {}).find((i) => i.role === 'help');
    expect(zhHelp?.label).toBe('帮助');
  });
});

describe('app:// file mapping', () => {
  const root = '/opt/gradlab/dist/web';
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppFile('app://gradlab/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://gradlab/assets/app.js', root)).toBe(join(root, 'assets/app.js'));
  });
  it('refuses anything outside it', () => {
    expect(resolveAppFile('app://gradlab/../../etc/passwd', root)).toBe(join(root, 'etc/passwd')); // URL parsing already clamps to root
    expect(resolveStaticPath('/%2e%2e/%2e%2e/etc/passwd', root)).toBeNull();
    expect(resolveStaticPath('/..%2f..%2fetc/passwd', root)).toBeNull();
    expect(resolveStaticPath('/%E0%A4%A', root)).toBeNull();
    expect(resolveAppFile('app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('https://gradlab/index.html', root)).toBeNull();
  });
});

describe('content security policy', () => {
  it('allows nothing remote and no eval', () => {
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).not.toMatch(/'unsafe-eval'|https?:|\*/);
  });
});

describe('request router', () => {
  function setup() {
    const training = { send: vi.fn<(r: Request) => void>() };
    const python = { run: vi.fn(), stop: vi.fn() };
    const events: GradLabEvent[] = [];
    const route = createRequestRouter({ training, python, emit: (e) => events.push(e) });
    return { training, python, events, route };
  }

  it('routes valid training and Python requests', () => {
    const { training, python, route } = setup();
    expect(route({ type: 'pause', runId: 'r1' })).toBe(true);
    expect(route({ type: 'runPython', runId: 'p1', source: 'print(1)' })).toBe(true);
    expect(route({ type: 'runPython', runId: 'p2', source: 'print(2)', recordGraph: true })).toBe(true);
    expect(route({ type: 'stopPython', runId: 'p1' })).toBe(true);
    expect(training.send).toHaveBeenCalledWith({ type: 'pause', runId: 'r1' });
    expect(python.run).toHaveBeenCalledWith('p1', 'print(1)', false);
    expect(python.run).toHaveBeenCalledWith('p2', 'print(2)', true);
    expect(python.stop).toHaveBeenCalledWith('p1');
  });

  it('refuses malformed messages with an error naming the field', () => {
    const { training, events, route } = setup();
    expect(route({ type: 'setLearningRate', runId: 'r1', learningRate: 'fast' })).toBe(false);
    expect(route({ type: 'launchMissiles', runId: 'r1' })).toBe(false);
    expect(route(null)).toBe(false);
    expect(route({ type: 'start', runId: 'r2', config: { x: [1, 2], y: [1], initialW: { kind: 'ones' }, initialB: 0, learningRate: -1, epochs: 10 } })).toBe(false);
    expect(training.send).not.toHaveBeenCalled();
    expect(events).toHaveLength(4);
    expect(events[0]).toMatchObject({ type: 'error', runId: 'r1' });
    expect((events[0] as { message: string }).message).toMatch(/learningRate/);
    expect((events[3] as { message: string }).message).toMatch(/config\.learningRate/);
    expect(events[2]).toMatchObject({ runId: 'unknown' });
  });
});
