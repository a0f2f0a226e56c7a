// State of the lessons' runnable cells, kept outside the components so that a cell's edits, its
// output and even a program still running survive switching lessons or languages. Edits are
// persisted to localStorage; outputs live for the session.
import { bridge, newRunId } from '../bridge';
import type { CellGraph } from '../../src-main/contract/graph';
import type { GradLabBridge, GradLabEvent } from '../../src-main/contract/messages';
import { appendOutput, editedSource, loadEdits, saveEdits, type CellEdits } from './cell-logic';
import { errorMessage } from '../../src-main/contract/error-message';

export type CellStatus = 'idle' | 'running' | 'done' | 'error' | 'stopped';

export interface CellRun {
  status: CellStatus;
  output: string;
  truncated: boolean;
  /** Python's last traceback line, e.g. "RuntimeError: grad can be implicitly created only for scalar outputs". */
  errorLine: string | null;
  /** 1-based source line of the error, when the runner knows it. */
  errorLineNumber: number | null;
  /** The runner itself died under the program (and was replaced): the cell explains it. */
  runnerLost: 'outOfMemory' | 'crashed' | null;
  /** The code this run ran (the traceback quotes it, whatever the editor shows now). */
  ranSource: string;
  runId: string | null;
}

const idleRun = (): CellRun => ({ status: 'idle', output: '', truncated: false, errorLine: null, errorLineNumber: null, runnerLost: null, ranSource: '', runId: null });

/** If the runner never confirms a Stop (it crashed or is missing), the cell stops waiting after this long. */
const STOP_CONFIRM_TIMEOUT_MS = 1500;
const SAVE_DELAY_MS = 250;

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export class LessonCells {
  #bridge: GradLabBridge;
  #edits = $state<CellEdits>({});
  #runs = $state<Record<string, CellRun>>({});
  /** The autograd graph each cell's last finished run built (plain data, replaced whole). */
  #graphs = $state.raw<Record<string, CellGraph>>({});
  // Plain Map on purpose: routing bookkeeping for bridge events, never shown.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #keyByRunId = new Map<string, string>();
  #unsubscribe: (() => void) | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(gradlabBridge: GradLabBridge) {
    this.#bridge = gradlabBridge;
    this.#edits = loadEdits(browserStorage());
    if (typeof window !== 'undefined') window.addEventListener('pagehide', () => this.#saveNow());
  }

  /** The code the cell shows now. */
  source(key: string, original: string): string {
    return editedSource(this.#edits, key, original);
  }

  isEdited(key: string, original: string): boolean {
    return this.source(key, original) !== original;
  }

  setSource(key: string, original: string, source: string): void {
    if (source === original) delete this.#edits[key];
    else this.#edits[key] = { original, source };
    this.#clearErrorMark(key);
    this.#scheduleSave();
  }

  /**
   * Puts the cell back as the lesson has it: the lesson's code and no run (a program still
   * running is stopped; its output and status belonged to the code that was replaced).
   */
  reset(key: string): void {
    delete this.#edits[key];
    const current = this.#runs[key];
    if (current?.status === 'running' && current.runId) {
      this.#keyByRunId.delete(current.runId);
      this.#bridge.send({ type: 'stopPython', runId: current.runId });
    }
    delete this.#runs[key];
    this.#scheduleSave();
  }

  run(key: string): CellRun {
    return this.#runs[key] ?? idleRun();
  }

  /** The graph of the cell's last finished run, or null (not run, still running, or stopped). */
  graph(key: string): CellGraph | null {
    return this.#graphs[key] ?? null;
  }

  /** Starts the program; a run already going in this cell is replaced. */
  start(key: string, source: string): void {
    this.#listen();
    const previous = this.#runs[key];
    if (previous?.status === 'running' && previous.runId) this.#bridge.send({ type: 'stopPython', runId: previous.runId });
    const runId = newRunId('py');
    this.#keyByRunId.set(runId, key);
    this.#runs[key] = { ...idleRun(), status: 'running', ranSource: source, runId };
    try {
      this.#setGraph(key, null);
      this.#bridge.send({ type: 'runPython', runId, source, recordGraph: true });
    } catch (error) {
      this.#finish(key, { status: 'error', errorLine: `InternalError: ${errorMessage(error)}` });
    }
  }

  stop(key: string): void {
    const current = this.#runs[key];
    if (!current || current.status !== 'running' || !current.runId) return;
    const runId = current.runId;
    this.#bridge.send({ type: 'stopPython', runId });
    setTimeout(() => {
      const still = this.#runs[key];
      if (still?.runId === runId && still.status === 'running') this.#finish(key, { status: 'stopped' });
    }, STOP_CONFIRM_TIMEOUT_MS);
  }

  #listen(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#bridge.onEvent((event) => this.#onEvent(event));
  }

  #onEvent(event: GradLabEvent): void {
    if (event.type !== 'pyOutput' && event.type !== 'pyDone') return;
    const key = this.#keyByRunId.get(event.runId);
    if (key === undefined) return;
    const current = this.#runs[key];
    if (!current || current.runId !== event.runId) {
      this.#keyByRunId.delete(event.runId);
      return;
    }
    if (event.type === 'pyOutput') {
      const next = appendOutput(current.output, event.text);
      current.output = next.text;
      current.truncated ||= next.truncated;
      return;
    }
    this.#keyByRunId.delete(event.runId);
    this.#setGraph(key, event.graph ?? null);
    if (event.stopped) this.#finish(key, { status: 'stopped' });
    else if (event.ok) this.#finish(key, { status: 'done' });
    else this.#finish(key, { status: 'error', errorLine: event.errorLine ?? 'Error', errorLineNumber: event.line ?? null, runnerLost: event.runnerLost ?? null });
  }

  #setGraph(key: string, graph: CellGraph | null): void {
    const { [key]: _old, ...others } = this.#graphs;
    this.#graphs = graph === null ? others : { ...others, [key]: graph };
  }

  #finish(key: string, patch: Partial<CellRun>): void {
    const current = this.#runs[key] ?? idleRun();
    this.#runs[key] = { ...current, ...patch, runId: null };
  }

  #clearErrorMark(key: string): void {
    const current = this.#runs[key];
    if (current && current.errorLineNumber !== null) current.errorLineNumber = null;
  }

  #scheduleSave(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.#saveNow(), SAVE_DELAY_MS);
  }

  #saveNow(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    // $state.snapshot: plain data for JSON, not the reactive proxy.
    saveEdits(browserStorage(), $state.snapshot(this.#edits));
  }
}

/** The one store the lesson pane uses. */
export const lessonCells = new LessonCells(bridge);
