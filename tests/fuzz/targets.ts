// What `npm run fuzz` (scripts/fuzz.ts) and the short CI round (tests/unit/fuzz.test.ts) throw
// at GradLab's readers of untrusted input: random and mutated data files (CSV, JSON, .npy, image
// headers), session files, IPC requests and Python programs (mutated lesson-style programs).
// Each target states which errors are the project's own answer to bad input; anything else
// thrown (a TypeError, a RangeError, an internal error) fails the property, and fast-check prints
// the shrunk input.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRequest } from '../../src-main/contract/validate-request';
import { DataFileError } from '../../src-main/data/errors';
import { loadDataFile } from '../../src-main/data/load';
import { encodeNpyFloat32 } from '../../src-main/data/npy';
import { readImageDimensions } from '../../src-main/data/image';
import { parseSession, serializeSession, SessionFileError } from '../../src-main/data/session';
import { Compiler } from '../../src-main/python/compiler/index';
import { PyException } from '../../src-main/python/errors';
import { runPython } from '../../src-main/python/index';
import { Interpreter } from '../../src-main/python/interpreter';
import { parse } from '../../src-main/python/parser/index';
import { numbersSession } from '../unit/data/helpers/sessions';

export interface FuzzTarget {
  name: string;
  /** The property: throws (or fails an expectation) when the reader misbehaves on one input. */
  property: fc.IProperty<never> | fc.IProperty<[unknown]>;
}

const repoRoot = join(import.meta.dirname, '..', '..');

