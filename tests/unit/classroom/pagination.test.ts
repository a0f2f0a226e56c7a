import { describe, expect, it } from 'vitest';
import { formulaVariants, pageMarkdown, paginate, sentences, splitTopLevel, statementBreak, stepPieces } from '../../../src-renderer/classroom/presenter/pagination';

describe('sentences', () => {
  it('splits after sentence ends, never inside code, math, emphasis or links', () => {
    expect(sentences('One. Two `a. b` three! Four $x. y$ five? **Six. seven** end.')).toEqual(['One.', 'Two `a. b` three!', 'Four $x. y$ five?', '**Six. seven** end.']);
    expect(sentences('See [the docs. Really](http://a.b/c. d) now. Next')).toEqual(['See [the docs. Really](http://a.b/c. d) now.', 'Next']);
    expect(sentences('snake_case. Names_here stay')).toEqual(['snake_case.', 'Names_here stay']);
  });

  it('never ends a sentence at a colon or semicolon, or before a word in lower case', () => {
    // Lesson 1's first paragraph: "press Run…" alone on a page read as a fragment.
    expect(sentences('Every grey box below is real code: press **Run** to try it. Then go on; or stop.')).toEqual(['Every grey box below is real code: press **Run** to try it.', 'Then go on; or stop.']);
    expect(sentences('Use e.g. torch.no_grad() here. Done')).toEqual(['Use e.g. torch.no_grad() here.', 'Done']);
    expect(sentences('先算损失；再反向传播：最后更新。然后重复')).toEqual(['先算损失；再反向传播：最后更新。', '然后重复']);
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

  it('moves a block that fits on a page of its own to the next page instead of splitting it', () => {
    const twoParagraphs = stepPieces('One. Two. Three.\n\nFour. Five. Six.');
    const { pages, variants } = paginate(twoParagraphs, (md) => md.split(/[.]/).length - 1 <= 4);
    expect(pages.map((page) => pageMarkdown(twoParagraphs, page, variants).trim())).toEqual(['One. Two. Three.', 'Four. Five. Six.']);
  });

  it('takes a paragraph ending in a colon to the next page with the block it introduces', () => {
    const intro = stepPieces('First thought.\n\nWatch the printout:\n\n```python\na = 1\nb = 2\n```');
    const { pages, variants } = paginate(intro, byLines(6));
    expect(pages.map((page) => pageMarkdown(intro, page, variants).trim())).toEqual(['First thought.', 'Watch the printout:\n\n```python\na = 1\nb = 2\n```']);
    // With only a heading before it, the introduction stays and the block is split after it.
    const headed = stepPieces('## Look\n\nWatch the printout:\n\n```python\na = 1\nb = 2\nc = 3\n```');
    const split = paginate(headed, byLines(7));
    expect(pageMarkdown(headed, split.pages[0], split.variants).trim()).toBe('## Look\n\nWatch the printout:\n\n```python\na = 1\n```');
  });

  it('takes the last sentence of a paragraph leading into a formula along when the whole paragraph cannot go', () => {
    const lesson3 = stepPieces('## The loss\n\nWe guess. We square. This is our loss:\n\n$$L = 1$$');
    const { pages, variants } = paginate(lesson3, byLines(3));
    expect(pages.map((page) => pageMarkdown(lesson3, page, variants).trim())).toEqual(['## The loss\n\nWe guess. We square.', 'This is our loss:\n\n$$L = 1$$']);
  });

  it('keeps a formula with the paragraph that runs on after it ("which is …")', () => {
    const runOn = stepPieces('First thought.\n\nThe model is\n\n$$y = w x + b$$\n\nwhich is a line.');
    const { pages, variants } = paginate(runOn, byLines(5));
    expect(pages.map((page) => pageMarkdown(runOn, page, variants).trim())).toEqual(['First thought.', 'The model is\n\n$$y = w x + b$$\n\nwhich is a line.']);
  });

  it('splits code before a statement at the left margin, keeping a loop with its body', () => {
    const lines = ['import torch', 'x = 1', 'for i in range(3):', '    y = x * i', '    print(y)', 'print(x)'];
    expect(statementBreak(lines, 0, 4)).toBe(2);
    expect(statementBreak(lines, 0, 5)).toBe(5);
    // Never below half of what fits; never past the end.
    expect(statementBreak(['a', '  b', '  c', '  d', '  e', 'f'], 0, 4)).toBe(4);
    expect(statementBreak(lines, 3, 6)).toBe(6);
    expect(statementBreak(['if a:', '    b', 'else:', '    c'], 0, 2)).toBe(2);
    expect(statementBreak(['if a:', '    b', 'else:', '    c', 'd'], 0, 3)).toBe(3);
  });

  it('picks the widest formula setting that fits the width', () => {
    const math = stepPieces('$$L = (a - b)^2 + (c - d)^2 = 5$$');
    const { variants } = paginate(math, () => true, (md) => !md.includes('+ (c') || md.includes('\\quad'));
    expect(variants).toEqual([2]);
  });
});
