// The application menu as a plain template: standard roles plus Help. Built by main.ts.
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../training/protocol';

export type MenuLanguage = 'zh-CN' | 'en';
/** What a menu item asks for: a command for the window, or one the shell handles itself. */
export type MenuCommand = AppCommand | 'openAudienceWindow';

const labels = {
  en: {
    file: 'File',
    open: 'Open Session…',
    save: 'Save Session',
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
    save: '保存会话',
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
  send: (command: MenuCommand) => void,
): MenuItemConstructorOptions[] {
  const t = labels[language];
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push({
    label: t.file,
    submenu: [
      { label: t.open, accelerator: 'CmdOrCtrl+O', click: () => send('openSession') },
      { label: t.save, accelerator: 'CmdOrCtrl+S', click: () => send('saveSession') },
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
