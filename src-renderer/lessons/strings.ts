// Text for the lesson pane and its runnable cells, in both languages. Functions take the numbers
// they need so word order can differ between languages.
import type { LessonLang } from './lessons';

export interface LessonStrings {
  cellRegion: (cellNumber: number) => string;
  editorLabel: (cellNumber: number) => string;
  editorHelp: string;
  run: string;
  runTitle: string;
  stop: string;
  stopTitle: string;
  reset: string;
  resetTitle: string;
  edited: string;
  statusIdle: string;
  statusRunning: string;
  statusDone: string;
  statusError: string;
  statusStopped: string;
  outputLabel: (cellNumber: number) => string;
  noOutput: string;
  /** What Tab does now, shown while the editor has focus. */
  hintTabMoves: string;
  hintTabIndents: string;
  /** Under the error line when the runner itself died (out of memory or a crash) and was replaced. */
  runnerLost: (why: 'outOfMemory' | 'crashed') => string;
  outputTruncated: (shownChars: number) => string;
  lessonMissing: (id: string) => string;
}

export const lessonStrings: Record<LessonLang, LessonStrings> = {
  'zh-CN': {
    cellRegion: (n) => `代码框 ${n}`,
    editorLabel: (n) => `代码框 ${n} 的 Python 代码`,
    editorHelp: 'Ctrl+Enter（Mac 上 ⌘+Enter）运行。用 Tab 键进入编辑框时，Tab 会继续跳到下一个控件，开始输入后 Tab 才用来缩进；先按 Esc 再按 Tab 可离开编辑框。Ctrl+Z 撤销。',
    run: '运行',
    runTitle: '运行这段代码（Ctrl+Enter）',
    stop: '停止',
    stopTitle: '立即停止正在运行的代码',
    reset: '还原',
    resetTitle: '把代码还原成课程里的原样',
    edited: '已修改',
    statusIdle: '',
    statusRunning: '运行中…',
    statusDone: '运行完毕',
    statusError: '出错了',
    statusStopped: '已停止',
    outputLabel: (n) => `代码框 ${n} 的输出`,
    noOutput: '（没有输出）',
    hintTabMoves: 'Tab：跳到下一个控件 · 开始输入即可编辑',
    hintTabIndents: 'Tab：缩进 · 先按 Esc 再按 Tab 离开',
    runnerLost: (why) =>
      why === 'outOfMemory'
        ? '这段代码要的内存超出了 Python 运行器能给的，运行器因此被停止。新的运行器已经准备好，其他内容都不受影响。'
        : 'Python 运行器在运行这段代码时意外停止了。新的运行器已经准备好，可以再运行一次；其他内容都不受影响。',
    outputTruncated: (chars) => `……输出太长，只显示了最后 ${chars.toLocaleString('zh-CN')} 个字符。`,
    lessonMissing: (id) => `找不到课程"${id}"。请从课程列表里另选一课。`,
  },
  en: {
    cellRegion: (n) => `Code cell ${n}`,
    editorLabel: (n) => `Python code of cell ${n}`,
    editorHelp:
      'Ctrl+Enter (⌘+Enter on a Mac) runs it. Arriving with Tab, Tab moves on to the next control until you start typing; then Tab indents, and Esc followed by Tab leaves the editor. Ctrl+Z undoes.',
    run: 'Run',
    runTitle: 'Run this code (Ctrl+Enter)',
    stop: 'Stop',
    stopTitle: 'Stop the running code now',
    reset: 'Reset',
    resetTitle: "Put back the lesson's version of this code",
    edited: 'edited',
    statusIdle: '',
    statusRunning: 'Running…',
    statusDone: 'Finished',
    statusError: 'Error',
    statusStopped: 'Stopped',
    outputLabel: (n) => `Output of cell ${n}`,
    noOutput: '(no output)',
    hintTabMoves: 'Tab: next control · type to edit',
    hintTabIndents: 'Tab: indent · Esc then Tab: leave',
    runnerLost: (why) =>
      why === 'outOfMemory'
        ? 'This code needed more memory than the Python runner has, so the runner was stopped. A fresh one is ready; nothing else was affected.'
        : 'The Python runner stopped unexpectedly while running this code. A fresh one is ready, so you can run it again; nothing else was affected.',
    outputTruncated: (chars) => `… the output was too long; only the last ${chars.toLocaleString('en')} characters are shown.`,
    lessonMissing: (id) => `There is no lesson "${id}". Pick another one from the lesson list.`,
  },
};
