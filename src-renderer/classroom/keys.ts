// What each key does in presenter mode. Presentation clickers send PageDown/PageUp for their
// arrows, F5 / Shift+F5 / Escape for the "slideshow" button and "b" or "." for "black screen";
// the rest are ordinary keys a teacher presses on the laptop.

export type PresenterAction =
  | 'nextStep'
  | 'previousStep'
  | 'runPause'
  | 'stepEpoch'
  | 'toggleBlank'
  | 'togglePresenter'
  | 'exit'
  | 'replayBack'
  | 'replayForward'
  | 'replayStart'
  | 'replayEnd';

/** The parts of a KeyboardEvent the mapping reads (so tests need no DOM). */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

export interface KeyContext {
  /** A finished run is being replayed: the arrows scrub instead of training. */
  replaying: boolean;
  /** Focus is in a text field, select or slider: keys that edit it stay with it. */
  inControl: boolean;
}

/** The action for a key press, or null to leave the key to the browser. */
export function presenterAction(event: KeyLike, context: KeyContext): PresenterAction | null {
  const { key } = event;
  // F5 comes first: it must never reach the browser (a reload would end the presentation).
  if (key === 'F5' && !event.ctrlKey && !event.altKey && !event.metaKey) return 'togglePresenter';
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (key) {
    case 'PageDown':
      return 'nextStep';
    case 'PageUp':
      return 'previousStep';
    case 'Escape':
      return 'exit';
  }
  if (context.inControl) return null;
  if (key === ' ' || key === 'Spacebar' || event.code === 'Space') return 'runPause';
  if (key === 'ArrowRight') return context.replaying ? 'replayForward' : 'stepEpoch';
  if (key === 'ArrowLeft') return context.replaying ? 'replayBack' : null;
  if (context.replaying && key === 'Home') return 'replayStart';
  if (context.replaying && key === 'End') return 'replayEnd';
  if (key === 'b' || key === 'B' || key === '.') return 'toggleBlank';
  return null;
}

/** Whether the global shortcut that enters/leaves presenter mode fires (F5, Shift+F5). */
export function isPresenterToggleKey(event: KeyLike): boolean {
  return event.key === 'F5' && !event.ctrlKey && !event.altKey && !event.metaKey;
}
