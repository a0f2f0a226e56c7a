// The Chinese and English versions of each lesson carry the same sections, the same runnable
// cells, the same action buttons and the same numbers; and together they carry what
// ../shared/lesson-brief.md requires.
import { describe, expect, it } from 'vitest';
import { lessonList, lessonSource, type LessonLang } from '../../../src-renderer/lessons/lessons';
import { lessonHeadings, lessonStructure } from '../../../src-renderer/lessons/markdown';

const ids = lessonList('en').map((l) => l.id);

/** Decimal numbers and numbers of two or more digits in the prose and formulas (code cells excluded). */
function proseNumbers(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, ' ');
  const found = prose.match(/-?\d[\d,]*\.\d+|-?\d{2,}(?:,\d{3})*/g) ?? [];
  return [...new Set(found.map((n) => n.replace(/,/g, '')))].sort();
}

describe('zh-CN and en lessons match', () => {
  it('both languages have the same lessons in the same order', () => {
    expect(lessonList('zh-CN').map((l) => [l.id, l.order])).toEqual(lessonList('en').map((l) => [l.id, l.order]));
  });

  for (const id of ids) {
    describe(id, () => {
      const zh = lessonSource(id, 'zh-CN');
      const en = lessonSource(id, 'en');

      it('has the same section ids', () => {
        expect(lessonStructure(zh).sectionIds).toEqual(lessonStructure(en).sectionIds);
        expect(lessonStructure(en).sectionIds.length).toBeGreaterThanOrEqual(4);
      });

      it('gives every heading a section id, each used once', () => {
        for (const source of [zh, en]) {
          const headings = lessonHeadings(source);
          expect(headings.filter((h) => h.id === null)).toEqual([]);
          const idsInLesson = headings.map((h) => h.id);
          expect(new Set(idsInLesson).size).toBe(idsInLesson.length);
        }
      });

      it('has the same code cells, byte for byte', () => {
        expect(lessonStructure(zh).cells).toEqual(lessonStructure(en).cells);
      });

      it('has the same action buttons', () => {
        expect(lessonStructure(zh).actions).toEqual(lessonStructure(en).actions);
      });

      it('quotes the same numbers', () => {
        expect(proseNumbers(zh)).toEqual(proseNumbers(en));
      });

      it('has the same formulas', () => {
        const formulas = (s: string) => (s.match(/\$\$[\s\S]+?\$\$/g) ?? []).map((f) => f.replace(/\s+/g, ' '));
        expect(formulas(zh)).toEqual(formulas(en));
      });
    });
  }
});

describe('the lessons carry the brief', () => {
  const both = (id: string, check: (source: string, lang: LessonLang) => void) => {
    for (const lang of ['zh-CN', 'en'] as const) check(lessonSource(id, lang), lang);
  };
  const cellsOf = (id: string) => lessonStructure(lessonSource(id, 'en')).cells;

  it('lesson 1 shows requires_grad_(False), detach() and no_grad()', () => {
    const cells = cellsOf('no-grad').join('\n');
    expect(cells).toContain('x.requires_grad_(False)');
    expect(cells).toContain('y = x.detach()');
    expect(cells).toContain('with torch.no_grad():\n    y = x + 2');
  });

  it('lesson 2 has the working scalar case, the failing vector case and the three fixes', () => {
    const cells = cellsOf('scalar-backward');
    expect(cells[0]).toContain('w = torch.tensor(1.0, requires_grad=True)');
    expect(cells[1]).toContain('w = torch.tensor([1.0,2.0],requires_grad=True)');
    expect(cells.join('\n')).toMatch(/\.sum\(\)[\s\S]*\.mean\(\)[\s\S]*backward\(gradient=/);
    both('scalar-backward', (s) => {
      expect(s).toContain('RuntimeError: grad can be implicitly created only for scalar outputs');
      expect(s).toContain('tensor([0., 4.])');
    });
  });

  it('lesson 3 explains linear, regression, matrices, the frogs, the loss, the gradients and the update', () => {
    both('linear-regression', (s) => {
      expect(s).toMatch(/A = 2/);
      expect(s).toMatch(/B = 4/);
      expect(s).toContain('$$y = wx + b$$');
      expect(s).toContain('\\frac{1}{n} \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2');
      expect(s).toContain('\\frac{2}{n} \\sum_{i=1}^{n} (\\hat{y}_i - y_i)\\,x_i');
      expect(s).toContain('w \\leftarrow w - \\mathrm{lr} \\cdot \\frac{\\partial L}{\\partial w}');
      expect(s).toContain('1000');
      expect(s).toContain('w.grad.zero_()');
    });
  });

  it('lesson 4 carries every number of the worked example and the load button', () => {
    both('worked-example', (s) => {
      for (const n of ['6642.5', '183.0799', '51.8260', '-9.4314', '45.1103', '96.9363', '115', '62.4444', '-15.7777', '52.5554', '114.9998', '0.01']) {
        expect(s, n).toContain(n);
      }
      expect(s).toContain('51.8260 \\times 1 + 45.1103 = 96.9363');
      expect(s).toContain('62.4444 \\times 1 + 52.5554 = 114.9998');
    });
    expect(lessonStructure(lessonSource('worked-example', 'en')).actions).toEqual(['load-example lesson-example']);
  });

  it('lesson 5 has the frog cell and both frog presets', () => {
    expect(lessonStructure(lessonSource('frogs', 'en')).actions).toEqual(['load-example frogs-similar', 'load-example frogs-different']);
    both('frogs', (s) => {
      expect(s).toContain('0.0833');
      expect(s).toContain('1000');
    });
  });
});
