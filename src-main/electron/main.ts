// The Electron shell: one instance, one secure window, a menu, and the wiring from IPC to the
// training supervisor and the Python host. Everything it calls is tested without Electron.
import { app, BrowserWindow, Menu, MessageChannelMain, dialog, ipcMain, protocol, screen, session, type MessagePortMain } from 'electron';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SESSION_FILE_FILTERS } from '../data/session';
import { APP_RUN_ID, EVENT_PORT_CHANNEL, REQUEST_CHANNEL, SESSION_FILES_CHANNEL } from '../contract/channels';
import type { GradLabEvent } from '../contract/messages';
import type { RecentSession } from '../contract/session-files';
import { createTrainingSupervisor, type TrainingSupervisor } from '../training/supervisor';
import { APP_SCHEME, appProtocolResponse } from './app-protocol';
import { hardenWebContents, installPermissionPolicy, isTrustedSender } from './hardening';
import { createRequestRouter } from './ipc';
import { menuTemplate, type MenuCommand } from './menu';
import { createPythonHost, type PythonHost } from '../python/host/python-host';
import { utilityRunner } from './utility-runner';
import { utilityTraining } from './utility-training';
import { createSessionFileHandlers, sessionPathsFromArgv, type SessionFileHandlers } from './session-files';
import { mainWindowOptions, restoreBounds } from './window-options';

const here = __dirname; // dist/main after the esbuild bundle (CommonJS)
const rendererRoot = join(here, '..', 'web');
const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');

// Standard + the default persistent session: the page's IndexedDB/localStorage (the autosave) survive restarts.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME.scheme, privileges: { ...APP_SCHEME.privileges } }]);

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
  void window.loadURL('app://gradlab/index.html?audience=1');
}

let sessionFiles: SessionFileHandlers | null = null;

function sendCommand(command: MenuCommand, path?: string) {
  if (command === 'openAudienceWindow') openAudienceWindow();
  else if (command === 'clearRecent') void sessionFiles?.clearRecent();
  else emit({ type: 'appCommand', runId: APP_RUN_ID, command, ...(command === 'openRecent' && path ? { path } : {}) });
}

function buildMenu(recent: readonly RecentSession[]) {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, language(), sendCommand, recent)));
}

/** The OS's own recent-documents list (Dock / jump list) exists on macOS and Windows only. */
const osHasRecentDocuments = process.platform === 'darwin' || process.platform === 'win32';

function onRecentChange(recent: RecentSession[], touched: string | null) {
  buildMenu(recent);
  if (!osHasRecentDocuments) return;
  if (touched) app.addRecentDocument(touched);
  else if (recent.length === 0) app.clearRecentDocuments();
}

/** Files handed over before the handlers exist (macOS open-file can come before ready). */
const handedOver: string[] = [];

/** A .gradlab file the OS handed over (double-click, "Open with"): main trusts it and the window opens it. */
function openHandedOver(path: string) {
  if (!sessionFiles) {
    handedOver.push(path);
    return;
  }
  sessionFiles.trust(path);
  emit({ type: 'appCommand', runId: APP_RUN_ID, command: 'openRecent', path });
}

function createSessionFiles(): SessionFileHandlers {
  const zh = language() === 'zh-CN';
  const parent = () => mainWindow ?? undefined;
  return createSessionFileHandlers({
    userDataDir: app.getPath('userData'),
    documentsDir: app.getPath('documents'),
    onRecentChange,
    dialogs: {
      async chooseSavePath(defaultPath) {
        const options = { title: zh ? '保存会话' : 'Save Session', defaultPath, filters: SESSION_FILE_FILTERS, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
        const window = parent();
        const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        return result.canceled || !result.filePath ? null : result.filePath;
      },
      async chooseOpenPath(defaultDir) {
        const options = { title: zh ? '打开会话' : 'Open Session', defaultPath: defaultDir, filters: SESSION_FILE_FILTERS, properties: ['openFile'] as 'openFile'[] };
        const window = parent();
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
      },
    },
  });
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
  window.webContents.postMessage(EVENT_PORT_CHANNEL, null, [port2]);
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
  // The page asks (beforeunload) when the session has unsaved changes; Electron leaves the answer to us.
  window.webContents.on('will-prevent-unload', (event) => {
    const zh = language() === 'zh-CN';
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: zh ? ['保存…', '关闭，不保存', '取消'] : ['Save…', 'Close without saving', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: zh ? '有未保存的更改' : 'You have unsaved changes',
      detail: zh
        ? '要先把这次的数据和设置保存到 .gradlab 文件吗？不保存就关闭，它们会丢失。'
        : 'Save this session’s data and settings to a .gradlab file first? If you close without saving, they are lost.',
    });
    if (choice === 1) event.preventDefault(); // preventDefault here means: unload anyway
    // Save: the page stays; it saves (asking where if it has no file yet) and then closes itself.
    else if (choice === 0) emit({ type: 'appCommand', runId: APP_RUN_ID, command: 'saveAndClose' });
  });
  void window.loadURL('app://gradlab/index.html');
}

function language(): 'zh-CN' | 'en' {
  return app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Every webContents the app ever creates (windows, and anything they might open) gets the same
  // navigation, window-open and webview rules before it loads a page.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.on('second-instance', (_event, argv, workingDirectory) => {
    for (const path of sessionPathsFromArgv(argv, workingDirectory)) openHandedOver(path);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Training runs in a process of its own, and so does each Python program (utilityProcesses,
  // which can only start once the app is ready): a V8 fatal error there (memory exhausted, an
  // array past V8's largest size) ends only that process, and a fresh one takes its place.
  let training: TrainingSupervisor | null = null;
  let python: PythonHost | null = null;
  const route = createRequestRouter({
    training: { send: (request) => training?.send(request) },
    python: { run: (runId, source, recordGraph) => python?.run(runId, source, recordGraph), stop: (runId) => python?.stop(runId) },
    emit,
  });

  // Save / Open / recent files: request and response. Only the main window's own page may ask.
  ipcMain.handle(SESSION_FILES_CHANNEL, async (event, raw: unknown) => {
    if (!sessionFiles || !isTrustedSender(event, mainWindow)) {
      return { ok: false, canceled: false, problem: { kind: 'refused', reason: 'Only the main GradLab window may save or open sessions.' }, recent: [] };
    }
    return sessionFiles.handle(raw);
  });

  // macOS delivers double-clicked files as open-file (possibly before ready).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openHandedOver(path);
  });

  ipcMain.on(REQUEST_CHANNEL, (event, raw: unknown) => {
    if (isTrustedSender(event, mainWindow)) route(raw);
  });

  void app.whenReady().then(() => {
    training = createTrainingSupervisor({ spawn: () => utilityTraining(join(here, 'training-worker.cjs')), onEvent: emit });
    python = createPythonHost({ spawn: () => utilityRunner(join(here, 'python-runner.cjs')), emit });
    installPermissionPolicy(session.defaultSession);
    protocol.handle('app', (request) => appProtocolResponse(request.url, rendererRoot));
    sessionFiles = createSessionFiles();
    for (const path of [...sessionPathsFromArgv(process.argv, process.cwd()), ...handedOver.splice(0)]) openHandedOver(path);
    buildMenu([]);
    void sessionFiles.recent().then(buildMenu, () => undefined);
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void training?.dispose();
    python?.dispose();
  });
}
