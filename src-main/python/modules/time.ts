// The `time` module: clocks, and sleep through the interpreter's sleep hook (by default
// sleep.ts's blockingSleep).
import { checkArgs, toFloat } from '../args';
import { valueError } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { Builtin, makeModule } from '../values';

const nowMs: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

export const timeModule: ModuleDefinition = {
  name: 'time',
  create: () =>
    makeModule('time', {
      perf_counter: new Builtin('perf_counter', () => nowMs() / 1000),
      perf_counter_ns: new Builtin('perf_counter_ns', () => BigInt(Math.round(nowMs() * 1e6))),
      monotonic: new Builtin('monotonic', () => nowMs() / 1000),
      process_time: new Builtin('process_time', () => nowMs() / 1000),
      time: new Builtin('time', () => Date.now() / 1000),
      time_ns: new Builtin('time_ns', () => BigInt(Date.now()) * 1000000n),
      sleep: new Builtin('sleep', (args, _kwargs, cx) => {
        checkArgs('sleep', args, 1, 1);
        const seconds = toFloat(cx, args[0]);
        if (seconds < 0) throw valueError('sleep length must be non-negative');
        cx.sleep(seconds);
        return null;
      }),
    }),
};
