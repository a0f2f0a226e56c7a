// Pages of a presenter step: the step's blocks packed, in order, into pages that fit the lesson
// column (measured in the page, so it holds for every screen size and both languages). A block
// that does not fit on a page of its own is split where a reader would split it: a code block
// between lines, a list between items, a paragraph between sentences. A display formula wider
// than the column is stacked at its = signs first (then at its + and − signs too).
//
// The packing is pure: `fits(markdown)` says whether a page of that Markdown fits the column
// (LessonStage.svelte renders it into a hidden copy of the column to find out).
import { Lexer, type Tokens } from 'marked';
import { carriesOn, leadsOn } from '../steps';

/** One block of the step, split into the smallest units it may be divided at. */
export interface Piece {
  kind: 'heading' | 'code' | 'list' | 'paragraph' | 'math' | 'table' | 'other';
  /** code: lines; list: items' Markdown; paragraph: sentences; table: body rows; otherwise the one block (math: its variants, narrowest last). */
  units: string[];
  /** code: the fence's info string; table: its header and delimiter rows (repeated on every page). */
  info: string;
  /** list: the first item's number (0 for a bullet list). */
  start: number;
}

/** A run of one piece's units on a page: units [from, to). math uses `variant` instead. */
export interface Slice {
  piece: number;
  from: number;
  to: number;
}

export type Page = Slice[];

const DISPLAY_MATH = /^\$\$([\s\S]+?)\$\$\s*$/;

/**
 * Splits TeX before the given operators where they are outside braces and at the shallowest
 * bracket depth any of them has (so `2((1 - 115) + (4 - 21))` splits at the +, not inside the
 * parentheses). An operator with nothing but operators before it (a sign) is not a split.
 */
export function splitTopLevel(tex: string, operators: readonly string[]): string[] {
  const candidates: { at: number; depth: number }[] = [];
  let braces = 0;
  let brackets = 0;
  let start = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') braces++;
    else if (c === '}') braces--;
    else if (c === '(' || c === '[') brackets++;
    else if (c === ')' || c === ']') brackets--;
    else if (braces === 0 && operators.includes(c) && /[^\s=+-]/.test(tex.slice(start, i))) {
      candidates.push({ at: i, depth: brackets });
      start = i;
    }
  }
  const shallowest = Math.min(...candidates.map((c) => c.depth));
  const cuts = candidates.filter((c) => c.depth === shallowest).map((c) => c.at);
  return [0, ...cuts].map((at, k) => tex.slice(at, cuts[k] ?? tex.length).trim());
}

/** A formula's rows: the rows of an aligned environment (spacing like \\[6pt] dropped), else the one formula. */
function formulaRows(tex: string): { rows: string[]; aligned: boolean } | null {
  const aligned = /^\\begin\{aligned\}([\s\S]*)\\end\{aligned\}$/.exec(tex);
  if (aligned) {
    const rows = aligned[1]
      .split('\\\\')
      .map((row) => row.replace(/^\s*\[[^\]]*\]/, '').trim())
      .filter((row) => row !== '');
    return { rows, aligned: true };
  }
  // Other environments and explicit line breaks lay themselves out.
  if (/\\begin\{|&|\\\\/.test(tex)) return null;
  return { rows: [tex], aligned: false };
}

/** Roughly how wide a line of TeX sets (a command counts as one symbol). */
function texWidth(line: string): number {
  return line.replace(/\\[a-zA-Z]+/g, 'x').replace(/[{}&\s]/g, '').length;
}

/**
 * The ways to set a display formula, widest first: as written; with a line break before each
 * further =; then, step by step, the widest line broken before its + and − (at the shallowest
 * bracket depth that has one). Lines line up at the = of an aligned formula, or start at the same
 * left edge. At most `extra` narrowing steps after the = breaks.
 */
