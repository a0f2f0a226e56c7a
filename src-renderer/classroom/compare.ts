// Bookkeeping for "compare runs": up to four runs of the same data with different learning rates,
// trained one after another (the training worker runs one run at a time) and drawn as one overlay.

export const MAX_COMPARE_RUNS = 4;

/** High-contrast colours that stay apart on black and on a projector's washed-out white. */
export const COMPARE_COLORS = ['#ffd400', '#00e5ff', '#ff5ccd', '#7dff6b'] as const;

export type CompareStatus = 'queued' | 'running' | 'finished' | 'diverged' | 'stopped' | 'failed';

export interface CompareRun {
  /** Stable key inside the book (slot colour follows it). */
  key: string;
  learningRate: number;
  color: string;
  status: CompareStatus;
  /** Bridge run id once started. */
  runId: string | null;
  /** Loss per epoch (index 0 = epoch 1). */
  losses: number[];
  /** Why it failed or diverged (shown in the legend's table). */
  message: string | null;
}

/** The events the book reacts to (a subset of the contract's events). */
export type CompareEvent =
  | { type: 'update'; runId: string; firstEpoch: number; losses: ArrayLike<number> }
  | { type: 'finished'; runId: string; reason: 'epochs' | 'target' | 'stopped' }
  | { type: 'diverged'; runId: string; epoch: number }
  | { type: 'error'; runId: string; message: string };

export type AddResult = { ok: true; run: CompareRun } | { ok: false; reason: 'full' | 'duplicate' | 'invalid' };

export class CompareBook {
  runs: CompareRun[] = [];
  private counter = 0;

  add(learningRate: number): AddResult {
    if (!Number.isFinite(learningRate) || learningRate <= 0) return { ok: false, reason: 'invalid' };
    if (this.runs.some((run) => run.learningRate === learningRate)) return { ok: false, reason: 'duplicate' };
    if (this.runs.length >= MAX_COMPARE_RUNS) return { ok: false, reason: 'full' };
    const used = new Set(this.runs.map((run) => run.color));
    const color = COMPARE_COLORS.find((c) => !used.has(c)) ?? COMPARE_COLORS[0];
    this.counter += 1;
    const run: CompareRun = { key: `cmp-${this.counter}`, learningRate, color, status: 'queued', runId: null, losses: [], message: null };
    this.runs.push(run);
    return { ok: true, run };
  }

  remove(key: string): CompareRun | undefined {
    const at = this.runs.findIndex((run) => run.key === key);
    return at >= 0 ? this.runs.splice(at, 1)[0] : undefined;
  }

  clear(): void {
    this.runs = [];
  }

  get running(): CompareRun | undefined {
    return this.runs.find((run) => run.status === 'running');
  }

  /** The run to start now: the first queued one, when none is running. */
  nextToStart(): CompareRun | null {
    if (this.running) return null;
    return this.runs.find((run) => run.status === 'queued') ?? null;
  }

  markStarted(key: string, runId: string): void {
    const run = this.runs.find((r) => r.key === key);
    if (!run) return;
    run.status = 'running';
    run.runId = runId;
    run.losses = [];
    run.message = null;
  }

  /** Puts every run back in the queue (a fresh comparison with the same learning rates). */
  requeueAll(): void {
    for (const run of this.runs) {
      run.status = 'queued';
      run.runId = null;
      run.losses = [];
      run.message = null;
    }
  }

  /**
   * Applies one event. Returns whether anything changed and whether the next queued run should
   * start now (the event ended the running one).
   */
  apply(event: CompareEvent): { changed: boolean; startNext: boolean } {
    const run = this.runs.find((r) => r.runId === event.runId);
    if (!run) return { changed: false, startNext: false };
    switch (event.type) {
      case 'update': {
        const start = event.firstEpoch - 1;
        for (let i = 0; i < event.losses.length; i++) run.losses[start + i] = event.losses[i];
        return { changed: event.losses.length > 0, startNext: false };
      }
      case 'finished':
        if (run.status !== 'running') return { changed: false, startNext: false };
        run.status = event.reason === 'stopped' ? 'stopped' : 'finished';
        return { changed: true, startNext: true };
      case 'diverged':
        run.status = 'diverged';
        run.message = `epoch ${event.epoch}`;
        return { changed: true, startNext: true };
      case 'error':
        if (run.status !== 'running') return { changed: false, startNext: false };
        run.status = 'failed';
        run.message = event.message;
        return { changed: true, startNext: true };
    }
  }

  get done(): boolean {
    return this.runs.length > 0 && this.runs.every((run) => run.status !== 'queued' && run.status !== 'running');
  }
}

/** Log scales cannot show zero, negative, nan or inf: such points become gaps (null). */
export function chartValue(loss: number, logScale: boolean): number | null {
  if (!Number.isFinite(loss)) return null;
  if (logScale && loss <= 0) return null;
  return loss;
}
