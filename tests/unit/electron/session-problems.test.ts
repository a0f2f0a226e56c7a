// How the window words what main reports about desktop Save / Open (both languages), and the title.
import { describe, expect, it } from 'vitest';
import type { SessionFileProblem } from '../../../src-main/contract/session-files';
import { problemFromFiles, windowTitle } from '../../../src-renderer/session/session-io';
import { fillSessionString, type SessionLang } from '../../../src-renderer/session/strings';

/** The problem's text as SessionMenu shows it (translated parameters filled in the same language). */
function render(lang: SessionLang, problem: SessionFileProblem): string {
  const p = problemFromFiles(problem);
  const params = { ...p.params };
  for (const [name, key] of Object.entries(p.translated ?? {})) params[name] = fillSessionString(lang, key);
  return fillSessionString(lang, p.key, params);
}

describe('problems from desktop file requests', () => {
  const cases: [SessionFileProblem, string, string][] = [
    [{ kind: 'missing', name: 'a.gradlab' }, 'a.gradlab is no longer there (moved or deleted?), so it was removed from the recent list.', 'a.gradlab 已经不在原处（被移动或删除了？），所以已从最近列表中移除。'],
    [{ kind: 'tooBig', name: 'b.gradlab', mb: 300, maxMb: 256 }, 'b.gradlab is 300 MB; GradLab sessions are at most 256 MB. Is it the right file?', 'b.gradlab 有 300 MB；GradLab 会话最大 256 MB。是不是选错文件了？'],
    [
      { kind: 'write', name: 'c.gradlab', reason: 'the disk is full', cause: 'disk-full' },
      'c.gradlab could not be saved: the disk is full. The file as it was before is unchanged; choose “Save as…” to save somewhere else.',
      'c.gradlab 没能保存：磁盘已满。原来的文件没有任何改变；可以用“另存为…”保存到别处。',
    ],
    [
      { kind: 'read', name: 'd.gradlab', reason: 'EIO: i/o error, read', cause: 'other' },
      'd.gradlab could not be read (EIO: i/o error, read). Try choosing it again.',
      '无法读取 d.gradlab（EIO: i/o error, read）。请再选择一次。',
    ],
    [{ kind: 'session', code: 'not-json', name: 'e.gradlab', detail: 'This GradLab session file is damaged' }, 'e.gradlab is a damaged GradLab session.', 'e.gradlab 是一个已损坏的 GradLab 会话。'],
    [{ kind: 'refused', reason: 'x' }, 'GradLab refused this: x', 'GradLab 拒绝了这个操作：x'],
  ];
  it.each(cases)('%j', (problem, en, zh) => {
    expect(render('en', problem)).toBe(en);
    expect(render('zh-CN', problem)).toBe(zh);
  });

  it('every known failure cause has words in both languages', () => {
    for (const cause of ['no-folder', 'no-permission', 'is-folder', 'disk-full', 'read-only'] as const) {
      const problem: SessionFileProblem = { kind: 'write', name: 'f.gradlab', reason: 'english', cause };
      const en = render('en', problem);
      const zh = render('zh-CN', problem);
      expect(en).not.toContain('english');
      expect(zh).not.toContain('english');
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('a damaged session keeps the parser’s detail', () => {
    expect(problemFromFiles({ kind: 'session', code: 'newer-version', name: 'g.gradlab', detail: 'version 9' })).toEqual({ key: 'error.newerVersion', params: { name: 'g.gradlab' }, detail: 'version 9' });
  });
});

describe('window title', () => {
  it('names the file and marks unsaved changes; an untouched unnamed session is just GradLab', () => {
    expect(windowTitle(null, false)).toBe('GradLab');
    expect(windowTitle(null, true)).toBe('• GradLab');
    expect(windowTitle('frogs.gradlab', false)).toBe('frogs.gradlab — GradLab');
    expect(windowTitle('frogs.gradlab', true)).toBe('• frogs.gradlab — GradLab');
  });
});
