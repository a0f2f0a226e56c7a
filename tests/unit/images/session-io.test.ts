// Sessions in the browser edition: opening good and damaged files, "unsaved changes", exports.
import { describe, expect, it } from 'vitest';
import { serializeSession, DEFAULT_SETTINGS, type Session } from '../../../src-main/data/session';
import {
  checkSessionFile,
  lossExport,
  openSessionText,
  parametersExport,
  scriptConfig,
  scriptExport,
  sessionFingerprint,
  stampedName,
  SCRIPT_INLINE_LIMIT,
  type ExportSource,
} from '../../../src-renderer/session/session-io';
import { fillSessionString } from '../../../src-renderer/session/strings';

const session = (overrides: Partial<Session> = {}): Session => ({
  savedAt: '2026-11-27T07:00:00.000Z',
  appVersion: '0.1.0',
  language: 'en',
  lesson: { id: 'worked-example', step: 0 },
  data: { kind: 'numbers', x: Float32Array.of(1, 2), y: Float32Array.of(115, 21), shape: [2], sources: { x: null, y: null } },
  settings: { ...DEFAULT_SETTINGS },
  run: null,
  ...overrides,
});

describe('opening a session file', () => {
  it('reads back what was saved', () => {
    const text = serializeSession(session());
    const opened = openSessionText('lesson.gradlab', text);
    expect(opened.ok).toBe(true);
    if (!opened.ok || opened.session.data?.kind !== 'numbers') throw new Error('expected numbers');
    expect(Array.from(opened.session.data.y)).toEqual([115, 21]);
    expect(opened.session.settings.learningRate).toBe(0.01);
  });

  it('gives a clear message for a cut-off, foreign, empty or newer file', () => {
    const text = serializeSession(session());
    const cases: [string, string][] = [
      [text.slice(0, Math.floor(text.length / 2)), 'error.notJson'],
      ['{"hello": 1}', 'error.foreign'],
      ['   ', 'error.empty'],
      [text.replace('"version": 1', '"version": 99'), 'error.newerVersion'],
      [text.replace('"learningRate": 0.01', '"learningRate": "fast"'), 'error.invalid'],
    ];
    for (const [content, key] of cases) {
      const opened = openSessionText('my.gradlab', content);
      expect(opened.ok, key).toBe(false);
      if (opened.ok) continue;
      expect(opened.problem.key).toBe(key);
      expect(opened.problem.params.name).toBe('my.gradlab');
      if (key !== 'error.empty') expect(opened.problem.detail, key).toMatch(/GradLab|session/);
    }
  });

  it('refuses other extensions and oversized files before reading them', () => {
    expect(checkSessionFile('data.csv', 10)?.key).toBe('error.extension');
    expect(checkSessionFile('big.gradlab', 300 * 1024 * 1024)).toEqual({ key: 'error.tooBig', params: { name: 'big.gradlab', mb: 300, max: 256 } });
    expect(checkSessionFile('Lesson.GRADLAB', 1000)).toBeNull();
    expect(fillSessionString('zh-CN', 'error.extension', { name: 'data.csv' })).toContain('data.csv 不是 .gradlab 文件');
  });
});

describe('unsaved changes', () => {
  it('ignore the save time, language and lesson position but see every data or settings edit', () => {
    const base = sessionFingerprint(session());
    expect(sessionFingerprint(session({ savedAt: '2030-01-01T00:00:00.000Z', language: 'zh-CN', lesson: null }))).toBe(base);
    const edited = session({ data: { kind: 'numbers', x: Float32Array.of(1, 2), y: Float32Array.of(115, 22), shape: [2], sources: { x: null, y: null } } });
    expect(sessionFingerprint(edited)).not.toBe(base);
    expect(sessionFingerprint(session({ settings: { ...DEFAULT_SETTINGS, epochs: 101 } }))).not.toBe(base);
  });
});

