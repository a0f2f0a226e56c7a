// The window's whole view of the desktop side: `window.gradlab`, the same GradLabBridge the
// browser edition implements with Web Workers. Requests go to main (which validates them);
// events arrive on a MessagePort, so a fast run never means one IPC send per epoch. Session files
// are request/response (ipcRenderer.invoke on one channel); main validates and answers each.
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_PORT_CHANNEL, REQUEST_CHANNEL, SESSION_FILES_CHANNEL } from '../contract/channels';
import type { GradLabBridge, GradLabEvent, Request } from '../contract/messages';
import type { SessionFileMethod, SessionFileRequestMap, SessionFileResultMap, SessionFilesApi } from '../contract/session-files';

// Values only from contract/channels (it imports nothing); everything else is types, so neither
// valibot nor any schema ends up in the sandboxed preload's bundle (tests/unit/electron/bundles.test.ts).

type Listener = (event: GradLabEvent) => void;
const listeners = new Set<Listener>();

ipcRenderer.on(EVENT_PORT_CHANNEL, (event) => {
  const [port] = event.ports;
  if (!port) return;
  port.onmessage = (message: MessageEvent<GradLabEvent>) => {
    for (const listener of listeners) listener(message.data);
  };
  port.start();
});

function invoke<M extends SessionFileMethod>(request: SessionFileRequestMap[M]): Promise<SessionFileResultMap[M]> {
  return ipcRenderer.invoke(SESSION_FILES_CHANNEL, request) as Promise<SessionFileResultMap[M]>;
}

const files: SessionFilesApi = {
  saveSession: (args) => invoke<'saveSession'>({ method: 'saveSession', ...args }),
  openSession: () => invoke<'openSession'>({ method: 'openSession' }),
  openRecent: (path) => invoke<'openRecent'>({ method: 'openRecent', path }),
  recentSessions: () => invoke<'recentSessions'>({ method: 'recentSessions' }),
  clearRecent: () => invoke<'clearRecent'>({ method: 'clearRecent' }),
};

const api: GradLabBridge = {
  files,
  platform: 'electron',
  send(request: Request) {
    ipcRenderer.send(REQUEST_CHANNEL, request);
  },
  onEvent(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

contextBridge.exposeInMainWorld('gradlab', api);
