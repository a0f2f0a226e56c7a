// The text of anything thrown: an Error's message, anything else as a string. Error events
// (`{ type: 'error', message }`), pyDone's errorLine and the window's problem messages all carry
// such a text; every layer but the engine (which throws, never reports) words it the same way.

/** `error.message` for an Error, `String(error)` for anything else that was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
