// `npm run fuzz [-- --seconds N] [--seed S] [target name filter]`: property-based fuzzing of every
// reader of untrusted input (tests/fuzz/targets.ts) for N seconds in all (default 60), split
// evenly between the targets. Any exception that is not the project's own answer to bad input
// fails it, and fast-check prints the shrunk input and the seed to replay it with.
import fc from 'fast-check';
import { fuzzTargets } from '../tests/fuzz/targets';

function parseArgs(args: string[]): { seconds: number; seed: number | undefined; filter: string } {
  let seconds = 60;
  let seed: number | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seconds') seconds = Number(args[++i]);
    else if (args[i] === '--seed') seed = Number(args[++i]);
    else words.push(args[i]);
  }
  if (!(seconds > 0)) throw new Error('fuzz: --seconds needs a positive number');
  return { seconds, seed, filter: words.join(' ').toLowerCase() };
}

const { seconds, seed, filter } = parseArgs(process.argv.slice(2));
const targets = fuzzTargets().filter((t) => t.name.toLowerCase().includes(filter));
if (targets.length === 0) {
  console.error(`fuzz: no target matches '${filter}'`);
  process.exit(2);
}
const share = (seconds * 1000) / targets.length;
let failed = 0;
for (const target of targets) {
  const started = performance.now();
  const details = fc.check(target.property as fc.IProperty<unknown>, {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: share,
    ...(seed !== undefined ? { seed } : {}),
  });
  const took = ((performance.now() - started) / 1000).toFixed(1);
  if (details.failed) {
    failed++;
    console.log(`FAIL  ${target.name} after ${details.numRuns} inputs (${took} s)`);
    console.log(fc.defaultReportMessage(details) ?? '');
  } else console.log(`ok    ${target.name}: ${details.numRuns} inputs in ${took} s`);
}
process.exitCode = failed > 0 ? 1 : 0;
