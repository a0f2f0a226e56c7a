// Turns a lesson's Markdown into what LessonView shows: sanitized HTML for the prose (formulas
// rendered by KaTeX, headings carrying stable ids), runnable Python cells, and action buttons.
//
// Lesson syntax on top of CommonMark/GFM:
//   $...$ inline formula, $$...$$ display formula (KaTeX, rendered at build of the page, no remote
//   content); `## Heading {#section-id}` gives a section a stable id that is the same in every
//   language; a ```python block at the top level is a runnable cell; and
//     ```gradlab-action load-example <presetId>
//     Button label
//     ```
//   is a button that asks the app to load a lab preset.
import { Marked, type Token, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import katex from 'katex';
import hljs from 'highlight.js/lib/core';
import python from 'highlight.js/lib/languages/python';
import DOMPurify from 'dompurify';

hljs.registerLanguage('python', python);

export type LessonSegment =
  | { kind: 'html'; html: string }
  | { kind: 'cell'; index: number; source: string }
  | { kind: 'action'; action: 'load-example'; presetId: string; label: string };

/** The actions a lesson may ask for; anything else is shown as an error in the lesson. */
export const lessonActions = ['load-example'] as const;
export type LessonAction = (typeof lessonActions)[number];

const ACTION_LANG = 'gradlab-action';
const SECTION_ID = /\s*\{#([A-Za-z0-9_-]+)\}\s*$/;
/** Prefix for section ids in the page, so a lesson's `summary` cannot clash with the app's own ids. */
export const SECTION_ID_PREFIX = 'lesson-sec-';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function renderTex(tex: string, displayMode: boolean): string {
  // throwOnError: false shows a bad formula in red with its source instead of breaking the page;
  // the unit tests make sure no lesson contains one.
  return katex.renderToString(tex, { displayMode, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore' });
}

const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start(src: string) {
    const at = src.indexOf('$');
    return at < 0 ? undefined : at;
  },
  tokenizer(src: string) {
    // $...$ on one line; the content may not start or end with a space (so "costs $5 and $6" stays
    // text) and a closing $ directly followed by a digit does not count.
    const match = /^\$(?!\$)((?:\\[\s\S]|[^\\$\n])+?)\$(?!\d)/.exec(src);
    if (!match || match[1].trim() !== match[1]) return undefined;
    return { type: 'inlineMath', raw: match[0], text: match[1] };
  },
  renderer(token) {
    return renderTex((token as Tokens.Generic).text as string, false);
  },
};

const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start(src: string) {
    const match = /(^|\n)\$\$/.exec(src);
    return match ? match.index + match[1].length : undefined;
  },
  tokenizer(src: string) {
    const match = /^\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src);
    if (!match) return undefined;
    return { type: 'blockMath', raw: match[0], text: match[1].trim() };
  },
  renderer(token) {
    return `<div class="math-display">${renderTex((token as Tokens.Generic).text as string, true)}</div>\n`;
  },
};

/** Python source as highlighted HTML (only highlight.js's own span classes and escaped text). */
export function highlightPython(source: string): string {
  return hljs.highlight(source, { language: 'python', ignoreIllegals: true }).value;
}

function createMarked(): Marked {
  const marked = new Marked({ gfm: true, breaks: false });
  marked.use({
    extensions: [blockMath, inlineMath],
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const match = SECTION_ID.exec(inner);
        const text = match ? inner.slice(0, match.index) : inner;
        const id = match ? ` id="${SECTION_ID_PREFIX}${match[1]}"` : '';
        return `<h${depth}${id}>${text}</h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        // Only non-runnable blocks get here (runnable cells become segments): show them highlighted
        // when they are Python, as plain text otherwise.
        const language = (lang ?? '').trim().split(/\s+/)[0];
        const body = language === 'python' ? highlightPython(text) : escapeHtml(text);
        const cls = language ? ` class="hljs language-${escapeHtml(language)}"` : ' class="hljs"';
        return `<pre class="lesson-code"><code${cls}>${body}</code></pre>\n`;
      },
    },
  });
  return marked;
}

const marked = createMarked();

/**
 * Sanitizes HTML for the lesson pane: HTML, MathML (KaTeX's accessible copy) and SVG (KaTeX's
 * stretchy symbols) are kept; scripts, event handlers, forms and controls are dropped (a
 * forbidden element's text stays, as plain text).
 */
export function sanitizeLessonHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true, mathMl: true, svg: true },
    // KaTeX's MathML wraps the formula in <semantics> with the TeX source in <annotation>; both are
    // plain MathML (annotation-xml, the risky one, stays forbidden).
    ADD_TAGS: ['semantics', 'annotation'],
    ADD_ATTR: ['encoding'],
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'annotation-xml'],
    FORBID_ATTR: ['srcset'],
  });
}

/** One line of lesson Markdown (a heading's text: `code`, $math$, emphasis) as sanitized inline HTML. */
export function renderInline(markdown: string): string {
  return sanitizeLessonHtml(marked.parseInline(markdown) as string);
}

interface ActionBlock {
  action: string;
  presetId: string;
  label: string;
}

/** Parses a ```gradlab-action block; returns a message naming the problem when it is malformed. */
export function parseActionBlock(info: string, body: string): ActionBlock | { error: string } {
  const words = info.trim().split(/\s+/);
  if (words[0] !== ACTION_LANG) return { error: `Not an action block: "${info}"` };
  const [, action, presetId, ...rest] = words;
  if (!action || !presetId || rest.length > 0) {
    return { error: `An action block's first line must be "${ACTION_LANG} <action> <presetId>", got "${info.trim()}".` };
  }
  if (!(lessonActions as readonly string[]).includes(action)) {
    return { error: `Unknown lesson action "${action}"; known actions: ${lessonActions.join(', ')}.` };
  }
  const label = body.trim();
  if (!label) return { error: `The action "${action} ${presetId}" needs a button label on the line after the opening fence.` };
  return { action, presetId, label };
}

function infoOf(token: Tokens.Code): string {
  return (token.lang ?? '').trim();
}

function isPythonCell(token: Token): token is Tokens.Code {
  return token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented' && infoOf(token as Tokens.Code) === 'python';
}

function isActionBlock(token: Token): token is Tokens.Code {
  return token.type === 'code' && infoOf(token as Tokens.Code).split(/\s+/)[0] === ACTION_LANG;
}

/**
 * Splits a lesson body into segments in reading order. Consecutive prose blocks become one
 * sanitized HTML segment; each top-level ```python block becomes a cell (numbered from 0 in order);
 * each ```gradlab-action block becomes an action (a malformed one becomes a visible error).
 */
export function renderLessonBody(markdown: string): LessonSegment[] {
  const tokens = marked.lexer(markdown);
  const segments: LessonSegment[] = [];
  let prose: Token[] = [];
  let cellIndex = 0;
  const flush = () => {
    if (prose.length === 0) return;
    const html = sanitizeLessonHtml(marked.parser(prose));
    if (html.trim()) segments.push({ kind: 'html', html });
    prose = [];
  };
  for (const token of tokens) {
    if (isPythonCell(token)) {
      flush();
      segments.push({ kind: 'cell', index: cellIndex, source: token.text });
      cellIndex += 1;
    } else if (isActionBlock(token)) {
      flush();
      const parsed = parseActionBlock(infoOf(token), token.text);
      if ('error' in parsed) {
        segments.push({ kind: 'html', html: `<p class="lesson-error" role="alert">${escapeHtml(parsed.error)}</p>` });
      } else {
        segments.push({ kind: 'action', action: parsed.action as LessonAction, presetId: parsed.presetId, label: parsed.label });
      }
    } else {
      prose.push(token);
    }
  }
  flush();
  return segments;
}

/** What a lesson is made of, language-independently: used by the parity tests. */
export interface LessonStructure {
  sectionIds: string[];
  cells: string[];
  actions: string[];
}

export function lessonStructure(markdown: string): LessonStructure {
  const structure: LessonStructure = { sectionIds: [], cells: [], actions: [] };
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading') {
      const match = SECTION_ID.exec((token as Tokens.Heading).text);
      if (match) structure.sectionIds.push(match[1]);
    } else if (isPythonCell(token)) {
      structure.cells.push(token.text);
    } else if (isActionBlock(token)) {
      const parsed = parseActionBlock(infoOf(token), token.text);
      structure.actions.push('error' in parsed ? `invalid: ${parsed.error}` : `${parsed.action} ${parsed.presetId}`);
    }
  }
  return structure;
}

/** Every heading in the lesson, with whether it carries a `{#section-id}` (tests use this). */
export function lessonHeadings(markdown: string): { text: string; id: string | null }[] {
  return marked
    .lexer(markdown)
    .filter((token): token is Tokens.Heading => token.type === 'heading')
    .map((token) => {
      const match = SECTION_ID.exec(token.text);
      return { text: match ? token.text.slice(0, match.index) : token.text, id: match ? match[1] : null };
    });
}
