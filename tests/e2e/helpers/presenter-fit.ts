// What presenter mode cuts off, measured in the page: text, pictures or controls that reach past
// the screen or past a box that clips them (overflow other than visible), and text ending in an
// ellipsis. Used by presenter-fit.spec.ts at the three projector sizes in both languages.
import type { Page } from '@playwright/test';

export function presenterCuts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('[data-testid="presenter"]');
    if (!root) throw new Error('presenter mode is not open');
    const problems: string[] = [];
    const screenWidth = window.innerWidth;
    const screenHeight = window.innerHeight;
    // [data-pan-zoom]: a zoomable picture (the autograd graph) shows a window on a bigger drawing by design
    const skip = (el: Element) => el.closest('.katex-mathml, option, script, style, [data-pan-zoom] svg') !== null;
    const name = (el: Element) => el.getAttribute('data-testid') ?? (typeof el.className === 'string' && el.className ? el.className.split(' ')[0] : el.tagName.toLowerCase());
    const clippingAncestors = (el: Element): Element[] => {
      const list: Element[] = [];
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') list.push(a);
        if (a === root) break;
      }
      return list;
    };
    const check = (rect: DOMRect, el: Element, what: string) => {
      if (rect.width < 1 || rect.height < 1) return;
      const slack = 1.5;
      if (rect.left < -slack || rect.top < -slack || rect.right > screenWidth + slack || rect.bottom > screenHeight + slack) {
        problems.push(`${what} reaches past the screen`);
        return;
      }
      for (const box of clippingAncestors(el)) {
        const r = box.getBoundingClientRect();
        if (rect.left < r.left - slack || rect.top < r.top - slack || rect.right > r.right + slack || rect.bottom > r.bottom + slack) {
          problems.push(`${what} is cut by ${name(box)} (${Math.round(rect.bottom - r.bottom)} px below, ${Math.round(rect.right - r.right)} px right of it)`);
          return;
        }
      }
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const el = node.parentElement;
      if (!text.trim() || !el || skip(el) || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) check(rect, el, `"${text.trim().slice(0, 40)}"`);
    }
    for (const el of root.querySelectorAll('canvas, img, input, select, button')) {
      if (!skip(el) && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) check(el.getBoundingClientRect(), el, name(el));
    }
    for (const el of root.querySelectorAll('*')) {
      if (!skip(el) && getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} ends in an ellipsis`);
    }
    return [...new Set(problems)];
  });
}

/** How many rows the presenter's top bar lays its parts out in (a part below another's bottom starts a row). */
export function topBarRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const bar = document.querySelector<HTMLElement>('[data-testid="presenter"] header')!;
    const parts = [...bar.querySelectorAll<HTMLElement>('h1, button')].map((el) => el.getBoundingClientRect()).sort((a, b) => a.top - b.top);
    let rows = 0;
    let rowBottom = -Infinity;
    for (const rect of parts) {
      if (rect.top >= rowBottom - 1) {
        rows += 1;
        rowBottom = rect.bottom;
      } else rowBottom = Math.max(rowBottom, rect.bottom);
    }
    return rows;
  });
}

/** Where the shown presenter page comes from, and whether it begins or ends mid-thought. */
export interface PageThought {
  step: string;
  part: string;
  /** The text a page starts with when it reads as the tail of a sentence (lower case, or a Chinese comma). */
  startsMidSentence: string | null;
  /** The page's last paragraph when it leads on into something (ends in a colon, or without a full stop). */
  endsLeadingOn: string | null;
  /** The "section …" line of a page that continues a section (its Markdown rendered, never raw). */
  sectionName: string | null;
}

export function pageThought(page: Page): Promise<PageThought> {
  return page.getByTestId('presenter-step-content').evaluate((content) => {
    const blocks = [...content.children].filter((el) => !el.classList.contains('section-name'));
    const first = blocks[0];
    let startsMidSentence: string | null = null;
    if (first?.tagName === 'P') {
      // Text, bold or a link at the start counts; code or a formula there starts with a name.
      const lead = [...first.childNodes].find((node) => (node.textContent ?? '').trim() !== '');
      const text = lead && (lead.nodeType === Node.TEXT_NODE || ['STRONG', 'EM', 'A'].includes((lead as Element).tagName)) ? (lead.textContent ?? '').trim() : '';
      if (/^[\p{Ll}，、；：。）]/u.test(text)) startsMidSentence = (first.textContent ?? '').trim().slice(0, 60);
    }
    const last = blocks.at(-1);
    const lastText = (last?.textContent ?? '').trim();
    const endsLeadingOn = last?.tagName === 'P' && !last.classList.contains('action-note') && !/[.!?。！？…]["'”’)）]*$/.test(lastText) ? lastText.slice(-60) : null;
    const sectionName = content.querySelector('.section-name')?.textContent ?? null;
    return { step: content.getAttribute('data-lesson-step') ?? '', part: content.getAttribute('data-part') ?? '', startsMidSentence, endsLeadingOn, sectionName };
  });
}
