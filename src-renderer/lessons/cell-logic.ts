// The pure parts of the runnable cells (no runes, no DOM), kept apart so unit tests can reach them:
// how edited sources are keyed, stored and restored, and how streamed output is capped.

/** localStorage key for learners' edits to lesson cells. Bump the version if the shape changes. */
export const CELL_STORAGE_KEY = 'gradlab.lessonCells.v1';

/** Streamed output kept per cell; beyond this only the tail is shown (the runner caps its own output too). */
export const OUTPUT_CHAR_LIMIT = 200_000;

export interface CellEdit {
  /** The lesson's version the edit started from: if the lesson changes, the stale edit is dropped. */
  original: string;
  source: string;
}
export type CellEdits = Record<string, CellEdit>;

/** Cells are numbered in reading order; the code is the same in every language, so the key has no language. */
export function cellKey(lessonId: string, index: number): string {
  return `${lessonId}#${index}`;
}

type ReadableStorage = Pick<Storage, 'getItem'>;
type WritableStorage = Pick<Storage, 'setItem' | 'removeItem'>;

/** Reads saved edits, ignoring anything that is not a well-formed entry (a corrupt entry never breaks a lesson). */
export function loadEdits(storage: ReadableStorage | null): CellEdits {
  const edits: CellEdits = {};
  let parsed: unknown;
  try {
    const text = storage?.getItem(CELL_STORAGE_KEY);
    if (!text) return edits;
    parsed = JSON.parse(text);
  } catch {
    return edits;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return edits;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const { original, source } = value as Record<string, unknown>;
    if (typeof original === 'string' && typeof source === 'string' && source !== original) {
      edits[key] = { original, source };
    }
  }
  return edits;
}

/** Writes the edits; returns false when storage refused (full or disabled), so the caller can carry on in memory. */
export function saveEdits(storage: WritableStorage | null, edits: CellEdits): boolean {
  if (!storage) return false;
  const kept: CellEdits = {};
  for (const [key, edit] of Object.entries(edits)) {
    if (edit.source !== edit.original) kept[key] = { original: edit.original, source: edit.source };
  }
  try {
    if (Object.keys(kept).length === 0) storage.removeItem(CELL_STORAGE_KEY);
    else storage.setItem(CELL_STORAGE_KEY, JSON.stringify(kept));
    return true;
  } catch {
    return false;
  }
}

/** The code a cell shows: the learner's edit when it was made on this version of the lesson, else the lesson's code. */
export function editedSource(edits: CellEdits, key: string, original: string): string {
  const edit = edits[key];
  return edit && edit.original === original ? edit.source : original;
}

/** Appends streamed text, keeping at most `limit` characters (the newest ones). */
export function appendOutput(current: string, text: string, limit = OUTPUT_CHAR_LIMIT): { text: string; truncated: boolean } {
  const joined = current + text;
  if (joined.length <= limit) return { text: joined, truncated: false };
  return { text: joined.slice(joined.length - limit), truncated: true };
}
