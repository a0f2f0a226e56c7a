// Presenter mode asks for full screen when it opens. Leaving full screen with the browser's own
// Esc (or F11) leaves presenter mode too; leaving presenter mode leaves the full screen it entered.

export interface FullscreenOptions {
  /** The browser left full screen by itself. */
  onLeft: () => void;
  /** Full screen was refused (allowed only after a user gesture, and not in every embedding). */
  onDenied: () => void;
}

/** Requests full screen; the returned function ends it (only if this call entered it). */
export function enterFullscreen(options: FullscreenOptions, doc: Document = document): () => void {
  let entered = false;
  let active = true;
  const onChange = () => {
    if (doc.fullscreenElement) {
      entered = true;
    } else if (entered) {
      entered = false;
      if (active) options.onLeft();
    }
  };
  doc.addEventListener('fullscreenchange', onChange);
  if (doc.fullscreenEnabled && !doc.fullscreenElement) {
    doc.documentElement.requestFullscreen({ navigationUI: 'hide' }).catch(() => {
      if (active) options.onDenied();
    });
  }
  return () => {
    active = false;
    doc.removeEventListener('fullscreenchange', onChange);
    if (doc.fullscreenElement && entered) {
      entered = false;
      doc.exitFullscreen().catch(() => {});
    }
  };
}
