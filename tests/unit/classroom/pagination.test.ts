import { describe, expect, it } from 'vitest';
import { formulaVariants, pageMarkdown, paginate, sentences, splitTopLevel, stepPieces } from '../../../src-renderer/classroom/presenter/pagination';

describe('sentences', () => {
  it('splits after sentence ends, never inside code, math, emphasis or links', () => {
    expect(sentences('One. Two `a. b` three! Four $x. y$ five? **Six. seven** end.')).toEqual(['One.', 'Two `a. b` three!', 'Four $x. y$ five?', '**Six. seven** end.']);
    expect(sentences('See [the docs. Really](http://a.b/c. d) now. Next')).toEqual(['See [the docs. Really](http://a.b/c. d) now.', 'Next']);
    expect(sentences('snake_case. names_here stay')).toEqual(['snake_case.', 'names_here stay']);
  });

  it('splits Chinese sentences after their full stops', () => {
    expect(sentences('先算损失。再反向传播！最后更新')).toEqual(['先算损失。', '再反向传播！', '最后更新']);
  });
});

describe('formulas', () => {
  it('splits at the shallowest bracket depth, not at a leading sign', () => {
    expect(splitTopLevel('2((1 - 115) + (4 - 21))', ['+', '-'])).toEqual(['2((1 - 115)', '+ (4 - 21))']);
    expect(splitTopLevel('-a + b', ['+', '-'])).toEqual(['-a', '+ b']);
    expect(splitTopLevel('L = \\frac{a+b}{2} = c', ['='])).toEqual(['L', '= \\frac{a+b}{2}', '= c']);
  });

  it('offers narrower settings: first at the = signs, then the widest line at its + and − signs', () => {
    const variants = formulaVariants('L = (a - b)^2 + (c - d)^2 = 5');
    expect(variants[0]).toBe('$$L = (a - b)^2 + (c - d)^2 = 5$$');
    expect(variants[1]).toBe('$$\\begin{aligned}&L \\\\ &= (a - b)^2 + (c - d)^2 \\\\ &= 5\\end{aligned}$$');
    expect(variants[2]).toBe('$$\\begin{aligned}&L \\\\ &= (a - b)^2 \\\\ &\\quad + (c - d)^2 \\\\ &= 5\\end{aligned}$$');
    // Then, as a last resort, inside the brackets; never more than four narrowing steps.
    expect(variants.length).toBeLessThanOrEqual(2 + 4);
  });
});

describe('paginate', () => {
  const markdown = ['## Heading', '', 'First sentence. Second sentence. Third sentence.', '', '```python', 'a = 1', 'b = 2', 'c = 3', '```', '', '- one', '- two'].join('\n');
  const pieces = stepPieces(markdown);
  /** A page fits when it has at most `lines` lines of Markdown (a stand-in for measuring it). */
  const byLines = (lines: number) => (md: string) => md.trim().split('\n').length <= lines;

  it('keeps a step on one page when it fits', () => {
    const { pages, variants } = paginate(pieces, () => true);
    expect(pages).toHaveLength(1);
    expect(pageMarkdown(pieces, pages[0], variants).trim()).toBe(markdown.replace(/\n\n/g, '\n\n').trim());
  });

  it('splits between code lines, list items and sentences, losing and repeating nothing', () => {
    const { pages, variants } = paginate(pieces, byLines(5));
    expect(pages.length).toBeGreaterThan(2);
    const text = pages.map((page) => pageMarkdown(pieces, page, variants)).join('\n');
    for (const part of ['## Heading', 'First sentence.', 'Third sentence.', 'a = 1', 'c = 3', '- one', '- two']) {
      expect(text.split(part).length - 1).toBe(1);
    }
    for (const page of pages) expect(byLines(5)(pageMarkdown(pieces, page, variants))).toBe(true);
    // A code block split across pages is still a fenced block on each page.
    for (const page of pages.map((p) => pageMarkdown(pieces, p, variants))) {
      expect((page.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });

  it('never leaves a heading alone at the bottom of a page', () => {
    const { pages, variants } = paginate(pieces, byLines(2));
    const first = pageMarkdown(pieces, pages[0], variants);
    expect(first).toContain('## Heading');
    expect(first).toContain('First sentence.');
  });

  it('picks the widest formula setting that fits the width', () => {
    const math = stepPieces('$$L = (a - b)^2 + (c - d)^2 = 5$$');
    const { variants } = paginate(math, () => true, (md) => !md.includes('+ (c') || md.includes('\\quad'));
    expect(variants).toEqual([2]);
  });
});
