// The current UI language: navigator.language on first start, then whatever the learner picked
// (remembered in localStorage). Components call t(); reading `locale.lang` inside it makes every
// translated text re-render when the language changes.
import type { MessageKey } from './en';
import { isLang, languageFromNavigator, translate, type Lang, type Params } from './catalogs';

const STORAGE_KEY = 'gradlab.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage can be unavailable (privacy mode); the navigator language is a fine default.
  }
  const list = typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [];
  return languageFromNavigator(list);
}

export const locale = $state<{ lang: Lang }>({ lang: initialLang() });

/** Keeps <html lang> right for screen readers and CJK font selection. */
export function applyDocumentLang(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale.lang;
}

export function setLang(lang: Lang): void {
  locale.lang = lang;
  applyDocumentLang();
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered across restarts, but the switch still works for this session.
  }
}

export function t(key: MessageKey, params?: Params): string {
  return translate(locale.lang, key, params);
}
