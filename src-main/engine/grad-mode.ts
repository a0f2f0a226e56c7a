// Global grad mode (torch.no_grad). A stack-free design: every entry remembers the previous
// state, so nesting and exceptions restore exactly what was there before.
let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Switches grad mode and returns a function that restores the previous mode (for Python `with`). */
export function setGradEnabled(enabled: boolean): () => void {
  const previous = gradEnabled;
  gradEnabled = enabled;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    gradEnabled = previous;
  };
}

export function enterNoGrad(): () => void {
  return setGradEnabled(false);
}

export function noGrad<T>(fn: () => T): T {
  const restore = setGradEnabled(false);
  try {
    return fn();
  } finally {
    restore();
  }
}
