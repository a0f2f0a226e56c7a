// Where JSON text goes wrong, and how deep it nests. JSON.parse's messages differ between engines
// (and V8's often give no position at all), so on failure this small scanner walks the text and
// returns the offset of the first problem, or the text's length when it simply ends too early.
// Both walks are iterative (an explicit stack, never recursion), so no nesting can overflow the
// call stack. Pure TS.

const ARRAY = 0;
const OBJECT = 1;

/** What may come next while walking: a value (`first`: or the container's close), a key, or what follows a value. */
type Expect = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';

export function findJsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(readonly offset: number) {}
  }
  const fail = (offset = i): never => {
    throw new Stop(offset);
  };
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(i + k);
    i += word.length;
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 2);
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail(i + 1);
      } else if (ch < ' ') fail();
      else i++;
    }
    fail(n);
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '-' || match[0] === '') fail();
    i += match![0].length;
  };
  const open: number[] = [];
  let expect: Expect = 'value';
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    for (;;) {
      ws();
      if (expect === 'after') {
        if (open.length === 0) {
          if (i < n) fail();
          return -1;
        }
        if (i >= n) fail(n);
        const inObject = open[open.length - 1] === OBJECT;
        if (text[i] === ',') {
          i++;
          expect = inObject ? 'key' : 'value';
        } else if (text[i] === (inObject ? '}' : ']')) {
          i++;
          open.pop();
        } else fail();
        continue;
      }
      if (i >= n) fail(n);
      if (expect === 'key' || expect === 'firstKey') {
        if (expect === 'firstKey' && text[i] === '}') {
          i++;
          open.pop();
          expect = 'after';
          continue;
        }
        if (text[i] !== '"') fail();
        string();
        ws();
        if (i >= n) fail(n);
        if (text[i] !== ':') fail();
        i++;
        expect = 'value';
        continue;
      }
      const ch = text[i];
      if (expect === 'firstValue' && ch === ']') {
        i++;
        open.pop();
        expect = 'after';
        continue;
      }
      if (ch === '[' || ch === '{') {
        i++;
        open.push(ch === '[' ? ARRAY : OBJECT);
        expect = ch === '[' ? 'firstValue' : 'firstKey';
        continue;
      }
      if (ch === '"') string();
      else if (ch === 't') literal('true');
      else if (ch === 'f') literal('false');
      else if (ch === 'n') literal('null');
      else number();
      expect = 'after';
    }
  } catch (error) {
    if (error instanceof Stop) return Math.min(error.offset, n);
    throw error;
  }
}

/** What a quick pass over JSON text found before anything is parsed. */
export interface JsonOutline {
  /** Offset of the first bracket that opens a level deeper than `maxDepth`, or -1. */
  tooDeepAt: number;
  /** Offset where the count of numbers passed `maxNumbers`, or -1. */
  tooManyAt: number;
}

/**
 * One pass over the text, outside strings: how deep the brackets nest and how many numbers there
 * are, stopping at the first limit passed. It does not check the syntax (JSON.parse does), so
 * malformed text gives an outline too.
 */
export function outlineJson(text: string, maxDepth: number, maxNumbers: number): JsonOutline {
  let depth = 0;
  let numbers = 0;
  let inString = false;
  let inNumber = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    const numeric = (c >= 0x30 && c <= 0x39) || c === 0x2d; // a digit or '-' starts a number
    if (numeric && !inNumber && ++numbers > maxNumbers) return { tooDeepAt: -1, tooManyAt: i };
    inNumber = numeric || (inNumber && (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b)); // . e E +
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { tooDeepAt: i, tooManyAt: -1 };
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return { tooDeepAt: -1, tooManyAt: -1 };
}
