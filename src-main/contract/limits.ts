// Sizes every layer agrees on, so a file the data loaders accept is never refused later by the
// contract (and the contract never lets through what the loaders would have refused).

/** The most values x, y or the starting w may hold: 512 x 512 RGB images, with room to spare. */
export const MAX_VALUES = 16_777_216;

/**
 * The longest Python program a runPython request may carry, in characters. Generous: a pasted
 * data array or a generated file must reach the tokenizer, which answers what CPython would (even
 * for 100,000 nested brackets or 3,000 indent levels, 4.5 million characters); beyond it the
 * runner answers with a MemoryError naming the limit.
 */
export const MAX_SOURCE_CHARS = 8_000_000;
