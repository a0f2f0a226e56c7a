// The open session as a document: which file it came from, whether it has unsaved changes, the
// browser's copy of it (so edited data survives a reload), Save / Open through the edition's file
// backend, and the one message the session menu shows. Plain TypeScript, reactive through
// createSubscriber like the run store, so it is unit tested with a fake backend and a fake copy.
// The app owns the data: the document only calls getSession / applySession.
import { createSubscriber } from 'svelte/reactivity';
import { longDataVectors, serializeSession, type Session } from '../../src-main/data/session';
import { FloatEncodings } from '../../src-main/data/float-encodings';
import type { DataMessage } from '../../src-main/data/messages';
import type { RecentSession } from '../../src-main/contract/session-files';
import { errorMessage } from '../../src-main/contract/error-message';
import type { AutosaveRecord } from './autosave';
import type { FileBackend, OpenSource, SessionFile } from './file-backends';
import { openSessionText, sessionFingerprint, windowTitle, type SessionProblem } from './session-io';
import type { SessionStringKey } from './strings';

export interface SessionMessage {
  tone: 'ok' | 'error';
  key: SessionStringKey;
  params: Record<string, string | number>;
  detail?: string;
  detailMessage?: DataMessage;
  /** Says that nothing of the current work was changed (after a refused file or a failed save). */
  kept?: boolean;
  translated?: Record<string, SessionStringKey>;
}

/** Where the browser's copy lives (autosave.ts; a fake in tests). */
export interface AutosaveStore {
  read(): Promise<AutosaveRecord | null>;
  write(record: AutosaveRecord): Promise<void>;
  /** Synchronous, for the moment the page unloads; false when refused. */
  writeNow(record: AutosaveRecord): boolean;
}

export interface SessionDocumentDeps {
  /** Everything to save, read from the app's state. */
  getSession: () => Session;
  /** Puts an opened or restored session into the app. Throwing leaves the message shown and nothing marked saved. */
  applySession: (session: Session, how: { source: 'file' | 'autosave'; name: string }) => void;
  files: FileBackend;
  /** null: no copy is kept or restored. */
  autosave: AutosaveStore | null;
  /** Told whenever "unsaved changes" turns on or off (e.g. for the desktop shell's close prompt). */
  onDirtyChange?: (dirty: boolean) => void;
  /**
   * True while a run trains: a pending copy then waits, since capturing and encoding a large
   * session (a 786,432-value image) on the window's thread would stall its frames. The app calls
   * changed() again when the run ends.
   */
  isBusy?: () => boolean;
  /**
   * Resolves in a later task (default: a zero-delay timer). The browser copy of new big data (a
   * 512x512 image: its digest and its base64) is worked out a piece per task, so the window's
   * frames go on in between.
   */
  nextTask?: () => Promise<void>;
}

const nextTimerTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Edits are copied after this pause (ms), but never more than MAX_DELAY_MS behind. */
const DEBOUNCE_MS = 700;
const MAX_DELAY_MS = 5000;

export class SessionDocument {
  #file: SessionFile | null = null;
  #recent: RecentSession[] = [];
  #message: SessionMessage | null = null;
  #dirty = false;
  #ready = false;
  #busyWithFile = false;
  /** A file was opened while the copy was still being read (e.g. a double-clicked file at start): it wins. */
  #fileApplied = false;

  /** Fingerprint of the last saved/opened state; null: nothing saved matches (dirty until saved). */
  #baseline: string | null = null;
  /** Set after open/restore/startup: the next settled state becomes the baseline (clean) or stays dirty. */
  #pendingBaseline: 'clean' | 'dirty' | null = 'clean';
  #copied: { fingerprint: string | null; dirty: boolean; filePath: string | null } = { fingerprint: null, dirty: false, filePath: null };
  /** Set once the session was edited or saved: from then on the browser keeps a copy of it. */
  #worthKeeping = false;
  /** Copies not yet written (a reload right after a save must not lose them). */
  #writesInFlight = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;
  #firstPendingAt: number | null = null;

  /**
   * The data's vectors encoded once per array (the lab replaces its x and y arrays on every edit and
   * never writes into one), so an autosave after loading 512x512 images, or after any later edit,
   * does not encode them again on the window's thread.
   */
  readonly #encodings = new FloatEncodings();

