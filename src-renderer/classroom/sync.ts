// Presenter → audience: the presenter tab (or window) posts what the class should see on a
// BroadcastChannel; the audience tab/window (`?audience=1`, same origin) draws it. Charts and
// images only: no controls, no lesson text. In Electron the second BrowserWindow loads the same
// app://gradlab URL, so the same channel connects the two windows.
import type { ChartSeries } from './chart-data';
import type { ClassroomLang } from './strings';

export const CLASSROOM_CHANNEL = 'gradlab-classroom';

export interface AudienceFrame {
  type: 'frame';
  /** Presenter mode is on (otherwise the audience waits). */
  presenter: boolean;
  blank: boolean;
  lang: ClassroomLang;
  /** Chart title and the one line under it (epoch, loss, status). */
  title: string;
  caption: string;
  series: ChartSeries[];
  logScale: boolean;
  /** Replay position to mark on the chart, or null when live. */
  marker: number | null;
  /** Optional picture (a data: URL), e.g. a frog prediction. */
  image: string | null;
}

export type ClassroomMessage = AudienceFrame | { type: 'hello' };

export function isAudienceSearch(search: string): boolean {
  return new URLSearchParams(search).get('audience') === '1';
}

/** Whether this page is the audience view (`?audience=1`). */
export function isAudienceWindow(): boolean {
  return typeof location !== 'undefined' && isAudienceSearch(location.search);
}

export function isClassroomMessage(data: unknown): data is ClassroomMessage {
  if (!data || typeof data !== 'object') return false;
  const type = (data as { type?: unknown }).type;
  if (type === 'hello') return true;
  const frame = data as Partial<AudienceFrame>;
  return type === 'frame' && typeof frame.presenter === 'boolean' && typeof frame.blank === 'boolean' && Array.isArray(frame.series);
}

/** The audience URL for the current page (same path, `?audience=1`). */
export function audienceUrl(href: string): string {
  const url = new URL(href);
  url.search = '?audience=1';
  url.hash = '';
  return url.toString();
}
