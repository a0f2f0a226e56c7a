// A failed cell's error written the way Python writes it, so what a learner sees in GradLab is
// what they will see in a terminal or in Jupyter:
//
//   Traceback (most recent call last):
//     File "<cell 2>", line 8, in <module>
//       loss.backward()
//   RuntimeError: grad can be implicitly created only for scalar outputs
//
// Syntax errors have no traceback header and no frame name, as in CPython.

/** One entry of the call stack, outermost first: `<module>` for the cell itself, else a function's name. */
export interface TracebackFrame {
  line: number;
  name: string;
}

export interface TracebackInput {
  /** Python's last traceback line, e.g. "NameError: name 'w' is not defined". */
  errorLine: string;
  /** 1-based line of the error, when the runner knows it. */
  line: number | null;
  /** The call stack when the runner reports it; otherwise one `<module>` frame at `line`. */
  frames?: readonly TracebackFrame[] | null;
  /** The code that ran (not what the editor shows now: it may have been edited since). */
  source: string;
  /** The file name Python would print, e.g. `<cell 2>`. */
  fileName: string;
}

const COMPILE_ERRORS = /^(SyntaxError|IndentationError|TabError)\b/;

/** The source line as Python quotes it: stripped, indented by four spaces (nothing for a blank line). */
function quotedLine(lines: readonly string[], line: number): string | null {
  const text = lines[line - 1]?.trim();
  return text ? `    ${text}` : null;
}

export function formatTraceback(input: TracebackInput): string {
  const { errorLine, line, source, fileName } = input;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  if (COMPILE_ERRORS.test(errorLine)) {
    if (line !== null) {
      out.push(`  File "${fileName}", line ${line}`);
      const quoted = quotedLine(lines, line);
      if (quoted) out.push(quoted);
    }
    out.push(errorLine);
    return out.join('\n');
  }
  const frames = input.frames?.length ? input.frames : line !== null ? [{ line, name: '<module>' }] : [];
  // Without any frame (the runner could not say where) a bare header would look broken.
  if (frames.length === 0) return errorLine;
  out.push('Traceback (most recent call last):');
  for (const frame of frames) {
    out.push(`  File "${fileName}", line ${frame.line}, in ${frame.name}`);
    const quoted = quotedLine(lines, frame.line);
    if (quoted) out.push(quoted);
  }
  out.push(errorLine);
  return out.join('\n');
}

/** The file name a cell's traceback uses (numbered from 1, as the cell's label is). */
export function cellFileName(cellNumber: number): string {
  return `<cell ${cellNumber}>`;
}
