// The session's keys and commands. In the browser Ctrl/Cmd+S, Shift+Ctrl/Cmd+S and Ctrl/Cmd+O are
// handled by the window; on the desktop they are the application menu's accelerators, which
// arrive (with File › Open Recent and the close prompt's Save) as app commands.

export type SessionAction = { kind: 'save'; saveAs: boolean } | { kind: 'open' } | { kind: 'openRecent'; path: string } | { kind: 'saveAndClose' };

/** What a key press asks of the session, or null (not a session key, or the desktop's menu has it). */
export function sessionKeyAction(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'defaultPrevented'>, desktop: boolean): SessionAction | null {
  if (desktop || event.defaultPrevented || event.altKey || !(event.ctrlKey || event.metaKey)) return null;
  const key = event.key.toLowerCase();
  if (key === 's') return { kind: 'save', saveAs: event.shiftKey };
  if (key === 'o' && !event.shiftKey) return { kind: 'open' };
  return null;
}

/** What one of the desktop menu's app commands asks of the session, or null. */
export function sessionCommandAction(command: string, event: { path?: string }): SessionAction | null {
  switch (command) {
    case 'saveSession':
      return { kind: 'save', saveAs: false };
    case 'saveSessionAs':
      return { kind: 'save', saveAs: true };
    case 'saveAndClose':
      return { kind: 'saveAndClose' };
    case 'openSession':
      return { kind: 'open' };
    case 'openRecent':
      return event.path ? { kind: 'openRecent', path: event.path } : null;
    default:
      return null;
  }
}