export function formulaVariants(tex: string, extra = 4): string[] {
  const trimmed = tex.trim();
  const variants = [`$$${trimmed}$$`];
  const parsed = formulaRows(trimmed);
  if (!parsed) return variants;
  const render = (lines: { head: string; body: string }[]) =>
    `$$\\begin{aligned}${lines.map((line) => `${line.head}&${line.body}`).join(' \\\\ ')}\\end{aligned}$$`;
  let lines = parsed.rows.flatMap((row) => {
    const amp = parsed.aligned ? row.indexOf('&') : -1;
    const head = amp >= 0 ? row.slice(0, amp) : '';
    const body = amp >= 0 ? row.slice(amp + 1) : row;
    return splitTopLevel(body, ['=']).map((part, i) => ({ head: i === 0 ? head : '', body: part }));
  });
  if (lines.length > parsed.rows.length) variants.push(render(lines));
  const QUAD = '\\quad ';
  for (let step = 0; step < extra; step++) {
    // The widest line that can still be broken.
    const splits = lines.map((line) => {
      const indented = line.body.startsWith(QUAD);
      return { indented, parts: splitTopLevel(indented ? line.body.slice(QUAD.length) : line.body, ['+', '-']) };
    });
    let widest = -1;
    lines.forEach((line, i) => {
      if (splits[i].parts.length > 1 && (widest < 0 || texWidth(line.head + line.body) > texWidth(lines[widest].head + lines[widest].body))) widest = i;
    });
    if (widest < 0) break;
    const { indented, parts } = splits[widest];
    const broken = parts.map((part, j) => ({ head: j === 0 ? lines[widest].head : '', body: j === 0 && !indented ? part : `${QUAD}${part}` }));
    lines = [...lines.slice(0, widest), ...broken, ...lines.slice(widest + 1)];
    variants.push(render(lines));
  }
  return variants;
}

/**
 * A paragraph's sentences: split after . ! or ? and a space when the next word does not start in
 * lower case, or after a Chinese 。！？, but never inside `code`, $math$, **bold**, *emphasis* or
 * a [link](…), so each part is whole Markdown. A colon or semicolon does not end a sentence: what
 * follows it finishes the thought, and alone on a page it would read as a fragment.
 */
