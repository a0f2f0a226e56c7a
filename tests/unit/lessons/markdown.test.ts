// @vitest-environment jsdom
// Markdown -> segments: KaTeX markup for $...$ and $$...$$, highlighted code, stable section ids,
// cells and actions split out, and every HTML segment sanitized by DOMPurify.
import { describe, expect, it } from 'vitest';
import { highlightPython, parseActionBlock, renderLessonBody, sanitizeLessonHtml, SECTION_ID_PREFIX, type LessonSegment } from '../../../src-renderer/lessons/markdown';
import { lessonLanguages, lessonList, lessonSource } from '../../../src-renderer/lessons/lessons';

const htmlOf = (segments: LessonSegment[]) =>
  segments
    .filter((s): s is Extract<LessonSegment, { kind: 'html' }> => s.kind === 'html')
    .map((s) => s.html)
    .join('\n');

function dom(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html;
  return root;
}

describe('formulas', () => {
  it('renders inline $...$ with KaTeX, with MathML for screen readers', () => {
    const root = dom(htmlOf(renderLessonBody('The line $y = wx + b$ is straight.')));
    const katex = root.querySelector('.katex');
    expect(katex).not.toBeNull();
    expect(root.querySelector('.katex-display')).toBeNull();
    expect(root.querySelector('.katex math annotation')?.textContent).toBe('y = wx + b');
    expect(root.querySelector('.katex-html')?.getAttribute('aria-hidden')).toBe('true');
    expect(root.textContent).toContain('is straight.');
  });

  it('renders $$...$$ as a display formula', () => {
    const root = dom(htmlOf(renderLessonBody('Loss:\n\n$$L = \\frac{1}{n} \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2$$\n\nDone.')));
    const display = root.querySelector('.math-display .katex-display');
    expect(display).not.toBeNull();
    expect(display!.querySelector('.mfrac')).not.toBeNull();
    expect(display!.querySelector('annotation')?.textContent).toBe('L = \\frac{1}{n} \\sum_{i=1}^{n} (\\hat{y}_i - y_i)^2');
  });

  it('leaves dollars in code and prices alone', () => {
    const html = htmlOf(renderLessonBody('Use `$x$` in code. It costs $5 and $6 today.'));
    expect(html).toContain('<code>$x$</code>');
    expect(html).not.toContain('katex');
  });

  it('shows a broken formula as an error instead of throwing', () => {
    const html = htmlOf(renderLessonBody('Broken: $\\frac{1}{$ end'));
    expect(html).toContain('katex-error');
  });
});

describe('sanitizing', () => {
  it('removes scripts, event handlers and javascript: links from lesson HTML', () => {
    const html = htmlOf(
      renderLessonBody('<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n<iframe src="https://example.com"></iframe>\n\nText <b onclick="alert(4)">bold</b>'),
    );
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe/i);
    const root = dom(html);
    expect(root.querySelector('img')?.getAttribute('src')).toBe('x.png');
    expect(root.querySelector('b')?.textContent).toBe('bold');
  });

  it('does not let raw HTML in a lesson add buttons or forms', () => {
    const html = sanitizeLessonHtml('<form action="/x"><button onclick="x()">Go</button><input value="1"></form><p>ok</p>');
    const root = dom(html);
    expect(root.querySelectorAll('form, button, input')).toHaveLength(0);
    expect(html).not.toContain('onclick');
    expect(root.querySelector('p')?.textContent).toBe('ok');
  });

  it('keeps KaTeX output intact through the sanitizer', () => {
    const html = htmlOf(renderLessonBody('$$w \\leftarrow w - \\mathrm{lr} \\cdot \\frac{\\partial L}{\\partial w}$$'));
    const root = dom(html);
    expect(root.querySelector('math')).not.toBeNull();
    expect(root.querySelector('math semantics annotation[encoding="application/x-tex"]')?.textContent).toContain('\\leftarrow');
    expect(root.querySelector('.katex-html [style*="height"]')).not.toBeNull();
    expect(root.querySelector('.mfrac')).not.toBeNull();
  });
});

