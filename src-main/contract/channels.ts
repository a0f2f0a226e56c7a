// Channel names and the app's run id: plain constants with no imports, so the sandboxed preload
// can import them without pulling valibot or any schema into its bundle.

/** Renderer -> main: every training and Python request (ipcRenderer.send; main validates it). */
export const REQUEST_CHANNEL = 'gradlab:request';
/** Main -> renderer: hands over the MessagePort that carries every event (no IPC send per epoch). */
export const EVENT_PORT_CHANNEL = 'gradlab:port';
/** The ipcMain.handle channel for every SessionFileRequest. */
export const SESSION_FILES_CHANNEL = 'gradlab:session-files';
/** Run id for messages that belong to the app, not to a run. */
export const APP_RUN_ID = 'app';
