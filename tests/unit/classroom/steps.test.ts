import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { moveStep, presentableMarkdown, splitLessonSteps, stripFrontMatter } from '../../../src-renderer/classroom/steps';

const lessonsDir = join(import.meta.dirname, '../../../assets/lessons');

describe('splitLessonSteps', () => {
  it('starts a new step at every heading and keeps the text before the first heading as step 1', () => {
    const steps = splitLessonSteps('Intro one.\n\n## First {#first}\n\nA.\n\n## Second\n\nB.\n');
    expect(steps.map((s) => s.heading)).toEqual([null, 'First', 'Second']);
    expect(steps[0].markdown).toBe('Intro one.\n');
    expect(steps[1].markdown).toContain('## First {#first}');
    expect(steps[1].startsSection).toBe(true);
    expect(steps.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('groups paragraphs up to the budget and continues the section on the next step', () => {
    const body = ['## Long', 'P1.', 'P2.', 'P3.', 'P4.', 'P5.'].join('\n\n');
    const steps = splitLessonSteps(body, { maxUnits: 2 });
    expect(steps.map((s) => s.markdown.trim())).toEqual(['## Long\n\nP1.\n\nP2.', 'P3.\n\nP4.', 'P5.']);
    expect(steps.map((s) => s.heading)).toEqual(['Long', 'Long', 'Long']);
    expect(steps.map((s) => s.startsSection)).toEqual([true, false, false]);
  });

  it('keeps a paragraph ending in a colon in the step of the block it introduces', () => {
    const body = ['## Look', 'P1.', 'P2.', 'Watch the printout:', '```python\nprint(1)\n```', 'P3.'].join('\n\n');
    const steps = splitLessonSteps(body, { maxUnits: 3 });
    expect(steps.map((s) => s.markdown.trim())).toEqual(['## Look\n\nP1.\n\nP2.\n\nWatch the printout:\n\n```python\nprint(1)\n```', 'P3.']);
  });

  it('never cuts a code block, even one bigger than a whole step', () => {
    const code = Array.from({ length: 30 }, (_, i) => `print(${i})`).join('\n');
    const body = `## Code\n\nBefore.\n\n\`\`\`python\n${code}\n\`\`\`\n\nAfter.\n`;
    const steps = splitLessonSteps(body, { maxUnits: 3 });
    const withCode = steps.filter((s) => s.markdown.includes('print(0)'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0].markdown).toContain('print(29)');
    expect(withCode[0].markdown.match(/```/g)).toHaveLength(2);
  });

  it('drops front matter', () => {
    expect(stripFrontMatter('---\nid: a\ntitle: "T"\norder: 1\n---\nBody\n')).toBe('Body\n');
    expect(splitLessonSteps('---\nid: a\n---\nBody\n')[0].markdown).toBe('Body\n');
  });

  it('splits every bundled lesson without losing or reordering any text', () => {
    for (const lang of ['en', 'zh-CN']) {
      for (const file of readdirSync(join(lessonsDir, lang))) {
        const source = readFileSync(join(lessonsDir, lang, file), 'utf8');
        const steps = splitLessonSteps(source);
        expect(steps.length, `${lang}/${file}`).toBeGreaterThan(2);
        const squash = (text: string) => text.replace(/\s+/g, '');
        expect(squash(steps.map((s) => s.markdown).join('\n')), `${lang}/${file}`).toBe(squash(stripFrontMatter(source)));
        for (const step of steps) {
          // Fences stay balanced inside each step.
          expect((step.markdown.match(/^```/gm) ?? []).length % 2, `${lang}/${file} step ${step.index}`).toBe(0);
        }
      }
    }
  });

  it('gives the same number of steps in both languages for the worked example (same structure)', () => {
    const en = splitLessonSteps(readFileSync(join(lessonsDir, 'en/04-worked-example.md'), 'utf8'));
    const zh = splitLessonSteps(readFileSync(join(lessonsDir, 'zh-CN/04-worked-example.md'), 'utf8'));
    expect(en.filter((s) => s.startsSection).length).toBe(zh.filter((s) => s.startsSection).length);
  });
});

describe('moveStep', () => {
  it('stays inside the lesson', () => {
    expect(moveStep(0, -1, 5)).toBe(0);
    expect(moveStep(4, 1, 5)).toBe(4);
    expect(moveStep(2, 1, 5)).toBe(3);
    expect(moveStep(3, 0, 2)).toBe(1);
    expect(moveStep(3, 1, 0)).toBe(0);
  });
});

describe('presentableMarkdown', () => {
  it('stacks a chain a = b = c with aligned = signs, and puts \\qquad-separated formulas on their own lines', () => {
    const step = 'Loss:\n\n$$L = \\frac{a}{2} = \\frac{b}{2}$$\n\nInline $x = y = z$ stays.\n';
    expect(presentableMarkdown(step)).toBe('Loss:\n\n$$\\begin{aligned}L &= \\frac{a}{2} \\\\ &= \\frac{b}{2}\\end{aligned}$$\n\nInline $x = y = z$ stays.\n');
    expect(presentableMarkdown('$$a = 1 \\qquad b = 2$$\n')).toBe('$$a = 1$$\n\n$$b = 2$$\n');
  });

  it('splits only at top-level = signs and leaves code and multi-line formulas alone', () => {
    expect(presentableMarkdown('$$f_{a=1} = 2$$')).toBe('$$f_{a=1} = 2$$');
    expect(presentableMarkdown('$$\\{x\\} = y = z$$')).toBe('$$\\begin{aligned}\\{x\\} &= y \\\\ &= z\\end{aligned}$$');
    expect(presentableMarkdown('$$\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}$$')).toBe('$$\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}$$');
    const text = '```python\nx = 1\n```\n\n$$\na\n$$\n';
    expect(presentableMarkdown(text)).toBe(text);
  });

  it('keeps every formula of the bundled lessons renderable (same number of $$ pairs or more, none lost)', () => {
    for (const lang of ['en', 'zh-CN']) {
      for (const file of readdirSync(join(lessonsDir, lang))) {
        const source = stripFrontMatter(readFileSync(join(lessonsDir, lang, file), 'utf8'));
        const out = presentableMarkdown(source);
        expect((out.match(/\$\$/g) ?? []).length).toBeGreaterThanOrEqual((source.match(/\$\$/g) ?? []).length);
        const squash = (text: string) => text.replace(/\\begin\{aligned\}|\\end\{aligned\}|&|\\\\(\[\w+\])?|\\qquad|\s|\$/g, '');
        expect(squash(out)).toBe(squash(source));
      }
    }
  });
});
