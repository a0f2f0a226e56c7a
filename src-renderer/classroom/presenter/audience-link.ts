// Presenter → audience window: the newest frame, at most ten times a second, over a
// BroadcastChannel (a second tab, or Electron's second window at the same URL). A window that
// opens later says hello and gets the current frame at once. See sync.ts for the messages.
import { CLASSROOM_CHANNEL, isClassroomMessage, type AudienceFrame } from '../sync';

export interface AudienceLink {
  /** The frame to show now (sent within 100 ms; newer frames replace older unsent ones). */
  show(frame: AudienceFrame): void;
  /** Tells the audience the presenter left, and closes the channel. */
  close(): void;
}

const FRAME_INTERVAL_MS = 100;

export function openAudienceLink(): AudienceLink {
  const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CLASSROOM_CHANNEL) : null;
  let latest: AudienceFrame | null = null;
  let pending: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const post = () => {
    pending = null;
    if (!closed && latest) channel?.postMessage(latest);
  };
  if (channel) {
    channel.onmessage = (event: MessageEvent) => {
      if (!closed && isClassroomMessage(event.data) && event.data.type === 'hello' && latest) channel.postMessage(latest);
    };
  }
  return {
    show(frame) {
      latest = frame;
      if (!pending && !closed) pending = setTimeout(post, FRAME_INTERVAL_MS);
    },
    close() {
      if (closed) return;
      if (pending) clearTimeout(pending);
      pending = null;
      if (latest) channel?.postMessage({ ...latest, presenter: false, blank: false } satisfies AudienceFrame);
      closed = true;
      channel?.close();
    },
  };
}
