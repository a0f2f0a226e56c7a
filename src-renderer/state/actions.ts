// What the run buttons and keyboard shortcuts do, in one place so both behave the same.
import { lab } from './lab.svelte';
import { run } from './stores';

const speed = (): number | null => lab.epochsPerSecond;

/** Run when nothing runs, pause while running, resume when paused. */
export function runOrPause(): void {
  if (run.phase === 'running' || run.phase === 'starting') run.pause();
  else if (run.phase === 'paused') run.resume();
  else startRun();
}

export function startRun(): boolean {
  const config = lab.config;
  if (!config) return false;
  run.start(config, { epochsPerSecond: speed() });
  return true;
}

/** Steps `count` epochs; with no run yet, starts one paused first. */
export function step(count: number): void {
  if (!run.active) {
    const config = lab.config;
    if (!config) return;
    run.start(config, { epochsPerSecond: speed(), startPaused: true });
  }
  run.step(count);
}

/**
 * The epoch "Continue" trains to: the Epochs field when it is beyond the run, else the run's own
 * end when it stopped before it; null when there is nothing to continue.
 */
export function continueTarget(): number | null {
  if (run.active || !run.canContinue) return null;
  const fieldEpochs = lab.params.epochs;
  if (fieldEpochs !== null && fieldEpochs > run.epoch) return fieldEpochs;
  return run.totalEpochs > run.epoch ? run.totalEpochs : null;
}

/** Trains the ended (or reopened) run on to continueTarget(), with the learning rate and zero_grad as set now. */
export function continueRun(): boolean {
  const target = continueTarget();
  const learningRate = lab.learningRate ?? run.current?.learningRate ?? null;
  if (target === null || learningRate === null) return false;
  return run.continueTo(target, { learningRate, skipZeroGrad: lab.skipZeroGrad, epochsPerSecond: speed() });
}

export function stop(): void {
  run.stop();
}

export function reset(): void {
  run.reset();
}

/** The "forgot zero_grad" mistake: for the next run, and live for the running one. */
export function setSkipZeroGrad(skipZeroGrad: boolean): void {
  lab.skipZeroGrad = skipZeroGrad;
  run.setSkipZeroGrad(skipZeroGrad);
}

export function setSpeed(epochsPerSecond: number | null): void {
  lab.epochsPerSecond = epochsPerSecond;
  run.setSpeed(epochsPerSecond);
}
