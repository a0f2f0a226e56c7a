// File menu on the desktop: Save / Save As / Open with their accelerators, Open Recent built from
// main's list, and the app:// scheme that gives the page persistent storage (the autosave).
import { describe, expect, it } from 'vitest';
import { APP_SCHEME } from '../../../src-main/electron/app-protocol';
import { menuTemplate, type MenuCommand } from '../../../src-main/electron/menu';
import type { RecentSession } from '../../../src-main/contract/session-files';

type Item = { id?: string; label?: string; accelerator?: string; enabled?: boolean; toolTip?: string; type?: string; click?: () => void; submenu?: Item[] };

function fileMenu(lang: 'en' | 'zh-CN', recent: RecentSession[] = []) {
  const sent: [MenuCommand, string | undefined][] = [];
  const template = menuTemplate('linux', lang, (command, path) => sent.push([command, path]), recent) as Item[];
  const file = template[0].submenu!;
  const byId = (id: string) => file.find((i) => i.id === id)!;
  return { sent, file, byId };
}

const recent: RecentSession[] = [
  { path: '/home/ada/frogs.gradlab', name: 'frogs.gradlab', openedAt: '2026-11-27T09:00:00.000Z' },
  { path: '/home/ada/old/lesson.gradlab', name: 'lesson.gradlab', openedAt: '2026-11-26T09:00:00.000Z' },
];

describe('File menu', () => {
  it('Open, Save and Save As send their commands with the usual accelerators', () => {
    const { sent, byId } = fileMenu('en');
    expect(byId('open')).toMatchObject({ label: 'Open Session…', accelerator: 'CmdOrCtrl+O' });
    expect(byId('save')).toMatchObject({ label: 'Save Session', accelerator: 'CmdOrCtrl+S' });
    expect(byId('saveAs')).toMatchObject({ label: 'Save Session As…', accelerator: 'CmdOrCtrl+Shift+S' });
    byId('open').click!();
    byId('save').click!();
    byId('saveAs').click!();
    expect(sent).toEqual([
      ['openSession', undefined],
      ['saveSession', undefined],
      ['saveSessionAs', undefined],
    ]);
  });

  it('Open Recent lists main’s recent files, newest first, each sending its own path', () => {
    const { sent, byId } = fileMenu('en', recent);
    const submenu = byId('openRecent').submenu!;
    const entries = submenu.filter((i) => i.id?.startsWith('recent-'));
    expect(entries.map((i) => [i.label, i.toolTip])).toEqual([
      ['frogs.gradlab', '/home/ada/frogs.gradlab'],
      ['lesson.gradlab', '/home/ada/old/lesson.gradlab'],
    ]);
    entries[1].click!();
    const clear = submenu.find((i) => i.id === 'clearRecent')!;
    expect(clear.enabled).toBe(true);
    clear.click!();
    expect(sent).toEqual([
      ['openRecent', '/home/ada/old/lesson.gradlab'],
      ['clearRecent', undefined],
    ]);
  });

  it('an empty list says so, and Clear is disabled; both languages', () => {
    const en = fileMenu('en').byId('openRecent');
    expect(en.submenu![0]).toMatchObject({ label: 'No recent sessions', enabled: false });
    expect(en.submenu!.find((i) => i.id === 'clearRecent')?.enabled).toBe(false);
    const zh = fileMenu('zh-CN');
    expect(zh.byId('openRecent').label).toBe('最近打开');
    expect(zh.byId('saveAs').label).toBe('会话另存为…');
    expect(zh.byId('openRecent').submenu![0].label).toBe('没有最近的会话');
  });
});

describe('app:// scheme', () => {
  it('is standard (so the page has IndexedDB and localStorage, kept on disk: the autosave survives restarts) and secure', () => {
    expect(APP_SCHEME.scheme).toBe('app');
    expect(APP_SCHEME.privileges).toMatchObject({ standard: true, secure: true });
    // Service workers and CSP bypass stay off: the page gets storage, not extra powers.
    expect(APP_SCHEME.privileges).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME.privileges).not.toHaveProperty('allowServiceWorkers');
  });
});
