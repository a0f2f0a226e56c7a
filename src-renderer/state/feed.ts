// The window's one listener on the bridge's event stream. Each event is looked at once and handed
// to whoever owns its run id (the lab's run, the presenter's run, a compared run, a Python
// program); menu commands go to the command listeners. Stores take a feed instead of the bridge,
// so tests drive them with a fake stream.
import { APP_RUN_ID } from '../../src-main/contract/channels';
import type { AppCommand, GradLabEvent, Request } from '../../src-main/contract/messages';

export interface EventSource {
  onEvent(listener: (event: GradLabEvent) => void): () => void;
}

export type AppCommandEvent = Extract<GradLabEvent, { type: 'appCommand' }>;

export class EventFeed {
  /** Several handlers may share a run id (the lab's run and its graph and landscape views). */
  private readonly runs = new Map<string, Set<(event: GradLabEvent) => void>>();
  private readonly commandListeners = new Set<(event: AppCommandEvent) => void>();
  private readonly stop: () => void;

  constructor(source: EventSource) {
    this.stop = source.onEvent((event) => this.dispatch(event));
  }

  /** Hands every event of `runId` to `handler` until the returned function is called. */
  watchRun(runId: string, handler: (event: GradLabEvent) => void): () => void {
    const handlers = this.runs.get(runId) ?? new Set();
    handlers.add(handler);
    this.runs.set(runId, handlers);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.runs.get(runId) === handlers) this.runs.delete(runId);
    };
  }

  /** Commands from the desktop menu (File › Save, Help › Keyboard shortcuts, F5, …). */
  onCommand(listener: (command: AppCommand, event: AppCommandEvent) => void): () => void {
    const wrapped = (event: AppCommandEvent) => listener(event.command, event);
    this.commandListeners.add(wrapped);
    return () => this.commandListeners.delete(wrapped);
  }

  private dispatch(event: GradLabEvent): void {
    if (event.type === 'appCommand') {
      if (event.runId !== APP_RUN_ID) return;
      for (const listener of [...this.commandListeners]) listener(event);
      return;
    }
    // A restart that names no run concerns every run that was going on.
    if (event.type === 'workerRestarted' && event.runId === '') {
      for (const handlers of [...this.runs.values()]) for (const handler of [...handlers]) handler(event);
      return;
    }
    const handlers = this.runs.get(event.runId);
    if (handlers) for (const handler of [...handlers]) handler(event);
  }

  dispose(): void {
    this.stop();
    this.runs.clear();
    this.commandListeners.clear();
  }
}

/** What stores send requests through (the bridge's `send`, or a test's spy). */
export type SendRequest = (request: Request) => void;
