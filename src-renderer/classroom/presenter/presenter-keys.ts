// The presenter's keyboard: a clicker's keys and the teacher's, caught before the app's own
// shortcuts (capture phase) while presenter mode is open. What each key means is keys.ts.
import { presenterAction, type PresenterAction } from '../keys';

export interface PresenterKeyOptions {
  /** A finished run is being replayed (the arrows scrub instead of training). */
  replaying: () => boolean;
  /** F5 belongs to installPresenterShortcuts() when the app installed it (it toggles the mode). */
  toggleHandledElsewhere: () => boolean;
  perform: (action: PresenterAction, big: boolean) => void;
}

/** Keys that repeat while held do so only where repeating makes sense. */
const REPEATING: readonly PresenterAction[] = ['replayBack', 'replayForward', 'nextStep', 'previousStep'];

/** Focus in a text field, select or slider: keys that edit it stay with it. */
export function inControl(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'button';
}

/** Listens on the window until the returned function is called. */
export function installPresenterKeys(options: PresenterKeyOptions, target: Window = window): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    const action = presenterAction(event, { replaying: options.replaying(), inControl: inControl(event.target) });
    if (!action) return;
    if (action === 'togglePresenter' && options.toggleHandledElsewhere()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.repeat && !REPEATING.includes(action)) return;
    options.perform(action, event.shiftKey === true);
  };
  // Space activates a focused button on key-up; the presenter already handled it on key-down.
  const onKeyUp = (event: KeyboardEvent) => {
    if ((event.key === ' ' || event.code === 'Space') && !inControl(event.target)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  target.addEventListener('keyup', onKeyUp, { capture: true });
  return () => {
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    target.removeEventListener('keyup', onKeyUp, { capture: true });
  };
}
