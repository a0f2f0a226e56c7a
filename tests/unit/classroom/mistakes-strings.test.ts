import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configWithMistake, fixVectorLoss, lessonExampleConfig, lossLineNumber, sourceLine, VECTOR_LOSS_PROGRAM } from '../../../src-renderer/classroom/mistakes';
import { trainToEnd } from '../../../src-main/training/trainer';
import { classroomStrings, ct, divergedText } from '../../../src-renderer/classroom/strings';
import { audienceUrl, isAudienceSearch, isClassroomMessage } from '../../../src-renderer/classroom/sync';

const fixtures = join(import.meta.dirname, '../../fixtures/lessons');

describe('mistakes', () => {
  it('the vector-loss program is the lesson fixture that raises the scalar-outputs RuntimeError', () => {
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(VECTOR_LOSS_PROGRAM)).toBe(squash(readFileSync(join(fixtures, 'scalar-backward-2.py'), 'utf8')));
    expect(readFileSync(join(fixtures, 'scalar-backward-2.out'), 'utf8')).toContain('RuntimeError: grad can be implicitly created only for scalar outputs');
  });

  it('the fix adds .mean() to the loss line only, once', () => {
    const fixed = fixVectorLoss(VECTOR_LOSS_PROGRAM);
    expect(fixed.split('\n')[5]).toBe('loss = ((y_hat - y) ** 2).mean()');
    expect(fixed.split('\n').filter((l, i) => l !== VECTOR_LOSS_PROGRAM.split('\n')[i])).toHaveLength(1);
    expect(fixVectorLoss(fixed)).toBe(fixed);
    expect(lossLineNumber(VECTOR_LOSS_PROGRAM)).toBe(6);
    expect(sourceLine(VECTOR_LOSS_PROGRAM, 8)).toBe('loss.backward()');
    expect(sourceLine(VECTOR_LOSS_PROGRAM, 99)).toBeNull();
  });

  it('learning rate x100 makes the lesson example diverge; the fixed config converges', () => {
    const broken = trainToEnd(configWithMistake(lessonExampleConfig(100), 'lrTimes100'));
    expect(broken.reason).toBe('diverged');
    expect(broken.diverged!.epoch).toBeGreaterThan(1);
    const fixed = trainToEnd(configWithMistake(lessonExampleConfig(100), null));
    expect(fixed.reason).toBe('epochs');
    expect(fixed.loss!).toBeCloseTo(183.0799, 3);
  });

  it('forgetting zero_grad is a config switch the trainer obeys (different, worse run)', () => {
    const config = configWithMistake(lessonExampleConfig(30), 'noZeroGrad');
    expect(config.skipZeroGrad).toBe(true);
    expect(config.learningRate).toBe(0.01);
    const piled = trainToEnd(config);
    const clean = trainToEnd(lessonExampleConfig(30));
    expect(piled.loss).not.toBe(clean.loss);
  });
});

describe('strings', () => {
  it('both languages have the same keys and the same placeholders, and no empty text', () => {
    const en = classroomStrings.en;
    const zh = classroomStrings['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(holes(zh[key]), key).toEqual(holes(en[key]));
      expect(zh[key].trim(), key).not.toBe('');
      // Real words must be translated (texts like "{n} / s" may coincide).
      if (/[a-z]{4}/i.test(en[key].replace(/\{\w+\}|float32|backward|mean|sum|grad|zero_/g, ''))) expect(zh[key], key).not.toBe(en[key]);
    }
  });

  it('fills placeholders and explains divergence in both languages', () => {
    expect(ct('en', 'stepOf', { n: 2, total: 9 })).toBe('Step 2 of 9');
    expect(ct('zh-CN', 'stepOf', { n: 2, total: 9 })).toBe('第 2 步，共 9 步');
    const event = { epoch: 31, learningRate: 1, lossIsNan: false };
    const en = divergedText('en', event, String);
    const zh = divergedText('zh-CN', event, String);
    expect(en).toContain('inf at epoch 31');
    expect(en).toContain('try 0.1');
    expect(zh).toContain('第 31 轮');
    expect(zh).toContain('学习率 1 太大');
  });
});

describe('audience sync', () => {
  it('recognises the audience window and builds its URL', () => {
    expect(isAudienceSearch('?audience=1')).toBe(true);
    expect(isAudienceSearch('?audience=0')).toBe(false);
    expect(isAudienceSearch('')).toBe(false);
    expect(audienceUrl('app://gradlab/index.html?lang=en#x')).toBe('app://gradlab/index.html?audience=1');
    expect(audienceUrl('http://127.0.0.1:5179/')).toBe('http://127.0.0.1:5179/?audience=1');
  });

  it('accepts only well-formed messages', () => {
    expect(isClassroomMessage({ type: 'hello' })).toBe(true);
    expect(isClassroomMessage({ type: 'frame', presenter: true, blank: false, series: [] })).toBe(true);
    expect(isClassroomMessage({ type: 'frame', presenter: 'yes' })).toBe(false);
    expect(isClassroomMessage(null)).toBe(false);
  });
});
