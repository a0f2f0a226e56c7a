// The window's whole view of the desktop side: `window.gradlab`, the same GradLabBridge the
// browser edition implements with Web Workers. Requests go to main (which validates them);
// events arrive on a MessagePort, so a fast run never means one IPC send per epoch.
import { contextBridge, ipcRenderer } from 'electron';
import type { GradLabBridge, GradLabEvent, Request } from '../training/protocol';

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

const api: GradLabBridge = {
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
