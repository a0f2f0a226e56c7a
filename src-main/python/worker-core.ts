// The Python runner inside a worker (Web Worker in the browser edition, worker_threads under
// Electron/Node). Pure TypeScript: the entries worker-web.ts / worker-node.ts only wire `post`
// and incoming messages to this core.
//
// Protocol (src-main/contract/messages.ts):
//   request  { type: 'runPython', runId, source }
//   events   { type: 'pyOutput', runId, text }            output, batched (every ~30 ms + at the end)
//            { type: 'pyDone', runId, ok, errorLine?, line? }
// A program runs synchronously to the end, so Stop is done by the host: it terminates the worker
// (ending even `while True: pass` at once), posts { type: 'pyDone', runId, ok: false, stopped: true }
// itself, and starts a fresh worker for the next run.
import type { GradLabEvent, Request } from '../contract/messages';
import { runPython } from './index';
import type { MemoryMeter } from './memory-budget';
import { errorMessage } from '../contract/error-message';
import { MAX_SOURCE_CHARS } from '../contract/limits';

export interface PythonWorkerOptions {
  /** Longest time output may wait in the buffer while the program runs (default 30 ms). */
  flushIntervalMs?: number;
  /** Output beyond this many characters is dropped, after one note line (default 1,000,000). */
  maxOutputChars?: number;
  /** Clock in milliseconds (tests may inject one). */
  now?: () => number;
  /** The program's memory budget in bytes (default: the runner's DEFAULT_MEMORY_BUDGET). */
  memoryBudget?: number;
  /** How the runner measures its memory for the budget (the host's platform knows how). */
  memoryMeter?: MemoryMeter;
}

export interface PythonWorkerCore {
  /** Handles one request from the host; runPython runs the program to completion before returning. */
  handle(request: Request): void;
}

export const OUTPUT_LIMIT_NOTE = (limit: number): string =>
  `\n[GradLab: the program printed more than ${formatLimit(limit)}, so the rest of its output is not shown. ` +
  `It keeps running until it ends or you press Stop. Print less often, e.g. every 100th epoch.]\n`;

function formatLimit(chars: number): string {
  if (chars >= 1_000_000 && chars % 1_000_000 === 0) return `${chars / 1_000_000} MB`;
  if (chars >= 1000 && chars % 1000 === 0) return `${chars / 1000} kB`;
  return `${chars} characters`;
}

const defaultNow: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

export function createPythonWorkerCore(post: (event: GradLabEvent) => void, options: PythonWorkerOptions = {}): PythonWorkerCore {
  const flushInterval = options.flushIntervalMs ?? 30;
  const maxChars = options.maxOutputChars ?? 1_000_000;
  const now = options.now ?? defaultNow;

  function run(runId: string, source: string, recordGraph: boolean): void {
    let buffer = '';
    let written = 0;
    let capped = false;
    let lastFlush = now();
    const flush = (): void => {
      lastFlush = now();
      if (buffer === '') return;
      const text = buffer;
      buffer = '';
      post({ type: 'pyOutput', runId, text });
    };
    const write = (text: string): void => {
      if (capped) return;
      if (written + text.length > maxChars) {
        const room = Math.max(0, maxChars - written);
        buffer += text.slice(0, room) + OUTPUT_LIMIT_NOTE(maxChars);
        written = maxChars;
        capped = true;
        flush();
        return;
      }
      written += text.length;
      buffer += text;
      if (now() - lastFlush >= flushInterval) flush();
    };
    const housekeeping = (): void => {
      if (buffer !== '' && now() - lastFlush >= flushInterval) flush();
    };
    try {
      const result = runPython(source, {
        write,
        housekeeping,
        ...(options.memoryBudget !== undefined ? { limits: { memoryBudget: options.memoryBudget } } : {}),
        memoryMeter: options.memoryMeter,
        ...(recordGraph ? { recordGraph: {} } : {}),
      });
      flush();
      const done: GradLabEvent = { type: 'pyDone', runId, ok: result.ok };
      if (!result.ok) {
        done.errorLine = result.errorLine;
        if (result.line !== undefined) done.line = result.line;
      }
      if (result.graph) done.graph = result.graph;
      post(done);
    } catch (e) {
      // runPython reports program errors in its result; reaching here is a runner bug.
      flush();
      post({ type: 'pyDone', runId, ok: false, errorLine: `SystemError: GradLab internal error: ${errorMessage(e)}` });
    }
  }

  return {
    handle(request: Request): void {
      switch (request.type) {
        case 'runPython':
          run(request.runId, request.source, request.recordGraph === true);
          return;
        case 'stopPython':
          // Only reachable while idle (a running program blocks this worker), so there is nothing
          // to stop; the host stops a running program by terminating the worker.
          return;
        default:
          post({ type: 'error', runId: request.runId, message: `The Python worker does not handle '${request.type}' requests; send them to the training worker.` });
      }
    },
  };
}

/**
 * The answer to a message the contract refused. A runPython request is always answered with its
 * pyDone (a cell or pyrun waits for one), saying what was wrong; anything else gets an 'error'.
 */
export function answerRefusedRequest(message: unknown, error: string): GradLabEvent {
  const m = (typeof message === 'object' && message !== null ? message : {}) as { type?: unknown; runId?: unknown; source?: unknown };
  const runId = typeof m.runId === 'string' ? m.runId : 'unknown';
  if (m.type !== 'runPython' || typeof m.runId !== 'string') return { type: 'error', runId, message: error };
  const length = typeof m.source === 'string' ? m.source.length : 0;
  const errorLine =
    length > MAX_SOURCE_CHARS
      ? `MemoryError: GradLab runs programs of at most ${MAX_SOURCE_CHARS.toLocaleString('en')} characters; this one has ${length.toLocaleString('en')}`
      : `SystemError: GradLab could not run this request (${error})`;
  return { type: 'pyDone', runId, ok: false, errorLine };
}
