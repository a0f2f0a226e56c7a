// Presenter mode is a modal full-screen dialog: while it is open, the rest of the app is inert
// (neither focusable nor read by screen readers), Tab and Shift+Tab cycle through the presenter's
// own controls, and when it closes the focus goes back to where it was before it opened.

const FOCUSABLE = 'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.hasAttribute('disabled') && !element.closest('[inert]') && element.checkVisibility({ checkVisibilityCSS: true }),
  );
}

/** Traps focus in `root`; the returned function releases it and restores the earlier focus. */
export function trapFocus(root: HTMLElement): () => void {
  const previous = root.ownerDocument.activeElement instanceof HTMLElement ? root.ownerDocument.activeElement : null;
  // Everything outside the dialog becomes inert: each sibling of the dialog and of its ancestors.
  const madeInert: HTMLElement[] = [];
  for (let node: HTMLElement | null = root; node && node !== root.ownerDocument.body; node = node.parentElement) {
    for (const sibling of node.parentElement?.children ?? []) {
      if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert && sibling.tagName !== 'SCRIPT') {
        sibling.inert = true;
        madeInert.push(sibling);
      }
    }
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey) return;
    const list = focusables(root);
    if (list.length === 0) {
      event.preventDefault();
      root.focus();
      return;
    }
    const active = root.ownerDocument.activeElement;
    const at = list.indexOf(active as HTMLElement);
    // Past either end (or from the dialog itself), go round to the other end.
    if (event.shiftKey && (at <= 0 || !root.contains(active))) {
      event.preventDefault();
      list[list.length - 1].focus();
    } else if (!event.shiftKey && (at === list.length - 1 || at < 0)) {
      event.preventDefault();
      list[0].focus();
    }
  };
  root.addEventListener('keydown', onKeyDown);
  // Focus that lands outside (a click on the page behind a blanked screen, say) comes back.
  const onFocusIn = (event: FocusEvent) => {
    if (event.target instanceof Node && !root.contains(event.target)) root.focus({ preventScroll: true });
  };
  root.ownerDocument.addEventListener('focusin', onFocusIn);
  root.focus({ preventScroll: true });
  return () => {
    root.removeEventListener('keydown', onKeyDown);
    root.ownerDocument.removeEventListener('focusin', onFocusIn);
    for (const element of madeInert) element.inert = false;
    if (previous?.isConnected) previous.focus({ preventScroll: true });
  };
}
