// Both languages carry every string, with the same placeholders, for images and sessions.
import { describe, expect, it } from 'vitest';
import { fillImageString, imagesEn, imagesZh } from '../../../src-renderer/images/strings';
import { fillSessionString, sessionEn, sessionZh } from '../../../src-renderer/session/strings';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const [area, en, zh] of [
  ['images', imagesEn, imagesZh],
  ['session', sessionEn, sessionZh],
] as const) {
  describe(`${area} strings`, () => {
    it('zh-CN has exactly the English keys', () => {
      expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    });
    it('every text is filled in and uses the same placeholders in both languages', () => {
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(en[key].trim().length, key).toBeGreaterThan(0);
        expect((zh as Record<string, string>)[key].trim().length, key).toBeGreaterThan(0);
        expect(placeholders((zh as Record<string, string>)[key]), key).toEqual(placeholders(en[key]));
      }
    });
    it('the Chinese catalog is written in Chinese, not copied English', () => {
      const copied = (Object.keys(en) as (keyof typeof en)[]).filter((key) => en[key] === (zh as Record<string, string>)[key] && /[a-z]{4,}/i.test(en[key]));
      expect(copied).toEqual([]);
    });
  });
}

describe('filling placeholders', () => {
  it('fills known names and leaves unknown ones visible', () => {
    expect(fillImageString('en', 'loader.dimensions', { name: 'a.png', width: 3, height: 4 })).toBe('a.png: 3 × 4 pixels');
    expect(fillImageString('zh-CN', 'loader.dimensions', { name: 'a.png' })).toBe('a.png：{width} × {height} 像素');
    expect(fillSessionString('en', 'msg.exported', { name: 'x.csv' })).toBe('Downloaded x.csv.');
  });
});