  #changed: (() => void) | null = null;
  readonly #subscribe = createSubscriber((update) => {
    this.#changed = update;
    return () => {
      this.#changed = null;
    };
  });

  constructor(private readonly deps: SessionDocumentDeps) {}

  #notify(): void {
    this.#changed?.();
  }

  // ---- what the menu shows ----

  get file(): SessionFile | null {
    this.#subscribe();
    return this.#file;
  }
  get recent(): readonly RecentSession[] {
    this.#subscribe();
    return this.#recent;
  }
  get message(): SessionMessage | null {
    this.#subscribe();
    return this.#message;
  }
  get dirty(): boolean {
    this.#subscribe();
    return this.#dirty;
  }
  /** The window title: the file's name and a mark for unsaved changes. */
  get title(): string {
    return windowTitle(this.file?.name ?? null, this.dirty);
  }
  get desktop(): boolean {
    return this.deps.files.edition === 'desktop';
  }

  say(message: SessionMessage | null): void {
    this.#message = message;
    this.#notify();
  }

  showProblem(problem: SessionProblem): void {
    this.say({ tone: 'error', key: problem.key, params: problem.params, detail: problem.detail, detailMessage: problem.detailMessage, kept: true, translated: problem.translated });
  }

  // ---- start, edits and the browser's copy ----

  /** Brings back the copy from last time (unless a file was opened meanwhile); then edits count. */
  async start(): Promise<void> {
    const store = this.deps.autosave;
    if (store) {
      const record = await store.read();
      if (record && !this.#fileApplied) this.#restore(record);
    }
    this.#ready = true;
    if (this.desktop) void this.refreshRecent();
  }

  #restore(record: AutosaveRecord): void {
    const opened = openSessionText('autosave', record.text);
    if (!opened.ok) return;
    try {
      this.deps.applySession(opened.session, { source: 'autosave', name: 'autosave' });
    } catch {
      // The app could not take it (e.g. its format changed): start fresh rather than half-restored.
      this.#pendingBaseline = 'clean';
      return;
    }
    this.#pendingBaseline = record.dirty ? 'dirty' : 'clean';
    this.#copied.dirty = record.dirty;
    // A path only means something to the desktop's main process (which checks it again).
    this.#file = record.file ? { name: record.file.name, path: this.desktop ? record.file.path : null } : null;
    this.#copied.filePath = this.#file?.path ?? null;
    this.say({ tone: 'ok', key: this.deps.files.words.restored, params: {} });
  }

  /**
   * The app's state changed (`session` is it now). Right after start, open or restore it becomes
   * the baseline at once, so an edit made within the debounce time still counts as a change;
   * otherwise the copy is refreshed after a pause.
   */
  changed(session: Session): void {
    if (!this.#ready) return;
    if (this.#pendingBaseline) this.#settle(session);
    else this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    const now = Date.now();
    this.#firstPendingAt ??= now;
    const delay = now - this.#firstPendingAt > MAX_DELAY_MS ? 0 : DEBOUNCE_MS;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#firstPendingAt = null;
      if (!this.deps.isBusy?.()) this.#copyWhenPrepared();
    }, delay);
  }

  /**
   * Settles once the data's long vectors have their digest and base64 (worked out in short tasks;
   * at once when they have them). An edit meanwhile schedules its own copy, and a run that starts
   * meanwhile settles when it ends, so then this one does nothing.
   */
  #copyWhenPrepared(): void {
    const prepared = this.#encodings.prepare(longDataVectors(this.deps.getSession()), this.deps.nextTask ?? nextTimerTask);
    if (!prepared) {
      this.#settle(this.deps.getSession());
      return;
    }
    void prepared.then(() => {
      if (this.#timer === null && !this.#disposed && !this.deps.isBusy?.()) this.#settle(this.deps.getSession());
    });
  }

  #setDirty(value: boolean): void {
    if (this.#dirty === value) return;
    this.#dirty = value;
    this.#notify();
    this.deps.onDirtyChange?.(value);
  }

  /** Compares with the baseline and refreshes the browser's copy. */
  #settle(session: Session): { fingerprint: string; text: string | null } {
    const fingerprint = sessionFingerprint(session, this.#encodings);
    if (this.#pendingBaseline) {
      this.#baseline = this.#pendingBaseline === 'clean' ? fingerprint : null;
      if (this.#copied.fingerprint === null && this.#pendingBaseline === 'dirty') this.#copied.fingerprint = fingerprint;
      this.#pendingBaseline = null;
    }
    const isDirty = fingerprint !== this.#baseline;
    this.#setDirty(isDirty);
    let text: string | null = null;
    // An untouched start is not copied; anything edited, opened or saved is.
    const filePath = this.#file?.path ?? null;
    const copied = this.#copied;
    const changed = fingerprint !== copied.fingerprint || isDirty !== copied.dirty || filePath !== copied.filePath;
    this.#worthKeeping ||= isDirty;
    const store = this.deps.autosave;
    if (store && changed && (copied.fingerprint !== null || this.#worthKeeping)) {
      text = serializeSession(session, new Date(), this.#encodings);
      this.#copied = { fingerprint, dirty: isDirty, filePath };
      this.#writesInFlight++;
      store
        .write({ text, dirty: isDirty, time: Date.now(), file: this.#file })
        .catch((error: unknown) => this.say({ tone: 'error', key: 'msg.autosaveFailed', params: { reason: errorMessage(error) } }))
        .finally(() => this.#writesInFlight--);
    }
    return { fingerprint, text };
  }

  /** The page is going away: copy what is not copied yet. True when there are unsaved changes (ask first). */
  beforeUnload(): boolean {
    if (!this.#ready) return false;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const session = this.deps.getSession();
    const { text, fingerprint } = this.#settle(session);
    // The copy's IndexedDB write may not finish while the page goes away (this one, or one started
    // just before, e.g. by a save); localStorage is synchronous.
    const store = this.deps.autosave;
    if (store && (text !== null || fingerprint !== this.#baseline || this.#writesInFlight > 0)) {
      store.writeNow({ text: text ?? serializeSession(session, new Date(), this.#encodings), dirty: this.#dirty, time: Date.now(), file: this.#file });
    }
    return this.#dirty;
  }

  // ---- files ----

  /** After a save: what was saved is the new baseline; edits made while a dialog was open stay unsaved. */
  #markSaved(saved: Session): void {
    // Saved before the debounced copy ran (e.g. right after a quick run): still keep a copy.
    this.#worthKeeping = true;
    this.#baseline = sessionFingerprint(saved, this.#encodings);
    this.#pendingBaseline = null;
    this.#settle(this.deps.getSession());
  }

  #saveFailed(error: unknown): void {
    this.say({ tone: 'error', key: 'msg.saveFailed', params: { reason: errorMessage(error) }, kept: true });
  }

  /** Save (to the file the session came from, or asking where) or Save As (always asking); true once saved. */
  async save(saveAs = false): Promise<boolean> {
    if (this.#busyWithFile) return false;
    let session: Session;
    let text: string;
    try {
      session = this.deps.getSession();
      text = serializeSession(session, new Date(), this.#encodings);
    } catch (error) {
      this.#saveFailed(error);
      return false;
    }
    this.#busyWithFile = true;
    try {
      const result = await this.deps.files.save(text, { saveAs, current: this.#file });
      if (result.recent) this.#recent = result.recent;
      if (!result.ok) {
        if (result.problem) this.showProblem(result.problem);
        else this.#notify();
        return false;
      }
      if (result.file) this.#file = result.file;
      this.#markSaved(session);
      this.say({ tone: 'ok', key: this.deps.files.words.saved, params: { name: result.savedName } });
      return true;
    } catch (error) {
      this.#saveFailed(error);
      return false;
    } finally {
      this.#busyWithFile = false;
    }
  }

  /** The desktop close prompt's "Save": close only once everything is saved (Cancel or a failure keeps the window). */
  async saveAndClose(close: () => void): Promise<void> {
    if (!(await this.save(false))) return;
    if (this.#dirty) return; // edited again while the dialog was open: the next close asks again
    close();
  }

  /** Opens a session (main's dialog, a recent entry or a picked file); a damaged file or one the app refuses changes nothing. */
  async open(source: OpenSource): Promise<void> {
    if (this.#busyWithFile) return;
    this.#busyWithFile = true;
    try {
      const result = await this.deps.files.open(source);
      if (result.recent) this.#recent = result.recent;
      if (!result.ok) {
        if (result.problem) this.showProblem(result.problem);
        else this.#notify();
        return;
      }
      this.#applyOpened(result.name, result.text, result.file);
    } finally {
      this.#busyWithFile = false;
    }
  }

  #applyOpened(name: string, text: string, file: SessionFile): void {
    const opened = openSessionText(name, text);
    if (!opened.ok) {
      this.showProblem(opened.problem);
      return;
    }
    try {
      this.deps.applySession(opened.session, { source: 'file', name });
    } catch (error) {
      this.showProblem({ key: 'error.invalid', params: { name }, detail: errorMessage(error) });
      return;
    }
    this.#file = file;
    this.#fileApplied = true;
    this.#pendingBaseline = 'clean';
    this.#setDirty(false);
    this.say({ tone: 'ok', key: 'msg.opened', params: { name, when: new Date(opened.session.savedAt).toLocaleString() } });
  }

  /** The desktop's recent list; entries whose file vanished are dropped by main and named here. */
  async refreshRecent(): Promise<void> {
    const result = await this.deps.files.recent();
    if (!result) return;
    this.#recent = result.recent;
    this.#notify();
    if (result.dropped.length > 0) this.say({ tone: 'ok', key: 'desk.dropped', params: { names: result.dropped.join(', ') } });
  }

  async clearRecent(): Promise<void> {
    const recent = await this.deps.files.clearRecent();
    if (!recent) return;
    this.#recent = recent;
    this.#notify();
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