export function sentences(text: string): string[] {
  const parts: string[] = [];
  const open = { code: false, math: false, strong: false, em: false, brackets: 0, url: false };
  let start = 0;
  const source = text.trim();
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') open.code = !open.code;
    else if (open.code) continue;
    else if (c === '$') open.math = !open.math;
    else if (open.math) continue;
    else if (c === '*' && source[i + 1] === '*') {
      open.strong = !open.strong;
      i++;
    } else if (c === '*' || c === '_') {
      // _ inside words (snake_case names) is not emphasis.
      if (c === '*' || !/\w/.test(source[i - 1] ?? '') || !/\w/.test(source[i + 1] ?? '')) open.em = !open.em;
    } else if (c === '[') open.brackets++;
    else if (c === ']' && open.brackets > 0) {
      open.brackets--;
      if (source[i + 1] === '(') open.url = true;
    } else if (c === ')' && open.url) open.url = false;
    if (open.code || open.math || open.strong || open.em || open.brackets > 0 || open.url) continue;
    const latin = /[.!?]/.test(c) && /\s/.test(source[i + 1] ?? '') && !/^\s+\p{Ll}/u.test(source.slice(i + 1, i + 8));
    const chinese = /[。！？]/.test(c) && i + 1 < source.length;
    if (latin || chinese) {
      parts.push(source.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  parts.push(source.slice(start).trim());
  return parts.filter((part) => part !== '');
}

/** The step's Markdown as pieces (blank lines dropped). */
export function stepPieces(markdown: string): Piece[] {
  const pieces: Piece[] = [];
  for (const token of new Lexer({ gfm: true }).lex(markdown)) {
    if (token.type === 'space') continue;
    if (token.type === 'heading') {
      pieces.push({ kind: 'heading', units: [token.raw.trim()], info: '', start: 0 });
    } else if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented') {
      const code = token as Tokens.Code;
      pieces.push({ kind: 'code', units: code.text.split('\n'), info: code.lang ?? '', start: 0 });
    } else if (token.type === 'list') {
      const list = token as Tokens.List;
      pieces.push({ kind: 'list', units: list.items.map((item) => item.raw.replace(/\n+$/, '')), info: '', start: list.ordered ? Number(list.start === '' ? 1 : list.start) : 0 });
    } else if (token.type === 'table') {
      const [header, delimiter, ...rows] = token.raw.trim().split('\n');
      pieces.push({ kind: 'table', units: rows, info: `${header}\n${delimiter}`, start: 0 });
    } else if (token.type === 'paragraph') {
      const text = token.raw.trim();
      const math = DISPLAY_MATH.exec(text);
      if (math) pieces.push({ kind: 'math', units: formulaVariants(math[1]), info: '', start: 0 });
      else pieces.push({ kind: 'paragraph', units: sentences(text), info: '', start: 0 });
    } else {
      pieces.push({ kind: 'other', units: [token.raw.trim()], info: '', start: 0 });
    }
  }
  return pieces;
}

/** How many units a piece may be divided into (a formula is one unit, whichever variant). */
function unitCount(piece: Piece): number {
  return piece.kind === 'math' ? 1 : piece.units.length;
}

/** The Markdown of one slice. `variants` picks each formula's setting (its index in `units`). */
function sliceMarkdown(piece: Piece, slice: Slice, variant: number): string {
  const units = piece.units.slice(slice.from, slice.to);
  switch (piece.kind) {
    case 'code':
      return `\`\`\`${piece.info}\n${units.join('\n')}\n\`\`\``;
    case 'list':
      // An ordered list continued on a later page keeps its numbering.
      return piece.start > 0 ? units.map((item, i) => item.replace(/^(\s*)\d+([.)])/, `$1${piece.start + slice.from + i}$2`)).join('\n') : units.join('\n');
    case 'paragraph':
      // Chinese sentences follow each other without a space.
      return units.reduce((text, sentence) => (text === '' ? sentence : /[。！？]$/.test(text) ? text + sentence : `${text} ${sentence}`), '');
    case 'table':
      return `${piece.info}\n${units.join('\n')}`;
    case 'math':
      return piece.units[Math.min(variant, piece.units.length - 1)];
    default:
      return units[0];
  }
}

export function pageMarkdown(pieces: readonly Piece[], page: Page, variants: readonly number[]): string {
  return page.map((slice) => sliceMarkdown(pieces[slice.piece], slice, variants[slice.piece] ?? 0)).join('\n\n') + '\n';
}

export interface Paginated {
  pages: Page[];
  /** The setting chosen for each piece (formulas: which variant; 0 for everything else). */
  variants: number[];
}

/**
 * Where to end a page of code that could hold lines [from, to): before the last line that starts a
 * statement at the left margin (so a loop's body is not parted from its head), as long as the page
 * keeps at least half of what it could hold; else at `to`.
 */
export function statementBreak(lines: readonly string[], from: number, to: number): number {
  if (to >= lines.length) return to;
  for (let at = to; at > from && at - from >= (to - from) / 2; at--) {
    if (/^\S/.test(lines[at]) && !/^(else|elif|except|finally)\b/.test(lines[at])) return at;
  }
  return to;
}

/**
 * Packs the pieces into pages. `fits(markdown, { alone })` says whether a page of that Markdown
 * fits; a piece is split only when it does not fit on a page of its own (one that does starts a
 * new page instead); a unit that does not fit even alone gets a page of its own anyway (the page
 * is then scaled down to fit). A paragraph that leads into the next block (ends in a colon) or
 * carries on from the one before (starts in lower case) goes to a new page together with that
 * block rather than be parted from it. A code block is split before a line that starts a statement
 * at the left margin where it can. `fitsWidth(markdown)` picks each formula's widest setting that
 * fits the column's width.
 */
