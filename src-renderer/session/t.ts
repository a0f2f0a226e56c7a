// t() for the session catalog: reading locale.lang inside makes the text follow a language switch.
import { locale } from '../i18n/locale.svelte';
import { fillSessionString, type SessionStringKey } from './strings';

export function ts(key: SessionStringKey, params?: Record<string, string | number>): string {
  return fillSessionString(locale.lang, key, params);
}
