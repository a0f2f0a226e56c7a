// The string catalogs and the pure lookup; the reactive current language lives in locale.svelte.ts.
import { en, type Catalog, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export const languages: readonly { code: Lang; label: string }[] = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
];
export const catalogs: Record<Lang, Catalog> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

/** Fills {name} placeholders; an unknown placeholder is left visible so it gets noticed. Shared by every catalog. */
export function fillPlaceholders(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Looks a key up and fills its placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return fillPlaceholders(catalogs[lang][key], params);
}

/** Picks the UI language from the browser's list: any Chinese variant gets zh-CN, everything else English. */
export function languageFromNavigator(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en';
}
