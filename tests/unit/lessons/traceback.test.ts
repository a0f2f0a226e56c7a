// A failed cell's error reads as CPython prints it (checked against real Python's layout).
import { describe, expect, it } from 'vitest';
import { cellFileName, formatTraceback } from '../../../src-renderer/lessons/traceback';

const lesson2 = ['import torch', 'x = torch.tensor([1.0,2.0])', 'y = torch.tensor([1.0,2.0])', 'w = torch.tensor([1.0,2.0],requires_grad=True)', 'y_hat = w*x', 'loss =(y_hat-y)**2', 'print(loss)', 'loss.backward()', 'print(w.grad)'].join('\n');

describe('formatTraceback', () => {
  it('writes a runtime error as Python does: header, file and line in <module>, the line, the error', () => {
    const text = formatTraceback({
      errorLine: 'RuntimeError: grad can be implicitly created only for scalar outputs',
      line: 8,
      source: lesson2,
      fileName: cellFileName(2),
    });
    expect(text).toBe(
      [
        'Traceback (most recent call last):',
        '  File "<cell 2>", line 8, in <module>',
        '    loss.backward()',
        'RuntimeError: grad can be implicitly created only for scalar outputs',
      ].join('\n'),
    );
  });

  it('quotes the source line stripped of its indentation, as CPython does', () => {
    const source = 'for i in range(3):\n    if i == 2:\n        x = undefined_name\n';
    expect(formatTraceback({ errorLine: "NameError: name 'undefined_name' is not defined", line: 3, source, fileName: '<cell 1>' }).split('\n')).toEqual([
      'Traceback (most recent call last):',
      '  File "<cell 1>", line 3, in <module>',
      '    x = undefined_name',
      "NameError: name 'undefined_name' is not defined",
    ]);
  });

  it('lists every frame outermost first when the runner reports the call stack', () => {
    const source = 'def f(a):\n    return a / 0\n\nprint(f(1))\n';
    const text = formatTraceback({
      errorLine: 'ZeroDivisionError: division by zero',
      line: 2,
      frames: [
        { line: 4, name: '<module>' },
        { line: 2, name: 'f' },
      ],
      source,
      fileName: '<cell 1>',
    });
    // CPython 3.11 adds ~~^~~ markers under the expression; the frames and lines are the same.
    expect(text.split('\n')).toEqual([
      'Traceback (most recent call last):',
      '  File "<cell 1>", line 4, in <module>',
      '    print(f(1))',
      '  File "<cell 1>", line 2, in f',
      '    return a / 0',
      'ZeroDivisionError: division by zero',
    ]);
  });

  it('writes syntax errors without a traceback header or frame name', () => {
    expect(formatTraceback({ errorLine: 'SyntaxError: invalid syntax', line: 2, source: 'x = 1\nx = = 2\n', fileName: '<cell 3>' }).split('\n')).toEqual([
      '  File "<cell 3>", line 2',
      '    x = = 2',
      'SyntaxError: invalid syntax',
    ]);
    expect(formatTraceback({ errorLine: 'IndentationError: unexpected indent', line: 1, source: '  x = 1', fileName: '<cell 1>' })).toMatch(/^ {2}File "<cell 1>", line 1\n {4}x = 1\nIndentationError/);
  });

  it('leaves out a blank or missing source line, and gives only the error when nothing says where', () => {
    expect(formatTraceback({ errorLine: 'MemoryError', line: 9, source: 'a\nb', fileName: '<cell 1>' })).toBe('Traceback (most recent call last):\n  File "<cell 1>", line 9, in <module>\nMemoryError');
    expect(formatTraceback({ errorLine: 'InternalError: the runner could not start', line: null, source: 'print(1)', fileName: '<cell 1>' })).toBe('InternalError: the runner could not start');
  });

  it('reads Windows line endings in the source', () => {
    expect(formatTraceback({ errorLine: 'ValueError: x', line: 2, source: 'a = 1\r\nb = 2\r\n', fileName: '<cell 1>' })).toContain('\n    b = 2\n');
  });
});
