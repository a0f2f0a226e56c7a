// The training worker as a worker_threads thread. The app no longer trains in a thread (a V8
// fatal error in a thread ends the whole process: see training-process.ts); `npm run bench:train`
// does, because it times the bare engine loop in the very thread the training host runs in.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { GradLabEvent } from '../contract/messages';
import { errorMessage } from '../contract/error-message';
import { isOutOfMemoryReport, TRAINING_HEAP_MB, type TrainingExit, type TrainingProcess } from './training-process';

function toFileUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  return path.startsWith('file:') ? new URL(path) : pathToFileURL(path);
}

/** The ESM entry of tsx's API, resolved from this package (used to run a .ts worker). */
function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  const cjsEntry = require.resolve('tsx/esm/api');
  const esmEntry = join(dirname(cjsEntry), 'index.mjs');
  return pathToFileURL(existsSync(esmEntry) ? esmEntry : cjsEntry).href;
}

/** Starts a worker_threads worker; a .ts entry runs through tsx (the benches). */
export function spawnTrainingThread(path: string | URL, extra: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const url = toFileUrl(path);
  if (!fileURLToPath(url).endsWith('.ts')) return new Worker(url, extra);
  // Node 20 does not apply `--import tsx` hooks to a worker's entry file, so a tiny bootstrap
  // registers tsx inside the worker and then imports the TypeScript entry.
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl())}).then((api) => { api.register(); ` +
    `return import(${JSON.stringify(url.href)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { ...extra, eval: true });
}

/** A training worker thread with a TRAINING_HEAP_MB heap (resourceLimits), as a TrainingProcess. */
export function threadTraining(path: string | URL, options: Omit<WorkerOptions, 'eval'> = {}): TrainingProcess {
  const worker = spawnTrainingThread(path, {
    ...options,
    resourceLimits: { maxOldGenerationSizeMb: TRAINING_HEAP_MB, ...options.resourceLimits },
  });
  let reason: string | undefined;
  let exited: TrainingExit | null = null;
  const exitListeners: ((exit: TrainingExit) => void)[] = [];
  worker.on('error', (error) => {
    reason ??= errorMessage(error);
  });
  worker.on('exit', (code) => {
    exited = { code, signal: null, outOfMemory: reason !== undefined && isOutOfMemoryReport(reason), ...(reason ? { reason } : {}) };
    for (const listener of exitListeners.splice(0)) listener(exited);
  });
  return {
    post(message) {
      if (!exited) worker.postMessage(message);
    },
    onMessage(listener) {
      worker.on('message', listener as (event: GradLabEvent) => void);
    },
    onExit(listener) {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    kill() {
      void worker.terminate();
    },
  };
}
