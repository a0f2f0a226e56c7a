// Sizes every layer agrees on, so a file the data loaders accept is never refused later by the
// contract (and the contract never lets through what the loaders would have refused).

/** The most values x, y or the starting w may hold: 512 x 512 RGB images, with room to spare. */
export const MAX_VALUES = 16_777_216;

/** The longest Python program a runPython request may carry, in characters. */
export const MAX_SOURCE_CHARS = 200_000;
