import { describe, expect, it } from 'vitest';
import { makeRunSummary, parseSession, serializeSession, sessionDigestText, SESSION_VERSION, SessionFileError, trainConfigFromSession } from '../../../src-main/data/session';
import { validateRequest } from '../../../src-main/contract/validate-request';
import { float32ToBase64 } from '../../../src-main/data/base64';
import { FloatEncodings, floatDigest } from '../../../src-main/data/float-encodings';
import { thrown } from './helpers/fixtures';
import { imageSession, numbersSession } from './helpers/sessions';

const SAVED = new Date('2026-11-27T08:00:00.000Z');

describe('session files', () => {
  it('round-trips a numbers session exactly', () => {
    const session = numbersSession();
    const text = serializeSession(session, SAVED);
    expect(JSON.parse(text)).toMatchObject({ format: 'gradlab-session', version: SESSION_VERSION, savedAt: SAVED.toISOString() });
    expect(parseSession(text)).toEqual({ ...session, savedAt: SAVED.toISOString() });
  });

  it('round-trips an image session with its pixels (base64 float32) bit for bit', () => {
    for (const [side, channels] of [[64, 1], [16, 3]] as const) {
      const session = imageSession(side, channels);
      const text = serializeSession(session, SAVED);
      expect(text).toContain('"encoding": "float32-base64"');
      const back = parseSession(text);
      expect(back).toEqual({ ...session, savedAt: SAVED.toISOString() });
      if (back.data?.kind !== 'images' || session.data?.kind !== 'images') throw new Error('expected images');
      expect(Buffer.from(back.data.y.pixels.buffer).equals(Buffer.from(session.data.y.pixels.buffer))).toBe(true);
    }
  });

  it('writes long vectors exactly as JSON.stringify would, also with remembered encodings and a name like a placeholder', () => {
    const session = imageSession(16, 3);
    if (session.data?.kind !== 'images') throw new Error('expected images');
    session.data.x.name = 'gradlab-float32-0 "quoted".png';
    const run = makeRunSummary({ epochs: 3, losses: Float32Array.of(3, 2, NaN), finalLoss: NaN, w: session.data.y.pixels.map((v) => v * 2), b: 1 });
    const withRun = { ...session, run };
    const encodings = new FloatEncodings();
    const text = serializeSession(withRun, SAVED);
    // The same document stringified in one piece (the base64 put in before JSON.stringify).
    const json = JSON.parse(text);
    expect(json.data.x.name).toBe('gradlab-float32-0 "quoted".png');
    expect(json.data.x.pixels.data).toBe(float32ToBase64(session.data.x.pixels));
    expect(json.run.wValues.data).toBe(float32ToBase64(run.wValues!));
    expect(json.run.lossHistory.data).toBe(float32ToBase64(run.lossHistory!));
    expect(text).toBe(JSON.stringify(json, null, 1) + '\n');
    expect(serializeSession(withRun, SAVED, encodings)).toBe(text);
    expect(serializeSession(withRun, SAVED, encodings)).toBe(text); // from what it remembered
  });

  it('a digest text tells sessions apart by their values, not by which arrays hold them', () => {
    const session = imageSession(16, 3);
    if (session.data?.kind !== 'images') throw new Error('expected images');
    const digest = sessionDigestText(session, SAVED);
    expect(digest).not.toContain(float32ToBase64(session.data.x.pixels));
    const copy = { ...session, data: { ...session.data, x: { ...session.data.x, pixels: session.data.x.pixels.slice() } } };
    expect(sessionDigestText(copy, SAVED)).toBe(digest);
    copy.data.x.pixels[100] = Math.fround(copy.data.x.pixels[100] + 1e-6);
    expect(sessionDigestText(copy, SAVED)).not.toBe(digest);
    expect(floatDigest(Float32Array.of(0, 1))).not.toBe(floatDigest(Float32Array.of(1, 0)));
  });

  it('keeps a diverged run: nan/inf become null in the summary and survive in the history', () => {
    const run = makeRunSummary({ epochs: 7, losses: Float32Array.of(1, 1e30, Infinity, NaN), finalLoss: NaN, w: Float32Array.of(NaN, 2), b: Infinity });
    expect(run).toMatchObject({ finalLoss: null, b: null, w: { length: 2, min: null, max: null, mean: null, first: [null, 2] } });
    const back = parseSession(serializeSession(numbersSession({ run }), SAVED));
    expect(Array.from(back.run!.lossHistory!)).toEqual([1, Math.fround(1e30), Infinity, NaN]);
    expect(Number.isNaN(back.run!.wValues![0])).toBe(true);
  });

  it('reads a session without data or run', () => {
    const session = numbersSession({ data: null, run: null, lesson: null });
    expect(parseSession(serializeSession(session, SAVED))).toEqual({ ...session, savedAt: SAVED.toISOString() });
  });

  it('says an empty or truncated file is damaged, not foreign', () => {
    expect(thrown(() => parseSession('')).message).toBe('This session file is empty (0 bytes of data). The save may have failed; open an earlier copy.');
    const text = serializeSession(imageSession(32), SAVED);
    for (const cut of [40, Math.floor(text.length / 2), text.length - 3]) {
      const error = thrown(() => parseSession(text.slice(0, cut)));
      expect(error).toBeInstanceOf(SessionFileError);
      expect(error.code).toBe('not-json');
      expect(error.message).toBe('This GradLab session file is damaged: it ends too early (the save was probably cut off). Open an earlier copy of it.');
    }
  });

  it('points at broken JSON inside a session', () => {
    const text = serializeSession(numbersSession(), SAVED).replace('"language": "zh-CN"', '"language": zh-CN');
    expect(thrown(() => parseSession(text)).message).toMatch(/^This GradLab session file is damaged: it is not valid JSON at line \d+, column 14\./);
  });

  it('recognises foreign files', () => {
    expect(thrown(() => parseSession('{"x": [1, 2], "y": [3, 4]}')).message).toBe(
      'This is not a GradLab session file: it is JSON, but not the kind GradLab saves. To use numbers from it, load it as data (x or y) instead.',
    );
    const png = thrown(() => parseSession('\x89PNG\r\n\x1a\n....'));
    expect(png.code).toBe('foreign');
    expect(png.message).toMatch(/^This is not a GradLab session file \(it is not valid JSON at line 1, column 1\)\./);
    expect(thrown(() => parseSession('[1, 2, 3]')).code).toBe('foreign');
  });

  it('refuses sessions from a newer GradLab and nonsense versions', () => {
    const newer = serializeSession(numbersSession(), SAVED).replace(`"version": ${SESSION_VERSION}`, '"version": 7');
    const error = thrown(() => parseSession(newer));
    expect(error.code).toBe('newer-version');
    expect(error.message).toBe(
      `This session was saved by a newer GradLab (session format 7); this GradLab reads format ${SESSION_VERSION} and older. Update GradLab to open it.`,
    );
    const bad = serializeSession(numbersSession(), SAVED).replace(`"version": ${SESSION_VERSION}`, '"version": "one"');
    expect(thrown(() => parseSession(bad)).message).toBe(
      'This GradLab session file is damaged: its format version is "one", not a whole number from 1. Open an earlier copy, or start again from the lesson.',
    );
  });

  it('names the field with a wrong type', () => {
    // The parsed file as loose JSON, to damage one field at a time.
    type Loose = Record<string, Record<string, unknown>>;
    const edit = (mutate: (json: Loose) => void) => {
      const json = JSON.parse(serializeSession(numbersSession(), SAVED)) as Loose;
      mutate(json);
      return thrown(() => parseSession(JSON.stringify(json)));
    };
    expect(edit((j) => (j.settings.learningRate = '0.01')).message).toMatch(/^This GradLab session file is damaged: the field "settings\.learningRate" is wrong \(Invalid type: Expected number but received "0\.01"\)/);
    expect(edit((j) => ((j as Record<string, unknown>).language = 'fr')).message).toContain('the field "language" is wrong');
    expect(edit((j) => (j.data.x = [1, 'two'])).message).toContain('"data.x');
    expect(edit((j) => (j.settings.initialW = { kind: 'gaussian' })).message).toContain('the field "settings.initialW.kind" is wrong');
    expect(edit((j) => (j.data.y = [1, 2, 3])).message).toContain('x has 2 values but y has 3');
    expect(edit((j) => (j.data.shape = [3])).message).toContain('data.shape [3] does not hold 2 values');
    expect(edit((j) => delete j.settings).message).toContain('the field "settings" is wrong');
  });

  it('catches cut or corrupted pixel data', () => {
    const json = JSON.parse(serializeSession(imageSession(16), SAVED));
    json.data.x.pixels.data = float32ToBase64(new Float32Array(254));
    expect(thrown(() => parseSession(JSON.stringify(json))).message).toBe(
      'This GradLab session file is damaged: data.x.pixels says it has 256 values but holds 254 (the file is cut or edited). Open an earlier copy, or start again from the lesson.',
    );
    json.data.x.pixels.data = '!!!!';
    expect(thrown(() => parseSession(JSON.stringify(json))).message).toContain('data.x.pixels is not valid base64 float32 data');
    const wrongShape = JSON.parse(serializeSession(imageSession(16), SAVED));
    wrongShape.data.shape.width = 20;
    expect(thrown(() => parseSession(JSON.stringify(wrongShape))).message).toContain('image x has 256 values, but 20 × 16 × 1 needs 320');
  });

  it('turns a session back into the TrainConfig it describes (valid for the protocol)', () => {
    const images = imageSession(16);
    const config = trainConfigFromSession(parseSession(serializeSession(images, SAVED)))!;
    expect(config).toMatchObject({ initialW: { kind: 'ones' }, learningRate: 0.1, epochs: 1000, epochsPerSecond: 30, targetLoss: 0.001, image: { width: 16, height: 16, channels: 1 } });
    expect(config.x.length).toBe(256);
    expect(validateRequest({ type: 'start', runId: 'r1', config })).toMatchObject({ ok: true });
    const numbers = trainConfigFromSession(numbersSession())!;
    expect(numbers).toEqual({ x: Float32Array.of(1, 2), y: Float32Array.of(115, 21), initialW: { kind: 'values', values: [1, 2] }, initialB: 0, learningRate: 0.01, epochs: 100, epochsPerSecond: null });
    expect(trainConfigFromSession(numbersSession({ data: null }))).toBeNull();
  });

  it('keeps the shared model (one w and b for all points); files from before it read as the per-value model', () => {
    const base = numbersSession();
    const shared = { ...base, settings: { ...base.settings, model: 'shared' as const, initialW: { kind: 'values' as const, values: [0.5] } } };
    const back = parseSession(serializeSession(shared, SAVED));
    expect(back.settings.model).toBe('shared');
    expect(trainConfigFromSession(back)).toMatchObject({ model: 'shared', initialW: { kind: 'values', values: [0.5] } });
    const old = JSON.parse(serializeSession(base, SAVED));
    delete old.settings.model;
    expect(parseSession(JSON.stringify(old)).settings.model).toBe('perValue');
    expect(trainConfigFromSession(parseSession(JSON.stringify(old)))).not.toHaveProperty('model');
  });
});
