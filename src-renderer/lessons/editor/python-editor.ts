// The code editor of a lesson cell: CodeMirror 6 with Python, line numbers, undo history and
// bracket matching. Its colours come from the app's CSS variables (lessons/CodeCell.svelte), so
// the light and dark themes need no second editor theme.
//
// Keyboard users are never trapped: Tab indents while you edit, but when the editor is reached
// with Tab (not clicked) or after Esc, Tab and Shift+Tab move on to the next or previous control
// — CodeMirror's "tab focus mode" — until a key that edits is pressed. So tabbing through the
// page passes the cells without changing them.
import { EditorState, Prec, RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutterLineClass, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { classHighlighter } from '@lezer/highlight';

export interface PythonEditorOptions {
  parent: HTMLElement;
  source: string;
  /** Accessible name and description of the editable area. */
  label: string;
  describedBy: string;
  /** Every change of the text (typing, undo, paste). */
  onChange: (source: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  /** Whether Tab now moves focus (true) or indents (false); for the hint under the editor. */
  onTabMovesFocus?: (moves: boolean) => void;
  /** The CSP nonce for the one <style> element CodeMirror adds to the page (see csp-nonce.ts). */
  nonce?: string | null;
}

export interface PythonEditor {
  readonly view: EditorView;
  /** Replaces the whole text (an undoable change), unless it is already that text. */
  setSource(source: string): void;
  /** Marks a 1-based line as the error's line (null clears the mark). */
  setErrorLine(line: number | null): void;
  focus(): void;
  destroy(): void;
}

// ---- the error line: a band behind the line, its number in the gutter, aria-invalid ----

const setErrorLineEffect = StateEffect.define<number | null>();

/** The marked line (1-based) or null; any edit clears it, as the line may no longer be the one that failed. */
const errorLineField = StateField.define<number | null>({
  create: () => null,
  update(value, transaction) {
    for (const effect of transaction.effects) if (effect.is(setErrorLineEffect)) return effect.value;
    return transaction.docChanged ? null : value;
  },
});

const errorGutterMarker = new (class extends GutterMarker {
  override elementClass = 'cm-error-gutter';
})();

const errorDecorations = EditorView.decorations.compute([errorLineField], (state): DecorationSet => {
  const line = state.field(errorLineField);
  if (line === null || line < 1 || line > state.doc.lines) return Decoration.none;
  const from = state.doc.line(line).from;
  return Decoration.set([Decoration.line({ class: 'cm-error-line', attributes: { 'data-error-line': String(line) } }).range(from)]);
});

const errorGutter = gutterLineClass.compute([errorLineField], (state) => {
  const line = state.field(errorLineField);
  if (line === null || line < 1 || line > state.doc.lines) return RangeSet.empty;
  return RangeSet.of([errorGutterMarker.range(state.doc.line(line).from)]);
});

const errorAttributes = EditorView.contentAttributes.compute([errorLineField], (state): Record<string, string> => {
  const line = state.field(errorLineField);
  return line === null ? {} : { 'aria-invalid': 'true' };
});

// ---- Tab: indent while editing, move focus when arriving by keyboard or after Esc ----

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph']);

function tabFocusHandling(onTabMovesFocus: (moves: boolean) => void): Extension {
  let moves = false;
  let pointerDown = false;
  const setMoves = (view: EditorView, value: boolean) => {
    if (moves === value) return;
    moves = value;
    view.setTabFocusMode(value);
    onTabMovesFocus(value);
  };
  return Prec.highest(
    EditorView.domEventHandlers({
      pointerdown(_event, view) {
        pointerDown = true;
        setMoves(view, false);
        return false;
      },
      focus(_event, view) {
        // Reached with the keyboard: Tab keeps moving until the learner starts editing.
        if (!pointerDown) setMoves(view, true);
        pointerDown = false;
        return false;
      },
      blur() {
        pointerDown = false;
        return false;
      },
      keydown(event, view) {
        if (event.isComposing || event.keyCode === 229) return false;
        if (event.key === 'Escape') setMoves(view, true);
        else if (event.key !== 'Tab' && !MODIFIER_KEYS.has(event.key)) setMoves(view, false);
        return false;
      },
    }),
  );
}

/** What the editor does besides showing text: the cell's keys, Python, the look's class names. */
function editorExtensions(options: PythonEditorOptions): Extension[] {
  return [
    lineNumbers(),
    history(),
    indentUnit.of('    '),
    EditorState.tabSize.of(4),
    python(),
    indentOnInput(),
    bracketMatching(),
    // Token classes (tok-keyword, tok-string, …) coloured by CodeCell's stylesheet.
    syntaxHighlighting(classHighlighter),
    Prec.highest(
      keymap.of([
        {
          key: 'Mod-Enter',
          run: () => {
            options.onRun();
            return true;
          },
        },
      ]),
    ),
    keymap.of([{ key: 'Tab', run: indentMore, shift: indentLess }, ...historyKeymap, ...defaultKeymap]),
    tabFocusHandling(options.onTabMovesFocus ?? (() => {})),
    errorLineField,
    errorDecorations,
    errorGutter,
    errorAttributes,
    EditorView.contentAttributes.of({
      // Focusable in its own right, so checkers see that a long line's sideways scrolling is reachable.
      tabindex: '0',
      'aria-label': options.label,
      'aria-describedby': options.describedBy,
      spellcheck: 'false',
      autocorrect: 'off',
      autocapitalize: 'off',
      translate: 'no',
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
    }),
    ...(options.nonce ? [EditorView.cspNonce.of(options.nonce)] : []),
  ];
}

export function createPythonEditor(options: PythonEditorOptions): PythonEditor {
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({ doc: options.source, extensions: editorExtensions(options) }),
  });
  return {
    view,
    setSource(source) {
      const current = view.state.doc.toString();
      if (current === source) return;
      view.dispatch({ changes: { from: 0, to: current.length, insert: source } });
    },
    setErrorLine(line) {
      if (view.state.field(errorLineField) === line) return;
      view.dispatch({ effects: setErrorLineEffect.of(line) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
