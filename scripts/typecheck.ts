// `npm run typecheck`: every layer against its own tsconfig, so the compiler enforces what each
// layer may see (engine: no DOM, no Node; portable layers: neither, only the Web APIs both share;
// renderer: the DOM, no Node; Node-only files: Node, no DOM), then the tests and scripts, then the
// Svelte components. Exits non-zero if any of them fails.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** Every tsconfig a layer has; docs/ARCHITECTURE.md names what each one allows. */
const LAYER_TSCONFIGS = [
  'src-main/engine/tsconfig.json',
  'src-main/tsconfig.json',
  'src-main/tsconfig.webworker.json',
  'src-main/tsconfig.node.json',
  'src-main/tsconfig.preload.json',
  'tsconfig.json',
];

const checks = [
  ...LAYER_TSCONFIGS.map((config) => ({ name: `tsc -p ${config}`, command: bin('tsc'), args: ['-p', config, '--noEmit'] })),
  { name: 'svelte-check (src-renderer/tsconfig.json)', command: bin('svelte-check'), args: ['--tsconfig', 'src-renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human'] },
];

let failed = 0;
for (const check of checks) {
  const run = spawnSync(check.command, check.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ok = run.status === 0;
  if (!ok) {
    failed++;
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
  }
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${check.name}`);
}
process.exit(failed > 0 ? 1 : 0);
