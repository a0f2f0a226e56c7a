// The desktop's training worker: a utilityProcess (utility-worker.ts) adapted to the supervisor's
// TrainingProcess. A V8 fatal error in training (an array past V8's largest size, an allocation
// V8 cannot make, its heap limit) ends this process only; supervisor.ts reports it to the window
// and starts a fresh one. The same supervisor runs on child_process.fork in tests
// (training/fork-training.node.ts).
import { isOutOfMemoryReport, trainingExecArgv, type TrainingProcess } from '../training/training-process';
import { utilityWorker } from './utility-worker';

/** Starts the bundled training worker (dist/main/training-worker.cjs); only after app 'ready'. */
export function utilityTraining(entry: string): TrainingProcess {
  // Only V8's heap limit as a flag (TRAINING_HEAP_MB): a bounded heap, nothing else.
  return utilityWorker(entry, { args: [], execArgv: trainingExecArgv(), serviceName: 'GradLab training', isOutOfMemory: isOutOfMemoryReport });
}