describe('segments', () => {
  const source = [
    '## First part {#first}',
    '',
    'Intro with `code`.',
    '',
    '```python',
    'import torch',
    'print(torch.tensor(1.0))',
    '```',
    '',
    '```text',
    'not runnable <b>',
    '```',
    '',
    '```gradlab-action load-example lesson-example',
    'Load it',
    '```',
    '',
    '```python',
    'print(2)',
    '```',
  ].join('\n');

  it('splits prose, cells and actions in reading order', () => {
    const segments = renderLessonBody(source);
    expect(segments.map((s) => s.kind)).toEqual(['html', 'cell', 'html', 'action', 'cell']);
    expect(segments[1]).toEqual({ kind: 'cell', index: 0, source: 'import torch\nprint(torch.tensor(1.0))' });
    expect(segments[3]).toEqual({ kind: 'action', action: 'load-example', presetId: 'lesson-example', label: 'Load it' });
    expect(segments[4]).toEqual({ kind: 'cell', index: 1, source: 'print(2)' });
  });

  it('gives headings their section id and removes the {#id} marker', () => {
    const root = dom(htmlOf(renderLessonBody(source)));
    const heading = root.querySelector('h2');
    expect(heading?.id).toBe(`${SECTION_ID_PREFIX}first`);
    expect(heading?.textContent).toBe('First part');
  });

  it('escapes non-python code blocks', () => {
    const html = htmlOf(renderLessonBody(source));
    expect(html).toContain('not runnable &lt;b&gt;');
  });

  it('turns a malformed action into a visible message', () => {
    const segments = renderLessonBody('```gradlab-action launch-rockets now\nGo\n```');
    expect(segments).toHaveLength(1);
    expect(htmlOf(segments)).toContain('Unknown lesson action &quot;launch-rockets&quot;');
  });

  it('parseActionBlock explains what is wrong', () => {
    expect(parseActionBlock('gradlab-action load-example', 'Label')).toEqual({
      error: 'An action block\'s first line must be "gradlab-action <action> <presetId>", got "gradlab-action load-example".',
    });
    expect(parseActionBlock('gradlab-action load-example frogs-similar', '  ')).toEqual({
      error: 'The action "load-example frogs-similar" needs a button label on the line after the opening fence.',
    });
  });

  it('highlights python with highlight.js classes only', () => {
    const html = highlightPython('for i in range(3):\n    print("hi", 2)  # note');
    expect(html).toContain('<span class="hljs-keyword">for</span>');
    expect(html).toContain('<span class="hljs-string">&quot;hi&quot;</span>');
    expect(html).toContain('<span class="hljs-comment"># note</span>');
    expect(highlightPython('x = "<script>"')).not.toContain('<script>');
  });
});

describe('every bundled lesson renders', () => {
  for (const lang of lessonLanguages) {
    for (const { id } of lessonList(lang)) {
      it(`${lang}/${id}: formulas without errors, no leftover markdown, sanitized`, () => {
        const segments = renderLessonBody(lessonSource(id, lang));
        const html = htmlOf(segments);
        const root = dom(html);
        expect(root.querySelectorAll('.katex-error')).toHaveLength(0);
        expect(html).not.toMatch(/<script|on\w+=/i);
        const text = root.textContent ?? '';
        // Unrendered markup would show as literal text.
        expect(text).not.toMatch(/\*\*|\$\$|\{#[a-z-]+\}/);
        expect(text.replace(/\$/g, '').length).toBe(text.length);
        if (/\$/.test(lessonSource(id, lang).replace(/```[\s\S]*?```/g, ''))) {
          expect(root.querySelectorAll('.katex').length).toBeGreaterThan(0);
        }
        expect(root.querySelectorAll('h2[id^="lesson-sec-"]').length).toBeGreaterThanOrEqual(4);
        expect(segments.filter((s) => s.kind === 'cell').length).toBeGreaterThanOrEqual(1);
      });
    }
  }
});
