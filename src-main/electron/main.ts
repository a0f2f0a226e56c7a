// The Electron shell: one instance, one secure window, a menu, and the wiring from IPC to the
// training supervisor and the Python host. Everything it calls is tested without Electron.
import { app, BrowserWindow, Menu, MessageChannelMain, dialog, ipcMain, net, protocol, screen, session, type MessagePortMain } from 'electron';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_RUN_ID, type GradLabEvent } from '../training/protocol';
import { createTrainingSupervisor } from '../training/supervisor';
import { contentTypeFor, resolveAppFile } from './app-protocol';
import { contentSecurityPolicy } from './csp';
import { createRequestRouter } from './ipc';
import { menuTemplate, type MenuCommand } from './menu';
import { createPythonHost } from './python-host';
import { isAppUrl, mainWindowOptions, restoreBounds } from './window-options';

const here = __dirname; // dist/main after the esbuild bundle (CommonJS)
const rendererRoot = join(here, '..', 'web');
const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

let mainWindow: BrowserWindow | null = null;
let eventPort: MessagePortMain | null = null;
const pendingEvents: GradLabEvent[] = [];

function emit(event: GradLabEvent) {
  if (eventPort) eventPort.postMessage(event);
  else if (pendingEvents.length < 1000) pendingEvents.push(event);
}

let audienceWindow: BrowserWindow | null = null;

/** The class sees charts and images on the second display (the projector) while the presenter keeps the controls. */
function openAudienceWindow() {
  if (audienceWindow) {
    audienceWindow.focus();
    return;
  }
  const displays = screen.getAllDisplays();
  const primary = screen.getPrimaryDisplay();
  const target = displays.find((d) => d.id !== primary.id) ?? primary;
  const window = new BrowserWindow({
    ...mainWindowOptions({ ...target.workArea }, join(here, 'preload.cjs')),
    title: 'GradLab — Audience',
    fullscreen: target.id !== primary.id,
  });
  audienceWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    audienceWindow = null;
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadURL('app://gradlab/index.html?audience=1');
}

function sendCommand(command: MenuCommand) {
  if (command === 'openAudienceWindow') openAudienceWindow();
  else emit({ type: 'appCommand', runId: APP_RUN_ID, command });
}

function readWindowState(): unknown {
  try {
    return JSON.parse(readFileSync(windowStateFile(), 'utf8'));
  } catch {
    return null;
  }
}

function saveWindowState(window: BrowserWindow) {
  const bounds = window.getNormalBounds();
  try {
    mkdirSync(dirname(windowStateFile()), { recursive: true });
    writeFileSync(windowStateFile(), JSON.stringify({ ...bounds, maximized: window.isMaximized() }));
  } catch {
    // Losing the window position is not worth bothering the learner about.
  }
}

/** Each page load gets a fresh port for events; the old one is closed. */
function connectEventPort(window: BrowserWindow) {
  eventPort?.close();
  const { port1, port2 } = new MessageChannelMain();
  eventPort = port1;
  port1.start();
  window.webContents.postMessage('gradlab:port', null, [port2]);
  for (const event of pendingEvents.splice(0)) port1.postMessage(event);
}

function createMainWindow() {
  const bounds = restoreBounds(readWindowState(), screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow(mainWindowOptions(bounds, join(here, 'preload.cjs')));
  mainWindow = window;
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveWindowState(window));
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.webContents.on('did-finish-load', () => connectEventPort(window));
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // The page asks (beforeunload) when the session has unsaved changes; Electron leaves the answer to us.
  window.webContents.on('will-prevent-unload', (event) => {
    const zh = language() === 'zh-CN';
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: zh ? ['关闭，不保存', '取消'] : ['Close without saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: zh ? '有未保存的更改' : 'You have unsaved changes',
      detail: zh ? '关闭后，这次的数据和设置会丢失（除非先用“文件 > 保存会话”保存）。' : 'If you close now, this session’s data and settings are lost unless you save them first (File > Save Session).',
    });
    if (choice === 0) event.preventDefault(); // preventDefault here means: unload anyway
  });
  void window.loadURL('app://gradlab/index.html');
}

function language(): 'zh-CN' | 'en' {
  return app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  const training = createTrainingSupervisor({ workerPath: join(here, 'training-worker.cjs'), onEvent: emit });
  const python = createPythonHost(join(here, 'python-worker.cjs'), emit);
  const route = createRequestRouter({ training, python, emit });

  ipcMain.on('gradlab:request', (event, raw: unknown) => {
    // Only our own window, showing our own page, may drive the workers.
    if (!mainWindow || event.sender !== mainWindow.webContents || !isAppUrl(event.senderFrame?.url ?? '')) return;
    route(raw);
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    protocol.handle('app', async (request) => {
      const file = resolveAppFile(request.url, rendererRoot);
      if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
      const response = await net.fetch(pathToFileURL(file).toString());
      return new Response(response.body, {
        status: 200,
        headers: { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': contentSecurityPolicy, 'X-Content-Type-Options': 'nosniff' },
      });
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, language(), sendCommand)));
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void training.dispose();
    void python.dispose();
  });
}
