// The lab's graph can be open in two places at once (the lab's Graph tab and presenter mode), but
// the training worker keeps one switch for it (`watchGraph`). This keeps the list of open views:
// the newest one's run and element are what the worker follows, and it is switched off only when
// the last view closes. It also keeps each run's latest graph, so a view opened later (or the tab
// chosen again) shows it at once instead of waiting for the next epoch.
import type { RecordedGraph } from '../../src-main/contract/graph';
import type { SendRequest } from '../state/feed';

export interface ShownGraph {
  epoch: number;
  graph: RecordedGraph;
  /** The graph at the run's values after `epoch` (graphAt), not one the run's own epoch built. */
  atValues: boolean;
  /** Epoch `epoch`'s own graph worked out again from the values it started from (same numbers; the update it made is not shown). */
  rebuilt?: boolean;
}

interface Watcher {
  runId: string | null;
  element: number;
}

/** Used when a view opens before any run: the worker records the runs started after it. */
const NO_RUN = 'lab-graph';

export class LabGraphWatch {
  private readonly watchers: Watcher[] = [];
  /** Latest graph per run (keyed by the run's recording: a restored run has no id). */
  private readonly kept = new WeakMap<object, ShownGraph>();

  constructor(private readonly send: SendRequest) {}

  /** A view follows `runId` (null: no run yet) at `element` until the returned function is called. */
  open(runId: string | null, element: number): () => void {
    const watcher: Watcher = { runId, element };
    this.watchers.push(watcher);
    this.tell(watcher, true);
    return () => {
      const at = this.watchers.indexOf(watcher);
      if (at < 0) return;
      this.watchers.splice(at, 1);
      const newest = this.watchers.at(-1);
      // the worker follows the newest view that is still open, or stops recording
      if (newest) this.tell(newest, true);
      else this.tell(watcher, false);
    };
  }

  keep(run: object, shown: ShownGraph): void {
    this.kept.set(run, shown);
  }

  keptFor(run: object | null): ShownGraph | null {
    return run ? (this.kept.get(run) ?? null) : null;
  }

  private tell(watcher: Watcher, on: boolean): void {
    this.send({ type: 'watchGraph', runId: watcher.runId ?? NO_RUN, on, element: watcher.element });
  }
}
