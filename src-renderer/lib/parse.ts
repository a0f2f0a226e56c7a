// Reading what the learner typed or pasted. Nothing here fixes or drops input: a cell is either a
// number or an error that says why, and the caller keeps the original text.

export type CellResult = { ok: true; value: number } | { ok: false; reason: 'empty' | 'notNumber' };

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number such as 3, -2.5, .5 or 1e-3 (surrounding spaces allowed); anything else is an error. */
export function parseCell(text: string): CellResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (!NUMBER_PATTERN.test(trimmed)) return { ok: false, reason: 'notNumber' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, reason: 'notNumber' };
  return { ok: true, value };
}

/**
 * Spreadsheet clipboard text -> rows of cells (tab between columns, newline between rows).
 * Returns null for plain single-value text so the browser's normal paste happens.
 * Only the single trailing newline spreadsheets add is removed; empty cells stay empty.
 */
export function parseSpreadsheetPaste(text: string): string[][] | null {
  if (!/[\t\r\n]/.test(text)) return null;
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.split('\t'));
}

/** Splits "1, 2, 3" (commas, spaces or both; Chinese commas too) into the typed pieces, keeping each as written. */
export function splitList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(/\s*[,，;\s]\s*/).filter((piece) => piece !== '');
}
