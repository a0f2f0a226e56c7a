// Measuring whether content fits its box, and shrinking its type (never below the projector
// minimum) until it does. Everything inside the presenter is sized in em, so one font size on the
// box scales all of it; formulas keep their own minimum (see PresenterMode's styles).

/** The smallest type the presenter shows (readable from the back of a classroom). */
export const MIN_FONT_PX = 24;

/** Whether anything inside the box reaches past its edges (it would be cut off or scroll). */
export function overflows(box: HTMLElement): boolean {
  return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
}

/**
 * Puts `html` into a hidden measuring box (a copy of the column, same size and styles) and says
 * whether it fits; `widthOnly` ignores the height. The box holds nothing else.
 */
export function htmlFits(measuringBox: HTMLElement, html: string, widthOnly = false): boolean {
  measuringBox.innerHTML = html;
  return widthOnly ? measuringBox.scrollWidth <= measuringBox.clientWidth + 1 : !overflows(measuringBox);
}

/**
 * Sets the largest font size between `min` and `max` px at which the box's content fits (to a
 * tenth of a pixel or so), or `min` when nothing does. Returns the size and whether it fits.
 */
export function fitFontSize(box: HTMLElement, max: number, min = MIN_FONT_PX): { size: number; fits: boolean } {
  const set = (size: number) => (box.style.fontSize = `${size}px`);
  set(max);
  if (!overflows(box) || max <= min) return { size: max, fits: !overflows(box) };
  set(min);
  if (overflows(box)) return { size: min, fits: false };
  let low = min;
  let high = max;
  while (high - low > 0.25) {
    const middle = (low + high) / 2;
    set(middle);
    if (overflows(box)) high = middle;
    else low = middle;
  }
  set(low);
  return { size: low, fits: true };
}

/**
 * Svelte action: keeps the element's type as large as its parent's (the presenter's size) or as
 * much smaller as it takes for its content to fit, refitting when the element is resized or when
 * `key` changes (pass whatever changes the content's shape: panel, mode, language …). An element
 * with a `data-fit-wrap` attribute (a one-line title) wraps when it does not fit even at 24 px.
 */
export function fitToBox(node: HTMLElement, key: unknown): { update: (key: unknown) => void; destroy: () => void } {
  const ignore = () => {};
  const action = fitAndReport(node, { key, onFit: ignore });
  return { update: (next) => action.update({ key: next, onFit: ignore }), destroy: action.destroy };
}

/** What one fitting found: whether the content fits at 24 px or more, and the box's size. */
export interface FitResult {
  fits: boolean;
  width: number;
  height: number;
}

/** fitToBox that also tells `onFit` each time it has fitted (so a caller can lay out less). */
export function fitAndReport(node: HTMLElement, params: { key: unknown; onFit: (result: FitResult) => void }): { update: (params: { key: unknown; onFit: (result: FitResult) => void }) => void; destroy: () => void } {
  let onFit = params.onFit;
  const fit = () => {
    const parent = node.parentElement;
    if (!parent) return;
    node.style.whiteSpace = '';
    const { fits } = fitFontSize(node, parseFloat(getComputedStyle(parent).fontSize));
    if (!fits && node.hasAttribute('data-fit-wrap')) node.style.whiteSpace = 'normal';
    onFit({ fits, width: node.clientWidth, height: node.clientHeight });
  };
  const observer = new ResizeObserver(fit);
  observer.observe(node);
  // Content that grows without resizing the box (a run's numbers getting longer and wrapping)
  // refits too: checked once a frame after a change, and only refitted when it now overflows.
  let frame = 0;
  const mutations = new MutationObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (overflows(node)) fit();
    });
  });
  mutations.observe(node, { childList: true, characterData: true, subtree: true });
  fit();
  return {
    update: (next) => {
      onFit = next.onFit;
      fit();
    },
    destroy: () => {
      observer.disconnect();
      mutations.disconnect();
      cancelAnimationFrame(frame);
    },
  };
}