export function paginate(pieces: readonly Piece[], fits: (markdown: string) => boolean, fitsWidth: (markdown: string) => boolean = fits): Paginated {
  const variants = pieces.map((piece, i) => {
    if (piece.kind !== 'math') return 0;
    const chosen = piece.units.findIndex((_, v) => fitsWidth(sliceMarkdown(piece, { piece: i, from: 0, to: 1 }, v)));
    return chosen < 0 ? piece.units.length - 1 : chosen;
  });
  const pages: Page[] = [];
  let current: Page = [];
  const markdownOf = (page: Page) => pageMarkdown(pieces, page, variants);
  const hasContent = (page: Page) => page.some((slice) => pieces[slice.piece].kind !== 'heading');
  const isParagraph = (slice: Slice) => pieces[slice.piece].kind === 'paragraph';
  /** `a` and the `b` right after it belong on one page: `a` leads into `b`, or `b` carries on from `a`. */
  const bound = (a: Slice, b: Slice) =>
    (isParagraph(a) && a.to === pieces[a.piece].units.length && leadsOn(sliceMarkdown(pieces[a.piece], a, 0))) ||
    (isParagraph(b) && b.from === 0 && carriesOn(pieces[b.piece].units[0]));
  const flush = () => {
    if (current.length > 0) pages.push(current);
    current = [];
  };
  /**
   * How the page ends before `next`: the run of its last blocks each bound to the one after it goes
   * along to the new page (`carried`), the rest stays (`keep`). A paragraph in that run that cannot
   * go whole (the page would keep nothing, or it would not fit) leaves its first sentences behind
   * and takes its last one along. null when even that fails: better then to split `next` after
   * the run than to part a bound pair.
   */
  const pageEnd = (next: Slice): { keep: Page; carried: Slice[] } | null => {
    let carried: Slice[] = [];
    let follower = next;
    for (let k = current.length - 1; k >= 0; k--) {
      const block = current[k];
      if (!bound(block, follower)) return { keep: current.slice(0, k + 1), carried };
      if (hasContent(current.slice(0, k)) && fits(markdownOf([block, ...carried, next]))) {
        carried = [block, ...carried];
        follower = block;
        continue;
      }
      const tail: Slice = { ...block, from: block.to - 1 };
      if (isParagraph(block) && block.to - block.from > 1 && fits(markdownOf([tail, ...carried, next]))) {
        return { keep: [...current.slice(0, k), { ...block, to: block.to - 1 }], carried: [tail, ...carried] };
      }
      return null;
    }
    return { keep: [], carried };
  };
  /** Ends the page before `next`, taking along what is bound to it. */
  const breakBefore = (next: Slice) => {
    const { keep, carried } = pageEnd(next) ?? { keep: current, carried: [] };
    current = keep;
    flush();
    current = carried;
  };

  pieces.forEach((piece, index) => {
    const count = unitCount(piece);
    let from = 0;
    let moved = false;
    while (from < count) {
      const rest: Slice = { piece: index, from, to: count };
      if (fits(markdownOf([...current, rest]))) {
        current.push(rest);
        break;
      }
      // A block that fits on a page of its own starts one rather than being split.
      if (!moved && from === 0 && hasContent(current) && fits(markdownOf([rest])) && pageEnd(rest) !== null) {
        moved = true;
        breakBefore(rest);
        continue;
      }
      // The most units of this piece that still fit after what the page holds.
      let to = from;
      while (to + 1 < count && fits(markdownOf([...current, { piece: index, from, to: to + 1 }]))) to++;
      if (piece.kind === 'code') to = statementBreak(piece.units, from, to);
      if (to > from) {
        current.push({ piece: index, from, to });
        from = to;
        flush();
      } else if (hasContent(current) && !moved) {
        moved = true;
        breakBefore({ piece: index, from, to: from + 1 });
      } else {
        // Not even one unit fits beside the heading (or alone): it gets the page anyway.
        current.push({ piece: index, from, to: from + 1 });
        from += 1;
        if (from < count) flush();
      }
    }
  });
  flush();
  return { pages: pages.length > 0 ? pages : [[]], variants };
}
