// The window's whole view of the desktop side: `window.gradlab`, the same GradLabBridge the
// browser edition implements with Web Workers. Requests go to main (which validates them);
// events arrive on a MessagePort, so a fast run never means one IPC send per epoch. Session files
// are request/response (ipcRenderer.invoke on one channel); main validates and answers each.
import { contextBridge, ipcRenderer } from 'electron';
import type {
  GradLabBridge,
  GradLabEvent,
  Request,
  SESSION_FILES_CHANNEL,
  SessionFileMethod,
  SessionFileRequestMap,
  SessionFileResultMap,
  SessionFilesApi,
} from '../training/protocol';

// Types only from the protocol: a value import would pull valibot and every schema into the
// sandboxed preload. The type makes the compiler check this literal against the contract's.
const filesChannel: typeof SESSION_FILES_CHANNEL = 'gradlab:session-files';

type Listener = (event: GradLabEvent) => void;
const listeners = new Set<Listener>();

ipcRenderer.on('gradlab:port', (event) => {
  const [port] = event.ports;
  if (!port) return;
  port.onmessage = (message: MessageEvent<GradLabEvent>) => {
    for (const listener of listeners) listener(message.data);
  };
  port.start();
});

function invoke<M extends SessionFileMethod>(request: SessionFileRequestMap[M]): Promise<SessionFileResultMap[M]> {
  return ipcRenderer.invoke(filesChannel, request) as Promise<SessionFileResultMap[M]>;
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
    ipcRenderer.send('gradlab:request', request);
  },
  onEvent(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

contextBridge.exposeInMainWorld('gradlab', api);
