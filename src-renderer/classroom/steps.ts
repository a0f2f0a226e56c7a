// Splits a lesson's Markdown into presenter steps: one screenful a class reads at a time.
// A heading always starts a new step; within a section, blocks are grouped until a step would
// carry more than `maxUnits` of reading (a paragraph or a formula is 1 unit, a list 1 unit per 3
// items, a code block 1 unit per 8 lines). A single block is never cut, so a code cell or a
// formula always stays whole even when it is bigger than one step's budget. A paragraph that leads
// into the block after it (it ends in a colon, or runs on into a formula without a full stop) and a
// paragraph that carries on from the block before it (it starts in lower case: "which is …")
// always share a step with that block, so no step is a fragment of a thought.
import { Lexer, type Token, type Tokens } from 'marked';

export interface LessonStep {
  /** 0-based position in the lesson. */
  index: number;
  /** The step's Markdown, exactly as it appears in the lesson (blocks concatenated). */
  markdown: string;
  /** Text of the heading this step belongs to (the last one seen), null before the first heading. */
  heading: string | null;
  /** True when this step starts with its heading (the first screen of a section). */
  startsSection: boolean;
}

export interface SplitOptions {
  /** Largest reading budget of one step (see the file comment). */
  maxUnits?: number;
}

const SECTION_ID = /\s*\{#[A-Za-z0-9_-]+\}\s*$/;

/** Removes a leading `---` front-matter block, if any (lessonSource() already does; raw files do not). */
export function stripFrontMatter(source: string): string {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n[\s\S]*?\n---[ \t]*(?:\n|$)/.exec(text);
  return match ? text.slice(match[0].length) : text;
}

/** Whether a paragraph's Markdown leads into the next block: it ends in a colon or without a sentence's final stop. */
export function leadsOn(paragraph: string): boolean {
  return !/[.!?。！？…]["'”’)）*_`]*$/.test(paragraph.trim());
}

/** Whether a paragraph's Markdown carries on a sentence from the block before it (its first word is in lower case). */
export function carriesOn(paragraph: string): boolean {
  return /^\p{Ll}/u.test(paragraph.trim());
}

/** How much reading a block is worth (0 for blank space). */
export function blockUnits(token: Token): number {
  switch (token.type) {
    case 'space':
      return 0;
    case 'list':
      return Math.max(1, Math.ceil((token as Tokens.List).items.length / 3));
    case 'code': {
      const lines = (token as Tokens.Code).text.split('\n').length;
      return Math.max(1, Math.ceil(lines / 8));
    }
    default:
      return 1;
  }
}

export function splitLessonSteps(source: string, options: SplitOptions = {}): LessonStep[] {
  const maxUnits = options.maxUnits ?? 3;
  const tokens = new Lexer({ gfm: true }).lex(stripFrontMatter(source));
  const steps: LessonStep[] = [];
  let raw = '';
  let units = 0;
  let hasContent = false;
  let heading: string | null = null;
  let startsSection = false;
  /** The last block leads into the next one. */
  let leading = false;

  const flush = () => {
    if (hasContent && raw.trim()) {
      steps.push({ index: steps.length, markdown: raw.trim() + '\n', heading, startsSection });
    }
    raw = '';
    units = 0;
    hasContent = false;
    startsSection = false;
  };

  for (const token of tokens) {
    if (token.type === 'heading') {
      flush();
      heading = (token as Tokens.Heading).text.replace(SECTION_ID, '').trim();
      startsSection = true;
      raw = token.raw;
      hasContent = true;
      leading = false;
      continue;
    }
    const cost = blockUnits(token);
    if (cost === 0) {
      raw += token.raw;
      continue;
    }
    // A step that has only its heading (or nothing) takes the block whatever its size.
    const bound = leading || (token.type === 'paragraph' && carriesOn(token.raw));
    if (units > 0 && units + cost > maxUnits && !bound) flush();
    raw += token.raw;
    units += cost;
    hasContent = true;
    leading = token.type === 'paragraph' && leadsOn(token.raw);
  }
  flush();
  return steps;
}

/** The step shown after moving `delta` steps from `index`, kept inside the lesson. */
export function moveStep(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, index + delta));
}

/** Splits TeX at top-level `=` signs (not inside braces). */
function splitAtEquals(tex: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      i++; // an escaped character (\{, \\) never opens, closes or splits
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '=' && depth === 0) {
      parts.push(tex.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(tex.slice(start).trim());
  return parts;
}

/** One display formula laid out for a narrow column: a chain a = b = c becomes aligned lines. */
function stackFormula(tex: string): string {
  // A formula that already lays itself out (aligned, cases, line breaks) is left as written.
  if (/\\begin\{|&|\\\\/.test(tex)) return `$$${tex.trim()}$$`;
  const parts = splitAtEquals(tex);
  if (parts.length < 3 || parts.some((p) => p === '')) return `$$${tex.trim()}$$`;
  const [first, ...rest] = parts;
  return `$$\\begin{aligned}${first} &= ${rest.join(' \\\\ &= ')}\\end{aligned}$$`;
}

/**
 * A step's Markdown prepared for the projector, where type is never below 24 px and a formula
 * cannot shrink to fit: a display formula holding several formulas side by side (\qquad) becomes
 * one formula per line, and a chain `a = b = c` is stacked with the = signs aligned.
 */
export function presentableMarkdown(markdown: string): string {
  return markdown.replace(/^\$\$([^\n$]+?)\$\$[ \t]*$/gm, (_whole, tex: string) =>
    tex
      .split(/\\qquad(?![a-zA-Z])/)
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map(stackFormula)
      .join('\n\n'),
  );
}
