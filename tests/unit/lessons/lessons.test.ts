// Front matter, file naming and the lesson list (the lessons bundled with import.meta.glob).
import { describe, expect, it } from 'vitest';
import { lessonFile, lessonLanguages, lessonList, lessonProblems, lessonSource, parseLessonFile } from '../../../src-renderer/lessons/lessons';

const expectedIds = ['no-grad', 'scalar-backward', 'linear-regression', 'worked-example', 'frogs', 'nn-linear'];

describe('bundled lessons', () => {
  it('load without problems', () => {
    expect(lessonProblems()).toEqual([]);
  });

  for (const lang of lessonLanguages) {
    it(`${lang}: lists the six lessons in order with titles`, () => {
      const list = lessonList(lang);
      expect(list.map((l) => l.id)).toEqual(expectedIds);
      expect(list.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const entry of list) {
        expect(entry.title.trim().length).toBeGreaterThan(3);
        expect(lessonFile(entry.id, lang)?.fileName).toBe(`0${entry.order}-${entry.id}.md`);
      }
    });

    it(`${lang}: lessonSource returns the body without front matter`, () => {
      for (const { id } of lessonList(lang)) {
        const body = lessonSource(id, lang);
        expect(body.startsWith('---')).toBe(false);
        expect(body).not.toMatch(/^id:/m);
        expect(body.length).toBeGreaterThan(500);
      }
    });
  }

  it('titles differ between languages (the Chinese one is written in Chinese)', () => {
    for (const id of expectedIds) {
      const zh = lessonFile(id, 'zh-CN')!.title;
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toBe(lessonFile(id, 'en')!.title);
    }
  });

  it('an unknown id throws a message naming the lessons there are', () => {
    expect(() => lessonSource('no-such-lesson', 'en')).toThrow(/No lesson "no-such-lesson" in en; the lessons are: no-grad, scalar-backward/);
  });
});

describe('parseLessonFile', () => {
  const path = '../../assets/lessons/en/02-demo.md';
  const good = '---\nid: demo\ntitle: "A demo: with a colon"\norder: 2\n---\n\nBody text\n';

  it('reads id, title (quoted) and order, and strips the front matter', () => {
    const result = parseLessonFile(path, good);
    expect(result).toEqual({
      ok: true,
      lesson: { id: 'demo', title: 'A demo: with a colon', order: 2, lang: 'en', fileName: '02-demo.md', body: '\nBody text\n' },
    });
  });

  it('accepts Windows line endings and a byte order mark', () => {
    const result = parseLessonFile(path, '\uFEFF' + good.replace(/\n/g, '\r\n'));
    expect(result.ok && result.lesson.title).toBe('A demo: with a colon');
  });

  const bad: [string, string, string, RegExp][] = [
    ['no front matter', path, 'Body', /must start with front matter/],
    ['missing title', path, '---\nid: demo\norder: 2\n---\n', /missing "title"/],
    ['order not a number', path, '---\nid: demo\ntitle: T\norder: two\n---\n', /order "two" must be a whole number/],
    ['order zero', path, '---\nid: demo\ntitle: T\norder: 0\n---\n', /must be a whole number from 1 up/],
    ['bad id', path, '---\nid: Demo Lesson\ntitle: T\norder: 2\n---\n', /id "Demo Lesson" must be lowercase/],
    ['unknown key', path, '---\nid: demo\ntitle: T\norder: 2\nauthor: me\n---\n', /unknown front matter key\(s\) author/],
    ['duplicate key', path, '---\nid: demo\nid: demo\ntitle: T\norder: 2\n---\n', /"id" appears twice/],
    ['not key: value', path, '---\nid: demo\njust words\n---\n', /line 3 "just words" is not "key: value"/],
    ['file name disagrees', '../../assets/lessons/en/03-demo.md', good, /must be named 02-demo\.md/],
    ['unknown language folder', '../../assets/lessons/fr/02-demo.md', good, /unknown lesson language folder "fr"/],
  ];
  for (const [name, filePath, raw, message] of bad) {
    it(`rejects ${name} with a clear message`, () => {
      const result = parseLessonFile(filePath, raw);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(message);
        expect(result.error.startsWith(filePath)).toBe(true);
      }
    });
  }
});
