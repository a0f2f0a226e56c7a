import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CELL_STORAGE_KEY, appendOutput, cellKey, editedSource, loadEdits, saveEdits } from '../../../src-renderer/lessons/cell-logic';

class MemoryStorage {
  items = new Map<string, string>();
  failWrites = false;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.failWrites) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('cell edits', () => {
  it('round-trip through storage, keeping only real edits', () => {
    const storage = new MemoryStorage();
    const edits = { [cellKey('worked-example', 1)]: { original: 'a = 1', source: 'a = 2' }, [cellKey('frogs', 0)]: { original: 'x', source: 'x' } };
    expect(saveEdits(storage, edits)).toBe(true);
    expect(loadEdits(storage)).toEqual({ 'worked-example#1': { original: 'a = 1', source: 'a = 2' } });
  });

  it('removes the storage entry when nothing is edited', () => {
    const storage = new MemoryStorage();
    storage.setItem(CELL_STORAGE_KEY, '{}');
    saveEdits(storage, {});
    expect(storage.getItem(CELL_STORAGE_KEY)).toBeNull();
  });

  it('ignores corrupt or foreign storage instead of breaking the lesson', () => {
    const storage = new MemoryStorage();
    for (const junk of ['not json', '[]', '42', 'null', '{"k": 3}', '{"k": {"original": 1, "source": "x"}}']) {
      storage.setItem(CELL_STORAGE_KEY, junk);
      expect(loadEdits(storage)).toEqual({});
    }
    storage.setItem(CELL_STORAGE_KEY, '{"good": {"original": "a", "source": "b"}, "bad": {"source": "c"}}');
    expect(loadEdits(storage)).toEqual({ good: { original: 'a', source: 'b' } });
    expect(loadEdits(null)).toEqual({});
  });

  it('reports a refused write so the app carries on in memory', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    expect(saveEdits(storage, { k: { original: 'a', source: 'b' } })).toBe(false);
    expect(saveEdits(null, {})).toBe(false);
  });

  it('shows an edit only while the lesson still has the code it was made on', () => {
    const edits = { k: { original: 'old lesson code', source: 'my edit' } };
    expect(editedSource(edits, 'k', 'old lesson code')).toBe('my edit');
    expect(editedSource(edits, 'k', 'new lesson code')).toBe('new lesson code');
    expect(editedSource(edits, 'other', 'code')).toBe('code');
  });

  it('keys cells by lesson and position, not language', () => {
    expect(cellKey('scalar-backward', 1)).toBe('scalar-backward#1');
  });
});

describe('output and editor helpers', () => {
  it('appendOutput keeps the newest characters within the limit', () => {
    expect(appendOutput('ab', 'cd', 10)).toEqual({ text: 'abcd', truncated: false });
    expect(appendOutput('abcdef', 'ghij', 5)).toEqual({ text: 'fghij', truncated: true });
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 50 }), (a, b, limit) => {
        const { text, truncated } = appendOutput(a, b, limit);
        expect(text.length).toBeLessThanOrEqual(Math.max(limit, 0));
        expect((a + b).endsWith(text)).toBe(true);
        expect(truncated).toBe((a + b).length > limit);
      }),
    );
  });
});
