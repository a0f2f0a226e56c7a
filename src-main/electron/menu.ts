// The application menu as a plain template: standard roles plus Help. Built by main.ts.
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../contract/messages';
import type { RecentSession } from '../contract/session-files';

export type MenuLanguage = 'zh-CN' | 'en';
/** What a menu item asks for: a command for the window, or one the shell handles itself. */
export type MenuCommand = AppCommand | 'openAudienceWindow' | 'clearRecent';

const labels = {
  en: {
    file: 'File',
    open: 'Open Session…',
    openRecent: 'Open Recent',
    noRecent: 'No recent sessions',
    clearRecent: 'Clear Recent',
    save: 'Save Session',
    saveAs: 'Save Session As…',
    view: 'View',
    presenter: 'Presenter Mode',
    audience: 'Audience Window',
    help: 'Help',
    shortcuts: 'Keyboard Shortcuts',
    about: 'About GradLab',
  },
  'zh-CN': {
    file: '文件',
    open: '打开会话…',
    openRecent: '最近打开',
    noRecent: '没有最近的会话',
    clearRecent: '清除最近列表',
    save: '保存会话',
    saveAs: '会话另存为…',
    view: '视图',
    presenter: '演示模式',
    audience: '观众窗口',
    help: '帮助',
    shortcuts: '键盘快捷键',
    about: '关于 GradLab',
  },
} as const;

export function menuTemplate(
  platform: NodeJS.Platform,
  language: MenuLanguage,
  send: (command: MenuCommand, path?: string) => void,
  /** Main's recent-files list, newest first (File › Open Recent). */
  recent: readonly RecentSession[] = [],
): MenuItemConstructorOptions[] {
  const t = labels[language];
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push({
    label: t.file,
    submenu: [
      { id: 'open', label: t.open, accelerator: 'CmdOrCtrl+O', click: () => send('openSession') },
      {
        id: 'openRecent',
        label: t.openRecent,
        submenu: [
          ...(recent.length === 0
            ? [{ label: t.noRecent, enabled: false }]
            : recent.map((file, i) => ({ id: `recent-${i}`, label: file.name, toolTip: file.path, click: () => send('openRecent', file.path) }))),
          { type: 'separator' },
          { id: 'clearRecent', label: t.clearRecent, enabled: recent.length > 0, click: () => send('clearRecent') },
        ],
      },
      { id: 'save', label: t.save, accelerator: 'CmdOrCtrl+S', click: () => send('saveSession') },
      { id: 'saveAs', label: t.saveAs, accelerator: 'CmdOrCtrl+Shift+S', click: () => send('saveSessionAs') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: t.view,
    submenu: [
      { id: 'presenter', label: t.presenter, accelerator: 'F5', click: () => send('togglePresenter') },
      { id: 'audience', label: t.audience, accelerator: 'Shift+F5', click: () => send('openAudienceWindow') },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      { role: 'toggleDevTools' },
    ],
  });
  template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    label: t.help,
    submenu: [
      { id: 'shortcuts', label: t.shortcuts, accelerator: 'F1', click: () => send('showShortcuts') },
      { label: t.about, click: () => send('showAbout') },
    ],
  });
  return template;
}
