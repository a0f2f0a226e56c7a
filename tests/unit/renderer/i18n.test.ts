// Both UI catalogs carry the same keys and the same placeholders, and none is left empty.
import { describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/i18n/en';
import { zhCN } from '../../../src-renderer/i18n/zh-CN';
import { languageFromNavigator, translate } from '../../../src-renderer/i18n/catalogs';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('UI string catalogs', () => {
  it('zh-CN and en have identical keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('every entry uses the same placeholders in both languages', () => {
    const mismatched = (Object.keys(en) as (keyof typeof en)[]).filter((key) => placeholders(en[key]).join() !== placeholders(zhCN[key]).join());
    expect(mismatched).toEqual([]);
  });

  it('no entry is empty, and Chinese entries are really translated where they contain words', () => {
    for (const [key, text] of Object.entries(en)) expect(text.trim(), key).not.toBe('');
    for (const [key, text] of Object.entries(zhCN)) expect(text.trim(), key).not.toBe('');
    // Sentences (more than three words in English) must not be copied unchanged into the Chinese catalog.
    const copied = Object.keys(en).filter((key) => en[key as keyof typeof en].split(' ').length > 3 && en[key as keyof typeof en] === zhCN[key as keyof typeof zhCN]);
    expect(copied).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'controls.progressText', { epoch: 37, total: 100 })).toBe('Epoch 37 of 100');
    expect(translate('zh-CN', 'controls.progressText', { epoch: 37, total: 100 })).toBe('第 37 轮，共 100 轮');
    expect(translate('en', 'controls.progressText', { epoch: 1 })).toBe('Epoch 1 of {total}');
  });

  it('follows the browser language: any Chinese variant gives zh-CN, otherwise English', () => {
    expect(languageFromNavigator(['zh-TW', 'en'])).toBe('zh-CN');
    expect(languageFromNavigator(['zh'])).toBe('zh-CN');
    expect(languageFromNavigator(['en-GB', 'zh-CN'])).toBe('en');
    expect(languageFromNavigator(['de-DE'])).toBe('en');
    expect(languageFromNavigator([])).toBe('en');
  });
});
