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

let inferenceMode = false;

/** torch.is_inference_mode_enabled() */
export function isInferenceModeEnabled(): boolean {
  return inferenceMode;
}

/** torch.inference_mode(mode): no gradients recorded, and the flag set; returns the restore function. */
export function enterInferenceMode(mode = true): () => void {
  const previous = inferenceMode;
  inferenceMode = mode;
  const restoreGrad = setGradEnabled(mode ? false : gradEnabled);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    restoreGrad();
    inferenceMode = previous;
  };
}