/** Throws unless `fn` returns or throws one of the `allowed` error classes. */
export function onlyOwnErrors(fn: () => unknown, ...allowed: (abstract new (...args: never[]) => Error)[]): void {
  try {
    fn();
  } catch (error) {
    if (allowed.some((type) => error instanceof type)) return;
    throw new Error(`unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
}

// ---- mutations -----------------------------------------------------------------------------

type Edit = { at: number; cut: number; insert: string };
const editArb = (pieces: readonly string[]): fc.Arbitrary<Edit> =>
  fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 40 }),
    insert: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 }), fc.constant('')),
  });

/** Applies edits (positions taken modulo the length) to a text. */
function mutate(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.cut);
  }
  return out;
}

/** A text taken from `corpus` and mutated a few times. */
const mutatedText = (corpus: readonly string[], pieces: readonly string[]) =>
  fc.tuple(fc.constantFrom(...corpus), fc.array(editArb(pieces), { maxLength: 6 })).map(([text, edits]) => mutate(text, edits));

type ByteEdit = { at: number; cut: number; insert: number[] };
const byteEditArb: fc.Arbitrary<ByteEdit> = fc.record({ at: fc.nat(), cut: fc.nat({ max: 16 }), insert: fc.array(fc.nat({ max: 255 }), { maxLength: 8 }) });
function mutateBytes(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let out = Array.from(bytes);
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    out = [...out.slice(0, at), ...e.insert, ...out.slice(at + e.cut)];
  }
  return Uint8Array.from(out);
}

// ---- corpora ---------------------------------------------------------------------------------

const utf8 = (text: string) => new TextEncoder().encode(text);

const csvLine = fc.array(fc.oneof(fc.double().map(String), fc.integer().map(String), fc.constantFrom('', 'x', 'nan', 'inf', '1,5', '"2"', '1e999', '-0')), { maxLength: 4 });
const csvText = fc.tuple(fc.array(csvLine, { maxLength: 12 }), fc.constantFrom(',', ';', '\t', ' '), fc.constantFrom('\n', '\r\n', '\r')).map(([rows, sep, eol]) => rows.map((r) => r.join(sep)).join(eol));

const jsonCorpus = ['[1, 2, 3]', '{"x": [1, 2], "y": [3, 4]}', '[[1, 2], [3, 4]]', '{"x": [[1, 2]], "y": [[3, 4]]}', '{"values": [1.5, -2e3]}'];

function npyCorpus(): Uint8Array[] {
  const dir = join(repoRoot, 'tests/fixtures/data');
  const files = readdirSync(dir).filter((f) => f.endsWith('.npy')).map((f) => new Uint8Array(readFileSync(join(dir, f))));
  return [...files, encodeNpyFloat32(new Float32Array([1, 2, 3, 4]), [2, 2])];
}

function imageCorpus(): Uint8Array[] {
  const dir = join(repoRoot, 'tests/fixtures/data');
  return readdirSync(dir).filter((f) => /\.(png|jpe?g)$/i.test(f)).map((f) => new Uint8Array(readFileSync(join(dir, f))).slice(0, 4096));
}

/** The runner's conformance programs: lesson-style Python with tensors, errors and loops. */
function pythonCorpus(): string[] {
  const dir = join(repoRoot, 'tests/fixtures/python');
  return readdirSync(dir).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(dir, f), 'utf8'));
}

const PYTHON_PIECES = ['(', ')', '[', ']', ':', '\n', '    ', '\t', 'def ', 'while True:\n    ', 'for i in range(3):\n', 'lambda: ', '**', '*', '.', ',', '=', '"', "'", '"""', '#', '\\', 'f"{', '}', '@', 'torch.', 'None', 'import ', 'return ', 'yield ', 'class A:\n', 'x', '0', '1e308', '-', '\ufeff', '...', 'not ', ' if ', ' else '];
const JSON_PIECES = ['[', ']', '{', '}', ',', ':', '"', '1', '-', 'e', '.', 'null', 'true', 'NaN', '1e999', '\\u'];
const SESSION_PIECES = ['{', '}', '[', ']', ',', '"', ':', 'null', '0', '-1', '1e999', '"x"', '[]', '{}'];

// ---- targets ---------------------------------------------------------------------------------

/** Ends a fuzzed program that runs too long, as Stop would (a Python exception, not an error of the runner). */
function timeLimitedHousekeeping(ms: number): () => void {
  const deadline = performance.now() + ms;
  return () => {
    if (performance.now() > deadline) throw new PyException('KeyboardInterrupt', '');
  };
}

export function fuzzTargets(): FuzzTarget[] {
  const session = serializeSession(numbersSession(), new Date('2026-01-01T00:00:00Z'));
  const programs = pythonCorpus();
  const npys = npyCorpus();
  const images = imageCorpus();
  return [
    {
      name: 'csv files',
      property: fc.property(fc.oneof(csvText, fc.string()), (text) => onlyOwnErrors(() => loadDataFile('data.csv', utf8(text)), DataFileError)),
    },
    {
      name: 'json files',
      property: fc.property(
        fc.oneof(fc.json(), mutatedText(jsonCorpus, JSON_PIECES), fc.nat({ max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n % 7))),
        (text) => onlyOwnErrors(() => loadDataFile('data.json', utf8(text)), DataFileError),
      ),
    },
    {
      name: 'npy files',
      property: fc.property(
        fc.oneof(fc.tuple(fc.constantFrom(...npys), fc.array(byteEditArb, { maxLength: 4 })).map(([b, e]) => mutateBytes(b, e)), fc.uint8Array({ maxLength: 300 })),
        (bytes) => onlyOwnErrors(() => loadDataFile('data.npy', bytes), DataFileError),
      ),
    },
    {
      name: 'image headers',
      property: fc.property(
        fc.oneof(fc.tuple(fc.constantFrom(...images), fc.array(byteEditArb, { maxLength: 4 })).map(([b, e]) => mutateBytes(b, e)), fc.uint8Array({ maxLength: 64 })),
        (bytes) => onlyOwnErrors(() => readImageDimensions(bytes), DataFileError),
      ),
    },
    {
      name: 'session files',
      property: fc.property(fc.oneof(mutatedText([session], SESSION_PIECES), fc.json(), fc.string()), (text) => onlyOwnErrors(() => parseSession(text), SessionFileError, DataFileError)),
    },
    {
      name: 'IPC requests',
      property: fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ type: fc.constantFrom('start', 'runPython', 'step', 'setSpeed', 'ping'), runId: fc.oneof(fc.string(), fc.anything()), config: fc.anything(), source: fc.anything(), count: fc.anything() }),
        ),
        (message) => {
          const result = validateRequest(message);
          if (typeof result.ok !== 'boolean') throw new Error('validateRequest returned no verdict');
        },
      ),
    },
    {
      name: 'python: tokenizer, parser and compiler',
      property: fc.property(mutatedText(programs, PYTHON_PIECES), (source) =>
        onlyOwnErrors(() => new Compiler(new Interpreter({ write: () => {} })).compileModule(parse(source)), PyException),
      ),
    },
    {
      name: 'python: running mutated programs ends in output or a Python error',
      property: fc.property(mutatedText(programs, PYTHON_PIECES), (source) => {
        const result = runPython(source, { write: () => {}, housekeeping: timeLimitedHousekeeping(500), sleep: () => {}, limits: { memoryBudget: 64 * 1024 * 1024 } });
        if (!result.ok && /GradLab internal error/.test(result.errorLine ?? '')) throw new Error(`${result.errorLine} (line ${result.line})`);
      }),
    },
  ];
}
