import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findJsonErrorOffset } from '../../../src-main/data/json-position';
import { extensionOf, loadDataFile, type LoadedDataFile } from '../../../src-main/data/load';
import { bytesOf, fixture, thrown } from './helpers/fixtures';

describe('loadDataFile', () => {
  it('dispatches by extension (any letter case)', () => {
    expect(loadDataFile('data/LESSON.CSV', bytesOf('x,y\n1,115\n2,21\n'))).toMatchObject({ fileKind: 'numbers', format: 'csv', kind: 'xy' });
    expect(loadDataFile('table.tsv', fixture('tab.tsv'))).toMatchObject({ format: 'csv', kind: 'xy' });
    expect(loadDataFile('lesson-xy.json', fixture('lesson-xy.json'))).toMatchObject({ format: 'json', kind: 'xy' });
    expect(loadDataFile('C:\\frogs\\x.npy', fixture('lesson-x.npy'))).toEqual({
      fileKind: 'numbers',
      format: 'npy',
      kind: 'values',
      values: Float32Array.of(1, 2),
      shape: [2],
    });
  });

  it('names the file in parser messages', () => {
    expect(thrown(() => loadDataFile('/home/ana/frogs.csv', bytesOf('1\nfrog\n'))).message).toBe(
      'Line 2, column 1: "frog" is not a number. Use digits with a decimal point, like 2.5 or -1e3.',
    );
    expect(thrown(() => loadDataFile('/home/ana/empty.csv', fixture('empty.csv'))).message).toMatch(/^empty\.csv is empty/);
    expect(thrown(() => loadDataFile('cut.npy', fixture('f4-truncated.npy'))).message).toMatch(/^cut\.npy is truncated/);
  });

  it('rejects a wrong extension with what it can open', () => {
    const error = thrown(() => loadDataFile('notes.md', fixture('notes.md')));
    expect(error.code).toBe('wrong-extension');
    expect(error.message).toBe(
      'notes.md is a .md file; GradLab opens .csv, .tsv, .txt (numbers), .json, .npy, or an image (.png, .jpg, .jpeg, .webp, .bmp, .gif). Save or export the data in one of these formats.',
    );
    expect(thrown(() => loadDataFile('README', bytesOf('1'))).message).toMatch(/^README is a file without an extension;/);
    expect(thrown(() => loadDataFile('lesson.gradlab', bytesOf('{}'))).message).toBe(
      'lesson.gradlab is a GradLab session, not data. Open it with File › Open Session.',
    );
    expect(thrown(() => loadDataFile('arrays.npz', bytesOf('PK'))).code).toBe('wrong-extension');
  });

  it('returns image files for the platform to decode, with their size from the header', () => {
    expect(loadDataFile('frog.png', fixture('small-40x24.png'))).toEqual({
      fileKind: 'image',
      format: 'png',
      mimeType: 'image/png',
      width: 40,
      height: 24,
    });
    expect(loadDataFile('frog.jpeg', fixture('small-40x24.jpg'))).toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg', width: 40 });
    expect(loadDataFile('frog.webp', fixture('small-40x24.webp'))).toMatchObject({ mimeType: 'image/webp', height: 24 });
    expect(loadDataFile('frog.gif', fixture('small-40x24.gif'))).toMatchObject({ mimeType: 'image/gif' });
    expect(loadDataFile('frog.bmp', fixture('small-40x24.bmp'))).toMatchObject({ mimeType: 'image/bmp' });
    // A JPEG renamed to .png: decoders sniff the content, so say what it really is.
    expect(loadDataFile('renamed.png', fixture('small-40x24.jpg'))).toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg' });
    expect(thrown(() => loadDataFile('frog.png', new Uint8Array(0))).message).toBe('frog.png is empty (0 bytes). Pick another image.');
  });

  it('refuses a 200-megapixel image from its header alone', () => {
    for (const name of ['huge-200mp-header.png', 'huge-200mp-header.jpg']) {
      const error = thrown(() => loadDataFile(name, fixture(name)));
      expect(error.code).toBe('image-too-large');
      expect(error.message).toBe(
        `${name} is 20,000 × 10,000 pixels (200 megapixels); GradLab opens images up to 50 megapixels. Shrink it in an image editor first — the lesson uses 64 × 64 anyway.`,
      );
    }
  });

  it('changes nothing on failure: the bytes stay as they were and the caller keeps its data', () => {
    let current: LoadedDataFile = loadDataFile('good.csv', bytesOf('1\n2\n'));
    const before = current;
    const bad = fixture('f4-truncated.npy');
    const copy = bad.slice();
    try {
      current = loadDataFile('bad.npy', bad);
    } catch {
      // the window shows the message; its data stays
    }
    expect(current).toBe(before);
    expect(bad).toEqual(copy);
  });

  it('extensionOf ignores folders and leading dots', () => {
    expect(extensionOf('/a.b/c')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('x.tar.NPY')).toBe('npy');
  });
});

describe('findJsonErrorOffset', () => {
  it('finds nothing wrong in valid JSON and agrees with JSON.parse on cut-off JSON (property)', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), (text, cut) => {
        expect(findJsonErrorOffset(text)).toBe(-1);
        const prefix = text.slice(0, cut % (text.length + 1));
        let parses = true;
        try {
          JSON.parse(prefix);
        } catch {
          parses = false;
        }
        expect(findJsonErrorOffset(prefix) === -1).toBe(parses);
      }),
      { numRuns: 300 },
    );
  });
});
