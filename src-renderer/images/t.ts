// t() for the images catalog: reading locale.lang inside makes the text follow a language switch.
import { formatDataMessage } from '../../src-main/data/messages';
import { locale } from '../i18n/locale.svelte';
import { fillImageString, type ImageStringKey } from './strings';
import type { LoadProblem } from './problems';

export function ti(key: ImageStringKey, params?: Record<string, string | number>): string {
  return fillImageString(locale.lang, key, params);
}

/** A load problem as lines of text: the translated sentence, then the parser's detail if any. */
export function problemText(problem: LoadProblem): string[] {
  const lines = [ti(problem.key, problem.params)];
  const detail = problem.detailMessage ? formatDataMessage(problem.detailMessage, locale.lang) : problem.detail;
  if (detail) lines.push(ti('error.detail', { detail }));
  return lines;
}
