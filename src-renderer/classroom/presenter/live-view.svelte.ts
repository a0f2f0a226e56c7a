// What the presenter shows of its live run, derived from the classroom state: the recording
// (or the replayed moment of it), the caption, the Run button's word, the chart series, the
// config that trains, and the frame the audience window gets. No state of its own.
import { MediaQuery } from 'svelte/reactivity';
import { fmt4, fmtRateValue } from '../../lib/format';
import { classroom } from '../classroom.svelte';
import { compareSeries, gradientSeries, lossSeries, type ChartSeries } from '../chart-data';
import { ct, type ClassroomKey, type ClassroomLang } from '../strings';
import type { AudienceFrame } from '../sync';

const STATUS_KEY: Record<string, ClassroomKey> = {
  idle: 'statusIdle',
  starting: 'statusStarting',
  running: 'statusRunning',
  paused: 'statusPaused',
  finished: 'statusFinished',
  stopped: 'statusStopped',
  diverged: 'statusDiverged',
};

/** A screen tall enough for the loss landscape beside the mistakes panel (the presenter's tall layout starts there too). */
const TALL_STAGE = new MediaQuery('min-height: 1000px');

export class LiveView {
  constructor(private readonly lang: () => ClassroomLang) {}

  // The recording's reads are reactive: each derived below follows the run's updates.
  readonly recording = $derived(classroom.recording);
  readonly epochCount = $derived(this.recording.epochCount);
  readonly last = $derived(this.recording.last);
  readonly replayFrame = $derived(classroom.replayOn ? this.recording.frameAt(classroom.replayPosition) : null);
  /** The update the arithmetic writes out: the newest, or the one at the replayed epoch. */
  readonly pair = $derived(this.recording.stepPairAt(this.replayFrame ? this.replayFrame.epoch : Number.POSITIVE_INFINITY));
  readonly shownSnapshot = $derived(this.replayFrame ? this.replayFrame.snapshot : this.last);
  /** The live run's config, or the one the next run will train. */
  readonly shownConfig = $derived(classroom.runConfig ?? classroom.baseConfig);
  readonly wCount = $derived(this.shownConfig.x.length);
  readonly lastLoss = $derived(this.epochCount > 0 ? this.recording.lossAt(this.epochCount) : null);
  readonly image = $derived(this.shownConfig.image ?? null);
  readonly showingCompare = $derived(classroom.panel === 'compare');
  readonly showingImages = $derived(classroom.chart === 'images' && this.image !== null && !this.showingCompare);
  /** The vector-loss mistake is a program, not a training run: its output takes the chart's place. */
  readonly showingProgram = $derived(classroom.programShown);
  /**
   * The lab's graph and loss landscape are offered beside the lesson and the mistakes (where a
   * teacher shows what a 100x learning rate does to the path down the bowl, or what the graph's
   * .grad holds without zero_()); compare's chart has several runs, none of them "the" run.
   */
  readonly labViewsOffered = $derived(classroom.panel === 'lesson' || classroom.panel === 'mistakes');
  /** The landscape's map and notes need the wide stage, which the mistakes panel keeps only on a tall screen. */
  readonly landscapeOffered = $derived(this.labViewsOffered && (classroom.panel === 'lesson' || TALL_STAGE.current));
  /** The lab's graph or loss landscape, drawn for the presenter's run in the chart's place. */
  readonly showingLabView = $derived(((this.labViewsOffered && classroom.chart === 'graph') || (this.landscapeOffered && classroom.chart === 'landscape')) && !this.showingProgram);
  /** The chart kind the switch shows as chosen (the loss where a chosen graph or landscape is not offered). */
  readonly shownChart = $derived((classroom.chart === 'graph' && !this.labViewsOffered) || (classroom.chart === 'landscape' && !this.landscapeOffered) ? 'loss' : classroom.chart);
  readonly labSize = $derived(classroom.labValueCount() ?? 0);
  // The frogs as pixels, converted once per config (not on every picture the run sends).
  readonly frogX = $derived(this.showingImages ? Float32Array.from(this.shownConfig.x) : null);
  readonly frogY = $derived(this.showingImages ? Float32Array.from(this.shownConfig.y) : null);

  readonly liveSeries = $derived.by((): ChartSeries[] => {
    if (classroom.chart === 'grads') return gradientSeries(this.recording, Array.from({ length: Math.min(this.wCount, 4) }, (_, i) => i));
    return [lossSeries(this.recording, ct(this.lang(), 'loss'), classroom.logScale)];
  });
  readonly compareRuns = $derived(
    compareSeries(
      classroom.compareRuns,
      (run) => {
        const name = ct(this.lang(), 'legendLr', { lr: fmtRateValue(run.learningRate) });
        return run.status === 'diverged' ? `${name} (${ct(this.lang(), 'cmpDiverged')})` : name;
      },
      classroom.logScale,
    ),
  );

  readonly caption = $derived.by(() => {
    const lang = this.lang();
    const status = ct(lang, STATUS_KEY[classroom.phase]);
    const replay = this.replayFrame;
    if (replay) return `${ct(lang, 'replayTitle')} · ${ct(lang, 'epochLoss', { epoch: replay.epoch, loss: replay.loss === null ? '–' : fmt4(replay.loss) })}`;
    if (this.epochCount === 0 || this.lastLoss === null) return status;
    return `${status} · ${ct(lang, 'epochLoss', { epoch: this.epochCount, loss: fmt4(this.lastLoss) })}`;
  });

  readonly runButton = $derived.by(() => {
    const lang = this.lang();
    switch (classroom.phase) {
      case 'running':
      case 'starting':
        return ct(lang, 'pause');
      case 'paused':
        return ct(lang, 'resume');
      case 'idle':
        return ct(lang, 'run');
      default:
        return ct(lang, 'runAgain');
    }
  });

  /** What the audience window draws now. */
  readonly audienceFrame = $derived.by((): AudienceFrame => {
    const lang = this.lang();
    const series = this.showingCompare ? this.compareRuns : this.liveSeries;
    return {
      type: 'frame',
      presenter: true,
      blank: classroom.blank,
      lang,
      title: this.showingCompare ? ct(lang, 'compareChart') : classroom.chart === 'grads' ? ct(lang, 'chartGrads') : ct(lang, 'chartLoss'),
      caption: this.showingCompare ? '' : this.caption,
      series: $state.snapshot(series) as ChartSeries[],
      logScale: classroom.logScale,
      marker: this.replayFrame ? this.replayFrame.epoch : null,
      image: null,
    };
  });
}
