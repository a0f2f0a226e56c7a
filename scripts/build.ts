// Builds what electron.config.ts describes: the renderer with Vite and, unless --web, the Node
// side (main, preload, workers) with esbuild.
import { build as esbuild } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import { mainBuild } from '../electron.config';

const root = join(import.meta.dirname, '..');
const webOnly = process.argv.includes('--web');

async function buildMain() {
  rmSync(mainBuild.outDir, { recursive: true, force: true });
  const entryPoints = Object.entries(mainBuild.entries).map(([out, input]) => ({ out, in: join(root, input) }));
  const missing = entryPoints.filter((e) => !existsSync(e.in));
  if (missing.length) throw new Error(`Missing entry points: ${missing.map((m) => m.in).join(', ')}`);
  await esbuild({
    entryPoints,
    outdir: mainBuild.outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: mainBuild.target,
    external: [...mainBuild.external],
    sourcemap: true,
    logLevel: 'warning',
  });
}

async function buildRenderer() {
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

const started = performance.now();
await buildRenderer();
if (!webOnly) await buildMain();
console.log(`Built ${webOnly ? 'the browser edition' : 'GradLab'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