describe('exports', () => {
  const now = new Date(2026, 10, 27, 7, 5);
  const source = (overrides: Partial<ExportSource> = {}): ExportSource => ({
    config: { x: [1, 2], y: [115, 21], initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100 },
    losses: Float32Array.of(6642.5, 4000),
    w: Float32Array.of(51.826, -9.4314),
    wLength: 2,
    b: 45.1103,
    wGrad: null,
    bGrad: null,
    ...overrides,
  });

  it('names files by time', () => {
    expect(stampedName(now, 'gradlab')).toBe('gradlab-2026-11-27-0705.gradlab');
  });

  it('writes the loss history as epoch,loss rows', () => {
    const result = lossExport(source(), now);
    if (!result.ok) throw new Error('expected a file');
    expect(result.files).toEqual([{ name: 'gradlab-loss-2026-11-27-0705.csv', type: 'text/csv', data: 'epoch,loss\n1,6642.5\n2,4000\n' }]);
    expect(lossExport(source({ losses: new Float32Array(0) }), now)).toEqual({ ok: false, problem: { key: 'msg.nothingToExport', params: {} } });
  });

  it('writes every parameter when w is known, and explains when only a summary of a long w is', () => {
    const result = parametersExport(source(), now);
    if (!result.ok) throw new Error('expected a file');
    expect(result.files[0].data).toMatch(/^parameter,index,value\nw,0,51\.826\nw,1,-9\.4314\nb,,45\.1103\n$/);
    const long = parametersExport(source({ w: null, wLength: 4096 }), now);
    expect(long).toEqual({ ok: false, problem: { key: 'msg.longW', params: { n: '4,096' } } });
  });

  it('exports a PyTorch script with the data inline, or with a .npy file beside it for big data', () => {
    const small = scriptExport(source(), now);
    if (!small.ok) throw new Error('expected a script');
    expect(small.files).toHaveLength(1);
    expect(small.files[0].name).toBe('gradlab-run-2026-11-27-0705.py');
    expect(small.files[0].data).toContain('x = torch.tensor([1.0, 2.0])');
    expect(small.files[0].data).toContain('learning_rate = 0.01');
    const n = SCRIPT_INLINE_LIMIT + 1;
    const big = scriptExport(source({ config: { x: new Float32Array(n), y: new Float32Array(n), initialW: { kind: 'ones' }, initialB: 0, learningRate: 0.1, epochs: 5 } }), now);
    if (!big.ok) throw new Error('expected two files');
    expect(big.files.map((f) => f.name)).toEqual(['gradlab-run-2026-11-27-0705.py', 'gradlab-run-2026-11-27-0705-data.npy']);
    expect(big.files[0].data).toContain('gradlab-run-2026-11-27-0705-data.npy');
    expect(scriptExport(source({ config: null }), now)).toEqual({ ok: false, problem: { key: 'msg.noData', params: {} } });
  });

  it("exports lesson 6's torch.nn / torch.optim form under its own name, replaying the same live changes", () => {
    const nn = scriptExport(source(), now, undefined, 'nn');
    if (!nn.ok) throw new Error('expected a script');
    expect(nn.files[0].name).toBe('gradlab-run-nn-2026-11-27-0705.py');
    expect(nn.files[0].data).toContain('class Regression(nn.Module):');
    expect(nn.files[0].data).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)');
    const started = source().config!;
    const run = { config: started, settingChanges: [{ fromEpoch: 31, learningRate: 0.005, skipZeroGrad: false }] };
    const replay = scriptExport(source({ config: { ...started, learningRate: 0.005 }, run }), now, undefined, 'nn');
    if (!replay.ok) throw new Error('expected a script');
    expect(replay.files[0].data).toContain("        optimizer.param_groups[0]['lr'] = learning_rate");
    expect(replay.files[0].data).toContain('    31: (0.005, False),');
  });

  it('replays the run\'s live changes while the lab still describes that run, and the lab\'s settings once it was edited', () => {
    const started = source().config!;
    // The run started at lr 0.01; at epoch 31 the learning rate went to 0.005, at 61 zero_grad was forgotten.
    const settingChanges = [
      { fromEpoch: 31, learningRate: 0.005, skipZeroGrad: false },
      { fromEpoch: 61, learningRate: 0.005, skipZeroGrad: true },
    ];
    const run = { config: started, settingChanges };
    // The lab followed the live controls: it has the run's latest settings.
    const lab = { ...started, learningRate: 0.005, skipZeroGrad: true, x: Float32Array.of(1, 2), y: Float32Array.of(115, 21) };
    const replay = scriptConfig(lab, run);
    expect(replay.settingChanges).toEqual(settingChanges);
    expect(replay.config).toMatchObject({ learningRate: 0.01, skipZeroGrad: false, epochs: 100 });
    const result = scriptExport(source({ config: lab, run }), now);
    if (!result.ok) throw new Error('expected a script');
    const text = result.files[0].data as string;
    expect(text).toContain('learning_rate = 0.01\n');
    expect(text).toContain('    31: (0.005, False),\n    61: (0.005, True),');
    // Edited since: other data, other epochs, or a learning rate typed after the run ended.
    for (const edited of [{ ...lab, y: [115, 22] }, { ...lab, epochs: 200 }, { ...lab, learningRate: 0.1 }, { ...lab, skipZeroGrad: false }]) {
      expect(scriptConfig(edited, run)).toEqual({ config: edited, settingChanges: [] });
    }
    // No run, or a run without live changes: the lab's settings as they are.
    expect(scriptConfig(lab, null)).toEqual({ config: lab, settingChanges: [] });
    expect(scriptConfig(lab, { config: started, settingChanges: [] })).toEqual({ config: lab, settingChanges: [] });
  });
});
