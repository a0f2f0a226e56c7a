// The browser keeps a copy of the current session so edited data survives a reload: IndexedDB
// (room for big image data), else localStorage. The copy is the .gradlab text itself, so restoring
// goes through the same parser as opening a file.
//
// The desktop app uses this very code: its pages come from app://gradlab, registered as a standard
// scheme (src-main/electron/app-protocol.ts, APP_SCHEME), which gives the origin IndexedDB and
// localStorage, and Electron's default session keeps them on disk under userData. So edited data
// survives quitting and restarting the app too (tests/electron/app.spec.ts restarts it to check).
const DB_NAME = 'gradlab';
const STORE = 'autosave';
const KEY = 'current';
const LOCAL_KEY = 'gradlab.autosave';

export interface AutosaveRecord {
  /** serializeSession's text. */
  text: string;
  /** True when the learner had changes not yet saved to a file. */
  dirty: boolean;
  /** Date.now() of the write: the newer of the two stores wins. */
  time: number;
  /** Desktop: the file the session came from, so Save after a restart writes there again (main checks the path). */
  file?: { path: string | null; name: string } | null;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB would not open'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = run(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result as T);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

function isRecord(value: unknown): value is AutosaveRecord {
  const record = value as AutosaveRecord;
  if (typeof value !== 'object' || value === null) return false;
  const file = record.file;
  const fileOk = file === undefined || file === null || (typeof file === 'object' && (typeof file.path === 'string' || file.path === null) && typeof file.name === 'string');
  return typeof record.text === 'string' && typeof record.dirty === 'boolean' && typeof record.time === 'number' && fileOk;
}

/**
 * A synchronous copy for the moment the page unloads (IndexedDB writes may not finish then).
 * Returns false when localStorage refuses it (too big, or unavailable).
 */
export function writeAutosaveNow(record: AutosaveRecord): boolean {
  try {
    localStorage.setItem(LOCAL_KEY, JSON.stringify(record));
    return true;
  } catch {
    return false;
  }
}

export async function writeAutosave(record: AutosaveRecord): Promise<void> {
  try {
    await withStore<IDBValidKey>('readwrite', (store) => store.put(record, KEY));
  } catch (indexedDbError) {
    try {
      localStorage.setItem(LOCAL_KEY, JSON.stringify(record));
    } catch {
      throw indexedDbError instanceof Error ? indexedDbError : new Error(String(indexedDbError));
    }
  }
}

/** The newest copy from either store, or null. */
export async function readAutosave(): Promise<AutosaveRecord | null> {
  let fromDb: AutosaveRecord | null = null;
  let fromLocal: AutosaveRecord | null = null;
  try {
    const value = await withStore<unknown>('readonly', (store) => store.get(KEY));
    if (isRecord(value)) fromDb = value;
  } catch {
    // IndexedDB unavailable: localStorage may still have a copy
  }
  try {
    const text = localStorage.getItem(LOCAL_KEY);
    const value: unknown = text ? JSON.parse(text) : null;
    if (isRecord(value)) fromLocal = value;
  } catch {
    // no usable copy there
  }
  if (fromDb && fromLocal) return fromDb.time >= fromLocal.time ? fromDb : fromLocal;
  return fromDb ?? fromLocal;
}
